package web_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/results"
	"github.com/graphperf/graphperf/results/web"
)

// syntheticSource is an in-memory history of runs runs × ops operations
// (samples each), one run per commit on main.
func syntheticSource(runs, ops, samples int) *memSource {
	src := &memSource{}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range runs {
		r := results.Run{ID: fmt.Sprintf("run-%04d", i), Kind: results.KindQueryBench, Status: results.Complete, Branch: "main", Dataset: "ds1"}
		for j := range ops {
			s := make([]float64, samples)
			for k := range s {
				s[k] = 0.001 * float64(1+j) * (1 + 0.1*float64(k%10)/10)
			}
			r.Operations = append(r.Operations, results.OperationResult{Operation: fmt.Sprintf("op-%02d", j), Unit: stats.Latency(), Samples: s})
		}
		r.Commit = results.Commit{Hash: fmt.Sprintf("%040x", i), Time: t0.Add(time.Duration(i) * time.Hour), Message: fmt.Sprintf("commit %d", i)}
		r.Started = r.Commit.Time
		src.runs = append(src.runs, r)
		src.trend = append(src.trend, results.TrendPoint{Commit: r.Commit, RunID: r.ID, Start: r.Started,
			Unit: stats.Latency(), Median: 0.001, P99: 0.002, N: samples})
	}
	return src
}

// BenchmarkPagesMemory times each page's handler (rendering only, the
// source in memory) at 1,000 stored runs × 40 operations: the web layer's
// share of a page load. BenchmarkPagesGraph in graph_test.go times the
// same pages on the real results graph.
func BenchmarkPagesMemory(b *testing.B) {
	src := syntheticSource(1000, 40, 100)
	h, err := web.New(src, web.Config{Log: log.New(io.Discard, "", 0)})
	if err != nil {
		b.Fatal(err)
	}
	benchPages(b, h, "run-0999", "run-0998", "op-07")
}

// benchPages times GET of every page of h.
func benchPages(b *testing.B, h http.Handler, run, other, op string) {
	for _, path := range []string{
		"/runs", "/api/runs", "/runs/" + run, "/api/runs/" + run, "/runs/" + run + "/report",
		"/compare?base=" + other + "&cur=" + run, "/api/compare?base=" + other + "&cur=" + run,
		"/trend?op=" + op, "/api/trend?op=" + op, "/mutation",
	} {
		b.Run(path, func(b *testing.B) {
			cpu0 := cpuTime(b)
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: status %d: %s", path, rec.Code, rec.Body)
				}
			}
			// CPU time of this process per page: unlike ns/op, it does not
			// grow with the other processes of a shared machine.
			b.ReportMetric(float64((cpuTime(b)-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the user+system CPU time this process used so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
