// Package usage gives a urfave/cli application the command-line
// behaviour its users expect: every mistake on the command line is an
// [*Error] (exit code 2) that names the flag, the value and what was
// expected; flags may follow a command's arguments; an unknown command or
// subcommand lists the valid ones; a command that takes no arguments
// refuses them.
//
// It knows nothing of any one program: the program declares its commands
// (a command that takes arguments says so in ArgsUsage), calls [Install]
// once, and runs the app on [Reorder]ed arguments.
package usage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// Exit codes of [Exit].
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2   // an *Error
	ExitInterrupted = 130 // 128+SIGINT: an *InterruptedError
)

// Run runs app with args (as os.Args) the way a program should: flags
// may follow arguments ([Reorder]), an unknown flag is named as typed
// ([AsTyped]), and a command that failed because ctx was cancelled (by
// Ctrl-C or SIGTERM) fails with an *InterruptedError. Give its error to
// [Exit].
func Run(ctx context.Context, app *cli.App, args []string) error {
	err := AsTyped(app.RunContext(ctx, Reorder(app, args)), args)
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return &InterruptedError{Err: err}
	}
	return err
}

// InterruptedError is a command stopped by a signal: exit code 130.
type InterruptedError struct{ Err error }

// Error says the command was interrupted, and where.
func (e *InterruptedError) Error() string { return "interrupted: " + e.Err.Error() }

// Unwrap returns the command's error.
func (e *InterruptedError) Unwrap() error { return e.Err }

// Exit prints err on w as one "prog: ..." line ("prog: usage: ..." for an
// *Error) and returns the exit code: [ExitOK] for nil, [ExitUsage] for an
// *Error, [ExitInterrupted] for an *InterruptedError, the code of a
// cli.ExitCoder, else [ExitFailure]. A non-zero exit always prints a
// reason: an error with an empty message is named by its type.
func Exit(err error, prog string, w io.Writer) int {
	if err == nil {
		return ExitOK
	}
	msg := err.Error()
	if strings.TrimSpace(msg) == "" {
		msg = fmt.Sprintf("failed with an error that has no message (%T)", err)
	}
	var ec cli.ExitCoder
	code := ExitFailure
	switch {
	case errors.As(err, new(*Error)):
		msg, code = "usage: "+msg, ExitUsage
	case errors.As(err, new(*InterruptedError)):
		code = ExitInterrupted
	case errors.As(err, &ec):
		code = ec.ExitCode()
		if code == ExitOK {
			code = ExitFailure // an error is a failure, whatever its code says
		}
	}
	fmt.Fprintf(w, "%s: %s\n", prog, msg)
	return code
}

// Error is a command-line mistake: the program should exit with code 2.
type Error struct{ Msg string }

// Error returns the message, which names the flag or value at fault.
func (e *Error) Error() string { return e.Msg }

// Errorf returns an *Error with a formatted message that names the flag or
// value at fault and what was expected.
func Errorf(format string, args ...any) error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

// Install sets, on app and every (sub)command, the handlers that turn
// mistakes into *Error values:
//   - flag parsing errors name the flag (or environment variable), the
//     value and what the flag expects;
//   - an unknown command or subcommand lists the valid ones;
//   - a command whose ArgsUsage is empty refuses positional arguments.
func Install(app *cli.App) {
	app.OnUsageError = flagError
	app.Action = func(c *cli.Context) error {
		if c.NArg() > 0 {
			return Errorf("unknown command %q; commands: %s (see %s --help)", c.Args().First(), strings.Join(names(c.App.Commands), ", "), app.Name)
		}
		return cli.ShowAppHelp(c)
	}
	install(app.Commands, app.Name, "")
}

func install(cmds []*cli.Command, prog, parent string) {
	for _, cmd := range cmds {
		path := strings.TrimSpace(parent + " " + cmd.Name)
		if cmd.OnUsageError == nil {
			cmd.OnUsageError = flagError
		}
		switch action := cmd.Action; {
		case len(cmd.Subcommands) > 0 && action == nil:
			cmd.Action = func(c *cli.Context) error {
				if c.NArg() > 0 {
					return Errorf("%s %s: unknown subcommand %q; subcommands: %s (see %s %s --help)", prog, path, c.Args().First(), strings.Join(names(cmd.Subcommands), ", "), prog, path)
				}
				return cli.ShowSubcommandHelp(c)
			}
		case cmd.ArgsUsage == "" && action != nil:
			cmd.Action = func(c *cli.Context) error {
				if c.NArg() > 0 {
					return Errorf("%s takes no arguments, got %q", path, c.Args().Slice())
				}
				return action(c)
			}
		}
		install(cmd.Subcommands, prog, path)
	}
}

func names(cmds []*cli.Command) []string {
	var s []string
	for _, c := range cmds {
		if !c.Hidden && c.Name != "help" {
			s = append(s, c.Name)
		}
	}
	return s
}

var (
	undefinedRE = regexp.MustCompile(`flag provided but not defined: -(\S+)`)
	flagValueRE = regexp.MustCompile(`^invalid value "(.*)" for flag -([a-z0-9-]+): `)
	envValueRE  = regexp.MustCompile(`^could not parse "(.*)" as \w+ value from environment variable "(\w+)" for flag ([a-z0-9-]+)`)
)

// AsTyped rewrites the flag package's "flag provided but not defined:
// -name" in an *Error so that it names the flag as the user typed it in
// args (--name or -name). Other errors are returned as they are.
func AsTyped(err error, args []string) error {
	var ue *Error
	if !errors.As(err, &ue) {
		return err
	}
	m := undefinedRE.FindStringSubmatchIndex(ue.Msg)
	if m == nil {
		return err
	}
	name := ue.Msg[m[2]:m[3]]
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
	return Errorf("%sunknown flag %s%s", ue.Msg[:m[0]], typed, ue.Msg[m[1]:])
}

// flagError turns a flag parsing error into an *Error that names the flag
// (or environment variable), the value and what it expects.
func flagError(c *cli.Context, err error, _ bool) error {
	if e := envValueRE.FindStringSubmatch(err.Error()); e != nil {
		return Errorf("$%s=%q (--%s): expected %s", e[2], e[1], e[3], expects(c, e[3]))
	}
	m := flagValueRE.FindStringSubmatch(err.Error())
	if m == nil {
		return Errorf("%v", err)
	}
	return Errorf("--%s %q: expected %s", m[2], m[1], expects(c, m[2]))
}

// expects describes the values the flag named name accepts.
func expects(c *cli.Context, name string) string {
	flags := c.App.Flags
	if c.Command != nil && c.Command.Name != "" {
		flags = slices.Concat(c.Command.Flags, flags)
	}
	want := "a valid value"
	for _, f := range flags {
		if !slices.Contains(f.Names(), name) {
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

// Reorder moves a command's flags before its arguments (`prog cmd ARG
// --flag V` → `prog cmd --flag V ARG`): urfave/cli stops reading flags at
// the first argument. Everything after "--" is left alone, and so is a
// trailing --generate-bash-completion.
func Reorder(app *cli.App, args []string) []string {
	if n := len(args); n > 0 && args[n-1] == "--generate-bash-completion" {
		return append(Reorder(app, args[:n-1]), args[n-1])
	}
	i := 1
	for i < len(args) && strings.HasPrefix(args[i], "-") && args[i] != "--" {
		i += width(app.Flags, args[i])
	}
	cmds := app.Commands
	var cmd *cli.Command
	for i < len(args) {
		next := find(cmds, args[i])
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
		switch a := args[i]; {
		case a == "--":
			positional = append(positional, args[i:]...)
			i = len(args)
		case strings.HasPrefix(a, "-") && len(a) > 1:
			w := min(width(cmd.Flags, a), len(args)-i)
			out = append(out, args[i:i+w]...)
			i += w
		default:
			positional = append(positional, a)
			i++
		}
	}
	return append(out, positional...)
}

func find(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// width returns how many arguments the flag argument a takes: 2 when it
// names a flag with a value given separately, else 1.
func width(flags []cli.Flag, a string) int {
	name := strings.TrimLeft(a, "-")
	if strings.Contains(name, "=") {
		return 1
	}
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			if tv, ok := f.(interface{ TakesValue() bool }); ok && tv.TakesValue() {
				return 2
			}
			return 1
		}
	}
	return 1
}

// Quote quotes s for a POSIX shell when it needs it, so that a printed
// command line can be pasted.
func Quote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/.-_:,=", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Args returns the arguments that set the named flags again as c has
// them, in the order given, leaving out those not set: "--name VALUE"
// with VALUE [Quote]d (a list joined by commas), "--name" for a true bool.
func Args(c *cli.Context, names ...string) []string {
	var args []string
	for _, name := range names {
		if !c.IsSet(name) {
			continue
		}
		switch v := c.Value(name).(type) {
		case bool:
			if v {
				args = append(args, "--"+name)
			}
		case cli.StringSlice:
			args = append(args, "--"+name, Quote(strings.Join(v.Value(), ",")))
		default:
			args = append(args, "--"+name, Quote(fmt.Sprint(v)))
		}
	}
	return args
}
