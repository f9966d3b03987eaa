package finbench_test

import (
	"fmt"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload/finbench"
)

// ExampleUpdateOps turns update-stream elements (here a transfer and a
// guarantee, as banking batches) into FinBench writes; workload.Run would
// execute them through a workload.ClientExecutor.
func ExampleUpdateOps() {
	stream := []*banking.Batch{
		{Label: banking.Transfer, Transfers: []banking.TransferE{{
			Ends:      banking.Ends{FromLabel: banking.Account, ToLabel: banking.Account, From: 30000000001, To: 30000000002},
			Timestamp: 1700000000000, Amount: 250.5, OrderNumber: 7, PayType: "wire"}}},
		{Label: banking.Guarantee, Notes: []banking.NoteE{{
			Ends:      banking.Ends{FromLabel: banking.Company, ToLabel: banking.Company, From: 20000000001, To: 20000000002},
			Timestamp: 1700000001000, Note: "business"}}},
		{Label: banking.Own},
	}
	for _, b := range stream {
		ops, err := finbench.UpdateOps(b)
		if err != nil {
			fmt.Println(err)
			continue
		}
		for _, op := range ops {
			fmt.Printf("%s (%s) %+v\n", op.Type, op.Kind, op.Params)
		}
	}
	// Output:
	// TW12 (write) {From:30000000001 To:30000000002 Time:1700000000000 Amount:250.5 OrderNumber:7 PayType:wire}
	// TW11 (write) {CompanyID1:20000000001 CompanyID2:20000000002 Time:1700000001000 Relationship:business}
	// no FinBench write adds this element: own (TW4/TW5 add an Account together with its own edge)
}
