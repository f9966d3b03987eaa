package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/stats"
)

// RunSummary is the JSON form of one run without its raw samples (those
// are in the saved run file).
type RunSummary struct {
	Command    string             `json:"command"`
	Commit     string             `json:"commit,omitempty"`
	Started    string             `json:"started,omitempty"`
	Dataset    string             `json:"dataset"`
	Driver     string             `json:"driver,omitempty"`
	GoVersion  string             `json:"go_version,omitempty"`
	Machine    baseline.Machine   `json:"machine"`
	Server     baseline.Server    `json:"server"`
	Settings   map[string]string  `json:"settings,omitempty"`
	Operations []OperationSummary `json:"operations"`
}

// OperationSummary is one operation's statistics.
type OperationSummary struct {
	Name  string        `json:"name"`
	Unit  stats.Unit    `json:"unit"`
	Stats stats.Summary `json:"stats"`
	// Throughput is successful calls per second of wall time across all
	// clients (0 when unknown).
	Throughput float64  `json:"throughput,omitempty"`
	Clients    int      `json:"clients,omitempty"`
	ErrorCount int      `json:"error_count"`
	Errors     []string `json:"errors,omitempty"`
}

// Summarize builds the RunSummary of run.
func Summarize(run *baseline.Run) RunSummary {
	s := RunSummary{
		Command: run.Command, Commit: run.Commit, Dataset: run.Dataset, Driver: run.Driver,
		GoVersion: run.GoVersion, Machine: run.Machine, Server: run.Server, Settings: run.Settings,
		Operations: make([]OperationSummary, 0, len(run.Operations)),
	}
	if !run.Started.IsZero() {
		s.Started = run.Started.Format("2006-01-02T15:04:05Z07:00")
	}
	for i := range run.Operations {
		op := &run.Operations[i]
		s.Operations = append(s.Operations, OperationSummary{
			Name: op.Name, Unit: op.Unit, Stats: op.Summary(), Throughput: op.Throughput(),
			Clients: op.Clients, ErrorCount: op.ErrorCount, Errors: op.Errors,
		})
	}
	return s
}

// Document is what --json prints: the run's summary and, with --compare,
// the comparison.
type Document struct {
	Run        RunSummary      `json:"run"`
	Comparison *compare.Report `json:"comparison,omitempty"`
	// Failed is true when the comparison found a regression (exit 1).
	Failed bool `json:"failed"`
}

// WriteJSON writes the Document for run and, when rep is not nil, its
// comparison with the baseline, indented.
func WriteJSON(w io.Writer, run *baseline.Run, rep *compare.Report) error {
	doc := Document{Run: Summarize(run), Comparison: rep}
	if rep != nil {
		doc.Failed = rep.Failed()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	return nil
}
