package loader

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strconv"

	"github.com/graphperf/graphperf/dataset"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/schema"
)

// DefaultStateDir is the journal directory of a load of src when the
// caller names none: DIR/.load-state for a directory, else
// .graphperf/load-seedN-scaleS in the working directory.
func DefaultStateDir(src dataset.Source) string {
	if src.Dir != "" {
		return filepath.Join(src.Dir, ".load-state")
	}
	return filepath.Join(".graphperf", "load-seed"+strconv.FormatUint(src.Config.Seed, 10)+"-scale"+strconv.FormatFloat(src.Config.Scale, 'g', -1, 64))
}

// Job is a complete load: optionally empty the graph of banking data
// ([Drop]), apply [Schema], load with a [Loader] of Config, optionally
// [Verify]. The zero value, with Config.StateDir set, loads.
type Job struct {
	Config Config
	// Drop empties the graph of banking data first; Dropped, when set,
	// receives the number of vertices dropped.
	Drop    bool
	Dropped func(vertices int64)
	// Verify compares the graph with the data after loading.
	Verify bool
}

// SetupError is a [Job] that failed before its first batch, while
// dropping (Step "drop") or applying the schema (Step "schema"): nothing
// was loaded or journalled, so the same job can simply run again.
type SetupError struct {
	Step string
	// Dropped counts the vertices a failed drop removed before it stopped:
	// the graph may be partly emptied, and the same job finishes it.
	Dropped int64
	Err     error
}

// Error returns the cause.
func (e *SetupError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *SetupError) Unwrap() error { return e.Err }

// Outcome is what a [Job] did: the load's report and, with Verify, the
// verification's. Its JSON has the keys load and verify.
type Outcome struct {
	Load   *Report       `json:"load"`
	Verify *VerifyReport `json:"verify,omitempty"`
	// Hosts is the split of the requests over several Gremlin servers
	// (client.Client.Stats), when the caller sets it; WriteText ignores it.
	Hosts []client.HostStats `json:"hosts,omitempty"`
}

// WriteText writes the load report, then the verification's.
func (o *Outcome) WriteText(w io.Writer) error {
	if err := o.Load.WriteText(w); err != nil || o.Verify == nil {
		return err
	}
	return o.Verify.WriteText(w)
}

// Run runs the job through sub. A failure before the first batch is a
// *SetupError; one of the load is Load's error (nil Outcome). When the
// load committed everything but could not record the load state, the
// Outcome is returned with a *StateError (and no verification). When the
// load succeeded the Outcome is returned, with Verify's error: a
// *VerifyError when the graph differs from the data (Outcome.Verify says
// where), another when it could not be compared (Outcome.Verify may be
// nil).
func (j Job) Run(ctx context.Context, sub Submitter, src *Source) (*Outcome, error) {
	l, err := New(sub, j.Config)
	if err != nil {
		return nil, err
	}
	if j.Drop {
		n, err := Drop(ctx, sub, 0)
		if err != nil {
			return nil, &SetupError{Step: "drop", Dropped: n, Err: err}
		}
		if j.Dropped != nil {
			j.Dropped(n)
		}
	}
	if _, err := schema.Apply(ctx, sub, Schema(), schema.Options{}); err != nil {
		return nil, &SetupError{Step: "schema", Err: err}
	}
	rep, err := l.Load(ctx, src)
	if errors.As(err, new(*StateError)) {
		// Every element is committed: the report stands, only the
		// graph's record of it is missing.
		return &Outcome{Load: rep}, err
	}
	if err != nil {
		return nil, err
	}
	out := &Outcome{Load: rep}
	if !j.Verify {
		return out, nil
	}
	out.Verify, err = Verify(ctx, sub, src, rep.Sample)
	return out, err
}
