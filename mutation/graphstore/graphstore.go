// Package graphstore stores the results of a mutation run ([mutation.Run]) as
// a graph in JanusGraph, so that anyone can inspect them from a Gremlin
// console (see the Query* constants).
//
// The graph (declared by [Schema], applied first):
//
//	(MutationRun)-[produced]->(Mutant)-[inFile]->(SourceFile)
//	                          (Mutant)-[coveredBy]->(Test)
//	                          (Mutant)-[killedBy]->(Test)
//
// Mutant vertices belong to one run: their unique key is runMutantId =
// runId + "/" + mutantId, and mutantId (stable across runs) is indexed too,
// so one mutant's history over runs is one lookup. Test and SourceFile
// vertices are shared by every run and upserted on their unique keys
// (testId = package + "." + test name; fileId = package + "/" + file name):
// storing runs again never duplicates them; their properties (a test's
// baseline time) take the values of the run stored last.
//
// [Store] is idempotent: every write is an upsert, so storing the same run
// (same runId) twice, or retrying after a failure, gives the same graph.
// A run is marked complete (complete = true on its MutationRun vertex) only
// once all its mutants are stored; until then, and while it is being stored
// again, complete is false and the Query* constants do not see it. A store
// that failed half-way (server killed, connection lost) is finished by
// storing the same run with the same runId again.
// Values always travel as bindings, one list binding per batch.
package graphstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"path"
	"slices"
	"time"

	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/mutation"
)

// DefaultBatchSize is the number of vertices per request when
// Options.BatchSize is zero.
const DefaultBatchSize = 200

// maxBatchBytes bounds the estimated size of one batch's values, so that a
// batch of mutants with long status reasons stays small even for a server
// with a stock maxContentLength (scripts/janusgraph.sh raises it to 8 MiB,
// but other servers may keep a much lower value).
const maxBatchBytes = 48 << 10

// Options tune [Store]. The zero value is usable.
type Options struct {
	// RunID names the run; "" makes one from the run's start time and a
	// random suffix, e.g. "20250101T120000Z-1a2b3c4d".
	RunID string
	// Commit is the source revision (e.g. `git rev-parse HEAD`); optional.
	Commit string
	// Finished is when the run ended; zero means Started plus the run's
	// phase durations.
	Finished time.Time
	// BatchSize is the number of vertices per request; 0 means
	// [DefaultBatchSize].
	BatchSize int
	// SkipSchema skips applying [Schema] (when the caller knows
	// it is in place).
	SkipSchema bool
	// Schema tunes the schema apply.
	Schema schema.Options
}

// Result reports what [Store] wrote.
type Result struct {
	// RunID is the runId of the MutationRun vertex.
	RunID string `json:"runId"`
	// RunCreated is false when a MutationRun with this runId existed
	// already (it was updated in place).
	RunCreated bool `json:"runCreated"`
	// Mutants, Tests and SourceFiles count the vertices of the run;
	// CoveredBy and KilledBy its edges.
	Mutants     int `json:"mutants"`
	Tests       int `json:"tests"`
	SourceFiles int `json:"sourceFiles"`
	CoveredBy   int `json:"coveredBy"`
	KilledBy    int `json:"killedBy"`
	// The New* fields count what this call created; the rest existed.
	NewMutants     int `json:"newMutants"`
	NewTests       int `json:"newTests"`
	NewSourceFiles int `json:"newSourceFiles"`
	NewEdges       int `json:"newEdges"`
	// Batches is the number of requests that carried vertices.
	Batches int `json:"batches"`
	// Complete is true when the run was marked complete: every mutant is
	// stored.
	Complete bool `json:"complete"`
	// SchemaChanges lists what applying the schema changed.
	SchemaChanges []string `json:"schemaChanges,omitempty"`
}

// Error is returned by [Store] when a step fails; Step names it ("schema",
// "run", "files", "tests", "mutants", "complete") and RunID the run, so that
// the store can be repeated with the same runId. The run is not marked
// complete. A request that failed after it was sent (a lost connection, a
// server timeout) may still be running on the server: it is not resent, and
// the store should be repeated only once that request can have ended (the
// server's evaluation timeout).
type Error struct {
	Step  string
	RunID string
	Err   error
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("graphstore: storing run %s: %s: %v", e.RunID, e.Step, e.Err)
}

// Unwrap returns the underlying error, for errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Err }

// Store applies the mutation schema (unless opts.SkipSchema) and writes run
// to the graph through s (a *client.Client): the MutationRun vertex, then the
// SourceFiles and Tests (upserted), then the Mutants with their edges, in
// batches of opts.BatchSize with one list binding per batch.
func Store(ctx context.Context, s schema.Submitter, run *mutation.Run, opts Options) (*Result, error) {
	if run == nil {
		return nil, errors.New("graphstore: nil run")
	}
	if opts.RunID == "" {
		opts.RunID = NewRunID(run.Started)
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	res := &Result{RunID: opts.RunID}
	fail := func(step string, err error) (*Result, error) {
		return res, &Error{Step: step, RunID: opts.RunID, Err: err}
	}
	if !opts.SkipSchema {
		sr, err := schema.Apply(ctx, s, Schema(), opts.Schema)
		if sr != nil {
			res.SchemaChanges = sr.Changes
		}
		if err != nil {
			return fail("schema", err)
		}
	}
	b := buildBatches(run, opts)
	res.Mutants, res.Tests, res.SourceFiles = b.mutantCount, len(b.tests), len(b.files)
	res.CoveredBy, res.KilledBy = b.coveredBy, b.killedBy
	// Every script is an upsert, which is NOT idempotent in the sense of
	// client.Request.Idempotent: a retry after a lost connection can run
	// while the first attempt still runs, and JanusGraph's unique indexes
	// take no lock, so both could create the run, a file, a test or a
	// mutant. A request that may have run fails the step instead (see
	// Error); storing the run again with the same RunID completes it, and
	// the queries read one MutationRun per runId.
	send := func(script string, bindings map[string]any) (client.Result, error) {
		return client.Send(ctx, s, &client.Request{Script: script, Bindings: bindings})
	}

	out, err := send(runScript, map[string]any{"rid": opts.RunID, "p": b.run, "pkgs": b.packages})
	if err != nil {
		return fail("run", err)
	}
	if len(out) != 2 {
		return fail("run", fmt.Errorf("want [vertex id, created], got %d results", len(out)))
	}
	runVid := out[0]
	res.RunCreated, _ = out[1].(bool)

	ends := map[string]any{}
	for _, sh := range []struct {
		step, label, key string
		items            []map[string]any
		created          *int
	}{
		{"files", "SourceFile", "fileId", b.files, &res.NewSourceFiles},
		{"tests", "Test", "testId", b.tests, &res.NewTests},
	} {
		for _, batch := range chunk(sh.items, opts.BatchSize) {
			out, err := send(sharedScript, map[string]any{"batch": batch, "elabel": sh.label, "ekey": sh.key})
			if err != nil {
				return fail(sh.step, err)
			}
			res.Batches++
			m, err := out.Map()
			if err != nil {
				return fail(sh.step, err)
			}
			ids, _ := m["ids"].(map[any]any)
			for k, v := range ids {
				if ks, ok := k.(string); ok {
					ends[ks] = v
				}
			}
			*sh.created += countOf(m["created"])
		}
	}

	for _, batch := range b.mutants {
		be := map[string]any{}
		for _, m := range batch {
			for _, k := range m.endpoints() {
				v, ok := ends[k]
				if !ok {
					return fail("mutants", fmt.Errorf("no vertex stored for %s", k))
				}
				be[k] = v
			}
		}
		maps := make([]any, len(batch))
		for i, m := range batch {
			maps[i] = m.binding()
		}
		out, err := send(mutantScript, map[string]any{"batch": maps, "runVid": runVid, "ends": be})
		if err != nil {
			return fail("mutants", err)
		}
		res.Batches++
		m, err := out.Map()
		if err != nil {
			return fail("mutants", err)
		}
		res.NewMutants += countOf(m["created"])
		res.NewEdges += countOf(m["edges"])
	}
	out, err = s.Submit(ctx, completeScript, map[string]any{"runVid": runVid, "want": int64(b.mutantCount)})
	if err != nil {
		return fail("complete", err)
	}
	if n, err := out.Int64(); err != nil || int(n) != b.mutantCount {
		return fail("complete", fmt.Errorf("want [%d], got %v", b.mutantCount, out))
	}
	res.Complete = true
	return res, nil
}

// NewRunID returns a run id made of started (UTC, to the second) and 8
// random hex digits: sortable by time, unique across machines.
func NewRunID(started time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	return started.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// TestID is the testId of a test: its package and name, "pkg.TestX".
func TestID(pkg, name string) string { return pkg + "." + name }

// FileID is the fileId of a source file: its package and base name,
// "pkg/file.go".
func FileID(pkg, file string) string { return pkg + "/" + path.Base(file) }

// RunMutantID is the runMutantId of a mutant in a run: "runId/mutantId".
func RunMutantID(runID, mutantID string) string { return runID + "/" + mutantID }

// mutantItem is one Mutant of a batch.
type mutantItem struct {
	runMutantID string
	fileID      string
	coveredBy   []string // testIds
	killedBy    []string // testIds
	props       map[string]any
}

func (m *mutantItem) endpoints() []string {
	out := append([]string{m.fileID}, m.coveredBy...)
	return append(out, m.killedBy...)
}

func (m *mutantItem) binding() map[string]any {
	return map[string]any{"runMutantId": m.runMutantID, "fileId": m.fileID,
		"coveredBy": strList(m.coveredBy), "killedBy": strList(m.killedBy), "p": m.props}
}

// batches is a run turned into the values the scripts bind.
type batches struct {
	run         map[string]any
	packages    []any
	files       []map[string]any
	tests       []map[string]any
	mutants     [][]*mutantItem
	mutantCount int
	coveredBy   int
	killedBy    int
}

// buildBatches turns run into script values: the run's properties, one map
// per distinct source file and test (sorted by key), and the mutants in
// batches of at most opts.BatchSize items and about maxBatchBytes.
func buildBatches(run *mutation.Run, opts Options) batches {
	var b batches
	counts := run.Counts()
	finished := opts.Finished
	if finished.IsZero() {
		finished = run.Started.Add(run.Setup + run.Baseline + run.Mutation)
	}
	b.run = map[string]any{
		"started": run.Started, "finished": finished, "commit": opts.Commit, "modulePath": run.ModulePath,
		"fullMatrix": run.FullMatrix, "total": int64(counts.Total()),
		"killed": int64(counts[mutation.Killed]), "survived": int64(counts[mutation.Survived]),
		"noCoverage": int64(counts[mutation.NoCoverage]), "timeout": int64(counts[mutation.Timeout]),
		"compileError": int64(counts[mutation.CompileError]), "runtimeError": int64(counts[mutation.RuntimeError]),
		"ignored": int64(counts[mutation.Ignored]),
		// Not complete until every mutant is stored (completeScript).
		"complete": false,
	}
	if sc := counts.Score(); !math.IsNaN(sc) {
		b.run["score"] = sc
	}
	files := map[string]map[string]any{}
	tests := map[string]map[string]any{}
	addFile := func(pkg, p string) string {
		id := FileID(pkg, p)
		if _, ok := files[id]; !ok {
			files[id] = map[string]any{"fileId": id, "path": p, "package": pkg}
		}
		return id
	}
	addTest := func(pkg, name string) string {
		id := TestID(pkg, name)
		if _, ok := tests[id]; !ok {
			tests[id] = map[string]any{"testId": id, "name": name, "package": pkg}
		}
		return id
	}
	var cur []*mutantItem
	size := 0
	flush := func() {
		if len(cur) > 0 {
			b.mutants = append(b.mutants, cur)
			cur, size = nil, 0
		}
	}
	for _, pr := range run.Packages {
		b.packages = append(b.packages, pr.Path)
		for _, f := range pr.Files {
			addFile(pr.Path, f.Path)
		}
		for _, t := range pr.Tests {
			m := tests[addTest(pr.Path, t.Name)]
			m["baselineMillis"] = t.Duration.Milliseconds()
			if t.File != "" {
				m["file"], m["line"] = t.File, int64(t.Line)
			}
		}
		for _, mu := range pr.Mutants {
			pkg := mu.Package
			if pkg == "" {
				pkg = pr.Path
			}
			it := &mutantItem{
				runMutantID: RunMutantID(opts.RunID, mu.ID),
				fileID:      addFile(pkg, mu.File),
				props: map[string]any{
					"mutantId": mu.ID, "runId": opts.RunID, "status": string(mu.Status), "operator": string(mu.Operator),
					"original": mu.Original, "replacement": mu.Replacement, "file": mu.File,
					"line": int64(mu.Start.Line), "column": int64(mu.Start.Column), "function": mu.Func,
					"package": pkg, "statusReason": mu.StatusReason, "testsCompleted": int64(mu.TestsCompleted),
					"durationMillis": mu.Duration.Milliseconds(),
				},
			}
			for _, t := range dedupe(mu.CoveredBy) {
				it.coveredBy = append(it.coveredBy, addTest(pkg, t))
			}
			for _, t := range dedupe(mu.KilledBy) {
				it.killedBy = append(it.killedBy, addTest(pkg, t))
			}
			b.mutantCount++
			b.coveredBy += len(it.coveredBy)
			b.killedBy += len(it.killedBy)
			n := itemSize(it)
			if len(cur) >= opts.BatchSize || (len(cur) > 0 && size+n > maxBatchBytes) {
				flush()
			}
			cur = append(cur, it)
			size += n
		}
	}
	flush()
	b.files = sortedValues(files)
	b.tests = sortedValues(tests)
	return b
}

// itemSize estimates the encoded size of a mutant's binding.
func itemSize(m *mutantItem) int {
	n := 400 + len(m.runMutantID) + 2*len(m.fileID)
	for _, v := range m.props {
		if s, ok := v.(string); ok {
			n += len(s)
		}
	}
	for _, t := range m.endpoints() {
		n += 2 * len(t)
	}
	return n
}

func dedupe(names []string) []string {
	out := slices.Clone(names)
	slices.Sort(out)
	return slices.Compact(out)
}

func sortedValues(m map[string]map[string]any) []map[string]any {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]map[string]any, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// chunk splits items into batches of at most n, as []any list bindings.
func chunk(items []map[string]any, n int) [][]any {
	var out [][]any
	for len(items) > 0 {
		k := min(n, len(items))
		batch := make([]any, k)
		for i := range k {
			batch[i] = items[i]
		}
		out = append(out, batch)
		items = items[k:]
	}
	return out
}

func strList(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// countOf reads a count a script returned; anything but an integer reads
// as 0 (the counts are informative: the writes are checked by the scripts).
func countOf(v any) int {
	n, _ := client.AsInt64(v)
	return int(n)
}

// String summarizes what was stored in one line: the runId, then each
// kind of vertex with how many were new, then the edges.
func (r *Result) String() string {
	return fmt.Sprintf("stored mutation run %s: %d mutants (%d new), %d tests (%d new), %d source files (%d new), %d coveredBy and %d killedBy edges",
		r.RunID, r.Mutants, r.NewMutants, r.Tests, r.NewTests, r.SourceFiles, r.NewSourceFiles, r.CoveredBy, r.KilledBy)
}
