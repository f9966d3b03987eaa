package main

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/graph/gremlintext"
)

func gremlinCommand() *cli.Command {
	return &cli.Command{
		Name:      "gremlin",
		Usage:     "evaluate a Gremlin script with typed bindings and print the results",
		ArgsUsage: "SCRIPT",
		Description: "Sends SCRIPT to Gremlin Server with its --bind values as bindings (never\n" +
			"formatted into the script). Binding values are typed:\n" +
			"   42 → Int64   4.2 → Double   true/false → Boolean   null → null\n" +
			"   \"text\" → String (quotes removed)   [1,\"a\"] / {\"k\":1} → List / Map (JSON)\n" +
			"   anything else → String as written\n" +
			"In GraphBinary (the default) a result of a type graphperf does not know fails its request;\n" +
			"`graphperf --serializer graphson gremlin ...` returns such values raw instead.\n\n" +
			"   graphperf gremlin 'g.V().count()'\n" +
			"   graphperf gremlin --bind id=42 \"g.V().has('Account','accountId',id).valueMap()\"\n" +
			"   graphperf gremlin --json --bind n=3 'g.V().limit(n).elementMap()'",
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
