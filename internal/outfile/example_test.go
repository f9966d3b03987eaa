package outfile_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/graphperf/graphperf/internal/outfile"
)

func Example() {
	dir, _ := os.MkdirTemp("", "outfile")
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "report.txt")
	if err := outfile.CheckFile(name); err != nil { // before the long run
		fmt.Println(err)
		return
	}
	err := outfile.WriteAtomic(name, func(w io.Writer) error {
		_, err := io.WriteString(w, "score 87.5%\n")
		return err
	})
	b, _ := os.ReadFile(name)
	fmt.Print(string(b), err, "\n")
	fmt.Println(outfile.CheckFile(filepath.Join(dir, "missing", "x.txt")) != nil)
	// Output:
	// score 87.5%
	// <nil>
	// true
}
