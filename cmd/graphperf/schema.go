package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/loader"
)

func schemaCommand() *cli.Command {
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
					&cli.BoolFlag{Name: "json", Usage: "print the result as JSON"},
				},
				Action: runSchemaApply,
			},
			{
				Name:  "show",
				Usage: "print the live schema and its differences from the declared one",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "json", Usage: "print the result as JSON"},
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
	var me *schema.MismatchError
	if err != nil && !errors.As(err, &me) {
		return err
	}
	w := c.App.Writer
	if c.Bool("json") {
		if jerr := schemaWriteJSON(w, r); jerr != nil {
			return jerr
		}
		return err
	}
	return errors.Join(r.WriteText(w), err)
}

func runSchemaShow(c *cli.Context) error {
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	defer cl.Close()
	want := loader.Schema()
	live, err := schema.Show(c.Context, cl)
	if err != nil {
		return err
	}
	diffs := schema.Diff(want, live)
	extra := schema.Extra(want, live)
	w := c.App.Writer
	if c.Bool("json") {
		if err := schemaWriteJSON(w, map[string]any{"live": live, "differences": diffs, "extra": extra}); err != nil {
			return err
		}
	} else {
		if err := live.WriteText(w); err != nil {
			return err
		}
		if len(extra) > 0 {
			fmt.Fprintf(w, "\nnot declared (%d): created by other data or tools\n", len(extra))
			for _, e := range extra {
				fmt.Fprintln(w, "  "+e)
			}
		}
		if len(diffs) == 0 {
			fmt.Fprintln(w, "\nno differences from the declared schema")
		} else {
			fmt.Fprintf(w, "\n%d differences from the declared schema (run `graphperf schema apply`):\n", len(diffs))
			for _, d := range diffs {
				fmt.Fprintln(w, "  "+d.String())
			}
		}
	}
	if c.Bool("check") && len(diffs) > 0 {
		return cli.Exit(fmt.Sprintf("schema differs from the declaration in %d places", len(diffs)), exitFailure)
	}
	return nil
}

func schemaWriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
