package mutation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
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

// Validate checks the fields [Execute] cannot repair, without touching
// the file system or git: Workers, Shard and Shards, Operators, and the
// form of DiffRef (whether git knows it is checked by Execute). Errors are
// *ConfigError, or *RefError for DiffRef. Execute calls Validate first.
func (c *Config) Validate() error {
	if c.Workers < 0 || c.Workers > MaxWorkers {
		return &ConfigError{Field: "Workers", Problem: fmt.Sprintf("expected 0 (one per CPU) to %d, got %d", MaxWorkers, c.Workers)}
	}
	if c.Shards < 0 || (c.Shards > 0 && (c.Shard < 1 || c.Shard > c.Shards)) {
		return &ConfigError{Field: "Shard", Problem: fmt.Sprintf("shard %d/%d: expected 1 ≤ K ≤ N", c.Shard, c.Shards)}
	}
	for _, o := range c.Operators {
		if !slices.Contains(Operators(), o) {
			return &ConfigError{Field: "Operators", Problem: unknownOperator(o)}
		}
	}
	if strings.HasPrefix(c.DiffRef, "-") {
		return &RefError{Ref: c.DiffRef, Problem: badRefProblem}
	}
	return nil
}

// badRefProblem is the problem of a revision that could be read as an option.
const badRefProblem = "a revision must not be empty or start with '-'"

// unknownOperator describes an operator name that is not one of [Operators].
func unknownOperator(o Operator) string {
	var known []string
	for _, k := range Operators() {
		known = append(known, string(k))
	}
	return fmt.Sprintf("unknown operator %q (known: %s)", o, strings.Join(known, ","))
}

// resolveRef checks that ref names a commit of the git repository holding
// dir, without ever letting git read ref as an option, and returns the
// commit's hash.
func resolveRef(ctx context.Context, dir, ref string) (string, error) {
	if ref == "" || strings.HasPrefix(ref, "-") {
		return "", &RefError{Ref: ref, Problem: badRefProblem}
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

// ParseShard parses a shard selector "K/N" (1 ≤ K ≤ N) for Config.Shard
// and Config.Shards.
func ParseShard(s string) (k, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || k < 1 || n < 1 || k > n {
		return 0, 0, &ConfigError{Field: "Shard", Problem: fmt.Sprintf("expected K/N with 1 ≤ K ≤ N, got %q", s)}
	}
	return k, n, nil
}

// ParseOperators parses a comma-separated list of operator names for
// Config.Operators; "" selects every operator (nil).
func ParseOperators(s string) ([]Operator, error) {
	if s == "" {
		return nil, nil
	}
	var ops []Operator
	for _, name := range strings.Split(s, ",") {
		o := Operator(strings.TrimSpace(name))
		if !slices.Contains(Operators(), o) {
			return nil, &ConfigError{Field: "Operators", Problem: unknownOperator(o)}
		}
		ops = append(ops, o)
	}
	return ops, nil
}
