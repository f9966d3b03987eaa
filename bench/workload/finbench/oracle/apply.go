package oracle

import (
	"fmt"
	"reflect"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench"
)

// Apply applies the effect of a write (TW1–TW19) or read-write
// (TRW1–TRW3) operation to the model, as the server does: a write whose
// vertex is missing (an error matching finbench.ErrNotFound) or whose new
// id is taken (finbench.ErrExists) changes nothing, like the server's; a
// read-write decides commit, refusal or abort from the model's answer to
// its detection read. An operation that is not a write fails with
// ErrNoOracle.
func (g *Graph) Apply(op workload.Operation) error {
	_, err := g.ApplyResult(op)
	return err
}

// CheckApply applies op like [Graph.Apply] and compares res, the result
// the server answered for it, with the model's: nil when they agree, a
// *[MismatchError] when not (a TRW that committed on the server and
// aborted in the model, a TW17 that removed another number of loans, a
// write that succeeded on the server and fails on the model).
func (g *Graph) CheckApply(op workload.Operation, res workload.Result) error {
	want, err := g.ApplyResult(op)
	if err != nil {
		return &MismatchError{Type: op.Type, Params: op.Params, Got: res, Want: nil,
			Detail: fmt.Sprintf("the server wrote, the model fails: %v", err)}
	}
	if res == nil && want == nil {
		return nil
	}
	if d := diff(reflect.ValueOf(res), reflect.ValueOf(want), ""); d != "" {
		return &MismatchError{Type: op.Type, Params: op.Params, Got: res, Want: want, Detail: d}
	}
	return nil
}

// ApplyResult applies op like [Graph.Apply] and returns the result the
// server answers for it: nil for most writes, a finbench.TW17Result for
// TW17, a finbench.TRWOutcome for TRW1–TRW3.
func (g *Graph) ApplyResult(op workload.Operation) (workload.Result, error) {
	res, err := g.apply(op.Params)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op.Type, err)
	}
	return res, nil
}

func ref(l banking.Label, id int64) Ref { return Ref{l, id} }

// has reports whether the vertex exists.
func (g *Graph) has(r Ref) bool {
	switch r.Label {
	case banking.Person:
		return g.persons[r.ID] != nil
	case banking.Company:
		return g.companies[r.ID] != nil
	case banking.Account:
		return g.accounts[r.ID] != nil
	case banking.Loan:
		return g.loans[r.ID] != nil
	case banking.Medium:
		return g.media[r.ID] != nil
	case banking.Address:
		return g.addresses[r.ID] != nil
	}
	return false
}

// need fails with a *finbench.NotFoundError for the first missing vertex.
func (g *Graph) need(rs ...Ref) error {
	for _, r := range rs {
		if !g.has(r) {
			return &finbench.NotFoundError{Label: r.Label, ID: r.ID}
		}
	}
	return nil
}

// fresh fails with finbench.ErrExists when r exists.
func (g *Graph) fresh(r Ref) error {
	if g.has(r) {
		return fmt.Errorf("%s %d: %w", r.Label, r.ID, finbench.ErrExists)
	}
	return nil
}

// addEdge adds e after checking its endpoints.
func (g *Graph) addEdge(e *Edge) error {
	if err := g.need(e.From, e.To); err != nil {
		return err
	}
	g.AddEdge(e)
	return nil
}

func (g *Graph) apply(params any) (workload.Result, error) {
	switch p := params.(type) {
	case finbench.TW1Params:
		if err := g.fresh(ref(banking.Person, p.ID)); err != nil {
			return nil, err
		}
		g.PutPerson(banking.PersonV(p))
	case finbench.TW2Params:
		if err := g.fresh(ref(banking.Company, p.ID)); err != nil {
			return nil, err
		}
		g.PutCompany(banking.CompanyV(p))
	case finbench.TW3Params:
		if err := g.fresh(ref(banking.Medium, p.ID)); err != nil {
			return nil, err
		}
		g.PutMedium(banking.MediumV(p))
	case finbench.TW4Params:
		return nil, g.addAccount(ref(banking.Person, p.PersonID), p.Account, p.Time)
	case finbench.TW5Params:
		return nil, g.addAccount(ref(banking.Company, p.CompanyID), p.Account, p.Time)
	case finbench.TW6Params:
		return nil, g.addLoan(ref(banking.Person, p.PersonID), p.Loan, p.Time, p.Organization)
	case finbench.TW7Params:
		return nil, g.addLoan(ref(banking.Company, p.CompanyID), p.Loan, p.Time, p.Organization)
	case finbench.TW8Params:
		return nil, g.addEdge(&Edge{Label: banking.Invest, From: ref(banking.Person, p.PersonID), To: ref(banking.Company, p.CompanyID),
			Timestamp: p.Time, Ratio: p.Ratio})
	case finbench.TW9Params:
		return nil, g.addEdge(&Edge{Label: banking.Invest, From: ref(banking.Company, p.CompanyID1), To: ref(banking.Company, p.CompanyID2),
			Timestamp: p.Time, Ratio: p.Ratio})
	case finbench.TW10Params:
		return nil, g.addEdge(guarantee(p))
	case finbench.TW11Params:
		return nil, g.addEdge(&Edge{Label: banking.Guarantee, From: ref(banking.Company, p.CompanyID1), To: ref(banking.Company, p.CompanyID2),
			Timestamp: p.Time, Note: p.Relationship})
	case finbench.Transfer:
		return nil, g.addEdge(transfer(p))
	case finbench.TW13Params:
		return nil, g.addEdge(&Edge{Label: banking.Withdraw, From: acc(p.From), To: acc(p.To), Timestamp: p.Time, Amount: p.Amount})
	case finbench.TW14Params:
		return nil, g.addEdge(&Edge{Label: banking.Repay, From: acc(p.AccountID), To: ref(banking.Loan, p.LoanID), Timestamp: p.Time, Amount: p.Amount})
	case finbench.TW15Params:
		return nil, g.addEdge(&Edge{Label: banking.Deposit, From: ref(banking.Loan, p.LoanID), To: acc(p.AccountID), Timestamp: p.Time, Amount: p.Amount})
	case finbench.TW16Params:
		return nil, g.addEdge(&Edge{Label: banking.SignIn, From: ref(banking.Medium, p.MediumID), To: acc(p.AccountID), Timestamp: p.Time, Note: p.Location})
	case finbench.TW17Params:
		return g.removeAccount(p.AccountID)
	case finbench.TW18Params:
		if err := g.need(acc(p.AccountID)); err != nil {
			return nil, err
		}
		g.block(acc(p.AccountID))
	case finbench.TW19Params:
		if err := g.need(ref(banking.Person, p.PersonID)); err != nil {
			return nil, err
		}
		g.block(ref(banking.Person, p.PersonID))
	case finbench.TRW1Params:
		return g.readWrite(transfer(p.Transfer), func() bool { return len(g.TCR4(p.Detection())) > 0 })
	case finbench.TRW2Params:
		return g.readWrite(transfer(p.Transfer), func() bool {
			src, dst := p.Detection()
			return g.TCR7(src).InOutRatio > p.RatioThreshold || g.TCR7(dst).InOutRatio > p.RatioThreshold
		})
	case finbench.TRW3Params:
		return g.readWrite(guarantee(p.Guarantee), func() bool { return g.TCR11(p.Detection()).SumLoanAmount > p.Threshold })
	default:
		return nil, fmt.Errorf("parameters %T: %w", params, ErrNoOracle)
	}
	return nil, nil
}

func transfer(t finbench.Transfer) *Edge {
	return &Edge{Label: banking.Transfer, From: acc(t.From), To: acc(t.To), Timestamp: t.Time, Amount: t.Amount,
		OrderNumber: t.OrderNumber, PayType: t.PayType}
}

func guarantee(p finbench.TW10Params) *Edge {
	return &Edge{Label: banking.Guarantee, From: ref(banking.Person, p.PersonID1), To: ref(banking.Person, p.PersonID2),
		Timestamp: p.Time, Note: p.Relationship}
}

// addAccount is TW4/TW5: the account and its own edge (whose Timestamp is
// the edge's createTime).
func (g *Graph) addAccount(owner Ref, a banking.AccountV, ts int64) error {
	if err := g.fresh(acc(a.ID)); err != nil {
		return err
	}
	if err := g.need(owner); err != nil {
		return err
	}
	g.PutAccount(a)
	g.AddEdge(&Edge{Label: banking.Own, From: owner, To: acc(a.ID), Timestamp: ts})
	return nil
}

// addLoan is TW6/TW7: the loan and its apply edge.
func (g *Graph) addLoan(owner Ref, l banking.LoanV, ts int64, org string) error {
	if err := g.fresh(ref(banking.Loan, l.ID)); err != nil {
		return err
	}
	if err := g.need(owner); err != nil {
		return err
	}
	g.PutLoan(l)
	g.AddEdge(&Edge{Label: banking.Apply, From: owner, To: ref(banking.Loan, l.ID), Timestamp: ts, Note: org})
	return nil
}

// removeAccount is TW17: the account with its edges, and the loans it
// repaid or received deposits from, with theirs.
func (g *Graph) removeAccount(id int64) (workload.Result, error) {
	a := acc(id)
	if err := g.need(a); err != nil {
		return nil, err
	}
	loans := map[Ref]bool{}
	for _, e := range g.Out(banking.Repay, a) {
		loans[e.To] = true
	}
	for _, e := range g.In(banking.Deposit, a) {
		loans[e.From] = true
	}
	for l := range loans {
		g.RemoveVertex(l)
	}
	g.RemoveVertex(a)
	return finbench.TW17Result{Loans: int64(len(loans))}, nil
}

// readWrite is TRW1–TRW3: refuse when an end of e is blocked; else add e
// and, when the detection fires on the graph with e, take e out again and
// block both ends.
func (g *Graph) readWrite(e *Edge, fires func() bool) (workload.Result, error) {
	if err := g.need(e.From, e.To); err != nil {
		return nil, err
	}
	if g.blocked(e.From) || g.blocked(e.To) {
		return finbench.TRWRefused, nil
	}
	g.AddEdge(e)
	if !fires() {
		return finbench.TRWCommitted, nil
	}
	g.RemoveEdge(e)
	g.block(e.From)
	g.block(e.To)
	return finbench.TRWAborted, nil
}

// blocked reports whether an account or person is blocked.
func (g *Graph) blocked(r Ref) bool {
	if r.Label == banking.Person {
		return g.persons[r.ID].IsBlocked
	}
	return g.accounts[r.ID].IsBlocked
}

// block blocks an account or person.
func (g *Graph) block(r Ref) {
	if r.Label == banking.Person {
		g.persons[r.ID].IsBlocked = true
	} else {
		g.accounts[r.ID].IsBlocked = true
	}
}

// ApplyOutcome applies the effect that op had on the server, given the
// result it answered there, without deciding it again: for a read-write,
// TRWCommitted adds its edge, TRWAborted blocks both ends and TRWRefused
// changes nothing; a write is applied as by [Graph.Apply] (its result
// decides nothing). It is for concurrent runs, where a read-write's
// detection read may have seen overlapping writes in another order than
// the model would: the model then follows the server instead of
// re-deciding. It fails, changing nothing, when the outcome's
// preconditions do not hold in the model (a missing end, a refused
// transaction whose ends are both unblocked, an edge committed from a
// blocked end).
func (g *Graph) ApplyOutcome(op workload.Operation, res workload.Result) error {
	var e *Edge
	switch p := op.Params.(type) {
	case finbench.TRW1Params:
		e = transfer(p.Transfer)
	case finbench.TRW2Params:
		e = transfer(p.Transfer)
	case finbench.TRW3Params:
		e = guarantee(p.Guarantee)
	default:
		return g.Apply(op)
	}
	if err := g.need(e.From, e.To); err != nil {
		return fmt.Errorf("%s: %w", op.Type, err)
	}
	blocked := g.blocked(e.From) || g.blocked(e.To)
	o, ok := res.(finbench.TRWOutcome)
	switch {
	case !ok:
		return fmt.Errorf("%s: result %v is not a finbench.TRWOutcome", op.Type, res)
	case o == finbench.TRWRefused:
		if !blocked {
			return fmt.Errorf("%s: refused on the server, yet neither end is blocked in the model", op.Type)
		}
	case blocked:
		return fmt.Errorf("%s: %v on the server, yet an end is blocked in the model", op.Type, o)
	case o == finbench.TRWCommitted:
		g.AddEdge(e)
	case o == finbench.TRWAborted:
		g.block(e.From)
		g.block(e.To)
	default:
		return fmt.Errorf("%s: unknown outcome %v", op.Type, o)
	}
	return nil
}
