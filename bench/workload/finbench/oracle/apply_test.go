package oracle_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench"
	"github.com/graphperf/graphperf/bench/workload/finbench/oracle"
)

func mustApply(t *testing.T, g *oracle.Graph, ops ...workload.Operation) {
	t.Helper()
	for _, op := range ops {
		if err := g.Apply(op); err != nil {
			t.Fatalf("%s %+v: %v", op.Type, op.Params, err)
		}
	}
}

// edgesBetween returns the edges of label l from → to.
func edgesBetween(g *oracle.Graph, l banking.Label, from, to oracle.Ref) []oracle.Edge {
	var out []oracle.Edge
	for _, e := range g.Out(l, from) {
		if e.To == to {
			out = append(out, *e)
		}
	}
	return out
}

func TestApplyWrites(t *testing.T) {
	g := oracle.New()
	P := func(id int64) oracle.Ref { return oracle.Ref{Label: banking.Person, ID: id} }
	C := func(id int64) oracle.Ref { return oracle.Ref{Label: banking.Company, ID: id} }
	A := func(id int64) oracle.Ref { return oracle.Ref{Label: banking.Account, ID: id} }
	L := func(id int64) oracle.Ref { return oracle.Ref{Label: banking.Loan, ID: id} }
	M := func(id int64) oracle.Ref { return oracle.Ref{Label: banking.Medium, ID: id} }
	person := finbench.TW1Params{ID: 1, Name: "Ada", CreateTime: 5, City: "London"}
	mustApply(t, g,
		finbench.TW1(person), finbench.TW1(finbench.TW1Params{ID: 2}),
		finbench.TW2(finbench.TW2Params{ID: 10, Name: "Acme"}), finbench.TW2(finbench.TW2Params{ID: 11}),
		finbench.TW3(finbench.TW3Params{ID: 20, Type: "POS", IsBlocked: true}),
		finbench.TW4(finbench.TW4Params{PersonID: 1, Account: banking.AccountV{ID: 30, Type: "card"}, Time: 31}),
		finbench.TW5(finbench.TW5Params{CompanyID: 10, Account: banking.AccountV{ID: 32}, Time: 33}),
		finbench.TW4(finbench.TW4Params{PersonID: 2, Account: banking.AccountV{ID: 34}, Time: 35}),
		finbench.TW6(finbench.TW6Params{PersonID: 1, Loan: banking.LoanV{ID: 40, LoanAmount: 100}, Time: 41, Organization: "bank"}),
		finbench.TW7(finbench.TW7Params{CompanyID: 10, Loan: banking.LoanV{ID: 42, LoanAmount: 200}, Time: 43, Organization: "fund"}),
	)
	if got := g.Person(1); got == nil || *got != banking.PersonV(person) {
		t.Errorf("person 1: %+v", got)
	}
	if g.Company(10) == nil || g.Medium(20) == nil || !g.Medium(20).IsBlocked || g.Account(30).Type != "card" || g.Loan(42).LoanAmount != 200 {
		t.Error("vertices missing or wrong")
	}
	if got := edgesBetween(g, banking.Own, P(1), A(30)); len(got) != 1 || got[0].Timestamp != 31 {
		t.Errorf("own 1 -> 30: %+v", got)
	}
	if got := edgesBetween(g, banking.Apply, C(10), L(42)); len(got) != 1 || got[0].Timestamp != 43 || got[0].Note != "fund" {
		t.Errorf("apply 10 -> 42: %+v", got)
	}

	// Preconditions: nothing changes when they fail.
	for _, tc := range []struct {
		op workload.Operation
		is error
	}{
		{finbench.TW1(finbench.TW1Params{ID: 1, Name: "dup"}), finbench.ErrExists},
		{finbench.TW4(finbench.TW4Params{PersonID: 99, Account: banking.AccountV{ID: 98}}), finbench.ErrNotFound},
		{finbench.TW5(finbench.TW5Params{CompanyID: 11, Account: banking.AccountV{ID: 30}}), finbench.ErrExists},
		{finbench.TW6(finbench.TW6Params{PersonID: 99, Loan: banking.LoanV{ID: 97}}), finbench.ErrNotFound},
		{finbench.TW12(finbench.Transfer{From: 30, To: 96}), finbench.ErrNoAccount},
		{finbench.TW14(finbench.TW14Params{AccountID: 30, LoanID: 95}), finbench.ErrNotFound},
		{finbench.TW18(finbench.TW18Params{AccountID: 94}), finbench.ErrNoAccount},
		{finbench.TW19(finbench.TW19Params{PersonID: 93}), finbench.ErrNotFound},
		{finbench.TW17(finbench.TW17Params{AccountID: 92}), finbench.ErrNoAccount},
		{finbench.TSR1(30), oracle.ErrNoOracle},
	} {
		if err := g.Apply(tc.op); !errors.Is(err, tc.is) {
			t.Errorf("%s %+v: %v, want %v", tc.op.Type, tc.op.Params, err, tc.is)
		}
	}
	if g.Person(1).Name != "Ada" || g.Account(98) != nil || g.Loan(97) != nil || len(g.Out(banking.Transfer, A(30))) != 0 ||
		len(g.Out(banking.Own, C(11))) != 0 {
		t.Error("a failed write changed the model")
	}

	// Edges.
	mustApply(t, g,
		finbench.TW8(finbench.TW8Params{PersonID: 1, CompanyID: 10, Time: 50, Ratio: 0.5}),
		finbench.TW9(finbench.TW9Params{CompanyID1: 11, CompanyID2: 10, Time: 51, Ratio: 0.25}),
		finbench.TW10(finbench.TW10Params{PersonID1: 1, PersonID2: 2, Time: 52, Relationship: "family"}),
		finbench.TW11(finbench.TW11Params{CompanyID1: 10, CompanyID2: 11, Time: 53, Relationship: "business"}),
		finbench.TW12(finbench.Transfer{From: 30, To: 32, Time: 54, Amount: 1.5, OrderNumber: 7, PayType: "wire"}),
		finbench.TW12(finbench.Transfer{From: 34, To: 30, Time: 55, Amount: 2.5}),
		finbench.TW13(finbench.TW13Params{From: 30, To: 34, Time: 56, Amount: 3.5}),
		finbench.TW14(finbench.TW14Params{AccountID: 30, LoanID: 40, Time: 57, Amount: 4.5}),
		finbench.TW15(finbench.TW15Params{LoanID: 42, AccountID: 30, Time: 58, Amount: 5.5}),
		finbench.TW15(finbench.TW15Params{LoanID: 42, AccountID: 32, Time: 59, Amount: 6.5}),
		finbench.TW16(finbench.TW16Params{MediumID: 20, AccountID: 30, Time: 60, Location: "Paris"}),
		finbench.TW12(finbench.Transfer{From: 30, To: 30, Time: 61, Amount: 7.5}), // a loop, for TW17
	)
	for _, tc := range []struct {
		l        banking.Label
		from, to oracle.Ref
		want     oracle.Edge
	}{
		{banking.Invest, P(1), C(10), oracle.Edge{Label: banking.Invest, From: P(1), To: C(10), Timestamp: 50, Ratio: 0.5}},
		{banking.Invest, C(11), C(10), oracle.Edge{Label: banking.Invest, From: C(11), To: C(10), Timestamp: 51, Ratio: 0.25}},
		{banking.Guarantee, P(1), P(2), oracle.Edge{Label: banking.Guarantee, From: P(1), To: P(2), Timestamp: 52, Note: "family"}},
		{banking.Guarantee, C(10), C(11), oracle.Edge{Label: banking.Guarantee, From: C(10), To: C(11), Timestamp: 53, Note: "business"}},
		{banking.Transfer, A(30), A(32), oracle.Edge{Label: banking.Transfer, From: A(30), To: A(32), Timestamp: 54, Amount: 1.5, OrderNumber: 7, PayType: "wire"}},
		{banking.Withdraw, A(30), A(34), oracle.Edge{Label: banking.Withdraw, From: A(30), To: A(34), Timestamp: 56, Amount: 3.5}},
		{banking.Repay, A(30), L(40), oracle.Edge{Label: banking.Repay, From: A(30), To: L(40), Timestamp: 57, Amount: 4.5}},
		{banking.Deposit, L(42), A(30), oracle.Edge{Label: banking.Deposit, From: L(42), To: A(30), Timestamp: 58, Amount: 5.5}},
		{banking.SignIn, M(20), A(30), oracle.Edge{Label: banking.SignIn, From: M(20), To: A(30), Timestamp: 60, Note: "Paris"}},
	} {
		if got := edgesBetween(g, tc.l, tc.from, tc.to); !reflect.DeepEqual(got, []oracle.Edge{tc.want}) {
			t.Errorf("%s %v -> %v: %+v, want %+v", tc.l, tc.from, tc.to, got, tc.want)
		}
	}

	// Blocks.
	mustApply(t, g, finbench.TW18(finbench.TW18Params{AccountID: 32}), finbench.TW19(finbench.TW19Params{PersonID: 2}))
	if !g.Account(32).IsBlocked || !g.Person(2).IsBlocked || g.Account(30).IsBlocked || g.Person(1).IsBlocked {
		t.Error("blocks wrong")
	}

	// TW17 removes account 30 with every edge and loans 40 (repaid) and 42
	// (deposited), which takes 42's deposit to 32 and apply edge along.
	rm := finbench.TW17(finbench.TW17Params{AccountID: 30})
	if err := g.CheckApply(rm, finbench.TW17Result{Loans: 2}); err != nil {
		t.Fatal(err)
	}
	if g.Account(30) != nil || g.Loan(40) != nil || g.Loan(42) != nil || g.Account(32) == nil || g.Account(34) == nil {
		t.Error("TW17 removed the wrong vertices")
	}
	for _, es := range [][]*oracle.Edge{g.Out(banking.Own, P(1)), g.Out(banking.Apply, P(1)), g.Out(banking.Apply, C(10)),
		g.In(banking.Transfer, A(32)), g.Out(banking.Transfer, A(34)), g.In(banking.Withdraw, A(34)),
		g.In(banking.Deposit, A(32)), g.Out(banking.SignIn, M(20))} {
		if len(es) != 0 {
			t.Errorf("edges left after TW17: %+v", es[0])
		}
	}
	if len(g.Out(banking.Own, C(10))) != 1 || len(g.Out(banking.Guarantee, P(1))) != 1 {
		t.Error("TW17 removed unrelated edges")
	}
}

// TestCheckApply: a write result that disagrees with the model is a
// mismatch, and so is a write the model cannot apply.
func TestCheckApply(t *testing.T) {
	g := oracle.New()
	mustApply(t, g, finbench.TW1(finbench.TW1Params{ID: 1}),
		finbench.TW4(finbench.TW4Params{PersonID: 1, Account: banking.AccountV{ID: 2}}))
	var m *oracle.MismatchError
	if err := g.CheckApply(finbench.TW17(finbench.TW17Params{AccountID: 2}), finbench.TW17Result{Loans: 1}); !errors.As(err, &m) {
		t.Errorf("TW17 answering 1 loan for none: %v, want a mismatch", err)
	}
	if err := g.CheckApply(finbench.TW18(finbench.TW18Params{AccountID: 2}), nil); !errors.As(err, &m) {
		t.Errorf("TW18 of an account the model lacks: %v, want a mismatch", err)
	}
	if err := g.CheckApply(finbench.TW19(finbench.TW19Params{PersonID: 1}), nil); err != nil {
		t.Error(err)
	}
}

// TestApplyTRW: a read-write commits its edge, aborts (no edge, both ends
// blocked) when its detection fires on the graph with the edge, and is
// refused (nothing) when an end is blocked; a server outcome that differs
// is a mismatch.
func TestApplyTRW(t *testing.T) {
	g := oracle.New()
	A := func(id int64) oracle.Ref { return oracle.Ref{Label: banking.Account, ID: id} }
	mustApply(t, g, finbench.TW1(finbench.TW1Params{ID: 1}))
	for _, a := range []int64{10, 11, 12, 13} {
		mustApply(t, g, finbench.TW4(finbench.TW4Params{PersonID: 1, Account: banking.AccountV{ID: a}}))
	}
	win := finbench.Window{Start: 0, End: 100}
	mustApply(t, g, finbench.TW12(finbench.Transfer{From: 11, To: 12, Time: 5, Amount: 1}),
		finbench.TW12(finbench.Transfer{From: 12, To: 10, Time: 6, Amount: 1}))
	// 10 -> 13: no cycle through 13.
	trw := func(from, to int64) workload.Operation {
		return finbench.TRW1(finbench.TRW1Params{Transfer: finbench.Transfer{From: from, To: to, Time: 7, Amount: 2}, Window: win})
	}
	var m *oracle.MismatchError
	if err := g.CheckApply(trw(10, 13), finbench.TRWAborted); !errors.As(err, &m) {
		t.Errorf("server aborted where the model commits: %v, want a mismatch", err)
	}
	if len(g.Out(banking.Transfer, A(10))) != 1 {
		t.Error("committed TRW1 did not add its transfer")
	}
	// 10 -> 11 closes 10 -> 11 -> 12 -> 10.
	if err := g.CheckApply(trw(10, 11), finbench.TRWAborted); err != nil {
		t.Fatal(err)
	}
	if len(edgesBetween(g, banking.Transfer, A(10), A(11))) != 0 || !g.Account(10).IsBlocked || !g.Account(11).IsBlocked || g.Account(12).IsBlocked {
		t.Error("aborted TRW1: transfer kept or wrong blocks")
	}
	// 10 is blocked now: refused.
	n := len(g.Out(banking.Transfer, A(13)))
	if err := g.CheckApply(trw(13, 10), finbench.TRWRefused); err != nil {
		t.Fatal(err)
	}
	if len(g.Out(banking.Transfer, A(13))) != n || g.Account(13).IsBlocked {
		t.Error("refused TRW1 changed the model")
	}
	// TRW3: the chain 2 -> 3 carries 3's loan of 500.
	mustApply(t, g, finbench.TW1(finbench.TW1Params{ID: 2}), finbench.TW1(finbench.TW1Params{ID: 3}),
		finbench.TW10(finbench.TW10Params{PersonID1: 2, PersonID2: 3, Time: 1}),
		finbench.TW6(finbench.TW6Params{PersonID: 3, Loan: banking.LoanV{ID: 50, LoanAmount: 500}}))
	g3 := func(th float64) workload.Operation {
		return finbench.TRW3(finbench.TRW3Params{Guarantee: finbench.TW10Params{PersonID1: 1, PersonID2: 2, Time: 2}, Threshold: th, Window: win})
	}
	if err := g.CheckApply(g3(500), finbench.TRWCommitted); err != nil {
		t.Error(err)
	}
	if err := g.CheckApply(g3(499.99), finbench.TRWAborted); err != nil {
		t.Error(err)
	}
	if len(g.Out(banking.Guarantee, oracle.Ref{Label: banking.Person, ID: 1})) != 1 || !g.Person(1).IsBlocked || !g.Person(2).IsBlocked {
		t.Error("TRW3: wrong guarantees or blocks")
	}
	if err := g.Apply(finbench.TRW2(finbench.TRW2Params{Transfer: finbench.Transfer{From: 13, To: 99}})); !errors.Is(err, finbench.ErrNoAccount) {
		t.Errorf("TRW2 to a missing account: %v", err)
	}
}

// TestApplyOutcome: the model follows the server's TRW outcomes without
// re-deciding them, and refuses outcomes its state contradicts.
func TestApplyOutcome(t *testing.T) {
	g := oracle.New()
	mustApply(t, g, finbench.TW1(finbench.TW1Params{ID: 1}))
	for _, a := range []int64{10, 11, 12} {
		mustApply(t, g, finbench.TW4(finbench.TW4Params{PersonID: 1, Account: banking.AccountV{ID: a}}))
	}
	A := func(id int64) oracle.Ref { return oracle.Ref{Label: banking.Account, ID: id} }
	trw := func(from, to int64) workload.Operation {
		return finbench.TRW2(finbench.TRW2Params{Transfer: finbench.Transfer{From: from, To: to, Time: 1, Amount: 1}})
	}
	// Committed on the server (whatever the model would decide): the edge.
	if err := g.ApplyOutcome(trw(10, 11), finbench.TRWCommitted); err != nil || len(g.Out(banking.Transfer, A(10))) != 1 {
		t.Fatalf("committed: %v, %d transfers", err, len(g.Out(banking.Transfer, A(10))))
	}
	if err := g.ApplyOutcome(trw(10, 11), finbench.TRWRefused); err == nil {
		t.Error("a refusal with both ends unblocked was followed")
	}
	if err := g.ApplyOutcome(trw(11, 12), finbench.TRWAborted); err != nil || !g.Account(11).IsBlocked || !g.Account(12).IsBlocked ||
		len(g.Out(banking.Transfer, A(11))) != 0 {
		t.Fatalf("aborted: %v", err)
	}
	if err := g.ApplyOutcome(trw(10, 12), finbench.TRWCommitted); err == nil {
		t.Error("a commit from a blocked end was followed")
	}
	if err := g.ApplyOutcome(trw(10, 12), finbench.TRWRefused); err != nil || len(g.Out(banking.Transfer, A(10))) != 1 {
		t.Errorf("refused: %v", err)
	}
	if err := g.ApplyOutcome(trw(10, 12), "committed"); err == nil {
		t.Error("a result that is no outcome was followed")
	}
	if err := g.ApplyOutcome(finbench.TW18(finbench.TW18Params{AccountID: 10}), nil); err != nil || !g.Account(10).IsBlocked {
		t.Errorf("a write: %v", err)
	}
}
