package finbench

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/graph/client"
)

// Writes TW1–TW19. Each is one constant Gremlin
// traversal with bindings, evaluated by Gremlin Server as one transaction,
// that answers the number of elements it wrote. When that number is 0,
// a second, read-only request tells why (a missing endpoint or an id that
// already exists), so that the error names the vertex; the write itself
// changed nothing.
//
// Idempotency (Request.Idempotent, i.e. whether an executor may retry the
// request after an ambiguous failure): TW1–TW17 are not — an add run twice
// either fails on the existing id (TW1–TW7) or duplicates a multi-edge
// (TW8–TW16), and TW17 run twice reports a missing account — so they are
// never retried and are written at most once. TW18 and TW19 set a flag to
// true: running them twice leaves the same graph and the same answer, so
// they are marked idempotent.

// ErrNotFound is matched (with errors.Is) by the error of a write whose
// vertex (an endpoint, or the vertex to change or remove) does not exist;
// the error is a *[NotFoundError] naming it.
var ErrNotFound = errors.New("vertex not found")

// ErrNoAccount is matched (with errors.Is) by the error of a write whose
// account does not exist.
var ErrNoAccount = errors.New("account not found")

// NotFoundError is the error of a write whose vertex does not exist. It
// matches ErrNotFound and ErrNothingWritten, and ErrNoAccount when the
// vertex is an Account.
type NotFoundError struct {
	// Label is the vertex's label.
	Label banking.Label
	// ID is its business id.
	ID int64
}

// Error says which vertex is missing, e.g. "account 42 not found".
func (e *NotFoundError) Error() string {
	return fmt.Sprintf("%s %d not found", strings.ToLower(e.Label.String()), e.ID)
}

// Is matches ErrNotFound and ErrNothingWritten, and ErrNoAccount for an
// Account.
func (e *NotFoundError) Is(target error) bool {
	return target == ErrNotFound || target == ErrNothingWritten || (target == ErrNoAccount && e.Label == banking.Account)
}

// ErrExists is matched (with errors.Is) by the error of a write that adds a
// vertex whose business id is already taken (TW1–TW7).
var ErrExists = errors.New("already exists")

// ErrNothingWritten is matched (with errors.Is) by the error of a write
// or read-write that certainly changed nothing: the server answered that
// it wrote no element (a missing vertex, a taken id). Errors that do not
// match it (a timeout, a lost connection) leave the write's effect
// unknown. ErrNotFound and ErrExists errors match it too.
var ErrNothingWritten = errors.New("nothing written")

// notWritten is the error of a write that wrote nothing, matching
// ErrNothingWritten and the sentinels in is.
type notWritten struct {
	msg string
	is  []error
}

func (e *notWritten) Error() string { return e.msg }

func (e *notWritten) Is(target error) bool {
	return target == ErrNothingWritten || slices.Contains(e.is, target)
}

// TW1Params is TW1's Person: FinBench's personId (ID), personName (Name)
// and isBlocked, and the banking graph's other Person properties.
type TW1Params banking.PersonV

// TW2Params is TW2's Company: FinBench's companyId (ID), companyName
// (Name) and isBlocked, and the banking graph's other Company properties.
type TW2Params banking.CompanyV

// TW3Params is TW3's Medium: FinBench's mediumId (ID), mediumType (Type)
// and isBlocked, and the banking graph's other Medium properties.
type TW3Params banking.MediumV

// TW4Params is TW4's Account owned by a Person.
type TW4Params struct {
	// PersonID is the owner's personId.
	PersonID int64
	// Account is the account to add (FinBench's accountId, accountBlocked
	// and accountType are Account.ID, IsBlocked and Type).
	Account banking.AccountV
	// Time is the own edge's createTime, epoch milliseconds.
	Time int64
}

// TW5Params is TW5's Account owned by a Company.
type TW5Params struct {
	// CompanyID is the owner's companyId.
	CompanyID int64
	// Account is the account to add.
	Account banking.AccountV
	// Time is the own edge's createTime, epoch milliseconds.
	Time int64
}

// TW6Params is TW6's Loan applied for by a Person.
type TW6Params struct {
	// PersonID is the applicant's personId.
	PersonID int64
	// Loan is the loan to add (FinBench's loanId, loanAmount, balance).
	Loan banking.LoanV
	// Time is the apply edge's timestamp, epoch milliseconds.
	Time int64
	// Organization is the apply edge's organization.
	Organization string
}

// TW7Params is TW7's Loan applied for by a Company.
type TW7Params struct {
	// CompanyID is the applicant's companyId.
	CompanyID int64
	// Loan is the loan to add.
	Loan banking.LoanV
	// Time is the apply edge's timestamp, epoch milliseconds.
	Time int64
	// Organization is the apply edge's organization.
	Organization string
}

// TW8Params is TW8's invest edge from a Person to a Company.
type TW8Params struct {
	PersonID, CompanyID int64
	// Time is the edge's timestamp, epoch milliseconds.
	Time int64
	// Ratio is the invested share.
	Ratio float64
}

// TW9Params is TW9's invest edge from Company1 to Company2.
type TW9Params struct {
	CompanyID1, CompanyID2 int64
	// Time is the edge's timestamp, epoch milliseconds.
	Time int64
	// Ratio is the invested share.
	Ratio float64
}

// TW10Params is TW10's guarantee edge from Person1 to Person2.
type TW10Params struct {
	PersonID1, PersonID2 int64
	// Time is the edge's timestamp, epoch milliseconds.
	Time int64
	// Relationship is the edge's relationship ("business", "family", ...).
	Relationship string
}

// TW11Params is TW11's guarantee edge from Company1 to Company2.
type TW11Params struct {
	CompanyID1, CompanyID2 int64
	// Time is the edge's timestamp, epoch milliseconds.
	Time int64
	// Relationship is the edge's relationship.
	Relationship string
}

// TW13Params is TW13's withdraw edge from one Account to another (a card).
type TW13Params struct {
	// From and To are the accounts' accountIds.
	From, To int64
	// Time is the edge's timestamp, epoch milliseconds.
	Time int64
	// Amount is the withdrawn amount.
	Amount float64
}

// TW14Params is TW14's repay edge from an Account to a Loan.
type TW14Params struct {
	AccountID, LoanID int64
	// Time is the edge's timestamp, epoch milliseconds.
	Time int64
	// Amount is the repaid amount.
	Amount float64
}

// TW15Params is TW15's deposit edge from a Loan to an Account.
type TW15Params struct {
	LoanID, AccountID int64
	// Time is the edge's timestamp, epoch milliseconds.
	Time int64
	// Amount is the deposited amount.
	Amount float64
}

// TW16Params is TW16's signIn edge from a Medium to an Account.
type TW16Params struct {
	MediumID, AccountID int64
	// Time is the edge's timestamp, epoch milliseconds.
	Time int64
	// Location is the edge's location.
	Location string
}

// TW17Params is TW17's Account to remove.
type TW17Params struct {
	AccountID int64
}

// TW17Result is TW17's answer: how many Loans were removed with the
// account.
type TW17Result struct {
	// Loans is the number of Loan vertices removed in cascade.
	Loans int64
}

// TW18Params is TW18's Account to block.
type TW18Params struct {
	AccountID int64
}

// TW19Params is TW19's Person to block.
type TW19Params struct {
	PersonID int64
}

// vref names one vertex a write needs (or creates): label and business id.
type vref struct {
	label banking.Label
	id    int64
}

func (v vref) String() string { return fmt.Sprintf("%s %d", strings.ToLower(v.label.String()), v.id) }

// write is one write request and what it needs of the graph.
type write struct {
	typ, what string
	script    string
	bindings  map[string]any
	// need must exist; fresh must not (the write creates them).
	need, fresh []vref
	idempotent  bool
}

// diagnoseScript answers, for each [label, key, id] of refs, whether the
// vertex exists.
const diagnoseScript = `refs.collect { r -> g.V().has(r[0], r[1], r[2]).hasNext() }`

// run submits the write and returns the number of elements it reports.
func (w write) run(ctx context.Context, ex workload.Executor) (int64, error) {
	res, err := ex.Submit(ctx, workload.Request{Script: w.script, Bindings: w.bindings, Idempotent: w.idempotent})
	if err != nil {
		return 0, w.errorf("%w", err)
	}
	n, err := client.Result(res).Int64()
	if err != nil {
		return 0, w.errorf("%w", err)
	}
	if n == 0 {
		return 0, w.diagnose(ctx, ex)
	}
	return n, nil
}

func (w write) errorf(format string, a ...any) error {
	return fmt.Errorf("%s %s: "+format, append([]any{w.typ, w.what}, a...)...)
}

// diagnose tells why a write wrote nothing: the first needed vertex that
// is missing (ErrNotFound) or the first fresh one that exists (ErrExists).
func (w write) diagnose(ctx context.Context, ex workload.Executor) error {
	all := append(append([]vref(nil), w.need...), w.fresh...)
	refs := make([]any, len(all))
	for i, v := range all {
		refs[i] = []any{v.label.String(), v.label.IDKey(), v.id}
	}
	res, err := ex.Submit(ctx, workload.Request{Script: diagnoseScript, Bindings: map[string]any{"refs": refs}, Idempotent: true})
	if err == nil && len(res) != len(all) {
		err = fmt.Errorf("%d answers, want %d", len(res), len(all))
	}
	if err != nil {
		why := "one of " + refList(w.need) + " is missing"
		if len(w.need) == 0 {
			why = refList(w.fresh) + " exists"
		} else if len(w.fresh) > 0 {
			why += " or " + refList(w.fresh) + " exists"
		}
		// Which one is unknown, but the write certainly changed nothing.
		return &notWritten{msg: w.errorf("nothing written: %s (the check of which failed: %v)", why, err).Error(), is: w.causes()}
	}
	for i, v := range all {
		exists, _ := res[i].(bool)
		if i < len(w.need) && !exists {
			return w.errorf("%w", &NotFoundError{Label: v.label, ID: v.id})
		}
		if i >= len(w.need) && exists {
			return &notWritten{msg: w.errorf("%s: %v", v, ErrExists).Error(), is: []error{ErrExists}}
		}
	}
	return &notWritten{msg: w.errorf("nothing written, yet the check found %s and no %s", refList(w.need), refList(w.fresh)).Error()}
}

// causes returns the sentinels a write that wrote nothing certainly
// matches without knowing which vertex was the cause: ErrNotFound when it
// creates no vertex (so a needed one was missing), ErrNoAccount as well
// when all it needs are accounts, ErrExists when it needs none.
func (w write) causes() []error {
	switch {
	case len(w.fresh) > 0 && len(w.need) > 0:
		return nil
	case len(w.fresh) > 0:
		return []error{ErrExists}
	}
	is := []error{ErrNotFound, ErrNoAccount}
	for _, v := range w.need {
		if v.label != banking.Account {
			is = is[:1]
		}
	}
	return is
}

func refList(vs []vref) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = v.String()
	}
	return strings.Join(s, ", ")
}

// writeOp makes the Operation of a write that answers 1 element.
func writeOp(typ string, params any, w write) workload.Operation {
	w.typ = typ
	return workload.Operation{Type: typ, Kind: workload.Write, Params: params,
		Do: func(ctx context.Context, ex workload.Executor) (workload.Result, error) {
			n, err := w.run(ctx, ex)
			if err != nil {
				return nil, err
			}
			if n != 1 {
				return nil, w.errorf("%d elements written, want 1", n)
			}
			return nil, nil
		}}
}

// TW1Script adds a Person unless its personId exists; it answers the
// number of vertices added.
const TW1Script = `g.inject(0).not(V().has('Person','personId',pid)).` +
	`addV('Person').property('personId',pid).property('name',name).property('isBlocked',bl).` +
	`property('createTime',ct).property('gender',gender).property('birthday',bd).` +
	`property('country',country).property('city',city).count()`

// TW1 is FinBench's write 1, add a Person. Not idempotent. Its Result is
// nil; it fails with ErrExists if the personId is taken.
func TW1(p TW1Params) workload.Operation {
	return writeOp("TW1", p, write{what: fmt.Sprintf("person %d", p.ID), script: TW1Script,
		bindings: map[string]any{"pid": p.ID, "name": p.Name, "bl": p.IsBlocked, "ct": p.CreateTime,
			"gender": p.Gender, "bd": p.Birthday, "country": p.Country, "city": p.City},
		fresh: []vref{{banking.Person, p.ID}}})
}

// TW2Script adds a Company unless its companyId exists.
const TW2Script = `g.inject(0).not(V().has('Company','companyId',cid)).` +
	`addV('Company').property('companyId',cid).property('name',name).property('isBlocked',bl).` +
	`property('createTime',ct).property('country',country).property('city',city).` +
	`property('business',business).property('url',url).count()`

// TW2 is FinBench's write 2, add a Company. Not idempotent. Its Result is
// nil; it fails with ErrExists if the companyId is taken.
func TW2(p TW2Params) workload.Operation {
	return writeOp("TW2", p, write{what: fmt.Sprintf("company %d", p.ID), script: TW2Script,
		bindings: map[string]any{"cid": p.ID, "name": p.Name, "bl": p.IsBlocked, "ct": p.CreateTime,
			"country": p.Country, "city": p.City, "business": p.Business, "url": p.URL},
		fresh: []vref{{banking.Company, p.ID}}})
}

// TW3Script adds a Medium unless its mediumId exists.
const TW3Script = `g.inject(0).not(V().has('Medium','mediumId',mid)).` +
	`addV('Medium').property('mediumId',mid).property('type',mtype).property('createTime',ct).` +
	`property('isBlocked',bl).property('riskLevel',risk).count()`

// TW3 is FinBench's write 3, add a Medium. Not idempotent. Its Result is
// nil; it fails with ErrExists if the mediumId is taken.
func TW3(p TW3Params) workload.Operation {
	return writeOp("TW3", p, write{what: fmt.Sprintf("medium %d", p.ID), script: TW3Script,
		bindings: map[string]any{"mid": p.ID, "mtype": p.Type, "ct": p.CreateTime, "bl": p.IsBlocked, "risk": p.RiskLevel},
		fresh:    []vref{{banking.Medium, p.ID}}})
}

// addAccount is the tail of TW4/TW5: the owner is labelled 'o'.
const addAccount = `addV('Account').property('accountId',aid).property('createTime',act).` +
	`property('isBlocked',bl).property('type',atype).property('nickname',nick).property('email',email).` +
	`property('phoneNumber',phone).property('accountLevel',level).` +
	`addE('own').from('o').property('createTime',ts).count()`

// TW4Script adds an Account and its own edge from an existing Person,
// unless the accountId exists; it answers the number of edges added.
const TW4Script = `g.inject(0).not(V().has('Account','accountId',aid)).V().has('Person','personId',oid).as('o').` + addAccount

// TW5Script is TW4Script with a Company owner.
const TW5Script = `g.inject(0).not(V().has('Account','accountId',aid)).V().has('Company','companyId',oid).as('o').` + addAccount

func accountBindings(owner int64, a banking.AccountV, ts int64) map[string]any {
	return map[string]any{"oid": owner, "aid": a.ID, "act": a.CreateTime, "bl": a.IsBlocked, "atype": a.Type,
		"nick": a.Nickname, "email": a.Email, "phone": a.PhoneNumber, "level": a.AccountLevel, "ts": ts}
}

// TW4 is FinBench's write 4, add an Account owned by a Person, in one
// transaction. Not idempotent. Its Result is nil; it fails with
// ErrNotFound if the person is missing, ErrExists if the accountId is
// taken.
func TW4(p TW4Params) workload.Operation {
	return writeOp("TW4", p, write{what: fmt.Sprintf("account %d of person %d", p.Account.ID, p.PersonID),
		script: TW4Script, bindings: accountBindings(p.PersonID, p.Account, p.Time),
		need: []vref{{banking.Person, p.PersonID}}, fresh: []vref{{banking.Account, p.Account.ID}}})
}

// TW5 is FinBench's write 5, add an Account owned by a Company; see TW4.
func TW5(p TW5Params) workload.Operation {
	return writeOp("TW5", p, write{what: fmt.Sprintf("account %d of company %d", p.Account.ID, p.CompanyID),
		script: TW5Script, bindings: accountBindings(p.CompanyID, p.Account, p.Time),
		need: []vref{{banking.Company, p.CompanyID}}, fresh: []vref{{banking.Account, p.Account.ID}}})
}

// addLoan is the tail of TW6/TW7: the applicant is labelled 'o'.
const addLoan = `addV('Loan').property('loanId',lid).property('loanAmount',amt).property('balance',bal).` +
	`property('usage',usage).property('interestRate',rate).` +
	`addE('apply').from('o').property('timestamp',ts).property('organization',org).count()`

// TW6Script adds a Loan and its apply edge from an existing Person, unless
// the loanId exists; it answers the number of edges added.
const TW6Script = `g.inject(0).not(V().has('Loan','loanId',lid)).V().has('Person','personId',oid).as('o').` + addLoan

// TW7Script is TW6Script with a Company applicant.
const TW7Script = `g.inject(0).not(V().has('Loan','loanId',lid)).V().has('Company','companyId',oid).as('o').` + addLoan

func loanBindings(owner int64, l banking.LoanV, ts int64, org string) map[string]any {
	return map[string]any{"oid": owner, "lid": l.ID, "amt": l.LoanAmount, "bal": l.Balance, "usage": l.Usage,
		"rate": l.InterestRate, "ts": ts, "org": org}
}

// TW6 is FinBench's write 6, add a Loan applied for by a Person, in one
// transaction. Not idempotent. Its Result is nil; it fails with
// ErrNotFound if the person is missing, ErrExists if the loanId is taken.
func TW6(p TW6Params) workload.Operation {
	return writeOp("TW6", p, write{what: fmt.Sprintf("loan %d of person %d", p.Loan.ID, p.PersonID),
		script: TW6Script, bindings: loanBindings(p.PersonID, p.Loan, p.Time, p.Organization),
		need: []vref{{banking.Person, p.PersonID}}, fresh: []vref{{banking.Loan, p.Loan.ID}}})
}

// TW7 is FinBench's write 7, add a Loan applied for by a Company; see TW6.
func TW7(p TW7Params) workload.Operation {
	return writeOp("TW7", p, write{what: fmt.Sprintf("loan %d of company %d", p.Loan.ID, p.CompanyID),
		script: TW7Script, bindings: loanBindings(p.CompanyID, p.Loan, p.Time, p.Organization),
		need: []vref{{banking.Company, p.CompanyID}}, fresh: []vref{{banking.Loan, p.Loan.ID}}})
}

// Edge writes: both endpoints by business id, then one edge; the answer
// is the number of edges added (0 when an endpoint is missing).
const (
	// TW8Script adds an invest edge Person → Company.
	TW8Script = `g.V().has('Person','personId',src).as('s').V().has('Company','companyId',dst).` +
		`addE('invest').from('s').property('timestamp',ts).property('ratio',ratio).count()`
	// TW9Script adds an invest edge Company → Company.
	TW9Script = `g.V().has('Company','companyId',src).as('s').V().has('Company','companyId',dst).` +
		`addE('invest').from('s').property('timestamp',ts).property('ratio',ratio).count()`
	// TW10Script adds a guarantee edge Person → Person.
	TW10Script = `g.V().has('Person','personId',src).as('s').V().has('Person','personId',dst).` +
		`addE('guarantee').from('s').property('timestamp',ts).property('relationship',rel).count()`
	// TW11Script adds a guarantee edge Company → Company.
	TW11Script = `g.V().has('Company','companyId',src).as('s').V().has('Company','companyId',dst).` +
		`addE('guarantee').from('s').property('timestamp',ts).property('relationship',rel).count()`
	// TW13Script adds a withdraw edge Account → Account.
	TW13Script = `g.V().has('Account','accountId',src).as('s').V().has('Account','accountId',dst).` +
		`addE('withdraw').from('s').property('timestamp',ts).property('amount',amt).count()`
	// TW14Script adds a repay edge Account → Loan.
	TW14Script = `g.V().has('Account','accountId',src).as('s').V().has('Loan','loanId',dst).` +
		`addE('repay').from('s').property('timestamp',ts).property('amount',amt).count()`
	// TW15Script adds a deposit edge Loan → Account.
	TW15Script = `g.V().has('Loan','loanId',src).as('s').V().has('Account','accountId',dst).` +
		`addE('deposit').from('s').property('timestamp',ts).property('amount',amt).count()`
	// TW16Script adds a signIn edge Medium → Account.
	TW16Script = `g.V().has('Medium','mediumId',src).as('s').V().has('Account','accountId',dst).` +
		`addE('signIn').from('s').property('timestamp',ts).property('location',loc).count()`
)

// edge makes the write of an edge from → to.
func edge(what string, script string, from, to vref, b map[string]any) write {
	b["src"], b["dst"] = from.id, to.id
	return write{what: fmt.Sprintf("%s %s -> %s", what, from, to), script: script, bindings: b, need: []vref{from, to}}
}

// TW8 is FinBench's write 8, add an invest edge from a Person to a
// Company. Not idempotent (a multi-edge). Its Result is nil; it fails with
// ErrNotFound if an endpoint is missing.
func TW8(p TW8Params) workload.Operation {
	return writeOp("TW8", p, edge("invest", TW8Script, vref{banking.Person, p.PersonID}, vref{banking.Company, p.CompanyID},
		map[string]any{"ts": p.Time, "ratio": p.Ratio}))
}

// TW9 is FinBench's write 9, add an invest edge between Companies; see TW8.
func TW9(p TW9Params) workload.Operation {
	return writeOp("TW9", p, edge("invest", TW9Script, vref{banking.Company, p.CompanyID1}, vref{banking.Company, p.CompanyID2},
		map[string]any{"ts": p.Time, "ratio": p.Ratio}))
}

// TW10 is FinBench's write 10, add a guarantee edge between Persons; see
// TW8.
func TW10(p TW10Params) workload.Operation {
	return writeOp("TW10", p, edge("guarantee", TW10Script, vref{banking.Person, p.PersonID1}, vref{banking.Person, p.PersonID2},
		map[string]any{"ts": p.Time, "rel": p.Relationship}))
}

// TW11 is FinBench's write 11, add a guarantee edge between Companies; see
// TW8.
func TW11(p TW11Params) workload.Operation {
	return writeOp("TW11", p, edge("guarantee", TW11Script, vref{banking.Company, p.CompanyID1}, vref{banking.Company, p.CompanyID2},
		map[string]any{"ts": p.Time, "rel": p.Relationship}))
}

// Transfer is the parameter of TW12: a transfer edge between two accounts.
type Transfer struct {
	// From and To are the accounts' business ids (accountId).
	From, To int64
	// Time is the transfer's timestamp, epoch milliseconds.
	Time int64
	// Amount is the transferred amount.
	Amount float64
	// OrderNumber is the transfer's order number.
	OrderNumber int64
	// PayType is the payment type ("wire", "ach", ...).
	PayType string
}

// TW12Script adds a transfer edge Account → Account.
const TW12Script = `g.V().has('Account','accountId',src).as('s').V().has('Account','accountId',dst).` +
	`addE('transfer').from('s').property('timestamp',ts).property('amount',amt).` +
	`property('orderNumber',ord).property('payType',pt).count()`

// TW12 is FinBench's write 12, add a transfer between accounts. It is not
// idempotent (transfers are a multi-edge): an executor never retries it
// after an ambiguous failure, so it is written at most once. Its Result is
// nil; it fails with ErrNoAccount if an account is missing.
func TW12(t Transfer) workload.Operation {
	return writeOp("TW12", t, edge("transfer", TW12Script, vref{banking.Account, t.From}, vref{banking.Account, t.To},
		map[string]any{"ts": t.Time, "amt": t.Amount, "ord": t.OrderNumber, "pt": t.PayType}))
}

// TW13 is FinBench's write 13, add a withdraw edge between Accounts; see
// TW8.
func TW13(p TW13Params) workload.Operation {
	return writeOp("TW13", p, edge("withdraw", TW13Script, vref{banking.Account, p.From}, vref{banking.Account, p.To},
		map[string]any{"ts": p.Time, "amt": p.Amount}))
}

// TW14 is FinBench's write 14, add a repay edge from an Account to a Loan;
// see TW8.
func TW14(p TW14Params) workload.Operation {
	return writeOp("TW14", p, edge("repay", TW14Script, vref{banking.Account, p.AccountID}, vref{banking.Loan, p.LoanID},
		map[string]any{"ts": p.Time, "amt": p.Amount}))
}

// TW15 is FinBench's write 15, add a deposit edge from a Loan to an
// Account; see TW8.
func TW15(p TW15Params) workload.Operation {
	return writeOp("TW15", p, edge("deposit", TW15Script, vref{banking.Loan, p.LoanID}, vref{banking.Account, p.AccountID},
		map[string]any{"ts": p.Time, "amt": p.Amount}))
}

// TW16 is FinBench's write 16, add a signIn edge from a Medium to an
// Account; see TW8.
func TW16(p TW16Params) workload.Operation {
	return writeOp("TW16", p, edge("signIn", TW16Script, vref{banking.Medium, p.MediumID}, vref{banking.Account, p.AccountID},
		map[string]any{"ts": p.Time, "loc": p.Location}))
}

// TW17Script removes an Account with all its edges (own, transfer,
// withdraw, repay, deposit, signIn) and, in cascade, the Loans it repaid or
// received a deposit from (with their edges). It collects the vertices
// first, then drops them, and answers how many it dropped (0: no such
// account).
const TW17Script = `g.V().has('Account','accountId',aid).` +
	`union(identity(), both('repay','deposit').hasLabel('Loan').dedup()).fold().` +
	`sideEffect(unfold().drop()).count(local)`

// TW17 is FinBench's write 17, remove an Account and its Loans in cascade,
// in one transaction. Not idempotent (run twice, the second run reports a
// missing account). Its Result is a [TW17Result]; it fails with
// ErrNoAccount if the account is missing.
func TW17(p TW17Params) workload.Operation {
	w := write{typ: "TW17", what: fmt.Sprintf("remove account %d", p.AccountID), script: TW17Script,
		bindings: map[string]any{"aid": p.AccountID}, need: []vref{{banking.Account, p.AccountID}}}
	return workload.Operation{Type: "TW17", Kind: workload.Write, Params: p,
		Do: func(ctx context.Context, ex workload.Executor) (workload.Result, error) {
			n, err := w.run(ctx, ex)
			if err != nil {
				return nil, err
			}
			return TW17Result{Loans: n - 1}, nil
		}}
}

// TW18Script blocks an Account; it answers the number of accounts changed.
const TW18Script = `g.V().has('Account','accountId',aid).property('isBlocked',true).count()`

// TW19Script blocks a Person; it answers the number of persons changed.
const TW19Script = `g.V().has('Person','personId',pid).property('isBlocked',true).count()`

// TW18 is FinBench's write 18, block an Account (isBlocked = true).
// Idempotent: an executor may retry it. Its Result is nil; it fails with
// ErrNoAccount if the account is missing.
func TW18(p TW18Params) workload.Operation {
	return writeOp("TW18", p, write{what: fmt.Sprintf("block account %d", p.AccountID), script: TW18Script,
		bindings: map[string]any{"aid": p.AccountID}, need: []vref{{banking.Account, p.AccountID}}, idempotent: true})
}

// TW19 is FinBench's write 19, block a Person (isBlocked = true).
// Idempotent. Its Result is nil; it fails with ErrNotFound if the person
// is missing.
func TW19(p TW19Params) workload.Operation {
	return writeOp("TW19", p, write{what: fmt.Sprintf("block person %d", p.PersonID), script: TW19Script,
		bindings: map[string]any{"pid": p.PersonID}, need: []vref{{banking.Person, p.PersonID}}, idempotent: true})
}
