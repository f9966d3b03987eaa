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
	"regexp"
	"slices"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/graph/client"
)

// Exit codes shared by every command.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitInterrupted = 130 // 128+SIGINT: stopped by Ctrl-C or SIGTERM
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
	err := app.RunContext(ctx, reorderArgs(app, args))
	err = flagAsTyped(err, args)
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
		err = &interruptedError{err}
	}
	return exitCode(err, stderr)
}

func newApp(stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:  "graphperf",
		Usage: "performance engineering for JanusGraph: generate, load, benchmark, mutation-test",
		Description: "graphperf talks to Gremlin Server over WebSocket, in GraphBinary by default\n" +
			"(--serializer graphson for GraphSON v3). Start a local JanusGraph with\n" +
			"`scripts/janusgraph.sh start`, then try `graphperf ping`. Flags may follow a command's\n" +
			"arguments; global flags (--hosts, --timeout, ...) go before the command.\n" +
			"Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted (Ctrl-C).",
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
			resultsCommand(),
			serveCommand(),
		},
	}
	app.OnUsageError = flagUsageError
	app.Action = func(c *cli.Context) error {
		if c.NArg() > 0 {
			return usageErrorf("unknown command %q; commands: %s (see graphperf --help)", c.Args().First(), strings.Join(commandNames(c.App.Commands), ", "))
		}
		return cli.ShowAppHelp(c)
	}
	setUsageErrorHandler(app.Commands)
	setUnknownSubcommandAction(app.Commands, "graphperf")
	return app
}

// setUnknownSubcommandAction gives every command that only groups
// subcommands (schema, ...) an action that rejects an unknown subcommand
// as a usage error listing the valid ones; urfave/cli would report it as a
// missing help topic with exit 3.
func setUnknownSubcommandAction(cmds []*cli.Command, parent string) {
	for _, cmd := range cmds {
		path := parent + " " + cmd.Name
		if len(cmd.Subcommands) > 0 && cmd.Action == nil {
			cmd.Action = func(c *cli.Context) error {
				if c.NArg() > 0 {
					return usageErrorf("%s: unknown subcommand %q; subcommands: %s (see %s --help)", path, c.Args().First(), strings.Join(commandNames(cmd.Subcommands), ", "), path)
				}
				return cli.ShowSubcommandHelp(c)
			}
		}
		setUnknownSubcommandAction(cmd.Subcommands, path)
	}
}

var undefinedFlagRE = regexp.MustCompile(`flag provided but not defined: -(\S+)`)

// flagAsTyped rewrites the flag package's "flag provided but not defined:
// -name" so that it names the flag as the user typed it (--name or -name).
func flagAsTyped(err error, args []string) error {
	var ue *usageError
	if !errors.As(err, &ue) {
		return err
	}
	m := undefinedFlagRE.FindStringSubmatchIndex(ue.msg)
	if m == nil {
		return err
	}
	name := ue.msg[m[2]:m[3]]
	typed := "-" + name
	for _, a := range args[min(1, len(args)):] {
		if a == "--" {
			break
		}
		if a == "--"+name || strings.HasPrefix(a, "--"+name+"=") {
			typed = "--" + name
			break
		}
	}
	return usageErrorf("%sunknown flag %s%s", ue.msg[:m[0]], typed, ue.msg[m[1]:])
}

func commandNames(cmds []*cli.Command) []string {
	var names []string
	for _, c := range cmds {
		if !c.Hidden && c.Name != "help" {
			names = append(names, c.Name)
		}
	}
	return names
}

// setUsageErrorHandler makes flag-parsing mistakes in every (sub)command
// usage errors (exit 2); urfave/cli only applies the app's handler to the
// global flags.
func setUsageErrorHandler(cmds []*cli.Command) {
	for _, cmd := range cmds {
		if cmd.OnUsageError == nil {
			cmd.OnUsageError = flagUsageError
		}
		setUsageErrorHandler(cmd.Subcommands)
	}
}

var (
	flagValueRE = regexp.MustCompile(`^invalid value "(.*)" for flag -([a-z0-9-]+): `)
	envValueRE  = regexp.MustCompile(`^could not parse "(.*)" as \w+ value from environment variable "(\w+)" for flag ([a-z0-9-]+)`)
)

// flagUsageError turns a flag parsing error into a usage error that names
// the flag (or environment variable), the value and what it expects.
func flagUsageError(c *cli.Context, err error, _ bool) error {
	m := flagValueRE.FindStringSubmatch(err.Error())
	if e := envValueRE.FindStringSubmatch(err.Error()); e != nil {
		return usageErrorf("$%s=%q (--%s): expected %s", e[2], e[1], e[3], flagExpects(c, e[3]))
	}
	if m == nil {
		return usageErrorf("%v", err)
	}
	return usageErrorf("--%s %q: expected %s", m[2], m[1], flagExpects(c, m[2]))
}

// flagExpects describes the values the flag named name accepts.
func flagExpects(c *cli.Context, name string) string {
	flags := c.App.Flags
	if c.Command != nil && c.Command.Name != "" {
		flags = slices.Concat(c.Command.Flags, flags)
	}
	want := "a valid value"
	for _, f := range flags {
		if !hasName(f, name) {
			continue
		}
		switch f.(type) {
		case *cli.DurationFlag:
			want = "a duration with a unit, like 30s, 1m30s or 500ms"
		case *cli.IntFlag, *cli.Int64Flag:
			want = "an integer"
		case *cli.UintFlag, *cli.Uint64Flag:
			want = "a non-negative integer"
		case *cli.Float64Flag:
			want = "a number"
		case *cli.BoolFlag:
			want = "true or false"
		}
	}
	return want
}

func hasName(f cli.Flag, name string) bool {
	for _, n := range f.Names() {
		if n == name {
			return true
		}
	}
	return false
}

// reorderArgs moves a command's flags before its arguments
// (`graphperf mutate ./banking --threshold 85` → `mutate --threshold 85
// ./banking`): urfave/cli stops reading flags at the first argument.
// Everything after "--" is left alone.
func reorderArgs(app *cli.App, args []string) []string {
	if n := len(args); n > 0 && args[n-1] == "--generate-bash-completion" {
		// Shell completion reads the last argument: leave it there.
		return append(reorderArgs(app, args[:n-1]), args[n-1])
	}
	i := 1
	for i < len(args) && strings.HasPrefix(args[i], "-") && args[i] != "--" {
		i += flagWidth(app.Flags, args[i])
	}
	if i >= len(args) {
		return args
	}
	cmds := app.Commands
	var cmd *cli.Command
	for i < len(args) {
		next := findCommand(cmds, args[i])
		if next == nil {
			break
		}
		cmd, cmds, i = next, next.Subcommands, i+1
	}
	if cmd == nil {
		return args
	}
	out := append([]string(nil), args[:i]...)
	var positional []string
	for i < len(args) {
		a := args[i]
		switch {
		case a == "--":
			positional = append(positional, args[i:]...)
			i = len(args)
		case strings.HasPrefix(a, "-") && len(a) > 1:
			w := min(flagWidth(cmd.Flags, a), len(args)-i)
			out = append(out, args[i:i+w]...)
			i += w
		default:
			positional = append(positional, a)
			i++
		}
	}
	return append(out, positional...)
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// flagWidth returns how many arguments the flag argument a takes: 2 when
// it names a flag with a value given separately, else 1.
func flagWidth(flags []cli.Flag, a string) int {
	name := strings.TrimLeft(a, "-")
	if strings.Contains(name, "=") {
		return 1
	}
	for _, f := range flags {
		if hasName(f, name) {
			if tv, ok := f.(interface{ TakesValue() bool }); ok && tv.TakesValue() {
				return 2
			}
			return 1
		}
	}
	return 1
}

// usageError marks a command-line mistake: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usageErrorf returns a usage error (exit code 2) with a formatted message
// that names the flag or value at fault and what was expected.
func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// interruptedError marks a command stopped by Ctrl-C or SIGTERM: exit 130.
type interruptedError struct{ err error }

func (e *interruptedError) Error() string { return "interrupted: " + e.err.Error() }
func (e *interruptedError) Unwrap() error { return e.err }

// exitCode prints err on stderr and returns the exit code: 2 for usage
// errors, 130 for an interrupted command, the code of a cli.ExitCoder,
// else 1.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "graphperf: usage: %v\n", err)
		return exitUsage
	}
	msg := err.Error()
	var de *client.DecodeError
	if errors.As(err, &de) && strings.HasPrefix(de.Msg, "GraphBinary:") {
		msg += " (with --serializer graphson, values of types graphperf does not know come back raw)"
	}
	var ie *interruptedError
	if errors.As(err, &ie) {
		fmt.Fprintf(stderr, "graphperf: %s\n", msg)
		return exitInterrupted
	}
	var ec cli.ExitCoder
	if errors.As(err, &ec) {
		if msg != "" {
			fmt.Fprintf(stderr, "graphperf: %s\n", msg)
		}
		return ec.ExitCode()
	}
	fmt.Fprintf(stderr, "graphperf: %s\n", msg)
	return exitFailure
}
