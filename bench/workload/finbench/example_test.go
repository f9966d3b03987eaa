package finbench_test

import (
	"fmt"
	"time"

	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench"
)

// Example builds the schedule of a FinBench-style run: transfers (TW12)
// replayed at their data timestamps × TCR, with a TSR1 every 2 updates.
// workload.Run with a workload.ClientExecutor would then execute it on a
// server.
func Example() {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var updates []workload.Update
	for i := range 4 {
		tr := finbench.Transfer{From: 1, To: 2, Time: base.Add(time.Duration(i) * time.Minute).UnixMilli(),
			Amount: 100.5, OrderNumber: int64(i), PayType: "wire"}
		updates = append(updates, workload.Update{Time: time.UnixMilli(tr.Time), Op: finbench.TW12(tr)})
	}
	reads := map[string]workload.ReadSource{"TSR1": func(i int) workload.Operation { return finbench.TSR1(int64(1 + i%2)) }}
	// TCR 0.001: a data minute is replayed in 60 ms.
	s, err := workload.Build(updates, reads, workload.ScheduleConfig{TCR: 0.001, Frequencies: map[string]int{"TSR1": 2}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, it := range s {
		fmt.Printf("%6v %s (%s)\n", it.At, it.Op.Type, it.Op.Kind)
	}
	// Output:
	//     0s TW12 (write)
	//   30ms TSR1 (read)
	//   60ms TW12 (write)
	//  120ms TW12 (write)
	//  150ms TSR1 (read)
	//  180ms TW12 (write)
}
