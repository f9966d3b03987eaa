package workload

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// FindMaxConfig configures [FindMax].
type FindMaxConfig struct {
	// Low and High bound the time compression ratios searched,
	// 0 < Low < High. High should pass the audit (light load); Low is the
	// heaviest load tried.
	Low, High float64
	// Precision is the relative width at which the search stops: it ends
	// when High/Low ≤ 1 + Precision. Default 0.05.
	Precision float64
	// MaxProbes bounds the number of runs. Default 20.
	MaxProbes int
}

// Probe is one run of the search.
type Probe struct {
	// TCR is the time compression ratio run.
	TCR float64
	// Audit is that run's schedule audit.
	Audit Audit
}

// FindMaxResult is the outcome of [FindMax].
type FindMaxResult struct {
	// TCR is the lowest passing time compression ratio found (0 when none
	// passed).
	TCR float64
	// Probes are the runs, in the order they ran.
	Probes []Probe
}

// ErrNoPassingTCR is returned by [FindMax] when even the highest ratio
// fails its audit.
var ErrNoPassingTCR = errors.New("no time compression ratio passed the schedule audit")

// FindMax searches the lowest time compression ratio (the highest load)
// whose run passes the schedule audit, like FinBench's best-TCR search:
// it runs High (which must pass), then Low (returned if it passes), then
// bisects between the lowest passing and the highest failing ratio. It
// bisects geometrically, as ratios span orders of magnitude. run executes
// one workload at a ratio and returns its audit; its error ends the search.
func FindMax(ctx context.Context, cfg FindMaxConfig, run func(ctx context.Context, tcr float64) (Audit, error)) (FindMaxResult, error) {
	var res FindMaxResult
	if !(cfg.Low > 0) || !(cfg.High > cfg.Low) || math.IsInf(cfg.High, 0) {
		return res, fmt.Errorf("%w: search range [%v, %v] must satisfy 0 < low < high", ErrBadConfig, cfg.Low, cfg.High)
	}
	if cfg.Precision < 0 || cfg.MaxProbes < 0 {
		return res, fmt.Errorf("%w: precision %v and probe limit %d must not be negative", ErrBadConfig, cfg.Precision, cfg.MaxProbes)
	}
	if cfg.Precision == 0 {
		cfg.Precision = 0.05
	}
	if cfg.MaxProbes == 0 {
		cfg.MaxProbes = 20
	}
	if cfg.MaxProbes < 2 {
		return res, fmt.Errorf("%w: probe limit %d must be at least 2", ErrBadConfig, cfg.MaxProbes)
	}
	probe := func(tcr float64) (bool, error) {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		a, err := run(ctx, tcr)
		if err != nil {
			return false, fmt.Errorf("run at TCR %v: %w", tcr, err)
		}
		res.Probes = append(res.Probes, Probe{TCR: tcr, Audit: a})
		return a.Passed(), nil
	}
	ok, err := probe(cfg.High)
	if err != nil {
		return res, err
	}
	if !ok {
		return res, fmt.Errorf("%w: the highest ratio %v failed", ErrNoPassingTCR, cfg.High)
	}
	lo, hi := cfg.Low, cfg.High
	res.TCR = hi
	if ok, err = probe(lo); err != nil {
		return res, err
	} else if ok {
		res.TCR = lo
		return res, nil
	}
	for hi/lo > 1+cfg.Precision && len(res.Probes) < cfg.MaxProbes {
		mid := math.Sqrt(lo * hi)
		ok, err := probe(mid)
		if err != nil {
			return res, err
		}
		if ok {
			hi = mid
			res.TCR = hi
		} else {
			lo = mid
		}
	}
	return res, nil
}
