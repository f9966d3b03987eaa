package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/internal/usage"
	"github.com/graphperf/graphperf/loader"
)

func loadCommand() *cli.Command {
	return &cli.Command{
		Name:        "load",
		Usage:       "load a generated banking graph into JanusGraph, fast and resumable",
		Description: help("load"),
		Flags: append(sourceFlags(true),
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
		),
		Action: runLoad,
	}
}

// loadOptions are the validated load flags.
type loadOptions struct {
	src              dataset.Source
	job              loader.Job
	client           client.Config
	cpuprof, memprof string
}

func loadFlags(c *cli.Context) (*loadOptions, error) {
	src, err := readSource(c)
	if err != nil {
		return nil, err
	}
	s := &loadOptions{src: src, cpuprof: c.String("cpuprofile"), memprof: c.String("memprofile")}
	switch {
	case c.Bool("drop") && !c.Bool("yes"):
		return nil, usageErrorf("--drop deletes every vertex and edge of the graph: add --yes to confirm")
	case c.Bool("drop") && c.Bool("resume"):
		return nil, usageErrorf("--drop and --resume are exclusive: --drop starts over, --resume continues")
	}
	if s.client, err = clientConfig(c); err != nil {
		return nil, err
	}
	cfg := loader.Config{Workers: c.Int("workers"), BatchSize: c.Int("batch-size"), Resume: c.Bool("resume"), Reset: c.Bool("drop"),
		StateDir: cmp.Or(c.String("state"), loader.DefaultStateDir(src)), MaxRequestBytes: cmp.Or(s.client.MaxRequestBytes, client.DefaultMaxRequestBytes)}
	s.job = loader.Job{Config: cfg, Drop: cfg.Reset, Verify: c.Bool("verify")}
	switch limit := loader.MaxBatchSize(cfg.MaxRequestBytes); {
	case cfg.Workers < 1 || cfg.Workers > loader.MaxWorkers:
		return nil, usageErrorf("--workers must be between 1 and %d, got %d", loader.MaxWorkers, cfg.Workers)
	case cfg.BatchSize < 1:
		return nil, usageErrorf("--batch-size must be ≥ 1, got %d", cfg.BatchSize)
	case cfg.BatchSize > limit:
		return nil, usageErrorf("--batch-size %d cannot fit under the request limit of %d bytes (the server's maxContentLength): at most %d elements per batch",
			cfg.BatchSize, cfg.MaxRequestBytes, limit)
	}
	return s, firstError(checkFileFlag("cpuprofile", s.cpuprof), checkFileFlag("memprofile", s.memprof), checkDirFlag("state", cfg.StateDir))
}

func runLoad(c *cli.Context) (err error) {
	s, err := loadFlags(c)
	if err != nil {
		return err
	}
	// The data is opened and a directory checked against its manifest
	// before connecting; nothing touches the graph before every check.
	d, err := openData(c, s.src, nil)
	if err != nil {
		return err
	}
	cl, err := newClientFromConfig(c, s.client)
	if err != nil {
		return err
	}
	defer cl.Close()
	src, err := loader.FromData(c.Context, d)
	if err != nil {
		return err
	}
	stderr := c.App.ErrWriter
	progress, finish := progressBar(c, "loading", src.Total())
	s.job.Config.Log = func(msg string) { fmt.Fprintf(stderr, "graphperf: load: %s\n", msg) }
	s.job.Config.Progress = func(p loader.Progress) { progress(p.Done, p.Phase) }
	s.job.Dropped = func(n int64) { fmt.Fprintf(stderr, "graphperf: load: dropped %d vertices (and their edges)\n", n) }
	stop, err := startProfiles(s.cpuprof, s.memprof)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, stop()) }()
	out, err := s.job.Run(c.Context, cl, src)
	finish()
	if out == nil {
		return loadHint(c, s, err)
	}
	if errors.As(err, new(*loader.StateError)) {
		// Every batch is committed: only the graph's record is missing.
		err = fmt.Errorf("%w; `%s` records it", err, rerunCommand(c, loadRerunArgs(c, s, "--resume")))
	}
	out.Hosts = hostsOf(cl).stats()
	if c.Bool("json") {
		return errors.Join(writeJSON(c, out), err)
	}
	return errors.Join(out.WriteText(c.App.Writer), hostsOf(cl).write(c.App.Writer), err)
}

// loadHint adds to a failed load the command that continues or restarts
// it, as the user typed it.
func loadHint(c *cli.Context, s *loadOptions, err error) error {
	rerun := func(extra ...string) string { return rerunCommand(c, loadRerunArgs(c, s, extra...)) }
	var already *loader.AlreadyLoadedError
	var setup *loader.SetupError
	switch {
	case errors.As(err, new(*loader.BatchSizeError)):
		return usageErrorf("--batch-size: %v", err)
	case errors.As(err, &already) && already.State.Complete():
		return fmt.Errorf("%w\n  check it:     %s\n  start over:   %s", err, rerun("--resume", "--verify"), rerun("--drop", "--yes"))
	case errors.As(err, &already):
		return fmt.Errorf("%w\n  continue it (any --state works: batches the journal does not know are checked in the graph):\n    %s\n  start over:   %s", err, rerun("--resume"), rerun("--drop", "--yes"))
	case errors.As(err, new(*loader.DatasetMismatchError)):
		return fmt.Errorf("%w\n  empty the graph of banking data (mutation results stay): %s", err, rerun("--drop", "--yes"))
	case errors.As(err, new(*loader.JournalExistsError)):
		return fmt.Errorf("%w\n  continue it:  %s\n  start over:   %s", err, rerun("--resume"), rerun("--drop", "--yes"))
	case errors.As(err, new(*loader.NoJournalError)):
		return usageErrorf("%v: check --state, or load without --resume", err)
	case errors.As(err, new(*loader.JournalMismatchError)), errors.As(err, new(*loader.InconsistentError)):
		return fmt.Errorf("%w\n  start over:   %s", err, rerun("--drop", "--yes"))
	case errors.As(err, &setup) && setup.Step == "drop":
		// Dropping is idempotent: the same command finishes it, then loads.
		return fmt.Errorf("%w\n  the graph was partly dropped (%d vertices so far); run the same command again to finish dropping and load:\n    %s",
			err, setup.Dropped, rerun(sameFlags(c)...))
	case errors.As(err, &setup):
		// No batch was sent and no journal written: the same command
		// starts again.
		return fmt.Errorf("%w\n  nothing was loaded; run the same command again:\n    %s", err, rerun(sameFlags(c)...))
	case errors.As(err, new(*loader.InterruptedError)) || errors.Is(err, context.Canceled):
		return fmt.Errorf("%w\n  finish it:    %s", err, rerun("--resume"))
	}
	return fmt.Errorf("%w\n  the journal in %s is consistent: fix the cause, then continue with\n    %s", err, s.job.Config.StateDir, rerun("--resume"))
}

// sameFlags returns the load flags that make a rerun do what this run was
// asked to do (drop, resume, verify).
func sameFlags(c *cli.Context) []string {
	var same []string
	for _, f := range [][]string{{"drop", "--drop", "--yes"}, {"resume", "--resume"}, {"verify", "--verify"}} {
		if c.Bool(f[0]) {
			same = append(same, f[1:]...)
		}
	}
	return same
}

// loadRerunArgs returns the load arguments that select the same data,
// journal and batching, plus extra.
func loadRerunArgs(c *cli.Context, s *loadOptions, extra ...string) []string {
	args := append([]string{"load"}, strings.Fields(describeSource(s.src))...)
	args = append(args, "--state", usage.Quote(s.job.Config.StateDir))
	if c.IsSet("batch-size") {
		args = append(args, "--batch-size", strconv.Itoa(s.job.Config.BatchSize))
	}
	return append(args, extra...)
}

// rerunCommand returns a command line running args with the global
// connection flags of this run (never the password).
func rerunCommand(c *cli.Context, args []string) string {
	cmd := append([]string{"graphperf"}, usage.Args(c, "hosts", "serializer", "timeout", "tls-ca", "username", "tls")...)
	return strings.Join(append(cmd, args...), " ")
}
