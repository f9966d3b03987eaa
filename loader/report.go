package loader

import (
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/graphperf/graphperf/banking"
)

// LabelReport is the outcome of a load for one label.
type LabelReport struct {
	Label string `json:"label"`
	Kind  string `json:"kind"`
	// Expected is the source's element count.
	Expected int64 `json:"expected"`
	// Loaded were sent and committed by this run; Skipped were already
	// committed by an earlier run (journal).
	Loaded  int64 `json:"loaded"`
	Skipped int64 `json:"skipped"`
}

// Report summarizes a load.
type Report struct {
	Source string        `json:"source"`
	Labels []LabelReport `json:"labels"`
	// Vertices and Edges were loaded by this run.
	Vertices int64 `json:"vertices"`
	Edges    int64 `json:"edges"`
	// SkippedVertices and SkippedEdges were already in the graph.
	SkippedVertices int64         `json:"skippedVertices"`
	SkippedEdges    int64         `json:"skippedEdges"`
	Elapsed         time.Duration `json:"-"`
	// VertexPhase is the time until the last vertex batch committed;
	// EdgePhase the rest.
	VertexPhase time.Duration `json:"-"`
	EdgePhase   time.Duration `json:"-"`
	// VerticesPerSec and EdgesPerSec are this run's rates in each phase.
	VerticesPerSec float64 `json:"verticesPerSec"`
	EdgesPerSec    float64 `json:"edgesPerSec"`
	// ElementsPerSec is (Vertices+Edges)/Elapsed.
	ElementsPerSec float64 `json:"elementsPerSec"`
	// Batches is the number of batches sent and committed by this run.
	Batches  int           `json:"batches"`
	BatchP50 time.Duration `json:"-"`
	BatchP99 time.Duration `json:"-"`
	// Retries counts batch re-sends; Probes counts graph checks of batches
	// whose outcome was unknown.
	Retries int64 `json:"retries"`
	Probes  int64 `json:"probes"`
	// Sample is the deterministic sample of the source taken while
	// streaming it, for Verify.
	Sample *Sample `json:"-"`

	mu sync.Mutex
}

func newReport(src *Source) *Report {
	r := &Report{Source: src.Name}
	for _, info := range banking.Labels() {
		r.Labels = append(r.Labels, LabelReport{Label: info.Name, Kind: info.Kind.String(), Expected: src.Counts[info.Label]})
	}
	return r
}

func (r *Report) addLoaded(l banking.Label, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Labels[l].Loaded += int64(n)
	r.Batches++
	if l.Kind() == banking.VertexKind {
		r.Vertices += int64(n)
	} else {
		r.Edges += int64(n)
	}
}

func (r *Report) addSkipped(l banking.Label, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Labels[l].Skipped += int64(n)
	if l.Kind() == banking.VertexKind {
		r.SkippedVertices += int64(n)
	} else {
		r.SkippedEdges += int64(n)
	}
}

func (r *Report) finish(elapsed time.Duration, run *run) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Elapsed = elapsed
	r.EdgePhase = max(0, elapsed-r.VertexPhase)
	if s := r.VertexPhase.Seconds(); s > 0 {
		r.VerticesPerSec = float64(r.Vertices) / s
	}
	if s := r.EdgePhase.Seconds(); s > 0 {
		r.EdgesPerSec = float64(r.Edges) / s
	}
	if s := elapsed.Seconds(); s > 0 {
		r.ElementsPerSec = float64(r.Vertices+r.Edges) / s
	}
	run.mu.Lock()
	lat := sortedCopy(run.latencies)
	run.mu.Unlock()
	r.BatchP50, r.BatchP99 = percentile(lat, 50), percentile(lat, 99)
	r.Retries, r.Probes = run.retries.Load(), run.probes.Load()
}

// MarshalJSON adds the durations in seconds / milliseconds.
func (r *Report) MarshalJSON() ([]byte, error) {
	type plain Report
	return json.Marshal(struct {
		*plain
		ElapsedSec     float64 `json:"elapsedSec"`
		VertexPhaseSec float64 `json:"vertexPhaseSec"`
		EdgePhaseSec   float64 `json:"edgePhaseSec"`
		BatchP50Ms     float64 `json:"batchP50Ms"`
		BatchP99Ms     float64 `json:"batchP99Ms"`
	}{(*plain)(r), r.Elapsed.Seconds(), r.VertexPhase.Seconds(), r.EdgePhase.Seconds(),
		float64(r.BatchP50) / 1e6, float64(r.BatchP99) / 1e6})
}

// WriteText writes the report as a readable table.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "label\tkind\texpected\tloaded\tskipped\t\n")
	for _, l := range r.Labels {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t\n", l.Label, l.Kind, l.Expected, l.Loaded, l.Skipped)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "source %s\n"+
		"loaded %d vertices and %d edges in %.2fs (%.0f elements/s); %d vertices / %d edges already in the graph\n"+
		"vertices: %.0f/s over %.2fs, edges: %.0f/s over %.2fs\n"+
		"batches: %d, latency p50 %s, p99 %s; retries %d, outcome checks %d\n",
		r.Source, r.Vertices, r.Edges, r.Elapsed.Seconds(), r.ElementsPerSec, r.SkippedVertices, r.SkippedEdges,
		r.VerticesPerSec, r.VertexPhase.Seconds(), r.EdgesPerSec, r.EdgePhase.Seconds(),
		r.Batches, r.BatchP50.Round(10*time.Microsecond), r.BatchP99.Round(10*time.Microsecond), r.Retries, r.Probes)
	return err
}
