package finbench

import (
	"context"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/internal/testenv"
)

// BenchmarkWritesOnServer measures, side by side on the test server, the
// latency of a plain write (TW12, TW18) and of the read-writes on their
// commit path (TRW1–TRW3 between fresh vertices: the detection finds
// nothing), i.e. the cost of running the detection read inside the
// write's transaction:
//
//	GRAPHPERF_HOSTS=127.0.0.1:8182 go test -run '^$' -bench WritesOnServer ./bench/workload/finbench/
func BenchmarkWritesOnServer(b *testing.B) {
	hosts := testenv.RequireServer(b)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	c, err := client.New(ctx, client.Config{Hosts: hosts})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if _, err := schema.Apply(ctx, c, banking.Schema(), schema.Options{}); err != nil {
		b.Fatal(err)
	}
	ex := workload.ClientExecutor{Client: c}
	next := int64(1<<53) + time.Now().UnixNano()%1_000_000_000*1000
	id := func() int64 { next++; return next }
	run := func(op workload.Operation) {
		if _, err := op.Do(ctx, ex); err != nil {
			b.Fatal(err)
		}
	}
	owner := id()
	run(TW1(TW1Params{ID: owner}))
	account := func() int64 {
		a := id()
		run(TW4(TW4Params{PersonID: owner, Account: banking.AccountV{ID: a}}))
		return a
	}
	person := func() int64 {
		p := id()
		run(TW1(TW1Params{ID: p}))
		return p
	}
	win := Window{Start: 0, End: 1 << 50}
	for _, bc := range []struct {
		name string
		op   func(src, dst int64, i int) workload.Operation
		vtx  func() int64
	}{
		{"TW12", func(s, d int64, i int) workload.Operation {
			return TW12(Transfer{From: s, To: d, Time: int64(i), Amount: 1})
		}, account},
		{"TW18", func(s, _ int64, _ int) workload.Operation { return TW18(TW18Params{AccountID: s}) }, account},
		{"TRW1", func(s, d int64, i int) workload.Operation {
			return TRW1(TRW1Params{Transfer: Transfer{From: s, To: d, Time: int64(i), Amount: 1}, Window: win})
		}, account},
		{"TRW2", func(s, d int64, i int) workload.Operation {
			return TRW2(TRW2Params{Transfer: Transfer{From: s, To: d, Time: int64(i), Amount: 1}, RatioThreshold: 1e9, Window: win})
		}, account},
		{"TRW3", func(s, d int64, i int) workload.Operation {
			return TRW3(TRW3Params{Guarantee: TW10Params{PersonID1: s, PersonID2: d, Time: int64(i)}, Threshold: 1e18, Window: win})
		}, person},
	} {
		b.Run(bc.name, func(b *testing.B) {
			src, dst := bc.vtx(), bc.vtx()
			i := 0
			for b.Loop() {
				i++
				run(bc.op(src, dst, i))
			}
		})
	}
}
