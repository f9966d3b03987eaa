package results

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
)

// Kind is the kind of a run: the graphperf command that made it.
type Kind string

// The run kinds.
const (
	KindQueryBench Kind = "query-bench"
	KindLoadBench  Kind = "load-bench"
	KindWorkload   Kind = "workload"
	KindMutate     Kind = "mutate"
)

// Valid reports whether k is one of the run kinds.
func (k Kind) Valid() bool {
	return slices.Contains(kindNames(), string(k))
}

// kindNames lists every run kind: what [Graph.Runs] selects when its
// filter names none.
func kindNames() []string {
	return []string{string(KindQueryBench), string(KindLoadBench), string(KindWorkload), string(KindMutate)}
}

// Status says whether a stored run is whole.
type Status string

// The run statuses.
const (
	// Complete: every operation result of the run is stored, and the run
	// itself ran to its end.
	Complete Status = "complete"
	// Partial: the store did not finish (store the run again to complete
	// it), or the run was cut short (Run.Status was Partial when stored).
	Partial Status = "partial"
)

// Commit is a git commit, a vertex of the commit DAG.
type Commit struct {
	// Hash is the full commit hash (no "-dirty" suffix).
	Hash string `json:"hash"`
	// Time is the committer date.
	Time time.Time `json:"time,omitzero"`
	// Message is the subject line.
	Message string `json:"message,omitempty"`
	// Author is the author name as git gives it.
	Author string `json:"author,omitempty"`
	// Parents are the parent hashes, first parent first.
	Parents []string `json:"parents,omitempty"`
}

// Server describes the JanusGraph server a run measured. Its identity
// (the Server vertex) is [Server.ID]: the same backend, version and
// configuration are one vertex.
type Server struct {
	// Backend is the storage backend (inmemory, berkeleyje, cql, ...).
	Backend string `json:"backend,omitempty"`
	// JanusGraphVersion, e.g. "1.1.0".
	JanusGraphVersion string `json:"janusgraphVersion,omitempty"`
	// Config holds the recorded server settings (bench/baseline.Server).
	Config map[string]string `json:"config,omitempty"`
}

// OperationResult is one operation's measurement in a run.
type OperationResult struct {
	// Operation names the operation across runs (e.g. "account-lookup").
	Operation string `json:"operation"`
	// Unit says what the samples measure and which direction is better.
	Unit stats.Unit `json:"unit"`
	// Summary holds n, the quantiles, mean, spread and the median's CI
	// (computed from Samples by [Graph.Store] when zero).
	Summary stats.Summary `json:"summary"`
	// Samples are the raw values in Unit (seconds for latencies).
	Samples []float64 `json:"samples,omitempty"`
	// Clients is the number of concurrent callers.
	Clients int `json:"clients,omitempty"`
	// Elapsed is the wall time of the measured phase.
	Elapsed time.Duration `json:"elapsed,omitempty"`
	// ErrorCount counts failed calls.
	ErrorCount int `json:"errorCount,omitempty"`
}

// Run is one run of any kind, as [Graph.Store] writes it and [Graph.Run]
// reads it back.
type Run struct {
	// ID identifies the run; storing the same ID again updates it in place.
	ID string `json:"id"`
	// Kind is the command that made the run.
	Kind Kind `json:"kind"`
	// Name is the name the run was saved under (--save), if any.
	Name string `json:"name,omitempty"`
	// Started and Finished bound the run.
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"`
	// Status: set Partial to store a run that was cut short; Store marks
	// every other run Complete once all of it is stored. Read back, it says
	// what is in the graph.
	Status Status `json:"status"`
	// Commit is the commit measured; Commit.Hash "" for none. Dirty is true
	// when the work tree had uncommitted changes.
	Commit Commit `json:"commit"`
	Dirty  bool   `json:"dirty,omitempty"`
	// Branch is the git branch the run measured, "" for none.
	Branch string `json:"branch,omitempty"`
	// Dataset fingerprints the data the run measured.
	Dataset string `json:"dataset,omitempty"`
	// Server is the JanusGraph server measured.
	Server Server `json:"server"`
	// Driver is the Gremlin driver used.
	Driver string `json:"driver,omitempty"`
	// Machine describes the client machine (free text, e.g. "linux/amd64,
	// 2 cores, host").
	Machine string `json:"machine,omitempty"`
	// Settings are the run's settings (rounds, clients, ...): runs are
	// comparable only with equal settings.
	Settings map[string]string `json:"settings,omitempty"`
	// Operations are the run's results, in execution order (none for
	// mutate runs).
	Operations []OperationResult `json:"operations,omitempty"`
	// Mutation is, for a mutate run, its score and counts (read back from
	// the MutationRun vertex of the same runId); nil otherwise.
	Mutation *MutationSummary `json:"mutation,omitempty"`
}

// MutationSummary is a mutate run's outcome, from its MutationRun vertex
// (mutation/graphstore).
type MutationSummary struct {
	// Score is the mutation score in percent (NaN-free: HasScore false
	// when no mutant was valid).
	Score    float64 `json:"score"`
	HasScore bool    `json:"hasScore"`
	// Total, Killed, Survived, NoCoverage and Timeout count mutants.
	Total      int `json:"total"`
	Killed     int `json:"killed"`
	Survived   int `json:"survived"`
	NoCoverage int `json:"noCoverage"`
	Timeout    int `json:"timeout"`
	// Complete is true when every mutant of the run is stored.
	Complete bool `json:"complete"`
}

// RunSummary is one line of a runs list.
type RunSummary struct {
	ID       string    `json:"id"`
	Kind     Kind      `json:"kind"`
	Name     string    `json:"name,omitempty"`
	Started  time.Time `json:"started"`
	Status   Status    `json:"status"`
	Commit   string    `json:"commit,omitempty"`
	Dirty    bool      `json:"dirty,omitempty"`
	Branch   string    `json:"branch,omitempty"`
	Dataset  string    `json:"dataset,omitempty"`
	ServerID string    `json:"serverId,omitempty"`
	Driver   string    `json:"driver,omitempty"`
	// Operations is the number of stored operation results.
	Operations int `json:"operations"`
	// Score is a mutate run's mutation score (HasScore false otherwise).
	Score    float64 `json:"score,omitempty"`
	HasScore bool    `json:"hasScore,omitempty"`
}

// Filter selects runs for [Graph.Runs]. The zero value selects every run.
type Filter struct {
	// Kind, Branch, Commit (full hash), Dataset and Status select runs
	// with that value; "" means any.
	Kind    Kind
	Branch  string
	Commit  string
	Dataset string
	Status  Status
	// Operation selects runs with a result for that operation.
	Operation string
	// Since and Until bound the start time (zero: unbounded).
	Since, Until time.Time
	// Limit caps the number of runs (latest first); 0 means 1,000.
	Limit int
}

// TrendPoint is one point of an operation's trend: the latest complete run
// at one commit of a branch's first-parent history.
type TrendPoint struct {
	Commit Commit     `json:"commit"`
	RunID  string     `json:"runId"`
	Start  time.Time  `json:"started"`
	Unit   stats.Unit `json:"unit"`
	N      int        `json:"n"`
	Median float64    `json:"median"`
	P99    float64    `json:"p99"`
	// MedianCI is the median's confidence interval.
	MedianCI stats.CI `json:"medianCi"`
	// Verdict compares this point with the previous comparable point by
	// bench/compare's rule ("" for the first point, or when the runs are
	// not comparable); Regressed is true when the rule calls it a
	// regression.
	Verdict   compare.Verdict `json:"verdict,omitempty"`
	Delta     float64         `json:"delta,omitempty"`
	Regressed bool            `json:"regressed,omitempty"`
}

// MutationPoint is one complete mutate run in a mutation score trend.
type MutationPoint struct {
	RunID   string    `json:"runId"`
	Started time.Time `json:"started"`
	Commit  string    `json:"commit,omitempty"`
	Counts  Counts    `json:"counts"`
	// Files are the per-file counts, by file id ("pkg/file.go").
	Files []FileCounts `json:"files,omitempty"`
}

// Counts counts a set of mutants by outcome; Score follows
// mutation.Counts.Score.
type Counts struct {
	Total      int `json:"total"`
	Killed     int `json:"killed"`
	Survived   int `json:"survived"`
	NoCoverage int `json:"noCoverage"`
	Timeout    int `json:"timeout"`
}

// Score is the mutation score in percent, (Killed+Timeout) /
// (Killed+Timeout+Survived+NoCoverage) × 100, and false when no mutant
// counts.
func (c Counts) Score() (float64, bool) {
	v := c.Killed + c.Timeout + c.Survived + c.NoCoverage
	if v == 0 {
		return 0, false
	}
	return 100 * float64(c.Killed+c.Timeout) / float64(v), true
}

// FileCounts are the counts of one source file's mutants in a run.
type FileCounts struct {
	File   string `json:"file"`
	Counts Counts `json:"counts"`
}

// TestKills is a test with the number of mutants it killed.
type TestKills struct {
	TestID  string `json:"testId"`
	Name    string `json:"name"`
	Package string `json:"package"`
	// Kills counts the mutants the test killed (killedBy edges); Covers
	// the mutants it executed (coveredBy edges).
	Kills  int `json:"kills"`
	Covers int `json:"covers"`
}

// Survivor is a mutant that survived in the runs of several commits.
type Survivor struct {
	MutantID    string `json:"mutantId"`
	Package     string `json:"package"`
	File        string `json:"file"`
	Line        int    `json:"line"`
	Operator    string `json:"operator"`
	Original    string `json:"original"`
	Replacement string `json:"replacement"`
	// Commits are the distinct commits whose runs left it undetected
	// (Survived or NoCoverage), sorted.
	Commits []string `json:"commits"`
}

// ErrNotFound is matched (errors.Is) by the errors of lookups that find
// nothing: an unknown run id, commit, branch or operation.
var ErrNotFound = errors.New("not found")

// NotFoundError says what was not found; it matches [ErrNotFound].
type NotFoundError struct {
	// What is the kind of thing looked up ("run", "commit", "branch", ...).
	What string
	// Key is the value looked up.
	Key string
}

// Error implements error.
func (e *NotFoundError) Error() string {
	return fmt.Sprintf("results: %s %q not found in the results graph", e.What, e.Key)
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// ErrNoRegression is returned by [Graph.FirstBad] when no commit between
// good and bad regresses against good by the comparison rule.
var ErrNoRegression = errors.New("results: no regression found between the good and the bad commit")

// StoreError is returned by [Graph.Store] when a step fails; the run is
// left marked partial and storing it again with the same ID completes it.
type StoreError struct {
	// RunID is the run's ID.
	RunID string
	// Step names the failed step ("schema", "commit", "run", "results",
	// "complete").
	Step string
	Err  error
}

// Error implements error.
func (e *StoreError) Error() string {
	return fmt.Sprintf("results: storing run %s: %s: %v", e.RunID, e.Step, e.Err)
}

// Unwrap returns the cause.
func (e *StoreError) Unwrap() error { return e.Err }

// Graph is the results graph behind a Gremlin client. Its zero Compare
// uses bench/compare's defaults (alpha 0.05, no threshold, the unit's
// floor).
type Graph struct {
	c client.Submitter
	// Compare is the regression rule of [Graph.Trend] and [Graph.FirstBad].
	Compare compare.Config
	// Schema tunes applying the schema ([Graph.Store] applies it once per
	// Graph unless SkipSchema).
	Schema     schema.Options
	SkipSchema bool

	mu         sync.Mutex
	schemaDone bool
}

// New returns the results graph behind c (a *client.Client, or any
// client.Submitter).
func New(c client.Submitter) *Graph { return &Graph{c: c} }
