package ping

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/internal/gremlintest"
	"github.com/graphperf/graphperf/internal/testenv"
)

func TestRunRealServer(t *testing.T) {
	hosts := testenv.RequireServer(t)
	cl, err := client.New(context.Background(), client.Config{Hosts: hosts})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for _, n := range []int{0, 1, 3} {
		r, err := Run(context.Background(), cl, n)
		if err != nil {
			t.Fatal(err)
		}
		if want := max(n, 1); r.Count != want || len(r.Hosts) != len(hosts) || r.Min <= 0 || r.Min > r.Median || r.Median > r.Max {
			t.Errorf("Run(%d) = %+v", n, r)
		}
	}
}

// A server that answers something else than [1] fails with *AnswerError
// (a fault only an in-process stand-in can inject).
func TestRunWrongAnswer(t *testing.T) {
	fs := gremlintest.NewServer(t, func(c *gremlintest.Conn, req *gremlintest.Request) {
		c.Reply(req.ID, 200, []any{int64(2)})
	})
	cl, err := client.New(context.Background(), client.Config{Hosts: []string{fs.Host()}})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	_, err = Run(context.Background(), cl, 2)
	var ae *AnswerError
	if !errors.As(err, &ae) || err.Error() != "ping: g.inject(1) answered [2], want [1]" {
		t.Errorf("err = %v, want an *AnswerError", err)
	}
	if fs.Requests() != 1 {
		t.Errorf("%d requests, want Run to stop at the first wrong answer", fs.Requests())
	}
}

func TestResultJSON(t *testing.T) {
	b, err := json.Marshal(Result{Hosts: []string{"ws://h:8182/gremlin"}, Count: 2, Min: 1500000, Median: 2000000, Max: 3000000})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"count":2,"hosts":["ws://h:8182/gremlin"],"max_ms":3,"median_ms":2,"min_ms":1.5}`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
}

func TestResultWriteText(t *testing.T) {
	r := Result{Hosts: []string{"ws://h:1/gremlin"}, Count: 3, Min: 1234567, Median: 2345678, Max: 3456789}
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if want := "[ws://h:1/gremlin] reachable: 3 round trips, min 1.235ms, median 2.346ms, max 3.457ms\n"; b.String() != want {
		t.Errorf("WriteText = %q, want %q", b.String(), want)
	}
}
