package loader_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/internal/testserver"
	"github.com/graphperf/graphperf/loader"
	"github.com/graphperf/graphperf/mutation/graphstore"
)

// Private servers: these tests drop and kill them.
const (
	memPort           = 8195
	berkeleyPort      = 8193
	freshBerkeleyPort = 8194 // 8196 is taken by cmd/graphperf's load test
)

var (
	memOnce   sync.Once
	memServer *testserver.Server
)

// sharedMem starts (once per test binary) the in-memory server of this
// package's non-destructive-to-others tests.
func sharedMem(t *testing.T) *testserver.Server {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test")
	}
	memOnce.Do(func() { memServer = testserver.Start(&onceTB{T: t}, memPort, testserver.InMemory) })
	if memServer == nil {
		t.Fatal("the private JanusGraph failed to start (see the first test's log)")
	}
	return memServer
}

// onceTB defers the server's Cleanup to the end of the test binary
// (TestMain stops it) instead of the end of the first test.
type onceTB struct{ *testing.T }

func (o *onceTB) Cleanup(f func()) { cleanups = append(cleanups, f) }

var cleanups []func()

func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range cleanups {
		f()
	}
	os.Exit(code)
}

func newClient(t *testing.T, hosts []string) *client.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cl, err := client.New(ctx, client.Config{Hosts: hosts, RequestTimeout: 2 * time.Minute,
		Retry: client.RetryPolicy{MaxAttempts: 2, BaseDelay: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl
}

// prepareGraph applies the schema and empties the graph.
func prepareGraph(t *testing.T, ctx context.Context, cl *client.Client) {
	t.Helper()
	if err := applySchema(ctx, cl); err != nil {
		t.Fatal(err)
	}
	if _, err := loader.Drop(ctx, cl, 5000); err != nil {
		t.Fatal(err)
	}
}

func TestIntegrationLoadScale001Verify(t *testing.T) {
	srv := sharedMem(t)
	ctx := context.Background()
	cl := newClient(t, srv.Hosts())
	prepareGraph(t, ctx, cl)
	src, err := loader.GeneratorSource(ctx, banking.Config{Seed: 7, Scale: 0.01, Patterns: banking.DefaultPatterns()})
	if err != nil {
		t.Fatal(err)
	}
	l, err := loader.New(cl, loader.Config{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := l.Load(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %d vertices, %d edges in %v (%.0f el/s; v %.0f/s, e %.0f/s; p50 %v p99 %v)", rep.Vertices, rep.Edges, rep.Elapsed,
		rep.ElementsPerSec, rep.VerticesPerSec, rep.EdgesPerSec, rep.BatchP50, rep.BatchP99)
	if rep.Vertices+rep.Edges != src.Total() {
		t.Fatalf("loaded %d elements, source has %d", rep.Vertices+rep.Edges, src.Total())
	}
	vr, err := loader.Verify(ctx, cl, src, rep.Sample)
	if err != nil {
		t.Fatal(err)
	}
	if vr.Patterns < 50 || vr.Sampled < 100 {
		t.Fatalf("verify checked only %d pattern edges and %d samples", vr.Patterns, vr.Sampled)
	}

	// Verify notices a missing edge and a changed property.
	if _, err := cl.Submit(ctx, `g.E().hasLabel('transfer').has('timestamp', ts).drop()`,
		map[string]any{"ts": src.Truth.TransferCycles[0].Hops[0].Timestamp}); err != nil {
		t.Fatal(err)
	}
	v := rep.Sample.Vertices[0]
	if _, err := cl.Submit(ctx, `g.V().has(l, k, b).property(single, p, 'changed').iterate()`,
		map[string]any{"l": v.Label.String(), "k": v.Label.IDKey(), "b": v.ID, "p": firstStringProp(v)}); err != nil {
		t.Fatal(err)
	}
	vr, err = loader.Verify(ctx, cl, src, rep.Sample)
	var ve *loader.VerifyError
	if !errors.As(err, &ve) {
		t.Fatalf("Verify after tampering = %v, want *VerifyError", err)
	}
	if len(vr.Mismatches) < 3 { // transfer count, the cycle hop, the property
		t.Errorf("mismatches %+v, want the count, the hop and the property", vr.Mismatches)
	}
}

func firstStringProp(v loader.SampledVertex) string {
	for _, p := range v.Label.Info().Props {
		if p.Type == banking.String {
			return p.Name
		}
	}
	return ""
}

// Values are bindings, never script text: quotes, $, backslashes,
// newlines and Groovy code are stored literally.
func TestIntegrationValuesStoredLiterally(t *testing.T) {
	srv := sharedMem(t)
	ctx := context.Background()
	cl := newClient(t, srv.Hosts())
	// An empty graph: a load refuses a graph holding other banking data.
	prepareGraph(t, ctx, cl)
	nasty := []string{
		`it's "quoted"`,
		`$x ${1+1} ${System.exit(1)}`,
		`back\slash \n not a newline \\`,
		"real\nnew\r\nlines\ttab",
		`'); g.V().drop().iterate(); ('`,
		`"""; graph.close(); """`,
		"unicode é ✓ and a tab\t",
	}
	base := int64(9_000_000_000) + time.Now().UnixNano()%1_000_000*1000
	persons := &banking.Batch{Label: banking.Person}
	media := &banking.Batch{Label: banking.Medium}
	accounts := &banking.Batch{Label: banking.Account, Accounts: []banking.AccountV{{ID: base, CreateTime: banking.SpanStart, Type: "card"}}}
	signIns := &banking.Batch{Label: banking.SignIn}
	for i, s := range nasty {
		id := base + int64(i)
		persons.Persons = append(persons.Persons, banking.PersonV{ID: id, Name: s, City: s, CreateTime: banking.SpanStart})
		media.Media = append(media.Media, banking.MediumV{ID: id, Type: s, CreateTime: banking.SpanStart})
		signIns.Notes = append(signIns.Notes, banking.NoteE{Ends: banking.Ends{FromLabel: banking.Medium, ToLabel: banking.Account, From: id, To: base},
			Timestamp: banking.SpanStart + int64(i), Note: s})
	}
	src := loader.BatchSource("nasty values", []*banking.Batch{persons, media, accounts, signIns}, nil)
	l, err := loader.New(cl, loader.Config{StateDir: t.TempDir(), BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Load(ctx, src); err != nil {
		t.Fatal(err)
	}
	for i, want := range nasty {
		id := base + int64(i)
		for _, q := range []struct {
			script string
			what   string
		}{
			{`g.V().has('Person', 'personId', b).values('name')`, "Person.name"},
			{`g.V().has('Person', 'personId', b).values('city')`, "Person.city"},
			{`g.V().has('Medium', 'mediumId', b).values('type')`, "Medium.type"},
			{`g.V().has('Medium', 'mediumId', b).outE('signIn').values('location')`, "signIn.location"},
		} {
			res, err := cl.Submit(ctx, q.script, map[string]any{"b": id})
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != 1 || res[0] != want {
				t.Errorf("%s of #%d = %q, want %q", q.what, i, res, want)
			}
		}
	}
	res, err := cl.Submit(ctx, `g.V().has('Account', 'accountId', b).count()`, map[string]any{"b": base})
	if err != nil || len(res) != 1 || res[0] != int64(1) {
		t.Errorf("the graph lost data to an injected value: account count %v, %v", res, err)
	}
}

// Kill the server with SIGKILL during a load (BerkeleyJE keeps committed
// data), restart it, resume: exact counts, no duplicates; a second resume
// changes nothing.
func TestIntegrationKillServerAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test")
	}
	srv := testserver.Start(t, berkeleyPort, testserver.BerkeleyJE)
	ctx := context.Background()
	cl := newClient(t, srv.Hosts())
	if err := applySchema(ctx, cl); err != nil {
		t.Fatal(err)
	}
	src, err := loader.GeneratorSource(ctx, banking.Config{Seed: 11, Scale: 0.004, Patterns: banking.PatternCounts{
		TransferCycles: 3, MuleChains: 3, FanInWithdraws: 2, GuaranteeChains: 2}})
	if err != nil {
		t.Fatal(err)
	}
	var killOnce sync.Once
	state := t.TempDir()
	cfg := loader.Config{StateDir: state, BatchSize: 100, MaxAttempts: 3, BaseDelay: 200 * time.Millisecond, MaxDelay: time.Second}
	cfg.Progress = func(p loader.Progress) {
		// Kill the server once a third of the elements are in, edges begun.
		if p.Phase == "edges" && p.Done > src.Total()/3 {
			killOnce.Do(srv.Kill)
		}
	}
	l, err := loader.New(cl, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := l.Load(ctx, src)
	if err == nil {
		t.Fatalf("the load survived a kill -9 of the server without an error: %+v", rep)
	}
	t.Logf("load stopped as expected: %v", err)

	srv.Restart()
	cfg.Resume, cfg.Progress = true, nil
	l, _ = loader.New(cl, cfg)
	rep, err = l.Load(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if rep.SkippedVertices == 0 || rep.Edges == 0 {
		t.Errorf("resume skipped %d vertices and loaded %d edges: it should continue, not restart", rep.SkippedVertices, rep.Edges)
	}
	vr, err := loader.Verify(ctx, cl, src, rep.Sample)
	if err != nil {
		t.Fatalf("after kill -9 and resume: %v", err)
	}
	t.Logf("verified %d labels, %d pattern edges, %d samples", len(vr.Counts), vr.Patterns, vr.Sampled)

	rep, err = l.Load(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Vertices+rep.Edges != 0 || rep.SkippedVertices+rep.SkippedEdges != src.Total() {
		t.Errorf("second resume loaded %d elements and skipped %d, want 0 and %d", rep.Vertices+rep.Edges,
			rep.SkippedVertices+rep.SkippedEdges, src.Total())
	}
	if _, err := loader.Verify(ctx, cl, src, nil); err != nil {
		t.Fatalf("after the second resume: %v", err)
	}
}

func applySchema(ctx context.Context, cl *client.Client) error {
	_, err := schema.Apply(ctx, cl, loader.Schema(), schema.Options{})
	return err
}

// The graph knows what it holds: loading the same data again from another
// state directory, or from a dataset directory of the same data, is
// refused; resuming from another state directory sends nothing twice; Verify
// notices a duplicated business id; mutation results on the same server are
// neither counted by Verify nor removed by Drop.
func TestIntegrationGraphKnowsItsData(t *testing.T) {
	srv := sharedMem(t)
	ctx := context.Background()
	cl := newClient(t, srv.Hosts())
	prepareGraph(t, ctx, cl)
	cfg := banking.Config{Seed: 7, Scale: 0.002, Patterns: banking.PatternCounts{TransferCycles: 2, MuleChains: 2, GuaranteeChains: 1}}
	src, err := loader.GeneratorSource(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Mutation results share the server.
	if _, err := schema.Apply(ctx, cl, graphstore.Schema(), schema.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Submit(ctx, `g.addV('Mutant').property('runMutantId', 'r/m1').iterate()`, nil); err != nil {
		t.Fatal(err)
	}
	l, err := loader.New(cl, loader.Config{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := l.Load(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loader.Verify(ctx, cl, src, rep.Sample); err != nil {
		t.Fatalf("verify with mutation results on the server: %v", err)
	}
	// The graph knows the dataset, and only it.
	if mine, others := loader.DatasetStates(ctx, cl, src.Dataset); mine == nil || !mine.Complete() || len(others) != 0 {
		t.Errorf("DatasetStates(this dataset) = %v, %q; want a complete load and no other dataset", mine, others)
	}
	if mine, others := loader.DatasetStates(ctx, cl, "gen:other"); mine != nil || len(others) != 1 || !strings.Contains(others[0], "completely loaded") {
		t.Errorf("DatasetStates(another dataset) = %v, %q; want nil and this load described", mine, others)
	}

	// Another state directory: refused, nothing added.
	l2, _ := loader.New(cl, loader.Config{StateDir: t.TempDir()})
	var ae *loader.AlreadyLoadedError
	if _, err := l2.Load(ctx, src); !errors.As(err, &ae) || !ae.State.Complete() {
		t.Fatalf("second load from another directory = %v, want *AlreadyLoadedError of a complete load", err)
	}
	// The same data from a dataset directory: refused too.
	g, err := banking.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir() + "/data"
	if _, err := dataset.Write(ctx, dir, g, dataset.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	d, err := dataset.Source{Dir: dir}.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dsrc, err := loader.FromData(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l2.Load(ctx, dsrc); !errors.As(err, &ae) {
		t.Fatalf("load of the same data from a directory = %v, want *AlreadyLoadedError", err)
	}
	// Other data: refused.
	other, err := loader.GeneratorSource(ctx, banking.Config{Seed: 8, Scale: 0.002})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l2.Load(ctx, other); !errors.As(err, new(*loader.DatasetMismatchError)) {
		t.Fatalf("load of other data = %v, want *DatasetMismatchError", err)
	}
	// Resumed from another directory: every batch is found, none sent.
	l3, _ := loader.New(cl, loader.Config{StateDir: t.TempDir(), Resume: true})
	rep, err = l3.Load(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Vertices+rep.Edges != 0 || rep.SkippedVertices+rep.SkippedEdges != src.Total() {
		t.Errorf("resume from another directory loaded %d and found %d, want 0 and %d", rep.Vertices+rep.Edges, rep.SkippedVertices+rep.SkippedEdges, src.Total())
	}
	if _, err := loader.Verify(ctx, cl, src, nil); err != nil {
		t.Fatalf("after the refused loads: %v", err)
	}

	// A duplicated business id (batch loading does not enforce the unique
	// index) is a verify failure.
	if _, err := cl.Submit(ctx, `g.addV('Person').property('personId', pid).iterate()`, map[string]any{"pid": rep.Sample.Vertices[0].ID}); err != nil {
		t.Fatal(err)
	}
	vr, err := loader.Verify(ctx, cl, src, nil)
	found := false
	for _, m := range vr.Mismatches {
		found = found || m.What == "unique Person.personId"
	}
	if !errors.As(err, new(*loader.VerifyError)) || !found {
		t.Fatalf("verify after duplicating a Person = %v (%+v), want a uniqueness mismatch", err, vr.Mismatches)
	}

	// Drop removes the banking data and load records, not the mutation results.
	if _, err := loader.Drop(ctx, cl, 0); err != nil {
		t.Fatal(err)
	}
	res, err := cl.Submit(ctx, `g.V().groupCount().by(label)`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || fmt.Sprint(res[0]) != "map[Mutant:1]" {
		t.Errorf("after Drop the graph holds %v, want only the Mutant", res)
	}
	if _, err := cl.Submit(ctx, `g.V().hasLabel('Mutant').drop()`, nil); err != nil {
		t.Fatal(err)
	}
}

// The first load into a freshly started BerkeleyJE server succeeds, every
// time: concurrent first writers to the unique indexes wait for each other's
// locks (or their batch is checked and sent again) instead of failing the
// load. Five fresh starts, as the failure was intermittent.
func TestIntegrationFirstLoadOnFreshBerkeleyJE(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test")
	}
	src, err := loader.GeneratorSource(context.Background(), banking.Config{Seed: 5, Scale: 0.002,
		Patterns: banking.PatternCounts{TransferCycles: 2, MuleChains: 2, GuaranteeChains: 1}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		t.Run(fmt.Sprintf("start %d", i+1), func(t *testing.T) {
			srv := testserver.Start(t, freshBerkeleyPort, testserver.BerkeleyJE)
			ctx := context.Background()
			cl := newClient(t, srv.Hosts())
			if err := applySchema(ctx, cl); err != nil {
				t.Fatal(err)
			}
			var notes []string
			var mu sync.Mutex
			l, err := loader.New(cl, loader.Config{StateDir: t.TempDir(), Workers: 4,
				Log: func(s string) { mu.Lock(); notes = append(notes, s); mu.Unlock() }})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := l.Load(ctx, src)
			if err != nil {
				t.Fatalf("first load on a fresh BerkeleyJE server: %v (notes: %q)", err, notes)
			}
			if rep.Vertices+rep.Edges != src.Total() {
				t.Fatalf("loaded %d of %d elements", rep.Vertices+rep.Edges, src.Total())
			}
			if _, err := loader.Verify(ctx, cl, src, rep.Sample); err != nil {
				t.Fatal(err)
			}
		})
	}
}
