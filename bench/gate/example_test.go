package gate_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/graphperf/graphperf/bench/gate"
)

// Check the outputs first, measure, then compare, save and decide.
func Example() {
	dir, _ := os.MkdirTemp("", "gate-example-")
	defer os.RemoveAll(dir)
	g := gate.Config{Command: "query-bench", Dir: dir, Save: "main", HTML: filepath.Join(dir, "report.html")}
	if err := g.Check(); err != nil {
		fmt.Println(err)
		return
	}
	cur := run("query-bench", 0.0021, 0.0020, 0.0022, 0.0019, 0.0021) // the measured run
	rep, err := g.CompareRun(cur)                                     // nil: no baseline given
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := g.Finish(cur, rep, true)
	fmt.Println(filepath.Base(out.Saved), filepath.Base(out.HTML), err, g.Verdict(rep))
	// Output: main.json report.html <nil> <nil>
}
