package workload

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/internal/testenv"
)

// instantServer is a minimal in-process Gremlin Server stand-in that
// answers every request at once with [1] (GraphSON v3), to measure the
// driver and client without a server's cost. It returns "host:port".
func instantServer(tb testing.TB) string {
	tb.Helper()
	return faultServer(tb, func(int64) int { return 200 })
}

// faultServer is instantServer answering the n-th request (n = 0, 1, ...)
// with status(n): 200 answers [1], any other status an error with no data.
func faultServer(tb testing.TB, status func(n int64) int) string {
	tb.Helper()
	var requests atomic.Int64
	up := websocket.Upgrader{ReadBufferSize: 1 << 16, WriteBufferSize: 1 << 16}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		var mu sync.Mutex
		ws.SetPingHandler(func(data string) error {
			mu.Lock()
			defer mu.Unlock()
			return ws.WriteMessage(websocket.PongMessage, []byte(data))
		})
		for {
			_, msg, err := ws.ReadMessage()
			if err != nil {
				return
			}
			if len(msg) == 0 || int(msg[0]) >= len(msg) {
				return
			}
			var env struct {
				RequestID struct {
					Value string `json:"@value"`
				} `json:"requestId"`
			}
			if err := json.Unmarshal(msg[1+int(msg[0]):], &env); err != nil {
				return
			}
			code, data := status(requests.Add(1)-1), `{"@type":"g:List","@value":[{"@type":"g:Int32","@value":1}]}`
			if code != 200 {
				data = "null"
			}
			frame := `{"requestId":"` + env.RequestID.Value + `","status":{"message":"","code":` + strconv.Itoa(code) +
				`,"attributes":{"@type":"g:Map","@value":[]}},"result":{"data":` + data + `,"meta":{"@type":"g:Map","@value":[]}}}`
			mu.Lock()
			err = ws.WriteMessage(websocket.TextMessage, []byte(frame))
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}))
	tb.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// injectOp submits g.inject(1) and checks the answer.
var injectOp = Operation{Type: "inject", Do: func(ctx context.Context, ex Executor) (Result, error) {
	res, err := ex.Submit(ctx, Request{Script: "g.inject(x)", Bindings: map[string]any{"x": int64(1)}, Idempotent: true})
	if err != nil {
		return nil, err
	}
	if len(res) != 1 {
		return nil, fmt.Errorf("g.inject(1) answered %v", res)
	}
	return res[0], nil
}}

// reportRun reports a run's figures as benchmark metrics.
func reportRun(b *testing.B, r *Report, wall, cpu time.Duration) {
	b.Helper()
	if r.Total.Errors > 0 {
		b.Fatalf("%d operations failed", r.Total.Errors)
	}
	n := float64(r.Started)
	b.ReportMetric(n/wall.Seconds(), "ops/s")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/n, "cpu-µs/op")
		b.ReportMetric(n/cpu.Seconds(), "ops/cpu-s") // meaningful on a shared machine
	}
	b.ReportMetric(100*r.Audit.OnTimeRatio(), "%on-time")
	b.ReportMetric(float64(r.Total.P99.Microseconds()), "p99-µs")
	b.ReportMetric(float64(r.Audit.MaxLateness.Microseconds()), "max-late-µs")
}

// noopExec answers every request at once without any I/O.
type noopExec struct{}

func (noopExec) Submit(context.Context, Request) ([]any, error) { return []any{int64(1)}, nil }

// BenchmarkSchedulerCeiling is the scheduler and measurement alone: every
// operation due at once, an executor that does nothing.
func BenchmarkSchedulerCeiling(b *testing.B) {
	s := make(Schedule, b.N)
	for i := range s {
		s[i] = Item{Op: injectOp}
	}
	b.ResetTimer()
	cpu0, t0 := cpuTime(), time.Now()
	r, err := Run(context.Background(), Config{Clients: 8}, s, noopExec{})
	wall, cpu := time.Since(t0), cpuTime()-cpu0
	if err != nil {
		b.Fatal(err)
	}
	reportRun(b, r, wall, cpu)
}

// BenchmarkDriverCeiling is the driver's own ceiling: the scheduler and the
// Gremlin client against an in-process server that answers instantly, every
// operation due at once. cpu-µs/op includes the fake server's CPU (same
// process).
func BenchmarkDriverCeiling(b *testing.B) {
	host := instantServer(b)
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{Hosts: []string{host}})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	s := make(Schedule, b.N)
	for i := range s {
		s[i] = Item{Op: injectOp}
	}
	b.ResetTimer()
	cpu0, t0 := cpuTime(), time.Now()
	r, err := Run(ctx, Config{Clients: 64}, s, ClientExecutor{Client: c})
	wall, cpu := time.Since(t0), cpuTime()-cpu0
	if err != nil {
		b.Fatal(err)
	}
	reportRun(b, r, wall, cpu)
}

// BenchmarkInjectOnServer runs g.inject(1) open-loop on the real server at
// a fixed rate (GRAPHPERF_WORKLOAD_BENCH_RATE ops/s, default 1000) and
// reports the on-time percentage (1 s tolerance), tail latency and the
// client's CPU per operation (the server is another process). Run it
// with -benchtime=Nx for N operations.
func BenchmarkInjectOnServer(b *testing.B) {
	hosts := testenv.RequireServer(b)
	rate := 1000.0
	if v := os.Getenv("GRAPHPERF_WORKLOAD_BENCH_RATE"); v != "" {
		var err error
		if rate, err = strconv.ParseFloat(v, 64); err != nil || rate <= 0 {
			b.Fatalf("GRAPHPERF_WORKLOAD_BENCH_RATE=%q: want a positive number of operations per second", v)
		}
	}
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{Hosts: hosts})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	gap := time.Duration(float64(time.Second) / rate)
	s := make(Schedule, b.N)
	for i := range s {
		s[i] = Item{At: time.Duration(i) * gap, Op: injectOp}
	}
	b.ResetTimer()
	cpu0, t0 := cpuTime(), time.Now()
	r, err := Run(ctx, Config{Clients: 32}, s, ClientExecutor{Client: c})
	wall, cpu := time.Since(t0), cpuTime()-cpu0
	if err != nil {
		b.Fatal(err)
	}
	reportRun(b, r, wall, cpu)
	b.ReportMetric(rate, "target-ops/s")
	if b.N >= 1000 {
		b.Logf("%d ops at %v/s: %s", b.N, rate, r.Audit)
	}
}
