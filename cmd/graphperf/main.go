// Command graphperf is a performance-engineering tool for JanusGraph:
// it generates deterministic banking graphs, loads them through Gremlin
// Server, benchmarks traversals and loads against stored baselines, and
// mutation-tests Go packages.
//
// This package only parses flags, builds configurations and calls the
// packages that do the work; internal/usage gives the command line its
// behaviour (usage errors, flags after arguments), hints.go maps library
// errors to advice naming flags, and help/ holds the help texts.
package main

import (
	"context"
	"embed"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/internal/usage"
)

// Exit codes shared by every command.
const (
	exitOK          = usage.ExitOK
	exitFailure     = usage.ExitFailure
	exitUsage       = usage.ExitUsage
	exitInterrupted = usage.ExitInterrupted // stopped by Ctrl-C or SIGTERM
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the CLI with args and returns the process exit code. It is
// separate from main so that tests can drive the whole CLI in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return exitCode(usage.Run(ctx, newApp(stdout, stderr), args), stderr)
}

func newApp(stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:                 "graphperf",
		Usage:                "performance engineering for JanusGraph: generate, load, benchmark, mutation-test",
		Description:          help("graphperf"),
		Flags:                connectionFlags(),
		Writer:               stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: true,
		// --bind values may contain commas (JSON lists); --hosts splits its own.
		DisableSliceFlagSeparator: true,
		ExitErrHandler:            func(*cli.Context, error) {}, // exit codes are decided by run
		Commands: []*cli.Command{
			pingCommand(),
			gremlinCommand(),
			generateCommand(),
			schemaCommand(),
			mutateCommand(),
			loadCommand(),
			loadBenchCommand(),
			queryBenchCommand(),
			workloadCommand(),
			resultsCommand(),
			serveCommand(),
		},
	}
	usage.Install(app)
	return app
}

//go:embed help
var helpFiles embed.FS

// help returns the help text help/NAME.txt: the description --help shows.
func help(name string) string {
	b, err := helpFiles.ReadFile("help/" + name + ".txt")
	if err != nil {
		panic(err) // a missing help file is a build mistake, caught by every test
	}
	return strings.TrimSuffix(string(b), "\n")
}

// usageErrorf returns a usage error (exit code 2) with a formatted message
// that names the flag or value at fault and what was expected.
func usageErrorf(format string, args ...any) error { return usage.Errorf(format, args...) }

// exitCode prints err, with the hint of its type (see hint), on stderr and
// returns the exit code (see usage.Exit).
func exitCode(err error, stderr io.Writer) int {
	return usage.Exit(hint(err), "graphperf", stderr)
}
