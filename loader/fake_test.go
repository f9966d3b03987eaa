package loader

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/graphperf/graphperf/graph/client"
)

// fakeGraph is an in-process stand-in for Gremlin Server that understands
// the loader's scripts: it stores vertices and edges, answers probes, and
// injects faults on chosen calls.
type fakeGraph struct {
	mu       sync.Mutex
	nextID   int64
	vertices map[int64]fakeVertex             // vertex id → vertex
	byBID    map[string]map[int64]int64       // label → business id → vertex id
	edges    map[string][]fakeEdge            // label → edges
	calls    map[string]int                   // script → calls
	fault    func(n int, script string) fault // n counts every Submit from 1
	n        int
	states   map[string]string // dataset → load state JSON
}

type fakeVertex struct {
	label string
	props map[string]any
}

type fakeEdge struct {
	out, in int64
	props   map[string]any
}

// fault says what to do with one call.
type fault int

const (
	noFault         fault = iota
	failBeforeRun         // connection failure before sending: nothing applied
	failAfterCommit       // connection lost after the server committed
	failAfterSend         // connection lost after sending; the server never ran it
	scriptError           // 597: rolled back
	commitThenHang        // committed, then no answer until the context ends
	lockTimeout           // 597 LockTimeoutException: rolled back, transient
	// lockTimeoutAfterCommit is a 597 LockTimeoutException reported after the
	// transaction was committed.
	lockTimeoutAfterCommit
	// partialCommit stores every other element of the batch (the first
	// one not), then fails as Cassandra does when it stops mid-commit:
	// a commit cut short on a backend whose commits are not atomic.
	partialCommit
	// noNode is the 597 a JanusGraph server on CQL answers while no
	// Cassandra node is reachable: nothing applied, transient.
	noNode
)

const noNodeMessage = "org.janusgraph.diskstorage.PermanentBackendException: com.datastax.oss.driver.api.core.AllNodesFailedException: No node was available to execute the query"

const lockTimeoutMessage = "com.sleepycat.je.LockTimeoutException: (JE 18.3.12) Lock expired. Locker 1: waited for lock on database=graphindex timeoutMillis=500"

func newFakeGraph() *fakeGraph {
	return &fakeGraph{nextID: 4096, vertices: map[int64]fakeVertex{}, byBID: map[string]map[int64]int64{},
		edges: map[string][]fakeEdge{}, calls: map[string]int{}, states: map[string]string{}}
}

func (f *fakeGraph) Submit(ctx context.Context, script string, b map[string]any) ([]any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	f.calls[script]++
	flt := noFault
	if f.fault != nil {
		flt = f.fault(f.n, script)
	}
	switch flt {
	case failBeforeRun:
		return nil, &client.ConnError{URL: "ws://fake", Op: "dial", Err: errors.New("connection refused")}
	case failAfterSend:
		return nil, &client.ConnError{URL: "ws://fake", Op: "read", Sent: true, Err: errors.New("EOF")}
	case scriptError:
		return nil, &client.StatusError{Code: 597, Message: "boom", Host: "ws://fake"}
	case lockTimeout:
		return nil, &client.StatusError{Code: 597, Message: lockTimeoutMessage, Host: "ws://fake"}
	case noNode:
		return nil, &client.StatusError{Code: 597, Message: noNodeMessage, Host: "ws://fake"}
	}
	if flt == partialCommit {
		batch := b[bindBatch].([]map[string]any)
		half := make([]map[string]any, 0, len(batch)/2)
		for i := 1; i < len(batch); i += 2 {
			half = append(half, batch[i])
		}
		part := map[string]any{bindBatch: half, bindLabel: b[bindLabel]}
		if _, err := f.run(script, part); err != nil {
			return nil, err
		}
		return nil, &client.StatusError{Code: 597, Message: noNodeMessage, Host: "ws://fake"}
	}
	res, err := f.run(script, b)
	if err != nil {
		return nil, &client.StatusError{Code: 597, Message: err.Error(), Host: "ws://fake"}
	}
	switch flt {
	case failAfterCommit:
		return nil, &client.ConnError{URL: "ws://fake", Op: "read", Sent: true, Err: errors.New("EOF")}
	case lockTimeoutAfterCommit:
		return nil, &client.StatusError{Code: 597, Message: lockTimeoutMessage, Host: "ws://fake"}
	case commitThenHang:
		f.mu.Unlock()
		<-ctx.Done()
		f.mu.Lock()
		return nil, fmt.Errorf("fake: no response: %w", ctx.Err())
	}
	return res, nil
}

func (f *fakeGraph) run(script string, b map[string]any) ([]any, error) {
	switch script {
	case vertexScript:
		label := b[bindLabel].(string)
		batch := b[bindBatch].([]map[string]any)
		key := idKeyOf(label)
		var out []any
		for _, m := range batch {
			bid := m[key].(int64)
			f.nextID++
			f.vertices[f.nextID] = fakeVertex{label: label, props: m}
			if f.byBID[label] == nil {
				f.byBID[label] = map[int64]int64{}
			}
			f.byBID[label][bid] = f.nextID
			out = append(out, f.nextID)
		}
		return out, nil
	case edgeScript:
		label := b[bindLabel].(string)
		batch := b[bindBatch].([]map[string]any)
		var add []fakeEdge
		for _, m := range batch {
			o, ok1 := f.end(m, "o", "ol", "ob")
			i, ok2 := f.end(m, "i", "il", "ib")
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("endpoint not found")
			}
			add = append(add, fakeEdge{out: o, in: i, props: m["p"].(map[string]any)})
		}
		f.edges[label] = append(f.edges[label], add...)
		return []any{int64(len(add))}, nil
	case readStateScript:
		n := int64(0)
		for _, v := range f.vertices {
			if idKeyOf(v.label) != "" {
				n = 1
			}
		}
		out := []any{n}
		for _, st := range f.states {
			out = append(out, st)
		}
		return out, nil
	case writeStateScript:
		f.states[b["ds"].(string)] = b["st"].(string)
		return []any{true}, nil
	case probeVerticesScript:
		label := b[bindLabel].(string)
		var out []any
		for _, bid := range b[bindBatch].([]int64) {
			if vid, ok := f.byBID[label][bid]; ok {
				out = append(out, bid, vid)
			}
		}
		return out, nil
	case probeEdgesScript:
		label := b[bindLabel].(string)
		var out []any
		for _, m := range b[bindBatch].([]map[string]any) {
			o, _ := f.end(m, "o", "ol", "ob")
			i, _ := f.end(m, "i", "il", "ib")
			n := int64(0)
			for _, e := range f.edges[label] {
				if e.out == o && e.in == i && sameProps(e.props, m["p"].(map[string]any)) {
					n++
				}
			}
			out = append(out, n)
		}
		return out, nil
	}
	return nil, fmt.Errorf("fake: unknown script %.40q", script)
}

func (f *fakeGraph) end(m map[string]any, vidKey, labelKey, bidKey string) (int64, bool) {
	if v, ok := m[vidKey].(int64); ok {
		_, exists := f.vertices[v]
		return v, exists
	}
	vid, ok := f.byBID[m[labelKey].(string)][m[bidKey].(int64)]
	return vid, ok
}

func sameProps(a, b map[string]any) bool {
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	return true
}

func idKeyOf(label string) string {
	for _, k := range []struct{ l, k string }{{"Person", "personId"}, {"Company", "companyId"}, {"Account", "accountId"},
		{"Loan", "loanId"}, {"Medium", "mediumId"}, {"Address", "addressId"}} {
		if k.l == label {
			return k.k
		}
	}
	return ""
}

// counts returns the number of vertices per label and of edges per label.
func (f *fakeGraph) counts() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for _, v := range f.vertices {
		out[v.label]++
	}
	for l, es := range f.edges {
		out[l] += len(es)
	}
	return out
}

// duplicates returns the number of business ids stored more than once and
// of identical edges.
func (f *fakeGraph) duplicates() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	dups := 0
	seen := map[string]bool{}
	for _, v := range f.vertices {
		k := fmt.Sprint(v.label, v.props[idKeyOf(v.label)])
		if seen[k] {
			dups++
		}
		seen[k] = true
	}
	for l, es := range f.edges {
		for _, e := range es {
			k := fmt.Sprint(l, e.out, e.in, e.props)
			if seen[k] {
				dups++
			}
			seen[k] = true
		}
	}
	return dups
}
