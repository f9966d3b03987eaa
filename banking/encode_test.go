package banking

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"strconv"
	"testing"
)

func sampleBatches() []*Batch {
	e := Ends{Person, Account, ID(Person, 1), ID(Account, 2)}
	aa := Ends{Account, Account, ID(Account, 1), ID(Account, 2)}
	return []*Batch{
		{Label: Person, Persons: []PersonV{
			{ID: ID(Person, 1), Name: `Ann "the, \ banker"`, IsBlocked: true, CreateTime: SpanStart, Gender: "female", Birthday: -5, Country: "Côte d'Ivoire", City: "line\nbreak\ttab"},
			{ID: ID(Person, 2), Name: " leading space", Country: "", City: "\x01ctl"},
		}},
		{Label: Company, Companies: []CompanyV{{ID: ID(Company, 3), Name: "Acme, Inc.", CreateTime: 7, URL: "https://x.example"}}},
		{Label: Account, Accounts: []AccountV{{ID: ID(Account, 2), Type: "card", Email: "a@b.c", AccountLevel: "gold"}}},
		{Label: Loan, Loans: []LoanV{{ID: ID(Loan, 0), LoanAmount: 12345.67, Balance: 0.1, Usage: "car", InterestRate: 0.0731}}},
		{Label: Medium, Media: []MediumV{{ID: ID(Medium, 0), Type: "IP", IsBlocked: true, RiskLevel: "high"}}},
		{Label: Address, Addresses: []AddressV{{ID: ID(Address, 0), Street: "1 Main St", Postcode: "02139"}}},
		{Label: Own, Times: []TimeE{{Ends: e, Time: 99}}},
		{Label: Transfer, Transfers: []TransferE{{Ends: aa, Timestamp: 5, Amount: 9999.99, OrderNumber: 1 << 62, PayType: "wire"}, {Ends: aa, Amount: 0.01}}},
		{Label: Withdraw, Money: []MoneyE{{Ends: aa, Timestamp: 1, Amount: 100}}},
		{Label: SignIn, Notes: []NoteE{{Ends: Ends{Medium, Account, ID(Medium, 0), ID(Account, 2)}, Timestamp: 3, Note: "Paris, \"FR\""}}},
		{Label: Invest, Invests: []InvestE{{Ends: Ends{Company, Company, ID(Company, 1), ID(Company, 3)}, Timestamp: 4, Ratio: 0.37}}},
	}
}

func TestJSONLRoundTrip(t *testing.T) {
	for _, b := range sampleBatches() {
		t.Run(b.Label.String(), func(t *testing.T) {
			out := &Batch{Label: b.Label}
			cols := b.Label.Columns()
			for _, line := range bytes.Split(bytes.TrimSuffix(b.AppendJSONL(nil), []byte("\n")), []byte("\n")) {
				var obj map[string]any
				dec := json.NewDecoder(bytes.NewReader(line))
				dec.UseNumber()
				if err := dec.Decode(&obj); err != nil {
					t.Fatalf("invalid JSON %s: %v", line, err)
				}
				vals := make([]string, len(cols))
				for i, c := range cols {
					switch v := obj[c].(type) {
					case string:
						vals[i] = v
					case json.Number:
						vals[i] = v.String()
					case bool:
						vals[i] = strconv.FormatBool(v)
					default:
						t.Fatalf("column %s missing or of type %T in %s", c, v, line)
					}
				}
				if err := out.AppendRow(vals); err != nil {
					t.Fatal(err)
				}
			}
			if !reflect.DeepEqual(out, b) {
				t.Fatalf("round trip differs:\n got %+v\nwant %+v", out, b)
			}
		})
	}
}

func TestCSVRoundTrip(t *testing.T) {
	for _, b := range sampleBatches() {
		t.Run(b.Label.String(), func(t *testing.T) {
			data := AppendCSVHeader(nil, b.Label)
			data = b.AppendCSV(data)
			r := csv.NewReader(bytes.NewReader(data))
			rows, err := r.ReadAll()
			if err != nil {
				t.Fatalf("invalid CSV %s: %v", data, err)
			}
			if !reflect.DeepEqual(rows[0], b.Label.Columns()) {
				t.Fatalf("header %v", rows[0])
			}
			out := &Batch{Label: b.Label}
			for _, row := range rows[1:] {
				if err := out.AppendRow(row); err != nil {
					t.Fatal(err)
				}
			}
			if !reflect.DeepEqual(out, b) {
				t.Fatalf("round trip differs:\n got %+v\nwant %+v", out, b)
			}
		})
	}
}

func TestAppendRowErrorsNameTheColumn(t *testing.T) {
	tests := []struct {
		label  Label
		vals   []string
		column string
	}{
		{Person, []string{"x", "n", "false", "1", "g", "2", "c", "c"}, "personId"},
		{Transfer, []string{"Account", "1", "Account", "2", "3", "lots", "4", "wire"}, "amount"},
		{Transfer, []string{"Bogus", "1", "Account", "2", "3", "1.5", "4", "wire"}, "fromLabel"},
		{Medium, []string{"1", "IP", "1", "maybe", "low"}, "isBlocked"},
		{Own, []string{"Person", "1"}, "*"},
	}
	for _, tc := range tests {
		b := &Batch{Label: tc.label}
		err := b.AppendRow(tc.vals)
		ce, ok := err.(*ColumnError)
		if !ok || ce.Column != tc.column || ce.Label != tc.label {
			t.Errorf("%s %v: err = %v, want ColumnError on %s", tc.label, tc.vals, err, tc.column)
		}
	}
}

func TestBindings(t *testing.T) {
	b := sampleBatches()
	person := b[0].Bindings()
	if len(person) != 2 {
		t.Fatalf("%d person maps", len(person))
	}
	want := map[string]any{BindLabel: "Person", BindIDKey: "personId", BindID: ID(Person, 1), BindProps: map[string]any{
		"name": `Ann "the, \ banker"`, "isBlocked": true, "createTime": SpanStart, "gender": "female", "birthday": int64(-5),
		"country": "Côte d'Ivoire", "city": "line\nbreak\ttab"}}
	if !reflect.DeepEqual(person[0], want) {
		t.Fatalf("person map\n got %#v\nwant %#v", person[0], want)
	}
	own := b[6].Bindings()[0]
	wantOwn := map[string]any{BindLabel: "own", BindFromLabel: "Person", BindFromKey: "personId", BindFromID: ID(Person, 1),
		BindToLabel: "Account", BindToKey: "accountId", BindToID: ID(Account, 2), BindProps: map[string]any{"createTime": int64(99)}}
	if !reflect.DeepEqual(own, wantOwn) {
		t.Fatalf("own map\n got %#v\nwant %#v", own, wantOwn)
	}
	tr := b[7].Bindings()[0][BindProps].(map[string]any)
	if tr["amount"] != 9999.99 || tr["orderNumber"] != int64(1<<62) || tr["payType"] != "wire" {
		t.Fatalf("transfer props %#v", tr)
	}
	// Every property a label declares appears in its maps.
	for _, bb := range b {
		info := bb.Label.Info()
		props := bb.Bindings()[0][BindProps].(map[string]any)
		for _, p := range info.Props {
			if _, ok := props[p.Name]; !ok && p.Name != info.IDKey {
				t.Errorf("%s map lacks %s", bb.Label, p.Name)
			}
		}
	}
}
