package results

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/graphperf/graphperf/bench/stats"
	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/internal/testenv"
	"github.com/graphperf/graphperf/mutation"
)

// newGraph connects to the shared test server.
func newGraph(t testing.TB) (*Graph, *client.Client) {
	t.Helper()
	hosts := testenv.RequireServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cl, err := client.New(ctx, client.Config{Hosts: hosts, RequestTimeout: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return New(cl), cl
}

// hash returns a random 40-hex commit hash no other test uses.
func hash() string {
	var b [20]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// unique returns a name no other test run uses on the shared server.
func unique(prefix string) string { return prefix + "-" + hash()[:12] }

// latencies returns n deterministic latency samples around center seconds
// (center × (1 + k/1000), k = 0..n-1).
func latencies(center float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = center * (1 + float64(i)/1000)
	}
	return out
}

// opResult is an operation result with samples around center seconds.
func opResult(name string, center float64) OperationResult {
	return OperationResult{Operation: name, Unit: stats.Latency(), Samples: latencies(center, 20), Clients: 1,
		Elapsed: time.Second}
}

// mutationRun builds a small mutation run of package pkg: 2 files, 3
// tests, 6 mutants; survived lists the mutants (by suffix "m2", "m4") left
// Survived, the others are Killed by TestCart, or Survived when listed.
//
//	cart.go:10  m1 killed by TestCart (covered by TestCart, TestWeak)
//	cart.go:12  m2 Survived or Killed by TestWeak
//	cart.go:20  m3 NoCoverage
//	price.go:3  m4 Survived or Killed by TestPrice
//	price.go:5  m5 Timeout (covered by TestPrice)
//	price.go:9  m6 Killed by TestCart and TestPrice (full matrix)
func mutationRun(pkg string, started time.Time, survived ...string) *mutation.Run {
	surv := map[string]bool{}
	for _, s := range survived {
		surv[s] = true
	}
	mk := func(id, file string, line int, st mutation.Status, cov, kill []string) *mutation.Mutant {
		if surv[id] {
			st, kill = mutation.Survived, nil
		}
		return &mutation.Mutant{ID: pkg + ":" + id, Package: pkg, File: "shop/" + file, Func: "F", Operator: mutation.ArithmeticBase,
			Original: "+", Replacement: "-", Start: mutation.Position{Line: line, Column: 2}, End: mutation.Position{Line: line, Column: 3},
			Status: st, CoveredBy: cov, KilledBy: kill}
	}
	return &mutation.Run{
		ModulePath: "example.com/shop", ModuleRoot: "/src/shop", Started: started, FullMatrix: true,
		Packages: []*mutation.PackageResult{{
			Path:  pkg,
			Files: []mutation.SourceFile{{Path: "shop/cart.go"}, {Path: "shop/price.go"}},
			Tests: []*mutation.TestInfo{{Name: "TestCart"}, {Name: "TestPrice"}, {Name: "TestWeak"}},
			Mutants: []*mutation.Mutant{
				mk("m1", "cart.go", 10, mutation.Killed, []string{"TestCart", "TestWeak"}, []string{"TestCart"}),
				mk("m2", "cart.go", 12, mutation.Killed, []string{"TestWeak"}, []string{"TestWeak"}),
				mk("m3", "cart.go", 20, mutation.NoCoverage, nil, nil),
				mk("m4", "price.go", 3, mutation.Killed, []string{"TestPrice"}, []string{"TestPrice"}),
				mk("m5", "price.go", 5, mutation.Timeout, []string{"TestPrice"}, nil),
				mk("m6", "price.go", 9, mutation.Killed, []string{"TestCart", "TestPrice"}, []string{"TestCart", "TestPrice"}),
			},
		}},
	}
}

// count runs a count query.
func count(t testing.TB, cl *client.Client, q string, b map[string]any) int64 {
	t.Helper()
	res, err := cl.Submit(context.Background(), q, b)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	n, err := client.Result(res).Int64()
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
