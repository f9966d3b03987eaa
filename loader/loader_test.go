package loader

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/internal/gremlintest"
)

func testSource(t *testing.T) *Source {
	t.Helper()
	src, err := GeneratorSource(context.Background(), banking.Config{Seed: 3, Scale: 0.002,
		Patterns: banking.PatternCounts{TransferCycles: 2, MuleChains: 2, GuaranteeChains: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func testConfig(dir string) Config {
	return Config{StateDir: dir, BatchSize: 128, Workers: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond,
		SettleTime: 10 * time.Millisecond}
}

func wantCounts(t *testing.T, f *fakeGraph, src *Source) {
	t.Helper()
	got := f.counts()
	for _, info := range banking.Labels() {
		if int64(got[info.Name]) != src.Counts[info.Label] {
			t.Errorf("%s: graph has %d, source %d", info.Name, got[info.Name], src.Counts[info.Label])
		}
	}
	if d := f.duplicates(); d != 0 {
		t.Errorf("%d duplicated elements in the graph", d)
	}
}

func TestLoadWithFaults(t *testing.T) {
	src := testSource(t)
	tests := []struct {
		name  string
		fault func(n int, script string) fault
		// wantProbes is the minimum number of outcome checks.
		wantProbes  int64
		wantRetries int64
	}{
		{name: "clean", fault: nil},
		{name: "refused before sending, every 5th call", wantRetries: 1,
			fault: func(n int, _ string) fault {
				if n%5 == 0 {
					return failBeforeRun
				}
				return noFault
			}},
		{name: "vertex batch committed, answer lost", wantProbes: 1,
			fault: func(n int, s string) fault {
				if s == vertexScript && n == 3 {
					return failAfterCommit
				}
				return noFault
			}},
		{name: "edge batch committed, answer lost", wantProbes: 1,
			fault: func(n int, s string) fault {
				if s == edgeScript && n%7 == 0 {
					return failAfterCommit
				}
				return noFault
			}},
		{name: "sent, never ran", wantProbes: 1, wantRetries: 1,
			fault: func(n int, s string) fault {
				if (s == edgeScript || s == vertexScript) && n%6 == 0 {
					return failAfterSend
				}
				return noFault
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeGraph()
			f.fault = tt.fault
			cfg := testConfig(t.TempDir())
			var last Progress
			cfg.Progress = func(p Progress) {
				if p.Done < last.Done {
					t.Errorf("progress went back from %d to %d", last.Done, p.Done)
				}
				last = p
			}
			l, err := New(f, cfg)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := l.Load(context.Background(), src)
			if err != nil {
				t.Fatal(err)
			}
			wantCounts(t, f, src)
			if last.Done != src.Total() || last.Total != src.Total() || last.Phase != "edges" {
				t.Errorf("last progress %+v, want %d of %d in the edge phase", last, src.Total(), src.Total())
			}
			if rep.Vertices+rep.Edges != src.Total() {
				t.Errorf("report: %d elements loaded, want %d", rep.Vertices+rep.Edges, src.Total())
			}
			if rep.Probes < tt.wantProbes || rep.Retries < tt.wantRetries {
				t.Errorf("probes %d (want ≥ %d), retries %d (want ≥ %d)", rep.Probes, tt.wantProbes, rep.Retries, tt.wantRetries)
			}
			// Edges were created from the id map, never by index lookup.
			f.mu.Lock()
			probes := f.calls[probeVerticesScript] + f.calls[probeEdgesScript]
			f.mu.Unlock()
			if int64(probes) != rep.Probes {
				t.Errorf("fake saw %d probes, report says %d", probes, rep.Probes)
			}
		})
	}
}

func TestLoadStopsOnScriptErrorAndResumes(t *testing.T) {
	src := testSource(t)
	f := newFakeGraph()
	edgeCalls := 0
	f.fault = func(n int, s string) fault {
		if s == edgeScript {
			edgeCalls++
			if edgeCalls == 4 {
				return scriptError
			}
		}
		return noFault
	}
	dir := t.TempDir()
	l, _ := New(f, testConfig(dir))
	_, err := l.Load(context.Background(), src)
	var be *BatchError
	if !errors.As(err, &be) {
		t.Fatalf("Load = %v, want *BatchError", err)
	}
	if be.Label.Kind() != banking.EdgeKind || !strings.Contains(err.Error(), "boom") || !strings.Contains(err.Error(), be.Key) {
		t.Errorf("error %q should name the edge batch %s, its label and the server's message", err, be.Key)
	}
	before := f.counts()
	if total := sum(before); int64(total) >= src.Total() {
		t.Fatalf("the failed load should have stopped early, graph has %d of %d", total, src.Total())
	}

	// Without Resume the graph's load state blocks a second load.
	var ae *AlreadyLoadedError
	if _, err := l.Load(context.Background(), src); !errors.As(err, &ae) || ae.State.Complete() {
		t.Fatalf("second Load without Resume = %v, want *AlreadyLoadedError of a partial load", err)
	}

	f.fault = nil
	cfg := testConfig(dir)
	cfg.Resume = true
	l2, _ := New(f, cfg)
	rep, err := l2.Load(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, f, src)
	if rep.SkippedVertices == 0 || rep.Vertices+rep.Edges+rep.SkippedVertices+rep.SkippedEdges != src.Total() {
		t.Errorf("resume report: loaded %d+%d, skipped %d+%d, total %d", rep.Vertices, rep.Edges, rep.SkippedVertices, rep.SkippedEdges, src.Total())
	}

	// A second resume of a finished load sends nothing but one check that
	// the journal matches the graph, and reads and writes the load state.
	f.mu.Lock()
	loads := f.calls[vertexScript] + f.calls[edgeScript]
	calls := f.n
	f.mu.Unlock()
	rep, err = l2.Load(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	if f.calls[vertexScript]+f.calls[edgeScript] != loads || f.n != calls+4 {
		t.Errorf("second resume sent %d load requests and %d in all, want 0 and 4", f.calls[vertexScript]+f.calls[edgeScript]-loads, f.n-calls)
	}
	f.mu.Unlock()
	if rep.Vertices+rep.Edges != 0 {
		t.Errorf("second resume loaded %d elements", rep.Vertices+rep.Edges)
	}
	wantCounts(t, f, src)

	// Resuming into an emptied graph (an in-memory server restarted) is
	// refused: the journal no longer describes the graph.
	_, err = l2.Load(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	empty := newFakeGraph()
	l3, _ := New(empty, cfg)
	if _, err := l3.Load(context.Background(), src); !errors.As(err, new(*InconsistentError)) {
		t.Fatalf("resume into an empty graph = %v, want *InconsistentError", err)
	}
	if n := sum(empty.counts()); n != 0 {
		t.Errorf("the refused resume loaded %d elements", n)
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// A load cancelled mid-way (Ctrl-C) stops, leaves a consistent journal,
// and a resumed load finishes with exact counts — also when the process
// "died" with a batch begun but not committed.
func TestCancelledLoadResumes(t *testing.T) {
	src := testSource(t)
	for _, tt := range []struct {
		name       string
		lastFault  fault
		wantProbes bool
	}{
		{"answered before the grace period", noFault, false},
		{"committed, answer lost at cancel", failAfterCommit, false},
		{"committed, no answer within the grace period", commitThenHang, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeGraph()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			f.fault = func(n int, s string) fault {
				if n == 20 {
					cancel()
					return tt.lastFault
				}
				return noFault
			}
			dir := t.TempDir()
			cfg0 := testConfig(dir)
			cfg0.StopGrace = 50 * time.Millisecond
			l, _ := New(f, cfg0)
			_, err := l.Load(ctx, src)
			if !errors.Is(err, context.Canceled) && !errors.As(err, new(*BatchError)) {
				t.Fatalf("Load = %v, want a cancellation", err)
			}
			// It stopped: no batch was sent after the cancellation but
			// the few in flight (not a duration, which depends on load).
			if n := sum(f.counts()); int64(n) >= src.Total() {
				t.Errorf("the cancelled load went on: %d of %d elements in the graph", n, src.Total())
			}
			f.fault = nil
			cfg := testConfig(dir)
			cfg.Resume = true
			l2, _ := New(f, cfg)
			rep, err := l2.Load(context.Background(), src)
			if err != nil {
				t.Fatal(err)
			}
			wantCounts(t, f, src)
			if tt.wantProbes && rep.Probes == 0 {
				t.Error("a batch left pending should have been checked against the graph")
			}
		})
	}
}

func TestJournalMismatch(t *testing.T) {
	src := testSource(t)
	f := newFakeGraph()
	dir := t.TempDir()
	l, _ := New(f, testConfig(dir))
	if _, err := l.Load(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	other, err := GeneratorSource(context.Background(), banking.Config{Seed: 4, Scale: 0.002})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		sub   Submitter
		src   *Source
		batch int
		field string
	}{
		{"other batch size", f, src, 32, "batch size"},
		{"other serializer", binaryGraph{f}, src, 128, "serializer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(dir)
			cfg.Resume, cfg.BatchSize = true, tt.batch
			l2, _ := New(tt.sub, cfg)
			_, err := l2.Load(context.Background(), tt.src)
			var me *JournalMismatchError
			if !errors.As(err, &me) || me.Field != tt.field {
				t.Fatalf("Load = %v, want a journal mismatch on %s", err, tt.field)
			}
		})
	}
	// Other data is refused by the graph, with or without the journal.
	for _, resume := range []bool{false, true} {
		cfg := testConfig(dir)
		cfg.Resume = resume
		l2, _ := New(f, cfg)
		var de *DatasetMismatchError
		if _, err := l2.Load(context.Background(), other); !errors.As(err, &de) || de.Graph == nil || de.Graph.Dataset != src.Dataset {
			t.Fatalf("Load of other data (resume %v) = %v, want *DatasetMismatchError naming the graph's dataset", resume, err)
		}
	}
	// Nothing to resume: no journal and no load state in the graph.
	cfg := testConfig(t.TempDir())
	cfg.Resume = true
	l3, _ := New(newFakeGraph(), cfg)
	if _, err := l3.Load(context.Background(), src); !errors.As(err, new(*NoJournalError)) {
		t.Fatalf("resume without a journal = %v, want *NoJournalError", err)
	}
}

// The graph knows what it holds, whatever the journal's location: a
// second load from another state directory (or from the same data read
// from a dataset directory) is refused, and resuming from another state
// directory checks every batch instead of sending it twice.
func TestGraphStatePreventsDuplicates(t *testing.T) {
	ctx := context.Background()
	src := testSource(t)

	t.Run("complete load, another journal", func(t *testing.T) {
		f := newFakeGraph()
		l, _ := New(f, testConfig(t.TempDir()))
		if _, err := l.Load(ctx, src); err != nil {
			t.Fatal(err)
		}
		l2, _ := New(f, testConfig(t.TempDir()))
		var ae *AlreadyLoadedError
		if _, err := l2.Load(ctx, src); !errors.As(err, &ae) || !ae.State.Complete() || ae.State.Total != src.Total() {
			t.Fatalf("second load = %v, want *AlreadyLoadedError of a complete load", err)
		}
		// Resumed from a directory without a journal: every batch is found
		// in the graph, nothing is sent again.
		cfg := testConfig(t.TempDir())
		cfg.Resume = true
		l3, _ := New(f, cfg)
		rep, err := l3.Load(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Vertices+rep.Edges != 0 || rep.Probes == 0 {
			t.Errorf("resume of a complete load loaded %d elements with %d probes, want 0 and probes", rep.Vertices+rep.Edges, rep.Probes)
		}
		wantCounts(t, f, src)
	})

	t.Run("banking data without a load state", func(t *testing.T) {
		f := newFakeGraph()
		l, _ := New(f, testConfig(t.TempDir()))
		if _, err := l.Load(ctx, src); err != nil {
			t.Fatal(err)
		}
		clear(f.states) // loaded by an older graphperf
		l2, _ := New(f, testConfig(t.TempDir()))
		var de *DatasetMismatchError
		if _, err := l2.Load(ctx, src); !errors.As(err, &de) || de.Graph != nil {
			t.Fatalf("load onto unrecorded banking data = %v, want *DatasetMismatchError without a graph state", err)
		}
	})

	t.Run("two partial journals", func(t *testing.T) {
		f := newFakeGraph()
		failAt := func(k int) func(int, string) fault {
			edgeCalls := 0
			return func(_ int, s string) fault {
				if s == edgeScript {
					edgeCalls++
					if edgeCalls == k {
						return scriptError
					}
				}
				return noFault
			}
		}
		dir1, dir2 := t.TempDir(), t.TempDir()
		f.fault = failAt(3)
		l1, _ := New(f, testConfig(dir1))
		if _, err := l1.Load(ctx, src); !errors.As(err, new(*BatchError)) {
			t.Fatalf("first load = %v, want *BatchError", err)
		}
		// Resumed from a second directory (no journal), failing later.
		f.fault = failAt(12)
		cfg2 := testConfig(dir2)
		cfg2.Resume = true
		l2, _ := New(f, cfg2)
		rep2, err := l2.Load(ctx, src)
		if !errors.As(err, new(*BatchError)) {
			t.Fatalf("resume from another directory = %v, want *BatchError", err)
		}
		if rep2.Probes == 0 {
			t.Error("a resume without the journal should check batches in the graph")
		}
		// The first journal knows nothing of the second run's batches.
		f.fault = nil
		cfg1 := testConfig(dir1)
		cfg1.Resume = true
		l1b, _ := New(f, cfg1)
		if _, err := l1b.Load(ctx, src); err != nil {
			t.Fatal(err)
		}
		wantCounts(t, f, src)
		var st GraphState
		for _, js := range f.states {
			if err := json.Unmarshal([]byte(js), &st); err != nil {
				t.Fatal(err)
			}
		}
		if len(f.states) != 1 || !st.Complete() || st.Vertices+st.Edges != src.Total() {
			t.Errorf("load states %v, want one complete state of %d elements", f.states, src.Total())
		}
	})
}

func TestJournalReplay(t *testing.T) {
	dir := t.TempDir()
	h := JournalHeader{Fingerprint: "f", Source: "s", BatchSize: 10, BatchBytes: 100}
	j, err := openJournal(dir, h, false, false)
	if err != nil {
		t.Fatal(err)
	}
	steps := []func() error{
		func() error { return j.begin("A:0:2", 1) },
		func() error { return j.commit("A:0:2", 1, []int64{7, 8}) },
		func() error { return j.begin("A:2:2", 2) },
		func() error { return j.begin("e:0:5", 3) },
		func() error { return j.abort("e:0:5", 3) },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()
	// A crash mid-write leaves a torn last line.
	fh, _ := os.OpenFile(filepath.Join(dir, JournalFile), os.O_APPEND|os.O_WRONLY, 0)
	fh.WriteString(`{"op":"commit","key":"A:2:2","su`)
	fh.Close()

	j, err = openJournal(dir, h, true, false)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	tests := []struct {
		key                string
		committed, pending bool
		vids               int
	}{
		{"A:0:2", true, false, 2},
		{"A:2:2", false, true, 0}, // begun, its commit torn: ambiguous
		{"e:0:5", false, false, 0},
	}
	for _, tt := range tests {
		st := j.lookup(tt.key)
		if st == nil || st.committed != tt.committed || st.pending != tt.pending || len(st.vids) != tt.vids {
			t.Errorf("%s: state %+v, want committed=%v pending=%v vids=%d", tt.key, st, tt.committed, tt.pending, tt.vids)
		}
	}
	if j.lookup("missing") != nil {
		t.Error("unknown key has a state")
	}
	// The torn line was cut: new records follow the last complete one.
	if err := j.commit("A:2:2", 2, []int64{9, 10}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	j, err = openJournal(dir, h, true, false)
	if err != nil {
		t.Fatalf("journal after appending past a torn line: %v", err)
	}
	if st := j.lookup("A:2:2"); st == nil || !st.committed {
		t.Errorf("A:2:2 after commit: %+v", st)
	}
	if c, p := j.counts(); c != 2 || p != 0 {
		t.Errorf("counts = %d committed, %d pending; want 2, 0", c, p)
	}
	j.Close()
}

func TestCut(t *testing.T) {
	gs := sizers[client.GraphSON]
	listOverhead := gs.listOverhead
	mk := func(sizes ...int) *part {
		p := &part{label: banking.Person, offset: 100}
		for i, s := range sizes {
			p.ids = append(p.ids, int64(i))
			p.props = append(p.props, map[string]any{"personId": int64(i)})
			p.sizes = append(p.sizes, s)
		}
		return p
	}
	tests := []struct {
		name      string
		p         *part
		maxElems  int
		maxBytes  int
		want      []int // chunk lengths
		wantFirst string
		tooLarge  bool
	}{
		{"by count", mk(10, 10, 10, 10, 10), 2, 1 << 20, []int{2, 2, 1}, "Person:100:2", false},
		{"by bytes", mk(100, 100, 100, 100), 10, listOverhead + 2*101, []int{2, 2}, "Person:100:2", false},
		{"uneven bytes", mk(300, 10, 10, 300, 10), 10, listOverhead + 330, []int{3, 2}, "Person:100:3", false},
		{"one fits exactly", mk(50), 1, listOverhead + 51, []int{1}, "Person:100:1", false},
		{"element too large", mk(10, 500), 10, listOverhead + 100, nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chunks, err := cut(tt.p, gs, tt.maxElems, tt.maxBytes)
			if tt.tooLarge {
				var te *ElementTooLargeError
				if !errors.As(err, &te) || te.Index != 101 {
					t.Fatalf("cut = %v, want *ElementTooLargeError for element 101", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, c := range chunks {
				got = append(got, c.len())
				if c.bytes > tt.maxBytes {
					t.Errorf("chunk %s is %d bytes, over %d", c.key(), c.bytes, tt.maxBytes)
				}
			}
			if !equalInts(got, tt.want) {
				t.Errorf("chunk lengths %v, want %v", got, tt.want)
			}
			if chunks[0].key() != tt.wantFirst {
				t.Errorf("first key %s, want %s", chunks[0].key(), tt.wantFirst)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestChunkBytesMatchEncoding cuts the test source in each serializer and
// checks every chunk's estimate against the list binding encoded in that
// serializer: an upper bound, and a tight one (at most one byte per element
// over: GraphSON's last separator; an edge's envelope is sized for its
// longest form).
func TestChunkBytesMatchEncoding(t *testing.T) {
	src := testSource(t)
	for _, ser := range []client.Serializer{client.GraphSON, client.GraphBinary} {
		t.Run(ser.String(), func(t *testing.T) {
			sz := sizers[ser]
			checked := 0
			err := src.stream(context.Background(), sz, func(p *part) error {
				chunks, err := cut(p, sz, 64, 1<<20)
				if err != nil {
					return err
				}
				for _, c := range chunks {
					var list []map[string]any
					if c.label.Kind() == banking.VertexKind {
						list = c.props
					} else {
						r := &run{}
						list = r.edgeMaps(c, nil) // fallback form: the larger one
					}
					enc, err := ser.AppendValue(nil, list)
					if err != nil {
						return err
					}
					if len(enc) > c.bytes {
						t.Errorf("%s: encoded %d bytes, cut estimated %d (must be an upper bound)", c.key(), len(enc), c.bytes)
					}
					if c.label.Kind() == banking.VertexKind && c.bytes-len(enc) > c.len() {
						t.Errorf("%s: encoded %d bytes, cut estimated %d (more than a byte per element over)", c.key(), len(enc), c.bytes)
					}
					checked++
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if checked == 0 {
				t.Fatal("no chunk checked")
			}
		})
	}
}

// TestSizerFollowsTheClient sizes batches in the serializer a client is
// configured with, and in GraphSON for a Submitter that does not say.
func TestSizerFollowsTheClient(t *testing.T) {
	srv := gremlintest.NewServer(t, func(c *gremlintest.Conn, req *gremlintest.Request) {
		_ = c.Reply(req.ID, 200, []any{})
	})
	for _, ser := range []client.Serializer{client.GraphSON, client.GraphBinary} {
		c, err := client.New(context.Background(), client.Config{Hosts: []string{srv.Host()}, Serializer: ser})
		if err != nil {
			t.Fatal(err)
		}
		if got := sizerFor(c); got.ser != ser {
			t.Errorf("client with %v: sized in %v", ser, got.ser)
		}
		c.Close()
	}
	if got := sizerFor(newFakeGraph()); got.ser != client.GraphSON {
		t.Errorf("fake submitter: sized in %v, want graphson", got.ser)
	}
	gs, gb := sizers[client.GraphSON], sizers[client.GraphBinary]
	if gs.listOverhead != len(`{"@type":"g:List","@value":[]}`) || gs.sep != 1 || gb.listOverhead != 6 || gb.sep != 0 {
		t.Errorf("list framing: graphson %d+%d, graphbinary %d+%d", gs.listOverhead, gs.sep, gb.listOverhead, gb.sep)
	}
}

func TestBatchSizeLimit(t *testing.T) {
	tests := []struct {
		maxBytes, batch int
		ok              bool
	}{
		{8 << 20, 500, true},
		{8 << 20, 1_000_000, false},
		{64 << 10, 500, false},
		{64 << 10, 10, true},
	}
	for _, tt := range tests {
		limit := MaxBatchSize(tt.maxBytes)
		err := Config{StateDir: "x", MaxRequestBytes: tt.maxBytes, BatchSize: tt.batch}.Validate()
		var be *BatchSizeError
		if tt.ok != (err == nil) || (!tt.ok && (!errors.As(err, &be) || be.Max != limit)) {
			t.Errorf("max %d batch %d: Validate = %v (limit %d)", tt.maxBytes, tt.batch, err, limit)
		}
		if limit <= 0 || (limit+1)*sizers[client.GraphSON].worstElementBytes(banking.Person.Info()) < 0 {
			t.Errorf("limit %d for %d bytes", limit, tt.maxBytes)
		}
	}
	if a, b := MaxBatchSize(1<<20), MaxBatchSize(2<<20); !(b > a && a > 0) {
		t.Errorf("MaxBatchSize not increasing: %d, %d", a, b)
	}
}

// A server-side transient failure (a BerkeleyJE lock timeout, reported as
// a script error) is retried after checking the batch's outcome, whether
// the failure came before the commit or after it.
func TestLoadRetriesTransientServerFailures(t *testing.T) {
	src := testSource(t)
	f := newFakeGraph()
	loads := 0
	f.fault = func(n int, s string) fault {
		if s == vertexScript || s == edgeScript {
			loads++
			switch loads {
			case 1, 2, 7:
				return lockTimeout
			case 4, 9:
				return lockTimeoutAfterCommit
			}
		}
		return noFault
	}
	l, _ := New(f, testConfig(t.TempDir()))
	rep, err := l.Load(context.Background(), src)
	if err != nil {
		t.Fatalf("a load meeting lock timeouts = %v, want success", err)
	}
	wantCounts(t, f, src)
	if rep.Retries < 3 || rep.Probes < 5 {
		t.Errorf("retries %d, probes %d: each failed batch should be checked, then sent again when absent", rep.Retries, rep.Probes)
	}
}

// A commit cut short (Cassandra stopping mid-commit stores some of a
// batch's elements) is neither resent whole nor refused: the batch is
// probed element by element and only the missing elements are sent, for
// vertex and edge batches alike, so that nothing is duplicated.
func TestLoadCompletesPartlyCommittedBatches(t *testing.T) {
	src := testSource(t)
	f := newFakeGraph()
	var vertexBatches, edgeBatches int
	f.fault = func(n int, s string) fault {
		switch s {
		case vertexScript:
			vertexBatches++
			if vertexBatches == 2 {
				return partialCommit
			}
		case edgeScript:
			edgeBatches++
			if edgeBatches == 1 || edgeBatches == 5 {
				return partialCommit
			}
		}
		return noFault
	}
	l, _ := New(f, testConfig(t.TempDir()))
	rep, err := l.Load(context.Background(), src)
	if err != nil {
		t.Fatalf("a load meeting partly committed batches = %v, want success", err)
	}
	wantCounts(t, f, src)
	if rep.Retries < 3 {
		t.Errorf("retries %d: each partly committed batch should be completed by a second request", rep.Retries)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		err  error
		want outcome
	}{
		{&client.StatusError{Code: 429}, notApplied},
		{&client.StatusError{Code: 597}, rejected},
		{&client.StatusError{Code: 499}, rejected},
		{&client.StatusError{Code: 598}, ambiguous},
		{&client.StatusError{Code: 597, Message: noNodeMessage}, ambiguous},
		{&client.StatusError{Code: 597, Message: "com.sleepycat.je.LockTimeoutException: (JE 18.3.12) Lock expired. waited for lock on database=graphindex timeoutMillis=500"}, ambiguous},
		{&client.StatusError{Code: 500, Message: "org.janusgraph.diskstorage.locking.TemporaryLockingException: Local lock contention"}, ambiguous},
		{&client.StatusError{Code: 597, Message: "org.janusgraph.core.SchemaViolationException: Adding this property for key [personId] violates a uniqueness constraint"}, rejected},
		{&client.ConnError{Op: "dial", Err: errors.New("x")}, notApplied},
		{&client.ConnError{Op: "read", Sent: true, Err: errors.New("x")}, ambiguous},
		{&client.RequestTooLargeError{Size: 2, Max: 1}, rejected},
		{context.DeadlineExceeded, ambiguous},
	}
	for _, tt := range tests {
		if got := classify(tt.err); got != tt.want {
			t.Errorf("classify(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

func TestGroundTruthEdges(t *testing.T) {
	src := testSource(t)
	edges := groundTruthEdges(src.Truth)
	want := 0
	for _, c := range src.Truth.TransferCycles {
		want += len(c.Hops)
	}
	for _, m := range src.Truth.MuleChains {
		want += len(m.Hops) + 1
	}
	for _, g := range src.Truth.GuaranteeChains {
		want += 2*len(g.Persons) - 1
	}
	if len(edges) != want || want == 0 {
		t.Fatalf("%d ground-truth edges, want %d", len(edges), want)
	}
	for _, e := range edges {
		if e.label == banking.Transfer && (e.props["timestamp"] == nil || e.props["amount"] == nil) {
			t.Errorf("%s: transfer check without timestamp and amount", e.what)
		}
	}
}

// A dataset directory loads exactly like the generator stream it was
// written from: same counts, same ground truth, same batch keys.
func TestDatasetSourceMatchesGenerator(t *testing.T) {
	cfg := banking.Config{Seed: 3, Scale: 0.002, Patterns: banking.PatternCounts{TransferCycles: 2, MuleChains: 2, GuaranteeChains: 1}}
	g, err := banking.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []dataset.Format{dataset.JSONL, dataset.CSV} {
		t.Run(string(format), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			if _, err := dataset.Write(context.Background(), dir, g, dataset.WriteOptions{Format: format}); err != nil {
				t.Fatal(err)
			}
			d, err := dataset.Source{Dir: dir}.Open(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			src, err := FromData(context.Background(), d)
			if err != nil {
				t.Fatal(err)
			}
			gen := testSource(t)
			// One identity for the same data: a load journalled from the
			// generator resumes from the directory and vice versa.
			if src.Fingerprint != gen.Fingerprint {
				t.Errorf("dataset fingerprint %s, generator %s", src.Fingerprint, gen.Fingerprint)
			}
			if src.Counts != gen.Counts || len(groundTruthEdges(src.Truth)) != len(groundTruthEdges(gen.Truth)) {
				t.Fatalf("dataset counts %v, generator %v", src.Counts, gen.Counts)
			}
			f := newFakeGraph()
			l, _ := New(f, testConfig(t.TempDir()))
			if _, err := l.Load(context.Background(), src); err != nil {
				t.Fatal(err)
			}
			wantCounts(t, f, src)
			// The same data, generated: the graph knows it holds it already.
			if src.Dataset != gen.Dataset || src.Dataset == "" {
				t.Fatalf("dataset identity %q, generator's %q: want equal", src.Dataset, gen.Dataset)
			}
			l2, _ := New(f, testConfig(t.TempDir()))
			if _, err := l2.Load(context.Background(), gen); !errors.As(err, new(*AlreadyLoadedError)) {
				t.Fatalf("generator load after the directory's = %v, want *AlreadyLoadedError", err)
			}
			wantCounts(t, f, src)
		})
	}
}

// binaryGraph is the fake graph as seen through a GraphBinary client: its
// batches are sized in GraphBinary.
type binaryGraph struct{ *fakeGraph }

func (binaryGraph) Serializer() client.Serializer { return client.GraphBinary }

// A resume right after Cassandra came back meets "No node was available"
// from the server (its CQL driver has not reconnected yet) on whatever it
// sends first: reading the load state, checking the journal against the
// graph, writing the state, probing an unresolved batch. Each is retried
// (the transient failures of classify) and the resume finishes exactly.
func TestResumeRetriesNoNodeAvailable(t *testing.T) {
	tests := []struct {
		name   string
		script string
	}{
		{"reading the load state", readStateScript},
		{"checking the journal against the graph", probeVerticesScript},
		{"writing the load state", writeStateScript},
		{"probing an unresolved edge batch", probeEdgesScript},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := testSource(t)
			f := newFakeGraph()
			edgeCalls := 0
			f.fault = func(n int, s string) fault {
				switch {
				case edgeCalls >= 4:
					return failBeforeRun // the server is gone
				case s == edgeScript:
					if edgeCalls++; edgeCalls == 4 {
						// Outcome unknown, and no probe can tell: the
						// resume probes it.
						return failAfterSend
					}
				}
				return noFault
			}
			cfg := testConfig(t.TempDir())
			cfg.MaxAttempts = 2
			l, _ := New(f, cfg)
			if _, err := l.Load(context.Background(), src); err == nil {
				t.Fatal("the first load should stop")
			}
			failures := 0
			f.fault = func(n int, s string) fault {
				if s == tt.script && failures < 3 {
					failures++
					return noNode
				}
				return noFault
			}
			cfg.Resume, cfg.MaxAttempts = true, 5
			l, _ = New(f, cfg)
			if _, err := l.Load(context.Background(), src); err != nil {
				t.Fatalf("resume meeting %d No-node failures: %v", failures, err)
			}
			if failures != 3 {
				t.Fatalf("%d failures injected, want 3 (is the script sent on resume?)", failures)
			}
			wantCounts(t, f, src)
		})
	}
}
