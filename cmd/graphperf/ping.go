package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/graph/ping"
)

// contextWithTimeout is context.WithTimeout on the command's context.
func contextWithTimeout(c *cli.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Context, d)
}

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
		enc := json.NewEncoder(c.App.Writer)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintf(c.App.Writer, "%v reachable: %d round trips, min %v, median %v, max %v\n",
		out.Hosts, n, out.Min.Round(time.Microsecond), out.Median.Round(time.Microsecond), out.Max.Round(time.Microsecond))
	return nil
}
