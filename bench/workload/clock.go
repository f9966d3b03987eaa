package workload

import (
	"context"
	"sync"
	"time"
)

// Clock is the driver's source of time.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// SleepUntil returns when the clock reaches t (at once if it has), or
	// with ctx's error when ctx is done first.
	SleepUntil(ctx context.Context, t time.Time) error
}

// SystemClock is the real clock (package time). Its zero value is ready.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// SleepUntil sleeps until t or until ctx is done.
func (SystemClock) SleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// VirtualClock is a simulated clock for deterministic runs (tests,
// examples, dry runs): its time moves only when SleepUntil jumps it forward
// to the time slept for, or when Advance moves it (an [Executor] simulating
// service time calls Advance). It is safe for concurrent use, but a run is
// deterministic only with one client: with several, workers would jump the
// shared time under each other's operations.
type VirtualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewVirtualClock returns a VirtualClock reading start.
func NewVirtualClock(start time.Time) *VirtualClock { return &VirtualClock{now: start} }

// Now returns the simulated time.
func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// SleepUntil moves the simulated time to t if t is later, and returns
// ctx's error if ctx is done.
func (c *VirtualClock) SleepUntil(ctx context.Context, t time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
	return nil
}

// Advance moves the simulated time forward by d (negative d is ignored).
func (c *VirtualClock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
