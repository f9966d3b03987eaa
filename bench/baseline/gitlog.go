package baseline

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// LogEntry is one commit as `git log` gives it.
type LogEntry struct {
	// Hash is the full commit hash.
	Hash string
	// Parents are the parent hashes, first parent first.
	Parents []string
	// Time is the committer date.
	Time time.Time
	// Author is the author name; Subject the message's first line.
	Author, Subject string
}

// GitLog returns the commits reachable from revs (branches, hashes, ...)
// in dir ("" for the working directory), children before parents
// (--topo-order), at most max of them (0: all). Revisions git does not
// know are ignored (--ignore-missing); no known revision gives no commits.
func GitLog(ctx context.Context, dir string, max int, revs ...string) ([]LogEntry, error) {
	if len(revs) == 0 {
		return nil, nil
	}
	args := []string{"log", "--topo-order", "--ignore-missing", "--format=%H%x1f%P%x1f%cI%x1f%an%x1f%s%x1e"}
	if max > 0 {
		args = append(args, fmt.Sprintf("--max-count=%d", max))
	}
	// "--end-of-options" keeps a revision that starts with "-" from being
	// read as an option.
	args = append(append(args, "--end-of-options"), revs...)
	out, err := git(ctx, dir, args...)
	if err != nil {
		return nil, err
	}
	var entries []LogEntry
	for rec := range strings.SplitSeq(out, "\x1e") {
		rec = strings.TrimLeft(rec, "\n")
		if rec == "" {
			continue
		}
		f := strings.Split(rec, "\x1f")
		if len(f) != 5 {
			return nil, fmt.Errorf("git log: unexpected record %q", rec)
		}
		t, err := time.Parse(time.RFC3339, f[2])
		if err != nil {
			return nil, fmt.Errorf("git log: commit %s: date %q: %w", f[0], f[2], err)
		}
		entries = append(entries, LogEntry{Hash: f[0], Parents: strings.Fields(f[1]), Time: t.UTC(), Author: f[3], Subject: f[4]})
	}
	return entries, nil
}

// GitBranch returns the branch checked out in dir ("" for the working
// directory), or "" with a detached HEAD.
func GitBranch(ctx context.Context, dir string) (string, error) {
	out, err := git(ctx, dir, "symbolic-ref", "--quiet", "--short", "HEAD")
	if err != nil {
		if _, herr := git(ctx, dir, "rev-parse", "HEAD"); herr == nil {
			return "", nil // detached
		}
		return "", err
	}
	return strings.TrimSpace(out), nil
}
