package report_test

import (
	"fmt"

	"github.com/graphperf/graphperf/mutation/report"
)

// An empty report has no valid mutant, so its score is undefined and any
// threshold fails.
func ExampleReport_WriteAll() {
	r := &report.Report{Files: map[string]*report.FileResult{}}
	o := report.Options{CheckThreshold: true, Threshold: 80}
	if err := o.Validate(); err != nil { // before the run
		fmt.Println(err)
		return
	}
	err := r.WriteAll(o)
	fmt.Println(err)
	o.Threshold = 120
	fmt.Println(o.Validate())
	// Output:
	// mutation score NaN% is under the threshold 80.0%
	// report: Threshold: expected a percentage between 0 and 100, got 120
}
