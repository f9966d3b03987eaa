package benchdata_test

import (
	"context"
	"fmt"

	"github.com/graphperf/graphperf/banking"
	"github.com/graphperf/graphperf/bench/benchdata"
)

// The generator's data is identified without generating it; Data and Source
// stream the same data for query-bench and load-bench.
func Example() {
	spec := benchdata.Spec{Gen: banking.Config{Seed: 5, Scale: 0.001}}
	fp, err := spec.Fingerprint()
	if err != nil {
		fmt.Println(err)
		return
	}
	data, err := spec.Data(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	src, err := spec.Source(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	counts := data.ElementCounts()
	fmt.Println(fp[:4], counts["Account"] == src.Counts[banking.Account], src.Fingerprint == fp)
	// Output: gen: true true
}
