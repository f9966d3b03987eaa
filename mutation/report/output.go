package report

import (
	"fmt"
	"io"
	"math"

	"github.com/graphperf/graphperf/internal/outfile"
)

// DefaultTitle is the HTML page title when [Options.Title] is empty.
const DefaultTitle = "mutation testing report"

// Options selects what [Report.WriteAll] writes. The zero value writes
// nothing and checks no threshold.
type Options struct {
	// JSONFile, when not empty, receives the mutation-testing-elements
	// JSON report.
	JSONFile string
	// HTMLFile, when not empty, receives the single-file HTML report.
	HTMLFile string
	// Title is the HTML page's title (default DefaultTitle).
	Title string
	// Summary, when not nil, receives the summary: text, or JSON when
	// SummaryJSON is set.
	Summary io.Writer
	// SummaryJSON selects the JSON summary ([Report.WriteSummaryJSON])
	// instead of the text one ([Report.WriteText]).
	SummaryJSON bool
	// CheckThreshold makes WriteAll fail with a *ThresholdError when the
	// score is under Threshold or undefined.
	CheckThreshold bool
	// Threshold is the lowest acceptable mutation score in percent (0 to 100).
	Threshold float64
}

// OptionError reports an [Options] field that cannot be used.
type OptionError struct {
	// Field names the Options field ("Threshold", "JSONFile", "HTMLFile").
	Field string
	// Problem is a one-line cause.
	Problem string
	// Err is the underlying error (an *outfile.PathError for the files),
	// or nil.
	Err error
}

// Error implements the error interface.
func (e *OptionError) Error() string { return "report: " + e.Field + ": " + e.Problem }

// Unwrap returns the underlying error.
func (e *OptionError) Unwrap() error { return e.Err }

// Validate checks, before a long run, that the threshold is a percentage
// and that both report files can be created. Errors are *OptionError.
func (o Options) Validate() error {
	if t := o.Threshold; o.CheckThreshold && (t < 0 || t > 100 || math.IsNaN(t)) {
		return &OptionError{Field: "Threshold", Problem: fmt.Sprintf("expected a percentage between 0 and 100, got %v", t)}
	}
	for _, f := range []struct{ field, path string }{{"JSONFile", o.JSONFile}, {"HTMLFile", o.HTMLFile}} {
		if err := outfile.CheckFile(f.path); err != nil {
			return &OptionError{Field: f.field, Problem: err.Error(), Err: err}
		}
	}
	return nil
}

// ThresholdError reports a mutation score under the required threshold.
type ThresholdError struct {
	// Score is the mutation score in percent (NaN when no mutant is valid).
	Score float64
	// Threshold is the required score in percent.
	Threshold float64
}

// Error implements the error interface.
func (e *ThresholdError) Error() string {
	return fmt.Sprintf("mutation score %.1f%% is under the threshold %.1f%%", e.Score, e.Threshold)
}

// WriteAll writes the report files selected by o, each atomically (a
// failure never leaves a truncated file nor destroys an older one), then
// the summary, then checks the threshold. The threshold is checked last so
// that a failing run still leaves its reports; it fails with a
// *ThresholdError.
func (r *Report) WriteAll(o Options) error {
	title := o.Title
	if title == "" {
		title = DefaultTitle
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{o.JSONFile, r.WriteJSON},
		{o.HTMLFile, func(w io.Writer) error { return r.WriteHTML(w, title) }},
	}
	for _, f := range files {
		if f.name == "" {
			continue
		}
		if err := outfile.WriteAtomic(f.name, f.write); err != nil {
			return fmt.Errorf("writing report %s: %w", f.name, err)
		}
	}
	if o.Summary != nil {
		write := r.WriteText
		if o.SummaryJSON {
			write = r.WriteSummaryJSON
		}
		if err := write(o.Summary); err != nil {
			return err
		}
	}
	if score := r.Score(); o.CheckThreshold && (math.IsNaN(score) || score < o.Threshold) {
		return &ThresholdError{Score: score, Threshold: o.Threshold}
	}
	return nil
}
