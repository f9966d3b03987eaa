package banking

import (
	"errors"
	"strings"
	"testing"
)

func TestValidatorNamesLabelIDAndField(t *testing.T) {
	sizes := Sizes{Persons: 2, Companies: 1, Accounts: 3, Loans: 1, Media: 1, Addresses: 1}
	okTime := SpanStart + 1000
	persons := &Batch{Label: Person, Persons: []PersonV{{ID: ID(Person, 0), CreateTime: okTime}, {ID: ID(Person, 1), CreateTime: okTime}}}
	accounts := &Batch{Label: Account, Accounts: []AccountV{{ID: ID(Account, 0), CreateTime: okTime}, {ID: ID(Account, 1), CreateTime: okTime}}}
	a0, a1 := ID(Account, 0), ID(Account, 1)
	tests := []struct {
		name  string
		batch *Batch
		label Label
		id    int64
		field string
	}{
		{"duplicate id", &Batch{Label: Person, Persons: []PersonV{{ID: ID(Person, 0), CreateTime: okTime}}}, Person, ID(Person, 0), "personId"},
		{"id outside space", &Batch{Label: Loan, Loans: []LoanV{{ID: ID(Loan, 5), LoanAmount: 1}}}, Loan, ID(Loan, 5), "loanId"},
		{"createTime outside span", &Batch{Label: Medium, Media: []MediumV{{ID: ID(Medium, 0), CreateTime: SpanEnd}}}, Medium, ID(Medium, 0), "createTime"},
		{"loan amount with 3 decimals", &Batch{Label: Loan, Loans: []LoanV{{ID: ID(Loan, 0), LoanAmount: 10.125}}}, Loan, ID(Loan, 0), "loanAmount"},
		{"missing endpoint", &Batch{Label: Transfer, Transfers: []TransferE{{Ends: Ends{Account, Account, a0, ID(Account, 2)}, Timestamp: okTime, Amount: 1}}}, Transfer, a0, "toId"},
		{"wrong endpoint label", &Batch{Label: Transfer, Transfers: []TransferE{{Ends: Ends{Person, Account, ID(Person, 0), a1}, Timestamp: okTime, Amount: 1}}}, Transfer, ID(Person, 0), "fromLabel"},
		{"timestamp outside span", &Batch{Label: Withdraw, Money: []MoneyE{{Ends: Ends{Account, Account, a0, a1}, Timestamp: SpanStart - 1, Amount: 1}}}, Withdraw, a0, "timestamp"},
		{"negative amount", &Batch{Label: Transfer, Transfers: []TransferE{{Ends: Ends{Account, Account, a0, a1}, Timestamp: okTime, Amount: -3}}}, Transfer, a0, "amount"},
		{"amount with 3 decimals", &Batch{Label: Repay, Money: []MoneyE{{Ends: Ends{Account, Loan, a0, ID(Loan, 0)}, Timestamp: okTime, Amount: 0.001}}}, Repay, a0, "amount"},
		{"since outside span", &Batch{Label: Own, Times: []TimeE{{Ends: Ends{Person, Account, ID(Person, 0), a0}, Time: 5}}}, Own, ID(Person, 0), "createTime"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := NewValidator(sizes)
			for _, b := range []*Batch{persons, accounts, {Label: Loan, Loans: []LoanV{{ID: ID(Loan, 0), LoanAmount: 5}}}} {
				if tc.batch.Label == Loan && b.Label == Loan {
					continue
				}
				if err := v.Check(b); err != nil {
					t.Fatalf("valid batch rejected: %v", err)
				}
			}
			err := v.Check(tc.batch)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Check = %v, want a ValidationError", err)
			}
			if ve.Label != tc.label || ve.ID != tc.id || ve.Field != tc.field {
				t.Fatalf("error names (%s, %d, %s), want (%s, %d, %s): %v", ve.Label, ve.ID, ve.Field, tc.label, tc.id, tc.field, err)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.label.String()) || !strings.Contains(msg, tc.field) {
				t.Fatalf("message %q does not name label and field", msg)
			}
		})
	}
}
