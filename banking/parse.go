package banking

import (
	"fmt"
	"strconv"
)

// ColumnError reports a file value that cannot be parsed.
type ColumnError struct {
	Label  Label
	Column string
	Value  string
	Err    error
}

// Error implements the error interface.
func (e *ColumnError) Error() string {
	return fmt.Sprintf("banking: %s column %s: bad value %q: %v", e.Label, e.Column, e.Value, e.Err)
}

// Unwrap returns the underlying error, for errors.Is and errors.As.
func (e *ColumnError) Unwrap() error { return e.Err }

// rowParser parses one row's values, in Columns order.
type rowParser struct {
	l    Label
	cols []string
	vals []string
	err  error
}

func (p *rowParser) fail(i int, err error) {
	if p.err == nil {
		p.err = &ColumnError{Label: p.l, Column: p.cols[i], Value: p.vals[i], Err: err}
	}
}

func (p *rowParser) int(i int) int64 {
	v, err := strconv.ParseInt(p.vals[i], 10, 64)
	if err != nil {
		p.fail(i, err)
	}
	return v
}

func (p *rowParser) float(i int) float64 {
	v, err := strconv.ParseFloat(p.vals[i], 64)
	if err != nil {
		p.fail(i, err)
	}
	return v
}

func (p *rowParser) bool(i int) bool {
	v, err := strconv.ParseBool(p.vals[i])
	if err != nil {
		p.fail(i, err)
	}
	return v
}

func (p *rowParser) label(i int) Label {
	l, ok := ParseLabel(p.vals[i])
	if !ok || l.Kind() != VertexKind {
		p.fail(i, fmt.Errorf("not a vertex label"))
	}
	return l
}

func (p *rowParser) ends() Ends {
	return Ends{FromLabel: p.label(0), From: p.int(1), ToLabel: p.label(2), To: p.int(3)}
}

// AppendRow parses one row of b.Label's file (values in Label.Columns
// order, as strings) and appends the entity to the batch. It is the inverse
// of AppendCSV/AppendJSONL for one row.
func (b *Batch) AppendRow(vals []string) error {
	if int(b.Label) >= NumLabels {
		return fmt.Errorf("banking: unknown label %d", b.Label)
	}
	cols := b.Label.Columns()
	if len(vals) != len(cols) {
		return &ColumnError{Label: b.Label, Column: "*", Value: fmt.Sprint(len(vals)), Err: fmt.Errorf("want %d columns", len(cols))}
	}
	p := &rowParser{l: b.Label, cols: cols, vals: vals}
	s := func(i int) string { return vals[i] }
	switch b.Label {
	case Person:
		b.Persons = append(b.Persons, PersonV{ID: p.int(0), Name: s(1), IsBlocked: p.bool(2), CreateTime: p.int(3),
			Gender: s(4), Birthday: p.int(5), Country: s(6), City: s(7)})
	case Company:
		b.Companies = append(b.Companies, CompanyV{ID: p.int(0), Name: s(1), IsBlocked: p.bool(2), CreateTime: p.int(3),
			Country: s(4), City: s(5), Business: s(6), URL: s(7)})
	case Account:
		b.Accounts = append(b.Accounts, AccountV{ID: p.int(0), CreateTime: p.int(1), IsBlocked: p.bool(2), Type: s(3),
			Nickname: s(4), Email: s(5), PhoneNumber: s(6), AccountLevel: s(7)})
	case Loan:
		b.Loans = append(b.Loans, LoanV{ID: p.int(0), LoanAmount: p.float(1), Balance: p.float(2), Usage: s(3), InterestRate: p.float(4)})
	case Medium:
		b.Media = append(b.Media, MediumV{ID: p.int(0), Type: s(1), CreateTime: p.int(2), IsBlocked: p.bool(3), RiskLevel: s(4)})
	case Address:
		b.Addresses = append(b.Addresses, AddressV{ID: p.int(0), Street: s(1), City: s(2), Postcode: s(3), Country: s(4)})
	case Transfer:
		b.Transfers = append(b.Transfers, TransferE{Ends: p.ends(), Timestamp: p.int(4), Amount: p.float(5), OrderNumber: p.int(6), PayType: s(7)})
	case Withdraw, Deposit, Repay:
		b.Money = append(b.Money, MoneyE{Ends: p.ends(), Timestamp: p.int(4), Amount: p.float(5)})
	case Own, LivesAt, RegisteredAt:
		b.Times = append(b.Times, TimeE{Ends: p.ends(), Time: p.int(4)})
	case SignIn, Apply, Guarantee:
		b.Notes = append(b.Notes, NoteE{Ends: p.ends(), Timestamp: p.int(4), Note: s(5)})
	case Invest:
		b.Invests = append(b.Invests, InvestE{Ends: p.ends(), Timestamp: p.int(4), Ratio: p.float(5)})
	}
	return p.err
}
