package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// BenchmarkSummarize measures the full summary (order statistics, moments,
// MAD and benchmath's median CI) of one operation's samples.
func BenchmarkSummarize(b *testing.B) {
	for _, n := range []int{30, 1000, 100000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = 0.005 * math.Exp(0.2*r.NormFloat64())
			}
			for b.Loop() {
				Summarize(xs, Latency())
			}
		})
	}
}
