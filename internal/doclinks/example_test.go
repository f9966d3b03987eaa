package doclinks_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/graphperf/graphperf/internal/doclinks"
)

func ExampleCheck() {
	root, err := os.MkdirTemp("", "doclinks")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(root)
	os.WriteFile(filepath.Join(root, "README.md"), []byte("# Tour\n\nSee [load](docs/load.md#resume) and [the tour](#tour).\n"), 0o644)
	os.Mkdir(filepath.Join(root, "docs"), 0o755)
	os.WriteFile(filepath.Join(root, "docs", "load.md"), []byte("# Load\n\n## Resuming\n"), 0o644)

	broken, err := doclinks.Check(root)
	if err != nil {
		panic(err)
	}
	for _, b := range broken {
		fmt.Println(b)
	}
	// Output:
	// README.md:3: docs/load.md#resume: no heading with anchor #resume in docs/load.md
}
