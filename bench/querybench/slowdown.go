package querybench

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/graphperf/graphperf/bench/driver"
	"github.com/graphperf/graphperf/bench/queries"
)

// Wait is the injected slowdown of one query: a Fixed server-side wait, or
// a Fraction of the median of the same call's recent latencies through the
// reference driver (so that it follows the machine's load, as a real
// regression would).
type Wait struct {
	Fixed    time.Duration
	Fraction float64
}

// String implements fmt.Stringer.
func (w Wait) String() string {
	if w.Fraction > 0 {
		return fmt.Sprintf("%g%% of the median of the call's last %d reference latencies", w.Fraction*100, recentWindow)
	}
	return w.Fixed.String()
}

// ParseWaits reads "QUERY=P%[,QUERY=DURATION…]" (QUERY a catalogue query):
// P% is a Fraction, DURATION a Fixed wait.
func ParseWaits(s string) (map[string]Wait, error) {
	out := map[string]Wait{}
	for term := range strings.SplitSeq(s, ",") {
		term = strings.TrimSpace(term)
		if term == "" {
			continue
		}
		name, val, ok := strings.Cut(term, "=")
		if !ok || !slices.Contains(queries.Names(), name) {
			return nil, fmt.Errorf("querybench: slowdown: want QUERY=P%% or QUERY=DURATION with a catalogue query, got %q", term)
		}
		if pct, ok := strings.CutSuffix(val, "%"); ok {
			p, err := strconv.ParseFloat(pct, 64)
			if err != nil || p < 0 {
				return nil, fmt.Errorf("querybench: slowdown: bad percentage in %q", term)
			}
			out[name] = Wait{Fraction: p / 100}
			continue
		}
		d, err := time.ParseDuration(val)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("querybench: slowdown: bad duration in %q", term)
		}
		out[name] = Wait{Fixed: d}
	}
	return out, nil
}

// slowPrologue spins gpSlowNs nanoseconds on the server before the query:
// CPU work, like a real regression (parking the thread instead would add the
// scheduler's wake-up delay, which on a busy machine is many times the wait).
const slowPrologue = `def gpSlowEnd = System.nanoTime() + gpSlowNs; ` +
	`while (System.nanoTime() < gpSlowEnd) { Thread.onSpinWait() }; `

// recentWindow is the number of recent reference latencies per call whose
// median sizes a Fraction wait.
const recentWindow = 5

// NewSlowdown decorates d for A/B experiments: ref submits to d and
// remembers each call's recent latencies; slow submits to d too, but the
// scripts of the queries in waits first spin on the server for their Wait
// (a Fraction of ref's recent median for the same script and bindings).
// Closing either closes d.
func NewSlowdown(d driver.Driver, waits map[string]Wait) (ref, slow driver.Driver) {
	byScript := map[string]Wait{}
	for _, q := range queries.Catalogue() {
		if w, ok := waits[q.Name]; ok {
			byScript[q.Script] = w
		}
	}
	r := &recorder{Driver: d, last: map[string][]time.Duration{}}
	return r, &slowDriver{Driver: d, waits: byScript, ref: r}
}

// callKey identifies a call by its script and bindings.
func callKey(script string, bindings map[string]any) string {
	b, _ := json.Marshal(bindings)
	return script + "\x00" + string(b)
}

// recorder is the reference half: it keeps recent latencies per call.
type recorder struct {
	driver.Driver
	mu   sync.Mutex
	last map[string][]time.Duration
}

// Submit implements driver.Driver.
func (r *recorder) Submit(ctx context.Context, script string, bindings map[string]any) ([]any, error) {
	start := time.Now()
	res, err := r.Driver.Submit(ctx, script, bindings)
	d := time.Since(start)
	key := callKey(script, bindings)
	r.mu.Lock()
	l := append(r.last[key], d)
	if len(l) > recentWindow {
		l = l[len(l)-recentWindow:]
	}
	r.last[key] = l
	r.mu.Unlock()
	return res, err
}

// median returns the median recent latency of a call (0 if none).
func (r *recorder) median(key string) time.Duration {
	r.mu.Lock()
	l := slices.Clone(r.last[key])
	r.mu.Unlock()
	if len(l) == 0 {
		return 0
	}
	slices.Sort(l)
	return l[len(l)/2]
}

// slowDriver is the slowed half.
type slowDriver struct {
	driver.Driver
	waits map[string]Wait
	ref   *recorder
}

// Submit implements driver.Driver.
func (s *slowDriver) Submit(ctx context.Context, script string, bindings map[string]any) ([]any, error) {
	w, ok := s.waits[script]
	if !ok {
		return s.Driver.Submit(ctx, script, bindings)
	}
	wait := w.Fixed
	if w.Fraction > 0 {
		wait = time.Duration(w.Fraction * float64(s.ref.median(callKey(script, bindings))))
	}
	b := maps.Clone(bindings)
	if b == nil {
		b = map[string]any{}
	}
	b["gpSlowNs"] = wait.Nanoseconds()
	return s.Driver.Submit(ctx, slowPrologue+script, b)
}
