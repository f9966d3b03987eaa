package driver

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/internal/gremlintest"
)

// request is what the fake server saw.
type request struct {
	Script   string
	Bindings map[string]any
}

// fakeServer is a Gremlin Server stand-in (internal/gremlintest, both
// serializers) answering every request with answer, given as GraphSON
// text, and recording the requests.
func fakeServer(t *testing.T, answer string) (host string, seen func() []request) {
	t.Helper()
	var mu sync.Mutex
	var reqs []request
	srv := gremlintest.NewServer(t, func(c *gremlintest.Conn, req *gremlintest.Request) {
		mu.Lock()
		reqs = append(reqs, request{req.Script, req.Bindings})
		mu.Unlock()
		if err := c.SendGraphSON(req.ID, 200, "", answer); err != nil {
			t.Errorf("fake server: %v", err)
		}
	})
	return srv.Host(), func() []request {
		mu.Lock()
		defer mu.Unlock()
		return append([]request(nil), reqs...)
	}
}

// Both drivers return the same decoded answer; grammes carries the bindings
// as one JSON string declared by a constant prologue.
func TestDriversSameAnswer(t *testing.T) {
	answer := `{"@type":"g:List","@value":[{"@type":"g:Map","@value":["n",{"@type":"g:Int64","@value":42},"sum",{"@type":"g:Double","@value":1.5}]}]}`
	want := []any{map[any]any{"n": int64(42), "sum": 1.5}}
	bindings := map[string]any{"aid": int64(30000000005), "ratio": 0.9, "trunc": int64(500)}
	tests := []struct {
		name string
		ser  client.Serializer
	}{{Graphperf, client.GraphBinary}, {Graphperf, client.GraphSON}, {Grammes, client.GraphSON}}
	for _, tt := range tests {
		name := tt.name
		t.Run(name+"/"+tt.ser.String(), func(t *testing.T) {
			host, seen := fakeServer(t, answer)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			d, err := Open(ctx, name, client.Config{Hosts: []string{host}, RequestTimeout: 5 * time.Second, Serializer: tt.ser})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			for range 2 {
				got, err := d.Submit(ctx, "g.V(aid)", bindings)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("Submit = %#v, want %#v", got, want)
				}
			}
			reqs := seen()
			if len(reqs) != 2 || reqs[0].Script != reqs[1].Script {
				t.Fatalf("requests %+v: want two identical scripts (one cached script per query)", reqs)
			}
			if name == Grammes {
				js, ok := reqs[0].Bindings[bindingsVar].(string)
				if !ok || len(reqs[0].Bindings) != 1 || !strings.Contains(js, `"aid":30000000005`) {
					t.Errorf("grammes bindings %v, want one JSON string", reqs[0].Bindings)
				}
				for _, n := range []string{"aid", "ratio", "trunc"} {
					if !strings.Contains(reqs[0].Script, "def "+n+" = gpB['"+n+"'];") {
						t.Errorf("grammes prologue lacks %s: %s", n, reqs[0].Script)
					}
				}
				if !strings.HasSuffix(reqs[0].Script, "g.V(aid)") {
					t.Errorf("grammes script %q does not end with the query", reqs[0].Script)
				}
			} else if reqs[0].Script != "g.V(aid)" || len(reqs[0].Bindings) != 3 {
				t.Errorf("graphperf request %+v, want the script and its three bindings unchanged", reqs[0])
			}
		})
	}
}

func TestOpenUnknownDriver(t *testing.T) {
	_, err := Open(context.Background(), "gremlin-python", client.Config{})
	var ue *UnknownDriverError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "graphperf, grammes") {
		t.Errorf("Open(gremlin-python) = %v, want *UnknownDriverError listing the drivers", err)
	}
}

// A context that ends first stops a grammes call (grammes itself has no
// context support).
func TestGrammesHonoursContext(t *testing.T) {
	srv := gremlintest.NewServer(t, func(*gremlintest.Conn, *gremlintest.Request) {}) // never answers
	d, err := Open(context.Background(), Grammes, client.Config{Hosts: []string{srv.Host()}})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = d.Submit(ctx, "g.V()", nil)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("Submit on a silent server = %v after %v, want the context's deadline", err, time.Since(start))
	}
}
