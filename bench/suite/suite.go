// Package suite measures a list of named benchmark operations with
// [sampler.Run] and records them in a [baseline.Run], ready to be saved,
// compared and reported.
//
// It is the glue between a query catalogue (or a loader) and the
// statistics: query-bench builds one [Op] per query, with the query's
// parameter list and a call that executes the query for parameter i and
// checks its answer, then calls [Measure].
package suite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/sampler"
	"github.com/graphperf/graphperf/bench/stats"
)

// Op is one benchmarked operation.
type Op struct {
	// Name identifies the operation across runs.
	Name string
	// Params is the parameter list, stored with the run; Call receives an
	// index into it. Nil means a single empty parameter.
	Params []json.RawMessage
	// Call executes the operation for parameter i. It should return an
	// error for a wrong answer as well as for a failed request: failures
	// are recorded, never timed.
	Call sampler.Func
}

// Progress is told when each operation starts (optional).
type Progress func(op string, index, total int)

// maxErrorMessages bounds the failure messages stored per operation.
const maxErrorMessages = 20

// Measure samples each op in order with cfg and appends one
// [baseline.Operation] per op (latency samples in seconds) to
// run.Operations. The sampling settings are recorded in run.Settings.
//
// An operation that reaches cfg.MaxErrors is recorded with its failures
// and measuring goes on with the next one (the caller fails the bench on
// any ErrorCount). On cancellation Measure appends the partial operation
// and returns an error wrapping ctx.Err(); the caller should not save such
// a run.
func Measure(ctx context.Context, cfg sampler.Config, run *baseline.Run, ops []Op, progress Progress) error {
	seen := map[string]bool{}
	for _, op := range ops {
		if op.Name == "" || seen[op.Name] || op.Call == nil {
			return fmt.Errorf("suite: operation %q: names must be unique and non-empty, and Call set", op.Name)
		}
		seen[op.Name] = true
	}
	recordSettings(run, cfg)
	for k, op := range ops {
		if progress != nil {
			progress(op.Name, k, len(ops))
		}
		nparams := max(len(op.Params), 1)
		res, err := sampler.Run(ctx, cfg, nparams, op.Call)
		if res != nil {
			run.Operations = append(run.Operations, operation(op, res))
		}
		if err != nil && !errors.Is(err, sampler.ErrTooManyErrors) {
			return fmt.Errorf("suite: %s: %w", op.Name, err)
		}
	}
	return nil
}

func operation(op Op, res *sampler.Result) baseline.Operation {
	o := baseline.Operation{
		Name:         op.Name,
		Unit:         stats.Latency(),
		Params:       op.Params,
		Samples:      res.Seconds(),
		SampleParams: make([]int, len(res.Samples)),
		Clients:      res.Clients,
		Elapsed:      res.Elapsed,
		ErrorCount:   res.ErrorCount + res.WarmupErrorCount,
	}
	for i, s := range res.Samples {
		o.SampleParams[i] = s.Param
	}
	for _, e := range res.Errors {
		if len(o.Errors) == maxErrorMessages {
			break
		}
		o.Errors = append(o.Errors, e.Error())
	}
	return o
}

func recordSettings(run *baseline.Run, cfg sampler.Config) {
	cfg = cfg.Effective()
	if run.Settings == nil {
		run.Settings = map[string]string{}
	}
	set := func(k, v string) {
		if _, ok := run.Settings[k]; !ok {
			run.Settings[k] = v
		}
	}
	count := func(n int) string { return strconv.Itoa(max(n, 0)) }
	dur := func(d time.Duration) string { return max(d, 0).String() }
	set("warmup", count(cfg.Warmup))
	set("min_rounds", count(cfg.MinRounds))
	set("min_time", dur(cfg.MinTime))
	set("max_rounds", count(cfg.MaxRounds))
	set("max_time", dur(cfg.MaxTime))
	set("clients", strconv.Itoa(cfg.Clients))
}
