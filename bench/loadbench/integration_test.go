package loadbench_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/loadbench"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
	"github.com/graphperf/graphperf/internal/testserver"
	"github.com/graphperf/graphperf/loader"
)

// privatePort is this package's own server (load-bench drops the graph).
const privatePort = 8186

// cancelOnBatch is the real client with one injected fault: the context
// is cancelled when the loader sends its first list binding (a batch).
type cancelOnBatch struct {
	*client.Client
	cancel context.CancelFunc
	once   sync.Once
}

func (c *cancelOnBatch) Submit(ctx context.Context, script string, b map[string]any) ([]any, error) {
	for _, v := range b {
		if _, ok := v.([]map[string]any); ok {
			c.once.Do(c.cancel)
		}
	}
	return c.Client.Submit(ctx, script, b)
}

// Do routes requests sent through client.Send (which prefers Do) past the
// same fault.
func (c *cancelOnBatch) Do(ctx context.Context, req *client.Request) (client.Result, error) {
	res, err := c.Submit(ctx, req.Script, req.Bindings)
	return client.Result(res), err
}

// On the real server: one round measures all three loads; a run
// interrupted in the loader's phase says so, wraps the cancellation and
// gives no advice to resume (there is nothing to resume).
func TestIntegrationRun(t *testing.T) {
	ctx := context.Background()
	cl, src := startWithSchema(t, privatePort, testserver.InMemory)
	var logged []string
	cfg := loadbench.Config{Rounds: 1, NaivePerLabel: 5, Log: func(s string) { logged = append(logged, s) }}
	res, err := loadbench.Run(ctx, cl, src, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Loader) != 1 || res.Loader[0].Elements != src.Total() || len(res.ServerSide) != 1 ||
		res.ServerSide[0].Elements != src.Total() || len(res.Naive) != 1 || res.Naive[0].Elements == 0 || len(logged) != 3 {
		t.Errorf("result %+v, log %q", res, logged)
	}
	if res.NaiveRatio <= 0 || res.ServerRatio <= 0 {
		t.Errorf("ratios %v, %v", res.NaiveRatio, res.ServerRatio)
	}

	ictx, cancel := context.WithCancel(ctx)
	defer cancel()
	_, err = loadbench.Run(ictx, &cancelOnBatch{Client: cl, cancel: cancel}, src, loadbench.Config{Rounds: 2, NaivePerLabel: 5})
	var ie *loadbench.InterruptedError
	if !errors.As(err, &ie) || ie.Round != 1 || ie.Phase != "loader" || !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "resume") {
		t.Errorf("interrupted run: %v", err)
	}
}

// berkeleyPort is this package's BerkeleyJE server.
const berkeleyPort = 8187

// On BerkeleyJE, where JanusGraph runs without storage.batch-loading and
// so enforces edge multiplicities, the server-side reference creates every
// element: its edges respect the schema's ONE2MANY (own, apply) and
// MANY2ONE (livesAt, registeredAt) labels. It used to fail with
// "SchemaViolationException: An edge with the given label already exists
// on the in-vertex and the label [own] is in-unique".
func TestIntegrationServerSideOnBerkeleyJE(t *testing.T) {
	ctx := context.Background()
	cl, src := startWithSchema(t, berkeleyPort, testserver.BerkeleyJE)
	res, err := loadbench.Run(ctx, cl, src, loadbench.Config{Rounds: 1, NaivePerLabel: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.ServerSide) != 1 || res.ServerSide[0].Elements != src.Total() {
		t.Errorf("server-side rounds %+v, want one of %d elements", res.ServerSide, src.Total())
	}
}

// startWithSchema starts a private server with backend, applies the
// banking schema and returns a client (closed when the test ends) and a
// small generated source.
func startWithSchema(t *testing.T, port int, backend string) (*client.Client, *loader.Source) {
	t.Helper()
	srv := testserver.Start(t, port, backend)
	ctx := context.Background()
	cl, err := client.New(ctx, client.Config{Hosts: srv.Hosts(), RequestTimeout: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	if _, err := schema.Apply(ctx, cl, loader.Schema(), schema.Options{}); err != nil {
		t.Fatal(err)
	}
	src, err := loader.GeneratorSource(ctx, banking.Config{Seed: 5, Scale: 0.001})
	if err != nil {
		t.Fatal(err)
	}
	return cl, src
}
