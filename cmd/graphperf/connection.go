package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
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

// clientConfig builds a graph/client configuration from the global flags.
func clientConfig(c *cli.Context) (client.Config, error) {
	var hosts []string
	for _, h := range c.StringSlice("hosts") {
		for _, part := range strings.Split(h, ",") {
			if part = strings.TrimSpace(part); part != "" {
				hosts = append(hosts, part)
			}
		}
	}
	if len(hosts) == 0 {
		return client.Config{}, usageErrorf("--hosts: expected at least one HOST:PORT, got none")
	}
	timeout := c.Duration("timeout")
	if timeout <= 0 {
		return client.Config{}, usageErrorf("--timeout must be a positive duration like 30s, got %v", timeout)
	}
	cfg := client.Config{
		Hosts:          hosts,
		Username:       c.String("username"),
		Password:       c.String("password"),
		RequestTimeout: timeout,
		DialTimeout:    min(timeout, 10*time.Second),
	}
	ser, err := client.ParseSerializer(c.String("serializer"))
	if err != nil {
		return client.Config{}, usageErrorf("--serializer: %v", err)
	}
	cfg.Serializer = ser
	if (cfg.Username == "") != (cfg.Password == "") {
		return client.Config{}, usageErrorf("--username and --password go together (got only one)")
	}
	if c.Bool("tls") || c.String("tls-ca") != "" {
		tc := &tls.Config{MinVersion: tls.VersionTLS12}
		if path := c.String("tls-ca"); path != "" {
			pem, err := os.ReadFile(path)
			if err != nil {
				return client.Config{}, usageErrorf("--tls-ca: %v", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return client.Config{}, usageErrorf("--tls-ca: no PEM certificate in %s", path)
			}
			tc.RootCAs = pool
		}
		cfg.TLS = tc
	}
	var he *client.HostError
	if err := cfg.Validate(); errors.As(err, &he) {
		return client.Config{}, usageErrorf("--hosts %s: %s", he.Host, he.Problem)
	} else if err != nil {
		return client.Config{}, usageErrorf("%v", err)
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

func newClientFromConfig(c *cli.Context, cfg client.Config) (*client.Client, error) {
	ctx, cancel := contextWithTimeout(c, cfg.RequestTimeout)
	defer cancel()
	cl, err := client.New(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	return cl, nil
}
