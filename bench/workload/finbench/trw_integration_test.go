package finbench

import (
	"context"
	"errors"
	"testing"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/graph/client"
)

// trwWorld is a small graph written through the writes, for the TRW tests.
type trwWorld struct {
	ctx  context.Context
	t    *testing.T
	ex   workload.ClientExecutor
	c    *client.Client
	base int64
	next int64
}

func newTRWWorld(t *testing.T) *trwWorld {
	ctx, ex, c, base := serverGraph(t)
	return &trwWorld{ctx: ctx, t: t, ex: ex, c: c, base: base}
}

func (w *trwWorld) id() int64 { w.next++; return w.base + w.next }

// account adds a fresh account owned by a fresh person.
func (w *trwWorld) account(blocked bool) int64 {
	p, a := w.id(), w.id()
	do(w.ctx, w.t, w.ex, TW1(TW1Params{ID: p, Name: "p"}))
	do(w.ctx, w.t, w.ex, TW4(TW4Params{PersonID: p, Account: banking.AccountV{ID: a, IsBlocked: blocked, Type: "card"}}))
	return a
}

func (w *trwWorld) person(blocked bool) int64 {
	p := w.id()
	do(w.ctx, w.t, w.ex, TW1(TW1Params{ID: p, Name: "p", IsBlocked: blocked}))
	return p
}

func (w *trwWorld) transfer(from, to, ts int64, amt float64) {
	do(w.ctx, w.t, w.ex, TW12(Transfer{From: from, To: to, Time: ts, Amount: amt, OrderNumber: w.id(), PayType: "wire"}))
}

// transfers counts the transfer edges out of the accounts.
func (w *trwWorld) transfers(ids ...int64) int64 {
	return count(w.ctx, w.t, w.c, `g.V().has('Account','accountId',within(ids)).outE('transfer').count()`, map[string]any{"ids": ids})
}

func (w *trwWorld) guarantees(ids ...int64) int64 {
	return count(w.ctx, w.t, w.c, `g.V().has('Person','personId',within(ids)).outE('guarantee').count()`, map[string]any{"ids": ids})
}

// blocked lists which of the vertices are blocked.
func (w *trwWorld) blocked(label, key string, ids ...int64) []bool {
	var out []bool
	for _, id := range ids {
		out = append(out, props(w.ctx, w.t, w.c, label, key, id)["isBlocked"] == true)
	}
	return out
}

func (w *trwWorld) run(op workload.Operation, want TRWOutcome) {
	w.t.Helper()
	res, err := op.Do(w.ctx, w.ex)
	if err != nil {
		w.t.Fatalf("%s: %v", op.Type, err)
	}
	if res != want {
		w.t.Errorf("%s %+v: %v, want %v", op.Type, op.Params, res, want)
	}
}

func eqBools(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestTRW1OnServer: a transfer that closes a cycle in the window is
// rolled back (no edge at all) and blocks src and dst; one that does not
// is written exactly once; a blocked account refuses it.
func TestTRW1OnServer(t *testing.T) {
	w := newTRWWorld(t)
	win := Window{Start: 0, End: 1000}
	a, b, c := w.account(false), w.account(false), w.account(false)
	w.transfer(b, c, 110, 5) // dst -> other
	w.transfer(c, a, 100, 7) // other -> src
	before := w.transfers(a, b, c)
	w.run(TRW1(TRW1Params{Transfer: Transfer{From: a, To: b, Time: 120, Amount: 9, OrderNumber: w.id(), PayType: "wire"}, Window: win}), TRWAborted)
	if after := w.transfers(a, b, c); after != before {
		t.Errorf("aborted TRW1 left %d transfers, want %d", after, before)
	}
	if got := w.blocked("Account", "accountId", a, b, c); !eqBools(got, []bool{true, true, false}) {
		t.Errorf("after the abort, blocked %v, want src and dst only", got)
	}

	// The same shape with the cycle's edges outside the window commits.
	d, e, f := w.account(false), w.account(false), w.account(false)
	w.transfer(e, f, 2000, 5)
	w.transfer(f, d, 100, 7)
	before = w.transfers(d, e, f)
	w.run(TRW1(TRW1Params{Transfer: Transfer{From: d, To: e, Time: 120, Amount: 9.25, OrderNumber: 4242, PayType: "ach"}, Window: win}), TRWCommitted)
	if after := w.transfers(d, e, f); after != before+1 {
		t.Errorf("committed TRW1: %d transfers, want %d", after, before+1)
	}
	if got := edgeProps(w.ctx, t, w.c, vref{banking.Account, d}, vref{banking.Account, e}, "transfer"); len(got) != 1 ||
		got[0]["amount"] != 9.25 || got[0]["orderNumber"] != int64(4242) || got[0]["timestamp"] != int64(120) || got[0]["payType"] != "ach" {
		t.Errorf("committed transfer: %v", got)
	}
	if got := w.blocked("Account", "accountId", d, e, f); !eqBools(got, []bool{false, false, false}) {
		t.Errorf("after a commit, blocked %v, want none", got)
	}

	// A blocked dst refuses: nothing written, src not blocked.
	g := w.account(true)
	before = w.transfers(d, g)
	w.run(TRW1(TRW1Params{Transfer: Transfer{From: d, To: g, Time: 130, Amount: 1}, Window: win}), TRWRefused)
	if after := w.transfers(d, g); after != before {
		t.Errorf("refused TRW1: %d transfers, want %d", after, before)
	}
	if got := w.blocked("Account", "accountId", d); got[0] {
		t.Error("refused TRW1 blocked src")
	}
	// A missing account: ErrNoAccount, nothing written.
	if _, err := TRW1(TRW1Params{Transfer: Transfer{From: d, To: w.id()}, Window: win}).Do(w.ctx, w.ex); !errors.Is(err, ErrNoAccount) {
		t.Errorf("TRW1 to a missing account: %v", err)
	}
	if after := w.transfers(d); after != 1 {
		t.Errorf("%d transfers out of d, want 1", after)
	}
}

// TestTRW2OnServer: the in/out ratio of src or dst above the threshold
// aborts (rolled back, both blocked); below it commits.
func TestTRW2OnServer(t *testing.T) {
	w := newTRWWorld(t)
	win := Window{Start: 0, End: 1000}
	src, dst, in := w.account(false), w.account(false), w.account(false)
	w.transfer(in, src, 100, 100)  // src's transfer-in
	w.transfer(in, src, 101, 0.5)  // below the amount threshold
	w.transfer(in, src, 5000, 900) // outside the window
	p := TRW2Params{Transfer: Transfer{From: src, To: dst, Time: 200, Amount: 10, OrderNumber: w.id()},
		AmountThreshold: 1, RatioThreshold: 20, Window: win}
	// src: in 100 / out 10 = 10 <= 20, dst: no transfer-out, -1: commit.
	before := w.transfers(src, dst, in)
	w.run(TRW2(p), TRWCommitted)
	if after := w.transfers(src, dst, in); after != before+1 {
		t.Errorf("committed TRW2: %d transfers, want %d", after, before+1)
	}
	// src now: in 100 / out 10+10 = 5 > 4: abort.
	p.RatioThreshold = 4
	p.Transfer.OrderNumber = w.id()
	before = w.transfers(src, dst, in)
	w.run(TRW2(p), TRWAborted)
	if after := w.transfers(src, dst, in); after != before {
		t.Errorf("aborted TRW2 left %d transfers, want %d", after, before)
	}
	if got := w.blocked("Account", "accountId", src, dst, in); !eqBools(got, []bool{true, true, false}) {
		t.Errorf("after the abort, blocked %v, want src and dst", got)
	}
	// Both now blocked: refused, nothing written.
	w.run(TRW2(p), TRWRefused)
	if after := w.transfers(src, dst, in); after != before {
		t.Errorf("refused TRW2: %d transfers, want %d", after, before)
	}
}

// TestTRW3OnServer: a guarantee whose chain's loans exceed the threshold
// aborts (rolled back, both persons blocked); below it commits.
func TestTRW3OnServer(t *testing.T) {
	w := newTRWWorld(t)
	win := Window{Start: 0, End: 1000}
	s, d, u, x := w.person(false), w.person(false), w.person(false), w.person(false)
	do(w.ctx, t, w.ex, TW10(TW10Params{PersonID1: d, PersonID2: u, Time: 100}))
	do(w.ctx, t, w.ex, TW10(TW10Params{PersonID1: u, PersonID2: x, Time: 5000})) // outside the window
	do(w.ctx, t, w.ex, TW6(TW6Params{PersonID: u, Loan: banking.LoanV{ID: w.id(), LoanAmount: 1000}, Time: 1}))
	do(w.ctx, t, w.ex, TW6(TW6Params{PersonID: d, Loan: banking.LoanV{ID: w.id(), LoanAmount: 250.5}, Time: 1}))
	do(w.ctx, t, w.ex, TW6(TW6Params{PersonID: x, Loan: banking.LoanV{ID: w.id(), LoanAmount: 1e6}, Time: 1}))
	// Chain from s: d, u (x's guarantee is outside the window): 1250.5.
	p := TRW3Params{Guarantee: TW10Params{PersonID1: s, PersonID2: d, Time: 200, Relationship: "friend"}, Threshold: 1250.5, Window: win}
	before := w.guarantees(s, d, u, x)
	w.run(TRW3(p), TRWCommitted)
	if after := w.guarantees(s, d, u, x); after != before+1 {
		t.Errorf("committed TRW3: %d guarantees, want %d", after, before+1)
	}
	p.Threshold = 1250.49
	before = w.guarantees(s, d, u, x)
	w.run(TRW3(p), TRWAborted)
	if after := w.guarantees(s, d, u, x); after != before {
		t.Errorf("aborted TRW3 left %d guarantees, want %d", after, before)
	}
	if got := w.blocked("Person", "personId", s, d, u, x); !eqBools(got, []bool{true, true, false, false}) {
		t.Errorf("after the abort, blocked %v, want src and dst", got)
	}
	if _, err := TRW3(TRW3Params{Guarantee: TW10Params{PersonID1: w.id(), PersonID2: u}}).Do(w.ctx, w.ex); !errors.Is(err, ErrNotFound) {
		t.Errorf("TRW3 from a missing person: %v", err)
	}
}
