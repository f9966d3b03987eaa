package results

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/graphperf/graphperf/bench/baseline"
)

// GitHistoryDepth bounds the ancestors of a run's commit that
// [Graph.StoreWithGit] stores with it; [Import] stores deeper histories
// (ImportOptions.MaxCommits).
const GitHistoryDepth = 500

// StoreWithGit stores r with its git context: it fills in r's commit and
// branch from the git work tree dir ("" for the current directory), stores
// the commit's ancestry (at most [GitHistoryDepth] commits) and the
// branch head, then the run. Outside a work tree holding the commit it
// stores the run with its hash alone. It returns the run as stored.
func (g *Graph) StoreWithGit(ctx context.Context, dir string, r Run) (Run, error) {
	if err := g.StoreGit(ctx, dir, &r); err != nil {
		return r, err
	}
	return r, g.Store(ctx, r)
}

// StoreGit is StoreWithGit's git part: it fills in r's commit and
// branch and stores the commit's ancestry and the branch head, but not r.
func (g *Graph) StoreGit(ctx context.Context, dir string, r *Run) error {
	if r.Commit.Hash == "" {
		return nil
	}
	commits, err := GitCommits(ctx, dir, GitHistoryDepth, r.Commit.Hash)
	if err != nil || len(commits) == 0 {
		return nil // not a work tree holding the commit: store the hash alone
	}
	if err := g.StoreCommits(ctx, commits); err != nil {
		return err
	}
	r.Commit = commits[0]
	if r.Branch == "" {
		r.Branch, _ = baseline.GitBranch(ctx, dir)
	}
	if r.Branch == "" {
		return nil
	}
	head, err := GitCommits(ctx, dir, 1, r.Branch)
	if err != nil || len(head) == 0 {
		return nil
	}
	return g.SetBranchHead(ctx, r.Branch, head[0].Hash)
}

// ShortHash is hash's first 12 characters.
func ShortHash(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}

// WriteText prints one line per stored run: its id and the file it came
// from, tab-separated.
func (r *ImportResult) WriteText(w io.Writer) error {
	for i, id := range r.Runs {
		if _, err := fmt.Fprintf(w, "%s\t%s\n", id, r.Files[i]); err != nil {
			return err
		}
	}
	return nil
}

// Summary is a one-line account of the import: runs, commits, linked
// mutation runs.
func (r *ImportResult) Summary() string {
	return fmt.Sprintf("%d runs stored, %d commits of history, %d earlier mutation runs linked",
		len(r.Runs), r.Commits, len(r.MutationRuns))
}

// WriteRunsText prints runs as a table, one line per run: id, kind,
// start, status, short commit, branch, operations, mutation score.
func WriteRunsText(w io.Writer, runs []RunSummary) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tKIND\tSTARTED\tSTATUS\tCOMMIT\tBRANCH\tOPS\tSCORE")
	for _, r := range runs {
		score := ""
		if r.HasScore {
			score = fmt.Sprintf("%.1f%%", r.Score)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", r.ID, r.Kind, r.Started.Format(time.RFC3339), r.Status,
			ShortHash(r.Commit), r.Branch, r.Operations, score)
	}
	return tw.Flush()
}

// WriteTrendText prints a [Graph.Trend] as a table, one line per commit:
// short hash, date, median, p99, samples, the verdict against the
// previous point (REGRESSION marked) and the commit's subject.
func WriteTrendText(w io.Writer, pts []TrendPoint) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "COMMIT\tTIME\tMEDIAN\tP99\tN\tVS PREVIOUS\tSUBJECT")
	for _, p := range pts {
		verdict := string(p.Verdict)
		if p.Verdict != "" && p.Verdict != "~" && p.Verdict != "inconclusive" {
			verdict = fmt.Sprintf("%s %+.1f%%", p.Verdict, 100*p.Delta)
		}
		if p.Regressed {
			verdict += " REGRESSION"
		}
		fmt.Fprintf(tw, "%s\t%s\t%.6g\t%.6g\t%d\t%s\t%s\n", ShortHash(p.Commit.Hash), p.Commit.Time.Format(time.DateOnly),
			p.Median, p.P99, p.N, verdict, p.Commit.Message)
	}
	return tw.Flush()
}

// Line is the commit on one line: hash, time (RFC 3339), subject and
// author in parentheses.
func (c Commit) Line() string {
	return fmt.Sprintf("%s %s %s (%s)", c.Hash, c.Time.Format(time.RFC3339), c.Message, c.Author)
}
