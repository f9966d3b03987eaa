package schema_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/internal/testenv"
	"github.com/graphperf/graphperf/internal/testserver"
)

// TestApplyTwiceAgainstJanusGraph applies the banking schema to the real
// server twice: the second run must change nothing, and Show must then
// report no difference from the declaration.
func TestApplyTwiceAgainstJanusGraph(t *testing.T) {
	hosts := testenv.RequireServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := client.New(ctx, client.Config{Hosts: hosts})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	want := banking.Schema()
	first, err := schema.Apply(ctx, c, want, schema.Options{})
	if err != nil {
		t.Fatalf("first apply: %v", err)
	}
	t.Logf("first apply: %d changes %v", len(first.Changes), first.Changes)
	second, err := schema.Apply(ctx, c, want, schema.Options{})
	if err != nil {
		t.Fatalf("second apply: %v", err)
	}
	if second.Changed() {
		t.Fatalf("second apply changed %v", second.Changes)
	}
	live, err := schema.Show(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if d := schema.Diff(want, live); len(d) > 0 {
		t.Fatalf("differences after apply: %v", d)
	}
	for _, ix := range want.CompositeIndexes {
		if live.IndexStatus[ix.Name] != "ENABLED" {
			t.Errorf("index %s is %s", ix.Name, live.IndexStatus[ix.Name])
		}
	}
	if live.IndexStatus["transferByTimestamp"] != "ENABLED" {
		t.Errorf("transferByTimestamp is %q", live.IndexStatus["transferByTimestamp"])
	}
}

// TestApplyEnablesIndexOnExistingKey covers the slow path: an index added
// over a property key that already exists starts INSTALLED and must be
// registered, reindexed and enabled. Names are unique per run so that the
// test can share a server with others.
// TestApplyEnablesIndexOnExistingKey runs on a private server: moving an
// index over existing data from INSTALLED to REGISTERED waits for every open
// transaction on the server, which other packages' tests on the shared server
// can hold for minutes.
func TestApplyEnablesIndexOnExistingKey(t *testing.T) {
	hosts := testserver.Start(t, 8184, testserver.InMemory).Hosts()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := client.New(ctx, client.Config{Hosts: hosts})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	suffix := strconv.FormatInt(time.Now().UnixNano(), 36)
	key, label, index := "gpKey"+suffix, "GpLabel"+suffix, "byGpKey"+suffix
	base := schema.Schema{
		PropertyKeys: []schema.PropertyKey{{Name: key, DataType: "Long", Cardinality: "SINGLE"}},
		VertexLabels: []string{label},
	}
	if _, err := schema.Apply(ctx, c, base, schema.Options{}); err != nil {
		t.Fatalf("base apply: %v", err)
	}
	// Some data under the key before the index exists.
	if _, err := c.Submit(ctx, "g.addV(lbl).property(k, 7L).iterate()", map[string]any{"lbl": label, "k": key}); err != nil {
		t.Fatal(err)
	}
	withIndex := base
	withIndex.CompositeIndexes = []schema.CompositeIndex{{Name: index, Key: key, Label: label, Unique: true}}
	r, err := schema.Apply(ctx, c, withIndex, schema.Options{IndexTimeout: 2 * time.Minute})
	if err != nil {
		t.Fatalf("index apply: %v", err)
	}
	if !slices.Contains(r.Awaited, index) {
		t.Fatalf("apply did not wait for %s: %+v", index, r)
	}
	live, err := schema.Show(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if live.IndexStatus[index] != "ENABLED" {
		t.Fatalf("index %s is %q", index, live.IndexStatus[index])
	}
	again, err := schema.Apply(ctx, c, withIndex, schema.Options{})
	if err != nil || again.Changed() {
		t.Fatalf("re-apply: %v, changes %v", err, again.Changes)
	}
}
