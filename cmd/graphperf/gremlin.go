package main

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/graph/gremlintext"
)

func gremlinCommand() *cli.Command {
	return &cli.Command{
		Name:        "gremlin",
		Usage:       "evaluate a Gremlin script with typed bindings and print the results",
		ArgsUsage:   "SCRIPT",
		Description: help("gremlin"),
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "bind", Aliases: []string{"b"}, Usage: "binding `NAME=VALUE` (repeatable)"},
			&cli.BoolFlag{Name: "json", Usage: "print the results as a JSON array"},
		},
		Action: runGremlin,
	}
}

// runGremlin evaluates SCRIPT with the --bind bindings and prints the results.
func runGremlin(c *cli.Context) error {
	if c.NArg() != 1 {
		return usageErrorf("gremlin expects exactly one SCRIPT argument, got %d (quote the script)", c.NArg())
	}
	script := c.Args().First()
	if strings.TrimSpace(script) == "" {
		return usageErrorf("gremlin: SCRIPT is empty")
	}
	bindings, err := gremlintext.ParseBindings(c.StringSlice("bind"))
	if err != nil {
		return usageErrorf("--bind %v", err)
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	defer cl.Close()
	res, err := cl.Submit(c.Context, script, bindings)
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return gremlintext.WriteJSON(c.App.Writer, res)
	}
	return gremlintext.WriteText(c.App.Writer, res)
}
