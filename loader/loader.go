// Package loader loads a generated banking graph into JanusGraph through
// Gremlin Server, fast and resumably.
//
// A load applies the schema, then sends the vertices, then the edges, as
// batches: one constant parameterized script per element kind with the
// whole batch in one list binding, so no value is ever formatted into a
// script and the server's script cache is always hit. N workers share the
// client's connection pool. Batches are cut by element count with a byte cap
// under the server's maxContentLength. Vertex batches return the new vertex
// ids, so edges resolve their endpoints from an in-memory business id →
// vertex id map (one multi-get per batch, no index lookup); endpoints missing
// from the map fall back to an indexed lookup.
//
// # Resume without loss or duplicates
//
// A sessionless request is one transaction, committed before the server's
// final status, so a batch is either entirely in the graph or not at all.
// The journal (JournalFile in the state directory) records, fsynced, "begin"
// before a batch is sent and "commit" (with the vertex ids) once the server
// answered success. The rule for a batch whose outcome is unknown — the
// connection was lost after sending, the request timed out, or the process
// died between begin and commit — is: never resend blindly; probe the graph
// first. A vertex batch is in the graph when its business ids are (unique,
// indexed keys); an edge batch when its first and last edges are, an edge
// being identified by its label, endpoints and every property value (the
// generator's timestamps and amounts make these unique). Found: record the
// commit; absent: send again; partly found (a commit cut short on a
// backend whose commits are not atomic, such as Cassandra; for edges, found
// by probing every edge once the first or the last is missing): send only
// the missing elements. A server error status (script error, 597)
// means the transaction was rolled back: "abort" is recorded and the load
// stops naming the batch, its label and the server's message.
package loader

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/graph/client"
)

// Submitter sends one Gremlin script with bindings; *client.Client is one.
//
// Two optional methods, which *client.Client has, improve on it:
//   - Do(ctx, *client.Request) (client.Result, error): the loader sends
//     through it when present, marking its reads and probes idempotent so
//     that they are retried after a server timeout or a lost connection;
//   - Serializer() client.Serializer: batches are sized in that wire
//     format; a Submitter without it is sized in GraphSON.
type Submitter interface {
	Submit(ctx context.Context, script string, bindings map[string]any) ([]any, error)
}

// MaxWorkers bounds Config.Workers: Gremlin Server runs gremlinPool
// requests at once and queues the rest, so more batches in flight only
// hold memory.
const MaxWorkers = 1024

// Defaults applied to zero fields of [Config].
const (
	DefaultWorkers     = 4
	DefaultBatchSize   = 500
	DefaultMaxAttempts = 8
	DefaultBaseDelay   = 500 * time.Millisecond
	DefaultMaxDelay    = 10 * time.Second
	DefaultStopGrace   = 3 * time.Second
	DefaultSettleTime  = 20 * time.Second
	// DefaultBatchTimeout is above the local server's evaluationTimeout
	// (5 minutes), so that a slow batch ends with the server's 598 (rolled
	// back) rather than with a client timeout while it may still run.
	DefaultBatchTimeout = 6 * time.Minute
)

// Progress is a snapshot of a running load, passed to Config.Progress.
type Progress struct {
	// Done is the number of elements in the graph so far (skipped ones
	// included); Total is the source's element count.
	Done, Total int64
	// Phase is "vertices" or "edges".
	Phase string
}

// Config configures a load. The zero value loads with the defaults.
type Config struct {
	// Workers is the number of batches in flight. Default 4: on a 2-core
	// server more only queue.
	Workers int
	// BatchSize is the maximum number of elements per batch. Default 500.
	BatchSize int
	// MaxRequestBytes is the request size limit (the client's, at most the
	// server's maxContentLength); batches are cut by bytes to stay under
	// 90% of it. Default client.DefaultMaxRequestBytes.
	MaxRequestBytes int
	// StateDir holds the journal. Required.
	StateDir string
	// Resume continues the load recorded in StateDir's journal.
	Resume bool
	// Reset starts a new journal even if one exists (after a drop). A load
	// that is not resumed always starts a new journal: it only runs on a
	// graph holding none of the banking data (see Load), which a journal
	// left in StateDir no longer describes.
	Reset bool
	// MaxAttempts bounds the attempts per batch for failures that may
	// succeed later (connection lost, server restarting, 429). Default 8.
	MaxAttempts int
	// BaseDelay and MaxDelay shape the exponential backoff between
	// attempts (with jitter). Defaults 500ms and 10s.
	BaseDelay, MaxDelay time.Duration
	// BatchTimeout bounds one request. Default 6 minutes; keep it above the
	// server's evaluationTimeout.
	BatchTimeout time.Duration
	// StopGrace is how long in-flight batches may finish after ctx is
	// cancelled, so that their outcome is journalled. Default 3s.
	StopGrace time.Duration
	// SettleTime is how long after it was sent a batch left unresolved by
	// an interrupted run may still be running on the server: a resumed
	// load that does not find it in the graph looks again once that much
	// time has passed before sending it. Default 20s.
	SettleTime time.Duration
	// SampleSize is the number of elements per label kept for --verify's
	// property comparison. Default 16; negative keeps none.
	SampleSize int
	// Progress, when set, is called (from one goroutine at a time) after
	// every batch.
	Progress func(Progress)
	// Log, when set, receives notes (retries, resolved ambiguities).
	Log func(string)
}

func (c Config) withDefaults() Config {
	if c.Workers <= 0 {
		c.Workers = DefaultWorkers
	}
	if c.BatchSize <= 0 {
		c.BatchSize = DefaultBatchSize
	}
	if c.MaxRequestBytes <= 0 {
		c.MaxRequestBytes = client.DefaultMaxRequestBytes
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.BaseDelay <= 0 {
		c.BaseDelay = DefaultBaseDelay
	}
	if c.MaxDelay <= 0 {
		c.MaxDelay = DefaultMaxDelay
	}
	if c.BatchTimeout <= 0 {
		c.BatchTimeout = DefaultBatchTimeout
	}
	if c.StopGrace <= 0 {
		c.StopGrace = DefaultStopGrace
	}
	if c.SettleTime <= 0 {
		c.SettleTime = DefaultSettleTime
	}
	if c.SampleSize == 0 {
		c.SampleSize = 16
	}
	return c
}

// BatchSizeError is returned when Config.BatchSize cannot fit under the
// request size limit.
type BatchSizeError struct {
	BatchSize, Max, MaxRequestBytes int
}

// Error names the computed limit.
func (e *BatchSizeError) Error() string {
	return fmt.Sprintf("loader: a batch of %d elements may not fit in a request of %d bytes; at most %d elements fit (strings ≤ 256 bytes)",
		e.BatchSize, e.MaxRequestBytes, e.Max)
}

// Validate checks the configuration after defaults: a BatchSize that
// cannot fit under MaxRequestBytes is a *BatchSizeError.
func (c Config) Validate() error {
	c = c.withDefaults()
	if c.StateDir == "" {
		return errors.New("loader: Config.StateDir is required")
	}
	if c.Workers > MaxWorkers {
		return fmt.Errorf("loader: Config.Workers %d exceeds MaxWorkers (%d)", c.Workers, MaxWorkers)
	}
	if limit := MaxBatchSize(c.MaxRequestBytes); c.BatchSize > limit {
		return &BatchSizeError{BatchSize: c.BatchSize, Max: limit, MaxRequestBytes: c.MaxRequestBytes}
	}
	return nil
}

// BatchError is a batch that failed permanently (or kept failing after
// every attempt). The journal is consistent: the batch is recorded as
// aborted, or as pending when its outcome could not be established.
type BatchError struct {
	// Key is the batch's journal key, "label:offset:count".
	Key   string
	Label banking.Label
	// Attempts is the number of times it was sent.
	Attempts int
	// Err is the last error (a *client.StatusError carries the server's
	// message).
	Err error
}

// Error names the batch, its label and the cause.
func (e *BatchError) Error() string {
	return fmt.Sprintf("loader: batch %s (label %s) failed after %d attempt(s): %v", e.Key, e.Label, e.Attempts, e.Err)
}

// Unwrap returns the cause.
func (e *BatchError) Unwrap() error { return e.Err }

// InconsistentError reports a batch only partly present in the graph, or a
// journal that disagrees with the data.
type InconsistentError struct {
	Key, Problem string
}

// Error describes the problem.
func (e *InconsistentError) Error() string {
	return "loader: batch " + e.Key + ": " + e.Problem
}

// Loader loads sources into one graph.
type Loader struct {
	sub Submitter
	cfg Config
}

// New returns a loader that submits through sub.
func New(sub Submitter, cfg Config) (*Loader, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Loader{sub: sub, cfg: cfg}, nil
}

// idMap maps business ids to vertex ids, per vertex label.
type idMap struct {
	mu sync.RWMutex
	m  [banking.NumVertexLabels]map[int64]int64
}

func (im *idMap) add(l banking.Label, bids, vids []int64) {
	im.mu.Lock()
	defer im.mu.Unlock()
	if im.m[l] == nil {
		im.m[l] = make(map[int64]int64, len(bids))
	}
	for i, b := range bids {
		im.m[l][b] = vids[i]
	}
}

// run is the state of one Load call.
type run struct {
	l      *Loader
	src    *Source
	sz     *sizer // sizes batches in the serializer the requests use
	j      *Journal
	ids    idMap
	report *Report
	sample *Sample

	mu        sync.Mutex
	latencies []time.Duration

	done     atomic.Int64
	retries  atomic.Int64
	probes   atomic.Int64
	progress sync.Mutex
	// checkedGraph is set once a skipped vertex batch was found in the
	// graph (producer goroutine only).
	checkedGraph bool
	// probeUnknown: batches the journal does not know may be in the graph
	// (loaded under another journal): check before sending.
	probeUnknown bool
	// stateBefore is when the graph's load state was last written before
	// this run.
	stateBefore time.Time
	stateMu     sync.Mutex
	state       GraphState
	commits     atomic.Int64
}

// Load loads src into the graph and returns the report. The schema must
// exist (apply [Schema] with graph/schema).
//
// The graph records what is loaded into it (see [GraphState]), whatever
// the journal's location: a load that is not resumed refuses a graph that
// already holds its dataset (*AlreadyLoadedError) or other banking data
// (*DatasetMismatchError); a resumed load continues from the journal and,
// for every batch the journal does not know while the graph records a load
// by another journal (or the journal is missing), checks the graph before
// sending it. On error the journal and the graph's state are consistent and
// a load with Config.Resume continues it; the partial report is returned
// too.
func (l *Loader) Load(ctx context.Context, src *Source) (*Report, error) {
	cfg := l.cfg
	sz := sizerFor(l.sub)
	dataset := src.Dataset
	if dataset == "" {
		dataset = src.Fingerprint
	}
	var gc *graphContents
	err := withRetries(ctx, cfg, func(ctx context.Context) (err error) {
		gc, err = readContents(ctx, l.sub, cfg.BatchTimeout)
		return err
	})
	if err != nil {
		return nil, err
	}
	mine, other := gc.find(dataset), gc.other(dataset)
	if other != nil {
		return nil, &DatasetMismatchError{Graph: other, Source: src.Name}
	}
	h := JournalHeader{Fingerprint: src.Fingerprint, Source: src.Name, BatchSize: cfg.BatchSize, BatchBytes: batchBytes(cfg.MaxRequestBytes)}
	if sz.ser != client.GraphSON {
		h.Serializer = sz.ser.String()
	}
	var (
		j            *Journal
		probeUnknown bool
	)
	switch {
	case !cfg.Resume:
		if mine != nil {
			return nil, &AlreadyLoadedError{State: *mine}
		}
		if gc.data {
			return nil, &DatasetMismatchError{Source: src.Name}
		}
		// The graph holds nothing of the banking data: a journal left in
		// the state directory describes nothing that exists any more.
		if j, err = openJournal(cfg.StateDir, h, false, true); err != nil {
			return nil, err
		}
	default:
		j, err = openJournal(cfg.StateDir, h, true, false)
		var nj *NoJournalError
		if errors.As(err, &nj) && mine != nil {
			// Resume from the graph: every batch is checked before sending.
			j, err = openJournal(cfg.StateDir, h, false, true)
			probeUnknown = true
		}
		if err != nil {
			return nil, err
		}
		if mine != nil {
			for _, c := range []struct {
				field    string
				was, now int
			}{{"batch size", mine.BatchSize, h.BatchSize}, {"batch byte cap", mine.BatchBytes, h.BatchBytes}} {
				if c.was != c.now {
					j.Close()
					return nil, &JournalMismatchError{Path: "the graph's load state", Field: c.field, Journal: strconv.Itoa(c.was), Now: strconv.Itoa(c.now)}
				}
			}
			if mine.Journal != j.header.ID {
				probeUnknown = true
			}
		}
	}
	defer j.Close()
	r := &run{l: l, src: src, sz: sz, j: j, report: newReport(src), sample: newSample(src, cfg.SampleSize), probeUnknown: probeUnknown}
	r.state = GraphState{Dataset: dataset, Source: src.Name, Status: StatusLoading, Journal: j.header.ID,
		BatchSize: h.BatchSize, BatchBytes: h.BatchBytes, Total: src.Total()}
	if mine != nil {
		r.state.Vertices, r.state.Edges = mine.Vertices, mine.Edges
		r.stateBefore = mine.Updated
		if mine.Complete() {
			r.state.Status = StatusComplete
		}
	}
	// Recorded before any data is sent.
	if err := r.saveState(ctx, false); err != nil {
		return nil, err
	}
	start := time.Now()
	err = r.load(ctx)
	r.report.finish(time.Since(start), r)
	r.report.Sample = r.sample
	if err == nil {
		// Every batch is committed: the final state is an idempotent
		// upsert, retried like a batch (each attempt bounded by
		// BatchTimeout), not cut short by a grace period.
		if serr := r.saveState(ctx, true); serr != nil {
			v, e := r.report.committed()
			cause := serr
			if u := errors.Unwrap(serr); u != nil {
				cause = u // writeState's own "recording the load state" prefix says it twice
			}
			return r.report, &StateError{Committed: v + e, Err: cause}
		}
		return r.report, nil
	}
	// The state of a failed or interrupted load is written even after
	// Ctrl-C (bounded by StopGrace).
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), max(cfg.StopGrace, 10*time.Second))
	defer cancel()
	_ = r.saveState(sctx, false) // the journal holds the truth; the load's error is the one to report
	return r.report, err
}

// StateError is a load whose every batch was committed but whose final
// record of the load state in the graph (see [GraphState]) failed after
// its retries: nothing is lost, and a resumed load (Config.Resume) sends
// no batch and records the state.
type StateError struct {
	// Committed counts the elements committed (loaded or found loaded).
	Committed int64
	Err       error
}

// Error says that everything was committed and what failed.
func (e *StateError) Error() string {
	return fmt.Sprintf("all %d elements committed; recording the load state failed: %v", e.Committed, e.Err)
}

// Unwrap returns the cause.
func (e *StateError) Unwrap() error { return e.Err }

// saveState writes the run's progress to the graph's load state; complete
// marks the dataset entirely loaded.
func (r *run) saveState(ctx context.Context, complete bool) error {
	r.stateMu.Lock()
	defer r.stateMu.Unlock()
	st := r.state
	if r.report != nil {
		v, e := r.report.committed()
		st.Vertices, st.Edges = max(st.Vertices, v), max(st.Edges, e)
	}
	if complete {
		st.Status = StatusComplete
		st.Vertices, st.Edges = 0, 0
		for l, n := range r.src.Counts {
			if banking.Label(l).Kind() == banking.VertexKind {
				st.Vertices += n
			} else {
				st.Edges += n
			}
		}
	}
	st.Updated = time.Now().UTC()
	if err := withRetries(ctx, r.l.cfg, func(ctx context.Context) error {
		return writeState(ctx, r.l.sub, st, r.l.cfg.BatchTimeout) // ctx's deadline, if sooner, applies
	}); err != nil {
		return err
	}
	r.state = st
	return nil
}

func (r *run) load(ctx context.Context) error {
	cfg := r.l.cfg
	// Requests use a context that survives ctx's cancellation for
	// StopGrace, so that in-flight batches finish and get journalled.
	reqCtx, cancelReq := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelReq()
	stopAfter := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(cfg.StopGrace, cancelReq)
		_ = t
	})
	defer stopAfter()

	work := make(chan *chunk, cfg.Workers)
	var (
		firstErr error
		errOnce  sync.Once
		vertexWG sync.WaitGroup
		workerWG sync.WaitGroup
	)
	runCtx, cancelRun := context.WithCancel(ctx)
	defer cancelRun()
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err; cancelRun() })
	}
	for range cfg.Workers {
		workerWG.Go(func() {
			for c := range work {
				if runCtx.Err() == nil {
					if err := r.process(runCtx, reqCtx, c); err != nil {
						fail(err)
					}
				}
				if c.label.Kind() == banking.VertexKind {
					vertexWG.Done()
				}
			}
		})
	}
	edgesStarted := false
	vertexStart := time.Now()
	perr := r.src.stream(runCtx, r.sz, func(p *part) error {
		r.sample.observe(p)
		if p.label.Kind() == banking.EdgeKind && !edgesStarted {
			// Edges need every vertex id: wait for the vertex batches.
			vertexWG.Wait()
			if err := runCtx.Err(); err != nil {
				return err
			}
			edgesStarted = true
			r.report.VertexPhase = time.Since(vertexStart)
		}
		chunks, err := cut(p, r.sz, cfg.BatchSize, batchBytes(cfg.MaxRequestBytes)-len(edgeScript))
		if err != nil {
			return err
		}
		for _, c := range chunks {
			if st := r.j.lookup(c.key()); st != nil && st.committed {
				if err := r.skip(runCtx, c, st); err != nil {
					return err
				}
				continue
			}
			if c.label.Kind() == banking.VertexKind {
				vertexWG.Add(1)
			}
			select {
			case work <- c:
			case <-runCtx.Done():
				if c.label.Kind() == banking.VertexKind {
					vertexWG.Done()
				}
				return runCtx.Err()
			}
		}
		return nil
	})
	close(work)
	workerWG.Wait()
	if !edgesStarted {
		r.report.VertexPhase = time.Since(vertexStart)
	}
	if err := ctx.Err(); err != nil {
		c, p := r.j.counts()
		return &InterruptedError{Journal: r.j.Path(), Committed: c, Pending: p, Err: err}
	}
	if firstErr != nil {
		return firstErr
	}
	return perr
}

// InterruptedError is returned when the load's context was cancelled
// (Ctrl-C): in-flight batches were given Config.StopGrace to finish, the
// journal is consistent, and a load with Config.Resume finishes the job.
type InterruptedError struct {
	Journal string
	// Committed and Pending count the journal's batches; pending ones are
	// checked against the graph on resume.
	Committed, Pending int
	Err                error
}

// Error says how to continue.
func (e *InterruptedError) Error() string {
	return fmt.Sprintf("loader: interrupted (%v) with %d batches committed and %d unresolved in %s; a resumed load finishes it",
		e.Err, e.Committed, e.Pending, e.Journal)
}

// Unwrap returns the context's error.
func (e *InterruptedError) Unwrap() error { return e.Err }

// skip accounts for a batch the journal says is committed.
func (r *run) skip(ctx context.Context, c *chunk, st *batchState) error {
	if st.sum != c.sum {
		return &InconsistentError{Key: c.key(), Problem: "the journal's checksum differs from the data's: the journal belongs to another load"}
	}
	if c.label.Kind() == banking.VertexKind {
		if len(st.vids) != c.len() {
			return &InconsistentError{Key: c.key(), Problem: fmt.Sprintf("the journal holds %d vertex ids for %d vertices", len(st.vids), c.len())}
		}
		if !r.checkedGraph {
			// The journal must describe this graph: an in-memory server
			// restarted empty, or another server, would silently lose the
			// skipped batches.
			// Retried like any probe: right after Cassandra returns, the
			// server may answer "No node was available" for a while.
			r.checkedGraph = true
			found, vids, err := r.probeRetry(ctx, ctx, c)
			if err != nil {
				return fmt.Errorf("loader: checking the journal against the graph: %w", err)
			}
			if !found || !slices.Equal(vids, st.vids) {
				return &InconsistentError{Key: c.key(), Problem: "the journal says it is committed but the graph does not hold it " +
					"(was the graph emptied, or is this another server?): empty the graph and start over"}
			}
		}
		r.ids.add(c.label, c.ids, st.vids)
	}
	r.report.addSkipped(c.label, c.len())
	r.advance(c)
	return nil
}

func (r *run) advance(c *chunk) {
	done := r.done.Add(int64(c.len()))
	if f := r.l.cfg.Progress; f != nil {
		phase := "vertices"
		if c.label.Kind() == banking.EdgeKind {
			phase = "edges"
		}
		r.progress.Lock()
		f(Progress{Done: done, Total: r.src.Total(), Phase: phase})
		r.progress.Unlock()
	}
}

func (r *run) logf(format string, args ...any) {
	if f := r.l.cfg.Log; f != nil {
		f(fmt.Sprintf(format, args...))
	}
}

// outcome classifies a failed request.
type outcome int

const (
	notApplied outcome = iota // nothing ran: send again
	rejected                  // the server ran it and rolled back: permanent
	ambiguous                 // it may have been committed: probe first
)

func classify(err error) outcome {
	var se *client.StatusError
	if errors.As(err, &se) {
		switch {
		case se.Retryable():
			return notApplied
		case se.Code == 598, se.Code == 500, transientServerFailure(se.Message):
			return ambiguous
		}
		return rejected
	}
	var ce *client.ConnError
	if errors.As(err, &ce) {
		if ce.Sent {
			return ambiguous
		}
		return notApplied
	}
	var tl *client.RequestTooLargeError
	var be *client.BindingError
	if errors.As(err, &tl) || errors.As(err, &be) || errors.Is(err, client.ErrClosed) {
		return rejected
	}
	// Timeouts and anything unknown: the request may have run.
	return ambiguous
}

// transientFailures are the storage failures a server reports (as a script
// error) that a later attempt may not meet: lock contention and timeouts,
// temporary backend failures. The transaction may have been committed
// before the failure was reported (a failure on commit), so such a batch
// is checked in the graph before it is sent again.
var transientFailures = []string{
	"LockTimeoutException",       // BerkeleyJE: lock wait over je.lock.timeout
	"LockConflictException",      // BerkeleyJE: deadlock or lock conflict
	"TemporaryLockingException",  // JanusGraph's locker: try again
	"TemporaryBackendException",  // storage backend: try again
	"Local lock contention",      // JanusGraph: another local tx holds the lock
	"Lock expired",               // JE's message text
	"TimeoutException",           // backend request timed out
	"NoHostAvailableException",   // CQL: no replica reachable for now
	"UnavailableException",       // CQL: not enough replicas alive
	"OperationTimedOutException", // CQL driver timeout
	"NoNodeAvailableException",   // CQL driver 4: no node to send to
	"AllNodesFailedException",    // CQL driver 4: every node failed
	"No node was available",      // their message text
	"BackendException",           // JanusGraph: a storage failure, maybe on commit
}

func transientServerFailure(msg string) bool {
	for _, s := range transientFailures {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// process sends one batch until it is committed, resolving ambiguous
// outcomes by probing the graph.
func (r *run) process(runCtx, reqCtx context.Context, c *chunk) error {
	cfg := r.l.cfg
	key := c.key()
	st := r.j.lookup(key)
	// target is what is sent: c, or the elements of c a partly committed
	// earlier attempt left out (pending says which are in the graph).
	target := c
	var pending *partialError
	if r.probeUnknown && (st == nil || !st.pending) {
		// Maybe loaded under another journal (even one this journal saw
		// fail): treat it as a batch of an interrupted run, sent when the
		// graph's state was last written.
		st = &batchState{sum: c.sum, pending: true, begun: r.stateBefore}
	}
	if st != nil && st.pending {
		if st.sum != c.sum {
			return &InconsistentError{Key: key, Problem: "the journal's checksum differs from the data's: the journal belongs to another load"}
		}
		found, vids, err := r.probeRetry(runCtx, reqCtx, c)
		if err == nil && !found {
			// The request of an interrupted run may still be running on
			// the server (Ctrl-C then --resume at once): give it until
			// SettleTime after it was sent, then look again.
			if wait := cfg.SettleTime - time.Since(st.begun); wait > 0 {
				r.logf("batch %s: interrupted %v ago and not in the graph: checking again in %v", key, time.Since(st.begun).Round(time.Second), wait.Round(time.Second))
				t := time.NewTimer(wait)
				select {
				case <-t.C:
				case <-runCtx.Done():
					t.Stop()
					return runCtx.Err()
				}
				found, vids, err = r.probeRetry(runCtx, reqCtx, c)
			}
		}
		var pe *partialError
		if errors.As(err, &pe) {
			r.logf("batch %s: interrupted earlier, %d of %d elements in the graph: sending the others", key, pe.have, pe.of)
			target, pending = pe.rest(c), pe
			err = nil
		}
		if err != nil {
			return &BatchError{Key: key, Label: c.label, Err: fmt.Errorf("checking whether an interrupted batch was committed: %w", err)}
		}
		if found {
			r.logf("batch %s: interrupted earlier, found committed in the graph", key)
			return r.committed(c, vids, 0)
		}
	}
	if err := r.j.begin(key, c.sum); err != nil {
		return err
	}
	script, bindings := r.request(target)
	var lastErr error
	for attempt := 1; ; attempt++ {
		ctx, cancel := context.WithTimeout(reqCtx, cfg.BatchTimeout)
		start := time.Now()
		res, err := client.Send(ctx, r.l.sub, &client.Request{Script: script, Bindings: bindings})
		cancel()
		if err == nil {
			var vids []int64
			if c.label.Kind() == banking.VertexKind {
				if vids, err = res.Int64s(); err != nil || len(vids) != target.len() {
					return &InconsistentError{Key: key, Problem: fmt.Sprintf("the server returned %d vertex ids for %d vertices (%v)", len(res), target.len(), err)}
				}
				vids = pending.merge(vids, c.len())
			} else if n, err := res.Int64(); err != nil || n != int64(target.len()) {
				return &InconsistentError{Key: key, Problem: fmt.Sprintf("the server created %v edges for %d", res, target.len())}
			}
			r.mu.Lock()
			r.latencies = append(r.latencies, time.Since(start))
			r.mu.Unlock()
			return r.committed(c, vids, attempt)
		}
		lastErr = err
		switch classify(err) {
		case rejected:
			if aerr := r.j.abort(key, c.sum); aerr != nil {
				return errors.Join(&BatchError{Key: key, Label: c.label, Attempts: attempt, Err: err}, aerr)
			}
			return &BatchError{Key: key, Label: c.label, Attempts: attempt, Err: err}
		case ambiguous:
			if reqCtx.Err() != nil { // stopping: leave it pending for --resume
				return &BatchError{Key: key, Label: c.label, Attempts: attempt, Err: err}
			}
			found, vids, perr := r.probeRetry(runCtx, reqCtx, c)
			var pe *partialError
			if errors.As(perr, &pe) {
				r.logf("batch %s: outcome unknown (%v), %d of %d elements in the graph: sending the others", key, err, pe.have, pe.of)
				target, pending = pe.rest(c), pe
				script, bindings = r.request(target)
				perr = nil
			}
			if perr != nil {
				return &BatchError{Key: key, Label: c.label, Attempts: attempt,
					Err: fmt.Errorf("%w; and checking whether it was committed failed: %w", err, perr)}
			}
			if found {
				r.logf("batch %s: outcome unknown (%v), found committed in the graph", key, err)
				return r.committed(c, vids, attempt)
			}
		}
		if attempt >= cfg.MaxAttempts {
			if classify(err) == notApplied {
				_ = r.j.abort(key, c.sum)
			}
			return &BatchError{Key: key, Label: c.label, Attempts: attempt, Err: lastErr}
		}
		r.retries.Add(1)
		r.logf("batch %s: attempt %d failed, retrying: %v", key, attempt, err)
		if err := r.sleep(runCtx, attempt); err != nil {
			_ = r.j.abort(key, c.sum) // not sent again; the last attempt's outcome is resolved
			return err
		}
	}
}

func (r *run) committed(c *chunk, vids []int64, attempts int) error {
	if err := r.j.commit(c.key(), c.sum, vids); err != nil {
		return err
	}
	if vids != nil {
		r.ids.add(c.label, c.ids, vids)
	}
	if attempts == 0 { // found in the graph before sending: an earlier run loaded it
		r.report.addSkipped(c.label, c.len())
	} else {
		r.report.addLoaded(c.label, c.len())
	}
	r.advance(c)
	if r.commits.Add(1)%stateUpdateEvery == 0 {
		ctx, cancel := context.WithTimeout(context.Background(), stateUpdateTimeout)
		defer cancel()
		if err := r.saveState(ctx, false); err != nil {
			r.logf("%v (the load goes on)", err)
		}
	}
	return nil
}

func (r *run) sleep(ctx context.Context, attempt int) error { return backoff(ctx, r.l.cfg, attempt) }

// backoff waits before attempt+1: exponential from cfg.BaseDelay up to
// cfg.MaxDelay, with jitter.
func backoff(ctx context.Context, cfg Config, attempt int) error {
	d := cfg.BaseDelay
	for i := 1; i < attempt && d < cfg.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, cfg.MaxDelay)
	d = d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// request builds the script and bindings of a batch.
func (r *run) request(c *chunk) (string, map[string]any) {
	if c.label.Kind() == banking.VertexKind {
		return vertexScript, map[string]any{bindBatch: c.props, bindLabel: c.label.String()}
	}
	return edgeScript, map[string]any{bindBatch: r.edgeMaps(c, nil), bindLabel: c.label.String()}
}

// edgeMaps builds the edge elements of c (only those at idx when idx is
// not nil), with vertex ids from the map or indexed-lookup keys.
func (r *run) edgeMaps(c *chunk, idx []int) []map[string]any {
	if idx == nil {
		idx = make([]int, c.len())
		for i := range idx {
			idx[i] = i
		}
	}
	out := make([]map[string]any, len(idx))
	r.ids.mu.RLock()
	defer r.ids.mu.RUnlock()
	for n, i := range idx {
		e := c.ends[i]
		m := make(map[string]any, 3)
		if vid, ok := r.ids.m[e.FromLabel][e.From]; ok {
			m["o"] = vid
		} else {
			m["ol"], m["ok"], m["ob"] = e.FromLabel.String(), e.FromLabel.IDKey(), e.From
		}
		if vid, ok := r.ids.m[e.ToLabel][e.To]; ok {
			m["i"] = vid
		} else {
			m["il"], m["ik"], m["ib"] = e.ToLabel.String(), e.ToLabel.IDKey(), e.To
		}
		m["p"] = c.props[i]
		out[n] = m
	}
	return out
}

// probeRetry is probe retried with backoff while the server is unreachable.
func (r *run) probeRetry(runCtx, reqCtx context.Context, c *chunk) (bool, []int64, error) {
	var err error
	for attempt := 1; attempt <= r.l.cfg.MaxAttempts; attempt++ {
		var (
			found bool
			vids  []int64
		)
		ctx, cancel := context.WithTimeout(reqCtx, r.l.cfg.BatchTimeout)
		found, vids, err = r.probe(ctx, c)
		cancel()
		if err == nil {
			return found, vids, nil
		}
		var ie *InconsistentError
		var pe *partialError
		if errors.As(err, &ie) || errors.As(err, &pe) || classify(err) == rejected {
			return false, nil, err
		}
		if attempt < r.l.cfg.MaxAttempts {
			if serr := r.sleep(runCtx, attempt); serr != nil {
				return false, nil, errors.Join(err, serr)
			}
		}
	}
	return false, nil, err
}

// probe reports whether batch c is in the graph (see the package comment
// for the rule), with the vertex ids of a vertex batch.
func (r *run) probe(ctx context.Context, c *chunk) (bool, []int64, error) {
	r.probes.Add(1)
	if c.label.Kind() == banking.VertexKind {
		res, err := client.Send(ctx, r.l.sub, &client.Request{Script: probeVerticesScript, Idempotent: true, Bindings: map[string]any{
			bindBatch: c.ids, bindLabel: c.label.String(), bindKey: c.label.IDKey()}})
		if err != nil {
			return false, nil, err
		}
		pairs, err := res.Int64s()
		if err != nil || len(pairs)%2 != 0 {
			return false, nil, fmt.Errorf("loader: probe answered %v: %v", res, err)
		}
		found := make(map[int64]int64, len(pairs)/2)
		for i := 0; i < len(pairs); i += 2 {
			if _, dup := found[pairs[i]]; dup {
				return false, nil, &InconsistentError{Key: c.key(), Problem: fmt.Sprintf("%s %s=%d exists twice in the graph", c.label, c.label.IDKey(), pairs[i])}
			}
			found[pairs[i]] = pairs[i+1]
		}
		switch len(found) {
		case 0:
			return false, nil, nil
		case c.len():
			vids := make([]int64, c.len())
			for i, b := range c.ids {
				vid, ok := found[b]
				if !ok {
					return false, nil, &InconsistentError{Key: c.key(), Problem: fmt.Sprintf("vertex %d missing from the graph", b)}
				}
				vids[i] = vid
			}
			return true, vids, nil
		}
		pe := &partialError{have: len(found), of: c.len(), vids: make(map[int]int64, len(found))}
		for i, b := range c.ids {
			if vid, ok := found[b]; ok {
				pe.vids[i] = vid
			} else {
				pe.missing = append(pe.missing, i)
			}
		}
		if len(pe.missing)+len(pe.vids) != c.len() {
			return false, nil, &InconsistentError{Key: c.key(), Problem: fmt.Sprintf("the graph holds %d vertices this batch does not", len(found)-len(pe.vids))}
		}
		return false, nil, pe
	}
	idx := []int{0}
	if c.len() > 1 {
		idx = append(idx, c.len()-1)
	}
	res, err := client.Send(ctx, r.l.sub, &client.Request{Script: probeEdgesScript, Idempotent: true,
		Bindings: map[string]any{bindBatch: r.edgeMaps(c, idx), bindLabel: c.label.String()}})
	if err != nil {
		return false, nil, err
	}
	counts, err := res.Int64s()
	if err != nil || len(counts) != len(idx) {
		return false, nil, fmt.Errorf("loader: edge probe answered %v: %v", res, err)
	}
	present := 0
	for _, n := range counts {
		if n > 0 {
			present++
		}
	}
	if present == len(idx) {
		return true, nil, nil
	}
	// The first or the last edge is missing. One transaction is all or
	// nothing on a transactional backend, but a commit on Cassandra is
	// several CQL batches and may be cut short: look at every edge, and
	// send only the missing ones.
	r.probes.Add(1)
	all := make([]int, c.len())
	for i := range all {
		all[i] = i
	}
	res, err = client.Send(ctx, r.l.sub, &client.Request{Script: probeEdgesScript, Idempotent: true,
		Bindings: map[string]any{bindBatch: r.edgeMaps(c, all), bindLabel: c.label.String()}})
	if err != nil {
		return false, nil, err
	}
	if counts, err = res.Int64s(); err != nil || len(counts) != c.len() {
		return false, nil, fmt.Errorf("loader: edge probe answered %d counts for %d edges: %v", len(counts), c.len(), err)
	}
	pe := &partialError{of: c.len()}
	for i, n := range counts {
		if n > 0 {
			pe.have++
		} else {
			pe.missing = append(pe.missing, i)
		}
	}
	switch pe.have {
	case 0:
		return false, nil, nil
	case c.len():
		return true, nil, nil
	}
	return false, nil, pe
}

// int64s reads a result of integers.
func int64s(res []any) ([]int64, error) { return client.Result(res).Int64s() }

// percentile returns the p-th percentile (0–100) of sorted durations, by
// stats.Quantile's definition (the one every graphperf report uses).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	secs := make([]float64, len(sorted))
	for i, d := range sorted {
		secs[i] = d.Seconds()
	}
	return time.Duration(math.Round(stats.Quantile(secs, p/100) * float64(time.Second)))
}

func sortedCopy(d []time.Duration) []time.Duration {
	out := slices.Clone(d)
	slices.Sort(out)
	return out
}

// partialError is a probe's finding that only some elements of a batch are
// in the graph: a commit cut short on a backend whose commits are not
// atomic (Cassandra). The missing elements are sent; the others are not.
type partialError struct {
	have, of int
	missing  []int         // indexes of the elements not in the graph
	vids     map[int]int64 // vertex batches: index → vertex id of those present
}

func (e *partialError) Error() string {
	return fmt.Sprintf("loader: %d of the batch's %d elements are in the graph", e.have, e.of)
}

// rest returns the chunk of c's missing elements.
func (e *partialError) rest(c *chunk) *chunk {
	s := &chunk{label: c.label, offset: c.offset, sum: c.sum}
	for _, i := range e.missing {
		if c.ids != nil {
			s.ids = append(s.ids, c.ids[i])
		}
		if c.ends != nil {
			s.ends = append(s.ends, c.ends[i])
		}
		s.props = append(s.props, c.props[i])
		s.sizes = append(s.sizes, c.sizes[i])
		s.bytes += c.sizes[i]
	}
	return s
}

// merge returns the vertex ids of all n elements of the batch, given those
// of the missing ones (sent) in order; with no partial finding, sent as is.
func (e *partialError) merge(sent []int64, n int) []int64 {
	if e == nil {
		return sent
	}
	out := make([]int64, n)
	for i, vid := range e.vids {
		out[i] = vid
	}
	for k, i := range e.missing {
		out[i] = sent[k]
	}
	return out
}
