package suite

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/sampler"
)

// ABOp is one operation of an A/B experiment: the same parameter list
// measured by two calls, A and B (two builds, two drivers, or the same one
// twice for an A/A experiment).
type ABOp struct {
	// Name identifies the operation across runs.
	Name string
	// Params is the parameter list (nil: a single empty parameter).
	Params []json.RawMessage
	// A and B execute the operation for parameter i.
	A, B sampler.Func
}

// MeasureAB measures every op's A and B calls alternately, call by call,
// so that drift of the machine (other processes, GC, JIT) hits both halves
// alike: each pass over the parameter list runs every parameter as A then
// B, then every parameter as B then A, so that neither half always runs
// second. cfg.MinRounds applies to each half. The samples are split into
// two runs copied from tmpl and named nameA and nameB, with an "ab"
// setting; each has the op's Params, and SampleParams index into them.
// On error the runs hold what was measured (see [Measure]).
func MeasureAB(ctx context.Context, cfg sampler.Config, tmpl *baseline.Run, nameA, nameB string, ops []ABOp, progress Progress) (a, b *baseline.Run, err error) {
	if nameA == "" || nameA == nameB {
		return nil, nil, fmt.Errorf("suite: A/B run names must be two different non-empty names, got %q and %q", nameA, nameB)
	}
	inter := make([]Op, len(ops))
	for k, op := range ops {
		if op.A == nil || op.B == nil {
			return nil, nil, fmt.Errorf("suite: operation %q: A and B must be set", op.Name)
		}
		n := max(len(op.Params), 1)
		params := make([]json.RawMessage, 0, 4*n)
		for i := range 4 * n {
			if _, c := abIndex(i, n); len(op.Params) > 0 {
				params = append(params, op.Params[c])
			} else {
				params = append(params, json.RawMessage("null"))
			}
		}
		inter[k] = Op{Name: op.Name, Params: params, Call: func(ctx context.Context, i int) error {
			half, c := abIndex(i, n)
			if half == 0 {
				return op.A(ctx, c)
			}
			return op.B(ctx, c)
		}}
	}
	run := *tmpl
	run.Settings = maps.Clone(tmpl.Settings)
	run.Operations = nil
	if cfg.MinRounds > 0 {
		cfg.MinRounds *= 2
	} else {
		cfg.MinRounds = 2 * sampler.DefaultMinRounds
	}
	err = Measure(ctx, cfg, &run, inter, progress)
	a, b = splitAB(&run, ops, nameA, nameB)
	return a, b, err
}

// abIndex maps index i of an A/B parameter list over n parameters (4n
// entries) to its half (0: A, 1: B) and parameter: entries 2c and 2c+1 of
// the first 2n are parameter c as A then B, those of the last 2n as B then A.
func abIndex(i, n int) (half, param int) {
	block, j := i/(2*n), i%(2*n)
	return (j % 2) ^ block, j / 2
}

// splitAB splits an interleaved run (see abIndex) into runs named a and b.
func splitAB(run *baseline.Run, ops []ABOp, a, b string) (*baseline.Run, *baseline.Run) {
	params := map[string][]json.RawMessage{}
	for _, op := range ops {
		params[op.Name] = op.Params
	}
	half := func(name string, parity int) *baseline.Run {
		r := *run
		r.Name = name
		r.Settings = maps.Clone(run.Settings)
		r.Settings["ab"] = fmt.Sprintf("%s of the A/B pair %s,%s (calls alternated)", name, a, b)
		r.Operations = nil
		for _, op := range run.Operations {
			h := op
			n := max(len(op.Params)/4, 1)
			h.Params, h.Samples, h.SampleParams = params[op.Name], nil, nil
			for k, s := range op.Samples {
				if hf, c := abIndex(op.SampleParams[k], n); hf == parity {
					h.Samples = append(h.Samples, s)
					h.SampleParams = append(h.SampleParams, c)
				}
			}
			r.Operations = append(r.Operations, h)
		}
		return &r
	}
	return half(a, 0), half(b, 1)
}
