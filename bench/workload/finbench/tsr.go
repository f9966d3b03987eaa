package finbench

import (
	"fmt"

	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/graph/client"
)

// TSR2Params are the parameters of TSR2.
type TSR2Params struct {
	// ID is the account's id.
	ID int64
	Window
}

// TSR2Result is TSR2's answer: the account's transfer-outs (Edge1) and
// transfer-ins (Edge2) in the window.
type TSR2Result struct {
	// SumEdge1Amount is the sum of the transfer-outs' amounts.
	SumEdge1Amount float64
	// MaxEdge1Amount is the largest transfer-out, -1 without any.
	MaxEdge1Amount float64
	// NumEdge1 is the number of transfer-outs.
	NumEdge1 int64
	// SumEdge2Amount is the sum of the transfer-ins' amounts.
	SumEdge2Amount float64
	// MaxEdge2Amount is the largest transfer-in, -1 without any.
	MaxEdge2Amount float64
	// NumEdge2 is the number of transfer-ins.
	NumEdge2 int64
}

// TSR3Params are the parameters of TSR3.
type TSR3Params struct {
	// ID is the (destination) account's id.
	ID int64
	// Threshold is the amount a transfer-in must exceed to count.
	Threshold float64
	Window
}

// TSR3Result is TSR3's answer.
type TSR3Result struct {
	// BlockRatio is the share of the transfer-ins (in the window, above
	// the threshold) that come from blocked accounts, -1 without any.
	BlockRatio float64
}

// TSR4Params are the parameters of TSR4.
type TSR4Params struct {
	// ID is the source account's id.
	ID int64
	// Threshold is the amount a transfer-out must exceed to count.
	Threshold float64
	Window
}

// TSR4Row is one row of TSR4's answer: the transfer-outs to one account.
type TSR4Row struct {
	// DstID is the destination account's id.
	DstID int64
	// NumEdges is the number of transfers to it.
	NumEdges int64
	// SumAmount is their total amount.
	SumAmount float64
}

// TSR5Params are the parameters of TSR5.
type TSR5Params struct {
	// ID is the destination account's id.
	ID int64
	// Threshold is the amount a transfer-in must exceed to count.
	Threshold float64
	Window
}

// TSR5Row is one row of TSR5's answer: the transfer-ins from one account.
type TSR5Row struct {
	// SrcID is the source account's id.
	SrcID int64
	// NumEdges is the number of transfers from it.
	NumEdges int64
	// SumAmount is their total amount.
	SumAmount float64
}

// TSR6Params are the parameters of TSR6.
type TSR6Params struct {
	// ID is the account's id.
	ID int64
	Window
}

// TSR6Result is TSR6's answer: the ids of the blocked accounts that
// received a transfer from an account that also transferred to the given
// one, ascending.
type TSR6Result struct {
	// DstIDs are the blocked accounts' ids, ascending.
	DstIDs []int64
}

// aggregate is the Gremlin of a count/sum/max projection of the amounts of
// the edges before it; sum is 0 and max -1 without edges.
const aggregate = `values('amount').fold().project('n','sum','max').by(count(local)).` +
	`by(coalesce(sum(local),constant(0.0d))).by(coalesce(max(local),constant(-1.0d)))`

// TSR2Script is TSR2's Gremlin.
const TSR2Script = `g.V().has('Account','accountId',vid).project('out','in').` +
	`by(outE('transfer').` + win + `.` + aggregate + `).` +
	`by(inE('transfer').` + win + `.` + aggregate + `)`

// TSR2 is FinBench's simple read 2, transfer-ins and transfer-outs: the
// count, sum and maximum amount of an account's transfers out and in
// within the window. Its Result is a [TSR2Result].
func TSR2(p TSR2Params) workload.Operation {
	return readOp("TSR2", fmt.Sprintf("account %d", p.ID), p, TSR2Script,
		map[string]any{"vid": p.ID, "s": p.Start, "e": p.End},
		func(res []any) (workload.Result, error) {
			v, err := atMostOne(res)
			if err != nil || v == nil {
				return TSR2Result{MaxEdge1Amount: -1, MaxEdge2Amount: -1}, err
			}
			f := newFields(v)
			o, i := f.sub("out"), f.sub("in")
			r := TSR2Result{SumEdge1Amount: o.float("sum"), MaxEdge1Amount: o.float("max"), NumEdge1: o.int("n"),
				SumEdge2Amount: i.float("sum"), MaxEdge2Amount: i.float("max"), NumEdge2: i.int("n")}
			for _, x := range []*fields{f, o, i} {
				if x.err != nil {
					return nil, x.err
				}
			}
			return r, nil
		})
}

// TSR3Script is TSR3's Gremlin: the number of transfer-ins in the window
// above the threshold, and of those from blocked accounts.
const TSR3Script = `g.V().has('Account','accountId',vid).inE('transfer').` + win + `.has('amount',gt(th)).` +
	`fold().project('n','blocked').by(count(local)).by(unfold().outV().has('isBlocked',true).count())`

// TSR3 is FinBench's simple read 3, many-to-one blocked account
// monitoring: the share of an account's transfer-ins (in the window, above
// the threshold) that come from blocked accounts, -1 without any. Its
// Result is a [TSR3Result]; the ratio is computed from the two counts.
//
// Deviation: the reference implementations count the denominator over all
// transfer-ins, ignoring window and threshold; the spec text applies them
// to both, and so does this.
func TSR3(p TSR3Params) workload.Operation {
	return readOp("TSR3", fmt.Sprintf("account %d", p.ID), p, TSR3Script,
		map[string]any{"vid": p.ID, "th": p.Threshold, "s": p.Start, "e": p.End},
		func(res []any) (workload.Result, error) {
			v, err := atMostOne(res)
			if err != nil || v == nil {
				return TSR3Result{BlockRatio: -1}, err
			}
			f := newFields(v)
			n, b := f.int("n"), f.int("blocked")
			if f.err != nil {
				return nil, f.err
			}
			return TSR3Result{BlockRatio: Ratio(float64(b), float64(n))}, nil
		})
}

// Ratio returns num/den rounded to 3 decimals, or -1 when den is 0
// (FinBench's convention for ratios over nothing).
func Ratio(num, den float64) float64 {
	if den == 0 {
		return -1
	}
	return Round3(num / den)
}

// TSR4Script is TSR4's Gremlin.
const TSR4Script = `g.V().has('Account','accountId',vid).outE('transfer').` + win + `.has('amount',gt(th)).` +
	`group().by(inV().values('accountId')).by(values('amount').fold()).unfold().` +
	`project('dst','n','sum').by(keys).by(select(values).count(local)).by(select(values).sum(local)).` +
	`order().by('sum',desc).by('dst',asc)`

// TSR4 is FinBench's simple read 4, account transfer-outs over threshold:
// per destination, the number and total amount of the account's transfers
// in the window above the threshold, by total descending then id. Its
// Result is a []TSR4Row.
func TSR4(p TSR4Params) workload.Operation {
	return readOp("TSR4", fmt.Sprintf("account %d", p.ID), p, TSR4Script,
		map[string]any{"vid": p.ID, "th": p.Threshold, "s": p.Start, "e": p.End},
		func(res []any) (workload.Result, error) {
			return ordered(CompareTSR4, func(r TSR4Row) []float64 { return []float64{r.SumAmount} })(rows(res, func(f *fields) TSR4Row {
				return TSR4Row{DstID: f.int("dst"), NumEdges: f.int("n"), SumAmount: f.float("sum")}
			}))
		})
}

// TSR5Script is TSR5's Gremlin.
const TSR5Script = `g.V().has('Account','accountId',vid).inE('transfer').` + win + `.has('amount',gt(th)).` +
	`group().by(outV().values('accountId')).by(values('amount').fold()).unfold().` +
	`project('src','n','sum').by(keys).by(select(values).count(local)).by(select(values).sum(local)).` +
	`order().by('sum',desc).by('src',asc)`

// TSR5 is FinBench's simple read 5, account transfer-ins over threshold:
// per source, the number and total amount of the transfers into the
// account in the window above the threshold, by total descending then id.
// Its Result is a []TSR5Row.
func TSR5(p TSR5Params) workload.Operation {
	return readOp("TSR5", fmt.Sprintf("account %d", p.ID), p, TSR5Script,
		map[string]any{"vid": p.ID, "th": p.Threshold, "s": p.Start, "e": p.End},
		func(res []any) (workload.Result, error) {
			return ordered(CompareTSR5, func(r TSR5Row) []float64 { return []float64{r.SumAmount} })(rows(res, func(f *fields) TSR5Row {
				return TSR5Row{SrcID: f.int("src"), NumEdges: f.int("n"), SumAmount: f.float("sum")}
			}))
		})
}

// TSR6Script is TSR6's Gremlin.
const TSR6Script = `g.V().has('Account','accountId',vid).as('a').inE('transfer').` + win + `.outV().dedup().` +
	`outE('transfer').` + win + `.inV().has('isBlocked',true).where(neq('a')).values('accountId').dedup().order()`

// TSR6 is FinBench's simple read 6, accounts with the same transfer
// sources: the blocked accounts (other than the given one) that received a
// transfer in the window from an account that transferred to the given
// one in the window, ascending. Its Result is a [TSR6Result].
func TSR6(p TSR6Params) workload.Operation {
	return readOp("TSR6", fmt.Sprintf("account %d", p.ID), p, TSR6Script,
		map[string]any{"vid": p.ID, "s": p.Start, "e": p.End},
		func(res []any) (workload.Result, error) {
			ids, err := client.Result(res).Int64s()
			if err != nil {
				return nil, err
			}
			return TSR6Result{DstIDs: ids}, nil
		})
}
