package finbench

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/graph/client"
)

// seqExec answers the i-th request with answers[i] (and errs[i]): the
// faults the real server does not give on demand. Happy paths run against
// JanusGraph in writes_integration_test.go.
type seqExec struct {
	answers [][]any
	errs    []error
	got     []workload.Request
}

func (s *seqExec) Submit(_ context.Context, req workload.Request) ([]any, error) {
	i := len(s.got)
	s.got = append(s.got, req)
	var err error
	if i < len(s.errs) {
		err = s.errs[i]
	}
	if i < len(s.answers) {
		return s.answers[i], err
	}
	return nil, err
}

func TestWriteFaults(t *testing.T) {
	boom := errors.New("connection lost")
	person := TW1(TW1Params{ID: 5})
	own := TW4(TW4Params{PersonID: 3, Account: banking.AccountV{ID: 7}})
	tr := TW12(Transfer{From: 1, To: 2})
	tests := []struct {
		name    string
		op      workload.Operation
		answers [][]any
		errs    []error
		is      []error
		want    string
	}{
		{"executor error", tr, nil, []error{boom}, []error{boom}, "TW12 transfer account 1 -> account 2: connection lost"},
		{"no answer", tr, [][]any{{}}, nil, nil, "result has 0 items"},
		{"two edges", tr, [][]any{{int64(2)}}, nil, nil, "2 elements written, want 1"},
		{"missing dst account", tr, [][]any{{int64(0)}, {true, false}}, nil, []error{ErrNoAccount, ErrNotFound, ErrNothingWritten},
			"TW12 transfer account 1 -> account 2: account 2 not found"},
		{"missing owner", own, [][]any{{int64(0)}, {false, false}}, nil, []error{ErrNotFound},
			"TW4 account 7 of person 3: person 3 not found"},
		{"account exists", own, [][]any{{int64(0)}, {true, true}}, nil, []error{ErrExists, ErrNothingWritten},
			"TW4 account 7 of person 3: account 7: already exists"},
		{"person exists", person, [][]any{{int64(0)}, {true}}, nil, []error{ErrExists}, "TW1 person 5: person 5: already exists"},
		{"check fails", own, [][]any{{int64(0)}}, []error{nil, boom}, []error{ErrNothingWritten},
			"nothing written: one of person 3 is missing or account 7 exists (the check of which failed: connection lost)"},
		{"edge check fails", tr, [][]any{{int64(0)}}, []error{nil, boom}, []error{ErrNothingWritten, ErrNotFound, ErrNoAccount},
			"nothing written: one of account 1, account 2 is missing (the check of which failed: connection lost)"},
		{"person check fails", person, [][]any{{int64(0)}, {}}, nil, []error{ErrNothingWritten, ErrExists},
			"nothing written: person 5 exists (the check of which failed: 0 answers, want 1)"},
		{"check contradicts", tr, [][]any{{int64(0)}, {true, true}}, nil, []error{ErrNothingWritten},
			"nothing written, yet the check found account 1, account 2 and no "},
		{"TW17 missing", TW17(TW17Params{AccountID: 9}), [][]any{{int64(0)}, {false}}, nil, []error{ErrNoAccount},
			"TW17 remove account 9: account 9 not found"},
		{"TW19 missing", TW19(TW19Params{PersonID: 4}), [][]any{{int64(0)}, {false}}, nil, []error{ErrNotFound},
			"TW19 block person 4: person 4 not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.op.Do(context.Background(), &seqExec{answers: tt.answers, errs: tt.errs})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			for _, is := range tt.is {
				if !errors.Is(err, is) {
					t.Errorf("error %v does not match %v", err, is)
				}
			}
		})
	}
	// A missing Person is not a missing account; an unknown cause of a
	// write that creates and needs vertices is neither.
	_, err := own.Do(context.Background(), &seqExec{answers: [][]any{{int64(0)}, {false, false}}})
	if errors.Is(err, ErrNoAccount) {
		t.Errorf("missing person matches ErrNoAccount: %v", err)
	}
	_, err = own.Do(context.Background(), &seqExec{answers: [][]any{{int64(0)}}, errs: []error{nil, boom}})
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrExists) {
		t.Errorf("an unknown cause matches a sentinel: %v", err)
	}
	_, err = TW14(TW14Params{AccountID: 1, LoanID: 2}).Do(context.Background(), &seqExec{answers: [][]any{{int64(0)}}, errs: []error{nil, boom}})
	if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrNoAccount) {
		t.Errorf("repay with an unknown missing end: %v, want ErrNotFound but not ErrNoAccount", err)
	}
	// An executor failure leaves the effect unknown.
	if _, err := tr.Do(context.Background(), &seqExec{errs: []error{boom}}); errors.Is(err, ErrNothingWritten) {
		t.Errorf("executor failure matches ErrNothingWritten: %v", err)
	}
}

// TestWriteRequests checks what every write sends: its constant script,
// every parameter bound (never formatted into the script), and
// idempotency only for TW18/TW19.
func TestWriteRequests(t *testing.T) {
	acc := banking.AccountV{ID: 11, CreateTime: 12, IsBlocked: true, Type: "card", Nickname: "n", Email: "e", PhoneNumber: "p", AccountLevel: "l"}
	loan := banking.LoanV{ID: 21, LoanAmount: 22.5, Balance: 23.5, Usage: "u", InterestRate: 0.25}
	tests := []struct {
		op       workload.Operation
		script   string
		bindings map[string]any
		idem     bool
	}{
		{TW1(TW1Params{ID: 1, Name: "n", IsBlocked: true, CreateTime: 2, Gender: "g", Birthday: 3, Country: "c", City: "ci"}), TW1Script,
			map[string]any{"pid": int64(1), "name": "n", "bl": true, "ct": int64(2), "gender": "g", "bd": int64(3), "country": "c", "city": "ci"}, false},
		{TW2(TW2Params{ID: 1, Name: "n", CreateTime: 2, Country: "c", City: "ci", Business: "b", URL: "u"}), TW2Script,
			map[string]any{"cid": int64(1), "name": "n", "bl": false, "ct": int64(2), "country": "c", "city": "ci", "business": "b", "url": "u"}, false},
		{TW3(TW3Params{ID: 1, Type: "POS", CreateTime: 2, IsBlocked: true, RiskLevel: "high"}), TW3Script,
			map[string]any{"mid": int64(1), "mtype": "POS", "ct": int64(2), "bl": true, "risk": "high"}, false},
		{TW4(TW4Params{PersonID: 1, Account: acc, Time: 13}), TW4Script,
			map[string]any{"oid": int64(1), "aid": int64(11), "act": int64(12), "bl": true, "atype": "card", "nick": "n", "email": "e", "phone": "p", "level": "l", "ts": int64(13)}, false},
		{TW5(TW5Params{CompanyID: 2, Account: acc, Time: 13}), TW5Script,
			map[string]any{"oid": int64(2), "aid": int64(11), "act": int64(12), "bl": true, "atype": "card", "nick": "n", "email": "e", "phone": "p", "level": "l", "ts": int64(13)}, false},
		{TW6(TW6Params{PersonID: 1, Loan: loan, Time: 24, Organization: "o"}), TW6Script,
			map[string]any{"oid": int64(1), "lid": int64(21), "amt": 22.5, "bal": 23.5, "usage": "u", "rate": 0.25, "ts": int64(24), "org": "o"}, false},
		{TW7(TW7Params{CompanyID: 2, Loan: loan, Time: 24, Organization: "o"}), TW7Script,
			map[string]any{"oid": int64(2), "lid": int64(21), "amt": 22.5, "bal": 23.5, "usage": "u", "rate": 0.25, "ts": int64(24), "org": "o"}, false},
		{TW8(TW8Params{PersonID: 1, CompanyID: 2, Time: 3, Ratio: 0.5}), TW8Script,
			map[string]any{"src": int64(1), "dst": int64(2), "ts": int64(3), "ratio": 0.5}, false},
		{TW9(TW9Params{CompanyID1: 1, CompanyID2: 2, Time: 3, Ratio: 0.5}), TW9Script,
			map[string]any{"src": int64(1), "dst": int64(2), "ts": int64(3), "ratio": 0.5}, false},
		{TW10(TW10Params{PersonID1: 1, PersonID2: 2, Time: 3, Relationship: "r"}), TW10Script,
			map[string]any{"src": int64(1), "dst": int64(2), "ts": int64(3), "rel": "r"}, false},
		{TW11(TW11Params{CompanyID1: 1, CompanyID2: 2, Time: 3, Relationship: "r"}), TW11Script,
			map[string]any{"src": int64(1), "dst": int64(2), "ts": int64(3), "rel": "r"}, false},
		{TW12(Transfer{From: 1, To: 2, Time: 3, Amount: 4.5, OrderNumber: 6, PayType: "wire"}), TW12Script,
			map[string]any{"src": int64(1), "dst": int64(2), "ts": int64(3), "amt": 4.5, "ord": int64(6), "pt": "wire"}, false},
		{TW13(TW13Params{From: 1, To: 2, Time: 3, Amount: 4.5}), TW13Script,
			map[string]any{"src": int64(1), "dst": int64(2), "ts": int64(3), "amt": 4.5}, false},
		{TW14(TW14Params{AccountID: 1, LoanID: 2, Time: 3, Amount: 4.5}), TW14Script,
			map[string]any{"src": int64(1), "dst": int64(2), "ts": int64(3), "amt": 4.5}, false},
		{TW15(TW15Params{LoanID: 1, AccountID: 2, Time: 3, Amount: 4.5}), TW15Script,
			map[string]any{"src": int64(1), "dst": int64(2), "ts": int64(3), "amt": 4.5}, false},
		{TW16(TW16Params{MediumID: 1, AccountID: 2, Time: 3, Location: "l"}), TW16Script,
			map[string]any{"src": int64(1), "dst": int64(2), "ts": int64(3), "loc": "l"}, false},
		{TW17(TW17Params{AccountID: 1}), TW17Script, map[string]any{"aid": int64(1)}, false},
		{TW18(TW18Params{AccountID: 1}), TW18Script, map[string]any{"aid": int64(1)}, true},
		{TW19(TW19Params{PersonID: 1}), TW19Script, map[string]any{"pid": int64(1)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.op.Type, func(t *testing.T) {
			ex := &seqExec{answers: [][]any{{int64(1)}}}
			if _, err := tt.op.Do(context.Background(), ex); err != nil {
				t.Fatal(err)
			}
			r := ex.got[0]
			if r.Script != tt.script || r.Idempotent != tt.idem || !reflect.DeepEqual(r.Bindings, tt.bindings) {
				t.Errorf("request %+v\nwant script %q, idempotent %v, bindings %v", r, tt.script, tt.idem, tt.bindings)
			}
			if tt.op.Kind != workload.Write || tt.op.Params == nil {
				t.Errorf("kind %v, params %v", tt.op.Kind, tt.op.Params)
			}
			for k := range tt.bindings {
				if !strings.Contains(r.Script, k) {
					t.Errorf("binding %s unused by the script", k)
				}
			}
		})
	}
}

// TestTW17Result: the answer counts the account and its loans.
func TestTW17Result(t *testing.T) {
	res, err := TW17(TW17Params{AccountID: 1}).Do(context.Background(), &seqExec{answers: [][]any{{int64(3)}}})
	if err != nil || res != (TW17Result{Loans: 2}) {
		t.Errorf("TW17 answered %v, %v; want 2 loans", res, err)
	}
}

func TestUpdateOps(t *testing.T) {
	ends := func(fl, tl banking.Label, f, to int64) banking.Ends {
		return banking.Ends{FromLabel: fl, ToLabel: tl, From: f, To: to}
	}
	p := banking.PersonV{ID: 1, Name: "n", CreateTime: 5}
	tests := []struct {
		b    banking.Batch
		want []any // Params of the operations, in order
	}{
		{banking.Batch{Label: banking.Person, Persons: []banking.PersonV{p, {ID: 2}}}, []any{TW1Params(p), TW1Params{ID: 2}}},
		{banking.Batch{Label: banking.Company, Companies: []banking.CompanyV{{ID: 3, URL: "u"}}}, []any{TW2Params{ID: 3, URL: "u"}}},
		{banking.Batch{Label: banking.Medium, Media: []banking.MediumV{{ID: 4, Type: "IP"}}}, []any{TW3Params{ID: 4, Type: "IP"}}},
		{banking.Batch{Label: banking.Invest, Invests: []banking.InvestE{
			{Ends: ends(banking.Person, banking.Company, 1, 2), Timestamp: 3, Ratio: 0.5},
			{Ends: ends(banking.Company, banking.Company, 4, 2), Timestamp: 5, Ratio: 0.25}}},
			[]any{TW8Params{1, 2, 3, 0.5}, TW9Params{4, 2, 5, 0.25}}},
		{banking.Batch{Label: banking.Guarantee, Notes: []banking.NoteE{
			{Ends: ends(banking.Person, banking.Person, 1, 2), Timestamp: 3, Note: "family"},
			{Ends: ends(banking.Company, banking.Company, 4, 5), Timestamp: 6, Note: "business"}}},
			[]any{TW10Params{1, 2, 3, "family"}, TW11Params{4, 5, 6, "business"}}},
		{banking.Batch{Label: banking.Transfer, Transfers: []banking.TransferE{
			{Ends: ends(banking.Account, banking.Account, 1, 2), Timestamp: 3, Amount: 4.5, OrderNumber: 6, PayType: "wire"}}},
			[]any{Transfer{1, 2, 3, 4.5, 6, "wire"}}},
		{banking.Batch{Label: banking.Withdraw, Money: []banking.MoneyE{{Ends: ends(banking.Account, banking.Account, 1, 2), Timestamp: 3, Amount: 4.5}}},
			[]any{TW13Params{1, 2, 3, 4.5}}},
		{banking.Batch{Label: banking.Repay, Money: []banking.MoneyE{{Ends: ends(banking.Account, banking.Loan, 1, 2), Timestamp: 3, Amount: 4.5}}},
			[]any{TW14Params{1, 2, 3, 4.5}}},
		{banking.Batch{Label: banking.Deposit, Money: []banking.MoneyE{{Ends: ends(banking.Loan, banking.Account, 1, 2), Timestamp: 3, Amount: 4.5}}},
			[]any{TW15Params{1, 2, 3, 4.5}}},
		{banking.Batch{Label: banking.SignIn, Notes: []banking.NoteE{{Ends: ends(banking.Medium, banking.Account, 1, 2), Timestamp: 3, Note: "Paris"}}},
			[]any{TW16Params{1, 2, 3, "Paris"}}},
	}
	types := map[string]bool{}
	for _, tt := range tests {
		ops, err := UpdateOps(&tt.b)
		if err != nil {
			t.Fatalf("%s: %v", tt.b.Label, err)
		}
		var got []any
		for _, op := range ops {
			got = append(got, op.Params)
			types[op.Type] = true
			if op.Kind != workload.Write {
				t.Errorf("%s kind %v", op.Type, op.Kind)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: params %+v, want %+v", tt.b.Label, got, tt.want)
		}
	}
	if len(types) != 12 {
		t.Errorf("%d operation types made, want 12: %v", len(types), types)
	}
	for _, b := range []banking.Batch{
		{Label: banking.Account, Accounts: []banking.AccountV{{ID: 1}}},
		{Label: banking.Own}, {Label: banking.Loan}, {Label: banking.Apply}, {Label: banking.Address}, {Label: banking.LivesAt},
		{Label: banking.Guarantee, Notes: []banking.NoteE{{Ends: ends(banking.Person, banking.Company, 1, 2)}}},
	} {
		if ops, err := UpdateOps(&b); !errors.Is(err, ErrNoWrite) || ops != nil {
			t.Errorf("%s: %v, %v; want ErrNoWrite", b.Label, ops, err)
		}
	}
}

func TestTRWFaults(t *testing.T) {
	boom := errors.New("connection lost")
	abort := &client.StatusError{Code: 597, Message: abortMarker + ": transfer cycle"}
	other597 := &client.StatusError{Code: 597, Message: "No such property: x"}
	tr := TRW1(TRW1Params{Transfer: Transfer{From: 1, To: 2}})
	tests := []struct {
		name    string
		op      workload.Operation
		answers [][]any
		errs    []error
		want    TRWOutcome
		is      error
		wantErr string
	}{
		{"committed", tr, [][]any{{"committed"}}, nil, TRWCommitted, nil, ""},
		{"refused", tr, [][]any{{"refused"}}, nil, TRWRefused, nil, ""},
		{"aborted and blocked", tr, [][]any{nil, {int64(2)}}, []error{abort}, TRWAborted, nil, ""},
		{"aborted, block fails", tr, nil, []error{abort, boom}, 0, boom,
			"TRW1 transfer 1 -> 2: aborted, then blocking account 1 and 2 failed: connection lost"},
		{"aborted, block finds one", tr, [][]any{nil, {int64(1)}}, []error{abort}, 0, nil, "aborted, then blocking account 1 and 2 answered [1]"},
		{"script error", tr, nil, []error{other597}, 0, client.ErrScript, "TRW1 transfer 1 -> 2: client: server  answered 597"},
		{"executor error", tr, nil, []error{boom}, 0, boom, "TRW1 transfer 1 -> 2: connection lost"},
		{"missing src", tr, [][]any{{"missing-src"}}, nil, 0, ErrNoAccount, "TRW1 transfer 1 -> 2: account 1 not found"},
		{"missing dst person", TRW3(TRW3Params{Guarantee: TW10Params{PersonID1: 3, PersonID2: 4}}), [][]any{{"missing-dst"}}, nil, 0, ErrNotFound,
			"TRW3 guarantee 3 -> 4: person 4 not found"},
		{"odd answer", tr, [][]any{{"maybe"}}, nil, 0, nil, "answered maybe, want committed, refused or a missing vertex"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := &seqExec{answers: tt.answers, errs: tt.errs}
			res, err := tt.op.Do(context.Background(), ex)
			if tt.wantErr == "" {
				if err != nil || res != tt.want {
					t.Fatalf("%v, %v; want %v", res, err, tt.want)
				}
			} else if err == nil || !strings.Contains(err.Error(), tt.wantErr) || (tt.is != nil && !errors.Is(err, tt.is)) {
				t.Fatalf("error %v, want %q (is %v)", err, tt.wantErr, tt.is)
			}
			if ex.got[0].Idempotent {
				t.Error("the TRW script is marked idempotent")
			}
			if len(ex.got) > 1 {
				b := ex.got[1]
				if b.Script != blockScript || !b.Idempotent || !reflect.DeepEqual(b.Bindings["ids"], []int64{1, 2}) {
					t.Errorf("block request %+v", b)
				}
			}
		})
	}
}
