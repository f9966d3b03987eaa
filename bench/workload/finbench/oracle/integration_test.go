package oracle_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench"
	"github.com/graphperf/graphperf/bench/workload/finbench/oracle"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/internal/testenv"
	"github.com/graphperf/graphperf/internal/testserver"
	"github.com/graphperf/graphperf/loader"
)

// privatePort is this package's own server (fresh, in-memory), loaded with
// a small generated graph.
const privatePort = 8211

// smallConfig is the graph the integration tests load: small enough to
// load in seconds, with a few instances of every pattern.
func smallConfig() banking.Config {
	return banking.Config{Seed: 11, Scale: 0.002, Patterns: banking.PatternCounts{
		TransferCycles: 3, MuleChains: 3, Structuring: 3, FraudRings: 3,
		BlockedMediumChains: 3, FanInWithdraws: 3, GuaranteeChains: 3}}
}

// loadedGraph starts a private server, loads smallConfig's graph into it
// and returns a client of it and the oracle's copy of the graph. With
// GRAPHPERF_ORACLE_REUSE=1 it uses the server at GRAPHPERF_HOSTS instead,
// loading the graph there only when it holds no Account yet (for quick
// runs during development: the server must hold smallConfig's graph or
// nothing).
func loadedGraph(t *testing.T) (*client.Client, *oracle.Graph) {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test")
	}
	var hosts []string
	reuse := os.Getenv("GRAPHPERF_ORACLE_REUSE") == "1"
	if reuse {
		hosts = testenv.RequireServer(t)
	} else {
		hosts = testserver.Start(t, privatePort, testserver.InMemory).Hosts()
	}
	ctx := context.Background()
	cfg := smallConfig()
	c, err := client.New(ctx, client.Config{Hosts: hosts, RequestTimeout: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	gen, err := banking.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	g := oracle.New()
	if err := gen.Run(ctx, func(b *banking.Batch) error { g.Add(b); return nil }); err != nil {
		t.Fatal(err)
	}
	if reuse {
		n, err := c.Submit(ctx, `g.V().hasLabel('Account').limit(1).count()`, nil)
		if err != nil {
			t.Fatal(err)
		}
		if k, _ := client.Result(n).Int64(); k > 0 {
			return c, g
		}
	}
	if _, err := schema.Apply(ctx, c, loader.Schema(), schema.Options{}); err != nil {
		t.Fatal(err)
	}
	src, err := loader.GeneratorSource(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := loader.New(c, loader.Config{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Load(ctx, src); err != nil {
		t.Fatal(err)
	}
	return c, g
}

// busiest returns the n accounts with the most transfers, most first
// (ties by id).
func busiest(g *oracle.Graph, n int) []int64 {
	return top(g, banking.Account, n, banking.Transfer)
}

// top returns the n vertices of label l with the most edges of the edge
// labels (both directions), most first (ties by id).
func top(g *oracle.Graph, l banking.Label, n int, edges ...banking.Label) []int64 {
	ids := g.IDs(l)
	deg := map[int64]int{}
	for _, id := range ids {
		r := oracle.Ref{Label: l, ID: id}
		for _, e := range edges {
			deg[id] += len(g.Out(e, r)) + len(g.In(e, r))
		}
	}
	slices.SortStableFunc(ids, func(a, b int64) int { return cmp.Compare(deg[b], deg[a]) })
	return ids[:min(n, len(ids))]
}

// truncations are the truncations of the test cases: FinBench's default,
// and small limits in other orders, so that truncation matters.
var truncations = []finbench.Truncation{{}, {Limit: 3, Order: finbench.TimestampAscending}, {Limit: 3, Order: finbench.AmountDescending}}

// triangles returns up to n pairs (src, dst) with src → dst and a cycle
// src → dst → other → src over transfers, and one pair with a transfer but
// no such cycle.
func triangles(g *oracle.Graph, n int) [][2]int64 {
	var out [][2]int64
	var plain [][2]int64
	for _, src := range g.IDs(banking.Account) {
		s := oracle.Ref{Label: banking.Account, ID: src}
		for _, e1 := range g.Out(banking.Transfer, s) {
			cycle := false
			for _, e3 := range g.Out(banking.Transfer, e1.To) {
				for _, e2 := range g.Out(banking.Transfer, e3.To) {
					cycle = cycle || e2.To == s
				}
			}
			pair := [2]int64{src, e1.To.ID}
			switch {
			case cycle && len(out) < n && !slices.Contains(out, pair):
				out = append(out, pair)
			case !cycle && len(plain) == 0:
				plain = append(plain, pair)
			}
		}
		if len(out) >= n && len(plain) > 0 {
			break
		}
	}
	return append(out, plain...)
}

// reachable returns accounts at distances 1, 2 and 3 from src over
// transfers (as many as exist).
func reachable(g *oracle.Graph, src int64) []int64 {
	seen := map[oracle.Ref]bool{{Label: banking.Account, ID: src}: true}
	level := []oracle.Ref{{Label: banking.Account, ID: src}}
	var out []int64
	for range 3 {
		var next []oracle.Ref
		for _, v := range level {
			for _, e := range g.Out(banking.Transfer, v) {
				if !seen[e.To] {
					seen[e.To] = true
					next = append(next, e.To)
				}
			}
		}
		if len(next) == 0 {
			break
		}
		out = append(out, next[len(next)/2].ID)
		level = next
	}
	return out
}

// coInvestors returns pairs of persons who invested in a common company,
// and a pair of persons with investments in no common company.
func coInvestors(g *oracle.Graph, n int) [][2]int64 {
	var out [][2]int64
	for _, c := range top(g, banking.Company, n, banking.Invest) {
		var persons []int64
		for _, e := range g.In(banking.Invest, oracle.Ref{Label: banking.Company, ID: c}) {
			if e.From.Label == banking.Person && !slices.Contains(persons, e.From.ID) {
				persons = append(persons, e.From.ID)
			}
		}
		if len(persons) >= 2 {
			out = append(out, [2]int64{persons[0], persons[1]})
		}
	}
	inv := top(g, banking.Person, 2, banking.Invest)
	if len(inv) == 2 {
		out = append(out, [2]int64{inv[0], inv[1]})
	}
	return out
}

// windows are the time windows of the test cases: the whole span and its
// second year.
var windows = []finbench.Window{
	{Start: banking.SpanStart - 1, End: banking.SpanEnd},
	{Start: banking.SpanStart + 365*86_400_000, End: banking.SpanStart + 2*365*86_400_000},
}

// missingAccount is an id no account has.
const missingAccount = 1

// readCases returns the operations the integration test runs, per type.
func readCases(g *oracle.Graph) map[string][]workload.Operation {
	cases := map[string][]workload.Operation{}
	add := func(op workload.Operation) { cases[op.Type] = append(cases[op.Type], op) }
	accts := append(busiest(g, 4), missingAccount)
	for _, id := range accts {
		add(finbench.TSR1(id))
		for _, w := range windows {
			add(finbench.TSR2(finbench.TSR2Params{ID: id, Window: w}))
			add(finbench.TSR6(finbench.TSR6Params{ID: id, Window: w}))
			for _, th := range []float64{0, 5000} {
				add(finbench.TSR3(finbench.TSR3Params{ID: id, Threshold: th, Window: w}))
				add(finbench.TSR4(finbench.TSR4Params{ID: id, Threshold: th, Window: w}))
				add(finbench.TSR5(finbench.TSR5Params{ID: id, Threshold: th, Window: w}))
			}
		}
	}
	for _, id := range busiest(g, 3) {
		for _, to := range append(reachable(g, id), id, missingAccount) {
			for _, w := range windows {
				add(finbench.TCR3(finbench.TCR3Params{ID1: id, ID2: to, Window: w}))
			}
		}
	}
	for _, pair := range triangles(g, 4) {
		for _, w := range windows {
			add(finbench.TCR4(finbench.TCR4Params{ID1: pair[0], ID2: pair[1], Window: w}))
		}
	}
	cards := append(top(g, banking.Account, 3, banking.Withdraw), missingAccount)
	for _, id := range cards {
		for _, tr := range truncations {
			for _, th := range [][2]float64{{0, 0}, {100, 1000}} {
				add(finbench.TCR6(finbench.TCR6Params{ID: id, Threshold1: th[0], Threshold2: th[1], Window: windows[0], Truncation: tr}))
			}
		}
	}
	for _, id := range accts {
		for _, tr := range truncations {
			for _, th := range []float64{0, 5000} {
				add(finbench.TCR7(finbench.TCR7Params{ID: id, Threshold: th, Window: windows[0], Truncation: tr}))
			}
		}
	}
	loanAccts := append(top(g, banking.Account, 3, banking.Deposit, banking.Repay), missingAccount)
	for _, id := range loanAccts {
		for _, tr := range truncations {
			for _, w := range windows {
				add(finbench.TCR9(finbench.TCR9Params{ID: id, Threshold: 0, Window: w, Truncation: tr}))
			}
		}
	}
	for _, pair := range coInvestors(g, 3) {
		for _, w := range windows {
			add(finbench.TCR10(finbench.TCR10Params{PID1: pair[0], PID2: pair[1], Window: w}))
		}
	}
	for _, id := range append(top(g, banking.Person, 4, banking.Guarantee), missingAccount) {
		for _, tr := range truncations {
			add(finbench.TCR11(finbench.TCR11Params{ID: id, Window: windows[0], Truncation: tr}))
		}
	}
	for _, id := range append(top(g, banking.Person, 3, banking.Own), missingAccount) {
		for _, tr := range truncations {
			for _, w := range windows {
				add(finbench.TCR12(finbench.TCR12Params{ID: id, Window: w, Truncation: tr}))
			}
		}
	}
	for _, id := range withAnswer(g, top(g, banking.Account, 40, banking.Transfer), 3, func(id int64) bool {
		return len(g.TCR1(finbench.TCR1Params{ID: id, Window: windows[0]})) > 0
	}) {
		for _, tr := range truncations {
			for _, w := range windows {
				add(finbench.TCR1(finbench.TCR1Params{ID: id, Window: w, Truncation: tr}))
			}
		}
	}
	persons := top(g, banking.Person, 40, banking.Own)
	for _, id := range withAnswer(g, persons, 3, func(id int64) bool {
		return len(g.TCR2(finbench.TCR2Params{ID: id, Window: windows[0]})) > 0
	}) {
		for _, tr := range truncations {
			for _, w := range windows {
				add(finbench.TCR2(finbench.TCR2Params{ID: id, Window: w, Truncation: tr}))
			}
		}
	}
	for _, id := range append(persons[:min(3, len(persons))], missingAccount) {
		for _, tr := range truncations {
			for _, w := range windows {
				add(finbench.TCR5(finbench.TCR5Params{ID: id, Window: w, Truncation: tr}))
			}
		}
	}
	loans := top(g, banking.Loan, 40, banking.Deposit)
	for _, id := range withAnswer(g, loans, 3, func(id int64) bool {
		return len(g.TCR8(finbench.TCR8Params{ID: id, Threshold: 0.5, Window: windows[0]})) > 0
	}) {
		for _, tr := range truncations {
			for _, th := range []float64{0, 0.5} {
				add(finbench.TCR8(finbench.TCR8Params{ID: id, Threshold: th, Window: windows[0], Truncation: tr}))
			}
		}
	}
	return cases
}

// withAnswer returns the first n of ids whose oracle answer is not empty
// (has reports it), and then the missing account, whose is.
func withAnswer(g *oracle.Graph, ids []int64, n int, has func(int64) bool) []int64 {
	var out []int64
	for _, id := range ids {
		if len(out) < n && has(id) {
			out = append(out, id)
		}
	}
	return append(out, missingAccount)
}

// TestIntegrationReads runs every read on curated parameters against the
// real server and checks each answer with the oracle; every read type has
// a non-empty answer among its cases, and a mutated query (a quarter of
// the window) is caught.
func TestIntegrationReads(t *testing.T) {
	c, g := loadedGraph(t)
	ctx := context.Background()
	ex := workload.ClientExecutor{Client: c}
	cases := readCases(g)
	types := make([]string, 0, len(cases))
	for typ := range cases {
		types = append(types, typ)
	}
	slices.Sort(types)
	for _, typ := range types {
		t.Run(typ, func(t *testing.T) {
			nonEmpty := 0
			for _, op := range cases[typ] {
				start := time.Now()
				res, err := op.Do(ctx, ex)
				if err != nil {
					t.Fatalf("%+v: %v", op.Params, err)
				}
				if err := g.Check(op, res); err != nil {
					t.Errorf("%v", err)
					continue
				}
				if !empty(res) {
					nonEmpty++
				}
				t.Logf("%+v: %.200v in %v", op.Params, fmt.Sprintf("%+v", res), time.Since(start).Round(time.Microsecond))
			}
			if nonEmpty == 0 {
				t.Errorf("every %s answer is empty: the check is vacuous", typ)
			}
			// A mutated query (the window cut to its first quarter) gives
			// a wrong answer to at least one case, and Check says so.
			caught := 0
			for _, op := range cases[typ] {
				res, err := op.Do(ctx, narrowed{ex})
				if err != nil {
					t.Fatalf("mutated %+v: %v", op.Params, err)
				}
				var m *oracle.MismatchError
				if err := g.Check(op, res); errors.As(err, &m) {
					caught++
				} else if err != nil {
					t.Errorf("mutated %+v: %v, want a MismatchError", op.Params, err)
				}
			}
			if caught == 0 && typ != "TSR1" {
				t.Errorf("no mutated %s answer was caught", typ)
			}
		})
	}
}

// narrowed is an executor running a mutated query: the window bound to s
// and e is cut to its first quarter.
type narrowed struct{ ex workload.Executor }

func (n narrowed) Submit(ctx context.Context, req workload.Request) ([]any, error) {
	s, ok1 := req.Bindings["s"].(int64)
	e, ok2 := req.Bindings["e"].(int64)
	if ok1 && ok2 {
		b := maps(req.Bindings)
		b["e"] = s + (e-s)/4
		req.Bindings = b
	}
	return n.ex.Submit(ctx, req)
}

func maps(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// empty reports whether a read's answer is empty: no rows, or only
// "nothing found" values.
func empty(res workload.Result) bool {
	switch r := res.(type) {
	case finbench.Account:
		return !r.Found
	case finbench.TSR2Result:
		return r.NumEdge1 == 0 && r.NumEdge2 == 0
	case finbench.TSR3Result:
		return r.BlockRatio <= 0
	case []finbench.TSR4Row:
		return len(r) == 0
	case []finbench.TSR5Row:
		return len(r) == 0
	case finbench.TSR6Result:
		return len(r.DstIDs) == 0
	case []finbench.TCR1Row:
		return len(r) == 0
	case []finbench.TCR2Row:
		return len(r) == 0
	case []finbench.TCR5Row:
		return len(r) == 0
	case []finbench.TCR8Row:
		return len(r) == 0
	case finbench.TCR3Result:
		return r.ShortestPathLength < 0
	case []finbench.TCR4Row:
		return len(r) == 0
	case []finbench.TCR6Row:
		return len(r) == 0
	case finbench.TCR7Result:
		return r.NumSrc == 0 && r.NumDst == 0
	case finbench.TCR9Result:
		return r.RatioRepay < 0 && r.RatioDeposit < 0
	case finbench.TCR10Result:
		return r.JaccardSimilarity == 0
	case finbench.TCR11Result:
		return r.NumLoans == 0
	case []finbench.TCR12Row:
		return len(r) == 0
	}
	panic(fmt.Sprintf("empty: unknown result %T", res))
}
