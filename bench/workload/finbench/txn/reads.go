package txn

import (
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench"
	"github.com/graphperf/graphperf/bench/workload/finbench/paramgen"
)

// addComplexReads adds the sources of the twelve complex reads TCR1–TCR12.
func addComplexReads(p *paramgen.Params, add func(t string, n int, op func(i int) workload.Operation, write bool)) {
	add("TCR1", len(p.TCR1), func(i int) workload.Operation { return finbench.TCR1(p.TCR1[i]) }, false)
	add("TCR2", len(p.TCR2), func(i int) workload.Operation { return finbench.TCR2(p.TCR2[i]) }, false)
	add("TCR3", len(p.TCR3), func(i int) workload.Operation { return finbench.TCR3(p.TCR3[i]) }, false)
	add("TCR4", len(p.TCR4), func(i int) workload.Operation { return finbench.TCR4(p.TCR4[i]) }, false)
	add("TCR5", len(p.TCR5), func(i int) workload.Operation { return finbench.TCR5(p.TCR5[i]) }, false)
	add("TCR6", len(p.TCR6), func(i int) workload.Operation { return finbench.TCR6(p.TCR6[i]) }, false)
	add("TCR7", len(p.TCR7), func(i int) workload.Operation { return finbench.TCR7(p.TCR7[i]) }, false)
	add("TCR8", len(p.TCR8), func(i int) workload.Operation { return finbench.TCR8(p.TCR8[i]) }, false)
	add("TCR9", len(p.TCR9), func(i int) workload.Operation { return finbench.TCR9(p.TCR9[i]) }, false)
	add("TCR10", len(p.TCR10), func(i int) workload.Operation { return finbench.TCR10(p.TCR10[i]) }, false)
	add("TCR11", len(p.TCR11), func(i int) workload.Operation { return finbench.TCR11(p.TCR11[i]) }, false)
	add("TCR12", len(p.TCR12), func(i int) workload.Operation { return finbench.TCR12(p.TCR12[i]) }, false)
}
