package report

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

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

// WriteGoBench writes run in the Go benchmark format
// (https://golang.org/design/14313-benchmark-format), one result line per
// raw sample with 1 iteration, so that benchstat computes its own
// statistics from the very samples graphperf used:
//
//	goos: linux
//	goarch: amd64
//	cpu: ...
//	pkg: github.com/graphperf/graphperf/bench
//	dataset: banking-sf0.01-seed42
//	BenchmarkQuery/account-lookup 1 1234567 ns/op
//
// Latencies are written in integer ns/op. A rate unit such as elements/s
// is written as is, declared first by a "Unit elements/s better=higher"
// line. Only settings that are equal in comparable runs become file
// configuration (goos, goarch, cpu, pkg, dataset); the commit, driver and
// JanusGraph version go on a "graphperf:" line that benchfmt ignores, so
// that `benchstat base.txt current.txt` puts both runs in one table.
func WriteGoBench(w io.Writer, run *baseline.Run) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "graphperf %s commit=%s driver=%s janusgraph=%s\n", orDash(run.Command),
		field(run.Commit), field(run.Driver), field(run.Server.JanusGraphVersion))
	for _, kv := range [][2]string{
		{"goos", run.Machine.GOOS},
		{"goarch", run.Machine.GOARCH},
		{"cpu", run.Machine.CPUModel},
		{"pkg", "github.com/graphperf/graphperf/bench"},
		{"dataset", run.Dataset},
	} {
		if v := strings.Join(strings.Fields(kv[1]), " "); v != "" {
			fmt.Fprintf(bw, "%s: %s\n", kv[0], v)
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
		fmt.Fprintf(bw, "Unit %s better=%s\n", op.Unit.Name, better)
	}
	prefix := GoBenchPrefix(run.Command)
	for _, op := range run.Operations {
		name := "Benchmark" + prefix + "/" + benchName(op.Name)
		for _, v := range op.Samples {
			if op.Unit.IsLatency() {
				fmt.Fprintf(bw, "%s 1 %d ns/op\n", name, int64(math.Round(v*1e9)))
			} else {
				fmt.Fprintf(bw, "%s 1 %s %s\n", name, strconv.FormatFloat(v, 'f', -1, 64), op.Unit.Name)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write gobench: %w", err)
	}
	return nil
}

// field renders a value for the "graphperf" header line.
func field(s string) string {
	s = strings.Join(strings.Fields(s), "_")
	return orDash(s)
}

// benchName makes an operation name safe as a benchmark name component:
// no white space (it would end the name).
func benchName(name string) string {
	return strings.Join(strings.Fields(name), "_")
}
