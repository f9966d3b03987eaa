package banking

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/graph/graphson"
)

func TestAppendJSONStringEscapes(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", `""`},
		{"plain", `"plain"`},
		{`a"b\c`, `"a\"b\\c"`},
		{"n\nr\rt\t", `"n\nr\rt\t"`},
		{"\x00\x01\x1f ", `"\u0000\u0001\u001f "`},
		{"\x7f~", "\"\x7f~\""},
		{"é€😀", `"é€😀"`},
		{"a\xffb", `"a\ufffdb"`},
		{"\xc3", `"\ufffd"`},
		{"é\xffé", `"é\ufffdé"`},
		{"x\xe2\x82", `"x\ufffd\ufffd"`},
	}
	for _, tc := range tests {
		got := string(graphson.AppendString([]byte("<"), tc.in))
		if got != "<"+tc.want {
			t.Errorf("graphson.AppendString(%q) = %s, want %s", tc.in, got[1:], tc.want)
		}
		var back string
		if err := json.Unmarshal([]byte(got[1:]), &back); err != nil {
			t.Errorf("graphson.AppendString(%q) = %s is not JSON: %v", tc.in, got[1:], err)
		} else if want := strings.ToValidUTF8(tc.in, "\ufffd"); back != want && !strings.Contains(tc.in, "\xe2\x82") {
			t.Errorf("graphson.AppendString(%q) decodes to %q, want %q", tc.in, back, want)
		}
	}
}

func TestAppendCSVStringQuoting(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"plain text", "plain text"},
		{"trailing ", "trailing "},
		{" lead", `" lead"`},
		{"\tlead", "\"\tlead\""},
		{"a,b", `"a,b"`},
		{`say "hi"`, `"say ""hi"""`},
		{"line\nbreak", "\"line\nbreak\""},
		{"cr\r", "\"cr\r\""},
		{`"`, `""""`},
	}
	for _, tc := range tests {
		if got := string(appendCSVString([]byte("<"), tc.in)); got != "<"+tc.want {
			t.Errorf("appendCSVString(%q) = %q, want %q", tc.in, got[1:], tc.want)
		}
	}
}

func TestAmountFormatting(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0.00"},
		{0.01, "0.01"},
		{0.1, "0.10"},
		{9.99, "9.99"},
		{10, "10.00"},
		{1234.5, "1234.50"},
		{12345.67, "12345.67"},
		{0.005, "0.01"},
		{2.994, "2.99"},
		{-1.5, "-1.50"},
		{-0.07, "-0.07"},
		{100.99, "100.99"},
	}
	for _, tc := range tests {
		e := &encoder{csv: true}
		if got := string(e.amount(nil, tc.v)); got != tc.want {
			t.Errorf("amount(%v) = %q, want %q", tc.v, got, tc.want)
		}
		// The formatted amount parses back to the value rounded to cents.
		back, err := strconv.ParseFloat(tc.want, 64)
		if err != nil || back != float64(int64(tc.v*100+copysignHalf(tc.v)))/100 {
			t.Errorf("amount(%v): %q parses to %v", tc.v, tc.want, back)
		}
	}
}

func copysignHalf(v float64) float64 {
	if v < 0 {
		return -0.5
	}
	return 0.5
}

func TestEncodedRowsExact(t *testing.T) {
	ts := SpanStart + 1
	tests := []struct {
		name      string
		b         *Batch
		csv, json string
	}{
		{"transfer", &Batch{Label: Transfer, Transfers: []TransferE{{Ends: Ends{Account, Account, 30, 31}, Timestamp: ts, Amount: 12.5, OrderNumber: 7, PayType: "wire"}}},
			"Account,30,Account,31,1577836800001,12.50,7,wire\n",
			`{"fromLabel":"Account","fromId":30,"toLabel":"Account","toId":31,"timestamp":1577836800001,"amount":12.50,"orderNumber":7,"payType":"wire"}` + "\n"},
		{"invest", &Batch{Label: Invest, Invests: []InvestE{{Ends: Ends{Person, Company, 1, 2}, Timestamp: -4, Ratio: 0.25}}},
			"Person,1,Company,2,-4,0.25\n",
			`{"fromLabel":"Person","fromId":1,"toLabel":"Company","toId":2,"timestamp":-4,"ratio":0.25}` + "\n"},
		{"medium", &Batch{Label: Medium, Media: []MediumV{{ID: 5, Type: "IP", CreateTime: 6, IsBlocked: true, RiskLevel: "high"}, {ID: 8, Type: "a,b"}}},
			"5,IP,6,true,high\n8,\"a,b\",0,false,\n",
			`{"mediumId":5,"type":"IP","createTime":6,"isBlocked":true,"riskLevel":"high"}` + "\n" +
				`{"mediumId":8,"type":"a,b","createTime":0,"isBlocked":false,"riskLevel":""}` + "\n"},
		{"loan", &Batch{Label: Loan, Loans: []LoanV{{ID: 1, LoanAmount: 100, Balance: 0.5, Usage: "car", InterestRate: 0.0731}}},
			"1,100.00,0.50,car,0.0731\n",
			`{"loanId":1,"loanAmount":100.00,"balance":0.50,"usage":"car","interestRate":0.0731}` + "\n"},
		{"empty", &Batch{Label: Person}, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(tc.b.AppendCSV([]byte("h\n"))); got != "h\n"+tc.csv {
				t.Errorf("CSV\n got %q\nwant %q", got, "h\n"+tc.csv)
			}
			if got := string(tc.b.AppendJSONL(nil)); got != tc.json {
				t.Errorf("JSONL\n got %q\nwant %q", got, tc.json)
			}
		})
	}
}

func TestBindingsEveryLabel(t *testing.T) {
	for _, b := range sampleBatches() {
		t.Run(b.Label.String(), func(t *testing.T) {
			maps := b.Bindings()
			if len(maps) != b.Len() {
				t.Fatalf("%d maps for %d entities", len(maps), b.Len())
			}
			// Each map carries the same values as the file row (the
			// round-trip tests check the rows): compare via the columns.
			cols := b.Label.Columns()
			rows := strings.Split(strings.TrimSuffix(string(b.AppendJSONL(nil)), "\n"), "\n")
			for i, m := range maps {
				var row map[string]any
				dec := json.NewDecoder(strings.NewReader(rows[i]))
				dec.UseNumber()
				if err := dec.Decode(&row); err != nil {
					t.Fatal(err)
				}
				if m[BindLabel] != b.Label.String() {
					t.Errorf("label %v", m[BindLabel])
				}
				props := m[BindProps].(map[string]any)
				info := b.Label.Info()
				wantKeys := len(info.Props)
				if b.Label.Kind() == VertexKind {
					wantKeys--
					if len(m) != 4 || m[BindIDKey] != b.Label.IDKey() || !sameValue(m[BindID], row[info.IDKey]) {
						t.Errorf("vertex map %v, row %v", m, row)
					}
				} else {
					if len(m) != 8 || m[BindFromLabel] != row[ColFromLabel] || m[BindToLabel] != row[ColToLabel] ||
						!sameValue(m[BindFromID], row[ColFromID]) || !sameValue(m[BindToID], row[ColToID]) {
						t.Errorf("edge map %v, row %v", m, row)
					}
					fl, _ := ParseLabel(row[ColFromLabel].(string))
					tl, _ := ParseLabel(row[ColToLabel].(string))
					if m[BindFromKey] != fl.IDKey() || m[BindToKey] != tl.IDKey() {
						t.Errorf("edge keys %v %v", m[BindFromKey], m[BindToKey])
					}
				}
				if len(props) != wantKeys {
					t.Errorf("%d props, want %d: %v", len(props), wantKeys, props)
				}
				for _, c := range cols {
					p, ok := props[c]
					if !ok {
						continue
					}
					if !sameValue(p, row[c]) {
						t.Errorf("prop %s = %#v, row has %v", c, p, row[c])
					}
					if want := propType(info, c); reflect.TypeOf(p) != want {
						t.Errorf("prop %s has Go type %T, want %v", c, p, want)
					}
				}
			}
		})
	}
}

func propType(info LabelInfo, name string) reflect.Type {
	for _, p := range info.Props {
		if p.Name == name {
			switch p.Type {
			case Int64:
				return reflect.TypeFor[int64]()
			case Float64:
				return reflect.TypeFor[float64]()
			case String:
				return reflect.TypeFor[string]()
			default:
				return reflect.TypeFor[bool]()
			}
		}
	}
	return nil
}

// sameValue compares a binding value with a decoded JSON row value.
func sameValue(v, row any) bool {
	switch x := v.(type) {
	case int64:
		n, ok := row.(json.Number)
		return ok && n.String() == strconv.FormatInt(x, 10)
	case float64:
		n, ok := row.(json.Number)
		if !ok {
			return false
		}
		f, err := n.Float64()
		return err == nil && f == x
	default:
		return v == row
	}
}

func TestAppendRowErrors(t *testing.T) {
	tests := []struct {
		name   string
		label  Label
		vals   []string
		column string
		value  string
	}{
		{"company bad bool", Company, []string{"1", "n", "yes", "1", "c", "c", "b", "u"}, "isBlocked", "yes"},
		{"account bad time", Account, []string{"1", "t", "false", "card", "n", "e", "p", "l"}, "createTime", "t"},
		{"loan bad float", Loan, []string{"1", "1.5", "x", "car", "0.1"}, "balance", "x"},
		{"address bad id", Address, []string{"a", "s", "c", "p", "c"}, "addressId", "a"},
		{"money bad ts", Withdraw, []string{"Account", "1", "Account", "2", "ts", "1"}, "timestamp", "ts"},
		{"times edge label as end", Own, []string{"own", "1", "Account", "2", "3"}, "fromLabel", "own"},
		{"notes bad to label", SignIn, []string{"Medium", "1", "Nope", "2", "3", "x"}, "toLabel", "Nope"},
		{"notes bad toId", Guarantee, []string{"Person", "1", "Person", "z", "3", "x"}, "toId", "z"},
		{"invest bad ratio", Invest, []string{"Person", "1", "Company", "2", "3", "r"}, "ratio", "r"},
		{"first error wins", Person, []string{"x", "n", "maybe", "y", "g", "2", "c", "c"}, "personId", "x"},
		{"too many columns", Loan, []string{"1", "1", "1", "car", "0.1", "extra"}, "*", "6"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := &Batch{Label: tc.label}
			err := b.AppendRow(tc.vals)
			var ce *ColumnError
			if !errors.As(err, &ce) || ce.Column != tc.column || ce.Value != tc.value || ce.Label != tc.label {
				t.Fatalf("AppendRow = %v, want ColumnError on %s = %q", err, tc.column, tc.value)
			}
			if !strings.Contains(err.Error(), tc.label.String()+" column "+tc.column) {
				t.Errorf("message %q does not name label and column", err)
			}
			if ce.Column != "*" && errors.Unwrap(err) == nil {
				t.Errorf("ColumnError does not wrap the parse error")
			}
		})
	}
	var numErr *strconv.NumError
	err := (&Batch{Label: Person}).AppendRow([]string{"x", "n", "false", "1", "g", "2", "c", "c"})
	if !errors.As(err, &numErr) {
		t.Errorf("AppendRow error %v does not unwrap to the strconv error", err)
	}
	if err := (&Batch{Label: Label(NumLabels)}).AppendRow(nil); err == nil {
		t.Errorf("AppendRow on an unknown label succeeded")
	}
}

func TestAppendRowNumbersAreDecimal(t *testing.T) {
	tests := []struct {
		id   string
		want int64
		ok   bool
	}{
		{"010", 10, true},
		{"-7", -7, true},
		{"0x1f", 0, false},
		{"0b1", 0, false},
		{"1_000", 0, false},
	}
	for _, tc := range tests {
		b := &Batch{Label: Address}
		err := b.AppendRow([]string{tc.id, "s", "c", "p", "c"})
		if (err == nil) != tc.ok || (tc.ok && b.Addresses[0].ID != tc.want) {
			t.Errorf("AppendRow id %q: err %v, batch %+v; want %d (ok %v)", tc.id, err, b.Addresses, tc.want, tc.ok)
		}
	}
}
