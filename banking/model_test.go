package banking

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestKindAndDataTypeNames(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{VertexKind.String(), "vertex"},
		{EdgeKind.String(), "edge"},
		{Int64.String(), "Long"},
		{Float64.String(), "Double"},
		{String.String(), "String"},
		{Bool.String(), "Boolean"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestLabelNamesKindsAndIDKeys(t *testing.T) {
	infos := Labels()
	if len(infos) != NumLabels {
		t.Fatalf("Labels() has %d entries, want %d", len(infos), NumLabels)
	}
	for i, info := range infos {
		l := Label(i)
		if info.Label != l {
			t.Errorf("Labels()[%d].Label = %v", i, info.Label)
		}
		if l.String() != info.Name {
			t.Errorf("%d: String() = %q, table name %q", i, l.String(), info.Name)
		}
		if l.Kind() != info.Kind {
			t.Errorf("%s: Kind() = %v, table %v", l, l.Kind(), info.Kind)
		}
		wantVertex := i < NumVertexLabels
		if (info.Kind == VertexKind) != wantVertex {
			t.Errorf("%s: kind %v, but vertex labels come first (%d of them)", l, info.Kind, NumVertexLabels)
		}
		if l.IDKey() != info.IDKey {
			t.Errorf("%s: IDKey() = %q, table %q", l, l.IDKey(), info.IDKey)
		}
		if wantVertex {
			if info.IDKey == "" || info.Props[0].Name != info.IDKey || info.Props[0].Type != Int64 {
				t.Errorf("%s: first property %+v, want the id key %q (Long)", l, info.Props[0], info.IDKey)
			}
		} else if info.IDKey != "" || len(info.From) == 0 || len(info.To) == 0 || info.Multiplicity == "" {
			t.Errorf("%s: edge info %+v lacks ends or multiplicity, or has an id key", l, info)
		}
		got, ok := ParseLabel(info.Name)
		if !ok || got != l {
			t.Errorf("ParseLabel(%q) = %v, %v", info.Name, got, ok)
		}
		if !reflectEqualInfo(l.Info(), info) {
			t.Errorf("%s: Info() differs from Labels()", l)
		}
	}
	if got := infos[Person].Name; got != "Person" {
		t.Errorf("Person name %q", got)
	}
	if got := Label(NumLabels).String(); got != "label(17)" {
		t.Errorf("out-of-range label String() = %q, want label(17)", got)
	}
	if got := Label(200).Kind(); got != EdgeKind {
		t.Errorf("Label(200).Kind() = %v", got)
	}
	for _, name := range []string{"", "person", "Bogus", "label(17)"} {
		if l, ok := ParseLabel(name); ok || l != 0 {
			t.Errorf("ParseLabel(%q) = %v, %v; want 0, false", name, l, ok)
		}
	}
	// Labels returns a fresh slice: modifying it changes nothing.
	infos[0].Name = "changed"
	if Labels()[0].Name != "Person" {
		t.Errorf("Labels() shares its slice")
	}
}

func reflectEqualInfo(a, b LabelInfo) bool {
	return a.Label == b.Label && a.Name == b.Name && a.Kind == b.Kind && a.IDKey == b.IDKey &&
		slices.Equal(a.Props, b.Props) && slices.Equal(a.From, b.From) && slices.Equal(a.To, b.To) &&
		a.Multiplicity == b.Multiplicity
}

func TestColumnsAndCSVHeader(t *testing.T) {
	tests := []struct {
		label Label
		want  string
	}{
		{Person, "personId,name,isBlocked,createTime,gender,birthday,country,city"},
		{Loan, "loanId,loanAmount,balance,usage,interestRate"},
		{Transfer, "fromLabel,fromId,toLabel,toId,timestamp,amount,orderNumber,payType"},
		{Own, "fromLabel,fromId,toLabel,toId,createTime"},
		{LivesAt, "fromLabel,fromId,toLabel,toId,since"},
	}
	for _, tc := range tests {
		if got := strings.Join(tc.label.Columns(), ","); got != tc.want {
			t.Errorf("%s columns %q, want %q", tc.label, got, tc.want)
		}
		if got := string(AppendCSVHeader([]byte("x"), tc.label)); got != "x"+tc.want+"\n" {
			t.Errorf("%s header %q", tc.label, got)
		}
	}
}

// mix64 is the SplitMix64 finalizer: its published test vector is the first
// output of SplitMix64 seeded with 0, i.e. mix64(0x9e3779b97f4a7c15).
func TestMix64SplitMixVector(t *testing.T) {
	tests := []struct{ in, want uint64 }{
		{0x9e3779b97f4a7c15, 0xe220a8397b1dcdaf},
		{0x3c6ef372fe94f82a, 0x6e789e6aa1b965f4}, // 2×0x9e3779b97f4a7c15 mod 2⁶⁴: the second output,
		{0, 0},
	}
	for _, tc := range tests {
		if got := mix64(tc.in); got != tc.want {
			t.Errorf("mix64(%#x) = %#x, want %#x", tc.in, got, tc.want)
		}
	}
}

func TestHashOfDependsOnEveryInput(t *testing.T) {
	base := hashOf(1, Account, 5, saltCreate)
	if base != mix64(1^mix64(uint64(Account)<<56^5<<8^saltCreate+0x9e3779b97f4a7c15)) {
		t.Errorf("hashOf differs from its definition")
	}
	for name, h := range map[string]uint64{
		"seed":  hashOf(2, Account, 5, saltCreate),
		"label": hashOf(1, Person, 5, saltCreate),
		"index": hashOf(1, Account, 6, saltCreate),
		"salt":  hashOf(1, Account, 5, saltBlocked),
	} {
		if h == base {
			t.Errorf("changing the %s does not change the hash", name)
		}
	}
}

func TestUnitRange(t *testing.T) {
	tests := []struct {
		h    uint64
		want float64
	}{
		{0, 0},
		{1 << 11, 1.0 / (1 << 53)},
		{1 << 63, 0.5},
		{math.MaxUint64, 1 - 1.0/(1<<53)},
	}
	for _, tc := range tests {
		if got := unit(tc.h); got != tc.want {
			t.Errorf("unit(%#x) = %v, want %v", tc.h, got, tc.want)
		}
	}
}

func TestIDAndIndexOf(t *testing.T) {
	tests := []struct {
		l    Label
		idx  int
		want int64
	}{
		{Person, 0, 10_000_000_000},
		{Company, 7, 20_000_000_007},
		{Address, 123, 60_000_000_123},
	}
	for _, tc := range tests {
		id := ID(tc.l, tc.idx)
		if id != tc.want {
			t.Errorf("ID(%s, %d) = %d, want %d", tc.l, tc.idx, id, tc.want)
		}
		if got := IndexOf(tc.l, id); got != int64(tc.idx) {
			t.Errorf("IndexOf(%s, %d) = %d, want %d", tc.l, id, got, tc.idx)
		}
	}
	bounds := []struct {
		l    Label
		id   int64
		want int64
	}{
		{Company, 20_000_000_000 - 1, -1},
		{Company, 20_000_000_000, 0},
		{Company, 29_999_999_999, 9_999_999_999},
		{Company, 30_000_000_000, -1},
		{Person, 0, -1},
	}
	for _, tc := range bounds {
		if got := IndexOf(tc.l, tc.id); got != tc.want {
			t.Errorf("IndexOf(%s, %d) = %d, want %d", tc.l, tc.id, got, tc.want)
		}
	}
}

func TestSizesCount(t *testing.T) {
	s := Sizes{Persons: 1, Companies: 2, Accounts: 3, Loans: 4, Media: 5, Addresses: 6}
	for l := range Label(NumVertexLabels) {
		if got := s.Count(l); got != int(l)+1 {
			t.Errorf("Count(%s) = %d, want %d", l, got, int(l)+1)
		}
	}
	if got := s.Count(Transfer); got != 0 {
		t.Errorf("Count(transfer) = %d, want 0", got)
	}
}
