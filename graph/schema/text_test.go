package schema

import (
	"strings"
	"testing"
)

func TestWriteText(t *testing.T) {
	live := &Live{
		Schema: Schema{
			PropertyKeys:     []PropertyKey{{Name: "accountId", DataType: "Long", Cardinality: "SINGLE"}},
			VertexLabels:     []string{"Account", "Person"},
			EdgeLabels:       []EdgeLabel{{Name: "transfer", Multiplicity: "MULTI"}},
			CompositeIndexes: []CompositeIndex{{Name: "byAccountId", Key: "accountId", Unique: true}},
			EdgeIndexes:      []EdgeIndex{{Name: "transferByTimestamp", EdgeLabel: "transfer", Key: "timestamp", Direction: "OUT", Order: "desc"}},
		},
		IndexStatus: map[string]string{"byAccountId": "ENABLED", "transferByTimestamp": "REGISTERED"},
	}
	var b strings.Builder
	if err := live.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `vertex labels (2): Account Person
edge labels (1):
  transfer       MULTI
property keys (1):
  accountId      Long     SINGLE
composite indexes (1):
  byAccountId          accountId unique ENABLED
edge indexes (1):
  transferByTimestamp  transfer by timestamp desc OUT REGISTERED
`
	if b.String() != want {
		t.Errorf("Live.WriteText:\n%s\nwant:\n%s", b.String(), want)
	}

	tests := []struct {
		r    Result
		want string
	}{
		{Result{}, "schema is up to date: nothing changed\n"},
		{Result{Changes: []string{"created vertex label Account", "enabled index byAccountId (was REGISTERED)"}, Awaited: []string{"byAccountId"}},
			"created vertex label Account\nenabled index byAccountId (was REGISTERED)\n2 changes applied; 1 indexes awaited until ENABLED\n"},
	}
	for _, tt := range tests {
		b.Reset()
		if err := tt.r.WriteText(&b); err != nil || b.String() != tt.want {
			t.Errorf("Result.WriteText = %q, %v; want %q", b.String(), err, tt.want)
		}
	}
}

func TestComparisonWriteText(t *testing.T) {
	live := &Live{Schema: Schema{VertexLabels: []string{"Person", "Thing"}}}
	want := Schema{VertexLabels: []string{"Person", "Account"}}
	c := &Comparison{Differences: Diff(want, live), Extra: Extra(want, live), Live: live}
	var b strings.Builder
	if err := c.WriteText(&b, "run apply"); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"vertex labels (2): Person Thing\n", "\nnot declared (1): created by other data or tools\n  vertex label Thing\n",
		"\n1 differences from the declared schema (run apply):\n  vertex label Account: missing\n"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("WriteText:\n%s\nlacks %q", b.String(), s)
		}
	}
	b.Reset()
	c = &Comparison{Live: live}
	if err := c.WriteText(&b, ""); err != nil || !strings.HasSuffix(b.String(), "\nno differences from the declared schema\n") {
		t.Errorf("no differences: %q, %v", b.String(), err)
	}
}
