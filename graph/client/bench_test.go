package client

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	gremlingo "github.com/apache/tinkerpop/gremlin-go/v3/driver"
	"github.com/northwesternmutual/grammes"

	"github.com/graphperf/graphperf/internal/testenv"
)

// driver is one Gremlin driver under comparison: submit runs g.inject(1)
// once and checks the answer.
type driver struct {
	name string
	open func(host string) (submit func() error, closeFn func(), err error)
}

// graphperfDriver is this package's client with serializer ser.
func graphperfDriver(ser Serializer) func(host string) (func() error, func(), error) {
	return func(host string) (func() error, func(), error) {
		c, err := New(context.Background(), Config{Hosts: []string{host}, Serializer: ser})
		if err != nil {
			return nil, nil, err
		}
		return func() error {
			res, err := c.Submit(context.Background(), "g.inject(1)", nil)
			if err == nil && (len(res) != 1 || res[0] != int32(1)) {
				err = fmt.Errorf("unexpected result %v", res)
			}
			return err
		}, func() { c.Close() }, nil
	}
}

func drivers() []driver {
	return []driver{
		{"graphperf", graphperfDriver(GraphSON)},
		{"graphperf/graphbinary", graphperfDriver(GraphBinary)},
		{"grammes", func(host string) (func() error, func(), error) {
			c, err := grammes.DialWithWebSocket("ws://" + host)
			if err != nil {
				return nil, nil, err
			}
			return func() error {
					res, err := c.ExecuteStringQuery("g.inject(1)")
					if err == nil && len(res) != 1 {
						err = fmt.Errorf("unexpected result %q", res)
					}
					return err
				}, func() {
					// Not c.Close(): grammes v1.2.0 writes the close frame with
					// WriteMessage from the caller's goroutine while its write
					// worker may be writing, which panics in gorilla
					// ("concurrent write to websocket connection"), and its
					// read worker then blocks forever on an unbuffered error
					// channel. The benchmark leaks the client instead.
				}, nil
		}},
		{"gremlingo", func(host string) (func() error, func(), error) {
			c, err := gremlingo.NewClient("ws://"+host+"/gremlin", func(s *gremlingo.ClientSettings) {
				s.LogVerbosity = gremlingo.Off
				s.MaximumConcurrentConnections = DefaultPoolSize // same pool as ours
			})
			if err != nil {
				return nil, nil, err
			}
			return func() error {
				rs, err := c.Submit("g.inject(1)")
				if err != nil {
					return err
				}
				res, err := rs.All()
				if err == nil && (len(res) != 1 || res[0].GetInterface() != int32(1)) {
					err = fmt.Errorf("unexpected result %v", res)
				}
				return err
			}, c.Close, nil
		}},
	}
}

// BenchmarkDriver compares Gremlin drivers side by side on the real server:
// g.inject(1) with 1 and 16 requests in flight. Besides ns/op (wall time per
// request, so 1/throughput) it reports the p50 latency and requests/s.
func BenchmarkDriver(b *testing.B) {
	host := testenv.RequireServer(b)[0]
	// Warm the server's JIT first (both serializers' paths), so that the
	// first driver measured is not penalised.
	for _, d := range drivers()[:2] {
		submit, closeFn, err := d.open(host)
		if err != nil {
			continue
		}
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				for range 200 {
					submit()
				}
			})
		}
		wg.Wait()
		closeFn()
	}
	for _, d := range drivers() {
		for _, inflight := range []int{1, 16} {
			b.Run(d.name+"/inflight="+strconv.Itoa(inflight), func(b *testing.B) {
				submit, closeFn, err := d.open(host)
				if err != nil {
					b.Skipf("%s cannot connect to JanusGraph at %s: %v", d.name, host, err)
				}
				defer closeFn()
				if err := submit(); err != nil { // warm up, and check it works at all
					b.Skipf("%s cannot run g.inject(1) against JanusGraph 1.1.0: %v", d.name, err)
				}
				lat := make([]time.Duration, b.N)
				var next atomic.Int64
				var firstErr atomic.Value
				var wg sync.WaitGroup
				srv0, srvOK := serverCPU(host)
				cpu0 := cpuTime()
				b.ResetTimer()
				start := time.Now()
				for range inflight {
					wg.Go(func() {
						for {
							i := next.Add(1) - 1
							if i >= int64(b.N) {
								return
							}
							t0 := time.Now()
							if err := submit(); err != nil {
								firstErr.CompareAndSwap(nil, err)
								return
							}
							lat[i] = time.Since(t0)
						}
					})
				}
				wg.Wait()
				elapsed := time.Since(start)
				b.StopTimer()
				cpu := cpuTime() - cpu0
				srv1, _ := serverCPU(host)
				if err, ok := firstErr.Load().(error); ok {
					b.Fatalf("%s: %v", d.name, err)
				}
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
				// The client's own CPU per request: on a 2-core machine
				// shared with the server, this is what a driver costs.
				b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/op")
				if srvOK { // the local server's CPU per request (other traffic included)
					b.ReportMetric(float64((srv1-srv0).Microseconds())/float64(b.N), "server-cpu-µs/op")
				}
			})
		}
	}
}

// cpuTime returns the CPU time (user + system) used by this process.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// serverCPU returns the CPU time used so far by the JanusGraph process that
// scripts/janusgraph.sh started for host's port, when it runs here.
func serverCPU(host string) (time.Duration, bool) {
	_, port, _ := strings.Cut(host, ":")
	pid, err := os.ReadFile("../../.cache/janusgraph/run-" + port + "/server.pid")
	if err != nil {
		return 0, false
	}
	stat, err := os.ReadFile("/proc/" + strings.TrimSpace(string(pid)) + "/stat")
	if err != nil {
		return 0, false
	}
	// Fields after the parenthesised command: utime and stime are the 12th
	// and 13th (fields 14 and 15 of proc(5)), in clock ticks (100 Hz).
	_, rest, ok := strings.Cut(string(stat), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0, false
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(ut+st) * 10 * time.Millisecond, true
}
