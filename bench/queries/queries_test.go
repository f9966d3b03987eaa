package queries

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/graph/client"
)

// smallData is a small generated graph with a few instances of every
// pattern, built once per test binary.
var smallData = sync.OnceValues(func() (*Data, error) {
	g, err := banking.New(banking.Config{Seed: 5, Scale: 0.002, Patterns: banking.PatternCounts{
		TransferCycles: 3, MuleChains: 3, Structuring: 3, FraudRings: 3,
		BlockedMediumChains: 3, FanInWithdraws: 3, GuaranteeChains: 3}})
	if err != nil {
		return nil, err
	}
	return Collect(context.Background(), g.GroundTruth(), g.Run)
})

func mustSmallData(t *testing.T) *Data {
	t.Helper()
	d, err := smallData()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCatalogueShape(t *testing.T) {
	want := []string{"account-lookup", "in-out-summary", "blocked-medium-3hop", "shortest-transfer-path",
		"transfer-cycle", "fan-in-withdraw", "fast-in-fast-out", "loan-fund-trace", "guarantee-chain",
		"structuring", "shared-identifier-ring", "mule-chain"}
	if got := Names(); !slices.Equal(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	d := mustSmallData(t)
	// Binding names must not shadow Gremlin tokens, and every binding must
	// be used by the script (a value is never formatted into the text).
	reserved := map[string]bool{"id": true, "label": true, "keys": true, "values": true, "key": true, "value": true}
	word := func(name string) *regexp.Regexp { return regexp.MustCompile(`\b` + name + `\b`) }
	for _, q := range Catalogue() {
		if q.Purpose == "" || q.Script == "" {
			t.Errorf("%s: empty purpose or script", q.Name)
		}
		if strings.Contains(q.Script, "%") {
			t.Errorf("%s: the script looks formatted: %q", q.Name, q.Script)
		}
		cs, err := q.Cases(d, Config{Params: 3})
		if err != nil {
			t.Fatalf("%s: %v", q.Name, err)
		}
		if len(cs) == 0 || len(cs) > 3 {
			t.Errorf("%s: %d cases, want 1..3", q.Name, len(cs))
		}
		for name := range cs[0].Bindings {
			if reserved[name] {
				t.Errorf("%s: binding %q shadows a Gremlin token", q.Name, name)
			}
			if !word(name).MatchString(q.Script) {
				t.Errorf("%s: binding %q is not used by the script", q.Name, name)
			}
		}
		if cs[0].Want == "" {
			t.Errorf("%s: case without a description of the expected answer", q.Name)
		}
	}
}

func TestSelect(t *testing.T) {
	tests := []struct {
		names   []string
		want    []string
		unknown string
	}{
		{nil, Names(), ""},
		{[]string{"mule-chain", "account-lookup"}, []string{"account-lookup", "mule-chain"}, ""},
		{[]string{" account-lookup ", "", "account-lookup"}, []string{"account-lookup"}, ""},
		{[]string{"account-lookup", "nope"}, nil, "nope"},
	}
	for _, tt := range tests {
		qs, err := Select(tt.names)
		if tt.unknown != "" {
			var ue *UnknownQueryError
			if !errors.As(err, &ue) || ue.Name != tt.unknown || !strings.Contains(err.Error(), "mule-chain") {
				t.Errorf("Select(%q) error = %v, want an *UnknownQueryError for %q listing the valid names", tt.names, err, tt.unknown)
			}
			continue
		}
		if err != nil {
			t.Fatalf("Select(%q): %v", tt.names, err)
		}
		var got []string
		for _, q := range qs {
			got = append(got, q.Name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Select(%q) = %v, want %v", tt.names, got, tt.want)
		}
	}
}

// The same data gives the same parameters in the same order; other data
// gives others.
func TestCasesDeterministic(t *testing.T) {
	d1 := mustSmallData(t)
	g, err := banking.New(banking.Config{Seed: 5, Scale: 0.002, Workers: 1, Patterns: banking.PatternCounts{
		TransferCycles: 3, MuleChains: 3, Structuring: 3, FraudRings: 3,
		BlockedMediumChains: 3, FanInWithdraws: 3, GuaranteeChains: 3}})
	if err != nil {
		t.Fatal(err)
	}
	d2, err := Collect(context.Background(), g.GroundTruth(), g.Run)
	if err != nil {
		t.Fatal(err)
	}
	g3, err := banking.New(banking.Config{Seed: 6, Scale: 0.002, Patterns: banking.PatternCounts{TransferCycles: 3}})
	if err != nil {
		t.Fatal(err)
	}
	d3, err := Collect(context.Background(), g3.GroundTruth(), g3.Run)
	if err != nil {
		t.Fatal(err)
	}
	params := func(d *Data, q Query) string {
		cs, err := q.Cases(d, Config{})
		if err != nil {
			return err.Error()
		}
		var b strings.Builder
		for _, c := range cs {
			b.Write(c.Param())
			b.WriteString(c.Want)
		}
		return b.String()
	}
	for _, q := range Catalogue() {
		if a, b := params(d1, q), params(d2, q); a != b {
			t.Errorf("%s: parameters differ between two builds of the same data:\n%s\n%s", q.Name, a, b)
		}
	}
	if params(d1, accountLookup()) == params(d3, accountLookup()) {
		t.Error("account-lookup: another seed gave the same parameters")
	}
}

// comparable picks the ids whose degree is closest to the median.
func TestComparable(t *testing.T) {
	deg := map[int64]int{1: 1, 2: 10, 3: 11, 4: 9, 5: 10, 6: 500, 7: 0, 8: 10, 9: 2}
	ids := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9}
	got := comparable(ids, func(id int64) int { return deg[id] }, 3, "salt")
	slices.Sort(got)
	if !slices.Equal(got, []int64{2, 5, 8}) { // median degree 10
		t.Errorf("comparable = %v, want the three accounts of degree 10", got)
	}
	if all := comparable(ids, func(id int64) int { return deg[id] }, 100, "salt"); len(all) != 8 {
		t.Errorf("comparable with n > candidates = %v, want the 8 ids of positive degree", all)
	}
	a := comparable(ids, func(id int64) int { return deg[id] }, 8, "a")
	b := comparable(ids, func(id int64) int { return deg[id] }, 8, "b")
	if slices.Equal(a, b) {
		t.Errorf("two salts gave the same order %v", a)
	}
}

// handBase is the time origin of handData: 100 days before the data's end,
// inside every query's window.
const handBase = banking.SpanEnd - 100*day

// handData is a hand-made graph: accounts 1..6, transfers with timestamps
// (milliseconds after handBase), a loan 100 depositing into account 1.
func handData() *Data {
	d := NewData(nil)
	tr := func(from, to, ts int64, amount float64) banking.TransferE {
		return banking.TransferE{Ends: banking.Ends{From: from, To: to}, Timestamp: handBase + ts, Amount: amount}
	}
	var accounts []banking.AccountV
	for id := int64(1); id <= 6; id++ {
		accounts = append(accounts, banking.AccountV{ID: id, CreateTime: 10 * id, Type: "card", AccountLevel: "basic"})
	}
	d.Add(&banking.Batch{Label: banking.Account, Accounts: accounts})
	d.Add(&banking.Batch{Label: banking.Loan, Loans: []banking.LoanV{{ID: 100, LoanAmount: 5000}}})
	d.Add(&banking.Batch{Label: banking.Deposit, Money: []banking.MoneyE{{Ends: banking.Ends{From: 100, To: 1}, Timestamp: handBase + 50, Amount: 10}}})
	d.Add(&banking.Batch{Label: banking.Transfer, Transfers: []banking.TransferE{
		tr(1, 2, 60, 1), tr(2, 3, 70, 2), tr(3, 4, 80, 3), // time-respecting chain 1→2→3→4
		tr(1, 5, 40, 4),                  // before the deposit: not followed
		tr(2, 6, 65, 5), tr(6, 4, 64, 6), // 6→4 is earlier than 2→6: not followed
		tr(4, 5, 90, 7), // a fourth hop: beyond 3 hops
	}})
	d.Finish()
	return d
}

func TestFundTrace(t *testing.T) {
	d := handData()
	tests := []struct {
		hops, trunc int
		want        []int64
	}{
		{3, 500, []int64{2, 3, 4, 6}},
		{1, 500, []int64{2}},
		{4, 500, []int64{2, 3, 4, 5, 6}},
		{3, 1, []int64{2, 3, 4}}, // account 2 follows only its newest transfer (2→3 at 70)
	}
	for _, tt := range tests {
		if got := fundTrace(d, 100, tt.hops, tt.trunc); !slices.Equal(got, tt.want) {
			t.Errorf("fundTrace(hops %d, trunc %d) = %v, want %v", tt.hops, tt.trunc, got, tt.want)
		}
	}
}

func TestFarTarget(t *testing.T) {
	d := handData()
	tests := []struct {
		src      int64
		maxDist  int
		wantDist int
		inSet    []int64
	}{
		{1, 1, 1, []int64{2, 5}},
		{1, 2, 2, []int64{3, 6}},
		{1, 3, 3, []int64{4}},
		{5, 3, 0, nil}, // no outgoing transfer
	}
	for _, tt := range tests {
		v, dist := farTarget(d, tt.src, tt.maxDist, 500)
		if dist != tt.wantDist || (dist > 0 && !slices.Contains(tt.inSet, v)) {
			t.Errorf("farTarget(%d, %d) = %d at %d, want one of %v at %d", tt.src, tt.maxDist, v, dist, tt.inSet, tt.wantDist)
		}
	}
}

func findCase(t *testing.T, q Query, d *Data, bind string, val int64) Case {
	t.Helper()
	cs, err := q.Cases(d, Config{Params: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Bindings[bind] == val {
			return c
		}
	}
	t.Fatalf("%s: no case with %s=%d among %d", q.Name, bind, val, len(cs))
	return Case{}
}

// Each check accepts the right answer in the shape the server sends it and
// rejects wrong ones.
func TestChecks(t *testing.T) {
	d := handData()
	lookup := findCase(t, accountLookup(), d, "aid", 3)
	summary := findCase(t, inOutSummary(), d, "aid", 2)
	fast := findCase(t, fastInFastOut(), d, "aid", 2)
	trace := findCase(t, loanFundTrace(), d, "lid", 100)
	sm := func(n int64, sum, max float64) map[any]any {
		return map[any]any{"n": n, "sum": sum, "max": max}
	}
	// Account 2: out 2→3 (70, 2.0) and 2→6 (65, 5.0); in 1→2 (60, 1.0); the window [SpanEnd-1y, SpanEnd)
	// holds them all. Its fast window ends after 2→6 (5 ms after the money came in): 2→3 is outside.
	ff := func(srcs, dsts int64, in, out float64) []any {
		return []any{map[any]any{"srcs": srcs, "dsts": dsts, "inSum": in, "outSum": out}}
	}
	tests := []struct {
		name string
		c    Case
		res  []any
		ok   bool
	}{
		{"lookup right", lookup, []any{map[any]any{"accountId": int64(3), "createTime": int64(30), "isBlocked": false, "type": "card", "accountLevel": "basic"}}, true},
		{"lookup wrong createTime", lookup, []any{map[any]any{"accountId": int64(3), "createTime": int64(31), "isBlocked": false, "type": "card", "accountLevel": "basic"}}, false},
		{"lookup two items", lookup, []any{map[any]any{}, map[any]any{}}, false},
		{"lookup empty", lookup, nil, false},
		{"summary right", summary, []any{map[any]any{"out": sm(2, 7, 5), "in": sm(1, 1, 1)}}, true},
		{"summary wrong count", summary, []any{map[any]any{"out": sm(1, 7, 5), "in": sm(1, 1, 1)}}, false},
		{"summary not a map", summary, []any{"x"}, false},
		{"summary side without sum and max", summary, []any{map[any]any{"out": sm(2, 7, 5), "in": map[any]any{"n": int64(1)}}}, false},
		{"summary side missing", summary, []any{map[any]any{"out": sm(2, 7, 5)}}, false},
		{"fast right", fast, ff(1, 1, 1, 5), true},
		{"fast with the later transfer", fast, ff(1, 2, 1, 7), false},
		{"fast without outSum", fast, []any{map[any]any{"srcs": int64(1), "dsts": int64(1), "inSum": 1.0}}, false},
		{"trace right", trace, []any{[]any{int64(4), int64(2), int64(6), int64(3)}}, true},
		{"trace missing", trace, []any{[]any{int64(2), int64(3), int64(4)}}, false},
		{"trace extra", trace, []any{[]any{int64(2), int64(3), int64(4), int64(6), int64(5)}}, false},
		{"trace duplicate", trace, []any{[]any{int64(2), int64(3), int64(4), int64(6), int64(6)}}, false},
	}
	for _, tt := range tests {
		err := Verify(accountLookup(), tt.c, tt.res)
		if (err == nil) != tt.ok {
			t.Errorf("%s: Verify = %v, want ok=%v", tt.name, err, tt.ok)
		}
		var we *WrongAnswerError
		if err != nil && (!errors.As(err, &we) || we.Want == "" || we.Param == "") {
			t.Errorf("%s: error %v is not a complete *WrongAnswerError", tt.name, err)
		}
	}
}

// Curated parameters exercise both sides of every query: money in and out
// for the summaries, money moving on for the fund trace.
func TestCuratedParametersExerciseBothSides(t *testing.T) {
	d := mustSmallData(t)
	for _, tt := range []struct {
		q     Query
		empty func(Case) bool
	}{
		{inOutSummary(), func(c Case) bool { return strings.Contains(c.Want, "n:0 ") }},
		{fastInFastOut(), func(c Case) bool {
			return strings.Contains(c.Want, "srcs=0 ") || strings.Contains(c.Want, "dsts=0 ") ||
				strings.Contains(c.Want, "inSum=0.00") || strings.Contains(c.Want, "outSum=0.00")
		}},
		{loanFundTrace(), func(c Case) bool { return strings.HasPrefix(c.Want, "0 accounts") }},
	} {
		cs, err := tt.q.Cases(d, Config{Params: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) < 5 {
			t.Errorf("%s: %d parameters, want at least 5", tt.q.Name, len(cs))
		}
		for _, c := range cs {
			if tt.empty(c) {
				t.Errorf("%s %v: one side is empty: %s", tt.q.Name, c.Bindings, c.Want)
			}
		}
	}
}

// Pattern checks find the injected instance in a server-shaped answer.
func TestPatternChecks(t *testing.T) {
	d := mustSmallData(t)
	gt := d.Truth()
	path := func(ids ...int64) client.Path {
		var p client.Path
		for i, id := range ids {
			if i > 0 {
				p.Objects = append(p.Objects, int64(1000+i)) // the edge's property
			}
			p.Objects = append(p.Objects, id)
		}
		return p
	}
	first := func(q Query) Case {
		cs, err := q.Cases(d, Config{})
		if err != nil {
			t.Fatal(err)
		}
		return cs[0]
	}
	cyc := gt.TransferCycles[0]
	mule := gt.MuleChains[0]
	st := gt.Structuring[0]
	ring := gt.FraudRings[0]
	fan := gt.FanInWithdraws[0]
	bm := gt.BlockedMediumChains[0]
	gc := gt.GuaranteeChains[0]
	var gcTotal float64
	var gcLoans []any
	for _, l := range gc.Loans[1:] {
		gcTotal += d.loans[l]
		gcLoans = append(gcLoans, l)
	}
	tests := []struct {
		q   Query
		res []any
		ok  bool
	}{
		{transferCycle(), []any{path(append(slices.Clone(cyc.Accounts), cyc.Accounts[0])...)}, true},
		{transferCycle(), []any{path(cyc.Accounts...)}, false},
		{muleChain(), []any{path(1, 2), path(append(append([]int64{mule.Victim}, mule.Mules...), mule.Card)...)}, true},
		{muleChain(), []any{path(append([]int64{mule.Victim}, mule.Mules...)...)}, false},
		{structuring(), []any{map[any]any{st.Beneficiary: int64(len(st.Sources))}}, true},
		{structuring(), []any{map[any]any{st.Beneficiary: int64(len(st.Sources) - 1)}}, false},
		{sharedIdentifierRing(), []any{toAny(ring.Persons[1:])}, true},
		{sharedIdentifierRing(), []any{toAny(ring.Persons[2:])}, false},
		{fanInWithdraw(), []any{map[any]any{"mid": fan.Account, "sources": int64(len(fan.Sources)), "withdrawTime": int64(1), "inSum": 25000.0}}, true},
		{fanInWithdraw(), []any{map[any]any{"mid": fan.Account, "sources": int64(len(fan.Sources)), "withdrawTime": int64(1)}}, false}, // inSum missing
		{fanInWithdraw(), []any{map[any]any{"mid": fan.Account + 1, "sources": int64(len(fan.Sources))}}, false},
		{blockedMedium3Hop(), []any{map[any]any{"acc": bm.Accounts[0], "m": bm.Medium}}, true},
		{blockedMedium3Hop(), []any{map[any]any{"acc": bm.Accounts[1], "m": bm.Medium}}, false},
		{guaranteeChain(), []any{map[any]any{"loans": gcLoans, "total": gcTotal}}, true},
		{guaranteeChain(), []any{map[any]any{"loans": gcLoans, "total": gcTotal + 1}}, false},
		{guaranteeChain(), []any{map[any]any{"loans": gcLoans[1:], "total": gcTotal - d.loans[gc.Loans[1]]}}, false},
	}
	for i, tt := range tests {
		err := Verify(tt.q, first(tt.q), tt.res)
		if (err == nil) != tt.ok {
			t.Errorf("#%d %s: Verify = %v, want ok=%v", i, tt.q.Name, err, tt.ok)
		}
	}
}

func toAny(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// fakeCounter answers the vertex and edge count scripts (a fault injector:
// the real server is used by the integration tests).
type fakeCounter struct {
	counts, edges map[any]any
	err           error
}

func (f fakeCounter) Submit(_ context.Context, script string, _ map[string]any) ([]any, error) {
	if f.err != nil {
		return nil, f.err
	}
	switch script {
	case countScripts[0]:
		return []any{f.counts}, nil
	case countScripts[1]:
		if f.edges == nil {
			return []any{map[any]any{}}, nil
		}
		return []any{f.edges}, nil
	}
	return nil, fmt.Errorf("unexpected script %q", script)
}

func TestCheckLoaded(t *testing.T) {
	want := map[string]int64{"Account": 3, "Person": 2, "Loan": 0}
	tests := []struct {
		name   string
		counts map[any]any
		err    error
		check  func(error) bool
	}{
		{"equal", map[any]any{"Account": int64(3), "Person": int64(2)}, nil, func(err error) bool { return err == nil }},
		{"empty", map[any]any{}, nil, func(err error) bool { return errors.As(err, new(*EmptyGraphError)) }},
		{"different", map[any]any{"Account": int64(4), "Person": int64(1), "Medium": int64(1)}, nil, func(err error) bool {
			var mm *CountMismatchError
			return errors.As(err, &mm) && len(mm.Diffs) == 2 && mm.Diffs[0].Label == "Account" && mm.Diffs[0].Got == 4 &&
				mm.Diffs[1].Label == "Person" && strings.Contains(err.Error(), "Account: 4 in the graph, 3 in the dataset")
		}},
		// Mutation results and load records share the server: not counted.
		{"other data ignored", map[any]any{"Account": int64(3), "Person": int64(2), "Mutant": int64(40), "Test": int64(7), "LoadState": int64(1)}, nil,
			func(err error) bool { return err == nil }},
		{"only other data", map[any]any{"Mutant": int64(40)}, nil, func(err error) bool { return errors.As(err, new(*EmptyGraphError)) }},
		{"server error", nil, client.ErrServer, func(err error) bool { return errors.Is(err, client.ErrServer) }},
	}
	for _, tt := range tests {
		err := CheckLoaded(context.Background(), fakeCounter{counts: tt.counts, err: tt.err}, want)
		if !tt.check(err) {
			t.Errorf("%s: CheckLoaded = %v", tt.name, err)
		}
	}
}

// With edge labels expected, a graph holding every vertex but only some
// edges (an interrupted load) is incomplete, not a source of wrong answers.
func TestCheckLoadedEdges(t *testing.T) {
	want := map[string]int64{"Account": 3, "transfer": 10, "own": 3}
	vertices := map[any]any{"Account": int64(3)}
	tests := []struct {
		name       string
		edges      map[any]any
		ok         bool
		incomplete bool
	}{
		{"complete", map[any]any{"transfer": int64(10), "own": int64(3)}, true, false},
		{"half loaded", map[any]any{"transfer": int64(4), "own": int64(3)}, false, true},
		{"no edges", map[any]any{}, false, true},
		{"more edges", map[any]any{"transfer": int64(11), "own": int64(3)}, false, false},
	}
	for _, tt := range tests {
		err := CheckLoaded(context.Background(), fakeCounter{counts: vertices, edges: tt.edges}, want)
		var mm *CountMismatchError
		switch {
		case tt.ok && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case !tt.ok && (!errors.As(err, &mm) || mm.Incomplete != tt.incomplete):
			t.Errorf("%s: CheckLoaded = %v, want a mismatch with Incomplete %v", tt.name, err, tt.incomplete)
		case tt.incomplete && (!strings.Contains(err.Error(), "the graph is incomplete (") || !strings.Contains(err.Error(), "transfer: ")):
			t.Errorf("%s: message %q", tt.name, err)
		}
	}
}

// VertexCounts lists every vertex label, also those with no vertex.
func TestDataCounts(t *testing.T) {
	d := handData()
	vc := d.VertexCounts()
	if vc["Account"] != 6 || vc["Loan"] != 1 || vc["Person"] != 0 || len(vc) != banking.NumVertexLabels {
		t.Errorf("VertexCounts = %v", vc)
	}
	if c := d.Counts(); c["transfer"] != 7 || c["deposit"] != 1 {
		t.Errorf("Counts = %v", c)
	}
	if _, err := accountLookup().Cases(NewData(nil), Config{}); err == nil {
		t.Error("Cases on unfinished Data succeeded")
	}
	empty := NewData(nil)
	empty.Finish()
	var np *NoParamsError
	if _, err := transferCycle().Cases(empty, Config{}); !errors.As(err, &np) {
		t.Errorf("Cases without pattern instances = %v, want *NoParamsError", err)
	}
}
