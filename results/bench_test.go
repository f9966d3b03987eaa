package results

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/graphperf/graphperf/bench/stats"
)

// The scale of the synthetic history: runs × operations across a commit
// DAG with feature branches merged into main.
const (
	scaleCommits = 1000
	scaleOps     = 40
	scaleSamples = 20
	// scaleSeed names the history; a stored history of the same seed is
	// reused (Store is idempotent, but loading takes minutes).
	scaleSeed = "scale-v1"
	// scaleOp is the operation regressed at scaleHistory.regressed.
	scaleOp = "op-07"
)

// scaleHistory is a synthetic history: one run with scaleOps operations
// at every commit. One commit of a feature branch doubles scaleOp's
// latency; the merge brings it into main.
type scaleHistory struct {
	commits   []Commit // parents first
	root      string
	main      string // main's head
	regressed string // the commit that regressed scaleOp
	loadTime  time.Duration
	loaded    bool // false when an earlier load was reused
}

func scaleHash(i int) string {
	h := sha1.Sum(fmt.Appendf(nil, "%s-%d", scaleSeed, i))
	return hex.EncodeToString(h[:])
}

// buildScaleHistory generates the DAG: main advances one commit at a time;
// at random points a feature branch of 1–4 commits forks from main, main
// gets one more commit, and a merge commit (first parent main) joins them.
func buildScaleHistory() *scaleHistory {
	rng := rand.New(rand.NewPCG(7, 13))
	h := &scaleHistory{}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	add := func(msg string, parents ...string) string {
		i := len(h.commits)
		c := Commit{Hash: scaleHash(i), Time: t0.Add(time.Duration(i) * time.Hour), Message: fmt.Sprintf("%s %d", msg, i),
			Author: "Synthetic", Parents: parents}
		h.commits = append(h.commits, c)
		return c.Hash
	}
	h.root = add("root")
	h.main = h.root
	for len(h.commits) < scaleCommits {
		room := scaleCommits - len(h.commits)
		if k := 1 + rng.IntN(4); rng.Float64() < 0.2 && room >= k+2 {
			f := h.main
			for j := range k {
				f = add("feature", f)
				if h.regressed == "" && len(h.commits) > scaleCommits/2 && j == k-1 {
					h.regressed = f
				}
			}
			h.main = add("main", h.main)
			h.main = add("merge", h.main, f)
			continue
		}
		h.main = add("main", h.main)
	}
	return h
}

// runs returns the run at every commit; scaleOp takes twice as long at
// every commit that has h.regressed in its history.
func (h *scaleHistory) runs() []Run {
	slow := map[string]bool{}
	var out []Run
	for i, c := range h.commits {
		s := c.Hash == h.regressed
		for _, p := range c.Parents {
			s = s || slow[p]
		}
		slow[c.Hash] = s
		r := Run{ID: fmt.Sprintf("%s-run-%04d", scaleSeed, i), Kind: KindQueryBench, Started: c.Time.Add(time.Minute),
			Commit: Commit{Hash: c.Hash}, Branch: scaleSeed + "-main", Dataset: scaleSeed,
			Server: Server{Backend: "inmemory", JanusGraphVersion: "1.1.0"}, Settings: map[string]string{"rounds": "20"}}
		for k := range scaleOps {
			center := 0.001 * float64(1+k%10)
			name := fmt.Sprintf("op-%02d", k)
			if name == scaleOp && s {
				center *= 2
			}
			samples := make([]float64, scaleSamples)
			for j := range samples {
				samples[j] = center * (1 + float64(j)/1000)
			}
			r.Operations = append(r.Operations, OperationResult{Operation: name, Unit: stats.Latency(), Samples: samples})
		}
		out = append(out, r)
	}
	return out
}

var (
	scaleOnce sync.Once
	scaleHist *scaleHistory
	scaleErr  error
)

// loadScaleHistory stores the synthetic history once per process (and
// not at all when the server holds it already: its last run is complete).
func loadScaleHistory(b *testing.B, g *Graph) *scaleHistory {
	scaleOnce.Do(func() {
		ctx := context.Background()
		h := buildScaleHistory()
		runs := h.runs()
		last := runs[len(runs)-1]
		if r, err := g.Run(ctx, last.ID); err == nil && r.Status == Complete {
			scaleHist = h
			return
		}
		start := time.Now()
		if _, err := g.ApplySchema(ctx); err != nil {
			scaleErr = err
			return
		}
		rev := make([]Commit, len(h.commits))
		for i, c := range h.commits {
			rev[len(rev)-1-i] = c // children first, as git log gives them
		}
		if err := g.StoreCommits(ctx, rev); err != nil {
			scaleErr = err
			return
		}
		work := make(chan Run)
		errs := make(chan error, 4)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for r := range work {
					if err := storeRetrying(ctx, g, r); err != nil {
						errs <- err
						return
					}
				}
			})
		}
	feed:
		for _, r := range runs[:len(runs)-1] {
			select {
			case work <- r:
			case err := <-errs:
				scaleErr = err
				break feed
			}
		}
		close(work)
		wg.Wait()
		if scaleErr == nil && len(errs) > 0 {
			scaleErr = <-errs
		}
		if scaleErr != nil {
			return
		}
		// The last run last: its completeness marks the whole history.
		if scaleErr = storeRetrying(ctx, g, last); scaleErr != nil {
			return
		}
		if scaleErr = g.SetBranchHead(ctx, scaleSeed+"-main", h.main); scaleErr != nil {
			return
		}
		h.loadTime, h.loaded = time.Since(start), true
		scaleHist = h
	})
	if scaleErr != nil {
		b.Fatal(scaleErr)
	}
	if scaleHist.loaded {
		b.Logf("loaded %d commits and %d runs × %d operations in %v", scaleCommits, scaleCommits, scaleOps, scaleHist.loadTime)
	}
	return scaleHist
}

// storeRetrying stores r, and again after a failure (a connection lost on
// an overloaded machine), once the failed attempt has surely ended on the
// server: the run is partial until a store completes.
func storeRetrying(ctx context.Context, g *Graph, r Run) error {
	var err error
	for range 5 {
		if err = g.Store(ctx, r); err == nil {
			return nil
		}
		time.Sleep(15 * time.Second)
	}
	return err
}

// BenchmarkScaleTrend times Trend of one operation along main's
// first-parent history of the synthetic history (1,000 runs × 40
// operations, 1,000 commits); it checks the answer each time.
func BenchmarkScaleTrend(b *testing.B) {
	g, _ := newGraph(b)
	h := loadScaleHistory(b, g)
	ctx := context.Background()
	for b.Loop() {
		pts, err := g.Trend(ctx, scaleOp, scaleSeed+"-main")
		if err != nil {
			b.Fatal(err)
		}
		var reg []string
		for _, p := range pts {
			if p.Regressed {
				reg = append(reg, p.Commit.Message)
			}
		}
		if len(pts) < scaleCommits/2 || len(reg) != 1 {
			b.Fatalf("Trend: %d points, regressions at %v; want one regression (the merge of %s)", len(pts), reg, h.regressed)
		}
	}
}

// BenchmarkScaleFirstBad times FirstBad between the root and main's head:
// the whole DAG is the range.
func BenchmarkScaleFirstBad(b *testing.B) {
	g, _ := newGraph(b)
	h := loadScaleHistory(b, g)
	ctx := context.Background()
	for b.Loop() {
		c, err := g.FirstBad(ctx, scaleOp, h.root, h.main)
		if err != nil {
			b.Fatal(err)
		}
		if c.Hash != h.regressed {
			b.Fatalf("FirstBad = %s (%s), want %s", c.Hash, c.Message, h.regressed)
		}
	}
}

// TestScaleHistoryShape checks the generator: the DAG has the size, merges
// and the regressed feature commit the benchmarks rely on.
func TestScaleHistoryShape(t *testing.T) {
	h := buildScaleHistory()
	merges := 0
	for _, c := range h.commits {
		if len(c.Parents) == 2 {
			merges++
		}
	}
	if len(h.commits) != scaleCommits || merges < 20 || h.regressed == "" || h.regressed == h.main {
		t.Errorf("%d commits, %d merges, regressed %q; want %d commits, ≥ 20 merges, a regressed feature commit",
			len(h.commits), merges, h.regressed, scaleCommits)
	}
	runs := h.runs()
	if len(runs) != scaleCommits || len(runs[0].Operations) != scaleOps {
		t.Errorf("%d runs of %d operations", len(runs), len(runs[0].Operations))
	}
	for _, r := range runs[:3] {
		if err := r.Validate(); err != nil {
			t.Error(err)
		}
	}
}
