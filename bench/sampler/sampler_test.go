package sampler

import (
	"context"
	"errors"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunCounts(t *testing.T) {
	tests := []struct {
		name        string
		cfg         Config
		nparams     int
		wantWarmup  int
		wantSamples int
	}{
		{name: "zero config: 5 warm-up, 30 measured", cfg: Config{MinTime: -1}, nparams: 1, wantWarmup: 5, wantSamples: 30},
		{name: "rounds up to whole passes over the parameters", cfg: Config{Warmup: -1, MinRounds: 10, MinTime: -1}, nparams: 4, wantWarmup: 0, wantSamples: 12},
		{name: "explicit warm-up", cfg: Config{Warmup: 7, MinRounds: 3, MinTime: -1}, nparams: 3, wantWarmup: 7, wantSamples: 3},
		{name: "max rounds caps even a long min time", cfg: Config{Warmup: -1, MinRounds: 5, MinTime: time.Hour, MaxRounds: 8}, nparams: 3, wantWarmup: 0, wantSamples: 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int64
			var mu sync.Mutex
			var seen []int
			res, err := Run(context.Background(), tt.cfg, tt.nparams, func(_ context.Context, i int) error {
				calls.Add(1)
				mu.Lock()
				seen = append(seen, i)
				mu.Unlock()
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Samples) != tt.wantSamples || res.Calls != tt.wantSamples {
				t.Errorf("samples=%d calls=%d, want %d", len(res.Samples), res.Calls, tt.wantSamples)
			}
			if got := int(calls.Load()) - len(res.Samples); got != tt.wantWarmup {
				t.Errorf("warm-up calls = %d, want %d", got, tt.wantWarmup)
			}
			// Warm-up then measured phase each cycle through the
			// parameters in order from 0.
			for k, i := range seen[tt.wantWarmup:] {
				if i != k%tt.nparams {
					t.Fatalf("measured call %d got param %d, want %d (all: %v)", k, i, k%tt.nparams, seen)
				}
			}
			for k, s := range res.Samples {
				if s.Seq != k || s.Param != k%tt.nparams || s.Duration < 0 {
					t.Errorf("sample %d = %+v", k, s)
				}
			}
			if len(res.Seconds()) != len(res.Samples) || len(res.Durations()) != len(res.Samples) {
				t.Error("Seconds/Durations length mismatch")
			}
		})
	}
}

func TestRunMinTime(t *testing.T) {
	const minTime = 30 * time.Millisecond
	res, err := Run(context.Background(), Config{Warmup: -1, MinRounds: 2, MinTime: minTime}, 2, func(context.Context, int) error {
		time.Sleep(time.Millisecond)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Elapsed < minTime {
		t.Errorf("stopped after %v, before the minimum time %v", res.Elapsed, minTime)
	}
	if len(res.Samples) < 2 || len(res.Samples)%2 != 0 {
		t.Errorf("%d samples: want at least 2 and whole passes over 2 params", len(res.Samples))
	}
	if res.Throughput() <= 0 {
		t.Error("throughput should be positive")
	}
}

func TestRunRecordsErrors(t *testing.T) {
	boom := errors.New("wrong answer")
	res, err := Run(context.Background(), Config{Warmup: 3, MinRounds: 9, MinTime: -1}, 3, func(_ context.Context, i int) error {
		if i == 1 {
			return boom
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.ErrorCount != 3 || res.WarmupErrorCount != 1 || len(res.Samples) != 6 || res.Calls != 9 {
		t.Fatalf("errors=%d warmup errors=%d samples=%d calls=%d", res.ErrorCount, res.WarmupErrorCount, len(res.Samples), res.Calls)
	}
	if len(res.Errors) != 4 || !res.Errors[0].Warmup {
		t.Fatalf("kept errors %v", res.Errors)
	}
	for _, e := range res.Errors {
		if e.Param != 1 || !errors.Is(e, boom) {
			t.Errorf("error %v: want param 1 wrapping %v", e, boom)
		}
	}
	for _, s := range res.Samples {
		if s.Param == 1 {
			t.Errorf("failed call timed as a sample: %+v", s)
		}
	}
}

func TestRunMaxErrors(t *testing.T) {
	res, err := Run(context.Background(), Config{Warmup: -1, MinRounds: 1000, MinTime: -1, MaxErrors: 5}, 1, func(context.Context, int) error {
		return errors.New("down")
	})
	if !errors.Is(err, ErrTooManyErrors) {
		t.Fatalf("err = %v, want ErrTooManyErrors", err)
	}
	if res.ErrorCount != 5 || res.Calls != 5 {
		t.Errorf("errors=%d calls=%d, want 5 and 5", res.ErrorCount, res.Calls)
	}
}

func TestRunConcurrency(t *testing.T) {
	const clients = 4
	var inFlight, peak atomic.Int64
	release := make(chan struct{})
	var once sync.Once
	res, err := Run(context.Background(), Config{Warmup: -1, MinRounds: 40, MinTime: -1, Clients: clients}, 5, func(context.Context, int) error {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		if n == clients {
			once.Do(func() { close(release) })
		}
		select { // the first calls wait until all clients are in flight
		case <-release:
		case <-time.After(5 * time.Second):
			return errors.New("clients never ran concurrently")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if peak.Load() != clients {
		t.Errorf("peak concurrency %d, want %d", peak.Load(), clients)
	}
	if res.Clients != clients || len(res.Samples) != 40 || res.ErrorCount != 0 {
		t.Errorf("clients=%d samples=%d errors=%d", res.Clients, len(res.Samples), res.ErrorCount)
	}
	// Every sequence number was issued once, each with its cycled param.
	seqs := make([]int, 0, len(res.Samples))
	for _, s := range res.Samples {
		seqs = append(seqs, s.Seq)
		if s.Param != s.Seq%5 {
			t.Errorf("sample %+v: param should be seq mod 5", s)
		}
	}
	sort.Ints(seqs)
	for i, s := range seqs {
		if s != i {
			t.Fatalf("sequence numbers %v are not 0..39", seqs)
		}
	}
}

func TestRunCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls atomic.Int64
	res, err := Run(ctx, Config{Warmup: -1, MinRounds: 1000, MinTime: time.Hour}, 1, func(ctx context.Context, _ int) error {
		if calls.Add(1) == 5 {
			cancel()
			return ctx.Err()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(res.Samples) != 4 || res.ErrorCount != 0 {
		t.Errorf("samples=%d errors=%d: want the 4 completed calls and no error for the interrupted one", len(res.Samples), res.ErrorCount)
	}
}

func TestRunCancelledDuringWarmup(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Run(ctx, Config{}, 1, func(context.Context, int) error { return nil })
	if !errors.Is(err, context.Canceled) || len(res.Samples) != 0 {
		t.Fatalf("Run on a cancelled context = %d samples, %v", len(res.Samples), err)
	}
}

func TestRunBadArguments(t *testing.T) {
	tests := []struct {
		name    string
		nparams int
		fn      Func
		want    error
	}{
		{name: "no params", nparams: 0, fn: func(context.Context, int) error { return nil }, want: ErrNoParams},
		{name: "nil func", nparams: 1, fn: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), Config{}, tt.nparams, tt.fn)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCallErrorMessage(t *testing.T) {
	e := CallError{Seq: 3, Param: 2, Err: errors.New("x")}
	w := CallError{Seq: -1, Param: 0, Warmup: true, Err: errors.New("y")}
	got := []string{e.Error(), w.Error()}
	want := []string{"call 3 (param 2): x", "warm-up call (param 0): y"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestConfigEffective(t *testing.T) {
	tests := []struct {
		in, want Config
	}{
		{in: Config{}, want: Config{Warmup: DefaultWarmup, MinRounds: DefaultMinRounds, MinTime: DefaultMinTime, Clients: 1}},
		{in: Config{Warmup: -1, MinRounds: -1, MinTime: -1, Clients: 3}, want: Config{Warmup: -1, MinRounds: -1, MinTime: -1, Clients: 3}},
		{in: Config{Warmup: 2, MinRounds: 7, MinTime: time.Second, MaxRounds: 9, MaxTime: time.Minute}, want: Config{Warmup: 2, MinRounds: 7, MinTime: time.Second, MaxRounds: 9, MaxTime: time.Minute, Clients: 1}},
	}
	for _, tt := range tests {
		got := tt.in.Effective()
		if got != tt.want {
			t.Errorf("%+v.Effective() = %+v, want %+v", tt.in, got, tt.want)
		}
		if again := got.Effective(); again != got {
			t.Errorf("Effective is not idempotent: %+v → %+v", got, again)
		}
	}
}
