package workload_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/graphperf/graphperf/bench/workload"
)

// echo is an Executor that answers every request with its bindings.
type echo struct{}

func (echo) Submit(_ context.Context, req workload.Request) ([]any, error) {
	return []any{req.Bindings}, nil
}

// Example runs a small schedule on a virtual clock, so that its output is
// deterministic: ten transfers a simulated second apart (data time) replayed
// at TCR 0.1, a read every 2 updates, on one client; the fifth transfer
// stalls for 1.5 s, which delays the operations behind it.
func Example() {
	clk := workload.NewVirtualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	transfer := func(i int) workload.Operation {
		return workload.Operation{Type: "TW12", Kind: workload.Write,
			Do: func(ctx context.Context, ex workload.Executor) (workload.Result, error) {
				service := 5 * time.Millisecond
				if i == 4 {
					service = 1500 * time.Millisecond
				}
				clk.Advance(service) // simulated service time
				return ex.Submit(ctx, workload.Request{Script: "g.addE('transfer')", Bindings: map[string]any{"n": i}})
			}}
	}
	var updates []workload.Update
	for i := range 10 {
		updates = append(updates, workload.Update{Time: time.UnixMilli(int64(i) * 1000), Op: transfer(i)})
	}
	reads := map[string]workload.ReadSource{"TSR1": func(i int) workload.Operation {
		return workload.Operation{Type: "TSR1", Do: func(ctx context.Context, ex workload.Executor) (workload.Result, error) {
			clk.Advance(time.Millisecond)
			return ex.Submit(ctx, workload.Request{Script: "g.V()", Bindings: map[string]any{"aid": int64(i)}, Idempotent: true})
		}}
	}}
	s, err := workload.Build(updates, reads, workload.ScheduleConfig{TCR: 0.1, Frequencies: map[string]int{"TSR1": 2}})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := workload.Run(context.Background(), workload.Config{Clients: 1, Clock: clk}, s, echo{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d operations over %v\n", len(s), s.Duration())
	_ = r.WriteText(os.Stdout)
	// Output:
	// 15 operations over 900ms
	//   type   kind  count  errors  ops/s      min       mean     p50     p90     p95     p99   p99.9     max     stddev
	//   TSR1   read      5       0    2.6      1ms  757.524ms  1.073s  1.451s  1.451s  1.451s  1.451s  1.451s  629.144ms
	//   TW12  write     10       0    5.2  4.997ms  760.408ms  1.028s  1.406s  1.501s  1.501s  1.501s  1.501s  629.307ms
	//    ALL            15       0    7.8      1ms  759.447ms  1.073s  1.451s  1.451s  1.501s  1.501s  1.501s  629.254ms
	// FAILED SCHEDULE AUDIT: 46.66% of 15 operations started within 1s of schedule (required 95.00%; p99 lateness 1.45s, max 1.45s)
}
