package results

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
)

// maxBatchBytes bounds the estimated size of one request's values, well
// under the 8 MiB maxContentLength of scripts/janusgraph.sh and under the
// client's default request limit.
const maxBatchBytes = 512 << 10

// ID returns the server's identity: a hash of its backend, version and
// configuration (16 hex digits), the key of its Server vertex.
func (s Server) ID() string {
	if s.Backend == "" && s.JanusGraphVersion == "" && len(s.Config) == 0 {
		return ""
	}
	return digest(s.Config, s.Backend, s.JanusGraphVersion)
}

// SettingsKey returns the identity of a run's kind, driver and settings
// (16 hex digits): runs are comparable only with equal keys (and the same
// dataset and server).
func (r *Run) SettingsKey() string { return digest(r.Settings, string(r.Kind), r.Driver) }

// SetupKey returns the identity of what a run measured (16 hex digits):
// its dataset, server ([Server.ID]) and [Run.SettingsKey]. Runs with equal
// keys are comparable.
func (r *Run) SetupKey() string { return digest(nil, r.Dataset, r.Server.ID(), r.SettingsKey()) }

// digest hashes fields and the sorted entries of m to 16 hex digits.
func digest(m map[string]string, fields ...string) string {
	h := sha256.New()
	for _, f := range fields {
		fmt.Fprintf(h, "%s\x00", f)
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(h, "%s=%s\x00", k, m[k])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Validate checks what [Graph.Store] needs: an ID, a valid kind and
// status, unique named operations with valid units and finite samples.
func (r *Run) Validate() error {
	if strings.TrimSpace(r.ID) == "" {
		return errors.New("results: run without an id")
	}
	if !r.Kind.Valid() {
		return fmt.Errorf("results: run %s: unknown kind %q (want query-bench, load-bench, workload or mutate)", r.ID, r.Kind)
	}
	if r.Status != "" && r.Status != Complete && r.Status != Partial {
		return fmt.Errorf("results: run %s: unknown status %q (want complete or partial)", r.ID, r.Status)
	}
	if r.Started.IsZero() {
		return fmt.Errorf("results: run %s: no start time", r.ID)
	}
	seen := map[string]bool{}
	for _, op := range r.Operations {
		switch {
		case op.Operation == "":
			return fmt.Errorf("results: run %s: an operation without a name", r.ID)
		case seen[op.Operation]:
			return fmt.Errorf("results: run %s: operation %q twice", r.ID, op.Operation)
		case !op.Unit.Valid():
			return fmt.Errorf("results: run %s: operation %q: invalid unit %+v", r.ID, op.Operation, op.Unit)
		}
		seen[op.Operation] = true
		for _, x := range op.Samples {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("results: run %s: operation %q: sample %v is not a finite number", r.ID, op.Operation, x)
			}
		}
	}
	return nil
}

// ApplySchema applies [Schema] through the graph's client (once per
// Graph; [Graph.Store] calls it unless SkipSchema) and returns what it
// changed.
func (g *Graph) ApplySchema(ctx context.Context) ([]string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.schemaDone || g.SkipSchema {
		return nil, nil
	}
	res, err := schema.Apply(ctx, g.c, Schema(), g.Schema)
	if err != nil {
		return nil, err
	}
	g.schemaDone = true
	return res.Changes, nil
}

// Store writes r to the results graph: the schema (first time only), the
// Run vertex (status partial) with its links to Commit, Branch, Dataset
// and Server, then its OperationResults in batches, then status complete
// (or partial when r.Status is Partial). Storing a run id again updates
// that run in place: nothing is duplicated, and results of operations the
// run no longer has are removed. A failure returns a *StoreError and
// leaves the run partial; storing it again completes it.
//
// A kind mutate run links to the MutationRun of the same ID (store that
// first with mutation/graphstore). Store does not write the commit's
// ancestors: [Graph.StoreCommits] does (see [GitCommits]); the run's commit
// gets the properties of r.Commit.
func (g *Graph) Store(ctx context.Context, r Run) error {
	if err := r.Validate(); err != nil {
		return err
	}
	fail := func(step string, err error) error { return &StoreError{RunID: r.ID, Step: step, Err: err} }
	if _, err := g.ApplySchema(ctx); err != nil {
		return fail("schema", err)
	}
	send := func(script string, b map[string]any) (client.Result, error) {
		return g.write(ctx, script, b)
	}
	if r.Commit.Hash != "" {
		if _, err := send(commitsScript, map[string]any{"batch": []any{commitBinding(r.Commit)}}); err != nil {
			return fail("commit", err)
		}
	}
	p, unset, err := runProps(&r)
	if err != nil {
		return fail("run", err)
	}
	opnames := make([]any, len(r.Operations))
	for i, op := range r.Operations {
		opnames[i] = op.Operation
	}
	sp := map[string]any{}
	if r.Server.Backend != "" {
		sp["backend"] = r.Server.Backend
	}
	if r.Server.JanusGraphVersion != "" {
		sp["janusgraphVersion"] = r.Server.JanusGraphVersion
	}
	if len(r.Server.Config) > 0 {
		cfg, _ := json.Marshal(r.Server.Config) // map[string]string always encodes
		sp["serverConfig"] = string(cfg)
	}
	out, err := send(runScript, map[string]any{"rid": r.ID, "p": p, "unset": unset, "chash": r.Commit.Hash,
		"bname": r.Branch, "dfp": r.Dataset, "sid": r.Server.ID(), "sp": sp, "opnames": opnames})
	if err != nil {
		return fail("run", err)
	}
	if len(out) != 2 {
		return fail("run", fmt.Errorf("want [vertex id, created], got %d results", len(out)))
	}
	runVid := out[0]

	batches, err := resultBatches(r.ID, r.Operations)
	if err != nil {
		return fail("results", err)
	}
	for _, b := range batches {
		if _, err := send(resultsScript, map[string]any{"batch": b, "runVid": runVid}); err != nil {
			return fail("results", err)
		}
	}
	fin := Complete
	if r.Status == Partial {
		fin = Partial
	}
	out, err = send(completeScript, map[string]any{"runVid": runVid, "rid": r.ID, "want": int64(len(r.Operations)), "fin": string(fin)})
	if err != nil {
		return fail("complete", err)
	}
	if n, err := out.Int64(); err != nil || int(n) != len(r.Operations) {
		return fail("complete", fmt.Errorf("want [%d], got %v", len(r.Operations), out))
	}
	return nil
}

// runProps returns the Run vertex's properties and the names of the
// optional ones that are empty (removed from an earlier store).
func runProps(r *Run) (map[string]any, []any, error) {
	p := map[string]any{"kind": string(r.Kind), "started": r.Started, "status": string(Partial),
		"settingsKey": r.SettingsKey(), "setupKey": r.SetupKey(), "dirty": r.Dirty}
	var unset []any
	opt := func(k string, v any, empty bool) {
		if empty {
			unset = append(unset, k)
		} else {
			p[k] = v
		}
	}
	opt("name", r.Name, r.Name == "")
	opt("finished", r.Finished, r.Finished.IsZero())
	opt("commit", r.Commit.Hash, r.Commit.Hash == "")
	opt("driver", r.Driver, r.Driver == "")
	opt("machine", r.Machine, r.Machine == "")
	settings, err := json.Marshal(r.Settings)
	if err != nil {
		return nil, nil, err
	}
	opt("settings", string(settings), len(r.Settings) == 0)
	return p, unset, nil
}

// commitBinding is the commitsScript map of c.
func commitBinding(c Commit) map[string]any {
	m := map[string]any{"hash": c.Hash}
	if !c.Time.IsZero() {
		m["commitTime"] = c.Time
	}
	if c.Message != "" {
		m["message"] = c.Message
	}
	if c.Author != "" {
		m["author"] = c.Author
	}
	parents := make([]any, len(c.Parents))
	for i, h := range c.Parents {
		parents[i] = h
	}
	m["parents"] = parents
	return m
}

// ResultID is the resultId of an operation's result in a run: "runId/op".
func ResultID(runID, op string) string { return runID + "/" + op }

// resultBatches turns ops into resultsScript batches of about
// maxBatchBytes each.
func resultBatches(runID string, ops []OperationResult) ([][]any, error) {
	var out [][]any
	var cur []any
	size := 0
	for i, op := range ops {
		m, n, err := resultBinding(runID, op)
		m["seq"] = int64(i)
		if err != nil {
			return nil, err
		}
		if len(cur) > 0 && size+n > maxBatchBytes {
			out = append(out, cur)
			cur, size = nil, 0
		}
		cur = append(cur, m)
		size += n
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out, nil
}

// resultBinding is the resultsScript map of op and its estimated size.
func resultBinding(runID string, op OperationResult) (map[string]any, int, error) {
	sum := op.Summary
	if sum.N == 0 && len(op.Samples) > 0 {
		sum = stats.Summarize(op.Samples, op.Unit)
	}
	samples := op.Samples
	if samples == nil {
		samples = []float64{}
	}
	js, err := json.Marshal(samples)
	if err != nil {
		return nil, 0, fmt.Errorf("operation %q: %w", op.Operation, err)
	}
	m := map[string]any{
		"resultId": ResultID(runID, op.Operation), "operation": op.Operation,
		"unit": op.Unit.Name, "higherIsBetter": op.Unit.HigherIsBetter,
		"n": int64(sum.N), "samples": string(js),
		"clients": int64(op.Clients), "elapsedNanos": int64(op.Elapsed), "errorCount": int64(op.ErrorCount),
	}
	for k, v := range map[string]float64{"min": sum.Min, "p25": sum.P25, "median": sum.Median, "p75": sum.P75,
		"p90": sum.P90, "p95": sum.P95, "p99": sum.P99, "max": sum.Max, "mean": sum.Mean, "stddev": sum.Stddev,
		"iqr": sum.IQR, "mad": sum.MAD, "ops": sum.Ops} {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			m[k] = v
		}
	}
	if ci := sum.MedianCI; ci.Finite {
		m["ciLo"], m["ciHi"], m["ciConfidence"] = ci.Lo, ci.Hi, ci.Confidence
	}
	return m, 600 + len(js) + 2*len(op.Operation) + len(runID), nil
}

// StoreCommits writes commits (and bare vertices for parents not among
// them) with their parent edges: the commit DAG. Existing commits get the
// properties given; edges are added once. It applies the schema first,
// as Store does.
func (g *Graph) StoreCommits(ctx context.Context, commits []Commit) error {
	if _, err := g.ApplySchema(ctx); err != nil {
		return fmt.Errorf("results: storing commits: %w", err)
	}
	var batch []any
	size := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := g.write(ctx, commitsScript, map[string]any{"batch": batch})
		batch, size = nil, 0
		if err != nil {
			return fmt.Errorf("results: storing commits: %w", err)
		}
		return nil
	}
	for _, c := range commits {
		if c.Hash == "" {
			return errors.New("results: storing commits: a commit without a hash")
		}
		n := 200 + len(c.Message) + len(c.Author) + 50*len(c.Parents)
		if len(batch) >= 200 || size+n > maxBatchBytes {
			if err := flush(); err != nil {
				return err
			}
		}
		batch = append(batch, commitBinding(c))
		size += n
	}
	return flush()
}

// SetBranchHead points branch at the commit hash (stored bare when
// missing), as `git rev-parse BRANCH` gives it.
func (g *Graph) SetBranchHead(ctx context.Context, branch, hash string) error {
	if branch == "" || hash == "" {
		return errors.New("results: set branch head: empty branch name or commit hash")
	}
	if _, err := g.ApplySchema(ctx); err != nil {
		return fmt.Errorf("results: set branch head: %w", err)
	}
	_, err := g.write(ctx, headScript, map[string]any{"bname": branch, "chash": hash})
	if err != nil {
		return fmt.Errorf("results: set branch %s head to %s: %w", branch, hash, err)
	}
	return nil
}

// write sends a write script. The scripts are upserts, safe to send again
// after they completed, but not while an earlier attempt still runs:
// JanusGraph does not lock the upserts of two concurrent transactions
// (measured: a request retried after its connection was declared lost ran
// beside its first attempt and duplicated 20 results and commits). So a
// write is never retried once sent: a lost connection fails the store,
// which leaves the run partial, and storing it again completes it.
func (g *Graph) write(ctx context.Context, script string, b map[string]any) (client.Result, error) {
	return client.Send(ctx, g.c, &client.Request{Script: script, Bindings: b})
}

// timeOf reads a decoded date.
func timeOf(v any) time.Time {
	t, _ := v.(time.Time)
	return t
}
