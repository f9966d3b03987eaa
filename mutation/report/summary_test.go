package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/graphperf/graphperf/mutation"
)

func TestSummaryListsSurvivorsInOrder(t *testing.T) {
	r := &Report{Files: map[string]*FileResult{
		"b/b.go": {Mutants: []*MutantResult{
			{Status: string(mutation.Survived), Description: "x", Location: Location{Start: mutation.Position{Line: 3, Column: 1}}},
			{Status: string(mutation.Killed), Description: "k", Location: Location{Start: mutation.Position{Line: 1, Column: 1}}},
		}},
		"a/a.go": {Mutants: []*MutantResult{
			{Status: string(mutation.NoCoverage), Description: "y", Location: Location{Start: mutation.Position{Line: 9, Column: 2}}},
			{Status: string(mutation.Survived), Description: "z", Location: Location{Start: mutation.Position{Line: 2, Column: 5}}},
		}},
	}}
	s := r.Summary()
	var got []string
	for _, sv := range s.Survivors {
		got = append(got, sv.File+":"+sv.Description)
	}
	want := []string{"a/a.go:z", "a/a.go:y", "b/b.go:x"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("survivors %v, want %v", got, want)
	}
	if s.Score == nil || *s.Score != 25 {
		t.Errorf("score %v, want 25 (1 killed of 4)", s.Score)
	}
	var buf bytes.Buffer
	if err := (&Report{Files: map[string]*FileResult{}}).WriteSummaryJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var empty map[string]any
	if err := json.Unmarshal(buf.Bytes(), &empty); err != nil || empty["score"] != nil || empty["survivors"] == nil {
		t.Errorf("empty report summary: %s, %v", buf.String(), err)
	}
}
