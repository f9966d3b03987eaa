package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/loader"
)

// exitInterrupted is the exit code of a load stopped by Ctrl-C (128+SIGINT).
const exitInterrupted = 130

func loadCommand() *cli.Command {
	def := banking.DefaultPatterns()
	flags := []cli.Flag{
		&cli.Float64Flag{Name: "scale", Value: 0.01, Usage: "generate and load this size (0.01 ≈ 6.4k vertices / 62k edges); exclusive with --from"},
		&cli.Uint64Flag{Name: "seed", Value: 42, Usage: "generator seed (with --scale)"},
		&cli.StringFlag{Name: "from", Usage: "load the dataset `DIR` written by `graphperf generate` (checked against its manifest)"},
		&cli.IntFlag{Name: "workers", Value: loader.DefaultWorkers, Usage: "batches in flight (the server runs gremlinPool of them at once)"},
		&cli.IntFlag{Name: "batch-size", Value: loader.DefaultBatchSize, Usage: "elements per batch (batches are also cut by bytes under the request limit)"},
		&cli.StringFlag{Name: "state", Usage: "journal `DIR` for --resume (default: DIR/.load-state with --from, else .graphperf/load-seedN-scaleS)"},
		&cli.BoolFlag{Name: "resume", Usage: "continue the load recorded in the journal: nothing is lost or loaded twice"},
		&cli.BoolFlag{Name: "drop", Usage: "empty the graph of banking data first (its vertices, edges and load records; mutation results and the schema stay); requires --yes"},
		&cli.BoolFlag{Name: "yes", Usage: "confirm --drop"},
		&cli.BoolFlag{Name: "verify", Usage: "after loading, compare per-label counts, every ground-truth pattern edge and a sample of properties with the data; fail on any difference"},
		&cli.BoolFlag{Name: "json", Usage: "print the report as JSON"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar"},
		&cli.StringFlag{Name: "cpuprofile", Usage: "write a CPU profile (pprof) of the load to `FILE`"},
		&cli.StringFlag{Name: "memprofile", Usage: "write a heap profile (pprof) to `FILE` at the end"},
	}
	for _, pf := range patternFlags(&def) {
		flags = append(flags, &cli.IntFlag{Name: pf.name, Value: *pf.field, Usage: "number of injected " + pf.usage + " (with --scale)"})
	}
	return &cli.Command{
		Name:  "load",
		Usage: "load a generated banking graph into JanusGraph, fast and resumable",
		Description: "Applies the schema, then loads vertices, then edges, in batches: one constant script per\n" +
			"element kind with the batch in one list binding, --workers batches in flight. A journal records\n" +
			"every committed batch (fsynced); after a crash, Ctrl-C or a server restart, --resume finishes the\n" +
			"load with nothing lost or duplicated (batches whose outcome is unknown are checked in the graph\n" +
			"before being sent again). Progress goes to stderr, the report to stdout.\n\n" +
			"   graphperf load --scale 0.01 --verify\n" +
			"   graphperf load --from data/sf001 --workers 4 --batch-size 500 --drop --yes --json\n" +
			"   graphperf load --from data/sf001 --resume --verify",
		Flags:  flags,
		Action: runLoad,
	}
}

// loadSettings are the validated load flags.
type loadSettings struct {
	from     string
	gen      banking.Config
	cfg      loader.Config
	drop     bool
	verify   bool
	jsonOut  bool
	quiet    bool
	cpuprof  string
	memprof  string
	clientOK client.Config
}

func loadFlags(c *cli.Context) (*loadSettings, error) {
	if c.NArg() > 0 {
		return nil, usageErrorf("%s takes no arguments, got %q", c.Command.Name, c.Args().Slice())
	}
	s := &loadSettings{from: c.String("from"), drop: c.Bool("drop"), verify: c.Bool("verify"),
		jsonOut: c.Bool("json"), quiet: c.Bool("quiet"), cpuprof: c.String("cpuprofile"), memprof: c.String("memprofile")}
	if s.from != "" && (c.IsSet("scale") || c.IsSet("seed")) {
		return nil, usageErrorf("--from and --scale/--seed are exclusive: load a directory or generate, not both")
	}
	if s.drop && !c.Bool("yes") {
		return nil, usageErrorf("--drop deletes every vertex and edge of the graph: add --yes to confirm")
	}
	if s.drop && c.Bool("resume") {
		return nil, usageErrorf("--drop and --resume are exclusive: --drop starts over, --resume continues")
	}
	if s.from == "" {
		s.gen = banking.Config{Seed: c.Uint64("seed"), Scale: c.Float64("scale"), Workers: runtime.NumCPU()}
		if !(s.gen.Scale > 0) || s.gen.Scale > 1000 {
			return nil, usageErrorf("--scale must be > 0 and ≤ 1000, got %v", s.gen.Scale)
		}
		for _, pf := range patternFlags(&s.gen.Patterns) {
			v := c.Int(pf.name)
			if v < 0 {
				return nil, usageErrorf("--%s must be ≥ 0, got %d", pf.name, v)
			}
			*pf.field = v
		}
	}
	cc, err := clientConfig(c)
	if err != nil {
		return nil, err
	}
	s.clientOK = cc
	s.cfg = loader.Config{Workers: c.Int("workers"), BatchSize: c.Int("batch-size"), Resume: c.Bool("resume"),
		Reset: s.drop, StateDir: c.String("state"), MaxRequestBytes: cc.MaxRequestBytes}
	if s.cfg.MaxRequestBytes == 0 {
		s.cfg.MaxRequestBytes = client.DefaultMaxRequestBytes
	}
	if s.cfg.Workers < 1 {
		return nil, usageErrorf("--workers must be ≥ 1, got %d", s.cfg.Workers)
	}
	if s.cfg.BatchSize < 1 {
		return nil, usageErrorf("--batch-size must be ≥ 1, got %d", s.cfg.BatchSize)
	}
	if limit := loader.MaxBatchSize(s.cfg.MaxRequestBytes); s.cfg.BatchSize > limit {
		return nil, usageErrorf("--batch-size %d cannot fit under the request limit of %d bytes (the server's maxContentLength): at most %d elements per batch",
			s.cfg.BatchSize, s.cfg.MaxRequestBytes, limit)
	}
	if s.cfg.StateDir == "" {
		if s.from != "" {
			s.cfg.StateDir = filepath.Join(s.from, ".load-state")
		} else {
			s.cfg.StateDir = filepath.Join(".graphperf", "load-seed"+strconv.FormatUint(s.gen.Seed, 10)+"-scale"+strconv.FormatFloat(s.gen.Scale, 'g', -1, 64))
		}
	}
	return s, nil
}

// loadSource opens the dataset (verifying every file against the
// manifest) or prepares the generator.
func loadSource(ctx context.Context, s *loadSettings) (*loader.Source, error) {
	if s.from == "" {
		src, err := loader.GeneratorSource(ctx, s.gen)
		if err != nil {
			var ce *banking.ConfigError
			if errors.As(err, &ce) || errors.Is(err, banking.ErrTooManyPatterns) {
				return nil, usageErrorf("%v", err)
			}
			return nil, err
		}
		return src, nil
	}
	d, err := dataset.Open(s.from)
	if err != nil {
		return nil, err
	}
	if err := d.Verify(ctx); err != nil {
		return nil, err
	}
	return loader.DatasetSource(d)
}

// loadProgressBar returns a progress callback drawing a bar on stderr
// (elements/s and ETA), or nil when stderr is not a terminal or --quiet.
func loadProgressBar(c *cli.Context, quiet bool, total int64) (func(loader.Progress), func()) {
	if quiet || !isTerminal(c.App.ErrWriter) {
		return nil, func() {}
	}
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(c.App.ErrWriter),
		progressbar.OptionSetDescription("loading"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("elements"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish())
	return func(p loader.Progress) {
			bar.Describe("loading " + p.Phase)
			_ = bar.Set64(p.Done)
		}, func() {
			_ = bar.Finish()
		}
}

func runLoad(c *cli.Context) (err error) {
	s, err := loadFlags(c)
	if err != nil {
		return err
	}
	ctx := c.Context
	stderr := c.App.ErrWriter
	// A dataset is checked against its manifest first (no server needed);
	// the generator's counting pass runs once the server answered.
	var src *loader.Source
	if s.from != "" {
		if src, err = loadSource(ctx, s); err != nil {
			return err
		}
	}
	cl, err := newClientFromConfig(c, s.clientOK)
	if err != nil {
		return err
	}
	defer cl.Close()
	if src == nil {
		if src, err = loadSource(ctx, s); err != nil {
			return err
		}
	}
	stop, err := startProfiles(s.cpuprof, s.memprof)
	if err != nil {
		return err
	}
	defer func() {
		if perr := stop(); err == nil {
			err = perr
		}
	}()
	if s.drop {
		n, err := loader.Drop(ctx, cl, 0)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "graphperf: load: dropped %d vertices (and their edges)\n", n)
	}
	if err := applySchema(ctx, cl); err != nil {
		return err
	}
	s.cfg.Log = func(msg string) { fmt.Fprintf(stderr, "graphperf: load: %s\n", msg) }
	progress, finish := loadProgressBar(c, s.quiet, src.Total())
	s.cfg.Progress = progress
	l, err := loader.New(cl, s.cfg)
	if err != nil {
		var be *loader.BatchSizeError
		if errors.As(err, &be) {
			return usageErrorf("%v", err)
		}
		return err
	}
	rep, lerr := l.Load(ctx, src)
	finish()
	if lerr != nil {
		var ie *loader.InterruptedError
		if errors.As(lerr, &ie) {
			return cli.Exit(lerr.Error()+" (--resume)", exitInterrupted)
		}
		lerr = loadHint(lerr)
		if rep != nil && !s.jsonOut {
			fmt.Fprintf(stderr, "graphperf: load stopped after %d vertices and %d edges; the journal %s is consistent: fix the cause and run again with --resume\n",
				rep.Vertices+rep.SkippedVertices, rep.Edges+rep.SkippedEdges, filepath.Join(s.cfg.StateDir, loader.JournalFile))
		}
		return lerr
	}
	var vrep *loader.VerifyReport
	var verr error
	if s.verify {
		vrep, verr = loader.Verify(ctx, cl, src, rep.Sample)
		if vrep == nil && verr != nil {
			return verr
		}
	}
	out := c.App.Writer
	if s.jsonOut {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Load   *loader.Report       `json:"load"`
			Verify *loader.VerifyReport `json:"verify,omitempty"`
		}{rep, vrep}); err != nil {
			return err
		}
	} else {
		if err := rep.WriteText(out); err != nil {
			return err
		}
		if vrep != nil {
			if err := vrep.WriteText(out); err != nil {
				return err
			}
		}
	}
	return verr
}

// applySchema creates what the live schema lacks (graph/schema), so that
// loading never depends on automatic schema creation.
func applySchema(ctx context.Context, cl *client.Client) error {
	_, err := schema.Apply(ctx, cl, loader.Schema(), schema.Options{})
	return err
}

// loadHint adds the flags that resolve a refused load to the library's error.
func loadHint(err error) error {
	var (
		ae *loader.AlreadyLoadedError
		de *loader.DatasetMismatchError
		je *loader.JournalExistsError
		ne *loader.NoJournalError
		me *loader.JournalMismatchError
		ie *loader.InconsistentError
	)
	switch {
	case errors.As(err, &ae) && ae.State.Complete():
		return fmt.Errorf("%w (check it with --resume --verify, or start over with --drop --yes)", err)
	case errors.As(err, &ae):
		return fmt.Errorf("%w: add --resume (any --state works: batches the journal does not know are checked in the graph), or start over with --drop --yes", err)
	case errors.As(err, &de):
		return fmt.Errorf("%w: empty it with --drop --yes (mutation results stay)", err)
	case errors.As(err, &je):
		return fmt.Errorf("%w: pass --resume to continue it, or --drop --yes to start over", err)
	case errors.As(err, &ne):
		return fmt.Errorf("%w (check --state, or load without --resume)", err)
	case errors.As(err, &me):
		return fmt.Errorf("%w: use the same data and --batch-size, or start over with --drop --yes", err)
	case errors.As(err, &ie):
		return fmt.Errorf("%w (to start over: --drop --yes)", err)
	}
	return err
}
