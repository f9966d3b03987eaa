package loader

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
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

	// Without --resume the journal blocks a second load.
	if _, err := l.Load(context.Background(), src); !errors.As(err, new(*JournalExistsError)) {
		t.Fatalf("second Load without Resume = %v, want *JournalExistsError", err)
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
	// the journal matches the graph.
	f.mu.Lock()
	loads := f.calls[vertexScript] + f.calls[edgeScript]
	calls := f.n
	f.mu.Unlock()
	rep, err = l2.Load(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	if f.calls[vertexScript]+f.calls[edgeScript] != loads || f.n != calls+1 {
		t.Errorf("second resume sent %d load requests and %d in all, want 0 and 1", f.calls[vertexScript]+f.calls[edgeScript]-loads, f.n-calls)
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
			start := time.Now()
			_, err := l.Load(ctx, src)
			if !errors.Is(err, context.Canceled) && !errors.As(err, new(*BatchError)) {
				t.Fatalf("Load = %v, want a cancellation", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("cancelled load took %v to stop", d)
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
		src   *Source
		batch int
		field string
	}{
		{"other data", other, 64, "data"},
		{"other batch size", src, 32, "batch size"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(dir)
			cfg.Resume, cfg.BatchSize = true, tt.batch
			l2, _ := New(f, cfg)
			_, err := l2.Load(context.Background(), tt.src)
			var me *JournalMismatchError
			if !errors.As(err, &me) || me.Field != tt.field {
				t.Fatalf("Load = %v, want a journal mismatch on %s", err, tt.field)
			}
		})
	}
	cfg := testConfig(t.TempDir())
	cfg.Resume = true
	l3, _ := New(f, cfg)
	if _, err := l3.Load(context.Background(), src); !errors.As(err, new(*NoJournalError)) {
		t.Fatalf("resume without a journal = %v, want *NoJournalError", err)
	}
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
			chunks, err := cut(tt.p, tt.maxElems, tt.maxBytes)
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

func TestChunkBytesMatchEncoding(t *testing.T) {
	src := testSource(t)
	checked := 0
	err := src.run(context.Background(), func(p *part) error {
		chunks, err := cut(p, 64, 1<<20)
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
			enc, err := client.AppendValue(nil, list)
			if err != nil {
				return err
			}
			if len(enc) > c.bytes {
				t.Errorf("%s: encoded %d bytes, cut estimated %d (must be an upper bound)", c.key(), len(enc), c.bytes)
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
		if limit <= 0 || (limit+1)*worstElementBytes(banking.Person.Info()) < 0 {
			t.Errorf("limit %d for %d bytes", limit, tt.maxBytes)
		}
	}
	if a, b := MaxBatchSize(1<<20), MaxBatchSize(2<<20); !(b > a && a > 0) {
		t.Errorf("MaxBatchSize not increasing: %d, %d", a, b)
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

func TestBenchInputs(t *testing.T) {
	src := testSource(t)
	for _, perLabel := range []int{5, 40} {
		slice, templates, err := benchInputs(context.Background(), src, perLabel)
		if err != nil {
			t.Fatal(err)
		}
		chosen := map[banking.Label]map[int64]bool{}
		edges := 0
		for _, c := range slice {
			if c.label.Kind() == banking.VertexKind {
				if edges > 0 {
					t.Fatal("a vertex chunk follows edges in the naive slice")
				}
				if c.len() == 0 || c.len() > perLabel {
					t.Errorf("%s: %d vertices, want 1..%d", c.label, c.len(), perLabel)
				}
				chosen[c.label] = map[int64]bool{}
				for _, id := range c.ids {
					chosen[c.label][id] = true
				}
				continue
			}
			for _, e := range c.ends {
				if !chosen[e.FromLabel][e.From] || !chosen[e.ToLabel][e.To] {
					t.Errorf("naive %s edge %v has an endpoint outside the slice", c.label, e)
				}
				edges++
			}
		}
		if edges == 0 || edges > 4*perLabel {
			t.Errorf("perLabel %d: %d naive edges, want 1..%d", perLabel, edges, 4*perLabel)
		}
		var total int64
		for _, tm := range templates {
			total += tm.count
			if _, ok := tm.props[tm.label.IDKey()]; ok && tm.label.Kind() == banking.VertexKind {
				t.Errorf("%s template keeps the id key", tm.label)
			}
			if len(tm.props) == 0 {
				t.Errorf("%s template has no properties", tm.label)
			}
		}
		if total != src.Total() {
			t.Errorf("templates cover %d elements, source has %d", total, src.Total())
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
		})
	}
}
