package schema_test

import (
	"context"
	"fmt"
	"log"

	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
)

// declaration is a small graph's schema: two vertex labels with unique
// business ids, one edge label with a vertex-centric index.
func declaration() schema.Schema {
	return schema.Schema{
		PropertyKeys: []schema.PropertyKey{
			{Name: "userId", DataType: "Long", Cardinality: "SINGLE"},
			{Name: "since", DataType: "Long", Cardinality: "SINGLE"},
		},
		VertexLabels: []string{"User"},
		EdgeLabels:   []schema.EdgeLabel{{Name: "follows", Multiplicity: "MULTI"}},
		CompositeIndexes: []schema.CompositeIndex{
			{Name: "byUserId", Key: "userId", Label: "User", Unique: true},
		},
		EdgeIndexes: []schema.EdgeIndex{
			{Name: "followsBySince", EdgeLabel: "follows", Key: "since", Direction: "BOTH", Order: "desc"},
		},
	}
}

// A declaration is checked before anything is sent.
func ExampleSchema_Validate() {
	s := declaration()
	fmt.Println(s.Validate())
	s.PropertyKeys[0].DataType = "Int64"
	fmt.Println(s.Validate())
	// Output:
	// <nil>
	// schema: property key userId: unsupported data type "Int64"
}

// Apply a declaration to a server and report what changed. (It needs a
// JanusGraph server on 127.0.0.1:8182.)
func ExampleApply() {
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{Hosts: []string{"127.0.0.1:8182"}})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	r, err := schema.Apply(ctx, c, declaration(), schema.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, change := range r.Changes {
		fmt.Println(change)
	}
}
