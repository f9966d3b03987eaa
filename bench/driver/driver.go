// Package driver runs query-bench's scripts through interchangeable Go
// Gremlin drivers, so that users see what their driver costs on the same
// queries: "graphperf" (graph/client, the project's own client) and
// "grammes" (github.com/northwesternmutual/grammes v1.2.0).
//
// Every driver returns the answer as the values graphson.Decode produces, so the
// same correctness checks apply whatever the driver.
//
// gremlin-go (TinkerPop's driver) is not offered: it needs hand-written
// readers for JanusGraph's GraphSON/GraphBinary types and fails a whole
// connection on an unknown type (see docs/client.md).
package driver

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/northwesternmutual/grammes"

	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/graphson"
)

// Driver submits Gremlin scripts with bindings.
type Driver interface {
	// Submit evaluates script with bindings and returns the result items.
	Submit(ctx context.Context, script string, bindings map[string]any) ([]any, error)
	// Close releases the driver's connections.
	Close() error
}

// Driver names.
const (
	Graphperf = "graphperf"
	Grammes   = "grammes"
)

// Names lists the available drivers.
func Names() []string { return []string{Graphperf, Grammes} }

// UnknownDriverError reports a driver name not in Names.
type UnknownDriverError struct{ Name string }

// Error implements the error interface.
func (e *UnknownDriverError) Error() string {
	return fmt.Sprintf("unknown driver %q; valid drivers: %s", e.Name, strings.Join(Names(), ", "))
}

// Open connects the named driver with cfg (grammes uses only the first host,
// the credentials and cfg.RequestTimeout).
func Open(ctx context.Context, name string, cfg client.Config) (Driver, error) {
	switch name {
	case Graphperf, "":
		return client.New(ctx, cfg)
	case Grammes:
		return openGrammes(cfg)
	}
	return nil, &UnknownDriverError{Name: name}
}

// grammesDriver adapts a grammes client.
//
// grammes sends bindings as map[string]string only, so the bindings travel as
// one JSON string binding and a constant prologue (built from the binding
// names, so still one cached script per query) declares each variable from
// it with Groovy's JsonSlurper: integers arrive as Integer or Long, decimals
// as BigDecimal. That small server-side cost is part of what grammes costs.
// grammes has no context support and no per-request timeout; a request whose
// answer never comes blocks its goroutine (Submit returns at ctx's end).
type grammesDriver struct {
	c *grammes.Client

	mu       sync.Mutex
	prologue map[string]string // sorted binding names → prologue
}

func openGrammes(cfg client.Config) (*grammesDriver, error) {
	hosts := cfg.Hosts
	if len(hosts) == 0 {
		hosts = []string{client.DefaultHost}
	}
	host := hosts[0]
	if !strings.Contains(host, "://") {
		host = "ws://" + host + "/gremlin"
	}
	opts := []grammes.ClientConfiguration{grammes.WithGremlinVersion(3)}
	if cfg.Username != "" {
		opts = append(opts, grammes.WithAuthUserPass(cfg.Username, cfg.Password))
	}
	if cfg.RequestTimeout > 0 {
		opts = append(opts, grammes.WithTimeout(cfg.RequestTimeout))
	}
	c, err := grammes.DialWithWebSocket(host, opts...)
	if err != nil {
		return nil, fmt.Errorf("driver: grammes: dial %s: %w", host, err)
	}
	return &grammesDriver{c: c, prologue: map[string]string{}}, nil
}

// bindingsVar is the single string binding carrying the JSON bindings.
const bindingsVar = "gpBindings"

func (g *grammesDriver) script(script string, names []string) string {
	key := strings.Join(names, ",")
	g.mu.Lock()
	defer g.mu.Unlock()
	p, ok := g.prologue[key]
	if !ok {
		var b strings.Builder
		b.WriteString("def gpB = new groovy.json.JsonSlurper().parseText(" + bindingsVar + ");")
		for _, n := range names {
			fmt.Fprintf(&b, "def %s = gpB['%s'];", n, n)
		}
		p = b.String()
		g.prologue[key] = p
	}
	return p + script
}

// Submit implements Driver.
func (g *grammesDriver) Submit(ctx context.Context, script string, bindings map[string]any) ([]any, error) {
	names := make([]string, 0, len(bindings))
	for n := range bindings {
		names = append(names, n)
	}
	slices.Sort(names)
	var binds map[string]string
	if len(bindings) > 0 {
		js, err := json.Marshal(bindings)
		if err != nil {
			return nil, fmt.Errorf("driver: grammes: bindings: %w", err)
		}
		binds = map[string]string{bindingsVar: string(js)}
		script = g.script(script, names)
	}
	type answer struct {
		frames [][]byte
		err    error
	}
	done := make(chan answer, 1)
	go func() {
		frames, err := g.c.ExecuteBoundStringQuery(script, binds, map[string]string{})
		done <- answer{frames, err}
	}()
	var a answer
	select {
	case a = <-done:
	case <-ctx.Done():
		return nil, fmt.Errorf("driver: grammes: %w", ctx.Err())
	}
	if a.err != nil {
		return nil, fmt.Errorf("driver: grammes: %w", a.err)
	}
	var out []any
	for _, f := range a.frames {
		v, err := graphson.Decode(f)
		if err != nil {
			return nil, fmt.Errorf("driver: grammes: decoding the answer: %w", err)
		}
		switch l := v.(type) {
		case []any:
			out = append(out, l...)
		case nil:
		default:
			out = append(out, l)
		}
	}
	return out, nil
}

// Close implements Driver. grammes' Close writes the close frame without
// the lock its other writers take, and gorilla/websocket panics on such a
// concurrent write (seen about once in 30 closes); the connection is closed
// by grammes' deferred cleanup all the same, so the panic is turned into an
// error.
func (g *grammesDriver) Close() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("driver: grammes: close: %v (a grammes bug; the connection is closed)", r)
		}
	}()
	g.c.Close()
	return nil
}
