package txn

import (
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench"
	"github.com/graphperf/graphperf/bench/workload/finbench/paramgen"
)

// addComplexReads adds the sources of the complex reads package finbench
// implements (TCR1, TCR2, TCR5 and TCR8 are not there yet: their curated
// parameters are kept, and they are scheduled once they are).
func addComplexReads(p *paramgen.Params, add func(t string, n int, op func(i int) workload.Operation, write bool)) {
	add("TCR3", len(p.TCR3), func(i int) workload.Operation { return finbench.TCR3(p.TCR3[i]) }, false)
	add("TCR4", len(p.TCR4), func(i int) workload.Operation { return finbench.TCR4(p.TCR4[i]) }, false)
	add("TCR6", len(p.TCR6), func(i int) workload.Operation { return finbench.TCR6(p.TCR6[i]) }, false)
	add("TCR7", len(p.TCR7), func(i int) workload.Operation { return finbench.TCR7(p.TCR7[i]) }, false)
	add("TCR9", len(p.TCR9), func(i int) workload.Operation { return finbench.TCR9(p.TCR9[i]) }, false)
	add("TCR10", len(p.TCR10), func(i int) workload.Operation { return finbench.TCR10(p.TCR10[i]) }, false)
	add("TCR11", len(p.TCR11), func(i int) workload.Operation { return finbench.TCR11(p.TCR11[i]) }, false)
	add("TCR12", len(p.TCR12), func(i int) workload.Operation { return finbench.TCR12(p.TCR12[i]) }, false)
}
