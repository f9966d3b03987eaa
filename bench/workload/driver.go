package workload

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of [Config].
const (
	DefaultClients          = 8
	DefaultTolerance        = time.Second
	DefaultMinOnTime        = 0.95
	DefaultProgressInterval = time.Second
)

// Config configures [Run]. The zero value is usable: every zero field takes
// the default named in its comment.
type Config struct {
	// Clients is the number of workers executing operations concurrently.
	// Default [DefaultClients].
	Clients int
	// Warmup excludes the operations scheduled in the first Warmup of the
	// schedule from every measurement and from the audit; they still run.
	Warmup time.Duration
	// Tolerance is how late an operation may start and still count as on
	// time in the audit. Default [DefaultTolerance] (FinBench: 1 s).
	Tolerance time.Duration
	// MinOnTime is the fraction of operations that must start on time for
	// the audit to pass, in (0, 1]. Default [DefaultMinOnTime] (95%).
	MinOnTime float64
	// KeepSamples keeps every measured latency in Stats.Samples (8 bytes
	// per operation), for statistics that need raw samples.
	KeepSamples bool
	// Clock is the source of time. Default [SystemClock].
	Clock Clock
	// Oracle, when set, checks the result of every succeeded operation;
	// a non-nil error counts the operation as a mismatch (the first one
	// per type is kept in Stats.FirstMismatch). It is called
	// after the operation's end is taken, concurrently from the workers.
	Oracle func(op Operation, res Result) error
	// Progress, when set, is called every ProgressInterval (wall-clock
	// time) with the run's progress, from a goroutine of its own, and
	// never after Run returns.
	Progress func(Progress)
	// ProgressInterval is the period of Progress calls. Default
	// [DefaultProgressInterval].
	ProgressInterval time.Duration
}

// Progress is a snapshot of a run in progress.
type Progress struct {
	// Elapsed is the time since the run started; Remaining is the time
	// until the last operation's scheduled start (0 when it has passed).
	Elapsed, Remaining time.Duration
	// Done is the number of operations finished (warm-up included) out of
	// Total scheduled.
	Done, Total int64
	// OpsPerSec is the completion rate since the previous snapshot.
	OpsPerSec float64
	// OnTime is the fraction of measured operations that started on time
	// so far (0 before any).
	OnTime float64
	// Errors is the number of measured operations that failed so far.
	Errors int64
	// P99 is the 99th percentile latency of the measured operations so
	// far.
	P99 time.Duration
}

// ErrBadConfig is matched (with errors.Is) by [Run]'s configuration errors.
var ErrBadConfig = errors.New("invalid workload configuration")

func (cfg Config) withDefaults() (Config, error) {
	switch {
	case cfg.Clients < 0:
		return cfg, fmt.Errorf("%w: clients %d must not be negative", ErrBadConfig, cfg.Clients)
	case cfg.Warmup < 0:
		return cfg, fmt.Errorf("%w: warm-up %v must not be negative", ErrBadConfig, cfg.Warmup)
	case cfg.Tolerance < 0:
		return cfg, fmt.Errorf("%w: audit tolerance %v must not be negative", ErrBadConfig, cfg.Tolerance)
	case cfg.MinOnTime < 0 || cfg.MinOnTime > 1:
		return cfg, fmt.Errorf("%w: on-time fraction %v must be in (0, 1]", ErrBadConfig, cfg.MinOnTime)
	case cfg.ProgressInterval < 0:
		return cfg, fmt.Errorf("%w: progress interval %v must not be negative", ErrBadConfig, cfg.ProgressInterval)
	}
	if cfg.Clients == 0 {
		cfg.Clients = DefaultClients
	}
	if cfg.Tolerance == 0 {
		cfg.Tolerance = DefaultTolerance
	}
	if cfg.MinOnTime == 0 {
		cfg.MinOnTime = DefaultMinOnTime
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.ProgressInterval == 0 {
		cfg.ProgressInterval = DefaultProgressInterval
	}
	return cfg, nil
}

// Run executes schedule s open-loop through ex and measures it.
//
// The run starts at cfg.Clock.Now(); item i is due at start + s[i].At.
// Workers take items in schedule order; a free worker waits until the next
// item is due, and when every worker is busy the item starts late, as soon
// as one is free. An operation's latency runs from its scheduled start to
// its end, so waiting for a worker counts (no coordinated omission), and
// its lateness (actual minus scheduled start) feeds the audit.
//
// When ctx is cancelled, Run starts nothing more, cancels the operations
// in flight (they are counted as interrupted, not measured) and returns the
// report of what ran, marked Partial, with ctx's error. Configuration
// errors match ErrBadConfig and come without a report.
func Run(ctx context.Context, cfg Config, s Schedule, ex Executor) (*Report, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if ex == nil {
		return nil, fmt.Errorf("%w: no executor", ErrBadConfig)
	}
	for i := range s {
		if s[i].Op.Do == nil {
			return nil, fmt.Errorf("%w: operation %d (%s) has no Do", ErrBadConfig, i, s[i].Op.Type)
		}
		if i > 0 && s[i].At < s[i-1].At {
			return nil, fmt.Errorf("%w: operation %d (%s) is scheduled at %v, before its predecessor at %v",
				ErrBadConfig, i, s[i].Op.Type, s[i].At, s[i-1].At)
		}
	}
	clock := cfg.Clock
	start := clock.Now()
	col := newCollector(start.Add(cfg.Warmup), cfg.Tolerance, cfg.KeepSamples)

	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(cfg.Clients, max(len(s), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(len(s)) {
					return
				}
				it := &s[i]
				due := start.Add(it.At)
				if clock.SleepUntil(ctx, due) != nil {
					return
				}
				col.start()
				o := outcome{op: &it.Op, sched: due, warm: it.At < cfg.Warmup}
				o.begin = clock.Now()
				res, err := it.Op.Do(ctx, ex)
				o.end = clock.Now()
				switch {
				case err != nil && ctx.Err() != nil:
					o.interrupted = true
				case err != nil:
					o.failed, o.err = true, err
				case cfg.Oracle != nil:
					o.mismatch = cfg.Oracle(it.Op, res)
				}
				col.add(o)
			}
		}()
	}

	if cfg.Progress != nil {
		stop := make(chan struct{})
		progressDone := make(chan struct{})
		go func() {
			defer close(progressDone)
			progressLoop(stop, cfg, col, start, s.Duration(), int64(len(s)))
		}()
		wg.Wait()
		close(stop)
		<-progressDone
	} else {
		wg.Wait()
	}

	partial := ctx.Err() != nil && col.started < int64(len(s))
	if ctx.Err() != nil && col.interrupted > 0 {
		partial = true
	}
	r := col.report(len(s), partial, cfg.MinOnTime)
	if partial {
		return r, ctx.Err()
	}
	return r, nil
}

// progressLoop calls cfg.Progress every cfg.ProgressInterval until stop is
// closed.
func progressLoop(stop <-chan struct{}, cfg Config, col *collector, start time.Time, length time.Duration, total int64) {
	t := time.NewTicker(cfg.ProgressInterval)
	defer t.Stop()
	prevDone, prevAt := int64(0), start
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		now := cfg.Clock.Now()
		col.mu.Lock()
		p := Progress{
			Elapsed: now.Sub(start), Remaining: max(length-now.Sub(start), 0),
			Done: col.done, Total: total, Errors: col.total.errors,
			P99: time.Duration(col.total.hist.ValueAtQuantile(99)),
		}
		if col.audited > 0 {
			p.OnTime = float64(col.onTime) / float64(col.audited)
		}
		col.mu.Unlock()
		if dt := now.Sub(prevAt); dt > 0 {
			p.OpsPerSec = float64(p.Done-prevDone) / dt.Seconds()
		}
		prevDone, prevAt = p.Done, now
		cfg.Progress(p)
	}
}

// String formats p as the one-line live progress the CLI prints, e.g.
// "12s elapsed, 48s left: 1200/6000 ops, 100.0 ops/s, 99.75% on time, 0 errors, p99 12.3ms".
func (p Progress) String() string {
	return fmt.Sprintf("%v elapsed, %v left: %d/%d ops, %.1f ops/s, %s on time, %d errors, p99 %v",
		p.Elapsed.Round(time.Second), p.Remaining.Round(time.Second), p.Done, p.Total, p.OpsPerSec,
		percent(p.OnTime), p.Errors, p.P99.Round(100*time.Microsecond))
}
