package results

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/graph/client"
)

// The run queries. Each is a constant script; values travel in bindings. Like
// the analyses, each answers a never-stored results graph as an empty one.
const (
	// summaryProjection turns Run vertices into the maps [RunSummary] reads.
	summaryProjection = `project('runId', 'kind', 'name', 'started', 'status', 'commit', 'dirty', 'branch', 'dataset', 'serverId', 'driver', 'operations', 'score').
  by('runId').by('kind').by(coalesce(values('name'), constant(''))).by('started').by('status').
  by(coalesce(values('commit'), constant(''))).by(coalesce(values('dirty'), constant(false))).
  by(coalesce(out('onBranch').values('name'), constant(''))).
  by(coalesce(out('onDataset').values('fingerprint'), constant(''))).
  by(coalesce(out('onServer').values('serverId'), constant(''))).
  by(coalesce(values('driver'), constant(''))).
  by(outE('hasResult').count()).
  by(coalesce(out('mutation').values('score'), constant('')))`

	// QueryRuns lists runs, latest first, selected by the bindings kindv,
	// statusv, commitv, branchv, dfp (dataset fingerprint) and opname (""
	// for any), since and until (start time bounds, Dates) and lim. It
	// starts from the most selective index: the Commit, the Branch, the
	// Dataset, the kind (kinds, the list of every kind, when none is
	// given: the index byRunKind answers, where hasLabel('Run') would scan
	// every vertex). On a graph where no run was ever stored (the keys kind
	// and started are undeclared) it returns no run. The operation filter
	// (one vertex-centric index lookup per run) runs after the ordering, on
	// the latest runs only, until lim runs pass it. With a branch only it is
	//
	//	g.V().has('Branch', 'name', branchv).in('onBranch').
	//	  has('started', gte(since)).has('started', lt(until)).
	//	  order().by('started', desc).limit(lim).project(...)
	QueryRuns = `if (!graph.containsPropertyKey('kind') || !graph.containsPropertyKey('started')) return []
def t = commitv != '' ? g.V().has('Commit', 'hash', commitv).in('atCommit').hasLabel('Run') :
  branchv != '' ? g.V().has('Branch', 'name', branchv).in('onBranch') :
  dfp != '' ? g.V().has('Dataset', 'fingerprint', dfp).in('onDataset') :
  g.V().has('Run', 'kind', kindv != '' ? kindv : within(kinds))
if (kindv != '') { t = t.has('kind', kindv) }
if (statusv != '') { t = t.has('status', statusv) }
if (branchv != '') { t = t.where(out('onBranch').has('name', branchv)) }
if (dfp != '') { t = t.where(out('onDataset').has('fingerprint', dfp)) }
t = t.has('started', gte(since)).has('started', lt(until)).order().by('started', desc)
if (opname != '') { t = t.where(outE('hasResult').has('operation', opname)) }
t.limit(lim).` + summaryProjection

	// QueryRun returns the run of runId rid with its commit, branch,
	// dataset, server, results (in execution order, samples included) and
	// mutation summary.
	QueryRun = `if (!graph.containsPropertyKey('runId')) return []
g.V().has('Run', 'runId', rid).
  project('run', 'commit', 'parents', 'branch', 'dataset', 'server', 'results', 'mutation').
  by(valueMap().by(unfold())).
  by(out('atCommit').valueMap().by(unfold()).fold()).
  by(out('atCommit').outE('parent').order().by('parentIndex').inV().values('hash').fold()).
  by(out('onBranch').values('name').fold()).
  by(out('onDataset').values('fingerprint').fold()).
  by(out('onServer').valueMap().by(unfold()).fold()).
  by(out('hasResult').order().by('seq').valueMap().by(unfold()).fold()).
  by(out('mutation').valueMap().by(unfold()).fold())`

	// QueryComparable lists the complete runs comparable to the run of
	// runId rid — same dataset, same kind and settings (settingsKey), same
	// server — latest first.
	QueryComparable = `g.V().has('Run', 'runId', rid).as('r').
  out('onDataset').in('onDataset').hasLabel('Run').where(neq('r')).
  where(eq('r')).by('settingsKey').
  where(eq('r')).by(coalesce(out('onServer').values('serverId'), constant(''))).
  has('status', 'complete').order().by('started', desc).` + summaryProjection
)

// farFuture bounds an open-ended Filter.Until.
var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// Runs lists the runs f selects, latest first.
func (g *Graph) Runs(ctx context.Context, f Filter) ([]RunSummary, error) {
	lim := f.Limit
	if lim <= 0 {
		lim = 1000
	}
	until := f.Until
	if until.IsZero() {
		until = farFuture
	}
	res, err := g.read(ctx, QueryRuns, map[string]any{"kindv": string(f.Kind), "statusv": string(f.Status),
		"commitv": f.Commit, "branchv": f.Branch, "dfp": f.Dataset, "opname": f.Operation,
		"since": f.Since.UTC(), "until": until.UTC(), "lim": int64(lim), "kinds": kindNames()})
	if err != nil {
		return nil, fmt.Errorf("results: runs: %w", err)
	}
	return summaries(res)
}

// Comparable lists the complete runs comparable to run id (same dataset,
// kind, settings and server), latest first. An unknown id gives a
// *NotFoundError.
func (g *Graph) Comparable(ctx context.Context, id string) ([]RunSummary, error) {
	if _, err := g.exists(ctx, id); err != nil {
		return nil, err
	}
	res, err := g.read(ctx, QueryComparable, map[string]any{"rid": id})
	if err != nil {
		return nil, fmt.Errorf("results: runs comparable to %s: %w", id, err)
	}
	return summaries(res)
}

// exists reports a *NotFoundError when no Run has runId id.
func (g *Graph) exists(ctx context.Context, id string) (bool, error) {
	res, err := g.read(ctx, `if (!graph.containsPropertyKey('runId')) return 0L
g.V().has('Run', 'runId', rid).count()`, map[string]any{"rid": id})
	if err != nil {
		return false, fmt.Errorf("results: run %s: %w", id, err)
	}
	if n, err := res.Int64(); err != nil || n == 0 {
		return false, &NotFoundError{What: "run", Key: id}
	}
	return true, nil
}

// Run reads the run id back, samples included. An unknown id gives a
// *NotFoundError (errors.Is(err, ErrNotFound)).
func (g *Graph) Run(ctx context.Context, id string) (Run, error) {
	res, err := g.read(ctx, QueryRun, map[string]any{"rid": id})
	if err != nil {
		return Run{}, fmt.Errorf("results: run %s: %w", id, err)
	}
	if len(res) == 0 {
		return Run{}, &NotFoundError{What: "run", Key: id}
	}
	m, ok := client.AsMap(res[0])
	if !ok {
		return Run{}, fmt.Errorf("results: run %s: unexpected answer %v", id, res[0])
	}
	rv, _ := client.AsMap(m["run"])
	r := Run{
		ID: str(rv["runId"]), Kind: Kind(str(rv["kind"])), Name: str(rv["name"]),
		Started: timeOf(rv["started"]), Finished: timeOf(rv["finished"]), Status: Status(str(rv["status"])),
		Driver: str(rv["driver"]), Machine: str(rv["machine"]),
	}
	r.Dirty, _ = rv["dirty"].(bool)
	if s := str(rv["settings"]); s != "" {
		if err := json.Unmarshal([]byte(s), &r.Settings); err != nil {
			return Run{}, fmt.Errorf("results: run %s: settings: %w", id, err)
		}
	}
	if c := first(m["commit"]); c != nil {
		r.Commit = Commit{Hash: str(c["hash"]), Time: timeOf(c["commitTime"]), Message: str(c["message"]), Author: str(c["author"])}
		r.Commit.Parents = strs(m["parents"])
	}
	if b := strs(m["branch"]); len(b) > 0 {
		r.Branch = b[0]
	}
	if d := strs(m["dataset"]); len(d) > 0 {
		r.Dataset = d[0]
	}
	if s := first(m["server"]); s != nil {
		r.Server = Server{Backend: str(s["backend"]), JanusGraphVersion: str(s["janusgraphVersion"])}
		if cfg := str(s["serverConfig"]); cfg != "" {
			if err := json.Unmarshal([]byte(cfg), &r.Server.Config); err != nil {
				return Run{}, fmt.Errorf("results: run %s: server config: %w", id, err)
			}
		}
	}
	list, _ := m["results"].([]any)
	for _, x := range list {
		om, ok := client.AsMap(x)
		if !ok {
			continue
		}
		op, err := operationResult(om)
		if err != nil {
			return Run{}, fmt.Errorf("results: run %s: %w", id, err)
		}
		r.Operations = append(r.Operations, op)
	}
	if mu := first(m["mutation"]); mu != nil {
		r.Mutation = mutationSummary(mu)
	}
	return r, nil
}

// operationResult reads an OperationResult vertex's valueMap.
func operationResult(m map[string]any) (OperationResult, error) {
	op := OperationResult{Operation: str(m["operation"])}
	op.Unit.Name = str(m["unit"])
	op.Unit.HigherIsBetter, _ = m["higherIsBetter"].(bool)
	if s := str(m["samples"]); s != "" {
		if err := json.Unmarshal([]byte(s), &op.Samples); err != nil {
			return op, fmt.Errorf("operation %q: samples: %w", op.Operation, err)
		}
	}
	op.Summary = stats.Summary{N: integer(m["n"]), Min: num(m["min"]), P25: num(m["p25"]), Median: num(m["median"]),
		P75: num(m["p75"]), P90: num(m["p90"]), P95: num(m["p95"]), P99: num(m["p99"]), Max: num(m["max"]),
		Mean: num(m["mean"]), Stddev: num(m["stddev"]), IQR: num(m["iqr"]), MAD: num(m["mad"]), Ops: num(m["ops"])}
	if _, ok := m["ciLo"]; ok {
		op.Summary.MedianCI = stats.CI{Center: op.Summary.Median, Lo: num(m["ciLo"]), Hi: num(m["ciHi"]),
			Confidence: num(m["ciConfidence"]), Finite: true}
	} else if op.Summary.N > 0 {
		op.Summary.MedianCI = stats.CI{Center: op.Summary.Median, Confidence: stats.Confidence,
			Warning: "too few samples for a confidence interval"}
	}
	op.Clients = integer(m["clients"])
	op.Elapsed = time.Duration(integer(m["elapsedNanos"]))
	op.ErrorCount = integer(m["errorCount"])
	return op, nil
}

// mutationSummary reads a MutationRun vertex's valueMap.
func mutationSummary(m map[string]any) *MutationSummary {
	s := &MutationSummary{Total: integer(m["total"]), Killed: integer(m["killed"]), Survived: integer(m["survived"]),
		NoCoverage: integer(m["noCoverage"]), Timeout: integer(m["timeout"])}
	s.Complete, _ = m["complete"].(bool)
	if v, ok := client.AsFloat64(m["score"]); ok && !math.IsNaN(v) {
		s.Score, s.HasScore = v, true
	}
	return s
}

// summaries reads summaryProjection maps.
func summaries(res client.Result) ([]RunSummary, error) {
	out := make([]RunSummary, 0, len(res))
	for _, x := range res {
		m, ok := client.AsMap(x)
		if !ok {
			return nil, fmt.Errorf("results: unexpected run summary %v", x)
		}
		s := RunSummary{ID: str(m["runId"]), Kind: Kind(str(m["kind"])), Name: str(m["name"]),
			Started: timeOf(m["started"]), Status: Status(str(m["status"])), Commit: str(m["commit"]),
			Branch: str(m["branch"]), Dataset: str(m["dataset"]), ServerID: str(m["serverId"]),
			Driver: str(m["driver"]), Operations: integer(m["operations"])}
		s.Dirty, _ = m["dirty"].(bool)
		if v, ok := client.AsFloat64(m["score"]); ok && !math.IsNaN(v) {
			s.Score, s.HasScore = v, true
		}
		out = append(out, s)
	}
	return out, nil
}

// read sends an idempotent query.
func (g *Graph) read(ctx context.Context, script string, b map[string]any) (client.Result, error) {
	return client.Send(ctx, g.c, &client.Request{Script: script, Bindings: b, Idempotent: true})
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func num(v any) float64 {
	f, _ := client.AsFloat64(v)
	return f
}

func integer(v any) int {
	n, _ := client.AsInt64(v)
	return int(n)
}

func strs(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// first returns the first map of a folded list, or nil.
func first(v any) map[string]any {
	list, _ := v.([]any)
	if len(list) == 0 {
		return nil
	}
	m, _ := client.AsMap(list[0])
	return m
}
