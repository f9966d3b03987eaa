package oracle

import (
	"cmp"
	"fmt"
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
	slices.SortFunc(rows, finbench.CompareTCR4)
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

// TCR3 answers TCR3.
func (g *Graph) TCR3(p finbench.TCR3Params) finbench.TCR3Result {
	src, dst := acc(p.ID1), acc(p.ID2)
	if g.accounts[p.ID1] == nil {
		return finbench.TCR3Result{ShortestPathLength: -1}
	}
	seen := map[Ref]bool{src: true}
	level := []Ref{src}
	for d := int64(1); len(level) > 0; d++ {
		var next []Ref
		for _, v := range level {
			for _, e := range inWindow(g.Out(banking.Transfer, v), p.Window, nil) {
				if e.To == dst && !seen[dst] {
					return finbench.TCR3Result{ShortestPathLength: d}
				}
				if !seen[e.To] {
					seen[e.To] = true
					next = append(next, e.To)
				}
			}
		}
		level = next
	}
	return finbench.TCR3Result{ShortestPathLength: -1}
}

// TCR6 answers TCR6.
func (g *Graph) TCR6(p finbench.TCR6Params) []finbench.TCR6Row {
	rows := []finbench.TCR6Row{}
	sum2 := map[Ref]float64{}
	var mids []Ref
	for _, e := range g.step(banking.Withdraw, acc(p.ID), false, p.Window, p.Truncation, above(p.Threshold2)) {
		if _, ok := sum2[e.From]; !ok {
			mids = append(mids, e.From)
		}
		sum2[e.From] += e.Amount
	}
	for _, m := range mids {
		ins := g.step(banking.Transfer, m, false, p.Window, p.Truncation, above(p.Threshold1))
		if len(ins) <= 3 {
			continue
		}
		_, s1, _ := summary(ins)
		rows = append(rows, finbench.TCR6Row{MidID: m.ID, SumEdge1Amount: s1, SumEdge2Amount: finbench.Round3(sum2[m])})
	}
	slices.SortFunc(rows, finbench.CompareTCR6)
	return rows
}

// TCR9 answers TCR9.
func (g *Graph) TCR9(p finbench.TCR9Params) finbench.TCR9Result {
	v, th := acc(p.ID), above(p.Threshold)
	var n [4]int64
	var sum [4]float64
	for i, es := range [][]*Edge{
		inWindow(g.In(banking.Deposit, v), p.Window, th),
		inWindow(g.Out(banking.Repay, v), p.Window, th),
		g.step(banking.Transfer, v, false, p.Window, p.Truncation, th),
		g.step(banking.Transfer, v, true, p.Window, p.Truncation, th),
	} {
		for _, e := range es {
			n[i]++
			sum[i] += e.Amount
		}
	}
	return finbench.TCR9Ratios(n, sum)
}

// TCR10 answers TCR10.
func (g *Graph) TCR10(p finbench.TCR10Params) finbench.TCR10Result {
	companies := func(id int64) []int64 {
		seen := map[int64]bool{}
		var out []int64
		for _, e := range inWindow(g.Out(banking.Invest, Ref{banking.Person, id}), p.Window, nil) {
			if e.To.Label == banking.Company && !seen[e.To.ID] {
				seen[e.To.ID] = true
				out = append(out, e.To.ID)
			}
		}
		return out
	}
	return finbench.TCR10Result{JaccardSimilarity: finbench.Jaccard(companies(p.PID1), companies(p.PID2))}
}

// companyOwned reports whether a company owns account a.
func (g *Graph) companyOwned(a Ref) bool {
	return slices.ContainsFunc(g.In(banking.Own, a), func(e *Edge) bool { return e.From.Label == banking.Company })
}

// TCR12 answers TCR12.
func (g *Graph) TCR12(p finbench.TCR12Params) []finbench.TCR12Row {
	sums := map[int64]float64{}
	var ids []int64
	for _, own := range g.Out(banking.Own, Ref{banking.Person, p.ID}) {
		for _, e := range g.step(banking.Transfer, own.To, true, p.Window, p.Truncation, nil) {
			if !g.companyOwned(e.To) {
				continue
			}
			if _, ok := sums[e.To.ID]; !ok {
				ids = append(ids, e.To.ID)
			}
			sums[e.To.ID] += e.Amount
		}
	}
	rows := []finbench.TCR12Row{}
	for _, id := range ids {
		rows = append(rows, finbench.TCR12Row{CompAccountID: id, SumEdge2Amount: finbench.Round3(sums[id])})
	}
	slices.SortFunc(rows, finbench.CompareTCR12)
	return rows
}

// walks calls visit for every walk of 1 to 3 transfers from start over
// truncated steps in the window, timestamps strictly increasing along the
// walk (downstream; upstream when out is false, walking transfers
// backwards with timestamps decreasing). path holds the accounts, start
// first; visit must not keep it.
func (g *Graph) walks(start Ref, out bool, w finbench.Window, t finbench.Truncation, visit func(path []Ref)) {
	var rec func(path []Ref, prev int64)
	rec = func(path []Ref, prev int64) {
		if len(path) > 3 {
			return
		}
		v := path[len(path)-1]
		for _, e := range g.step(banking.Transfer, v, out, w, t, nil) {
			next := e.To
			if out && e.Timestamp <= prev || !out && e.Timestamp >= prev {
				continue
			}
			if !out {
				next = e.From
			}
			p := append(path, next)
			visit(p)
			rec(p, e.Timestamp)
		}
	}
	first := w.Start
	if !out {
		first = w.End
	}
	rec([]Ref{start}, first)
}

// TCR1 answers TCR1.
func (g *Graph) TCR1(p finbench.TCR1Params) []finbench.TCR1Row {
	type reach struct {
		v Ref
		d int
	}
	seen := map[reach]bool{}
	var reached []reach
	g.walks(acc(p.ID), true, p.Window, p.Truncation, func(path []Ref) {
		r := reach{path[len(path)-1], len(path) - 1}
		if !seen[r] {
			seen[r] = true
			reached = append(reached, r)
		}
	})
	rows := []finbench.TCR1Row{}
	for _, r := range reached {
		media := map[int64]bool{}
		for _, e := range inWindow(g.In(banking.SignIn, r.v), p.Window, nil) {
			m := g.media[e.From.ID]
			if m == nil || !m.IsBlocked || media[m.ID] {
				continue
			}
			media[m.ID] = true
			rows = append(rows, finbench.TCR1Row{OtherID: r.v.ID, AccountDistance: int64(r.d), MediumID: m.ID, MediumType: m.Type})
		}
	}
	slices.SortFunc(rows, func(a, b finbench.TCR1Row) int {
		return cmp.Or(cmp.Compare(a.AccountDistance, b.AccountDistance), cmp.Compare(a.OtherID, b.OtherID), cmp.Compare(a.MediumID, b.MediumID))
	})
	return rows
}

// TCR2 answers TCR2.
func (g *Graph) TCR2(p finbench.TCR2Params) []finbench.TCR2Row {
	others := map[Ref]bool{}
	var order []Ref
	for _, own := range g.Out(banking.Own, Ref{banking.Person, p.ID}) {
		g.walks(own.To, false, p.Window, p.Truncation, func(path []Ref) {
			if o := path[len(path)-1]; !others[o] {
				others[o] = true
				order = append(order, o)
			}
		})
	}
	rows := []finbench.TCR2Row{}
	for _, o := range order {
		loans := map[int64]bool{}
		var r finbench.TCR2Row
		for _, e := range inWindow(g.In(banking.Deposit, o), p.Window, nil) {
			l := g.loans[e.From.ID]
			if l == nil || loans[l.ID] {
				continue
			}
			loans[l.ID] = true
			r.SumLoanAmount += l.LoanAmount
			r.SumLoanBalance += l.Balance
		}
		if len(loans) == 0 {
			continue
		}
		r.OtherID = o.ID
		r.SumLoanAmount, r.SumLoanBalance = finbench.Round3(r.SumLoanAmount), finbench.Round3(r.SumLoanBalance)
		rows = append(rows, r)
	}
	slices.SortFunc(rows, finbench.CompareTCR2)
	return rows
}

// TCR5 answers TCR5.
func (g *Graph) TCR5(p finbench.TCR5Params) []finbench.TCR5Row {
	seen := map[string]bool{}
	rows := []finbench.TCR5Row{}
	for _, own := range g.Out(banking.Own, Ref{banking.Person, p.ID}) {
		g.walks(own.To, true, p.Window, p.Truncation, func(path []Ref) {
			ids := make([]int64, len(path))
			for i, v := range path {
				ids[i] = v.ID
			}
			for i := range ids {
				if slices.Contains(ids[:i], ids[i]) {
					return
				}
			}
			if k := fmt.Sprint(ids); !seen[k] {
				seen[k] = true
				rows = append(rows, finbench.TCR5Row{Path: ids})
			}
		})
	}
	finbench.SortTCR5(rows)
	return rows
}

// TCR8 answers TCR8.
func (g *Graph) TCR8(p finbench.TCR8Params) []finbench.TCR8Row {
	rows := []finbench.TCR8Row{}
	loan := g.loans[p.ID]
	if loan == nil {
		return rows
	}
	type acc struct {
		edges map[*Edge]bool
		sum   float64
		dist  int
	}
	reached := map[Ref]*acc{}
	var rec func(path []Ref, prev float64)
	rec = func(path []Ref, prev float64) {
		v := path[len(path)-1]
		es := append(inWindow(g.Out(banking.Transfer, v), p.Window, nil), inWindow(g.Out(banking.Withdraw, v), p.Window, nil)...)
		for _, e := range truncate(es, p.Truncation) {
			if prev >= 0 && !(e.Amount > prev*p.Threshold) || slices.Contains(path, e.To) {
				continue
			}
			a := reached[e.To]
			if a == nil {
				a = &acc{edges: map[*Edge]bool{}, dist: len(path) + 1}
				reached[e.To] = a
			}
			if !a.edges[e] {
				a.edges[e] = true
				a.sum += e.Amount
			}
			a.dist = min(a.dist, len(path)+1)
			if len(path) < 3 {
				rec(append(path, e.To), e.Amount)
			}
		}
	}
	starts := map[Ref]bool{}
	for _, d := range inWindow(g.Out(banking.Deposit, Ref{banking.Loan, p.ID}), p.Window, nil) {
		if !starts[d.To] {
			starts[d.To] = true
			rec([]Ref{d.To}, -1)
		}
	}
	for v, a := range reached {
		rows = append(rows, finbench.TCR8Row{DstID: v.ID, Ratio: finbench.Round3(a.sum / loan.LoanAmount), MinDistanceFromLoan: int64(a.dist)})
	}
	finbench.SortTCR8(rows)
	return rows
}
