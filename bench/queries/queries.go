// Package queries is query-bench's catalogue: twelve FinBench-style and AML
// traversals as constant Gremlin scripts with bindings, the deterministic
// curation of their parameters from the generated data, and a correctness
// check for every parameter.
//
// Every expansion step is truncated as FinBench does: a vertex's edges of one
// label are ordered newest first and only the first `trunc` (default 500) are
// followed, so that hub vertices cannot blow a query up. Path-dependent
// filters (timestamps increasing along a path, amounts shrinking) compare an
// edge with the traverser's sack in a small Groovy closure; the scripts are
// constants, so Gremlin Server compiles each once and caches it.
//
// Parameters are curated from the very batches that were loaded (see Data):
// start vertices whose degree is closest to the median degree, so that
// parameters do comparable work, in a salted-hash order. The same data gives
// the same parameter list in the same order, so a baseline and a later run
// execute identical work. Pattern queries start at a member of each injected
// pattern instance and must find that instance (the ground truth); the others
// are checked against an independent computation in Go over the same data.
package queries

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// DefaultTruncation is FinBench's truncation limit: edges followed per
// vertex and expansion step.
const DefaultTruncation = 500

// DefaultParams is the number of parameters curated per query.
const DefaultParams = 10

// Config controls parameter curation. The zero value uses the defaults.
type Config struct {
	// Params is the number of parameters per query (pattern queries use
	// at most this many injected instances). 0 means DefaultParams.
	Params int
	// Truncation is the number of edges followed per vertex and step.
	// 0 means DefaultTruncation.
	Truncation int
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config { return c.withDefaults() }

func (c Config) withDefaults() Config {
	if c.Params <= 0 {
		c.Params = DefaultParams
	}
	if c.Truncation <= 0 {
		c.Truncation = DefaultTruncation
	}
	return c
}

// Query is one catalogue entry.
type Query struct {
	// Name is the query's id, e.g. "account-lookup".
	Name string
	// Purpose says what the query answers (and its FinBench origin).
	Purpose string
	// Script is the constant Gremlin script; every value is a binding.
	Script string
	// GroundTruth is true when answers are checked against injected
	// pattern instances, false when against a computation in Go.
	GroundTruth bool

	cases func(d *Data, cfg Config) ([]Case, error)
}

// Case is one curated parameter of a query: the bindings sent with the
// script and the check of the answer.
type Case struct {
	// Bindings are the script's bindings (Gremlin-safe names).
	Bindings map[string]any
	// Want describes the expected answer, for error messages.
	Want string

	check func(res []any) error
}

// Param returns the case's bindings as JSON, as stored with a run.
func (c Case) Param() json.RawMessage {
	b, err := json.Marshal(c.Bindings)
	if err != nil { // bindings are numbers and strings: cannot fail
		panic(err)
	}
	return b
}

// Check returns nil when res (the decoded result items) is a correct answer,
// or a description of what is wrong.
func (c Case) Check(res []any) error { return c.check(res) }

// Cases curates the query's parameters from d.
func (q Query) Cases(d *Data, cfg Config) ([]Case, error) {
	if !d.finished {
		return nil, errors.New("queries: Data.Finish was not called")
	}
	cs, err := q.cases(d, cfg.withDefaults())
	if err != nil {
		return nil, fmt.Errorf("queries: %s: %w", q.Name, err)
	}
	if len(cs) == 0 {
		return nil, &NoParamsError{Query: q.Name}
	}
	return cs, nil
}

// NoParamsError reports a query for which the data offers no parameter (for
// example a pattern query when no instance of the pattern was injected).
type NoParamsError struct{ Query string }

// Error implements the error interface.
func (e *NoParamsError) Error() string {
	return fmt.Sprintf("queries: %s: the data offers no parameter for this query (no injected pattern instance or no suitable start vertex)", e.Query)
}

// WrongAnswerError reports an incorrect answer: the benchmark of that query
// fails whatever its speed.
type WrongAnswerError struct {
	Query string
	// Param is the parameter's JSON bindings.
	Param string
	Want  string
	// Got is a (shortened) rendering of the answer.
	Got string
	// Reason says what is wrong.
	Reason string
}

// Error implements the error interface.
func (e *WrongAnswerError) Error() string {
	return fmt.Sprintf("wrong answer from %s with %s: %s; expected %s, got %s", e.Query, e.Param, e.Reason, e.Want, e.Got)
}

// Verify checks res for case c of query q and returns a *WrongAnswerError
// when it is wrong.
func Verify(q Query, c Case, res []any) error {
	if err := c.Check(res); err != nil {
		got := fmt.Sprint(res)
		if len(got) > 400 {
			got = got[:400] + "…"
		}
		return &WrongAnswerError{Query: q.Name, Param: string(c.Param()), Want: c.Want, Got: got, Reason: err.Error()}
	}
	return nil
}

// UnknownQueryError reports a query name that is not in the catalogue.
type UnknownQueryError struct {
	Name  string
	Valid []string
}

// Error implements the error interface.
func (e *UnknownQueryError) Error() string {
	return fmt.Sprintf("unknown query %q; valid names: %s", e.Name, strings.Join(e.Valid, ", "))
}

// Catalogue returns the twelve queries in their execution order.
func Catalogue() []Query {
	return []Query{
		accountLookup(), inOutSummary(), blockedMedium3Hop(), shortestTransferPath(),
		transferCycle(), fanInWithdraw(), fastInFastOut(), loanFundTrace(),
		guaranteeChain(), structuring(), sharedIdentifierRing(), muleChain(),
	}
}

// Names returns the catalogue's query names in order.
func Names() []string {
	var out []string
	for _, q := range Catalogue() {
		out = append(out, q.Name)
	}
	return out
}

// Select returns the named queries in catalogue order (all of them for an
// empty list). An unknown name gives an *UnknownQueryError.
func Select(names []string) ([]Query, error) {
	all := Catalogue()
	if len(names) == 0 {
		return all, nil
	}
	want := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if !slices.ContainsFunc(all, func(q Query) bool { return q.Name == n }) {
			return nil, &UnknownQueryError{Name: n, Valid: Names()}
		}
		want[n] = true
	}
	var out []Query
	for _, q := range all {
		if want[q.Name] {
			out = append(out, q)
		}
	}
	if len(out) == 0 {
		return nil, &UnknownQueryError{Name: strings.Join(names, ","), Valid: Names()}
	}
	return out, nil
}

// int64Set renders a sorted id set for messages.
func int64Set(ids []int64) string {
	s := slices.Clone(ids)
	slices.Sort(s)
	if len(s) > 20 {
		return fmt.Sprintf("%v… (%d ids)", s[:20], len(s))
	}
	return fmt.Sprint(s)
}

// missing returns the ids of want not in got, sorted.
func missing(want, got []int64) []int64 {
	have := map[int64]bool{}
	for _, g := range got {
		have[g] = true
	}
	var out []int64
	for _, w := range want {
		if !have[w] {
			out = append(out, w)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
