package oracle_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench"
	"github.com/graphperf/graphperf/bench/workload/finbench/oracle"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/internal/testenv"
)

// writeWorld runs operations on the shared test server and applies them
// to a model, with business ids of its own (far above the generator's), so
// that it meets no other data on the server.
type writeWorld struct {
	t    *testing.T
	ctx  context.Context
	ex   workload.ClientExecutor
	g    *oracle.Graph
	base int64
}

func newWriteWorld(t *testing.T) *writeWorld {
	t.Helper()
	hosts := testenv.RequireServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	c, err := client.New(ctx, client.Config{Hosts: hosts})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := schema.Apply(ctx, c, banking.Schema(), schema.Options{}); err != nil {
		t.Fatal(err)
	}
	return &writeWorld{t: t, ctx: ctx, ex: workload.ClientExecutor{Client: c}, g: oracle.New(),
		base: 1<<52 + time.Now().UnixNano()%1_000_000_000*1000}
}

// write runs op on the server and checks its result against the model
// (which it updates).
func (w *writeWorld) write(op workload.Operation) workload.Result {
	w.t.Helper()
	res, err := op.Do(w.ctx, w.ex)
	if err != nil {
		w.t.Fatalf("%s %+v: %v", op.Type, op.Params, err)
	}
	if err := w.g.CheckApply(op, res); err != nil {
		w.t.Errorf("%v", err)
	}
	return res
}

// check runs a read on the server and checks it against the model.
func (w *writeWorld) check(op workload.Operation) {
	w.t.Helper()
	res, err := op.Do(w.ctx, w.ex)
	if err != nil {
		w.t.Fatalf("%s %+v: %v", op.Type, op.Params, err)
	}
	if err := w.g.Check(op, res); err != nil {
		w.t.Errorf("%v", err)
	}
}

// TestApplyOnServer runs a deterministic mix of every write on the real
// server and on the model, then checks the server's answers to reads of
// every account touched against the model: the model applies writes as
// the server does. A write applied to the model only is then caught.
func TestApplyOnServer(t *testing.T) {
	w := newWriteWorld(t)
	r := rand.New(rand.NewPCG(12, 1))
	id := func(i int) int64 { return w.base + int64(i) }
	persons, companies, media := []int64{id(1), id(2), id(3)}, []int64{id(4), id(5)}, []int64{id(6), id(7)}
	for i, p := range persons {
		w.write(finbench.TW1(finbench.TW1Params{ID: p, Name: "p", CreateTime: int64(i)}))
	}
	for _, c := range companies {
		w.write(finbench.TW2(finbench.TW2Params{ID: c, Name: "c"}))
	}
	for i, m := range media {
		w.write(finbench.TW3(finbench.TW3Params{ID: m, Type: "IP", IsBlocked: i == 0}))
	}
	var accounts []int64
	for i := range 8 {
		a := banking.AccountV{ID: id(10 + i), CreateTime: int64(i), IsBlocked: i == 7, Type: "card"}
		if i%3 == 2 {
			w.write(finbench.TW5(finbench.TW5Params{CompanyID: companies[i%2], Account: a, Time: int64(i)}))
		} else {
			w.write(finbench.TW4(finbench.TW4Params{PersonID: persons[i%3], Account: a, Time: int64(i)}))
		}
		accounts = append(accounts, a.ID)
	}
	loans := []int64{id(20), id(21), id(22)}
	w.write(finbench.TW6(finbench.TW6Params{PersonID: persons[0], Loan: banking.LoanV{ID: loans[0], LoanAmount: 100}, Time: 1}))
	w.write(finbench.TW6(finbench.TW6Params{PersonID: persons[1], Loan: banking.LoanV{ID: loans[1], LoanAmount: 200}, Time: 2}))
	w.write(finbench.TW7(finbench.TW7Params{CompanyID: companies[0], Loan: banking.LoanV{ID: loans[2], LoanAmount: 300}, Time: 3}))
	pick := func(s []int64) int64 { return s[r.IntN(len(s))] }
	amount := func() float64 { return float64(r.IntN(100000)) / 100 }
	for i := range 60 {
		ts := int64(r.IntN(1200))
		switch i % 6 {
		case 0, 1, 2:
			w.write(finbench.TW12(finbench.Transfer{From: pick(accounts), To: pick(accounts), Time: ts, Amount: amount(), OrderNumber: int64(i)}))
		case 3:
			w.write(finbench.TW13(finbench.TW13Params{From: pick(accounts), To: pick(accounts), Time: ts, Amount: amount()}))
		case 4:
			w.write(finbench.TW14(finbench.TW14Params{AccountID: pick(accounts), LoanID: pick(loans), Time: ts, Amount: amount()}))
			w.write(finbench.TW15(finbench.TW15Params{LoanID: pick(loans), AccountID: pick(accounts), Time: ts, Amount: amount()}))
		case 5:
			w.write(finbench.TW16(finbench.TW16Params{MediumID: pick(media), AccountID: pick(accounts), Time: ts}))
			w.write(finbench.TW8(finbench.TW8Params{PersonID: pick(persons), CompanyID: pick(companies), Time: ts, Ratio: 0.5}))
			w.write(finbench.TW9(finbench.TW9Params{CompanyID1: companies[0], CompanyID2: companies[1], Time: ts, Ratio: 0.5}))
			w.write(finbench.TW10(finbench.TW10Params{PersonID1: pick(persons), PersonID2: pick(persons), Time: ts}))
			w.write(finbench.TW11(finbench.TW11Params{CompanyID1: companies[1], CompanyID2: companies[0], Time: ts}))
		}
	}
	w.write(finbench.TW18(finbench.TW18Params{AccountID: accounts[2]}))
	w.write(finbench.TW19(finbench.TW19Params{PersonID: persons[2]}))
	// Remove an account with its loans (the TW17 answer is checked too).
	w.write(finbench.TW17(finbench.TW17Params{AccountID: accounts[0]}))

	// Read-writes: random pairs and thresholds; server and model must
	// agree on every outcome (CheckApply), and all three outcomes occur.
	win := finbench.Window{Start: 0, End: 1000}
	outcomes := map[string]map[finbench.TRWOutcome]int{}
	for i := range 30 {
		var op workload.Operation
		tr := finbench.Transfer{From: pick(accounts[1:]), To: pick(accounts[1:]), Time: int64(r.IntN(1000)), Amount: amount(), OrderNumber: int64(1000 + i)}
		switch i % 3 {
		case 0:
			op = finbench.TRW1(finbench.TRW1Params{Transfer: tr, Window: win})
		case 1:
			op = finbench.TRW2(finbench.TRW2Params{Transfer: tr, AmountThreshold: 50, RatioThreshold: []float64{1, 2, 5, 10}[r.IntN(4)],
				Window: win, Truncation: finbench.Truncation{Limit: 1 + r.IntN(5), Order: finbench.TruncationOrder(r.IntN(4))}})
		case 2:
			op = finbench.TRW3(finbench.TRW3Params{Guarantee: finbench.TW10Params{PersonID1: pick(persons), PersonID2: pick(persons), Time: int64(r.IntN(1000))},
				Threshold: []float64{150, 350, 1000, 1e9}[r.IntN(4)], Window: win, Truncation: finbench.Truncation{Order: finbench.TruncationOrder(r.IntN(4))}})
		}
		res := w.write(op)
		if outcomes[op.Type] == nil {
			outcomes[op.Type] = map[finbench.TRWOutcome]int{}
		}
		outcomes[op.Type][res.(finbench.TRWOutcome)]++
	}
	t.Logf("TRW outcomes: %v", outcomes)
	for _, o := range []finbench.TRWOutcome{finbench.TRWCommitted, finbench.TRWAborted, finbench.TRWRefused} {
		if outcomes["TRW1"][o]+outcomes["TRW2"][o]+outcomes["TRW3"][o] == 0 {
			t.Errorf("no TRW %v: the test does not cover it", o)
		}
	}

	for _, a := range accounts {
		w.check(finbench.TCR7(finbench.TCR7Params{ID: a, Threshold: 50, Window: win}))
		for _, b := range accounts {
			w.check(finbench.TCR4(finbench.TCR4Params{ID1: a, ID2: b, Window: win}))
		}
	}
	for _, p := range persons {
		w.check(finbench.TCR11(finbench.TCR11Params{ID: p, Window: win}))
	}
	for _, a := range accounts {
		w.check(finbench.TSR1(a))
		w.check(finbench.TSR2(finbench.TSR2Params{ID: a, Window: win}))
		w.check(finbench.TSR3(finbench.TSR3Params{ID: a, Threshold: 100, Window: win}))
		w.check(finbench.TSR4(finbench.TSR4Params{ID: a, Threshold: 100, Window: win}))
		w.check(finbench.TSR5(finbench.TSR5Params{ID: a, Threshold: 100, Window: win}))
		w.check(finbench.TSR6(finbench.TSR6Params{ID: a, Window: win}))
	}

	// A write the server never saw makes the model disagree.
	if err := w.g.Apply(finbench.TW12(finbench.Transfer{From: accounts[1], To: accounts[2], Time: 500, Amount: 1})); err != nil {
		t.Fatal(err)
	}
	op := finbench.TSR2(finbench.TSR2Params{ID: accounts[1], Window: win})
	res, err := op.Do(w.ctx, w.ex)
	if err != nil {
		t.Fatal(err)
	}
	var m *oracle.MismatchError
	if err := w.g.Check(op, res); !errors.As(err, &m) {
		t.Errorf("a model with a transfer the server lacks: %v, want a mismatch", err)
	}
}
