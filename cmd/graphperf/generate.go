package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/dataset"
)

// patternFlags maps each pattern-count flag to its field.
func patternFlags(p *banking.PatternCounts) []struct {
	name  string
	usage string
	field *int
} {
	return []struct {
		name  string
		usage string
		field *int
	}{
		{"cycles", "transfer cycles of length 3–6", &p.TransferCycles},
		{"mule-chains", "mule chains ending in a card withdraw", &p.MuleChains},
		{"structuring", "structuring groups (deposits just under 10,000 within 24 h)", &p.Structuring},
		{"fraud-rings", "fraud rings sharing an address and a medium", &p.FraudRings},
		{"blocked-medium-chains", "blocked-medium sign-ins upstream of transfer chains", &p.BlockedMediumChains},
		{"fan-in-withdraws", "fan-in then withdraw patterns", &p.FanInWithdraws},
		{"guarantee-chains", "guarantee chains with loans", &p.GuaranteeChains},
	}
}

func generateCommand() *cli.Command {
	def := banking.DefaultPatterns()
	flags := []cli.Flag{
		&cli.Float64Flag{Name: "scale", Value: 0.01, Usage: "size factor: 0.01 ≈ 6.4k vertices / 62k edges, 1 ≈ 640k / 6.1M (FinBench-like)"},
		&cli.Uint64Flag{Name: "seed", Value: 42, Usage: "random seed: the same seed and flags give byte-identical files"},
		&cli.StringFlag{Name: "out", Usage: "output `DIR` (required; created if missing; must be empty unless --force)"},
		&cli.StringFlag{Name: "format", Value: "jsonl", Usage: "data file format: " + strings.Join(dataset.Formats(), " or ")},
		&cli.IntFlag{Name: "workers", Value: 0, Usage: "generating goroutines (0: one per CPU); does not change the output"},
		&cli.BoolFlag{Name: "force", Usage: "write into a non-empty directory, replacing files of the same names"},
		&cli.StringFlag{Name: "locale", Value: "en", Usage: "faker locale: " + strings.Join(banking.Locales(), ", ")},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar"},
		&cli.StringFlag{Name: "cpuprofile", Usage: "write a CPU profile (pprof) to `FILE`"},
		&cli.StringFlag{Name: "memprofile", Usage: "write a heap profile (pprof) to `FILE` at the end"},
	}
	for _, pf := range patternFlags(&def) {
		flags = append(flags, &cli.IntFlag{Name: pf.name, Value: *pf.field, Usage: "number of injected " + pf.usage})
	}
	return &cli.Command{
		Name:  "generate",
		Usage: "generate a deterministic synthetic banking graph into a directory",
		Description: "Writes one file per vertex label and per edge label (Person.jsonl, transfer.jsonl, ...),\n" +
			"ground-truth.json (every injected fraud/AML pattern instance) and manifest.json (counts, seed,\n" +
			"config and the sha256 of every file). Files are written under temporary names and renamed\n" +
			"when complete; the manifest comes last. Example:\n\n" +
			"   graphperf generate --scale 0.01 --seed 42 --out data/sf001\n" +
			"   graphperf generate --scale 1 --format csv --out /tmp/sf1 --cpuprofile profiles/generate-cpu.pprof",
		Flags:  flags,
		Action: runGenerate,
	}
}

func generateConfig(c *cli.Context) (banking.Config, dataset.Format, error) {
	cfg := banking.Config{Seed: c.Uint64("seed"), Scale: c.Float64("scale"), Locale: c.String("locale"), Workers: c.Int("workers")}
	if !(cfg.Scale > 0) || cfg.Scale > 1000 {
		return cfg, "", usageErrorf("--scale must be > 0 and ≤ 1000, got %v", cfg.Scale)
	}
	format, err := dataset.ParseFormat(c.String("format"))
	if err != nil {
		return cfg, "", usageErrorf("--format must be one of %s, got %q", strings.Join(dataset.Formats(), ", "), c.String("format"))
	}
	if !slices.Contains(banking.Locales(), cfg.Locale) {
		return cfg, "", usageErrorf("--locale must be one of %s, got %q", strings.Join(banking.Locales(), ", "), cfg.Locale)
	}
	if cfg.Workers < 0 {
		return cfg, "", usageErrorf("--workers must be ≥ 0 (0: one per CPU), got %d", cfg.Workers)
	}
	if cfg.Workers == 0 {
		cfg.Workers = runtime.NumCPU()
	}
	for _, pf := range patternFlags(&cfg.Patterns) {
		v := c.Int(pf.name)
		if v < 0 {
			return cfg, "", usageErrorf("--%s must be ≥ 0, got %d", pf.name, v)
		}
		*pf.field = v
	}
	return cfg, format, nil
}

func runGenerate(c *cli.Context) (err error) {
	if c.NArg() > 0 {
		return usageErrorf("generate takes no arguments, got %q", c.Args().Slice())
	}
	if c.String("out") == "" {
		return usageErrorf("--out DIR is required: the directory to write the dataset into")
	}
	cfg, format, err := generateConfig(c)
	if err != nil {
		return err
	}
	stopProfiles, err := startProfiles(c.String("cpuprofile"), c.String("memprofile"))
	if err != nil {
		return err
	}
	defer func() {
		if perr := stopProfiles(); err == nil {
			err = perr
		}
	}()
	g, err := banking.New(cfg)
	if err != nil {
		var ce *banking.ConfigError
		switch {
		case errors.As(err, &ce):
			return usageErrorf("%v", err)
		case errors.Is(err, banking.ErrTooManyPatterns):
			return usageErrorf("%v: lower the pattern counts (--cycles, --mule-chains, ...) or raise --scale", err)
		}
		return err
	}
	stderr := c.App.ErrWriter
	var bar *progressbar.ProgressBar
	if !c.Bool("quiet") && isTerminal(stderr) {
		bar = progressbar.NewOptions(g.Batches(),
			progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription("generating"),
			progressbar.OptionShowCount(),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish())
	}
	out := c.String("out")
	start := time.Now()
	m, err := dataset.Write(c.Context, out, g, dataset.WriteOptions{Format: format, Force: c.Bool("force"),
		Progress: func(done, total, _ int) {
			if bar != nil {
				bar.Set(done)
			}
		}})
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		var ne *dataset.NotEmptyError
		if errors.As(err, &ne) {
			return usageErrorf("--out %s is not empty: pass --force to overwrite", out)
		}
		return err
	}
	elapsed := time.Since(start)
	total := m.Vertices + m.Edges
	fmt.Fprintf(c.App.Writer, "wrote %d vertices and %d edges (%d files, %s) to %s in %.2fs: %.0f elements/s\n",
		m.Vertices, m.Edges, len(m.Files), format, out, elapsed.Seconds(), float64(total)/elapsed.Seconds())
	return nil
}

// isTerminal reports whether w is a terminal, so that progress bars never
// corrupt logs or pipes.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
