package txn

import (
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench/paramgen"
)

// addComplexReads adds the sources of the complex reads TCR1–TCR12.
func addComplexReads(p *paramgen.Params, add func(t string, n int, op func(i int) workload.Operation, write bool)) {
	_ = p
}
