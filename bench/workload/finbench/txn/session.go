package txn

import (
	"context"
	"fmt"

	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/loader"
)

// NotLoadedError is the error of [CheckLoaded]: the graph records no
// complete load of the dataset with fingerprint Dataset (Found is the
// number of other or partial loads it records).
type NotLoadedError struct {
	Dataset string
	Found   int
}

// Error implements error.
func (e *NotLoadedError) Error() string {
	return fmt.Sprintf("the graph does not hold the bulk part of dataset %s (found %d other or partial loads)", e.Dataset, e.Found)
}

// CheckLoaded returns a *[NotLoadedError] unless the graph at sub records
// a complete load (loader.ReadGraphStates) of the data with fingerprint
// fp: a run on another graph would check answers against the wrong data.
func CheckLoaded(ctx context.Context, sub loader.Submitter, fp string) error {
	states, err := loader.ReadGraphStates(ctx, sub)
	if err != nil {
		return fmt.Errorf("reading the graph's load state: %w", err)
	}
	for _, st := range states {
		if st.Dataset == fp && st.Complete() {
			return nil
		}
	}
	return &NotLoadedError{Dataset: fp, Found: len(states)}
}

// Measure runs cfg once, or, with fm, bisects the lowest passing TCR
// ([Workload.FindMax]) and returns the run at it. logf, when set, gets a
// line per probe and the search's verdict. An interrupted single run
// returns what ran with the error.
func (w *Workload) Measure(ctx context.Context, ex workload.Executor, cfg Config, fm *workload.FindMaxConfig,
	logf func(format string, args ...any)) (*Result, error) {
	if fm == nil {
		return w.Run(ctx, ex, cfg)
	}
	if logf == nil {
		logf = func(string, ...any) {}
	}
	res, err := w.FindMax(ctx, ex, cfg, *fm)
	for _, p := range res.Probes {
		logf("probe TCR %g: %s", p.TCR, p.Audit)
	}
	if err != nil {
		return nil, err
	}
	logf("best TCR %g (%d probes)", res.TCR, len(res.Probes))
	return res.Best, nil
}
