package workload

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

func TestVirtualClock(t *testing.T) {
	c := NewVirtualClock(t0)
	ctx := context.Background()
	steps := []struct {
		name string
		do   func() error
		want time.Duration // offset from t0 afterwards
	}{
		{"sleep forward jumps", func() error { return c.SleepUntil(ctx, t0.Add(time.Second)) }, time.Second},
		{"sleep into the past stays", func() error { return c.SleepUntil(ctx, t0) }, time.Second},
		{"advance", func() error { c.Advance(250 * time.Millisecond); return nil }, 1250 * time.Millisecond},
		{"negative advance is ignored", func() error { c.Advance(-time.Hour); return nil }, 1250 * time.Millisecond},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := c.Now().Sub(t0); got != s.want {
			t.Errorf("%s: now t0+%v, want t0+%v", s.name, got, s.want)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := c.SleepUntil(cancelled, t0.Add(time.Hour)); !errors.Is(err, context.Canceled) || c.Now().Sub(t0) != 1250*time.Millisecond {
		t.Errorf("cancelled sleep: %v, now t0+%v", err, c.Now().Sub(t0))
	}
}

func TestSystemClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var c SystemClock
		start := c.Now()
		if err := c.SleepUntil(context.Background(), start.Add(3*time.Second)); err != nil {
			t.Fatal(err)
		}
		if got := c.Now().Sub(start); got != 3*time.Second {
			t.Errorf("slept %v, want 3s", got)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := c.SleepUntil(ctx, c.Now().Add(time.Hour)); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("sleep past the deadline: %v", err)
		}
		if err := c.SleepUntil(ctx, start); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("sleep into the past on a done context: %v", err)
		}
	})
}
