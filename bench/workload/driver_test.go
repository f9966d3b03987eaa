package workload

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// noExec is an Executor for operations that never submit anything.
type noExec struct{}

func (noExec) Submit(context.Context, Request) ([]any, error) {
	return nil, errors.New("noExec: unexpected request")
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// simOp is an operation taking d of simulated time on clk.
func simOp(typ string, clk *VirtualClock, d time.Duration, err error) Operation {
	return Operation{Type: typ, Do: func(context.Context, Executor) (Result, error) {
		clk.Advance(d)
		return typ, err
	}}
}

// sleepOp is an operation taking d of (bubble) time, honouring ctx.
func sleepOp(typ string, d time.Duration) Operation {
	return Operation{Type: typ, Do: func(ctx context.Context, _ Executor) (Result, error) {
		select {
		case <-time.After(d):
			return typ, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}}
}

// every returns n items of op(i) scheduled gap apart.
func every(n int, gap time.Duration, op func(i int) Operation) Schedule {
	var s Schedule
	for i := range n {
		s = append(s, Item{At: time.Duration(i) * gap, Op: op(i)})
	}
	return s
}

// near reports whether an HDR value is within its 3-significant-digit
// precision of want.
func near(got, want time.Duration) bool {
	return math.Abs(float64(got-want)) <= float64(want)/1000+1
}

// TestCoordinatedOmission: one slow operation delays those behind it on a
// single client; their latency is measured from their scheduled start, so
// the stall shows in every one of them, and their lateness fails the audit.
func TestCoordinatedOmission(t *testing.T) {
	clk := NewVirtualClock(t0)
	// 10 operations 10 ms apart; the first takes 1 s, the others 1 ms.
	s := every(10, 10*time.Millisecond, func(i int) Operation {
		if i == 0 {
			return simOp("Q", clk, time.Second, nil)
		}
		return simOp("Q", clk, time.Millisecond, nil)
	})
	r, err := Run(context.Background(), Config{Clients: 1, Clock: clk, Tolerance: 500 * time.Millisecond}, s, noExec{})
	if err != nil {
		t.Fatal(err)
	}
	// Operation k (k ≥ 1) is due at 10k ms, starts when k-1 ends at
	// 1000+k-1 ms and ends at 1000+k ms: latency 1000+k-10k ms.
	want := []time.Duration{time.Second}
	for k := 1; k < 10; k++ {
		want = append(want, time.Duration(1000+k-10*k)*time.Millisecond)
	}
	slices.Sort(want)
	st := r.Total
	if st.Count != 10 || st.Errors != 0 {
		t.Fatalf("count %d errors %d, want 10 and 0", st.Count, st.Errors)
	}
	checks := []struct {
		name      string
		got, want time.Duration
	}{
		{"min", st.Min, want[0]}, {"max", st.Max, want[9]}, {"p50", st.P50, want[4]}, {"p90", st.P90, want[8]},
	}
	for _, c := range checks {
		if !near(c.got, c.want) {
			t.Errorf("%s latency %v, want %v (measured from the scheduled start)", c.name, c.got, c.want)
		}
	}
	// Lateness of k is 999-9k ms: all 9 exceed 500 ms.
	a := r.Audit
	if a.Operations != 10 || a.OnTime != 1 || a.Passed() {
		t.Errorf("audit %+v: want 1 of 10 on time, failed", a)
	}
	if !near(a.MaxLateness, 990*time.Millisecond) {
		t.Errorf("max lateness %v, want 990ms", a.MaxLateness)
	}
	if r.Types[0].Samples != nil {
		t.Error("samples kept without KeepSamples")
	}
	if r.Types[0].Late != 9 {
		t.Errorf("late %d, want 9", r.Types[0].Late)
	}
}

// TestOnTimeAccounting checks the audit counts against lateness computed by
// hand, on one client (virtual clock) and on several (synctest bubble).
func TestOnTimeAccounting(t *testing.T) {
	// 100 operations 100 ms apart; the first takes 6 s, the others none
	// (virtual) or 10 ms (bubble). On one client operation k starts at ~6 s,
	// lateness ~6 s - 0.1k s: k = 1..49 are over 1 s late (k = 50 is
	// exactly 1 s on the virtual clock, on time).
	tests := []struct {
		name     string
		clients  int
		wantLate int64
		wantPass bool
		synctest bool
	}{
		{"one client, virtual clock", 1, 49, false, false},
		{"one client, bubble", 1, 49, false, true},
		{"three clients absorb the stall", 3, 0, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := func(r *Report, err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
				a := r.Audit
				if a.Operations != 100 || a.Operations-a.OnTime != tt.wantLate || a.Passed() != tt.wantPass {
					t.Errorf("audit %+v: want %d late of 100, passed=%v", a, tt.wantLate, tt.wantPass)
				}
				if r.Total.Late != tt.wantLate {
					t.Errorf("Late %d, want %d", r.Total.Late, tt.wantLate)
				}
				if got := a.String(); strings.HasPrefix(got, "PASSED SCHEDULE AUDIT") != tt.wantPass {
					t.Errorf("audit string %q", got)
				}
			}
			if !tt.synctest {
				clk := NewVirtualClock(t0)
				s := every(100, 100*time.Millisecond, func(i int) Operation {
					if i == 0 {
						return simOp("W", clk, 6*time.Second, nil)
					}
					return simOp("R", clk, 0, nil)
				})
				check(Run(context.Background(), Config{Clients: tt.clients, Clock: clk}, s, noExec{}))
				return
			}
			synctest.Test(t, func(t *testing.T) {
				s := every(100, 100*time.Millisecond, func(i int) Operation {
					if i == 0 {
						return sleepOp("W", 6*time.Second)
					}
					return sleepOp("R", 0)
				})
				r, err := Run(context.Background(), Config{Clients: tt.clients}, s, noExec{})
				check(r, err)
				if tt.clients == 3 && r.Audit.MaxLateness != 0 {
					t.Errorf("max lateness %v, want 0", r.Audit.MaxLateness)
				}
			})
		})
	}
}

func TestAuditRule(t *testing.T) {
	tests := []struct {
		ops, onTime int64
		min         float64
		want        bool
		prefix      string
	}{
		{100, 95, 0.95, true, "PASSED SCHEDULE AUDIT: 95.00% of 100 operations started within 1s of schedule (required 95.00%"},
		{100, 94, 0.95, false, "FAILED SCHEDULE AUDIT: 94.00% of 100"},
		{10000, 9999, 1, false, "FAILED SCHEDULE AUDIT: 99.99% of 10000"},
		{10000, 10000, 1, true, "PASSED SCHEDULE AUDIT: 100.00%"},
		{3, 3, 0.95, true, "PASSED"},
		{0, 0, 0.95, false, "FAILED SCHEDULE AUDIT: no measured operation started"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d of %d at %v", tt.onTime, tt.ops, tt.min), func(t *testing.T) {
			a := Audit{Operations: tt.ops, OnTime: tt.onTime, MinOnTime: tt.min, Tolerance: time.Second}
			if a.Passed() != tt.want {
				t.Errorf("Passed() = %v, want %v", a.Passed(), tt.want)
			}
			if got := a.String(); !strings.HasPrefix(got, tt.prefix) {
				t.Errorf("String() = %q, want prefix %q", got, tt.prefix)
			}
		})
	}
}

// TestRunMeasurement: warm-up exclusion, errors, the oracle, per-type
// statistics and the per-second series, on a virtual clock.
func TestRunMeasurement(t *testing.T) {
	clk := NewVirtualClock(t0)
	boom := errors.New("boom")
	// 40 operations 100 ms apart (0 .. 3.9 s), alternating types; the first
	// second is warm-up. R takes 2 ms, W 4 ms; every 10th W fails; the
	// oracle rejects R results of operation 21.
	s := every(40, 100*time.Millisecond, func(i int) Operation {
		if i%2 == 0 {
			op := simOp("R", clk, 2*time.Millisecond, nil)
			op.Do = func(context.Context, Executor) (Result, error) {
				clk.Advance(2 * time.Millisecond)
				return i, nil
			}
			return op
		}
		var err error
		if i%10 == 9 {
			err = boom
		}
		op := simOp("W", clk, 4*time.Millisecond, err)
		op.Kind = Write
		return op
	})
	oracle := func(op Operation, res Result) error {
		if op.Type == "R" && res.(int) == 20 {
			return errors.New("wrong")
		}
		return nil
	}
	r, err := Run(context.Background(), Config{Clients: 1, Clock: clk, Warmup: time.Second, Oracle: oracle, KeepSamples: true}, s, noExec{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Partial || r.Scheduled != 40 || r.Started != 40 || r.Warmup != 10 {
		t.Errorf("partial %v scheduled %d started %d warmup %d, want false 40 40 10", r.Partial, r.Scheduled, r.Started, r.Warmup)
	}
	if len(r.Types) != 2 {
		t.Fatalf("types %+v", r.Types)
	}
	rs, ws := r.Types[0], r.Types[1]
	// Measured: i = 10..39: 15 R, 15 W of which 3 failed (19, 29, 39).
	if rs.Type != "R" || rs.Kind != Read || rs.Count != 15 || rs.Errors != 0 || rs.Mismatches != 1 {
		t.Errorf("R stats %+v", rs)
	}
	if ws.Type != "W" || ws.Kind != Write || ws.Count != 12 || ws.Errors != 3 || ws.Mismatches != 0 {
		t.Errorf("W stats %+v", ws)
	}
	if !near(rs.Min, 2*time.Millisecond) || !near(rs.Max, 2*time.Millisecond) || !near(ws.P99, 4*time.Millisecond) {
		t.Errorf("latencies R %v..%v, W p99 %v", rs.Min, rs.Max, ws.P99)
	}
	if rs.FirstMismatch == nil || rs.FirstMismatch.Error() != "wrong" || ws.FirstMismatch != nil {
		t.Errorf("first mismatches: R %v, W %v", rs.FirstMismatch, ws.FirstMismatch)
	}
	if !errors.Is(ws.FirstError, boom) || rs.FirstError != nil || !errors.Is(r.Total.FirstError, boom) {
		t.Errorf("first errors: W %v, R %v, total %v", ws.FirstError, rs.FirstError, r.Total.FirstError)
	}
	if len(rs.Samples) != 15 || len(ws.Samples) != 12 || r.Total.Samples != nil {
		t.Errorf("samples: %d R, %d W, %d total; want 15, 12, 0", len(rs.Samples), len(ws.Samples), len(r.Total.Samples))
	}
	for _, d := range rs.Samples {
		if d != 2*time.Millisecond {
			t.Errorf("R sample %v, want 2ms (exact, not from the histogram)", d)
		}
	}
	if r.Total.Count != 27 || r.Total.Errors != 3 || r.Total.Mismatches != 1 {
		t.Errorf("total %+v", r.Total)
	}
	// Measured period 1 s .. 3.904 s (op 39 fails, its end counts).
	if r.Elapsed != 2904*time.Millisecond {
		t.Errorf("elapsed %v, want 2.904s", r.Elapsed)
	}
	if want := 15 / r.Elapsed.Seconds(); math.Abs(rs.Throughput-want) > 1e-9 {
		t.Errorf("R throughput %v, want %v", rs.Throughput, want)
	}
	// Successes per second of the measured period: [1,2) s: ops 10..19
	// minus 19; [2,3): 20..29 minus 29; [3,4): 30..39 minus 39.
	if want := []int64{9, 9, 9}; !slices.Equal(r.PerSecond, want) {
		t.Errorf("per second %v, want %v", r.PerSecond, want)
	}
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"PASSED SCHEDULE AUDIT: 100.00% of 30 operations", "oracle mismatches: 1 (", "W: 3 errors, the first: boom", "R: 1 wrong results, the first: wrong", "ALL", "read", "write"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "PARTIAL") {
		t.Errorf("complete report marked partial:\n%s", out)
	}
}

// TestRunCancel: cancellation stops the run cleanly with a partial report.
func TestRunCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// 10 operations 1 s apart taking 600 ms; cancelled at 2.3 s: 0 and 1
		// done, 2 interrupted, 3..9 never started.
		s := every(10, time.Second, func(int) Operation { return sleepOp("R", 600*time.Millisecond) })
		ctx, cancel := context.WithTimeout(context.Background(), 2300*time.Millisecond)
		defer cancel()
		r, err := Run(ctx, Config{Clients: 2}, s, noExec{})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("error %v, want the context's", err)
		}
		if r == nil || !r.Partial || r.Started != 3 || r.Interrupted != 1 || r.Total.Count != 2 || r.Total.Errors != 0 {
			t.Fatalf("report %+v", r)
		}
		var b strings.Builder
		_ = r.WriteText(&b)
		if !strings.HasPrefix(b.String(), "PARTIAL RESULT: cancelled after 3 of 10 scheduled operations\n") {
			t.Errorf("report not marked partial:\n%s", b.String())
		}
	})
}

func TestRunProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// 5 operations at 0..4 s taking 100 ms: snapshots at 1, 2, 3, 4 s.
		s := every(5, time.Second, func(int) Operation { return sleepOp("R", 100*time.Millisecond) })
		var got []Progress
		_, err := Run(context.Background(), Config{Clients: 2, Progress: func(p Progress) { got = append(got, p) }}, s, noExec{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 4 {
			t.Fatalf("%d progress calls, want 4: %+v", len(got), got)
		}
		for i, p := range got {
			k := int64(i + 1)
			want := Progress{Elapsed: time.Duration(k) * time.Second, Remaining: time.Duration(4-k) * time.Second,
				Done: k, Total: 5, OpsPerSec: 1, OnTime: 1, P99: p.P99}
			if p != want || !near(p.P99, 100*time.Millisecond) {
				t.Errorf("progress %d: %+v, want %+v with p99 100ms", i, p, want)
			}
		}
	})
}

func TestRunConfigErrors(t *testing.T) {
	ok := every(1, 0, func(int) Operation { return sleepOp("R", 0) })
	tests := []struct {
		name string
		cfg  Config
		s    Schedule
		ex   Executor
		want string
	}{
		{"negative clients", Config{Clients: -1}, ok, noExec{}, "clients -1"},
		{"negative warm-up", Config{Warmup: -time.Second}, ok, noExec{}, "warm-up -1s"},
		{"on-time over 1", Config{MinOnTime: 1.5}, ok, noExec{}, "on-time fraction 1.5 must be in (0, 1]"},
		{"negative tolerance", Config{Tolerance: -1}, ok, noExec{}, "audit tolerance"},
		{"no executor", Config{}, ok, nil, "no executor"},
		{"operation without Do", Config{}, Schedule{{Op: Operation{Type: "X"}}}, noExec{}, "operation 0 (X) has no Do"},
		{"unordered", Config{}, Schedule{{At: time.Second, Op: ok[0].Op}, {At: 0, Op: ok[0].Op}}, noExec{}, "before its predecessor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Run(context.Background(), tt.cfg, tt.s, tt.ex)
			if !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), tt.want) || r != nil {
				t.Errorf("Run: %v, %v; want ErrBadConfig containing %q", r, err, tt.want)
			}
		})
	}
}

func TestRunEmptySchedule(t *testing.T) {
	r, err := Run(context.Background(), Config{Clock: NewVirtualClock(t0)}, nil, noExec{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Partial || r.Started != 0 || r.Audit.Passed() {
		t.Errorf("empty run: %+v", r)
	}
}

func TestProgressString(t *testing.T) {
	tests := []struct {
		p    Progress
		want string
	}{
		{Progress{Elapsed: 12 * time.Second, Remaining: 48 * time.Second, Done: 1200, Total: 6000, OpsPerSec: 100,
			OnTime: 0.99759, Errors: 0, P99: 12345 * time.Microsecond},
			"12s elapsed, 48s left: 1200/6000 ops, 100.0 ops/s, 99.75% on time, 0 errors, p99 12.3ms"},
		{Progress{Total: 10}, "0s elapsed, 0s left: 0/10 ops, 0.0 ops/s, 0.00% on time, 0 errors, p99 0s"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("got  %q\nwant %q", got, tt.want)
		}
	}
}
