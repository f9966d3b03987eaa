package report

import (
	"encoding/json"
	"io"
	"math"
	"sort"

	"github.com/graphperf/graphperf/mutation"
)

// Summary is the machine-readable form of [Report.WriteText]: the score,
// the counts per status and per package, and every mutant a test should
// have killed.
type Summary struct {
	// Score is nil when no mutant counts towards a score.
	Score    *float64         `json:"score"`
	Counts   mutation.Counts  `json:"counts"`
	Packages []PackageSummary `json:"packages"`
	// Survivors are the Survived and NoCoverage mutants, by file and
	// position.
	Survivors []Survivor `json:"survivors"`
}

// Survivor is a mutant no test killed.
type Survivor struct {
	File        string   `json:"file"`
	Line        int      `json:"line"`
	Column      int      `json:"column"`
	Status      string   `json:"status"`
	Description string   `json:"description"`
	CoveredBy   []string `json:"coveredBy,omitempty"`
}

// Summary returns the report's summary. A package without a score has
// Score -1, JSON having no NaN.
func (r *Report) Summary() Summary {
	s := Summary{Counts: r.Counts(), Packages: r.Packages(), Survivors: []Survivor{}}
	if score := r.Score(); !math.IsNaN(score) {
		s.Score = &score
	}
	for i := range s.Packages {
		if math.IsNaN(s.Packages[i].Score) {
			s.Packages[i].Score = -1
		}
	}
	for name, f := range r.Files {
		for _, m := range f.Mutants {
			if m.Status == string(mutation.Survived) || m.Status == string(mutation.NoCoverage) {
				s.Survivors = append(s.Survivors, Survivor{File: name, Line: m.Location.Start.Line, Column: m.Location.Start.Column,
					Status: m.Status, Description: m.Description, CoveredBy: m.CoveredBy})
			}
		}
	}
	sort.Slice(s.Survivors, func(i, j int) bool {
		a, b := s.Survivors[i], s.Survivors[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Description < b.Description
	})
	return s
}

// WriteSummaryJSON writes [Report.Summary] as indented JSON.
func (r *Report) WriteSummaryJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r.Summary())
}
