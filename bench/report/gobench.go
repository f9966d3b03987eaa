package report

import (
	"fmt"
	"io"
	"math"
	"strings"

	"golang.org/x/perf/benchfmt"

	"github.com/graphperf/graphperf/bench/baseline"
)

// GoBenchPrefix returns the benchmark name prefix for a run's command:
// "Query" for query-bench, "Load" for load-bench, else "Graphperf".
func GoBenchPrefix(command string) string {
	switch command {
	case "query-bench":
		return "Query"
	case "load-bench":
		return "Load"
	}
	return "Graphperf"
}

// WriteGoBench writes run in the Go benchmark format, one result line per
// raw sample (iterations = 1), so that benchstat computes its own
// statistics from the same samples:
//
//	goos: linux
//	goarch: amd64
//	cpu: ...
//	dataset: ...
//	BenchmarkQuery/account-lookup 1 1234567 ns/op
//
// Latencies are written in ns/op; a rate unit such as elements/s is
// written as is, preceded by a "Unit elements/s better=higher" line. The
// output is written through golang.org/x/perf/benchfmt. Compare two runs
// with `benchstat base.txt current.txt`.
func WriteGoBench(w io.Writer, run *baseline.Run) error {
	bw := benchfmt.NewWriter(w)
	cfg := []benchfmt.Config{
		fileConfig("goos", run.Machine.GOOS),
		fileConfig("goarch", run.Machine.GOARCH),
		fileConfig("cpu", run.Machine.CPUModel),
		fileConfig("pkg", "github.com/graphperf/graphperf/bench"),
		fileConfig("commit", run.Commit),
		fileConfig("dataset", run.Dataset),
		fileConfig("driver", run.Driver),
		fileConfig("janusgraph", run.Server.JanusGraphVersion),
	}
	var kept []benchfmt.Config
	for _, c := range cfg {
		if len(c.Value) > 0 {
			kept = append(kept, c)
		}
	}
	declared := map[string]bool{}
	for _, op := range run.Operations {
		if op.Unit.IsLatency() || declared[op.Unit.Name] {
			continue
		}
		declared[op.Unit.Name] = true
		better := "lower"
		if op.Unit.HigherIsBetter {
			better = "higher"
		}
		md := &benchfmt.UnitMetadata{
			UnitMetadataKey: benchfmt.UnitMetadataKey{Unit: op.Unit.Name, Key: "better"},
			OrigUnit:        op.Unit.Name, Value: better,
		}
		if err := bw.Write(md); err != nil {
			return fmt.Errorf("write gobench: %w", err)
		}
	}
	prefix := GoBenchPrefix(run.Command)
	for _, op := range run.Operations {
		res := &benchfmt.Result{
			Config: kept,
			Name:   benchfmt.Name(prefix + "/" + benchName(op.Name)),
			Iters:  1,
		}
		for _, v := range op.Samples {
			if op.Unit.IsLatency() {
				res.Values = []benchfmt.Value{{Value: math.Round(v * 1e9), Unit: "ns/op"}}
			} else {
				res.Values = []benchfmt.Value{{Value: v, Unit: op.Unit.Name}}
			}
			if err := bw.Write(res); err != nil {
				return fmt.Errorf("write gobench: %w", err)
			}
		}
	}
	return nil
}

func fileConfig(key, value string) benchfmt.Config {
	value = strings.Join(strings.Fields(value), " ")
	return benchfmt.Config{Key: key, Value: []byte(value), File: true}
}

// benchName makes an operation name safe as a benchmark name component:
// no white space (it would end the name).
func benchName(name string) string {
	return strings.Join(strings.Fields(name), "_")
}
