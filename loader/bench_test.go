package loader

import (
	"context"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/internal/testenv"
)

// BenchmarkVertexScriptForms compares the three ways of creating a batch
// of vertices from one list binding on the real server (GRAPHPERF_HOSTS):
// the Structure API (graph.addVertex, what the loader sends), one g.addV()
// traversal per element, and a single inject/unfold/addV traversal. It
// writes Person vertices with fresh business ids into the graph: point it
// at a scratch server.
//
//	GRAPHPERF_HOSTS=127.0.0.1:8194 go test -run '^$' -bench VertexScriptForms -benchtime 20x ./loader/
func BenchmarkVertexScriptForms(b *testing.B) {
	hosts := testenv.RequireServer(b)
	ctx := context.Background()
	cl, err := client.New(ctx, client.Config{Hosts: hosts, RequestTimeout: 5 * time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	g, err := banking.New(banking.Config{Seed: 1, Scale: 0.01})
	if err != nil {
		b.Fatal(err)
	}
	var persons *part
	if err := g.Run(ctx, func(bt *banking.Batch) error {
		if persons == nil && bt.Label == banking.Person {
			persons, err = newPart(bt, 0, sizers[client.GraphSON])
			return err
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	const batch = 500
	next := time.Now().UnixNano() % 1_000_000 * 1_000_000
	for _, form := range []struct{ name, script string }{
		{"structure-api", vertexScript},
		{"addV-per-element", vertexScriptTraversal},
		{"inject-unfold", vertexScriptInject},
	} {
		b.Run(form.name, func(b *testing.B) {
			for b.Loop() {
				list := make([]map[string]any, batch)
				for i := range list {
					m := make(map[string]any, len(persons.props[0]))
					for k, v := range persons.props[i%persons.len()] {
						m[k] = v
					}
					next++
					m["personId"] = next
					list[i] = m
				}
				res, err := cl.Submit(ctx, form.script, map[string]any{bindBatch: list, bindLabel: "Person"})
				if err != nil {
					b.Fatal(err)
				}
				if len(res) != batch {
					b.Fatalf("%s returned %d ids, want %d", form.name, len(res), batch)
				}
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "vertices/s")
		})
	}
}

// BenchmarkPrepare measures the client-side work per element: building
// the binding maps, sizing them and cutting batches (no server).
//
//	go test -run '^$' -bench Prepare ./loader/
func BenchmarkPrepare(b *testing.B) {
	g, err := banking.New(banking.Config{Seed: 1, Scale: 0.01})
	if err != nil {
		b.Fatal(err)
	}
	var batches []*banking.Batch
	n := 0
	if err := g.Run(context.Background(), func(bt *banking.Batch) error {
		batches = append(batches, bt)
		n += bt.Len()
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	for _, ser := range []client.Serializer{client.GraphSON, client.GraphBinary} {
		sz := sizers[ser]
		b.Run(ser.String(), func(b *testing.B) {
			for b.Loop() {
				for _, bt := range batches {
					p, err := newPart(bt, 0, sz)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := cut(p, sz, DefaultBatchSize, batchBytes(client.DefaultMaxRequestBytes)); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "elements/s")
		})
	}
}
