package compare

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/graphperf/graphperf/bench/baseline"
)

// BenchmarkCompareSuite measures a whole-suite comparison (12 operations,
// as in the query catalogue) for several sample sizes per operation.
func BenchmarkCompareSuite(b *testing.B) {
	for _, n := range []int{30, 300, 3000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, uint64(n)))
			base, cur := runOf("ds"), runOf("ds")
			for k := range 12 {
				name := fmt.Sprintf("q%02d", k)
				base.Operations = append(base.Operations, baseline.Operation{Name: name, Unit: latencyOp("", nil).Unit, Samples: noisy(r, n, 0.005, 1)})
				cur.Operations = append(cur.Operations, baseline.Operation{Name: name, Unit: latencyOp("", nil).Unit, Samples: noisy(r, n, 0.005, 1.1)})
			}
			th, _ := ParseThresholds("median:10%,p95:25%")
			b.ResetTimer()
			for b.Loop() {
				if _, err := Compare(base, cur, Config{FailOn: th}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
