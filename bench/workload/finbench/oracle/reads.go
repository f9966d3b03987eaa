package oracle

import (
	"cmp"
	"slices"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload/finbench"
)

func acc(id int64) Ref { return Ref{banking.Account, id} }

// inWindow returns the edges of es in w that pass keep (nil keeps all).
func inWindow(es []*Edge, w finbench.Window, keep func(*Edge) bool) []*Edge {
	var out []*Edge
	for _, e := range es {
		if w.In(e.Timestamp) && (keep == nil || keep(e)) {
			out = append(out, e)
		}
	}
	return out
}

// truncate sorts es (a fresh slice) by t's order and keeps the first
// t.EffectiveLimit().
func truncate(es []*Edge, t finbench.Truncation) []*Edge {
	key := func(e *Edge) float64 { return float64(e.Timestamp) }
	if t.Order == finbench.AmountAscending || t.Order == finbench.AmountDescending {
		key = func(e *Edge) float64 { return e.Amount }
	}
	desc := t.Order == finbench.TimestampDescending || t.Order == finbench.AmountDescending
	slices.SortStableFunc(es, func(a, b *Edge) int {
		if desc {
			return cmp.Compare(key(b), key(a))
		}
		return cmp.Compare(key(a), key(b))
	})
	if n := t.EffectiveLimit(); len(es) > n {
		es = es[:n]
	}
	return es
}

// step returns the edges of label l at v (out of v when out, else into
// it) that a truncated step follows: in the window, passing keep, sorted
// and truncated.
func (g *Graph) step(l banking.Label, v Ref, out bool, w finbench.Window, t finbench.Truncation, keep func(*Edge) bool) []*Edge {
	es := g.In(l, v)
	if out {
		es = g.Out(l, v)
	}
	return truncate(inWindow(es, w, keep), t)
}

func above(th float64) func(*Edge) bool { return func(e *Edge) bool { return e.Amount > th } }

// TSR1 answers TSR1 for the account id.
func (g *Graph) TSR1(id int64) finbench.Account {
	a := g.accounts[id]
	if a == nil {
		return finbench.Account{}
	}
	return finbench.Account{Found: true, CreateTime: a.CreateTime, IsBlocked: a.IsBlocked, Type: a.Type}
}

// summary returns the count, sum and maximum (-1 for none) of the amounts.
func summary(es []*Edge) (n int64, sum, max float64) {
	max = -1
	for _, e := range es {
		n++
		sum += e.Amount
		if e.Amount > max {
			max = e.Amount
		}
	}
	return n, finbench.Round3(sum), finbench.Round3(max)
}

// TSR2 answers TSR2.
func (g *Graph) TSR2(p finbench.TSR2Params) finbench.TSR2Result {
	var r finbench.TSR2Result
	r.NumEdge1, r.SumEdge1Amount, r.MaxEdge1Amount = summary(inWindow(g.Out(banking.Transfer, acc(p.ID)), p.Window, nil))
	r.NumEdge2, r.SumEdge2Amount, r.MaxEdge2Amount = summary(inWindow(g.In(banking.Transfer, acc(p.ID)), p.Window, nil))
	return r
}

// TSR3 answers TSR3.
func (g *Graph) TSR3(p finbench.TSR3Params) finbench.TSR3Result {
	ins := inWindow(g.In(banking.Transfer, acc(p.ID)), p.Window, above(p.Threshold))
	blocked := 0
	for _, e := range ins {
		if a := g.accounts[e.From.ID]; a != nil && a.IsBlocked {
			blocked++
		}
	}
	return finbench.TSR3Result{BlockRatio: finbench.Ratio(float64(blocked), float64(len(ins)))}
}

// perOther groups es by the account at the other end (the target when
// out, else the source): ids in order of appearance, count and rounded sum.
func perOther(es []*Edge, out bool) (ids []int64, n map[int64]int64, sum map[int64]float64) {
	n, sum = map[int64]int64{}, map[int64]float64{}
	for _, e := range es {
		o := e.From.ID
		if out {
			o = e.To.ID
		}
		if n[o] == 0 {
			ids = append(ids, o)
		}
		n[o]++
		sum[o] += e.Amount
	}
	for _, id := range ids {
		sum[id] = finbench.Round3(sum[id])
	}
	return ids, n, sum
}

// TSR4 answers TSR4.
func (g *Graph) TSR4(p finbench.TSR4Params) []finbench.TSR4Row {
	ids, n, sum := perOther(inWindow(g.Out(banking.Transfer, acc(p.ID)), p.Window, above(p.Threshold)), true)
	rows := []finbench.TSR4Row{}
	for _, id := range ids {
		rows = append(rows, finbench.TSR4Row{DstID: id, NumEdges: n[id], SumAmount: sum[id]})
	}
	slices.SortFunc(rows, finbench.CompareTSR4)
	return rows
}

// TSR5 answers TSR5.
func (g *Graph) TSR5(p finbench.TSR5Params) []finbench.TSR5Row {
	ids, n, sum := perOther(inWindow(g.In(banking.Transfer, acc(p.ID)), p.Window, above(p.Threshold)), false)
	rows := []finbench.TSR5Row{}
	for _, id := range ids {
		rows = append(rows, finbench.TSR5Row{SrcID: id, NumEdges: n[id], SumAmount: sum[id]})
	}
	slices.SortFunc(rows, finbench.CompareTSR5)
	return rows
}

// TSR6 answers TSR6.
func (g *Graph) TSR6(p finbench.TSR6Params) finbench.TSR6Result {
	if g.accounts[p.ID] == nil {
		return finbench.TSR6Result{DstIDs: []int64{}}
	}
	seen := map[int64]bool{}
	ids := []int64{}
	for _, in := range inWindow(g.In(banking.Transfer, acc(p.ID)), p.Window, nil) {
		for _, out := range inWindow(g.Out(banking.Transfer, in.From), p.Window, nil) {
			d := out.To.ID
			if a := g.accounts[d]; d != p.ID && !seen[d] && a != nil && a.IsBlocked {
				seen[d] = true
				ids = append(ids, d)
			}
		}
	}
	slices.Sort(ids)
	return finbench.TSR6Result{DstIDs: ids}
}
