package main

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/internal/progress"
)

func generateCommand() *cli.Command {
	flags := append(sourceFlags(false),
		&cli.StringFlag{Name: "out", Usage: "output `DIR` (required; created if missing; must be empty unless --force)"},
		&cli.StringFlag{Name: "format", Value: "jsonl", Usage: "data file format: " + strings.Join(dataset.Formats(), " or ")},
		&cli.IntFlag{Name: "workers", Value: 0, Usage: fmt.Sprintf("generating goroutines, at most %d (0: one per CPU); does not change the output", banking.MaxWorkers)},
		&cli.BoolFlag{Name: "force", Usage: "write into a non-empty directory, replacing files of the same names"},
		&cli.BoolFlag{Name: "no-space-check", Usage: "generate even when the estimated disk space or memory exceeds what is free"},
		&cli.StringFlag{Name: "locale", Value: "en", Usage: "faker locale: " + strings.Join(banking.Locales(), ", ")},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar"},
		&cli.StringFlag{Name: "cpuprofile", Usage: "write a CPU profile (pprof) to `FILE`"},
		&cli.StringFlag{Name: "memprofile", Usage: "write a heap profile (pprof) to `FILE` at the end"},
	)
	return &cli.Command{
		Name:        "generate",
		Usage:       "generate a deterministic synthetic banking graph into a directory",
		Description: help("generate"),
		Flags:       flags,
		Action:      runGenerate,
	}
}

// generateSettings are the validated generate flags.
type generateSettings struct {
	cfg    banking.Config
	format dataset.Format
	out    string
}

func generateFlags(c *cli.Context) (*generateSettings, error) {
	s := &generateSettings{out: c.String("out")}
	if s.out == "" {
		return nil, usageErrorf("--out DIR is required: the directory to write the dataset into")
	}
	src, err := readSource(c)
	if err != nil {
		return nil, err
	}
	s.cfg = src.Config
	s.cfg.Locale, s.cfg.Workers = c.String("locale"), c.Int("workers")
	if s.format, err = dataset.ParseFormat(c.String("format")); err != nil {
		return nil, usageErrorf("--format must be one of %s, got %q", strings.Join(dataset.Formats(), ", "), c.String("format"))
	}
	if !slices.Contains(banking.Locales(), s.cfg.Locale) {
		return nil, usageErrorf("--locale must be one of %s, got %q", strings.Join(banking.Locales(), ", "), s.cfg.Locale)
	}
	if s.cfg.Workers < 0 || s.cfg.Workers > banking.MaxWorkers {
		return nil, usageErrorf("--workers must be between 0 (one per CPU) and %d, got %d", banking.MaxWorkers, s.cfg.Workers)
	}
	if s.cfg.Workers == 0 {
		s.cfg.Workers = runtime.NumCPU()
	}
	if err := firstError(checkFileFlag("cpuprofile", c.String("cpuprofile")), checkFileFlag("memprofile", c.String("memprofile")), checkDirFlag("out", s.out)); err != nil {
		return nil, err
	}
	if !c.Bool("no-space-check") {
		var re *dataset.ResourceError
		if err := dataset.EstimateWrite(s.cfg, s.format).Check(s.out); errors.As(err, &re) {
			return nil, usageErrorf("--scale %g: %v (pass --no-space-check to try anyway)", s.cfg.Scale, err)
		}
	}
	return s, nil
}

func runGenerate(c *cli.Context) (err error) {
	s, err := generateFlags(c)
	if err != nil {
		return err
	}
	d, err := dataset.Source{Config: s.cfg}.Open(c.Context)
	if err != nil {
		return err
	}
	stop, err := startProfiles(c.String("cpuprofile"), c.String("memprofile"))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, stop()) }()
	progress, finish := progressBar(c, "generating", int64(d.Generator.Batches()))
	start := time.Now()
	m, err := dataset.Write(c.Context, s.out, d.Generator, dataset.WriteOptions{Format: s.format, Force: c.Bool("force"),
		Progress: func(done, _, _ int) { progress(int64(done), "") }})
	finish()
	if err != nil {
		return err // a non-empty --out without --force: see hint
	}
	_, err = fmt.Fprintln(c.App.Writer, m.Summary(s.out, time.Since(start)))
	return err
}

// progressBar draws a bar of total steps on stderr (see package
// progress): nothing with --quiet or when stderr is not a terminal.
func progressBar(c *cli.Context, what string, total int64) (func(done int64, phase string), func()) {
	return progress.Bar(c.App.ErrWriter, what, total, c.Bool("quiet"))
}
