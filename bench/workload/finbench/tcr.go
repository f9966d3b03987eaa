package finbench

import (
	"fmt"

	"github.com/graphperf/graphperf/bench/workload"
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
			return rows(res, func(f *fields) TCR4Row {
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
			})
		})
}

// TCR7Script is TCR7's Gremlin: the truncated transfer-ins and -outs in
// the window above the threshold, their distinct other ends and amounts.
const TCR7Script = `g.V().has('Account','accountId',vid).project('in','out').` +
	`by(` + "local(inE('transfer')." + win + `.has('amount',gt(th)).order().by(tk,up?asc:desc).limit(lim)).fold().` +
	`project('n','sum').by(unfold().outV().dedup().count()).by(coalesce(unfold().values('amount').sum(),constant(0.0d)))).` +
	`by(` + "local(outE('transfer')." + win + `.has('amount',gt(th)).order().by(tk,up?asc:desc).limit(lim)).fold().` +
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
	`repeat(local(outE('guarantee').` + win + `.where(inV().hasLabel('Person')).order().by(tk,up?asc:desc).limit(lim)).inV()).` +
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
