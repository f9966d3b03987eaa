package progress_test

import (
	"fmt"
	"os"

	"github.com/graphperf/graphperf/internal/progress"
)

func Example() {
	update, finish := progress.Bar(os.Stderr, "loading", 3, false)
	for done := int64(1); done <= 3; done++ {
		update(done, "vertices")
	}
	finish()
	fmt.Println("done") // the bar went to stderr only if it is a terminal
	// Output: done
}
