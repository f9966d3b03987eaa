package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOptionsValidate(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		o     Options
		field string
	}{
		{"zero", Options{}, ""},
		{"threshold unchecked", Options{Threshold: 500}, ""},
		{"threshold 0", Options{CheckThreshold: true}, ""},
		{"threshold 100", Options{CheckThreshold: true, Threshold: 100}, ""},
		{"threshold negative", Options{CheckThreshold: true, Threshold: -1}, "Threshold"},
		{"threshold over 100", Options{CheckThreshold: true, Threshold: 100.5}, "Threshold"},
		{"threshold NaN", Options{CheckThreshold: true, Threshold: math.NaN()}, "Threshold"},
		{"files ok", Options{JSONFile: filepath.Join(dir, "r.json"), HTMLFile: filepath.Join(dir, "r.html")}, ""},
		{"json in missing dir", Options{JSONFile: filepath.Join(dir, "no", "r.json")}, "JSONFile"},
		{"html is a directory", Options{HTMLFile: dir}, "HTMLFile"},
	} {
		err := tc.o.Validate()
		var oe *OptionError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v, want nil", tc.name, err)
		case tc.field != "" && (!errors.As(err, &oe) || oe.Field != tc.field):
			t.Errorf("%s: %v, want an *OptionError on %s", tc.name, err, tc.field)
		}
	}
}

func TestWriteAll(t *testing.T) {
	r := FromRun(sampleRun()) // score 50%
	dir := t.TempDir()
	jsonFile, htmlFile := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.html")
	var text, sum bytes.Buffer
	if err := r.WriteAll(Options{JSONFile: jsonFile, HTMLFile: htmlFile, Title: "T<1>", Summary: &text, CheckThreshold: true, Threshold: 50}); err != nil {
		t.Fatal(err)
	}
	back, err := ReadFile(jsonFile)
	if err != nil || back.Counts().Valid() != r.Counts().Valid() {
		t.Errorf("JSON report read back: %v", err)
	}
	if h, err := os.ReadFile(htmlFile); err != nil || !strings.Contains(string(h), "<title>T&lt;1&gt;</title>") {
		t.Errorf("HTML report lacks its title: %v", err)
	}
	if !strings.Contains(text.String(), "50.0%") {
		t.Errorf("text summary lacks the score:\n%s", text.String())
	}

	err = r.WriteAll(Options{Summary: &sum, SummaryJSON: true, CheckThreshold: true, Threshold: 50.1})
	var te *ThresholdError
	if !errors.As(err, &te) || te.Score != 50 || te.Threshold != 50.1 {
		t.Fatalf("under threshold: err = %v, want a *ThresholdError", err)
	}
	if want := "mutation score 50.0% is under the threshold 50.1%"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	if !json.Valid(sum.Bytes()) {
		t.Errorf("JSON summary is not JSON:\n%s", sum.String())
	}

	empty := &Report{Files: map[string]*FileResult{}}
	if err := empty.WriteAll(Options{CheckThreshold: true}); !errors.As(err, &te) {
		t.Errorf("empty report with a threshold: err = %v, want a *ThresholdError (score undefined)", err)
	}

	err = r.WriteAll(Options{JSONFile: filepath.Join(dir, "missing", "r.json")})
	if err == nil || !strings.HasPrefix(err.Error(), "writing report "+filepath.Join(dir, "missing", "r.json")+": ") {
		t.Errorf("unwritable file: err = %v", err)
	}
}
