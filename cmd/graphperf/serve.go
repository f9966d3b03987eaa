package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/internal/usage"
	"github.com/graphperf/graphperf/results"
	"github.com/graphperf/graphperf/results/web"
)

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "serve the results graph in a browser (runs, compare, trends, mutation) with a JSON API",
		Description: "A read-only HTTP server over the results graph: runs list, run pages with\n" +
			"latency plots, comparisons by the bench/compare rule, an operation's trend along\n" +
			"a branch with the suspected commit of a regression, mutation score trends; the\n" +
			"same data as JSON under /api. See docs/serve.md.\n\n" +
			"   graphperf serve\n" +
			"   graphperf --hosts 10.0.0.5:8182 serve --listen 0.0.0.0:8080 --token \"$TOKEN\"",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "listen", Value: web.DefaultListen, Usage: "`ADDR` to serve on (HOST:PORT)"},
			&cli.StringFlag{Name: "token", EnvVars: []string{"GRAPHPERF_SERVE_TOKEN"}, Usage: "require \"Authorization: Bearer `TOKEN`\" on every request (prefer the env variable)"},
			&cli.StringSliceFlag{Name: "results-hosts", EnvVars: []string{"GRAPHPERF_RESULTS_HOSTS"}, Usage: "the results graph's Gremlin Server `HOST:PORT`s, comma-separated (default: --hosts)"},
		},
		Action: runServe,
	}
}

// runServe serves until Ctrl-C. The results graph is connected lazily, so
// serve starts (and shows "unreachable" pages) while the graph is down.
func runServe(c *cli.Context) error {
	cfg, err := clientConfig(c)
	if err != nil {
		return err
	}
	if c.IsSet("results-hosts") {
		if cfg.Hosts = client.SplitHosts(c.StringSlice("results-hosts")); len(cfg.Hosts) == 0 {
			return usageErrorf("--results-hosts is empty: give HOST:PORT or leave the flag out")
		}
		var he *client.HostError
		if err := cfg.Validate(); errors.As(err, &he) {
			return usageErrorf("--results-hosts %s: %s", he.Host, he.Problem)
		}
	}
	ln, err := web.Listen(c.String("listen"))
	if err != nil {
		return usageErrorf("--listen: %v", err)
	}
	var cl *client.Client
	src := &web.Lazy{Open: func(ctx context.Context) (web.Source, error) {
		var err error
		if cl, err = client.New(ctx, cfg); err != nil {
			return nil, err
		}
		return results.New(cl), nil
	}}
	defer func() {
		if cl != nil {
			cl.Close()
		}
	}()
	graph := strings.Join(cfg.Hosts, ",")
	h, err := web.New(src, web.Config{Token: c.String("token"), Graph: graph, Timeout: cfg.RequestTimeout, Log: log.New(c.App.ErrWriter, "graphperf serve: ", log.LstdFlags),
		EmptyHint: "Store runs with `graphperf query-bench --store-graph` or `graphperf load-bench --store-graph`, or import saved ones with `graphperf results import DIR`."})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "graphperf serve: http://%s/ (results graph at %s; Ctrl-C stops)\n", ln.Addr(), graph)
	err = web.Serve(c.Context, ln, h)
	if err == nil && c.Context.Err() != nil {
		return &usage.InterruptedError{Err: errors.New("serve stopped")}
	}
	return err
}
