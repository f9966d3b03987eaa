// Package doclinks checks the relative links of Markdown files: every link to
// a file of the repository must name a file or directory that exists, and
// every #anchor must name a heading of its target, spelled as GitHub spells
// heading anchors.
//
// Links with a scheme (https:, mailto:, ...) are not checked: they need the
// network. Links inside fenced code blocks and code spans are not links.
package doclinks

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
)

// Broken is one link that does not resolve.
type Broken struct {
	File   string // the Markdown file, relative to the checked root, slash-separated
	Line   int    // 1-based line of the link
	Target string // the link target as written
	Reason string // what is missing
}

// String formats b as file:line: target: reason.
func (b Broken) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", b.File, b.Line, b.Target, b.Reason)
}

// Check walks root and checks the links of every *.md file in it. Directories
// whose name starts with "." (.git, .cache, ...) and testdata directories are
// not walked. It returns the broken links in file and line order; the error is
// for a tree that cannot be read.
func Check(root string) ([]Broken, error) {
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".md") {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("doclinks: %w", err)
	}
	c := checker{fsys: os.DirFS(root), anchors: map[string]map[string]bool{}}
	var broken []Broken
	for _, f := range files {
		b, err := c.file(f)
		if err != nil {
			return nil, err
		}
		broken = append(broken, b...)
	}
	return broken, nil
}

type checker struct {
	fsys    fs.FS
	anchors map[string]map[string]bool // file → its heading anchors
}

// link matches an inline link or image, [text](target) or ![alt](target),
// with an optional "title"; refDef matches a reference definition.
var (
	link   = regexp.MustCompile(`!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)`)
	refDef = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?`)
	scheme = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
)

func (c *checker) file(name string) ([]Broken, error) {
	src, err := fs.ReadFile(c.fsys, name)
	if err != nil {
		return nil, fmt.Errorf("doclinks: %w", err)
	}
	var broken []Broken
	for n, line := range proseLines(src) {
		line = codeSpan.ReplaceAllString(line, "")
		if line == "" {
			continue
		}
		var targets []string
		for _, m := range link.FindAllStringSubmatch(line, -1) {
			targets = append(targets, m[1])
		}
		if m := refDef.FindStringSubmatch(line); m != nil {
			targets = append(targets, m[1])
		}
		for _, t := range targets {
			if reason := c.resolve(name, t); reason != "" {
				broken = append(broken, Broken{File: name, Line: n + 1, Target: t, Reason: reason})
			}
		}
	}
	return broken, nil
}

// resolve returns why target, written in file from, does not resolve, or "".
func (c *checker) resolve(from, target string) string {
	if target == "" {
		return "empty link"
	}
	if scheme.MatchString(target) || strings.HasPrefix(target, "//") {
		return ""
	}
	p, anchor, _ := strings.Cut(target, "#")
	if strings.HasPrefix(p, "/") {
		return "absolute path: write it relative to " + from
	}
	dest := from
	if p != "" {
		dest = path.Join(path.Dir(from), p)
		if dest == ".." || strings.HasPrefix(dest, "../") {
			return "leaves the repository"
		}
		if _, err := fs.Stat(c.fsys, strings.TrimSuffix(dest, "/")); err != nil {
			return "no such file or directory " + dest
		}
	}
	if anchor == "" {
		return ""
	}
	if !strings.HasSuffix(dest, ".md") {
		return "anchor #" + anchor + " in a file that is not Markdown"
	}
	anchors, err := c.headings(dest)
	if err != nil {
		return err.Error()
	}
	if !anchors[anchor] {
		return "no heading with anchor #" + anchor + " in " + dest
	}
	return ""
}

func (c *checker) headings(name string) (map[string]bool, error) {
	if a, ok := c.anchors[name]; ok {
		return a, nil
	}
	src, err := fs.ReadFile(c.fsys, name)
	if err != nil {
		return nil, err
	}
	a := map[string]bool{}
	seen := map[string]int{}
	for _, line := range proseLines(src) {
		h := strings.TrimLeft(line, "#")
		if len(h) == len(line) || len(line)-len(h) > 6 || (h != "" && h[0] != ' ') {
			continue
		}
		slug := Anchor(h)
		if n := seen[slug]; n > 0 {
			a[fmt.Sprintf("%s-%d", slug, n)] = true
		} else {
			a[slug] = true
		}
		seen[slug]++
	}
	c.anchors[name] = a
	return a, nil
}

// proseLines returns the lines of a Markdown source with the lines of fenced
// code blocks blanked, so that line numbers stay right.
func proseLines(src []byte) []string {
	var lines []string
	fence := ""
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case fence != "":
			if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
				fence = ""
			}
			line = ""
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			fence = trimmed[:3]
			line = ""
		}
		lines = append(lines, line)
	}
	return lines
}

var (
	codeSpan  = regexp.MustCompile("`+[^`]*`+")
	linkText  = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	trailHash = regexp.MustCompile(`\s+#+\s*$`)
)

// Anchor returns the anchor GitHub gives a heading with the text h (without
// the leading #s): links reduced to their text, lower case, every character
// that is not a letter, digit, space, '-' or '_' removed, spaces turned into
// '-'. A repeated heading gets -1, -2, ... appended; [Check] does that.
func Anchor(h string) string {
	h = trailHash.ReplaceAllString(strings.TrimSpace(h), "")
	h = linkText.ReplaceAllString(h, "$1")
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}
