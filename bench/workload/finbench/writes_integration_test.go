package finbench

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/internal/testenv"
)

// serverGraph connects to the test server, applies the banking schema and
// returns an executor, the client and a base for fresh business ids (so
// that runs against a shared server do not meet).
func serverGraph(t *testing.T) (context.Context, workload.ClientExecutor, *client.Client, int64) {
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
	return ctx, workload.ClientExecutor{Client: c}, c, time.Now().UnixNano() % 1_000_000_000 * 1000
}

// count runs a read answering one number.
func count(ctx context.Context, t *testing.T, c *client.Client, script string, b map[string]any) int64 {
	t.Helper()
	res, err := c.Do(ctx, &client.Request{Script: script, Bindings: b, Idempotent: true})
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	n, err := res.Int64()
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return n
}

// props reads the properties of the vertex label/key=id (nil if missing).
func props(ctx context.Context, t *testing.T, c *client.Client, label, key string, id int64) map[string]any {
	t.Helper()
	res, err := c.Do(ctx, &client.Request{Script: `g.V().has(l,k,vid).valueMap().by(unfold())`,
		Bindings: map[string]any{"l": label, "k": key, "vid": id}, Idempotent: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) == 0 {
		return nil
	}
	m, err := res.Map()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// edgeProps reads the properties of the edges label from → to.
func edgeProps(ctx context.Context, t *testing.T, c *client.Client, from, to vref, label string) []map[string]any {
	t.Helper()
	res, err := c.Do(ctx, &client.Request{
		Script: `g.V().has(fl,fk,fid).outE(el).where(inV().has(tl,tk,tid)).valueMap()`,
		Bindings: map[string]any{"fl": from.label.String(), "fk": from.label.IDKey(), "fid": from.id, "el": label,
			"tl": to.label.String(), "tk": to.label.IDKey(), "tid": to.id}, Idempotent: true})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := res.Maps()
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func do(ctx context.Context, t *testing.T, ex workload.Executor, op workload.Operation) workload.Result {
	t.Helper()
	res, err := op.Do(ctx, ex)
	if err != nil {
		t.Fatalf("%s: %v", op.Type, err)
	}
	return res
}

// TestWritesOnServer runs every write TW1–TW19 on the real server and
// checks the graph afterwards: each element exists with its properties,
// changed, or is gone, with exact counts; failed writes changed nothing.
func TestWritesOnServer(t *testing.T) {
	ctx, ex, c, base := serverGraph(t)
	id := func(l banking.Label, i int64) int64 { return base + int64(l)*100 + i }
	p1, p2 := id(banking.Person, 1), id(banking.Person, 2)
	c1, c2 := id(banking.Company, 1), id(banking.Company, 2)
	m1 := id(banking.Medium, 1)
	a1, a2, a3 := id(banking.Account, 1), id(banking.Account, 2), id(banking.Account, 3)
	l1, l2 := id(banking.Loan, 1), id(banking.Loan, 2)

	// Vertices.
	person := TW1Params{ID: p1, Name: "Ada Lovelace", IsBlocked: false, CreateTime: 1_600_000_000_001, Gender: "female",
		Birthday: -4_000_000_000_000, Country: "UK", City: "London"}
	do(ctx, t, ex, TW1(person))
	do(ctx, t, ex, TW1(TW1Params{ID: p2, Name: "B", CreateTime: 2}))
	company := TW2Params{ID: c1, Name: "Acme", IsBlocked: true, CreateTime: 3, Country: "FR", City: "Lyon", Business: "retail", URL: "https://acme.example"}
	do(ctx, t, ex, TW2(company))
	do(ctx, t, ex, TW2(TW2Params{ID: c2, Name: "Beta", CreateTime: 4}))
	medium := TW3Params{ID: m1, Type: "POS", CreateTime: 5, IsBlocked: true, RiskLevel: "high"}
	do(ctx, t, ex, TW3(medium))
	for _, tc := range []struct {
		label, key string
		id         int64
		want       map[string]any
	}{
		{"Person", "personId", p1, map[string]any{"personId": p1, "name": person.Name, "isBlocked": false, "createTime": person.CreateTime,
			"gender": "female", "birthday": person.Birthday, "country": "UK", "city": "London"}},
		{"Company", "companyId", c1, map[string]any{"companyId": c1, "name": "Acme", "isBlocked": true, "createTime": int64(3),
			"country": "FR", "city": "Lyon", "business": "retail", "url": company.URL}},
		{"Medium", "mediumId", m1, map[string]any{"mediumId": m1, "type": "POS", "createTime": int64(5), "isBlocked": true, "riskLevel": "high"}},
	} {
		if got := props(ctx, t, c, tc.label, tc.key, tc.id); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s %d: %v, want %v", tc.label, tc.id, got, tc.want)
		}
	}
	// An id taken: ErrExists, nothing added.
	if _, err := TW1(TW1Params{ID: p1, Name: "dup"}).Do(ctx, ex); !errors.Is(err, ErrExists) {
		t.Errorf("TW1 of an existing person: %v, want ErrExists", err)
	}
	if n := count(ctx, t, c, `g.V().has('Person','personId',vid).count()`, map[string]any{"vid": p1}); n != 1 {
		t.Errorf("%d persons %d after a duplicate add, want 1", n, p1)
	}

	// Accounts with their owners, loans with their applicants.
	acc := banking.AccountV{ID: a1, CreateTime: 10, Type: "personalDeposit", Nickname: "ada", Email: "a@x", PhoneNumber: "123", AccountLevel: "gold"}
	do(ctx, t, ex, TW4(TW4Params{PersonID: p1, Account: acc, Time: 11}))
	do(ctx, t, ex, TW5(TW5Params{CompanyID: c1, Account: banking.AccountV{ID: a2, CreateTime: 12, Type: "companyDeposit"}, Time: 13}))
	do(ctx, t, ex, TW4(TW4Params{PersonID: p2, Account: banking.AccountV{ID: a3, CreateTime: 14, Type: "card"}, Time: 15}))
	if got, want := props(ctx, t, c, "Account", "accountId", a1), (map[string]any{"accountId": a1, "createTime": int64(10), "isBlocked": false,
		"type": "personalDeposit", "nickname": "ada", "email": "a@x", "phoneNumber": "123", "accountLevel": "gold"}); !reflect.DeepEqual(got, want) {
		t.Errorf("account: %v, want %v", got, want)
	}
	if got := edgeProps(ctx, t, c, vref{banking.Person, p1}, vref{banking.Account, a1}, "own"); !reflect.DeepEqual(got, []map[string]any{{"createTime": int64(11)}}) {
		t.Errorf("own person -> a1: %v", got)
	}
	if got := edgeProps(ctx, t, c, vref{banking.Company, c1}, vref{banking.Account, a2}, "own"); len(got) != 1 {
		t.Errorf("own company -> a2: %v", got)
	}
	// An owner missing: NotFoundError, and no account left behind.
	a9 := id(banking.Account, 9)
	_, err := TW4(TW4Params{PersonID: id(banking.Person, 9), Account: banking.AccountV{ID: a9}}).Do(ctx, ex)
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Label != banking.Person || nf.ID != id(banking.Person, 9) || errors.Is(err, ErrNoAccount) {
		t.Errorf("TW4 with a missing person: %v", err)
	}
	if _, err := TW5(TW5Params{CompanyID: c2, Account: banking.AccountV{ID: a1}}).Do(ctx, ex); !errors.Is(err, ErrExists) {
		t.Errorf("TW5 of an existing account: %v, want ErrExists", err)
	}
	if n := count(ctx, t, c, `g.V().has('Account','accountId',within(ids)).count()`, map[string]any{"ids": []int64{a1, a9}}); n != 1 {
		t.Errorf("%d accounts a1/a9, want 1", n)
	}
	if n := count(ctx, t, c, `g.V().has('Company','companyId',vid).out('own').count()`, map[string]any{"vid": c2}); n != 0 {
		t.Errorf("company c2 owns %d accounts after a failed add, want 0", n)
	}
	do(ctx, t, ex, TW6(TW6Params{PersonID: p1, Loan: banking.LoanV{ID: l1, LoanAmount: 1000.5, Balance: 200.25, Usage: "car", InterestRate: 0.05}, Time: 16, Organization: "bank"}))
	do(ctx, t, ex, TW7(TW7Params{CompanyID: c1, Loan: banking.LoanV{ID: l2, LoanAmount: 5000}, Time: 17, Organization: "fund"}))
	if got, want := props(ctx, t, c, "Loan", "loanId", l1), (map[string]any{"loanId": l1, "loanAmount": 1000.5, "balance": 200.25,
		"usage": "car", "interestRate": 0.05}); !reflect.DeepEqual(got, want) {
		t.Errorf("loan: %v, want %v", got, want)
	}
	if got := edgeProps(ctx, t, c, vref{banking.Company, c1}, vref{banking.Loan, l2}, "apply"); !reflect.DeepEqual(got,
		[]map[string]any{{"timestamp": int64(17), "organization": "fund"}}) {
		t.Errorf("apply c1 -> l2: %v", got)
	}

	// Edges.
	edges := []struct {
		op       workload.Operation
		from, to vref
		label    string
		want     map[string]any
	}{
		{TW8(TW8Params{p1, c1, 20, 0.25}), vref{banking.Person, p1}, vref{banking.Company, c1}, "invest", map[string]any{"timestamp": int64(20), "ratio": 0.25}},
		{TW9(TW9Params{c2, c1, 21, 0.5}), vref{banking.Company, c2}, vref{banking.Company, c1}, "invest", map[string]any{"timestamp": int64(21), "ratio": 0.5}},
		{TW10(TW10Params{p1, p2, 22, "family"}), vref{banking.Person, p1}, vref{banking.Person, p2}, "guarantee", map[string]any{"timestamp": int64(22), "relationship": "family"}},
		{TW11(TW11Params{c1, c2, 23, "business"}), vref{banking.Company, c1}, vref{banking.Company, c2}, "guarantee", map[string]any{"timestamp": int64(23), "relationship": "business"}},
		{TW12(Transfer{a1, a2, 24, 10.5, 77, "wire"}), vref{banking.Account, a1}, vref{banking.Account, a2}, "transfer", map[string]any{"timestamp": int64(24), "amount": 10.5, "orderNumber": int64(77), "payType": "wire"}},
		{TW13(TW13Params{a1, a3, 25, 11.5}), vref{banking.Account, a1}, vref{banking.Account, a3}, "withdraw", map[string]any{"timestamp": int64(25), "amount": 11.5}},
		{TW14(TW14Params{a1, l1, 26, 12.5}), vref{banking.Account, a1}, vref{banking.Loan, l1}, "repay", map[string]any{"timestamp": int64(26), "amount": 12.5}},
		{TW15(TW15Params{l1, a1, 27, 13.5}), vref{banking.Loan, l1}, vref{banking.Account, a1}, "deposit", map[string]any{"timestamp": int64(27), "amount": 13.5}},
		{TW16(TW16Params{m1, a1, 28, "Paris"}), vref{banking.Medium, m1}, vref{banking.Account, a1}, "signIn", map[string]any{"timestamp": int64(28), "location": "Paris"}},
		{TW15(TW15Params{l2, a2, 29, 14.5}), vref{banking.Loan, l2}, vref{banking.Account, a2}, "deposit", map[string]any{"timestamp": int64(29), "amount": 14.5}},
	}
	for _, e := range edges {
		do(ctx, t, ex, e.op)
		if got := edgeProps(ctx, t, c, e.from, e.to, e.label); !reflect.DeepEqual(got, []map[string]any{e.want}) {
			t.Errorf("%s: edges %s %v -> %v: %v, want [%v]", e.op.Type, e.label, e.from, e.to, got, e.want)
		}
	}
	// A missing endpoint: nothing written.
	_, err = TW12(Transfer{From: a1, To: a9, Time: 30}).Do(ctx, ex)
	if !errors.As(err, &nf) || nf.ID != a9 || !errors.Is(err, ErrNoAccount) {
		t.Errorf("TW12 to a missing account: %v", err)
	}
	if n := count(ctx, t, c, `g.V().has('Account','accountId',vid).outE('transfer').count()`, map[string]any{"vid": a1}); n != 1 {
		t.Errorf("a1 has %d transfers out, want 1", n)
	}

	// Blocks.
	do(ctx, t, ex, TW18(TW18Params{AccountID: a2}))
	do(ctx, t, ex, TW19(TW19Params{PersonID: p2}))
	do(ctx, t, ex, TW19(TW19Params{PersonID: p2})) // idempotent
	if got := props(ctx, t, c, "Account", "accountId", a2)["isBlocked"]; got != true {
		t.Errorf("a2 isBlocked %v after TW18", got)
	}
	if got := props(ctx, t, c, "Person", "personId", p2)["isBlocked"]; got != true {
		t.Errorf("p2 isBlocked %v after TW19", got)
	}
	if got := props(ctx, t, c, "Account", "accountId", a3)["isBlocked"]; got != false {
		t.Errorf("a3 isBlocked %v, want untouched", got)
	}
	if _, err := TW18(TW18Params{AccountID: a9}).Do(ctx, ex); !errors.Is(err, ErrNoAccount) {
		t.Errorf("TW18 of a missing account: %v", err)
	}

	// TW17 removes a1, all its edges and loan l1 (repaid, deposited) with
	// its apply edge; l2 (not connected to a1) stays.
	if res := do(ctx, t, ex, TW17(TW17Params{AccountID: a1})); res != (TW17Result{Loans: 1}) {
		t.Errorf("TW17 answered %v, want 1 loan", res)
	}
	for _, q := range []struct {
		script string
		b      map[string]any
		want   int64
	}{
		{`g.V().has('Account','accountId',vid).count()`, map[string]any{"vid": a1}, 0},
		{`g.V().has('Loan','loanId',vid).count()`, map[string]any{"vid": l1}, 0},
		{`g.V().has('Loan','loanId',vid).count()`, map[string]any{"vid": l2}, 1},
		{`g.V().has('Person','personId',vid).outE('own','apply').count()`, map[string]any{"vid": p1}, 0},
		{`g.V().has('Medium','mediumId',vid).outE('signIn').count()`, map[string]any{"vid": m1}, 0},
		{`g.V().has('Account','accountId',vid).inE('transfer').count()`, map[string]any{"vid": a2}, 0},
		{`g.V().has('Account','accountId',vid).inE('withdraw').count()`, map[string]any{"vid": a3}, 0},
		{`g.V().has('Account','accountId',vid).inE('deposit').count()`, map[string]any{"vid": a2}, 1},
		{`g.V().has('Person','personId',vid).count()`, map[string]any{"vid": p1}, 1},
		{`g.V().has('Account','accountId',within(ids)).count()`, map[string]any{"ids": []int64{a2, a3}}, 2},
	} {
		if n := count(ctx, t, c, q.script, q.b); n != q.want {
			t.Errorf("after TW17, %s %v = %d, want %d", q.script, q.b, n, q.want)
		}
	}
	if _, err := TW17(TW17Params{AccountID: a1}).Do(ctx, ex); !errors.Is(err, ErrNoAccount) {
		t.Errorf("TW17 of a removed account: %v", err)
	}
}
