// Command graphperf is a performance-engineering tool for JanusGraph:
// it generates deterministic banking graphs, loads them through Gremlin
// Server, benchmarks traversals and loads against stored baselines, and
// mutation-tests Go packages.
//
// This package only parses flags, builds configurations and calls the
// packages that do the work.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"
)

// Exit codes shared by every command.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
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
	app := newApp(stdout, stderr)
	err := app.RunContext(ctx, args)
	return exitCode(err, stderr)
}

func newApp(stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:  "graphperf",
		Usage: "performance engineering for JanusGraph: generate, load, benchmark, mutation-test",
		Description: "graphperf talks to Gremlin Server over WebSocket (GraphSON v3).\n" +
			"Start a local JanusGraph with `scripts/janusgraph.sh start`, then try `graphperf ping`.",
		Flags:                connectionFlags(),
		Writer:               stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: true,
		// --bind values may contain commas (JSON lists); --hosts splits its own.
		DisableSliceFlagSeparator: true,
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageErrorf("%v", err)
		},
		ExitErrHandler: func(*cli.Context, error) {}, // exit codes are decided by run
		Commands: []*cli.Command{
			pingCommand(),
			gremlinCommand(),
			generateCommand(),
			schemaCommand(),
			mutateCommand(),
			loadCommand(),
			loadBenchCommand(),
			queryBenchCommand(),
		},
	}
	setUsageErrorHandler(app.Commands)
	return app
}

// setUsageErrorHandler makes flag-parsing mistakes in every (sub)command
// usage errors (exit 2); urfave/cli only applies the app's handler to the
// global flags.
func setUsageErrorHandler(cmds []*cli.Command) {
	for _, cmd := range cmds {
		if cmd.OnUsageError == nil {
			cmd.OnUsageError = func(_ *cli.Context, err error, _ bool) error {
				return usageErrorf("%v", err)
			}
		}
		setUsageErrorHandler(cmd.Subcommands)
	}
}

// usageError marks a command-line mistake: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usageErrorf returns a usage error (exit code 2) with a formatted message
// that names the flag or value at fault and what was expected.
func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "graphperf: usage: %v\n", err)
		return exitUsage
	}
	var ec cli.ExitCoder
	if errors.As(err, &ec) {
		if msg := err.Error(); msg != "" {
			fmt.Fprintf(stderr, "graphperf: %v\n", msg)
		}
		return ec.ExitCode()
	}
	fmt.Fprintf(stderr, "graphperf: %v\n", err)
	return exitFailure
}
