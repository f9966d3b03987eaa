package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/loader"
)

func loadCommand() *cli.Command {
	flags := append(sourceFlags(true),
		&cli.IntFlag{Name: "workers", Value: loader.DefaultWorkers, Usage: fmt.Sprintf("batches in flight, 1 to %d (the server runs gremlinPool of them at once)", loader.MaxWorkers)},
		&cli.IntFlag{Name: "batch-size", Value: loader.DefaultBatchSize, Usage: "elements per batch (batches are also cut by bytes under the request limit)"},
		&cli.StringFlag{Name: "state", Usage: "journal `DIR` for --resume (default: DIR/.load-state with --from, else .graphperf/load-seedN-scaleS)"},
		&cli.BoolFlag{Name: "resume", Usage: "continue the load recorded in the journal (same data and --batch-size): nothing is lost or loaded twice"},
		&cli.BoolFlag{Name: "drop", Usage: "empty the graph of banking data first (its vertices, edges and load records; mutation results and the schema stay) and start a new journal; requires --yes"},
		&cli.BoolFlag{Name: "yes", Usage: "confirm --drop"},
		&cli.BoolFlag{Name: "verify", Usage: "after loading, compare per-label counts, every ground-truth pattern edge and a sample of properties with the data; fail on any difference"},
		&cli.BoolFlag{Name: "json", Usage: "print the report as JSON"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar"},
		&cli.StringFlag{Name: "cpuprofile", Usage: "write a CPU profile (pprof) of the load to `FILE`"},
		&cli.StringFlag{Name: "memprofile", Usage: "write a heap profile (pprof) to `FILE` at the end"},
	)
	return &cli.Command{
		Name:  "load",
		Usage: "load a generated banking graph into JanusGraph, fast and resumable",
		Description: "Applies the schema, then loads vertices, then edges, in batches: one constant script per\n" +
			"element kind with the batch in one list binding, --workers batches in flight. A journal records\n" +
			"every committed batch (fsynced); after a crash, Ctrl-C (exit 130) or a server restart, --resume\n" +
			"finishes the load with nothing lost or duplicated (batches whose outcome is unknown are checked\n" +
			"in the graph before being sent again); on failure the exact command to resume is printed.\n" +
			"The same data generated (--scale/--seed) or read from a directory (--from) is one dataset: a\n" +
			"load journalled one way resumes the other. Every flag and path (--state, profiles) is checked\n" +
			"before the graph is touched. Progress goes to stderr, the report to stdout.\n\n" +
			"   graphperf load --scale 0.01 --verify\n" +
			"   graphperf load --from data/sf001 --workers 4 --batch-size 500 --drop --yes --json\n" +
			"   graphperf load --from data/sf001 --resume --verify",
		Flags:  flags,
		Action: runLoad,
	}
}

// loadOptions are the validated load flags.
type loadOptions struct {
	src              dataset.Source
	cfg              loader.Config
	client           client.Config
	drop, verify     bool
	cpuprof, memprof string
	// loading is set once the loader starts (after --drop and the
	// schema): before that nothing is journalled, so --resume is no advice.
	loading bool
}

func loadFlags(c *cli.Context) (*loadOptions, error) {
	if c.NArg() > 0 {
		return nil, usageErrorf("load takes no arguments, got %q", c.Args().Slice())
	}
	src, err := readSource(c)
	if err != nil {
		return nil, err
	}
	s := &loadOptions{src: src, drop: c.Bool("drop"), verify: c.Bool("verify"), cpuprof: c.String("cpuprofile"), memprof: c.String("memprofile")}
	if s.drop && !c.Bool("yes") {
		return nil, usageErrorf("--drop deletes every vertex and edge of the graph: add --yes to confirm")
	}
	if s.drop && c.Bool("resume") {
		return nil, usageErrorf("--drop and --resume are exclusive: --drop starts over, --resume continues")
	}
	if s.client, err = clientConfig(c); err != nil {
		return nil, err
	}
	s.cfg = loader.Config{Workers: c.Int("workers"), BatchSize: c.Int("batch-size"), Resume: c.Bool("resume"),
		Reset: s.drop, StateDir: c.String("state"), MaxRequestBytes: cmp(s.client.MaxRequestBytes, client.DefaultMaxRequestBytes)}
	if s.cfg.Workers < 1 || s.cfg.Workers > loader.MaxWorkers {
		return nil, usageErrorf("--workers must be between 1 and %d, got %d", loader.MaxWorkers, s.cfg.Workers)
	}
	if s.cfg.BatchSize < 1 {
		return nil, usageErrorf("--batch-size must be ≥ 1, got %d", s.cfg.BatchSize)
	}
	if limit := loader.MaxBatchSize(s.cfg.MaxRequestBytes); s.cfg.BatchSize > limit {
		return nil, usageErrorf("--batch-size %d cannot fit under the request limit of %d bytes (the server's maxContentLength): at most %d elements per batch",
			s.cfg.BatchSize, s.cfg.MaxRequestBytes, limit)
	}
	if s.cfg.StateDir == "" {
		s.cfg.StateDir = defaultStateDir(src)
	}
	for _, f := range [][2]string{{"cpuprofile", s.cpuprof}, {"memprofile", s.memprof}} {
		if err := checkFileFlag(f[0], f[1]); err != nil {
			return nil, err
		}
	}
	return s, checkDirFlag("state", s.cfg.StateDir)
}

func cmp(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// defaultStateDir is the journal directory of a load without --state.
func defaultStateDir(src dataset.Source) string {
	if src.Dir != "" {
		return filepath.Join(src.Dir, ".load-state")
	}
	return filepath.Join(".graphperf", "load-seed"+strconv.FormatUint(src.Config.Seed, 10)+"-scale"+strconv.FormatFloat(src.Config.Scale, 'g', -1, 64))
}

func runLoad(c *cli.Context) (err error) {
	s, err := loadFlags(c)
	if err != nil {
		return err
	}
	ctx := c.Context
	// The data is opened and a directory checked against its manifest
	// before connecting; nothing touches the graph before every check.
	d, err := openSource(ctx, s.src)
	if err != nil {
		return err
	}
	if err := d.Verify(ctx); err != nil {
		return fromError(s.src.Dir, err)
	}
	cl, err := newClientFromConfig(c, s.client)
	if err != nil {
		return err
	}
	defer cl.Close()
	src, err := loader.FromData(ctx, d)
	if err != nil {
		return err
	}
	stderr := c.App.ErrWriter
	s.cfg.Log = func(msg string) { fmt.Fprintf(stderr, "graphperf: load: %s\n", msg) }
	progress, finish := progressBar(c, "loading", src.Total())
	s.cfg.Progress = func(p loader.Progress) { progress(p.Done, p.Phase) }
	l, err := loader.New(cl, s.cfg)
	if err != nil {
		return err
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
	rep, err := loadGraph(ctx, c, s, cl, l, src)
	finish()
	if err != nil {
		return loadHint(c, s, err)
	}
	return loadReport(c, s, cl, src, rep)
}

// loadGraph drops (with --drop), applies the schema and loads.
func loadGraph(ctx context.Context, c *cli.Context, s *loadOptions, cl *client.Client, l *loader.Loader, src *loader.Source) (*loader.Report, error) {
	if s.drop {
		n, err := loader.Drop(ctx, cl, 0)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(c.App.ErrWriter, "graphperf: load: dropped %d vertices (and their edges)\n", n)
	}
	if _, err := schema.Apply(ctx, cl, loader.Schema(), schema.Options{}); err != nil {
		return nil, err
	}
	s.loading = true
	return l.Load(ctx, src)
}

// loadHint adds to a failed load the command that continues or restarts
// it, as the user typed it.
func loadHint(c *cli.Context, s *loadOptions, err error) error {
	var (
		already  *loader.AlreadyLoadedError
		other    *loader.DatasetMismatchError
		exists   *loader.JournalExistsError
		none     *loader.NoJournalError
		mismatch *loader.JournalMismatchError
		incons   *loader.InconsistentError
		bse      *loader.BatchSizeError
		rerun    = func(extra ...string) string { return rerunCommand(c, loadRerunArgs(c, s, extra...)) }
	)
	switch {
	case errors.As(err, &bse):
		return usageErrorf("--batch-size: %v", err)
	case errors.As(err, &already) && already.State.Complete():
		return fmt.Errorf("%w\n  check it:     %s\n  start over:   %s", err, rerun("--resume", "--verify"), rerun("--drop", "--yes"))
	case errors.As(err, &already):
		return fmt.Errorf("%w\n  continue it (any --state works: batches the journal does not know are checked in the graph):\n    %s\n  start over:   %s", err, rerun("--resume"), rerun("--drop", "--yes"))
	case errors.As(err, &other):
		return fmt.Errorf("%w\n  empty the graph of banking data (mutation results stay): %s", err, rerun("--drop", "--yes"))
	case errors.As(err, &exists):
		return fmt.Errorf("%w\n  continue it:  %s\n  start over:   %s", err, rerun("--resume"), rerun("--drop", "--yes"))
	case errors.As(err, &none):
		return usageErrorf("%v: check --state, or load without --resume", err)
	case errors.As(err, &mismatch), errors.As(err, &incons):
		return fmt.Errorf("%w\n  start over:   %s", err, rerun("--drop", "--yes"))
	}
	if !s.loading {
		// Stopped while dropping or applying the schema: no batch was
		// sent and no journal written; the same command starts again.
		var same []string
		if s.drop {
			same = append(same, "--drop", "--yes")
		}
		if s.cfg.Resume {
			same = append(same, "--resume")
		}
		if s.verify {
			same = append(same, "--verify")
		}
		return fmt.Errorf("%w\n  nothing was loaded; run the same command again:\n    %s", err, rerun(same...))
	}
	var ie *loader.InterruptedError
	if errors.As(err, &ie) || errors.Is(err, context.Canceled) {
		return fmt.Errorf("%w\n  finish it:    %s", err, rerun("--resume"))
	}
	return fmt.Errorf("%w\n  the journal in %s is consistent: fix the cause, then continue with\n    %s", err, s.cfg.StateDir, rerun("--resume"))
}

// loadRerunArgs returns the load arguments that select the same data,
// journal and batching, plus extra.
func loadRerunArgs(c *cli.Context, s *loadOptions, extra ...string) []string {
	args := []string{"load"}
	args = append(args, strings.Fields(describeSource(s.src))...)
	args = append(args, "--state", shellQuote(s.cfg.StateDir))
	if c.IsSet("batch-size") {
		args = append(args, "--batch-size", strconv.Itoa(s.cfg.BatchSize))
	}
	return append(args, extra...)
}

// rerunCommand returns a command line running args with the global
// connection flags of this run (never the password).
func rerunCommand(c *cli.Context, args []string) string {
	cmd := []string{"graphperf"}
	for _, name := range []string{"hosts", "serializer", "timeout", "tls-ca", "username"} {
		if c.IsSet(name) {
			v := c.String(name)
			if name == "hosts" {
				v = strings.Join(c.StringSlice(name), ",")
			} else if name == "timeout" {
				v = c.Duration(name).String()
			}
			cmd = append(cmd, "--"+name, shellQuote(v))
		}
	}
	if c.Bool("tls") {
		cmd = append(cmd, "--tls")
	}
	return strings.Join(append(cmd, args...), " ")
}

// loadReport verifies (with --verify) and prints the report.
func loadReport(c *cli.Context, s *loadOptions, cl *client.Client, src *loader.Source, rep *loader.Report) error {
	var vrep *loader.VerifyReport
	var verr error
	if s.verify {
		if vrep, verr = loader.Verify(c.Context, cl, src, rep.Sample); vrep == nil && verr != nil {
			return verr
		}
	}
	out := c.App.Writer
	if c.Bool("json") {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Load   *loader.Report       `json:"load"`
			Verify *loader.VerifyReport `json:"verify,omitempty"`
			Hosts  []client.HostStats   `json:"hosts,omitempty"`
		}{rep, vrep, hostsOf(cl).stats()}); err != nil {
			return err
		}
		return verr
	}
	if err := rep.WriteText(out); err != nil {
		return err
	}
	if err := hostsOf(cl).write(out); err != nil {
		return err
	}
	if vrep != nil {
		if err := vrep.WriteText(out); err != nil {
			return err
		}
	}
	return verr
}
