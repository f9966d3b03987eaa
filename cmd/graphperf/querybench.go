package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/baseline"
	"github.com/graphperf/graphperf/bench/driver"
	"github.com/graphperf/graphperf/bench/queries"
	"github.com/graphperf/graphperf/bench/sampler"
	"github.com/graphperf/graphperf/bench/suite"
	"github.com/graphperf/graphperf/dataset"
)

// slowdownEnv names the test hook of the A/A experiment: it injects a
// server-side busy wait into named queries' scripts (see parseSlowdown).
const slowdownEnv = "GRAPHPERF_QUERY_SLOWDOWN"

func queryBenchCommand() *cli.Command {
	def := banking.DefaultPatterns()
	flags := []cli.Flag{
		&cli.Float64Flag{Name: "scale", Value: 0.01, Usage: "the loaded dataset's scale (as given to graphperf load); exclusive with --from"},
		&cli.Uint64Flag{Name: "seed", Value: 42, Usage: "the loaded dataset's seed (with --scale)"},
		&cli.StringFlag{Name: "from", Usage: "the loaded dataset is the directory `DIR` written by `graphperf generate`"},
		&cli.StringFlag{Name: "queries", Usage: "comma-separated query `NAMES` to run (default: all): " + strings.Join(queries.Names(), ", ")},
		&cli.IntFlag{Name: "params", Value: queries.DefaultParams, Usage: "parameters curated per query"},
		&cli.IntFlag{Name: "rounds", Value: sampler.DefaultMinRounds, Usage: "minimum measured calls per query"},
		&cli.DurationFlag{Name: "min-time", Value: sampler.DefaultMinTime, Usage: "minimum measuring time per query (0: none)"},
		&cli.IntFlag{Name: "warmup", Value: sampler.DefaultWarmup, Usage: "unmeasured calls per query first (0: none)"},
		&cli.IntFlag{Name: "clients", Value: 1, Usage: "concurrent callers per query (throughput runs)"},
		&cli.StringFlag{Name: "driver", Value: driver.Graphperf, Usage: "Go Gremlin driver: " + strings.Join(driver.Names(), " or ")},
		&cli.StringFlag{Name: "cpuprofile", Usage: "write a CPU profile (pprof) of the client to `FILE`"},
		&cli.IntFlag{Name: "truncation", Value: queries.DefaultTruncation, Usage: "edges followed per vertex and expansion step (FinBench truncation)"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress on stderr"},
		&cli.StringFlag{Name: "ab", Usage: "experiment mode `A,B`: measure this build twice, alternating call by call (so machine drift hits both), " +
			"save the halves as runs A and B, and compare B with A; " + slowdownEnv + " applies to B only (scripts/aa-experiment.sh)"},
	}
	flags = append(flags, baselineFlags(queryBenchSpec)...)
	for _, pf := range patternFlags(&def) {
		flags = append(flags, &cli.IntFlag{Name: pf.name, Value: *pf.field, Usage: "number of injected " + pf.usage + " (with --scale, as loaded)"})
	}
	return &cli.Command{
		Name:  "query-bench",
		Usage: "benchmark FinBench-style traversals with checked answers; compare with a stored baseline",
		Description: "Runs the query catalogue (" + strings.Join(queries.Names(), ", ") + ")\n" +
			"against the loaded graph. The dataset flags must be those of `graphperf load`: the data is\n" +
			"regenerated in memory to curate parameters, check every answer and fingerprint the run.\n" +
			"Each query: --warmup calls, then calls until both --rounds and --min-time are reached.\n" +
			"A wrong answer fails the bench (exit 1) whatever its speed. With --compare, a query regresses\n" +
			"only when the Mann-Whitney U test is significant after Holm correction across the suite AND\n" +
			"--fail-on is exceeded AND the median worsened by at least --min-delta (exit 1).\n\n" +
			"   graphperf load --scale 0.01 && graphperf query-bench --save main\n" +
			"   graphperf query-bench --compare main --fail-on 'median:10%,p95:25%' --min-delta 1ms\n" +
			"   graphperf query-bench --queries account-lookup,mule-chain --format gobench > new.txt\n" +
			"   graphperf query-bench --driver grammes --report grammes.html\n\n" +
			"Test hook: " + slowdownEnv + "='account-lookup=25%' makes the server spin before that query for\n" +
			"25% of its --compare baseline median (with --ab: of the parameter's recent A latencies; the\n" +
			"hook then applies to B only), or '=2ms' for a fixed time, to prove that a slowdown is caught\n" +
			"(scripts/aa-experiment.sh).",
		Flags:  flags,
		Action: runQueryBench,
	}
}

// queryBenchSpec: query-bench measures latencies; --ab compares its own runs.
var queryBenchSpec = benchSpec{command: "query-bench", selfFlag: "ab"}

// qbOptions are query-bench's validated flags.
type qbOptions struct {
	*baselineOptions
	selected   []queries.Query
	qcfg       queries.Config
	sampling   sampler.Config
	driverName string
	slowdown   map[string]slowSpec
	quiet      bool
	// abNames are the two run names of --ab (nil without it).
	abNames []string
}

func queryBenchOptions(c *cli.Context) (*qbOptions, error) {
	o := &qbOptions{driverName: c.String("driver"), quiet: c.Bool("quiet")}
	var names []string
	if s := c.String("queries"); s != "" {
		names = strings.Split(s, ",")
	}
	sel, err := queries.Select(names)
	if err != nil {
		return nil, usageErrorf("--queries: %v", err)
	}
	o.selected = sel
	o.qcfg = queries.Config{Params: c.Int("params"), Truncation: c.Int("truncation")}
	if o.qcfg.Params < 1 {
		return nil, usageErrorf("--params must be ≥ 1, got %d", o.qcfg.Params)
	}
	if o.qcfg.Truncation < 1 {
		return nil, usageErrorf("--truncation must be ≥ 1, got %d", o.qcfg.Truncation)
	}
	rounds, warmup, clients, minTime := c.Int("rounds"), c.Int("warmup"), c.Int("clients"), c.Duration("min-time")
	switch {
	case rounds < 1:
		return nil, usageErrorf("--rounds must be ≥ 1, got %d", rounds)
	case warmup < 0:
		return nil, usageErrorf("--warmup must be ≥ 0, got %d", warmup)
	case clients < 1:
		return nil, usageErrorf("--clients must be ≥ 1, got %d", clients)
	case minTime < 0:
		return nil, usageErrorf("--min-time must be ≥ 0, got %v", minTime)
	}
	o.sampling = sampler.Config{MinRounds: rounds, Warmup: warmup, MinTime: minTime, Clients: clients, MaxErrors: 10}
	if warmup == 0 {
		o.sampling.Warmup = -1
	}
	if minTime == 0 {
		o.sampling.MinTime = -1
	}
	if !slices.Contains(driver.Names(), o.driverName) {
		return nil, usageErrorf("--driver: %v", &driver.UnknownDriverError{Name: o.driverName})
	}
	if c.IsSet("from") && (c.IsSet("scale") || c.IsSet("seed")) {
		return nil, usageErrorf("--from and --scale/--seed are exclusive: the dataset directory says its own scale and seed")
	}
	bo, err := parseBaselineOptions(c, queryBenchSpec)
	if err != nil {
		return nil, err
	}
	o.baselineOptions = bo
	if s := c.String("ab"); s != "" {
		a, b, ok := strings.Cut(s, ",")
		if !ok || a == "" || b == "" || a == b {
			return nil, usageErrorf("--ab wants two different run names A,B, got %q", s)
		}
		if o.base != nil || o.save != "" {
			return nil, usageErrorf("--ab saves and compares its own two runs: it excludes --compare and --save")
		}
		for _, n := range []string{a, b} {
			if _, err := baseline.Path(o.baseDir, n); err != nil {
				return nil, usageErrorf("--ab: %v", err)
			}
		}
		o.abNames = []string{a, b}
	}
	sd, err := parseSlowdown(os.Getenv(slowdownEnv), o.base, o.abNames != nil)
	if err != nil {
		return nil, usageErrorf("%s: %v", slowdownEnv, err)
	}
	o.slowdown = sd
	return o, nil
}

// slowSpec is the test hook's wait for one query: a fixed duration, or (with
// --ab) a fraction of the parameter's recent A-half latencies.
type slowSpec struct {
	fixed time.Duration
	frac  float64
}

func (s slowSpec) String() string {
	if s.frac > 0 {
		return fmt.Sprintf("%g%% of the median of the parameter's last %d A latencies", s.frac*100, recentWindow)
	}
	return s.fixed.String()
}

// parseSlowdown reads the test hook "NAME=P%[,NAME=DURATION…]". P percent
// means P% of the query's current cost: with ab, of the median of the
// parameter's recent A-half latencies (so the injected slowdown follows the
// machine's load, as a real regression would); otherwise of the --compare
// baseline's median of NAME (base must be given). DURATION is a fixed wait.
func parseSlowdown(s string, base *baseline.Run, ab bool) (map[string]slowSpec, error) {
	out := map[string]slowSpec{}
	for _, term := range strings.Split(s, ",") {
		term = strings.TrimSpace(term)
		if term == "" {
			continue
		}
		name, val, ok := strings.Cut(term, "=")
		if !ok || !slices.Contains(queries.Names(), name) {
			return nil, fmt.Errorf("want QUERY=P%% or QUERY=DURATION with a catalogue query, got %q", term)
		}
		if pct, ok := strings.CutSuffix(val, "%"); ok {
			p, err := strconv.ParseFloat(pct, 64)
			if err != nil || p < 0 {
				return nil, fmt.Errorf("bad percentage in %q", term)
			}
			if ab {
				out[name] = slowSpec{frac: p / 100}
				continue
			}
			var op *baseline.Operation
			if base != nil {
				op = base.Operation(name)
			}
			if op == nil || len(op.Samples) == 0 {
				return nil, fmt.Errorf("%q is relative to the baseline median: it needs --compare with a run of %s (or --ab)", term, name)
			}
			out[name] = slowSpec{fixed: time.Duration(op.Summary().Median * p / 100 * float64(time.Second))}
			continue
		}
		d, err := time.ParseDuration(val)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("bad duration in %q", term)
		}
		out[name] = slowSpec{fixed: d}
	}
	return out, nil
}

// slowPrologue spins gpSlowNs nanoseconds on the server before the query:
// CPU work, like a real regression (parking the thread instead would add the
// scheduler's wake-up delay, which on a busy machine is many times the wait).
const slowPrologue = `def gpSlowEnd = System.nanoTime() + gpSlowNs; ` +
	`while (System.nanoTime() < gpSlowEnd) { Thread.onSpinWait() }; `

// benchData is the loaded dataset as query-bench knows it.
type benchData struct {
	data        *queries.Data
	fingerprint string
	describe    string // "--scale 0.01 --seed 42" or "--from DIR": the flags that load it
}

// fingerprint identifies a dataset by its generator configuration (with
// defaults applied), as the loader does for generated data: the same seed,
// scale and pattern counts give the same fingerprint whether the data came
// from the generator or from a directory it wrote.
func fingerprint(cfg banking.Config) string {
	key, _ := json.Marshal(cfg)
	sum := sha256.Sum256(key)
	return "gen:" + hex.EncodeToString(sum[:8])
}

func queryBenchData(c *cli.Context) (*benchData, error) {
	ctx := c.Context
	if dir := c.String("from"); dir != "" {
		d, err := dataset.Open(dir)
		if err != nil {
			return nil, fmt.Errorf("--from %s: %w", dir, err)
		}
		gt, err := d.GroundTruth()
		if err != nil {
			return nil, fmt.Errorf("--from %s: %w", dir, err)
		}
		g, err := banking.New(d.Manifest.Config)
		if err != nil {
			return nil, fmt.Errorf("--from %s: manifest config: %w", dir, err)
		}
		data, err := queries.Collect(ctx, gt, func(ctx context.Context, emit func(*banking.Batch) error) error {
			return d.Read(ctx, 0, emit)
		})
		if err != nil {
			return nil, fmt.Errorf("--from %s: %w", dir, err)
		}
		return &benchData{data: data, fingerprint: fingerprint(g.Config()), describe: "--from " + dir}, nil
	}
	cfg, err := genConfigFlags(c)
	if err != nil {
		return nil, err
	}
	g, err := newGenerator(cfg)
	if err != nil {
		return nil, err
	}
	describe := describeGen(cfg)
	data, err := queries.Collect(ctx, g.GroundTruth(), g.Run)
	if err != nil {
		return nil, err
	}
	return &benchData{data: data, fingerprint: fingerprint(g.Config()), describe: describe}, nil
}

func runQueryBench(c *cli.Context) (err error) {
	if c.NArg() > 0 {
		return usageErrorf("query-bench takes no arguments, got %q", c.Args().Slice())
	}
	o, err := queryBenchOptions(c)
	if err != nil {
		return err
	}
	stderr := c.App.ErrWriter
	logf := func(format string, args ...any) {
		if !o.quiet {
			fmt.Fprintf(stderr, "query-bench: "+format+"\n", args...)
		}
	}
	if p := c.String("cpuprofile"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		defer func() {
			pprof.StopCPUProfile()
			if cerr := f.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("--cpuprofile: %w", cerr)
			}
		}()
	}
	ctx := c.Context

	logf("regenerating the dataset in memory to curate parameters and check answers")
	bd, err := queryBenchData(c)
	if err != nil {
		return err
	}
	if err := o.checkDataset(bd.fingerprint); err != nil {
		return err
	}

	ccfg, err := clientConfig(c)
	if err != nil {
		return err
	}
	cctx, cancel := contextWithTimeout(c, ccfg.RequestTimeout)
	drv, err := driver.Open(cctx, o.driverName, ccfg)
	cancel()
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer drv.Close()

	if err := queries.CheckLoaded(ctx, drv, bd.data.VertexCounts()); err != nil {
		var empty *queries.EmptyGraphError
		var mm *queries.CountMismatchError
		switch {
		case errors.As(err, &empty):
			return cli.Exit(fmt.Sprintf("the graph is empty: run `graphperf load %s` first", bd.describe), exitFailure)
		case errors.As(err, &mm):
			return cli.Exit(fmt.Sprintf("%v: load it with `graphperf load %s --drop --yes`, or give query-bench the dataset flags it was loaded with", mm, bd.describe), exitFailure)
		}
		return err
	}

	// Curate, then check every parameter's answer once before timing.
	type planned struct {
		q     queries.Query
		cases []queries.Case
		// slow is the query with the test hook's wait (nil without it):
		// used for every call, or for the B half with --ab.
		slow      *queries.Query
		slowCases []queries.Case
		// slowFrac > 0 makes B's wait slowFrac × the median of the
		// parameter's recent A latencies (--ab).
		slowFrac float64
		recentA  *recentLatencies
	}
	var plan []planned
	for _, q := range o.selected {
		cs, err := q.Cases(bd.data, o.qcfg)
		var np *queries.NoParamsError
		if errors.As(err, &np) {
			logf("skipping %s: %v", q.Name, err)
			continue
		}
		if err != nil {
			return err
		}
		p := planned{q: q, cases: cs}
		if d, ok := o.slowdown[q.Name]; ok {
			sq := q
			sq.Script = slowPrologue + q.Script
			p.slow = &sq
			p.slowFrac = d.frac
			p.recentA = newRecentLatencies(len(cs))
			for _, c := range cs {
				c.Bindings = maps.Clone(c.Bindings)
				c.Bindings["gpSlowNs"] = d.fixed.Nanoseconds()
				p.slowCases = append(p.slowCases, c)
			}
			logf("test hook: %s waits %v on the server per call", q.Name, d)
			if o.abNames == nil {
				p.q, p.cases, p.slow = sq, p.slowCases, nil
			}
		}
		plan = append(plan, p)
	}
	if len(plan) == 0 {
		return cli.Exit("no query has parameters in this dataset", exitFailure)
	}
	logf("checking the answers of %d queries", len(plan))
	for _, p := range plan {
		for i, cs := range p.cases {
			start := time.Now()
			res, err := drv.Submit(ctx, p.q.Script, cs.Bindings)
			if p.recentA != nil {
				p.recentA.add(i, time.Since(start))
			}
			if err != nil {
				return fmt.Errorf("%s with %s: %w", p.q.Name, cs.Param(), err)
			}
			if err := queries.Verify(p.q, cs, res); err != nil {
				return cli.Exit(err.Error(), exitFailure)
			}
			if p.slow != nil {
				if _, err := drv.Submit(ctx, p.slow.Script, p.slowCases[i].Bindings); err != nil {
					return fmt.Errorf("%s (test hook) with %s: %w", p.q.Name, cs.Param(), err)
				}
			}
		}
	}

	run := baseline.NewRun("query-bench")
	run.Dataset = bd.fingerprint
	run.Driver = o.driverName
	if commit, err := baseline.GitCommit(ctx, ""); err == nil {
		run.Commit = commit
	}
	run.Server = serverInfo(ctx, drv, ccfg.Hosts)
	run.Settings = map[string]string{"dataset": bd.describe, "params": strconv.Itoa(o.qcfg.Params), "truncation": strconv.Itoa(o.qcfg.Truncation)}
	if s := os.Getenv(slowdownEnv); s != "" {
		run.Settings["slowdown"] = s
	}
	// With --ab the parameter list is run four times per pass (see abIndex):
	// every parameter A then B, then every parameter B then A, so that
	// neither half always runs second; samples are split afterwards.
	var ops []suite.Op
	for _, p := range plan {
		n := len(p.cases)
		params := make([]json.RawMessage, 0, 4*n)
		for _, cs := range p.cases {
			params = append(params, cs.Param())
		}
		if o.abNames != nil {
			params = params[:0]
			for i := range 4 * n {
				_, c := abIndex(i, n)
				params = append(params, p.cases[c].Param())
			}
		}
		ops = append(ops, suite.Op{Name: p.q.Name, Params: params, Call: func(ctx context.Context, i int) error {
			q, cs := p.q, p.cases
			half := 0
			if o.abNames != nil {
				half, i = abIndex(i, n)
			}
			bindings := cs[i].Bindings
			if half == 1 && p.slow != nil {
				q, cs = *p.slow, p.slowCases
				bindings = cs[i].Bindings
				if p.slowFrac > 0 {
					bindings = maps.Clone(bindings)
					bindings["gpSlowNs"] = int64(p.slowFrac * float64(p.recentA.median(i)))
				}
			}
			start := time.Now()
			res, err := drv.Submit(ctx, q.Script, bindings)
			if half == 0 && p.recentA != nil {
				p.recentA.add(i, time.Since(start))
			}
			if err != nil {
				return err
			}
			return queries.Verify(q, cs[i], res)
		}})
	}
	progress := func(op string, index, total int) {
		logf("[%d/%d] %s", index+1, total, op)
	}
	sampling := o.sampling
	if o.abNames != nil {
		sampling.MinRounds *= 2 // at least --rounds samples per half
	}
	if err := suite.Measure(ctx, sampling, run, ops, progress); err != nil {
		return fmt.Errorf("query-bench: %w", err)
	}

	if o.abNames != nil {
		a, b := splitAB(run, o.abNames[0], o.abNames[1])
		for _, r := range []*baseline.Run{a, b} {
			if _, err := baseline.Save(o.baseDir, r.Name, r); err != nil {
				return fmt.Errorf("--ab: %w", err)
			}
		}
		o.base, run = a, b
	}
	rep, err := o.compareRun(run)
	if err != nil {
		return err
	}
	if err := o.writeOutput(c.App.Writer, run, rep, nil, nil); err != nil {
		return err
	}
	if err := o.writeHTML(run, rep, logf); err != nil {
		return err
	}
	var failed []string
	for _, op := range run.Operations {
		if op.ErrorCount > 0 {
			msg := fmt.Sprintf("%s: %d failed calls", op.Name, op.ErrorCount)
			if len(op.Errors) > 0 {
				msg += " (first: " + op.Errors[0] + ")"
			}
			failed = append(failed, msg)
		}
	}
	if len(failed) > 0 {
		return cli.Exit("query-bench failed: "+strings.Join(failed, "; "), exitFailure)
	}
	if err := o.saveRun(run, logf); err != nil {
		return err
	}
	return o.regression(rep)
}

// abIndex maps index i of an --ab parameter list over n parameters (4n
// entries) to its half (0: A, 1: B) and parameter: entries 2c and 2c+1 of
// the first 2n are parameter c as A then B, those of the last 2n as B then A.
func abIndex(i, n int) (half, param int) {
	block, j := i/(2*n), i%(2*n)
	return (j % 2) ^ block, j / 2
}

// splitAB splits an --ab run (see abIndex) into two runs named a and b.
func splitAB(run *baseline.Run, a, b string) (*baseline.Run, *baseline.Run) {
	half := func(name string, parity int) *baseline.Run {
		r := *run
		r.Name = name
		r.Settings = maps.Clone(run.Settings)
		r.Settings["ab"] = fmt.Sprintf("%s of --ab %s,%s (calls alternated)", name, a, b)
		if parity == 0 {
			delete(r.Settings, "slowdown") // the test hook applies to B only
		}
		r.Operations = nil
		for _, op := range run.Operations {
			h := op
			n := len(op.Params) / 4
			h.Params, h.Samples, h.SampleParams = op.Params[:0:0], nil, nil
			for i := 0; i < 2*n; i += 2 {
				h.Params = append(h.Params, op.Params[i])
			}
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

// recentWindow is the number of recent A latencies per parameter whose
// median sizes the --ab test hook's wait.
const recentWindow = 5

// recentLatencies keeps the last recentWindow latencies of each parameter.
type recentLatencies struct {
	mu   sync.Mutex
	last [][]time.Duration
}

func newRecentLatencies(n int) *recentLatencies {
	return &recentLatencies{last: make([][]time.Duration, n)}
}

func (r *recentLatencies) add(i int, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := append(r.last[i], d)
	if len(l) > recentWindow {
		l = l[len(l)-recentWindow:]
	}
	r.last[i] = l
}

// median returns the median of parameter i's recent latencies (0 if none).
func (r *recentLatencies) median(i int) time.Duration {
	r.mu.Lock()
	l := slices.Clone(r.last[i])
	r.mu.Unlock()
	if len(l) == 0 {
		return 0
	}
	slices.Sort(l)
	return l[len(l)/2]
}
