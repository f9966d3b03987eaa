package usage_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/internal/usage"
)

// testApp has the shapes usage cares about: a global flag with a value,
// a command taking arguments with a subcommand, one taking none, a group.
func testApp(ran *[]string) *cli.App {
	act := func(c *cli.Context) error { *ran = append(*ran, c.Command.Name); return nil }
	app := &cli.App{
		Name:      "prog",
		Writer:    io.Discard,
		ErrWriter: io.Discard,
		Flags:     []cli.Flag{&cli.StringFlag{Name: "hosts"}},
		Commands: []*cli.Command{
			{Name: "mutate", ArgsUsage: "PACKAGES", Action: act,
				Flags: []cli.Flag{&cli.Float64Flag{Name: "threshold"}, &cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}}},
				Subcommands: []*cli.Command{{Name: "merge", ArgsUsage: "FILES", Action: act,
					Flags: []cli.Flag{&cli.Float64Flag{Name: "threshold"}}}}},
			{Name: "gremlin", ArgsUsage: "SCRIPT", Action: act,
				Flags: []cli.Flag{&cli.StringSliceFlag{Name: "bind"}, &cli.BoolFlag{Name: "json"}}},
			{Name: "load", Action: act, Flags: []cli.Flag{&cli.Float64Flag{Name: "scale"}, &cli.DurationFlag{Name: "wait"}}},
			{Name: "schema", Subcommands: []*cli.Command{{Name: "apply", Action: act}, {Name: "show", Action: act}}},
		},
		ExitErrHandler: func(*cli.Context, error) {},
	}
	usage.Install(app)
	return app
}

func TestReorder(t *testing.T) {
	app := testApp(new([]string))
	tests := []struct{ in, want string }{
		{"mutate ./banking --threshold 85", "mutate --threshold 85 ./banking"},
		{"mutate ./banking --threshold=85 -q ./loader", "mutate --threshold=85 -q ./banking ./loader"},
		{"mutate merge a.json --threshold 90 b.json", "mutate merge --threshold 90 a.json b.json"},
		{"--hosts h:1 gremlin g.V() --bind n=1 --json", "--hosts h:1 gremlin --bind n=1 --json g.V()"},
		{"gremlin --json -- --not-a-flag", "gremlin --json -- --not-a-flag"},
		{"load --scale 0.01", "load --scale 0.01"},
		{"mutate ./x -q --generate-bash-completion", "mutate -q ./x --generate-bash-completion"},
		{"nosuch a --b", "nosuch a --b"},
		{"--hosts", "--hosts"},
	}
	for _, tt := range tests {
		got := usage.Reorder(app, append([]string{"prog"}, strings.Fields(tt.in)...))
		if want := append([]string{"prog"}, strings.Fields(tt.want)...); !slices.Equal(got, want) {
			t.Errorf("Reorder(%q) = %q, want %q", tt.in, got, want)
		}
	}
}

// Every mistake is an *Error naming what is wrong; correct command lines run.
func TestInstall(t *testing.T) {
	tests := []struct {
		args string
		want string // "" for success
		ran  string
	}{
		{"nosuch", `unknown command "nosuch"; commands: mutate, gremlin, load, schema (see prog --help)`, ""},
		{"schema nosuch", `prog schema: unknown subcommand "nosuch"; subcommands: apply, show (see prog schema --help)`, ""},
		{"schema apply extra-arg", `schema apply takes no arguments, got ["extra-arg"]`, ""},
		{"load a b", `load takes no arguments, got ["a" "b"]`, ""},
		{"load --scale big", `--scale "big": expected a number`, ""},
		{"load --wait 5", `--wait "5": expected a duration with a unit`, ""},
		{"load --nosuch", "unknown flag --nosuch", ""},
		{"load -nosuch", "unknown flag -nosuch", ""},
		{"schema apply", "", "apply"},
		{"mutate ./a ./b", "", "mutate"},
		{"mutate merge a.json", "", "merge"},
		{"load --scale 1", "", "load"},
	}
	for _, tt := range tests {
		var ran []string
		app := testApp(&ran)
		args := append([]string{"prog"}, strings.Fields(tt.args)...)
		err := usage.AsTyped(app.Run(usage.Reorder(app, args)), args)
		var ue *usage.Error
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.args, err)
		case tt.want == "" && !slices.Equal(ran, []string{tt.ran}):
			t.Errorf("%s: ran %q, want %q", tt.args, ran, tt.ran)
		case tt.want != "" && (!errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v (%T), want a usage error with %q", tt.args, err, err, tt.want)
		case tt.want != "" && len(ran) > 0:
			t.Errorf("%s: ran %q despite the mistake", tt.args, ran)
		}
	}
}

func TestEnvValue(t *testing.T) {
	t.Setenv("PROG_WAIT", "5")
	app := testApp(new([]string))
	app.Commands[2].Flags[1].(*cli.DurationFlag).EnvVars = []string{"PROG_WAIT"}
	err := app.Run([]string{"prog", "load"})
	if err == nil || !strings.Contains(err.Error(), `$PROG_WAIT="5" (--wait): expected a duration`) {
		t.Errorf("err = %v", err)
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"data/sf-001_x.y:1,a=b": "data/sf-001_x.y:1,a=b",
		"":                      "''",
		"my dir":                "'my dir'",
		"it's":                  `'it'\''s'`,
		"$HOME":                 "'$HOME'",
	} {
		if got := usage.Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestExit(t *testing.T) {
	tests := []struct {
		err  error
		code int
		out  string
	}{
		{nil, usage.ExitOK, ""},
		{usage.Errorf("--n %q: expected an integer", "x"), usage.ExitUsage, "prog: usage: --n \"x\": expected an integer\n"},
		{&usage.InterruptedError{Err: context.Canceled}, usage.ExitInterrupted, "prog: interrupted: context canceled\n"},
		{cli.Exit("custom", 3), 3, "prog: custom\n"},
		// A non-zero exit always says why.
		{cli.Exit("", 4), 4, "prog: failed with an error that has no message (*cli.exitError)\n"},
		{cli.Exit("done?", 0), usage.ExitFailure, "prog: done?\n"},
		{errors.New(""), usage.ExitFailure, "prog: failed with an error that has no message (*errors.errorString)\n"},
		{fmt.Errorf("%w", errors.New(" \n")), usage.ExitFailure, "prog: failed with an error that has no message (*fmt.wrapError)\n"},
		{&usage.InterruptedError{Err: errors.New("")}, usage.ExitInterrupted, "prog: interrupted: \n"},
		{errors.New("boom"), usage.ExitFailure, "prog: boom\n"},
		{context.Canceled, usage.ExitFailure, "prog: context canceled\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		if code := usage.Exit(tt.err, "prog", &b); code != tt.code || b.String() != tt.out {
			t.Errorf("Exit(%v) = %d, %q; want %d, %q", tt.err, code, b.String(), tt.code, tt.out)
		}
	}
}

// A command failing because its context was cancelled is interrupted; the
// same error without a cancelled context is not.
func TestRunInterrupted(t *testing.T) {
	app := testApp(new([]string))
	app.Commands[2].Action = func(c *cli.Context) error { return c.Context.Err() }
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := usage.Run(ctx, app, []string{"prog", "load"}); !errors.As(err, new(*usage.InterruptedError)) {
		t.Errorf("cancelled: %v, want an *InterruptedError", err)
	}
	app.Commands[2].Action = func(*cli.Context) error { return context.Canceled }
	if err := usage.Run(context.Background(), app, []string{"prog", "load"}); errors.As(err, new(*usage.InterruptedError)) || !errors.Is(err, context.Canceled) {
		t.Errorf("not cancelled: %v, want context.Canceled alone", err)
	}
}

func TestArgs(t *testing.T) {
	var got []string
	app := &cli.App{
		Name: "prog",
		Flags: []cli.Flag{&cli.StringSliceFlag{Name: "hosts"}, &cli.DurationFlag{Name: "timeout"}, &cli.StringFlag{Name: "dir"},
			&cli.BoolFlag{Name: "tls"}, &cli.BoolFlag{Name: "off"}, &cli.StringFlag{Name: "unset"}},
		Action: func(c *cli.Context) error {
			got = usage.Args(c, "hosts", "timeout", "dir", "unset", "off", "tls")
			return nil
		},
	}
	args := []string{"prog", "--tls", "--off=false", "--dir", "my dir", "--timeout", "90s", "--hosts", "a:1", "--hosts", "b:2"}
	if err := app.Run(args); err != nil {
		t.Fatal(err)
	}
	want := []string{"--hosts", "a:1,b:2", "--timeout", "1m30s", "--dir", "'my dir'", "--tls"}
	if !slices.Equal(got, want) {
		t.Errorf("Args = %q, want %q", got, want)
	}
}
