package results

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/graph/client"
)

// RunID returns the id of a baseline run in the results graph: its start
// time (UTC, to the second) and 8 hex digits of a hash of its command,
// exact start time, host and commit. Storing a run with --store-graph and
// importing its saved file later give the same id: one run.
func RunID(b *baseline.Run) string {
	h := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%s\x00%s", b.Command, b.Started.UTC().Format(time.RFC3339Nano),
		b.Machine.Hostname, b.Commit))
	return b.Started.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(h[:4])
}

// FromBaseline converts a query-bench or load-bench run (bench/baseline)
// into a results Run: id [RunID], status complete, the commit's hash
// without its "-dirty" suffix (Dirty set instead), the server's backend
// from its storage.backend setting. Branch and the commit's other fields
// are the caller's (see [GitCommits]).
func FromBaseline(b *baseline.Run) Run {
	r := Run{
		ID: RunID(b), Kind: Kind(b.Command), Name: b.Name, Started: b.Started, Status: Complete,
		Dataset: b.Dataset, Driver: b.Driver, Settings: b.Settings,
		Server:  Server{Backend: b.Server.Config["storage.backend"], JanusGraphVersion: b.Server.JanusGraphVersion, Config: b.Server.Config},
		Machine: machineText(b.Machine, b.GoVersion),
	}
	r.Commit.Hash, r.Dirty = strings.CutSuffix(b.Commit, "-dirty")
	var elapsed time.Duration
	for _, op := range b.Operations {
		r.Operations = append(r.Operations, OperationResult{Operation: op.Name, Unit: op.Unit,
			Summary: stats.Summarize(op.Samples, op.Unit), Samples: op.Samples, Clients: op.Clients,
			Elapsed: op.Elapsed, ErrorCount: op.ErrorCount})
		elapsed += op.Elapsed
	}
	if elapsed > 0 {
		r.Finished = b.Started.Add(elapsed)
	}
	return r
}

func machineText(m baseline.Machine, goVersion string) string {
	parts := []string{m.GOOS + "/" + m.GOARCH}
	if m.Cores > 0 {
		parts = append(parts, fmt.Sprintf("%d cores", m.Cores))
	}
	for _, s := range []string{m.CPUModel, m.Hostname, goVersion} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 1 && parts[0] == "/" {
		return ""
	}
	return strings.Join(parts, ", ")
}

// GitCommits returns the commits reachable from revs in the git work tree
// dir ("" for the working directory), at most max (0: all), children
// first: the commit DAG for [Graph.StoreCommits]. Unknown revisions are
// ignored.
func GitCommits(ctx context.Context, dir string, max int, revs ...string) ([]Commit, error) {
	entries, err := baseline.GitLog(ctx, dir, max, revs...)
	if err != nil {
		return nil, err
	}
	out := make([]Commit, len(entries))
	for i, e := range entries {
		out[i] = Commit{Hash: e.Hash, Time: e.Time, Message: e.Subject, Author: e.Author, Parents: e.Parents}
	}
	return out, nil
}

// ImportOptions tune [Import]. The zero value imports without git
// information beyond the hashes the files record.
type ImportOptions struct {
	// GitDir is a git work tree whose history holds the runs' commits:
	// their ancestry (up to MaxCommits commits) is stored as the commit
	// DAG. "" stores the commits as bare hashes.
	GitDir string
	// MaxCommits bounds the commits read from git; 0 means 10,000.
	MaxCommits int
	// Branch is the branch the runs belong to ("" for none); with GitDir,
	// its head is set from git.
	Branch string
}

// ImportResult reports what [Import] stored.
type ImportResult struct {
	// Runs are the ids of the runs stored, by file name.
	Runs []string `json:"runs"`
	// Files are the files the runs came from, in the same order.
	Files []string `json:"files"`
	// Commits counts the commits stored from git.
	Commits int `json:"commits"`
	// MutationRuns are the ids of the mutation runs linked by
	// [Graph.LinkMutationRuns].
	MutationRuns []string `json:"mutationRuns,omitempty"`
}

// FileError names a run file [Import] could not read or store.
type FileError struct {
	Path string
	Err  error
}

// Error implements error.
func (e *FileError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }

// Unwrap returns the cause.
func (e *FileError) Unwrap() error { return e.Err }

// Import stores every run file (*.json, bench/baseline format) of dir in
// g, with the commit DAG from opts.GitDir. A file that cannot be read or
// stored does not stop the others: the error joins one *FileError per such
// file, and the result lists what was stored. Importing again changes
// nothing ([RunID] is stable). It also links the mutation runs the graph
// holds without a Run ([Graph.LinkMutationRuns]).
func Import(ctx context.Context, g *Graph, dir string, opts ImportOptions) (*ImportResult, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("results: import: %w", err)
	}
	var paths []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".json") && !strings.HasPrefix(e.Name(), ".") {
			paths = append(paths, filepath.Join(dir, e.Name()))
		}
	}
	slices.Sort(paths)
	var errs []error
	var runs []Run
	var files []string
	for _, p := range paths {
		b, err := baseline.ReadFile(p)
		if err != nil {
			errs = append(errs, &FileError{Path: p, Err: err})
			continue
		}
		r := FromBaseline(b)
		r.Branch = opts.Branch
		runs = append(runs, r)
		files = append(files, p)
	}
	res := &ImportResult{}
	if opts.GitDir != "" {
		if err := importGit(ctx, g, runs, opts, res); err != nil {
			return res, errors.Join(append([]error{err}, errs...)...)
		}
	}
	for i, r := range runs {
		if err := g.Store(ctx, r); err != nil {
			if ctx.Err() != nil {
				return res, errors.Join(append(errs, err)...)
			}
			errs = append(errs, &FileError{Path: files[i], Err: err})
			continue
		}
		res.Runs = append(res.Runs, r.ID)
		res.Files = append(res.Files, files[i])
	}
	linked, err := g.LinkMutationRuns(ctx, opts.GitDir)
	res.MutationRuns = linked
	if err != nil {
		errs = append(errs, err)
	}
	return res, errors.Join(errs...)
}

// importGit stores the ancestry of the runs' commits (and of the branch),
// fills in the runs' commits from it and sets the branch head.
func importGit(ctx context.Context, g *Graph, runs []Run, opts ImportOptions, res *ImportResult) error {
	max := opts.MaxCommits
	if max <= 0 {
		max = 10_000
	}
	var revs []string
	for _, r := range runs {
		if r.Commit.Hash != "" && !slices.Contains(revs, r.Commit.Hash) {
			revs = append(revs, r.Commit.Hash)
		}
	}
	var head string
	if opts.Branch != "" {
		if hs, err := baseline.GitLog(ctx, opts.GitDir, 1, opts.Branch); err == nil && len(hs) == 1 {
			head = hs[0].Hash
			revs = append(revs, head)
		}
	}
	commits, err := GitCommits(ctx, opts.GitDir, max, revs...)
	if err != nil {
		return fmt.Errorf("results: import: %w", err)
	}
	if err := g.StoreCommits(ctx, commits); err != nil {
		return err
	}
	res.Commits = len(commits)
	byHash := make(map[string]Commit, len(commits))
	for _, c := range commits {
		byHash[c.Hash] = c
	}
	for i := range runs {
		if c, ok := byHash[runs[i].Commit.Hash]; ok {
			runs[i].Commit = c
		}
	}
	if head != "" {
		return g.SetBranchHead(ctx, opts.Branch, head)
	}
	return nil
}

// Baseline converts r back into a bench/baseline run (operations with
// their samples, commit with "-dirty" when Dirty, the server's settings),
// for bench/compare and bench/report: comparing two stored runs is
// compare.Compare(a.Baseline(), b.Baseline(), cfg).
func (r *Run) Baseline() *baseline.Run {
	b := &baseline.Run{FormatVersion: baseline.FormatVersion, Name: r.Name, Command: string(r.Kind), Started: r.Started,
		Commit: r.Commit.Hash, Dataset: r.Dataset, Driver: r.Driver, Settings: r.Settings,
		Server: baseline.Server{JanusGraphVersion: r.Server.JanusGraphVersion, Config: r.Server.Config}}
	if r.Dirty && b.Commit != "" {
		b.Commit += "-dirty"
	}
	if b.Name == "" {
		b.Name = r.ID
	}
	for _, op := range r.Operations {
		b.Operations = append(b.Operations, baseline.Operation{Name: op.Operation, Unit: op.Unit, Samples: op.Samples,
			Clients: op.Clients, Elapsed: op.Elapsed, ErrorCount: op.ErrorCount})
	}
	return b
}

// QueryUnlinkedMutationRuns lists the MutationRuns (mutation/graphstore)
// that no Run links to yet: stored before the results graph existed.
const QueryUnlinkedMutationRuns = `g.V().hasLabel('MutationRun').not(__.in('mutation')).
  project('runId', 'started', 'finished', 'commit', 'complete').
  by('runId').by('started').by(coalesce(values('finished'), constant(''))).
  by(coalesce(values('commit'), constant(''))).by(coalesce(values('complete'), constant(false)))`

// LinkMutationRuns gives every mutation run stored by mutation/graphstore
// without a Run (stored before the results graph existed) its Run of kind
// mutate, linked to its commit (with the ancestry from the git work tree
// gitDir when it is not "") — what `mutate --store-graph` now does for
// each run. A run stored partially stays partial. It returns the ids
// linked.
func (g *Graph) LinkMutationRuns(ctx context.Context, gitDir string) ([]string, error) {
	if _, err := g.ApplySchema(ctx); err != nil {
		return nil, fmt.Errorf("results: link mutation runs: %w", err)
	}
	res, err := g.read(ctx, QueryUnlinkedMutationRuns, nil)
	if err != nil {
		return nil, fmt.Errorf("results: link mutation runs: %w", err)
	}
	var ids []string
	for _, x := range res {
		m, ok := client.AsMap(x)
		if !ok {
			return ids, fmt.Errorf("results: link mutation runs: unexpected answer %v", x)
		}
		r := Run{ID: str(m["runId"]), Kind: KindMutate, Started: timeOf(m["started"]), Finished: timeOf(m["finished"]), Status: Partial}
		if done, _ := m["complete"].(bool); done {
			r.Status = Complete
		}
		r.Commit.Hash, r.Dirty = strings.CutSuffix(str(m["commit"]), "-dirty")
		if gitDir != "" && r.Commit.Hash != "" {
			if cs, err := GitCommits(ctx, gitDir, 1, r.Commit.Hash); err == nil && len(cs) == 1 {
				r.Commit = cs[0]
			}
		}
		if err := g.Store(ctx, r); err != nil {
			return ids, err
		}
		ids = append(ids, r.ID)
	}
	return ids, nil
}
