// Package sampler times repeated calls of one benchmark operation.
//
// [Run] performs a warm-up, then measured calls until both a minimum count
// and a minimum time are reached, optionally from several concurrent
// clients. Every call receives a parameter index that cycles through the
// operation's parameter list in order (0, 1, …, n-1, 0, 1, …), so that a
// baseline and a later run execute the same parameters in the same order.
// The measured phase always ends on a whole pass through the parameter list
// (unless a hard cap stops it), so each parameter is equally represented.
//
// Raw samples are kept; failed calls are recorded as errors (never timed,
// never hidden).
package sampler

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Defaults applied by [Config] zero values.
const (
	DefaultWarmup    = 5
	DefaultMinRounds = 30
	DefaultMinTime   = time.Second
	// MaxKeptErrors bounds how many call errors [Result.Errors] keeps; all
	// errors are counted in [Result.ErrorCount].
	MaxKeptErrors = 100
)

// Func is one call of the operation under test. i is the parameter index,
// in [0, nparams). It must honour ctx.
type Func func(ctx context.Context, i int) error

// Config controls sampling. The zero value is usable: 5 warm-up calls, at
// least 30 measured calls and 1s, one client, no caps.
type Config struct {
	// Warmup is the number of unmeasured calls made first (by one client).
	// 0 means DefaultWarmup; negative means none.
	Warmup int
	// MinRounds is the minimum number of measured calls (successful or
	// not). 0 means DefaultMinRounds; negative means no minimum.
	MinRounds int
	// MinTime is the minimum wall time of the measured phase. 0 means
	// DefaultMinTime; negative means no minimum.
	MinTime time.Duration
	// MaxRounds, when positive, stops the measured phase after that many
	// calls even before MinTime is reached.
	MaxRounds int
	// MaxTime, when positive, stops the measured phase after that much
	// wall time even before MinRounds is reached.
	MaxTime time.Duration
	// Clients is the number of concurrent callers. 0 means 1.
	Clients int
	// MaxErrors, when positive, aborts sampling with [ErrTooManyErrors]
	// once that many calls have failed.
	MaxErrors int
}

// Effective returns the configuration with defaults applied, as Run uses
// it: zero fields take their defaults; negative Warmup, MinRounds and
// MinTime (meaning "none") stay negative. Effective is idempotent.
func (c Config) Effective() Config {
	if c.Warmup == 0 {
		c.Warmup = DefaultWarmup
	}
	if c.MinRounds == 0 {
		c.MinRounds = DefaultMinRounds
	}
	if c.MinTime == 0 {
		c.MinTime = DefaultMinTime
	}
	if c.Clients <= 0 {
		c.Clients = 1
	}
	return c
}

// Sample is one successful measured call.
type Sample struct {
	// Seq is the call's position in issue order (0-based).
	Seq int `json:"seq"`
	// Param is the parameter index the call received.
	Param int `json:"param"`
	// Duration is the call's latency.
	Duration time.Duration `json:"duration_ns"`
}

// CallError is one failed call.
type CallError struct {
	// Seq is the call's position in issue order; -1 for warm-up calls.
	Seq int
	// Param is the parameter index the call received.
	Param int
	// Warmup is true for a failure during warm-up.
	Warmup bool
	// Err is the error the call returned.
	Err error
}

// Error implements error.
func (e CallError) Error() string {
	if e.Warmup {
		return fmt.Sprintf("warm-up call (param %d): %v", e.Param, e.Err)
	}
	return fmt.Sprintf("call %d (param %d): %v", e.Seq, e.Param, e.Err)
}

// Unwrap returns the call's error.
func (e CallError) Unwrap() error { return e.Err }

// Result holds the raw outcome of [Run].
type Result struct {
	// Samples are the successful measured calls, in completion order.
	Samples []Sample
	// Errors keeps the first MaxKeptErrors failures (warm-up included).
	Errors []CallError
	// ErrorCount counts all failed measured calls.
	ErrorCount int
	// WarmupErrorCount counts failed warm-up calls.
	WarmupErrorCount int
	// Calls is the number of measured calls issued and completed.
	Calls int
	// Elapsed is the wall time of the measured phase.
	Elapsed time.Duration
	// Clients is the number of concurrent callers used.
	Clients int
}

// Durations returns the sample latencies in completion order.
func (r *Result) Durations() []time.Duration {
	out := make([]time.Duration, len(r.Samples))
	for i, s := range r.Samples {
		out[i] = s.Duration
	}
	return out
}

// Seconds returns the sample latencies in seconds, in completion order:
// the raw values stored in a run file.
func (r *Result) Seconds() []float64 {
	out := make([]float64, len(r.Samples))
	for i, s := range r.Samples {
		out[i] = s.Duration.Seconds()
	}
	return out
}

// Throughput returns successful calls per second of wall time over the
// measured phase, across all clients; 0 if nothing was measured.
func (r *Result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(len(r.Samples)) / r.Elapsed.Seconds()
}

// ErrTooManyErrors is returned (wrapped) when [Config.MaxErrors] failures
// were reached.
var ErrTooManyErrors = errors.New("sampler: too many failed calls")

// ErrNoParams is returned when Run is given no parameters.
var ErrNoParams = errors.New("sampler: nparams must be at least 1 (use 1 for an operation without parameters)")

// Run samples fn. nparams is the length of the operation's parameter list;
// call i of the warm-up and call i of the measured phase both receive
// parameter i mod nparams.
//
// On context cancellation Run returns the partial result together with an
// error wrapping ctx.Err(); calls interrupted by the cancellation are not
// recorded.
func Run(ctx context.Context, cfg Config, nparams int, fn Func) (*Result, error) {
	if nparams < 1 {
		return nil, ErrNoParams
	}
	if fn == nil {
		return nil, errors.New("sampler: nil Func")
	}
	cfg = cfg.Effective()
	res := &Result{Clients: cfg.Clients}

	for w := 0; w < cfg.Warmup; w++ {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("sampler: cancelled during warm-up: %w", err)
		}
		p := w % nparams
		if err := fn(ctx, p); err != nil {
			if ctx.Err() != nil {
				return res, fmt.Errorf("sampler: cancelled during warm-up: %w", ctx.Err())
			}
			res.WarmupErrorCount++
			if len(res.Errors) < MaxKeptErrors {
				res.Errors = append(res.Errors, CallError{Seq: -1, Param: p, Warmup: true, Err: err})
			}
		}
	}

	s := &state{cfg: cfg, nparams: nparams, res: res, start: time.Now()}
	var wg sync.WaitGroup
	for range cfg.Clients {
		wg.Go(func() { s.client(ctx, fn) })
	}
	wg.Wait()
	res.Elapsed = time.Since(s.start)

	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("sampler: cancelled after %d measured calls: %w", res.Calls, err)
	}
	if cfg.MaxErrors > 0 && res.ErrorCount >= cfg.MaxErrors {
		return res, fmt.Errorf("%w: %d of %d calls failed (last kept: %v)", ErrTooManyErrors, res.ErrorCount, res.Calls, lastErr(res))
	}
	return res, nil
}

func lastErr(r *Result) error {
	if len(r.Errors) == 0 {
		return nil
	}
	return r.Errors[len(r.Errors)-1]
}

// state is the shared bookkeeping of the measured phase.
type state struct {
	cfg     Config
	nparams int
	start   time.Time

	mu     sync.Mutex
	issued int
	res    *Result
}

// next reserves the next call's sequence number, or reports that sampling
// is over.
func (s *state) next(ctx context.Context) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ctx.Err() != nil {
		return 0, false
	}
	if s.cfg.MaxErrors > 0 && s.res.ErrorCount >= s.cfg.MaxErrors {
		return 0, false
	}
	elapsed := time.Since(s.start)
	if s.cfg.MaxRounds > 0 && s.issued >= s.cfg.MaxRounds {
		return 0, false
	}
	if s.cfg.MaxTime > 0 && elapsed >= s.cfg.MaxTime {
		return 0, false
	}
	if s.issued >= s.cfg.MinRounds && elapsed >= s.cfg.MinTime && s.issued%s.nparams == 0 && s.issued > 0 {
		return 0, false
	}
	seq := s.issued
	s.issued++
	return seq, true
}

func (s *state) client(ctx context.Context, fn Func) {
	for {
		seq, ok := s.next(ctx)
		if !ok {
			return
		}
		p := seq % s.nparams
		t0 := time.Now()
		err := fn(ctx, p)
		d := time.Since(t0)
		if ctx.Err() != nil {
			return // interrupted: neither a sample nor a failure
		}
		s.mu.Lock()
		s.res.Calls++
		if err != nil {
			s.res.ErrorCount++
			if len(s.res.Errors) < MaxKeptErrors {
				s.res.Errors = append(s.res.Errors, CallError{Seq: seq, Param: p, Err: err})
			}
		} else {
			s.res.Samples = append(s.res.Samples, Sample{Seq: seq, Param: p, Duration: d})
		}
		s.mu.Unlock()
	}
}
