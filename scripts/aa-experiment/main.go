// Command aa-experiment runs one comparison of scripts/aa-experiment.sh:
// query-bench's catalogue measured with the bench/querybench library, with
// an optional slowdown injected by the querybench.NewSlowdown driver
// decorator, compared by the bench/gate rules, printed as query-bench's
// --json document. It exits 1 on a regression, 2 on a usage error.
//
//	go run ./scripts/aa-experiment -hosts 127.0.0.1:8182 -ab A1,B1 -slowdown in-out-summary=25%
//	go run ./scripts/aa-experiment -compare A1 -slowdown in-out-summary=25%   # after query-bench --save A1
//
// With -ab the slowdown applies to the B half only, P% of the median of
// the same call's recent A latencies; with -compare, P% of the baseline's
// median of that query.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/compare"
	"github.com/graphperf/graphperf/bench/gate"
	"github.com/graphperf/graphperf/bench/querybench"
	"github.com/graphperf/graphperf/bench/report"
	"github.com/graphperf/graphperf/bench/sampler"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:])
	stop()
	var usage usageError
	var re *gate.RegressionError
	switch {
	case err == nil:
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, "aa-experiment:", err)
		os.Exit(2)
	case errors.As(err, &re):
		fmt.Fprintln(os.Stderr, "aa-experiment:", err)
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "aa-experiment:", err)
		os.Exit(1)
	}
}

// usageError is a bad flag.
type usageError struct{ error }

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("aa-experiment", flag.ContinueOnError)
	hosts := fs.String("hosts", client.DefaultHost, "Gremlin Server `HOST:PORT`s, comma-separated")
	scale := fs.Float64("scale", 0.01, "the loaded dataset's scale")
	seed := fs.Uint64("seed", 42, "the loaded dataset's seed")
	names := fs.String("queries", "", "comma-separated queries (default: all)")
	rounds := fs.Int("rounds", sampler.DefaultMinRounds, "minimum measured calls per query (per half with -ab)")
	minTime := fs.Duration("min-time", 0, "minimum measuring time per query")
	warmup := fs.Int("warmup", sampler.DefaultWarmup, "unmeasured calls per query first")
	dir := fs.String("dir", baseline.DefaultDir, "`DIR` of stored runs")
	ab := fs.String("ab", "", "measure twice, call by call alternated, as runs `A,B`; compare B with A")
	base := fs.String("compare", "", "compare with the stored run `NAME`")
	slowdown := fs.String("slowdown", "", "`QUERY=P%|QUERY=DURATION[,…]`: server-side wait injected into the compared run")
	failOn := fs.String("fail-on", "", "regression threshold `EXPR`, e.g. median:10%")
	minDelta := fs.String("min-delta", "", "smallest median worsening that can fail, e.g. 500us")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	g := gate.Config{Command: querybench.Command, Dir: *dir}
	var err error
	if *failOn != "" {
		if g.Compare.FailOn, err = compare.ParseThresholds(*failOn); err != nil {
			return usageError{err}
		}
	}
	if *minDelta != "" {
		f, err := compare.ParseFloor(*minDelta)
		if err != nil {
			return usageError{err}
		}
		g.Compare.MinDelta = &f
	}
	waits, err := querybench.ParseWaits(*slowdown)
	if err != nil {
		return usageError{err}
	}
	cfg := querybench.Config{Sampling: sampler.Config{MinRounds: *rounds, Warmup: *warmup, MinTime: *minTime}, Driver: "graphperf"}
	if *names != "" {
		cfg.Queries = strings.Split(*names, ",")
	}
	a, b, isAB := strings.Cut(*ab, ",")
	switch {
	case isAB == (*base != ""):
		return usageError{errors.New("give exactly one of -ab A,B and -compare NAME")}
	case isAB:
		cfg.AB, cfg.ABNames, g.Save = true, [2]string{a, b}, b
	default:
		if g.Base, err = baseline.Load(*dir, *base); err != nil {
			return usageError{err}
		}
		for name, w := range waits { // P% of the baseline's median
			if op := g.Base.Operation(name); w.Fraction > 0 && op != nil {
				waits[name] = querybench.Wait{Fixed: time.Duration(op.Summary().Median * w.Fraction * float64(time.Second))}
			} else if w.Fraction > 0 {
				return usageError{fmt.Errorf("-slowdown %s=…%%: the baseline %s has no samples of %s", name, *base, name)}
			}
		}
	}
	if err := g.Check(); err != nil {
		return usageError{err}
	}
	data, err := dataset.Source{Config: banking.Config{Seed: *seed, Scale: *scale, Patterns: banking.DefaultPatterns()}}.Open(ctx)
	if err != nil {
		return usageError{err}
	}
	ccfg := client.Config{Hosts: strings.Split(*hosts, ","), RequestTimeout: time.Minute}
	cl, err := client.New(ctx, ccfg)
	if err != nil {
		return err
	}
	defer cl.Close()
	if err := g.CheckDataset(data.Fingerprint); err != nil {
		return usageError{err}
	}
	ds, err := querybench.NewDataset(ctx, data, fmt.Sprintf("--scale %g --seed %d", *scale, *seed))
	if err != nil {
		return err
	}
	ref, slow := querybench.NewSlowdown(cl, waits)
	drv := slow // -compare: every call slowed
	if isAB {
		drv, cfg.B = ref, slow
	}
	cfg.Hosts = ccfg.Hosts
	res, err := querybench.Run(ctx, drv, ds, cfg)
	if err != nil {
		return err
	}
	if *slowdown != "" {
		res.Run.Settings["slowdown"] = *slowdown
	}
	if res.A != nil {
		if _, err := baseline.Save(*dir, a, res.A); err != nil {
			return err
		}
		g.Base = res.A
	}
	rep, err := g.CompareRun(res.Run)
	if err != nil {
		return err
	}
	if err := report.WriteJSON(os.Stdout, res.Run, rep); err != nil {
		return err
	}
	if _, err := g.Finish(res.Run, rep, true); err != nil {
		return err
	}
	return g.Verdict(rep)
}
