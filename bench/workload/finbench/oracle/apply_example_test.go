package oracle_test

import (
	"fmt"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench"
	"github.com/graphperf/graphperf/bench/workload/finbench/oracle"
)

// ExampleGraph_ApplyResult replays writes on the model and shows what
// TRW1 (transfer under transfer-cycle detection) does: a transfer that
// closes a cycle in the window is aborted and blocks both accounts; the
// next one from a blocked account is refused.
func ExampleGraph_ApplyResult() {
	g := oracle.New()
	ops := []workload.Operation{
		finbench.TW1(finbench.TW1Params{ID: 1, Name: "Ada"}),
		finbench.TW4(finbench.TW4Params{PersonID: 1, Account: banking.AccountV{ID: 10}}),
		finbench.TW4(finbench.TW4Params{PersonID: 1, Account: banking.AccountV{ID: 11}}),
		finbench.TW4(finbench.TW4Params{PersonID: 1, Account: banking.AccountV{ID: 12}}),
		finbench.TW12(finbench.Transfer{From: 11, To: 12, Time: 5, Amount: 100}),
		finbench.TW12(finbench.Transfer{From: 12, To: 10, Time: 6, Amount: 90}),
		finbench.TRW1(finbench.TRW1Params{Transfer: finbench.Transfer{From: 10, To: 11, Time: 7, Amount: 80},
			Window: finbench.Window{Start: 0, End: 100}}),
		finbench.TRW1(finbench.TRW1Params{Transfer: finbench.Transfer{From: 10, To: 12, Time: 8, Amount: 70},
			Window: finbench.Window{Start: 0, End: 100}}),
	}
	for _, op := range ops {
		res, err := g.ApplyResult(op)
		if err != nil {
			fmt.Println(err)
			return
		}
		if res != nil {
			fmt.Println(op.Type, res)
		}
	}
	fmt.Println("account 10 blocked:", g.Account(10).IsBlocked, "- transfers out of 10:", len(g.Out(banking.Transfer, oracle.Ref{Label: banking.Account, ID: 10})))
	// Output:
	// TRW1 aborted
	// TRW1 refused
	// account 10 blocked: true - transfers out of 10: 0
}
