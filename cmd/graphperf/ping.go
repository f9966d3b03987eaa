package main

import (
	"encoding/json"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/graph/ping"
)

// maxPingCount bounds ping --count.
const maxPingCount = 1_000_000

func pingCommand() *cli.Command {
	return &cli.Command{
		Name:        "ping",
		Usage:       "check that Gremlin Server answers, and time the round trip",
		Description: help("ping"),
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "count", Aliases: []string{"n"}, Value: 5, Usage: "round trips to time"},
			&cli.BoolFlag{Name: "json", Usage: "print the result as JSON"},
		},
		Action: runPing,
	}
}

// runPing times --count round trips of g.inject(1).
func runPing(c *cli.Context) error {
	n := c.Int("count")
	if n < 1 || n > maxPingCount {
		return usageErrorf("--count must be between 1 and %d, got %d", maxPingCount, n)
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	defer cl.Close()
	out, err := ping.Run(c.Context, cl, n)
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return writeJSON(c, out)
	}
	return out.WriteText(c.App.Writer)
}

// writeJSON prints v as indented JSON on stdout.
func writeJSON(c *cli.Context, v any) error {
	enc := json.NewEncoder(c.App.Writer)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
