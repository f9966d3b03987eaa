package workload

import (
	"context"

	"github.com/graphperf/graphperf/graph/client"
)

// ClientExecutor is the [Executor] over a graph/client Client: the one
// place where the workload meets the Gremlin client.
type ClientExecutor struct {
	// Client submits the requests; it must be non-nil.
	Client *client.Client
}

// Submit submits req's script with its bindings. Idempotent requests are
// marked so that the client may retry them after a server timeout or a
// connection lost mid-request; others are never run twice.
func (e ClientExecutor) Submit(ctx context.Context, req Request) ([]any, error) {
	return e.Client.Do(ctx, &client.Request{Script: req.Script, Bindings: req.Bindings, Idempotent: req.Idempotent})
}
