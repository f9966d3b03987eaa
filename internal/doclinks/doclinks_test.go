package doclinks

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRepositoryLinks is the check the issue asks for: every relative link
// and #anchor in every Markdown file of the repository resolves.
func TestRepositoryLinks(t *testing.T) {
	broken, err := Check(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range broken {
		t.Errorf("broken link %s", b)
	}
}

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestCheck(t *testing.T) {
	target := "# Title\n\n## Loading: `graphperf load` and `load-bench`\n\n## Same\n\n## Same\n\n```sh\n# not a heading\n```\n"
	tests := []struct {
		name, doc string
		want      []string // "line target" of each broken link, in order
	}{
		{"file exists", "see [t](docs/t.md) and [dir](docs/)\n", nil},
		{"missing file", "x\n[m](docs/missing.md)\n", []string{"2 docs/missing.md"}},
		{"anchor with code spans", "[a](docs/t.md#loading-graphperf-load-and-load-bench)\n", nil},
		{"repeated heading", "[a](docs/t.md#same) [b](docs/t.md#same-1)\n", nil},
		{"missing anchor", "[a](docs/t.md#same-2)\n", []string{"1 docs/t.md#same-2"}},
		{"heading in a code block is not one", "[a](docs/t.md#not-a-heading)\n", []string{"1 docs/t.md#not-a-heading"}},
		{"own anchor", "# Top\n[a](#top) [b](#nowhere)\n", []string{"2 #nowhere"}},
		{"image and title", "![i](docs/pic.png \"a picture\")\n", []string{"1 docs/pic.png"}},
		{"reference definition", "[r]: docs/gone.md\n", []string{"1 docs/gone.md"}},
		{"external links are not checked", "[e](https://example.com/x.md) [m](mailto:a@b)\n", nil},
		{"links in code are not links", "`[c](nope.md)`\n```\n[d](nope.md)\n```\n", nil},
		{"absolute path", "[a](/docs/t.md)\n", []string{"1 /docs/t.md"}},
		{"outside the repository", "[a](../t.md)\n", []string{"1 ../t.md"}},
		{"anchor into a non-Markdown file", "[a](docs/pic.txt#x)\n", []string{"1 docs/pic.txt#x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeTree(t, map[string]string{"README.md": tt.doc, "docs/t.md": target, "docs/pic.txt": "x"})
			broken, err := Check(root)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range broken {
				if b.File != "README.md" {
					t.Errorf("broken link reported in %s: %s", b.File, b)
				}
				got = append(got, strconv.Itoa(b.Line)+" "+b.Target)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("broken = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckSkipsHiddenAndTestdata(t *testing.T) {
	root := writeTree(t, map[string]string{
		"ok.md":                "fine\n",
		".cache/x/README.md":   "[b](nope.md)\n",
		"pkg/testdata/fixt.md": "[b](nope.md)\n",
		"pkg/sub/notes.md":     "[up](../../ok.md)\n",
	})
	broken, err := Check(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(broken) != 0 {
		t.Errorf("broken = %v, want none", broken)
	}
}

func TestAnchor(t *testing.T) {
	tests := []struct{ heading, want string }{
		{"Generating banking graphs (`graphperf generate`)", "generating-banking-graphs-graphperf-generate"},
		{"JanusGraph with Docker / scale-out", "janusgraph-with-docker--scale-out"},
		{"Speed: graphperf mutate vs gremlins v0.6.0", "speed-graphperf-mutate-vs-gremlins-v060"},
		{"The [client](client.md) and *why*", "the-client-and-why"},
		{"snake_case Ünïcode ##", "snake_case-ünïcode"},
	}
	for _, tt := range tests {
		if got := Anchor(tt.heading); got != tt.want {
			t.Errorf("Anchor(%q) = %q, want %q", tt.heading, got, tt.want)
		}
	}
}
