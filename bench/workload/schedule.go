package workload

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"time"
)

// Update is one write of the update stream with its data timestamp.
type Update struct {
	// Time is the data timestamp of the write (for FinBench, the
	// timestamp of the created edge or vertex).
	Time time.Time
	// Op is the write.
	Op Operation
}

// Item is one scheduled operation.
type Item struct {
	// At is the scheduled start, as an offset from the start of the run.
	At time.Duration
	// Op is the operation.
	Op Operation
}

// Schedule is a sequence of operations ordered by scheduled start.
type Schedule []Item

// Duration is the scheduled start of the last item (0 for an empty
// schedule).
func (s Schedule) Duration() time.Duration {
	if len(s) == 0 {
		return 0
	}
	return s[len(s)-1].At
}

// ReadSource makes the i-th read (i = 0, 1, ...) of one operation type,
// typically by cycling through curated parameters.
type ReadSource func(i int) Operation

// ScheduleConfig configures [Build].
type ScheduleConfig struct {
	// TCR is the time compression ratio: an update whose data timestamp is
	// d after the first update's is scheduled at d × TCR. Lower means more
	// load. It must be positive.
	TCR float64
	// Frequencies is the number of updates per read of each read type. Its
	// entries override those of [DefaultFrequencies] (so a table of one
	// entry changes one type). Only types that have a ReadSource are
	// scheduled.
	Frequencies map[string]int
}

// DefaultFrequencies returns FinBench's SF10 example read frequencies (the
// number of updates between two reads of a type). The map is new on every
// call, so callers may change it.
func DefaultFrequencies() map[string]int {
	return map[string]int{
		"TCR1": 12, "TCR2": 45, "TCR3": 23, "TCR4": 57, "TCR5": 83, "TCR6": 21,
		"TCR7": 36, "TCR8": 51, "TCR9": 21, "TCR10": 6, "TCR11": 12, "TCR12": 34,
	}
}

// ErrBadSchedule is matched (with errors.Is) by the errors of [Build].
var ErrBadSchedule = errors.New("invalid schedule")

// Build returns the schedule of updates and reads under cfg.
//
// Updates are ordered by data timestamp (ties keep their input order) and
// the i-th is scheduled at (Time_i − Time_0) × TCR. Reads of type T are
// spaced by f = freq[T] mean update gaps G (the mean scheduled gap between
// consecutive updates; FinBench's and LDBC SNB's interleave), each type
// with its own phase so that types of equal frequency do not start
// together: the k-th read (k = 1, 2, ...) is scheduled at
//
//	((k − 1) × f + ⌊r × f / m⌋ + (j + 1) / (n + 1)) × G
//
// where m types share T's frequency and r is T's rank among them, and j is
// T's rank among all n read types (by name). The integer term spreads the
// m types over the f gaps; the fraction, distinct per type and below one
// gap, makes two types never share a start instant (their offsets differ
// by a non-integer number of gaps). Reads are scheduled for as long as
// k × f does not exceed the number of updates and the instant is within
// the update stream. Operations scheduled at the same instant keep a
// deterministic order: updates first, then reads by type name. Build is a
// pure function of its arguments.
func Build(updates []Update, reads map[string]ReadSource, cfg ScheduleConfig) (Schedule, error) {
	if !(cfg.TCR > 0) || math.IsInf(cfg.TCR, 0) {
		return nil, fmt.Errorf("%w: time compression ratio %v must be a positive number", ErrBadSchedule, cfg.TCR)
	}
	freq := DefaultFrequencies()
	maps.Copy(freq, cfg.Frequencies)
	types := slices.Sorted(maps.Keys(reads))
	for _, t := range types {
		f, ok := freq[t]
		if !ok {
			return nil, fmt.Errorf("%w: read type %s has no frequency", ErrBadSchedule, t)
		}
		if f <= 0 {
			return nil, fmt.Errorf("%w: frequency of %s is %d, want a positive number of updates per read", ErrBadSchedule, t, f)
		}
		if reads[t] == nil {
			return nil, fmt.Errorf("%w: read type %s has a nil source", ErrBadSchedule, t)
		}
	}
	ups := slices.Clone(updates)
	sort.SliceStable(ups, func(i, j int) bool { return ups[i].Time.Before(ups[j].Time) })

	s := make(Schedule, 0, len(ups))
	for _, u := range ups {
		if u.Op.Do == nil {
			return nil, fmt.Errorf("%w: update %s at %s has no Do", ErrBadSchedule, u.Op.Type, u.Time.UTC().Format(time.RFC3339Nano))
		}
		at := time.Duration(float64(u.Time.Sub(ups[0].Time)) * cfg.TCR)
		s = append(s, Item{At: at, Op: u.Op})
	}
	if len(s) < 2 {
		return s, nil // no update gap to space reads by
	}
	end := s[len(s)-1].At
	gap := float64(end) / float64(len(s)-1)
	nUpdates := len(s)
	for j, t := range types {
		f := freq[t]
		r, m := 0, 0 // T's rank among the m types of frequency f
		for _, u := range types {
			if freq[u] == f {
				if u < t {
					r++
				}
				m++
			}
		}
		phase := float64(r*f/m) + float64(j+1)/float64(len(types)+1)
		for k := 1; ; k++ {
			at := time.Duration((float64((k-1)*f) + phase) * gap)
			if at > end || k*f > nUpdates {
				break
			}
			op := reads[t](k - 1)
			if op.Do == nil {
				return nil, fmt.Errorf("%w: read %d of %s has no Do", ErrBadSchedule, k-1, t)
			}
			s = append(s, Item{At: at, Op: op})
		}
	}
	// Stable: updates (appended first) precede reads at the same instant,
	// and reads keep type-name order.
	sort.SliceStable(s, func(i, j int) bool { return s[i].At < s[j].At })
	return s, nil
}
