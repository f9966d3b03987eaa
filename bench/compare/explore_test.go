package compare

import (
	"math/rand/v2"
	"testing"
	"github.com/graphperf/graphperf/bench/baseline"
)

func TestExplore(t *testing.T) {
	medians := []float64{0.008, 0.012, 0.020, 0.035}
	for _, n := range []int{30, 50} {
		for _, sigma := range []float64{0.1, 0.15, 0.2} {
			for _, ops := range []int{1, 4} {
				cfg := Config{FailOn: mustThresholds(t, "median:10%")}
				suite := func(r *rand.Rand, f0 float64) *baseline.Run {
					run := runOf("ds")
					for k := range ops {
						f := 1.0
						if k == 0 { f = f0 }
						xs := logNormal(r, n, medians[k], sigma, f)
						for i := range xs { if r.Float64() < 0.05 { xs[i] *= 3 } }
						run.Operations = append(run.Operations, latencyOp(string(rune('a'+k)), xs))
					}
					return run
				}
				r := rand.New(rand.NewPCG(1, 1))
				const trials = 1000
				aa, ab, abOther := 0, 0, 0
				for range trials {
					rep, _ := Compare(suite(r, 1), suite(r, 1), cfg)
					if rep.Failed() { aa++ }
					rep, _ = Compare(suite(r, 1), suite(r, 1.25), cfg)
					for _, name := range rep.Regressions { if name == "a" { ab++ } else { abOther++ } }
				}
				t.Logf("n=%d sigma=%.2f ops=%d: A/A suite fail %.3f; A/B slowed op flagged %.3f; other ops flagged %d", n, sigma, ops, float64(aa)/trials, float64(ab)/trials, abOther)
			}
		}
	}
}
