package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/loader"
)

func schemaCommand() *cli.Command {
	jsonFlag := func() cli.Flag { return &cli.BoolFlag{Name: "json", Usage: "print the result as JSON"} }
	return &cli.Command{
		Name:        "schema",
		Usage:       "apply or show the banking graph schema (labels, property keys, indexes)",
		Description: help("schema"),
		Subcommands: []*cli.Command{
			{
				Name:  "apply",
				Usage: "create whatever the live schema lacks and wait until every declared index is ENABLED",
				Flags: []cli.Flag{
					&cli.DurationFlag{Name: "index-timeout", Value: 2 * time.Minute, Usage: "how long to wait for each index to become ENABLED"},
					jsonFlag(),
				},
				Action: runSchemaApply,
			},
			{
				Name:  "show",
				Usage: "print the live schema and its differences from the declared one",
				Flags: []cli.Flag{
					jsonFlag(),
					&cli.BoolFlag{Name: "check", Usage: "exit 1 when the live schema differs from the declaration"},
				},
				Action: runSchemaShow,
			},
		},
	}
}

func runSchemaApply(c *cli.Context) error {
	if d := c.Duration("index-timeout"); d <= 0 {
		return usageErrorf("--index-timeout must be > 0, got %v", d)
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	defer cl.Close()
	r, err := schema.Apply(c.Context, cl, loader.Schema(), schema.Options{IndexTimeout: c.Duration("index-timeout")})
	if err != nil && !errors.As(err, new(*schema.MismatchError)) {
		return err
	}
	if c.Bool("json") {
		return errors.Join(writeJSON(c, r), err)
	}
	return errors.Join(r.WriteText(c.App.Writer), err)
}

func runSchemaShow(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	defer cl.Close()
	cmp, err := schema.Compare(c.Context, cl, loader.Schema())
	if err != nil {
		return err
	}
	if c.Bool("json") {
		err = writeJSON(c, cmp)
	} else {
		err = cmp.WriteText(c.App.Writer, "run `graphperf schema apply`")
	}
	if n := len(cmp.Differences); err == nil && c.Bool("check") && n > 0 {
		return cli.Exit(fmt.Sprintf("schema differs from the declaration in %d places", n), exitFailure)
	}
	return err
}
