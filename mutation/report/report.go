// Package report turns a mutation run into reports: the
// mutation-testing-elements JSON format (schemaVersion 2), a single-file
// offline HTML page with the mutation-testing-elements web component, and a
// plain-text summary. Reports of shards of one run are combined with [Merge].
package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/graphperf/graphperf/mutation"
)

// SchemaURL is the $schema of the reports written here.
const SchemaURL = "https://git.io/mutation-testing-schema"

// Report is a mutation-testing-elements report (schemaVersion 2).
type Report struct {
	Schema        string                 `json:"$schema,omitempty"`
	SchemaVersion string                 `json:"schemaVersion"`
	Thresholds    Thresholds             `json:"thresholds"`
	ProjectRoot   string                 `json:"projectRoot,omitempty"`
	Files         map[string]*FileResult `json:"files"`
	TestFiles     map[string]*TestFile   `json:"testFiles,omitempty"`
	Performance   *Performance           `json:"performance,omitempty"`
	Framework     *Framework             `json:"framework,omitempty"`
	Config        map[string]any         `json:"config,omitempty"`
}

// Thresholds are the report's high and low score bounds in percent.
type Thresholds struct {
	High int `json:"high"`
	Low  int `json:"low"`
}

// FileResult is one mutated file.
type FileResult struct {
	Language string          `json:"language"`
	Source   string          `json:"source"`
	Mutants  []*MutantResult `json:"mutants"`
}

// MutantResult is one mutant in a report.
type MutantResult struct {
	ID             string   `json:"id"`
	MutatorName    string   `json:"mutatorName"`
	Replacement    string   `json:"replacement"`
	Description    string   `json:"description,omitempty"`
	Location       Location `json:"location"`
	Status         string   `json:"status"`
	StatusReason   string   `json:"statusReason,omitempty"`
	CoveredBy      []string `json:"coveredBy,omitempty"`
	KilledBy       []string `json:"killedBy,omitempty"`
	TestsCompleted *int     `json:"testsCompleted,omitempty"`
	Duration       *float64 `json:"duration,omitempty"`
}

// Location is a start (inclusive) and end (exclusive) position.
type Location struct {
	Start mutation.Position `json:"start"`
	End   mutation.Position `json:"end"`
}

// TestFile is a file of tests.
type TestFile struct {
	Tests []TestDefinition `json:"tests"`
}

// TestDefinition is one test; its ID is what killedBy and coveredBy name.
type TestDefinition struct {
	ID       string        `json:"id"`
	Name     string        `json:"name"`
	Location *OpenLocation `json:"location,omitempty"`
}

// OpenLocation is a location whose end is optional.
type OpenLocation struct {
	Start mutation.Position `json:"start"`
}

// Performance holds phase durations in milliseconds.
type Performance struct {
	Setup      float64 `json:"setup"`
	InitialRun float64 `json:"initialRun"`
	Mutation   float64 `json:"mutation"`
}

// Framework names the tool that wrote the report.
type Framework struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

// TestID is the report id of a test: "<import path>.<TestName>".
func TestID(pkg, test string) string { return pkg + "." + test }

// FromRun converts a run to a report.
func FromRun(run *mutation.Run) *Report {
	r := &Report{
		Schema:        SchemaURL,
		SchemaVersion: "2",
		Thresholds:    Thresholds{High: 80, Low: 60},
		ProjectRoot:   run.ModuleRoot,
		Files:         map[string]*FileResult{},
		TestFiles:     map[string]*TestFile{},
		Performance: &Performance{
			Setup:      ms(run.Setup.Seconds()),
			InitialRun: ms(run.Baseline.Seconds()),
			Mutation:   ms(run.Mutation.Seconds()),
		},
		Framework: &Framework{Name: "graphperf mutate"},
		Config:    map[string]any{"modulePath": run.ModulePath, "fullMatrix": run.FullMatrix},
	}
	if run.Shards > 0 {
		r.Config[ConfigShard], r.Config[ConfigShards] = run.Shard, run.Shards
	}
	for _, p := range run.Packages {
		for _, f := range p.Files {
			r.Files[f.Path] = &FileResult{Language: "go", Source: f.Source, Mutants: []*MutantResult{}}
		}
		for _, t := range p.Tests {
			key := t.File
			if key == "" {
				key = p.Path
			}
			tf := r.TestFiles[key]
			if tf == nil {
				tf = &TestFile{}
				r.TestFiles[key] = tf
			}
			td := TestDefinition{ID: TestID(p.Path, t.Name), Name: t.Name}
			if t.Line > 0 {
				td.Location = &OpenLocation{Start: mutation.Position{Line: t.Line, Column: 1}}
			}
			tf.Tests = append(tf.Tests, td)
		}
		for _, m := range p.Mutants {
			fr := r.Files[m.File]
			if fr == nil {
				continue
			}
			mr := &MutantResult{
				ID: m.ID, MutatorName: string(m.Operator), Replacement: m.Replacement,
				Description: m.Description(), Location: Location{Start: m.Start, End: m.End},
				Status: string(m.Status), StatusReason: m.StatusReason,
			}
			for _, t := range m.CoveredBy {
				mr.CoveredBy = append(mr.CoveredBy, TestID(p.Path, t))
			}
			for _, t := range m.KilledBy {
				mr.KilledBy = append(mr.KilledBy, TestID(p.Path, t))
			}
			if m.Status != mutation.Ignored && m.Status != mutation.CompileError && m.Status != mutation.NoCoverage {
				n, d := m.TestsCompleted, ms(m.Duration.Seconds())
				mr.TestsCompleted, mr.Duration = &n, &d
			}
			fr.Mutants = append(fr.Mutants, mr)
		}
	}
	return r
}

func ms(sec float64) float64 { return math.Round(sec*1e6) / 1e3 }

// WriteJSON writes r as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// ReadFile reads a JSON report written by [Report.WriteJSON].
func ReadFile(name string) (*Report, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("report: %s: %w", name, err)
	}
	if !strings.HasPrefix(r.SchemaVersion, "2") || r.Files == nil {
		return nil, fmt.Errorf("report: %s is not a mutation-testing-elements schemaVersion 2 report", name)
	}
	return &r, nil
}

// MergeError is returned by [Merge] when reports disagree.
type MergeError struct {
	File, MutantID string
	Reason         string
}

// Error implements the error interface.
func (e *MergeError) Error() string {
	switch {
	case e.File == "":
		return "report: cannot merge: " + e.Reason
	case e.MutantID == "":
		return fmt.Sprintf("report: cannot merge: %s: %s", e.File, e.Reason)
	}
	return fmt.Sprintf("report: cannot merge: %s mutant %s: %s", e.File, e.MutantID, e.Reason)
}

// Keys of Report.Config that record the shard of a sharded run: shard K
// (1-based) of shards N.
const (
	ConfigShard  = "shard"
	ConfigShards = "shards"
)

// Shard returns the shard K of N the report covers; ok is false for a
// report of a whole run (or one written before shards were recorded).
func (r *Report) Shard() (k, n int, ok bool) {
	k, kok := configInt(r.Config[ConfigShard])
	n, nok := configInt(r.Config[ConfigShards])
	return k, n, kok && nok && n > 0
}

// configInt reads an integer of Config, as built (int) or read back from
// JSON (float64).
func configInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case float64:
		if n == math.Trunc(n) {
			return int(n), true
		}
	}
	return 0, false
}

// ShardError is returned by [Merge] when the reports are not exactly the
// shards 1..N of one run: a score over them would describe a part of the
// mutants as if it were the whole.
type ShardError struct {
	// Shards is N (0 when the reports disagree on it or some are not
	// shards); Have lists the shards given, "K/N" each, in order.
	Shards int
	Have   []string
	// Problem says what is wrong.
	Problem string
}

// Error implements the error interface.
func (e *ShardError) Error() string {
	return fmt.Sprintf("report: cannot merge shards %s: %s", strings.Join(e.Have, ", "), e.Problem)
}

// checkShards requires reports to be either all whole-run reports, or
// exactly the shards 1..N of one N, each once.
func checkShards(reports []*Report) error {
	var (
		have  []string
		n     int
		whole int
		seen  = map[int]bool{}
	)
	for _, r := range reports {
		k, rn, ok := r.Shard()
		if !ok {
			whole++
			have = append(have, "whole run")
			continue
		}
		have = append(have, fmt.Sprintf("%d/%d", k, rn))
		if n == 0 {
			n = rn
		}
	}
	if whole == len(reports) {
		return nil
	}
	if whole > 0 {
		return &ShardError{Have: have, Problem: "a report of a whole run cannot be merged with shards"}
	}
	for _, r := range reports {
		k, rn, _ := r.Shard()
		if rn != n {
			return &ShardError{Have: have, Problem: fmt.Sprintf("the shards split the mutants differently (N = %d and %d)", n, rn)}
		}
		if k < 1 || k > n {
			return &ShardError{Shards: n, Have: have, Problem: fmt.Sprintf("shard %d is not in 1..%d", k, n)}
		}
		if seen[k] {
			return &ShardError{Shards: n, Have: have, Problem: fmt.Sprintf("shard %d/%d is given twice", k, n)}
		}
		seen[k] = true
	}
	var missing []string
	for k := 1; k <= n; k++ {
		if !seen[k] {
			missing = append(missing, fmt.Sprintf("%d/%d", k, n))
		}
	}
	if len(missing) > 0 {
		return &ShardError{Shards: n, Have: have, Problem: "missing " + strings.Join(missing, ", ") + ": the score would cover only part of the mutants"}
	}
	return nil
}

// InputError is a file given to [MergeFiles] that cannot be read as a
// report.
type InputError struct{ Err error }

// Error returns the cause, which names the file.
func (e *InputError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *InputError) Unwrap() error { return e.Err }

// MergeFiles reads the report files names ([ReadFile]) and merges them
// ([Merge]). A file that cannot be read as a report is an *InputError.
func MergeFiles(names ...string) (*Report, error) {
	var reps []*Report
	for _, name := range names {
		r, err := ReadFile(name)
		if err != nil {
			return nil, &InputError{Err: err}
		}
		reps = append(reps, r)
	}
	return Merge(reps...)
}

// Merge combines the reports of the shards of one run: either reports of
// whole runs, or exactly the shards 1..N of one N (a *ShardError
// otherwise). A mutant present in several reports must have the same status
// everywhere (a shard that did not test a mutant leaves it out). The merged
// report is a whole-run report.
func Merge(reports ...*Report) (*Report, error) {
	if len(reports) == 0 {
		return nil, errors.New("report: nothing to merge")
	}
	if err := checkShards(reports); err != nil {
		return nil, err
	}
	out := &Report{Schema: SchemaURL, SchemaVersion: "2", Thresholds: Thresholds{High: 80, Low: 60},
		Files: map[string]*FileResult{}, TestFiles: map[string]*TestFile{}, Framework: &Framework{Name: "graphperf mutate"}}
	seen := map[string]*MutantResult{}
	tests := map[string]map[string]bool{}
	for i, r := range reports {
		if i == 0 {
			out.Thresholds, out.ProjectRoot = r.Thresholds, r.ProjectRoot
			if r.Config != nil {
				out.Config = map[string]any{}
				for k, v := range r.Config {
					if k != ConfigShard && k != ConfigShards {
						out.Config[k] = v
					}
				}
			}
		} else if a, b := reports[0].Config["modulePath"], r.Config["modulePath"]; a != b {
			return nil, &MergeError{Reason: fmt.Sprintf("the reports are of different modules (%v and %v)", a, b)}
		}
		if r.Performance != nil {
			if out.Performance == nil {
				out.Performance = &Performance{}
			}
			out.Performance.Setup += r.Performance.Setup
			out.Performance.InitialRun += r.Performance.InitialRun
			out.Performance.Mutation += r.Performance.Mutation
		}
		for name, f := range r.Files {
			of := out.Files[name]
			if of == nil {
				of = &FileResult{Language: f.Language, Source: f.Source, Mutants: []*MutantResult{}}
				out.Files[name] = of
			} else if of.Source != f.Source {
				return nil, &MergeError{File: name, Reason: "the reports were made from different sources"}
			}
			for _, m := range f.Mutants {
				key := name + "\x00" + m.ID
				if prev, ok := seen[key]; ok {
					if prev.Status != m.Status {
						return nil, &MergeError{File: name, MutantID: m.ID, Reason: fmt.Sprintf("status %s in one report, %s in another", prev.Status, m.Status)}
					}
					continue
				}
				seen[key] = m
				of.Mutants = append(of.Mutants, m)
			}
		}
		for name, tf := range r.TestFiles {
			if tests[name] == nil {
				tests[name] = map[string]bool{}
				out.TestFiles[name] = &TestFile{}
			}
			for _, t := range tf.Tests {
				if !tests[name][t.ID] {
					tests[name][t.ID] = true
					out.TestFiles[name].Tests = append(out.TestFiles[name].Tests, t)
				}
			}
		}
	}
	for _, f := range out.Files {
		sort.SliceStable(f.Mutants, func(i, j int) bool {
			a, b := f.Mutants[i].Location.Start, f.Mutants[j].Location.Start
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Column < b.Column
		})
	}
	return out, nil
}

// Counts counts the mutants of the report per status.
func (r *Report) Counts() mutation.Counts {
	c := mutation.Counts{}
	for _, f := range r.Files {
		for _, m := range f.Mutants {
			c[mutation.Status(m.Status)]++
		}
	}
	return c
}

// Score is the mutation score in percent (NaN when no mutant is valid).
func (r *Report) Score() float64 { return r.Counts().Score() }

// PackageSummary is the score of one package directory.
type PackageSummary struct {
	Dir    string          `json:"dir"`
	Counts mutation.Counts `json:"counts"`
	Score  float64         `json:"score"`
}

// Packages summarises the report per directory (one Go package each).
func (r *Report) Packages() []PackageSummary {
	by := map[string]mutation.Counts{}
	for name, f := range r.Files {
		d := path.Dir(name)
		if by[d] == nil {
			by[d] = mutation.Counts{}
		}
		for _, m := range f.Mutants {
			by[d][mutation.Status(m.Status)]++
		}
	}
	var out []PackageSummary
	for d, c := range by {
		out = append(out, PackageSummary{Dir: d, Counts: c, Score: c.Score()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return out
}

// WriteText writes the summary a person reads: the score per package, then
// every surviving and uncovered mutant with file:line and the mutation.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%-40s %7s %6s %8s %6s %7s %8s %7s %7s\n", "package", "score", "killed", "survived", "nocov", "timeout", "compile", "runtime", "ignored")
	row := func(name string, c mutation.Counts) {
		fmt.Fprintf(&b, "%-40s %7s", name, scoreString(c.Score()))
		fmt.Fprintf(&b, " %6d %8d %6d %7d %8d %7d %7d\n", c[mutation.Killed], c[mutation.Survived], c[mutation.NoCoverage],
			c[mutation.Timeout], c[mutation.CompileError], c[mutation.RuntimeError], c[mutation.Ignored])
	}
	for _, p := range r.Packages() {
		row(p.Dir, p.Counts)
	}
	row("total", r.Counts())
	var names []string
	for n := range r.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, st := range []mutation.Status{mutation.Survived, mutation.NoCoverage} {
		first := true
		for _, n := range names {
			for _, m := range r.Files[n].Mutants {
				if m.Status != string(st) {
					continue
				}
				if first {
					fmt.Fprintf(&b, "\n%s:\n", st)
					first = false
				}
				fmt.Fprintf(&b, "  %s:%d:%d: %s", n, m.Location.Start.Line, m.Location.Start.Column, m.Description)
				if len(m.CoveredBy) > 0 {
					fmt.Fprintf(&b, " (covered by %s)", strings.Join(shortNames(m.CoveredBy), ", "))
				}
				b.WriteByte('\n')
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func shortNames(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id[strings.LastIndex(id, ".")+1:]
	}
	if len(out) > 3 {
		out = append(out[:3], fmt.Sprintf("+%d", len(ids)-3))
	}
	return out
}

func scoreString(s float64) string {
	if math.IsNaN(s) {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", s)
}
