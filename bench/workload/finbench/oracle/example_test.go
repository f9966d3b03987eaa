package oracle_test

import (
	"fmt"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload/finbench"
	"github.com/graphperf/graphperf/bench/workload/finbench/oracle"
)

// Example builds a model of three accounts in a transfer cycle, asks it
// TCR4's answer, and checks a server's (here: made-up) answers with it.
func Example() {
	g := oracle.New()
	g.Add(&banking.Batch{Label: banking.Account, Accounts: []banking.AccountV{{ID: 1}, {ID: 2}, {ID: 3}}})
	var transfers []banking.TransferE
	for i, hop := range [][2]int64{{1, 2}, {2, 3}, {3, 1}} {
		transfers = append(transfers, banking.TransferE{
			Ends:      banking.Ends{FromLabel: banking.Account, ToLabel: banking.Account, From: hop[0], To: hop[1]},
			Timestamp: int64(1000 * (i + 1)), Amount: float64(100 * (i + 1))})
	}
	g.Add(&banking.Batch{Label: banking.Transfer, Transfers: transfers})

	op := finbench.TCR4(finbench.TCR4Params{ID1: 1, ID2: 2, Window: finbench.Window{Start: 0, End: 10_000}})
	want := g.TCR4(op.Params.(finbench.TCR4Params))
	fmt.Printf("%+v\n", want)
	fmt.Println(g.Check(op, want))
	fmt.Println(g.Check(op, []finbench.TCR4Row{}))
	// Output:
	// [{OtherID:3 NumEdge2:1 SumEdge2Amount:300 MaxEdge2Amount:300 NumEdge3:1 SumEdge3Amount:200 MaxEdge3Amount:200}]
	// <nil>
	// TCR4 {ID1:1 ID2:2 Window:{Start:0 End:10000}}: wrong answer: 0 items, want 1; the first missing: {OtherID:3 NumEdge2:1 SumEdge2Amount:300 MaxEdge2Amount:300 NumEdge3:1 SumEdge3Amount:200 MaxEdge3Amount:200}
}
