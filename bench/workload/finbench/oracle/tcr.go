package oracle

import (
	"cmp"
	"slices"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload/finbench"
)

// TCR4 answers TCR4.
func (g *Graph) TCR4(p finbench.TCR4Params) []finbench.TCR4Row {
	rows := []finbench.TCR4Row{}
	src, dst := acc(p.ID1), acc(p.ID2)
	if g.accounts[p.ID1] == nil || g.accounts[p.ID2] == nil ||
		len(inWindow(g.Out(banking.Transfer, src), p.Window, func(e *Edge) bool { return e.To == dst })) == 0 {
		return rows
	}
	seen := map[int64]bool{}
	for _, e3 := range inWindow(g.Out(banking.Transfer, dst), p.Window, nil) {
		o := e3.To
		if seen[o.ID] {
			continue
		}
		seen[o.ID] = true
		e2s := inWindow(g.Out(banking.Transfer, o), p.Window, func(e *Edge) bool { return e.To == src })
		if len(e2s) == 0 {
			continue
		}
		e3s := inWindow(g.In(banking.Transfer, o), p.Window, func(e *Edge) bool { return e.From == dst })
		r := finbench.TCR4Row{OtherID: o.ID}
		r.NumEdge2, r.SumEdge2Amount, r.MaxEdge2Amount = summary(e2s)
		r.NumEdge3, r.SumEdge3Amount, r.MaxEdge3Amount = summary(e3s)
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b finbench.TCR4Row) int {
		return cmp.Or(cmp.Compare(b.SumEdge2Amount, a.SumEdge2Amount), cmp.Compare(b.SumEdge3Amount, a.SumEdge3Amount),
			cmp.Compare(a.OtherID, b.OtherID))
	})
	return rows
}

// TCR7 answers TCR7.
func (g *Graph) TCR7(p finbench.TCR7Params) finbench.TCR7Result {
	v := acc(p.ID)
	ins := g.step(banking.Transfer, v, false, p.Window, p.Truncation, above(p.Threshold))
	outs := g.step(banking.Transfer, v, true, p.Window, p.Truncation, above(p.Threshold))
	srcs, dsts := map[int64]bool{}, map[int64]bool{}
	var sumIn, sumOut float64
	for _, e := range ins {
		srcs[e.From.ID] = true
		sumIn += e.Amount
	}
	for _, e := range outs {
		dsts[e.To.ID] = true
		sumOut += e.Amount
	}
	r := finbench.TCR7Result{NumSrc: int64(len(srcs)), NumDst: int64(len(dsts)), InOutRatio: -1}
	if len(dsts) > 0 {
		r.InOutRatio = finbench.Ratio(sumIn, sumOut)
	}
	return r
}

// TCR11 answers TCR11.
func (g *Graph) TCR11(p finbench.TCR11Params) finbench.TCR11Result {
	t := p.Truncation.TimeOrdered()
	start := Ref{banking.Person, p.ID}
	reached := map[Ref]bool{}
	level := []Ref{start}
	expanded := map[Ref]bool{}
	for range 5 {
		var next []Ref
		for _, v := range level {
			if expanded[v] {
				continue
			}
			expanded[v] = true
			for _, e := range g.step(banking.Guarantee, v, true, p.Window, t, func(e *Edge) bool { return e.To.Label == banking.Person }) {
				if !reached[e.To] {
					reached[e.To] = true
					next = append(next, e.To)
				}
			}
		}
		level = next
	}
	loans := map[int64]bool{}
	var r finbench.TCR11Result
	for v := range reached {
		for _, e := range g.Out(banking.Apply, v) {
			l := g.loans[e.To.ID]
			if l == nil || loans[l.ID] {
				continue
			}
			loans[l.ID] = true
			r.NumLoans++
			r.SumLoanAmount += l.LoanAmount
		}
	}
	r.SumLoanAmount = finbench.Round3(r.SumLoanAmount)
	return r
}
