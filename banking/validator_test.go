package banking

import (
	"errors"
	"math"
	"testing"
)

func TestTwoDecimalsAndSpan(t *testing.T) {
	amounts := []struct {
		a    float64
		want bool
	}{
		{0.01, true}, {1, true}, {12345.67, true}, {1e13, true}, {0.0100009, true},
		{0, false}, {-0.01, false}, {math.NaN(), false}, {1e13 + 0.01, false}, {0.015, false},
		{0.001, false}, {0.010002, false}, {math.Inf(1), false},
	}
	for _, tc := range amounts {
		if got := twoDecimals(tc.a); got != tc.want {
			t.Errorf("twoDecimals(%v) = %v, want %v", tc.a, got, tc.want)
		}
	}
	spans := []struct {
		ts   int64
		want bool
	}{
		{SpanStart - 1, false}, {SpanStart, true}, {SpanStart + 1, true}, {SpanEnd - 1, true}, {SpanEnd, false},
	}
	for _, tc := range spans {
		if got := inSpan(tc.ts); got != tc.want {
			t.Errorf("inSpan(%d) = %v, want %v", tc.ts, got, tc.want)
		}
	}
}

func TestValidationErrorMessage(t *testing.T) {
	tests := []struct {
		err  *ValidationError
		want string
	}{
		{&ValidationError{Label: Person, ID: 7, To: 9, Field: "personId", Problem: "duplicate id"},
			"banking: invalid Person 7: field personId: duplicate id"},
		{&ValidationError{Label: Transfer, ID: 7, To: 9, Field: "amount", Problem: "bad"},
			"banking: invalid transfer 7->9: field amount: bad"},
	}
	for _, tc := range tests {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

// TestValidatorAcceptsAndRejects feeds a small valid graph in stream order,
// then one bad batch per case.
func TestValidatorAcceptsAndRejects(t *testing.T) {
	sizes := Sizes{Persons: 130, Companies: 2, Accounts: 70, Loans: 2, Media: 3, Addresses: 2}
	ok := SpanStart + 5
	var persons []PersonV
	for i := range sizes.Persons {
		persons = append(persons, PersonV{ID: ID(Person, i), CreateTime: ok})
	}
	var accounts []AccountV
	for i := range sizes.Accounts {
		accounts = append(accounts, AccountV{ID: ID(Account, i), CreateTime: ok})
	}
	p0, p64, p129 := ID(Person, 0), ID(Person, 64), ID(Person, 129)
	c0, c1 := ID(Company, 0), ID(Company, 1)
	a0, a63, a69 := ID(Account, 0), ID(Account, 63), ID(Account, 69)
	valid := []*Batch{
		{Label: Person, Persons: persons},
		{Label: Company, Companies: []CompanyV{{ID: c0, CreateTime: ok}, {ID: c1, CreateTime: SpanEnd - 1}}},
		{Label: Account, Accounts: accounts},
		{Label: Loan, Loans: []LoanV{{ID: ID(Loan, 0), LoanAmount: 0.01}, {ID: ID(Loan, 1), LoanAmount: 10, Balance: 2.5}}},
		{Label: Medium, Media: []MediumV{{ID: ID(Medium, 1), CreateTime: SpanStart}}},
		{Label: Address, Addresses: []AddressV{{ID: ID(Address, 1)}}},
		{Label: Own, Times: []TimeE{{Ends: Ends{Company, Account, c1, a69}, Time: ok}}},
		{Label: Transfer, Transfers: []TransferE{{Ends: Ends{Account, Account, a63, a69}, Timestamp: ok, Amount: 1}}},
		{Label: Deposit, Money: []MoneyE{{Ends: Ends{Loan, Account, ID(Loan, 1), a0}, Timestamp: ok, Amount: 3.5}}},
		{Label: SignIn, Notes: []NoteE{{Ends: Ends{Medium, Account, ID(Medium, 1), a0}, Timestamp: ok}}},
		{Label: Invest, Invests: []InvestE{{Ends: Ends{Person, Company, p129, c1}, Timestamp: ok, Ratio: 0.5}}},
		{Label: Guarantee, Notes: []NoteE{{Ends: Ends{Company, Company, c0, c1}, Timestamp: ok}}},
		{Label: LivesAt, Times: []TimeE{{Ends: Ends{Person, Address, p64, ID(Address, 1)}, Time: ok}}},
	}
	v := NewValidator(sizes)
	for _, b := range valid {
		if err := v.Check(b); err != nil {
			t.Fatalf("valid %s batch rejected: %v", b.Label, err)
		}
	}
	tests := []struct {
		name  string
		b     *Batch
		id    int64
		field string
	}{
		{"duplicate company", &Batch{Label: Company, Companies: []CompanyV{{ID: c0, CreateTime: ok}}}, c0, "companyId"},
		{"duplicate account in 2nd word", &Batch{Label: Account, Accounts: []AccountV{{ID: a63, CreateTime: ok}}}, a63, "accountId"},
		{"duplicate address", &Batch{Label: Address, Addresses: []AddressV{{ID: ID(Address, 1)}}}, ID(Address, 1), "addressId"},
		{"address id = count", &Batch{Label: Address, Addresses: []AddressV{{ID: ID(Address, 2)}}}, ID(Address, 2), "addressId"},
		{"address of another label", &Batch{Label: Address, Addresses: []AddressV{{ID: ID(Medium, 0)}}}, ID(Medium, 0), "addressId"},
		{"medium before span", &Batch{Label: Medium, Media: []MediumV{{ID: ID(Medium, 2), CreateTime: SpanStart - 1}}}, ID(Medium, 2), "createTime"},
		{"balance with 3 decimals", &Batch{Label: Loan, Loans: []LoanV{{ID: ID(Loan, 1), LoanAmount: 1}}}, ID(Loan, 1), "loanId"},
		{"to label not allowed", &Batch{Label: Transfer, Transfers: []TransferE{{Ends: Ends{Account, Person, a0, p0}, Timestamp: ok, Amount: 1}}}, a0, "toLabel"},
		{"from id never emitted", &Batch{Label: SignIn, Notes: []NoteE{{Ends: Ends{Medium, Account, ID(Medium, 0), a0}, Timestamp: ok}}}, ID(Medium, 0), "fromId"},
		{"from id out of range", &Batch{Label: Own, Times: []TimeE{{Ends: Ends{Person, Account, ID(Person, 500), a0}, Time: ok}}}, ID(Person, 500), "fromId"},
		{"since after span", &Batch{Label: RegisteredAt, Times: []TimeE{{Ends: Ends{Company, Address, c0, ID(Address, 1)}, Time: SpanEnd}}}, c0, "since"},
		{"note timestamp", &Batch{Label: Apply, Notes: []NoteE{{Ends: Ends{Person, Loan, p0, ID(Loan, 0)}, Timestamp: 0}}}, p0, "timestamp"},
		{"invest timestamp", &Batch{Label: Invest, Invests: []InvestE{{Ends: Ends{Company, Company, c0, c1}, Timestamp: SpanEnd}}}, c0, "timestamp"},
		{"invest to person", &Batch{Label: Invest, Invests: []InvestE{{Ends: Ends{Company, Person, c0, p0}, Timestamp: ok}}}, c0, "toLabel"},
		{"money zero amount", &Batch{Label: Withdraw, Money: []MoneyE{{Ends: Ends{Account, Account, a0, a69}, Timestamp: ok}}}, a0, "amount"},
		{"transfer 3 decimals", &Batch{Label: Transfer, Transfers: []TransferE{{Ends: Ends{Account, Account, a0, a69}, Timestamp: ok, Amount: 1.001}}}, a0, "amount"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := v.Check(tc.b)
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.ID != tc.id || ve.Field != tc.field || ve.Label != tc.b.Label {
				t.Fatalf("Check = %v, want a ValidationError on %s %d %s", err, tc.b.Label, tc.id, tc.field)
			}
		})
	}
	t.Run("balance", func(t *testing.T) {
		v := NewValidator(sizes)
		err := v.Check(&Batch{Label: Loan, Loans: []LoanV{{ID: ID(Loan, 0), LoanAmount: 1, Balance: 0.125}}})
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != "balance" {
			t.Fatalf("Check = %v, want a balance error", err)
		}
	})
	t.Run("edge ends know only vertex labels", func(t *testing.T) {
		if v.exists(Transfer, a0) || !v.exists(Account, a0) || v.exists(Account, ID(Account, 70)) || v.exists(Medium, ID(Medium, 0)) || !v.exists(Medium, ID(Medium, 1)) {
			t.Fatalf("exists() wrong")
		}
	})
}

func TestValidationProblems(t *testing.T) {
	sizes := Sizes{Persons: 1, Companies: 1, Accounts: 2, Loans: 1, Media: 1, Addresses: 1}
	ok := SpanStart + 5
	a0, a1 := ID(Account, 0), ID(Account, 1)
	tests := []struct {
		name string
		b    *Batch
		want string
	}{
		{"outside id space", &Batch{Label: Person, Persons: []PersonV{{ID: ID(Person, 1), CreateTime: ok}}},
			"banking: invalid Person 10000000001: field personId: id outside the label's id space"},
		{"duplicate", &Batch{Label: Account, Accounts: []AccountV{{ID: a0, CreateTime: ok}}},
			"banking: invalid Account 30000000000: field accountId: duplicate id"},
		{"from label", &Batch{Label: Transfer, Transfers: []TransferE{{Ends: Ends{Loan, Account, ID(Loan, 0), a1}, Timestamp: ok, Amount: 1}}},
			"banking: invalid transfer 40000000000->30000000001: field fromLabel: label Loan not allowed"},
		{"to label", &Batch{Label: Transfer, Transfers: []TransferE{{Ends: Ends{Account, Loan, a0, ID(Loan, 0)}, Timestamp: ok, Amount: 1}}},
			"banking: invalid transfer 30000000000->40000000000: field toLabel: label Loan not allowed"},
		{"from id", &Batch{Label: Transfer, Transfers: []TransferE{{Ends: Ends{Account, Account, ID(Account, 9), a1}, Timestamp: ok, Amount: 1}}},
			"banking: invalid transfer 30000000009->30000000001: field fromId: Account 30000000009 does not exist"},
		{"to id", &Batch{Label: Transfer, Transfers: []TransferE{{Ends: Ends{Account, Account, a0, ID(Account, 7)}, Timestamp: ok, Amount: 1}}},
			"banking: invalid transfer 30000000000->30000000007: field toId: Account 30000000007 does not exist"},
		{"edge timestamp", &Batch{Label: Transfer, Transfers: []TransferE{{Ends: Ends{Account, Account, a0, a1}, Timestamp: 12, Amount: 1}}},
			"banking: invalid transfer 30000000000->30000000001: field timestamp: timestamp 12 outside the generated span"},
		{"amount", &Batch{Label: Transfer, Transfers: []TransferE{{Ends: Ends{Account, Account, a0, a1}, Timestamp: ok, Amount: 0.125}}},
			"banking: invalid transfer 30000000000->30000000001: field amount: 0.125 is not a positive amount with 2 decimals"},
		{"vertex time", &Batch{Label: Company, Companies: []CompanyV{{ID: ID(Company, 0), CreateTime: 3}}},
			"banking: invalid Company 20000000000: field createTime: timestamp 3 outside the generated span"},
		{"loan amount", &Batch{Label: Loan, Loans: []LoanV{{ID: ID(Loan, 0)}}},
			"banking: invalid Loan 40000000000: field loanAmount: not a positive amount with 2 decimals"},
		{"loan balance", &Batch{Label: Loan, Loans: []LoanV{{ID: ID(Loan, 0), LoanAmount: 1, Balance: -1}}},
			"banking: invalid Loan 40000000000: field balance: not an amount with 2 decimals"},
		{"since", &Batch{Label: LivesAt, Times: []TimeE{{Ends: Ends{Person, Address, ID(Person, 0), ID(Address, 0)}, Time: SpanEnd}}},
			"banking: invalid livesAt 10000000000->60000000000: field since: timestamp 1672531200000 outside the generated span"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := NewValidator(sizes)
			for _, b := range []*Batch{
				{Label: Person, Persons: []PersonV{{ID: ID(Person, 0), CreateTime: ok}}},
				{Label: Account, Accounts: []AccountV{{ID: a0, CreateTime: ok}, {ID: a1, CreateTime: ok}}},
				{Label: Address, Addresses: []AddressV{{ID: ID(Address, 0)}}},
			} {
				if err := v.Check(b); err != nil {
					t.Fatal(err)
				}
			}
			if err := v.Check(tc.b); err == nil || err.Error() != tc.want {
				t.Fatalf("Check = %v\nwant %s", err, tc.want)
			}
		})
	}
}
