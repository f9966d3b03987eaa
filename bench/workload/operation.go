package workload

import (
	"context"
	"fmt"
)

// Kind classifies an operation by what it does to the graph.
type Kind int

// Operation kinds.
const (
	// Read operations only read.
	Read Kind = iota
	// Write operations only write (the update stream).
	Write
	// ReadWrite operations read and write in one transaction.
	ReadWrite
)

// String returns "read", "write" or "read-write".
func (k Kind) String() string {
	switch k {
	case Read:
		return "read"
	case Write:
		return "write"
	case ReadWrite:
		return "read-write"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Result is what an operation returns: its decoded answer, checked by an
// oracle (Config.Oracle) when one is set.
type Result any

// Request is one script submitted to the graph: a constant Gremlin script
// and its bindings (values are never formatted into the script).
type Request struct {
	// Script is the Gremlin script.
	Script string
	// Bindings are the script's parameters.
	Bindings map[string]any
	// Idempotent marks a request that may safely run twice, so that an
	// executor may retry it after an ambiguous failure (a timeout or a
	// connection lost after sending). Writes leave it false.
	Idempotent bool
}

// Executor runs requests against a graph. Implementations must be safe for
// concurrent use by the driver's workers.
type Executor interface {
	// Submit runs req and returns its result items.
	Submit(ctx context.Context, req Request) ([]any, error)
}

// Operation is one scheduled unit of work: a typed call of Do.
type Operation struct {
	// Type names the operation type, e.g. "TCR1" or "TW12"; statistics are
	// kept per type.
	Type string
	// Kind says whether the operation reads, writes or both.
	Kind Kind
	// Params is the operation's typed parameters (e.g. a
	// finbench.TCR1Params), for an oracle that recomputes the answer or
	// applies the write to its own copy of the data; nil when unused.
	Params any
	// Do runs the operation through ex and returns its result. It must
	// honour ctx. An error counts as a failed operation.
	Do func(ctx context.Context, ex Executor) (Result, error)
}
