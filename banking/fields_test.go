package banking

import "testing"

// Every pattern count has one unique name that sets exactly its own field.
func TestPatternCountsFields(t *testing.T) {
	var p PatternCounts
	fields := p.Fields()
	if len(fields) != 7 {
		t.Fatalf("%d fields, want one per pattern kind (7)", len(fields))
	}
	seen := map[string]bool{}
	for i, f := range fields {
		if seen[f.Name] || f.Name == "" || f.Description == "" {
			t.Errorf("field %d: name %q duplicated or empty, description %q", i, f.Name, f.Description)
		}
		seen[f.Name] = true
		*f.Count = i + 1
	}
	want := PatternCounts{1, 2, 3, 4, 5, 6, 7}
	if p != want {
		t.Errorf("setting the fields in order gave %+v, want %+v", p, want)
	}
	def := DefaultPatterns()
	for _, f := range def.Fields() {
		if *f.Count != 10 {
			t.Errorf("default %s = %d", f.Name, *f.Count)
		}
	}
}

func TestValidateBoundsWorkers(t *testing.T) {
	for _, tc := range []struct {
		workers int
		ok      bool
	}{{0, true}, {MaxWorkers, true}, {MaxWorkers + 1, false}, {100000000, false}} {
		err := Config{Workers: tc.workers}.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("Workers %d: %v", tc.workers, err)
		}
	}
}
