package driver

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/graphperf/graphperf/graph/client"
)

// request is what the fake server saw.
type request struct {
	Script   string
	Bindings map[string]any
}

// fakeServer answers every request with the GraphSON list answer and
// records the requests. It accepts the request id as a string (grammes) or
// a g:UUID (graph/client).
func fakeServer(t *testing.T, answer string) (host string, seen func() []request) {
	t.Helper()
	var mu sync.Mutex
	var reqs []request
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			_, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			var req struct {
				RequestID json.RawMessage `json:"requestId"`
				Args      struct {
					Gremlin  string         `json:"gremlin"`
					Bindings map[string]any `json:"bindings"`
				} `json:"args"`
			}
			if err := json.Unmarshal(msg[1+int(msg[0]):], &req); err != nil {
				t.Errorf("fake server: %v", err)
				return
			}
			id := string(req.RequestID)
			var typed struct {
				Value string `json:"@value"`
			}
			if json.Unmarshal(req.RequestID, &typed) == nil && typed.Value != "" {
				id = `"` + typed.Value + `"`
			}
			mu.Lock()
			reqs = append(reqs, request{req.Args.Gremlin, req.Args.Bindings})
			mu.Unlock()
			resp := `{"requestId":` + id + `,"status":{"code":200,"message":"","attributes":{}},"result":{"data":` + answer + `,"meta":{}}}`
			if err := c.WriteMessage(websocket.TextMessage, []byte(resp)); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), func() []request {
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
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			host, seen := fakeServer(t, answer)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			d, err := Open(ctx, name, client.Config{Hosts: []string{host}, RequestTimeout: 5 * time.Second})
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
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for { // read and never answer
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	d, err := Open(context.Background(), Grammes, client.Config{Hosts: []string{strings.TrimPrefix(srv.URL, "http://")}})
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
