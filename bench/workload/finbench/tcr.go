package finbench

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/graph/client"
)

// TCR1Params are the parameters of TCR1.
type TCR1Params struct {
	// ID is the start account's id.
	ID int64
	Window
	Truncation
}

// TCR1Row is one row of TCR1's answer: an account reached at a distance,
// signed in by a blocked medium.
type TCR1Row struct {
	// OtherID is the reached account's id.
	OtherID int64
	// AccountDistance is the number of transfers from the start account.
	AccountDistance int64
	// MediumID is the blocked medium's id.
	MediumID int64
	// MediumType is the medium's type.
	MediumType string
}

// TCR2Params are the parameters of TCR2.
type TCR2Params struct {
	// ID is the person's id.
	ID int64
	Window
	Truncation
}

// TCR2Row is one row of TCR2's answer: an upstream account that received
// loan deposits.
type TCR2Row struct {
	// OtherID is the upstream account's id.
	OtherID int64
	// SumLoanAmount is the total amount of the distinct loans deposited.
	SumLoanAmount float64
	// SumLoanBalance is their total balance.
	SumLoanBalance float64
}

// TCR3Params are the parameters of TCR3.
type TCR3Params struct {
	// ID1 and ID2 are the source and destination accounts' ids.
	ID1, ID2 int64
	Window
}

// TCR3Result is TCR3's answer.
type TCR3Result struct {
	// ShortestPathLength is the number of transfers on a shortest path,
	// -1 when there is none.
	ShortestPathLength int64
}

// TCR4Params are the parameters of TCR4.
type TCR4Params struct {
	// ID1 and ID2 are the src and dst accounts' ids.
	ID1, ID2 int64
	Window
}

// TCR4Row is one row of TCR4's answer: an account closing a cycle
// src → dst → other → src.
type TCR4Row struct {
	// OtherID is the other account's id.
	OtherID int64
	// NumEdge2, SumEdge2Amount and MaxEdge2Amount summarise the transfers
	// other → src.
	NumEdge2       int64
	SumEdge2Amount float64
	MaxEdge2Amount float64
	// NumEdge3, SumEdge3Amount and MaxEdge3Amount summarise the transfers
	// dst → other.
	NumEdge3       int64
	SumEdge3Amount float64
	MaxEdge3Amount float64
}

// TCR5Params are the parameters of TCR5.
type TCR5Params struct {
	// ID is the person's id.
	ID int64
	Window
	Truncation
}

// TCR5Row is one row of TCR5's answer: a transfer trace.
type TCR5Row struct {
	// Path is the accounts' ids along the trace, the person's account first.
	Path []int64
}

// TCR6Params are the parameters of TCR6.
type TCR6Params struct {
	// ID is the card account's id.
	ID int64
	// Threshold1 is the amount a transfer into a mid account must exceed.
	Threshold1 float64
	// Threshold2 is the amount a withdrawal to the card must exceed.
	Threshold2 float64
	Window
	Truncation
}

// TCR6Row is one row of TCR6's answer: a mid account.
type TCR6Row struct {
	// MidID is the mid account's id.
	MidID int64
	// SumEdge1Amount is the total transferred into it.
	SumEdge1Amount float64
	// SumEdge2Amount is the total it withdrew to the card.
	SumEdge2Amount float64
}

// TCR7Params are the parameters of TCR7.
type TCR7Params struct {
	// ID is the (mid) account's id.
	ID int64
	// Threshold is the amount a transfer must exceed to count.
	Threshold float64
	Window
	Truncation
}

// TCR7Result is TCR7's answer.
type TCR7Result struct {
	// NumSrc is the number of distinct accounts transferring in.
	NumSrc int64
	// NumDst is the number of distinct accounts transferred to.
	NumDst int64
	// InOutRatio is the transferred-in amount over the transferred-out
	// amount, -1 without transfer-outs.
	InOutRatio float64
}

// TCR8Params are the parameters of TCR8.
type TCR8Params struct {
	// ID is the loan's id.
	ID int64
	// Threshold is the factor of the upstream edge's amount an edge's
	// amount must exceed.
	Threshold float64
	Window
	Truncation
}

// TCR8Row is one row of TCR8's answer: an account downstream of the loan.
type TCR8Row struct {
	// DstID is the account's id.
	DstID int64
	// Ratio is its inflow along the traces over the loan's amount.
	Ratio float64
	// MinDistanceFromLoan is the fewest edges from the loan to it.
	MinDistanceFromLoan int64
}

// TCR9Params are the parameters of TCR9.
type TCR9Params struct {
	// ID is the account's id.
	ID int64
	// Threshold is the amount an edge must exceed to count.
	Threshold float64
	Window
	Truncation
}

// TCR9Result is TCR9's answer.
type TCR9Result struct {
	// RatioRepay is deposits over repays, -1 without repays.
	RatioRepay float64
	// RatioDeposit is deposits over transfer-outs, -1 without transfer-outs.
	RatioDeposit float64
	// RatioTransfer is transfer-ins over transfer-outs, -1 without
	// transfer-outs.
	RatioTransfer float64
}

// TCR10Params are the parameters of TCR10.
type TCR10Params struct {
	// PID1 and PID2 are the persons' ids.
	PID1, PID2 int64
	Window
}

// TCR10Result is TCR10's answer.
type TCR10Result struct {
	// JaccardSimilarity is the Jaccard similarity of the sets of companies
	// the persons invested in, 0 when both are empty.
	JaccardSimilarity float64
}

// TCR11Params are the parameters of TCR11.
type TCR11Params struct {
	// ID is the person's id.
	ID int64
	Window
	Truncation
}

// TCR11Result is TCR11's answer.
type TCR11Result struct {
	// SumLoanAmount is the total amount of the distinct loans applied for
	// by the persons in the guarantee chain.
	SumLoanAmount float64
	// NumLoans is the number of those loans.
	NumLoans int64
}

// TCR12Params are the parameters of TCR12.
type TCR12Params struct {
	// ID is the person's id.
	ID int64
	Window
	Truncation
}

// TCR12Row is one row of TCR12's answer: a company's account the person's
// accounts transferred to.
type TCR12Row struct {
	// CompAccountID is the company account's id.
	CompAccountID int64
	// SumEdge2Amount is the total transferred to it.
	SumEdge2Amount float64
}

// TCR4Script is TCR4's Gremlin.
const TCR4Script = `g.V().has('Account','accountId',id1).as('src').` +
	`outE('transfer').` + win + `.inV().has('Account','accountId',id2).limit(1).as('dst').` +
	`outE('transfer').` + win + `.inV().dedup().` +
	`where(outE('transfer').` + win + `.inV().where(eq('src'))).` +
	`project('other','e2','e3').by('accountId').` +
	`by(` + "outE('transfer')." + win + `.where(inV().where(eq('src'))).values('amount').fold().project('n','sum','max').` +
	`by(count(local)).by(sum(local)).by(max(local))).` +
	`by(inE('transfer').` + win + `.where(outV().where(eq('dst'))).values('amount').fold().project('n','sum','max').` +
	`by(count(local)).by(sum(local)).by(max(local))).` +
	`order().by(select('e2').select('sum'),desc).by(select('e3').select('sum'),desc).by('other',asc)`

// TCR4 is FinBench's complex read 4, three accounts in a transfer cycle:
// when src transferred to dst in the window, every other account that
// received from dst and transferred to src in the window, with the count,
// sum and maximum of its transfers to src (edge2) and from dst (edge3), by
// sum of edge2 descending, sum of edge3 descending, then id. Its Result is
// a []TCR4Row (empty when src did not transfer to dst).
func TCR4(p TCR4Params) workload.Operation {
	return readOp("TCR4", fmt.Sprintf("accounts %d -> %d", p.ID1, p.ID2), p, TCR4Script,
		map[string]any{"id1": p.ID1, "id2": p.ID2, "s": p.Start, "e": p.End},
		func(res []any) (workload.Result, error) {
			return ordered(CompareTCR4, func(r TCR4Row) []float64 { return []float64{r.SumEdge2Amount, r.SumEdge3Amount} })(rows(res, func(f *fields) TCR4Row {
				e2, e3 := f.sub("e2"), f.sub("e3")
				r := TCR4Row{OtherID: f.int("other"),
					NumEdge2: e2.int("n"), SumEdge2Amount: e2.float("sum"), MaxEdge2Amount: e2.float("max"),
					NumEdge3: e3.int("n"), SumEdge3Amount: e3.float("sum"), MaxEdge3Amount: e3.float("max")}
				for _, x := range []*fields{e2, e3} {
					if x.err != nil && f.err == nil {
						f.err = x.err
					}
				}
				return r
			}))
		})
}

// TCR7Script is TCR7's Gremlin: the truncated transfer-ins and -outs in
// the window above the threshold, their distinct other ends and amounts.
const TCR7Script = `g.V().has('Account','accountId',vid).project('in','out').` +
	`by(` + "flatMap(inE('transfer')." + win + `.has('amount',gt(th)).` + order + `).fold().` +
	`project('n','sum').by(unfold().outV().dedup().count()).by(coalesce(unfold().values('amount').sum(),constant(0.0d)))).` +
	`by(` + "flatMap(outE('transfer')." + win + `.has('amount',gt(th)).` + order + `).fold().` +
	`project('n','sum').by(unfold().inV().dedup().count()).by(coalesce(unfold().values('amount').sum(),constant(0.0d))))`

// TCR7 is FinBench's complex read 7, transfer in/out ratio: the number of
// distinct accounts transferring into the account and of those it
// transferred to (transfers in the window above the threshold, truncated),
// and the ratio of the amounts in over out, -1 without transfers out. Its
// Result is a [TCR7Result]; the ratio is computed from the two sums.
func TCR7(p TCR7Params) workload.Operation {
	return readOp("TCR7", fmt.Sprintf("account %d", p.ID), p, TCR7Script,
		truncBindings(p.Truncation, map[string]any{"vid": p.ID, "th": p.Threshold, "s": p.Start, "e": p.End}),
		func(res []any) (workload.Result, error) {
			v, err := atMostOne(res)
			if err != nil || v == nil {
				return TCR7Result{InOutRatio: -1}, err
			}
			f := newFields(v)
			in, out := f.sub("in"), f.sub("out")
			nIn, sumIn, nOut, sumOut := in.int("n"), in.rawFloat("sum"), out.int("n"), out.rawFloat("sum")
			for _, x := range []*fields{f, in, out} {
				if x.err != nil {
					return nil, x.err
				}
			}
			r := TCR7Result{NumSrc: nIn, NumDst: nOut, InOutRatio: -1}
			if nOut > 0 {
				r.InOutRatio = Ratio(sumIn, sumOut)
			}
			return r, nil
		})
}

// TCR11Script is TCR11's Gremlin: the persons reached by 1 to 5
// guarantees (in the window, truncated), their distinct loans.
const TCR11Script = `g.V().has('Person','personId',vid).` +
	`repeat(flatMap(outE('guarantee').` + win + `.where(inV().hasLabel('Person')).` + order + `).inV()).` +
	`emit().times(5).dedup().out('apply').dedup().values('loanAmount').fold().` +
	`project('sum','n').by(coalesce(sum(local),constant(0.0d))).by(count(local))`

// TCR11 is FinBench's complex read 11, guarantee chain detection: the sum
// of the amounts and the number of the distinct loans applied for by the
// persons the given one reaches through 1 to 5 guarantees (Person to
// Person, in the window, truncated per person). Its Result is a
// [TCR11Result].
//
// Deviations: the chain is bounded at 5 guarantees, as in the reference
// implementations (the spec says "until end"); guarantees have no amount,
// so amount truncation orders sort by timestamp.
func TCR11(p TCR11Params) workload.Operation {
	return readOp("TCR11", fmt.Sprintf("person %d", p.ID), p, TCR11Script,
		truncBindings(p.Truncation.TimeOrdered(), map[string]any{"vid": p.ID, "s": p.Start, "e": p.End}),
		func(res []any) (workload.Result, error) {
			v, err := atMostOne(res)
			if err != nil || v == nil {
				return TCR11Result{}, err
			}
			f := newFields(v)
			r := TCR11Result{SumLoanAmount: f.float("sum"), NumLoans: f.int("n")}
			if f.err != nil {
				return nil, f.err
			}
			return r, nil
		})
}

// nsum is the Gremlin of the count and sum of the amounts of the edges
// before it.
const nsum = `values('amount').fold().project('n','sum').by(count(local)).by(coalesce(sum(local),constant(0.0d)))`

// order is the Gremlin sort of a truncation (bindings "tk" and "up").
const order = `order().by(tk,up?asc:desc).limit(lim)`

// TCR3Script is TCR3's Gremlin: a breadth-first search (aggregate is a
// barrier, so each level completes before the next) over the transfers in
// the window, each account visited once.
const TCR3Script = `g.withSack(0L).V().has('Account','accountId',id1).aggregate('seen').` +
	`repeat(outE('transfer').` + win + `.inV().dedup().where(without('seen')).aggregate('seen').sack(sum).by(constant(1L))).` +
	`until(has('accountId',id2)).limit(1).sack()`

// TCR3 is FinBench's complex read 3, shortest transfer path: the number of
// transfers (all in the window) on a shortest path from one account to
// another, -1 when there is none. Its Result is a [TCR3Result].
//
// Deviation: the path length is not bounded (the reference
// implementations stop at 16); from an account to itself it is -1.
func TCR3(p TCR3Params) workload.Operation {
	return readOp("TCR3", fmt.Sprintf("accounts %d -> %d", p.ID1, p.ID2), p, TCR3Script,
		map[string]any{"id1": p.ID1, "id2": p.ID2, "s": p.Start, "e": p.End},
		func(res []any) (workload.Result, error) {
			v, err := atMostOne(res)
			if err != nil || v == nil {
				return TCR3Result{ShortestPathLength: -1}, err
			}
			n, ok := client.AsInt64(v)
			if !ok {
				return nil, fmt.Errorf("answer is %T %v, want an integer", v, v)
			}
			return TCR3Result{ShortestPathLength: n}, nil
		})
}

// TCR6Script is TCR6's Gremlin.
const TCR6Script = `g.V().has('Account','accountId',vid).` +
	`flatMap(inE('withdraw').` + win + `.has('amount',gt(th2)).` + order + `).` +
	`group().by(outV()).by(values('amount').sum()).unfold().` +
	`project('mid','e1','sum2').by(select(keys).values('accountId')).` +
	`by(select(keys).flatMap(inE('transfer').` + win + `.has('amount',gt(th1)).` + order + `).values('amount').fold()).` +
	`by(select(values)).where(select('e1').count(local).is(gt(3))).` +
	`project('mid','sum1','sum2').by(select('mid')).by(select('e1').sum(local)).by(select('sum2')).` +
	`order().by('sum2',desc).by('mid',asc)`

// TCR6 is FinBench's complex read 6, withdrawal after many-to-one
// transfer: the accounts (mid) that withdrew to the given card (in the
// window, above threshold2) and received more than 3 transfers (in the
// window, above threshold1), with the sums of both, by withdrawn sum
// descending then id; both steps truncated per account. Its Result is a
// []TCR6Row.
func TCR6(p TCR6Params) workload.Operation {
	return readOp("TCR6", fmt.Sprintf("account %d", p.ID), p, TCR6Script,
		truncBindings(p.Truncation, map[string]any{"vid": p.ID, "th1": p.Threshold1, "th2": p.Threshold2, "s": p.Start, "e": p.End}),
		func(res []any) (workload.Result, error) {
			return ordered(CompareTCR6, func(r TCR6Row) []float64 { return []float64{r.SumEdge2Amount} })(rows(res, func(f *fields) TCR6Row {
				return TCR6Row{MidID: f.int("mid"), SumEdge1Amount: f.float("sum1"), SumEdge2Amount: f.float("sum2")}
			}))
		})
}

// TCR9Script is TCR9's Gremlin: counts and sums of the deposits, repays,
// and truncated transfers in and out (all in the window, above the
// threshold).
const TCR9Script = `g.V().has('Account','accountId',vid).project('dep','rep','in','out').` +
	`by(inE('deposit').` + win + `.has('amount',gt(th)).` + nsum + `).` +
	`by(outE('repay').` + win + `.has('amount',gt(th)).` + nsum + `).` +
	`by(flatMap(inE('transfer').` + win + `.has('amount',gt(th)).` + order + `).` + nsum + `).` +
	`by(flatMap(outE('transfer').` + win + `.has('amount',gt(th)).` + order + `).` + nsum + `)`

// TCR9 is FinBench's complex read 9, money laundering with loan involved:
// of an account's loan deposits (edge1), repays (edge2), transfers in
// (edge3) and out (edge4), all in the window and above the threshold
// (transfers truncated), the ratios edge1/edge2, edge1/edge4 and
// edge3/edge4 of their sums, -1 when the denominator has no edge. Its
// Result is a [TCR9Result]; the ratios are computed from the sums.
func TCR9(p TCR9Params) workload.Operation {
	return readOp("TCR9", fmt.Sprintf("account %d", p.ID), p, TCR9Script,
		truncBindings(p.Truncation, map[string]any{"vid": p.ID, "th": p.Threshold, "s": p.Start, "e": p.End}),
		func(res []any) (workload.Result, error) {
			v, err := atMostOne(res)
			if err != nil || v == nil {
				return TCR9Result{RatioRepay: -1, RatioDeposit: -1, RatioTransfer: -1}, err
			}
			f := newFields(v)
			var n [4]int64
			var sum [4]float64
			for i, k := range []string{"dep", "rep", "in", "out"} {
				s := f.sub(k)
				n[i], sum[i] = s.int("n"), s.rawFloat("sum")
				if s.err != nil {
					return nil, s.err
				}
			}
			return TCR9Ratios(n, sum), nil
		})
}

// TCR9Ratios computes TCR9's answer from the counts and sums of the
// deposits, repays, transfers in and transfers out (shared with the
// oracle: the arithmetic is not what it checks).
func TCR9Ratios(n [4]int64, sum [4]float64) TCR9Result {
	r := TCR9Result{RatioRepay: -1, RatioDeposit: -1, RatioTransfer: -1}
	if n[1] > 0 {
		r.RatioRepay = Ratio(sum[0], sum[1])
	}
	if n[3] > 0 {
		r.RatioDeposit = Ratio(sum[0], sum[3])
		r.RatioTransfer = Ratio(sum[2], sum[3])
	}
	return r
}

// TCR10Script is TCR10's Gremlin: the ids of the companies each person
// invested in within the window.
const TCR10Script = `g.inject(1).project('a','b').` +
	`by(V().has('Person','personId',p1).outE('invest').` + win + `.inV().hasLabel('Company').values('companyId').dedup().fold()).` +
	`by(V().has('Person','personId',p2).outE('invest').` + win + `.inV().hasLabel('Company').values('companyId').dedup().fold())`

// TCR10 is FinBench's complex read 10, similarity of investor
// relationship: the Jaccard similarity of the sets of companies two
// persons invested in within the window, 0 when both are empty. Its Result
// is a [TCR10Result]; the similarity is computed from the two sets.
func TCR10(p TCR10Params) workload.Operation {
	return readOp("TCR10", fmt.Sprintf("persons %d, %d", p.PID1, p.PID2), p, TCR10Script,
		map[string]any{"p1": p.PID1, "p2": p.PID2, "s": p.Start, "e": p.End},
		func(res []any) (workload.Result, error) {
			v, err := atMostOne(res)
			if err != nil {
				return nil, err
			}
			f := newFields(v)
			var sets [2][]int64
			for i, k := range []string{"a", "b"} {
				x, ok := f.get(k)
				if !ok {
					return nil, f.err
				}
				l, ok := x.([]any)
				if !ok {
					return nil, fmt.Errorf("answer %q is %T, want a list", k, x)
				}
				if sets[i], err = client.Result(l).Int64s(); err != nil {
					return nil, fmt.Errorf("answer %q: %w", k, err)
				}
			}
			return TCR10Result{JaccardSimilarity: Jaccard(sets[0], sets[1])}, nil
		})
}

// Jaccard returns the Jaccard similarity of two sets of ids (each without
// duplicates), rounded to 3 decimals, 0 when both are empty.
func Jaccard(a, b []int64) float64 {
	in := map[int64]bool{}
	for _, x := range a {
		in[x] = true
	}
	common := 0
	for _, x := range b {
		if in[x] {
			common++
		}
	}
	union := len(a) + len(b) - common
	if union == 0 {
		return 0
	}
	return Round3(float64(common) / float64(union))
}

// TCR12Script is TCR12's Gremlin.
const TCR12Script = `g.V().has('Person','personId',vid).out('own').` +
	`flatMap(outE('transfer').` + win + `.` + order + `).where(inV().in('own').hasLabel('Company')).` +
	`group().by(inV().values('accountId')).by(values('amount').sum()).unfold().` +
	`project('acc','sum').by(keys).by(values).order().by('sum',desc).by('acc',asc)`

// TCR12 is FinBench's complex read 12, transfer to company amount
// statistics: the company-owned accounts the person's accounts
// transferred to in the window (truncated per account), with the sum
// transferred to each, by sum descending then id. Its Result is a
// []TCR12Row.
func TCR12(p TCR12Params) workload.Operation {
	return readOp("TCR12", fmt.Sprintf("person %d", p.ID), p, TCR12Script,
		truncBindings(p.Truncation, map[string]any{"vid": p.ID, "s": p.Start, "e": p.End}),
		func(res []any) (workload.Result, error) {
			return ordered(CompareTCR12, func(r TCR12Row) []float64 { return []float64{r.SumEdge2Amount} })(rows(res, func(f *fields) TCR12Row {
				return TCR12Row{CompAccountID: f.int("acc"), SumEdge2Amount: f.float("sum")}
			}))
		})
}

// TCR1Script is TCR1's Gremlin: walks of 1 to 3 transfers with
// increasing timestamps (the sack starts at the window's start), the
// distinct (account, path length) pairs, and the blocked media that signed
// in to the account in the window.
const TCR1Script = `g.withSack(s).V().has('Account','accountId',vid).` +
	`repeat(flatMap(outE('transfer').` + win + `.` + order + `).` +
	`filter{ it.get().value('timestamp') > it.sack() }.sack(assign).by('timestamp').inV()).` +
	`emit().times(3).as('o').map(path().count(local)).as('n').dedup('o','n').select('o').` +
	`inE('signIn').` + win + `.outV().has('isBlocked',true).` +
	`project('other','n','mid','mtype').by(select('o').values('accountId')).by(select('n')).by('mediumId').by('type').` +
	`dedup().order().by('n').by('other').by('mid')`

// TCR1 is FinBench's complex read 1, blocked medium related accounts: the
// accounts reached from the given one by 1 to 3 transfers (in the window,
// timestamps strictly increasing along the path, truncated per account and
// step) that a blocked medium signed in to in the window, with the
// distance and the medium, one row per distinct (account, distance,
// medium), by distance, account id, medium id. An account reached at
// several distances has a row for each (as the spec notes). Its Result is
// a []TCR1Row.
func TCR1(p TCR1Params) workload.Operation {
	return readOp("TCR1", fmt.Sprintf("account %d", p.ID), p, TCR1Script,
		truncBindings(p.Truncation, map[string]any{"vid": p.ID, "s": p.Start, "e": p.End}),
		func(res []any) (workload.Result, error) {
			return rows(res, func(f *fields) TCR1Row {
				// n counts the path's objects: the start, then an edge and
				// an account per transfer.
				return TCR1Row{OtherID: f.int("other"), AccountDistance: (f.int("n") - 1) / 2,
					MediumID: f.int("mid"), MediumType: f.str("mtype")}
			})
		})
}

// TCR2Script is TCR2's Gremlin: from the person's accounts, walks of 1 to
// 3 transfers upstream (timestamps decreasing backwards: the sack starts at
// the window's end), the distinct accounts reached, and the distinct loans
// deposited to them in the window.
const TCR2Script = `g.withSack(e).V().has('Person','personId',vid).out('own').` +
	`repeat(flatMap(inE('transfer').` + win + `.` + order + `).` +
	`filter{ it.get().value('timestamp') < it.sack() }.sack(assign).by('timestamp').outV()).` +
	`emit().times(3).dedup().` +
	`project('other','loans').by('accountId').by(inE('deposit').` + win + `.outV().dedup().project('a','b').by('loanAmount').by('balance').fold()).` +
	`where(select('loans').count(local).is(gt(0))).` +
	`project('other','amt','bal').by(select('other')).by(select('loans').unfold().select('a').sum()).` +
	`by(select('loans').unfold().select('b').sum()).order().by('amt',desc).by('other',asc)`

// TCR2 is FinBench's complex read 2, fund gathered from the accounts
// applying loans: the accounts from which money reached one of the
// person's accounts through 1 to 3 transfers (in the window, timestamps
// strictly increasing downstream, truncated per account and step) and
// that received loan deposits in the window, with the sums of the amounts
// and balances of those distinct loans, by amount descending then id. Its
// Result is a []TCR2Row.
//
// Deviation: sums are over distinct loans (the reference Cypher's
// sum(DISTINCT loan.loanAmount) sums distinct values, so two loans of the
// same amount count once).
func TCR2(p TCR2Params) workload.Operation {
	return readOp("TCR2", fmt.Sprintf("person %d", p.ID), p, TCR2Script,
		truncBindings(p.Truncation, map[string]any{"vid": p.ID, "s": p.Start, "e": p.End}),
		func(res []any) (workload.Result, error) {
			return ordered(CompareTCR2, func(r TCR2Row) []float64 { return []float64{r.SumLoanAmount} })(rows(res, func(f *fields) TCR2Row {
				return TCR2Row{OtherID: f.int("other"), SumLoanAmount: f.float("amt"), SumLoanBalance: f.float("bal")}
			}))
		})
}

// TCR5Script is TCR5's Gremlin: from the person's accounts, paths of 1 to
// 3 transfers (in the window, timestamps strictly increasing, truncated,
// no account twice), as account ids, distinct, longest first.
const TCR5Script = `g.withSack(s).V().has('Person','personId',vid).out('own').as('src').` +
	`repeat(flatMap(outE('transfer').` + win + `.` + order + `).` +
	`filter{ it.get().value('timestamp') > it.sack() }.sack(assign).by('timestamp').inV().simplePath()).` +
	`emit().times(3).path().from('src').map(unfold().hasLabel('Account').values('accountId').fold()).` +
	`dedup().order().by(count(local),desc)`

// TCR5 is FinBench's complex read 5, exact account transfer trace: the
// distinct transfer traces of 1 to 3 transfers from the person's accounts
// (in the window, timestamps strictly increasing, truncated per account
// and step, no account twice), longest first. Its Result is a []TCR5Row;
// traces of one length are sorted by their ids (the spec orders by length
// only and lets the driver sort the rest, which the decoder does).
func TCR5(p TCR5Params) workload.Operation {
	return readOp("TCR5", fmt.Sprintf("person %d", p.ID), p, TCR5Script,
		truncBindings(p.Truncation, map[string]any{"vid": p.ID, "s": p.Start, "e": p.End}),
		func(res []any) (workload.Result, error) {
			out := make([]TCR5Row, 0, len(res))
			for i, v := range res {
				l, ok := v.([]any)
				if !ok {
					return nil, fmt.Errorf("row %d is %T, want a list of ids", i, v)
				}
				ids, err := client.Result(l).Int64s()
				if err != nil {
					return nil, fmt.Errorf("row %d: %w", i, err)
				}
				if i > 0 && len(ids) > len(out[i-1].Path) {
					return nil, fmt.Errorf("row %d: a trace of %d accounts after one of %d: not longest first", i, len(ids), len(out[i-1].Path))
				}
				out = append(out, TCR5Row{Path: ids})
			}
			SortTCR5(out)
			return out, nil
		})
}

// SortTCR5 sorts TCR5 rows as the driver does before validation: longest
// first, then by ids.
func SortTCR5(rows []TCR5Row) {
	slices.SortStableFunc(rows, func(a, b TCR5Row) int {
		return cmp.Or(cmp.Compare(len(b.Path), len(a.Path)), slices.Compare(a.Path, b.Path))
	})
}

// TCR8Script is TCR8's Gremlin: the loan's amount, and per account
// reached from the accounts it deposited to (in the window) by 1 to 3
// transfers or withdrawals (in the window, truncated, each amount above
// threshold × the previous one, no account twice): the sum of the
// distinct last edges' amounts and the shortest path's object count.
const TCR8Script = `g.withSack(-1.0d).V().has('Loan','loanId',vid).project('amt','rows').by('loanAmount').` +
	`by(outE('deposit').` + win + `.inV().dedup().` +
	`repeat(flatMap(outE('transfer','withdraw').` + win + `.` + order + `).` +
	`filter{ def p = it.sack(); p < 0 || it.get().value('amount') > p * th }.sack(assign).by('amount').as('last').inV().simplePath()).` +
	`emit().times(3).project('dst','e','n').by('accountId').by(select(last,'last')).by(path().count(local)).` +
	`group().by(select('dst')).by(fold().project('sum','n').by(unfold().select('e').dedup().values('amount').sum()).by(unfold().select('n').min())).` +
	`unfold().project('dst','sum','n').by(keys).by(select(values).select('sum')).by(select(values).select('n')).fold())`

// TCR8 is FinBench's complex read 8, transfer trace after loan applied:
// the accounts reached from the accounts the loan deposited to (in the
// window) by 1 to 3 transfers or withdrawals (in the window, truncated per
// account and step over both labels together, each edge's amount above
// threshold × the previous edge's, no account twice on a path), with the
// inflow over the loan's amount (the distinct last edges of the paths
// reaching the account) and the fewest edges from the loan (the deposit
// counts), by distance descending, ratio descending, id. Its Result is a
// []TCR8Row; the ratios are computed, and the rows sorted, from the
// server's sums.
//
// Deviations: as in the reference implementations, each edge is compared
// with the previous edge's amount and the first edge with nothing (the
// spec's note speaks of the source account's total inflow); paths do not
// revisit an account (the reference only forbids reusing an edge).
func TCR8(p TCR8Params) workload.Operation {
	return readOp("TCR8", fmt.Sprintf("loan %d", p.ID), p, TCR8Script,
		truncBindings(p.Truncation, map[string]any{"vid": p.ID, "th": p.Threshold, "s": p.Start, "e": p.End}),
		func(res []any) (workload.Result, error) {
			v, err := atMostOne(res)
			if err != nil || v == nil {
				return []TCR8Row{}, err
			}
			f := newFields(v)
			amt := f.rawFloat("amt")
			x, _ := f.get("rows")
			if f.err != nil {
				return nil, f.err
			}
			l, ok := x.([]any)
			if !ok {
				return nil, fmt.Errorf("answer \"rows\" is %T, want a list", x)
			}
			out, err := rows(l, func(f *fields) TCR8Row {
				return TCR8Row{DstID: f.int("dst"), Ratio: Round3(f.rawFloat("sum") / amt), MinDistanceFromLoan: (f.int("n") - 1) / 2}
			})
			if err != nil {
				return nil, err
			}
			SortTCR8(out)
			return out, nil
		})
}

// SortTCR8 sorts TCR8 rows as the spec says: distance descending, ratio
// descending, id.
func SortTCR8(rows []TCR8Row) {
	slices.SortFunc(rows, func(a, b TCR8Row) int {
		return cmp.Or(cmp.Compare(b.MinDistanceFromLoan, a.MinDistanceFromLoan), cmp.Compare(b.Ratio, a.Ratio), cmp.Compare(a.DstID, b.DstID))
	})
}
