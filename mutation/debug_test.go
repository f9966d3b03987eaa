package mutation

import (
	"context"
	"testing"
)

func TestDebugRun(t *testing.T) {
	dir := copyFixture(t, "calc")
	run, err := Execute(context.Background(), Config{Dir: dir, MemoryLimit: 512 << 20, Warn: func(s string) { t.Log("warn:", s) }})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range run.Mutants() {
		t.Logf("%s %s:%d %s %q→%q %s %v %v %.80q", m.ID, m.File, m.Start.Line, m.Operator, m.Original, m.Replacement, m.Status, m.CoveredBy, m.KilledBy, m.StatusReason)
	}
	t.Log(run.Counts(), run.Counts().Score(), run.Setup, run.Baseline, run.Mutation)
}
