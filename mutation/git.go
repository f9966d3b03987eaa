package mutation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// MaxWorkers bounds [Config.Workers]: more mutants at once than this only
// adds memory and scheduling, never speed, on any machine this runs on.
const MaxWorkers = 1024

// ConfigError reports a [Config] field with a value [Execute] cannot use.
type ConfigError struct {
	// Field names the Config field ("Workers", "Shard").
	Field string
	// Problem says what is wrong with the value and what is expected.
	Problem string
}

// Error implements the error interface.
func (e *ConfigError) Error() string { return "mutation: " + e.Field + ": " + e.Problem }

// RefError reports a git revision that cannot select changed lines: one
// that looks like an option, one git does not know, or a directory that
// is not in a git repository.
type RefError struct {
	// Ref is the revision as given.
	Ref string
	// Problem is a one-line cause.
	Problem string
}

// Error implements the error interface.
func (e *RefError) Error() string {
	return fmt.Sprintf("mutation: git revision %q: %s", e.Ref, e.Problem)
}

// checkConfig validates the fields Execute cannot repair.
func checkConfig(c *Config) error {
	if c.Workers < 0 || c.Workers > MaxWorkers {
		return &ConfigError{Field: "Workers", Problem: fmt.Sprintf("expected 0 (one per CPU) to %d, got %d", MaxWorkers, c.Workers)}
	}
	if c.Shards < 0 || (c.Shards > 0 && (c.Shard < 1 || c.Shard > c.Shards)) {
		return &ConfigError{Field: "Shard", Problem: fmt.Sprintf("shard %d/%d: expected 1 ≤ K ≤ N", c.Shard, c.Shards)}
	}
	return nil
}

// resolveRef checks that ref names a commit of the git repository holding
// dir, without ever letting git read ref as an option, and returns the
// commit's hash.
func resolveRef(ctx context.Context, dir, ref string) (string, error) {
	if ref == "" || strings.HasPrefix(ref, "-") {
		return "", &RefError{Ref: ref, Problem: "a revision must not be empty or start with '-'"}
	}
	if _, err := runGit(ctx, dir, "rev-parse", "--git-dir"); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", &RefError{Ref: ref, Problem: dir + " is not in a git repository"}
		}
		return "", &RefError{Ref: ref, Problem: "running git: " + err.Error()}
	}
	out, err := runGit(ctx, dir, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", &RefError{Ref: ref, Problem: "no such commit in the repository of " + dir}
	}
	return strings.TrimSpace(out), nil
}

// runGit runs git in dir and returns its standard output.
func runGit(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	return string(out), err
}
