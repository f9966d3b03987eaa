package mutation

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

// switchVar is the package-level variable that holds the active mutant.
const switchVar = "graphperfMutantActive"

// schemata is the rewritten form of one package: every mutated file with all
// of its active mutants behind a switch on [switchVar].
type schemata struct {
	files      map[string][]byte // absolute original path → rewritten source
	switchPath string            // absolute path of the added switch file
	switchSrc  []byte
}

// variantRange records the lines of one variant function in a rewritten file.
type variantRange struct {
	from, to int
	site     *site
}

// dispatchLine records the line of a function's dispatch code.
type dispatchLine struct {
	line int
	fn   *funcSites
}

// renderFile rewrites one file: each mutated function gets a one-line
// dispatch after its opening brace (so the original lines keep their
// numbers) and one variant function per active site, appended at the end.
func renderFile(fset *token.FileSet, fs *fileSites, active map[*site]bool) ([]byte, []variantRange, []dispatchLine, error) {
	type edit struct {
		off  int
		del  int
		text string
	}
	var edits []edit
	var variants bytes.Buffer
	var ranges []variantRange
	var dispatches []dispatchLine
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	line := 0 // line of the variants block where the next chunk starts, from 0
	for _, fn := range fs.funcs {
		var act []*site
		for _, s := range fn.sites {
			if active[s] {
				act = append(act, s)
			}
		}
		if len(act) == 0 {
			continue
		}
		fd := fn.decl
		// Name the unnamed and blank parameters so that they can be forwarded.
		var restore []func()
		var args []string
		recvName := ""
		gen := 0 // names given to unnamed and blank parameters
		nameFields := func(fl *ast.FieldList, isRecv bool) {
			if fl == nil {
				return
			}
			for _, f := range fl.List {
				if len(f.Names) == 0 {
					gen++
					name := fmt.Sprintf("gpP%d", gen)
					edits = append(edits, edit{off: off(f.Type.Pos()), text: name + " "})
					f := f
					f.Names = []*ast.Ident{ast.NewIdent(name)}
					restore = append(restore, func() { f.Names = nil })
				}
				for _, id := range f.Names {
					if id.Name == "_" {
						gen++
						name := fmt.Sprintf("gpP%d", gen)
						edits = append(edits, edit{off: off(id.Pos()), del: 1, text: name})
						id := id
						id.Name = name
						restore = append(restore, func() { id.Name = "_" })
					}
					if isRecv {
						recvName = id.Name
						continue
					}
					a := id.Name
					if _, ok := f.Type.(*ast.Ellipsis); ok {
						a += "..."
					}
					args = append(args, a)
				}
			}
		}
		nameFields(fd.Recv, true)
		nameFields(fd.Type.Params, false)
		var targs []string
		if fd.Type.TypeParams != nil {
			for _, f := range fd.Type.TypeParams.List {
				for _, id := range f.Names {
					targs = append(targs, id.Name)
				}
			}
		}
		hasResults := fd.Type.Results != nil && len(fd.Type.Results.List) > 0
		var d strings.Builder
		fmt.Fprintf(&d, "if %s != 0 { switch %s {", switchVar, switchVar)
		origName, origDoc := fd.Name, fd.Doc
		for _, s := range act {
			vname := fmt.Sprintf("gpm%d_%s", s.m.num, origName.Name)
			call := vname
			if recvName != "" {
				call = recvName + "." + vname
			}
			if len(targs) > 0 {
				call += "[" + strings.Join(targs, ", ") + "]"
			}
			call += "(" + strings.Join(args, ", ") + ")"
			if hasResults {
				fmt.Fprintf(&d, " case %d: return %s;", s.m.num, call)
			} else {
				fmt.Fprintf(&d, " case %d: %s; return;", s.m.num, call)
			}
			// Print the variant: the function with one mutation applied.
			fd.Name, fd.Doc = ast.NewIdent(vname), nil
			s.apply()
			var vb bytes.Buffer
			err := printer.Fprint(&vb, fset, fd)
			s.revert()
			fd.Name, fd.Doc = origName, origDoc
			if err != nil {
				for _, r := range restore {
					r()
				}
				return nil, nil, nil, fmt.Errorf("mutation: printing variant of %s: %w", fn.name, err)
			}
			text := vb.String()
			variants.WriteString("\n\n")
			from := line + 2
			variants.WriteString(text)
			line = from + strings.Count(text, "\n")
			ranges = append(ranges, variantRange{from: from, to: line, site: s})
		}
		d.WriteString(" } }; ")
		for _, r := range restore {
			r()
		}
		edits = append(edits, edit{off: off(fd.Body.Lbrace) + 1, text: d.String()})
		dispatches = append(dispatches, dispatchLine{line: fset.Position(fd.Body.Lbrace).Line, fn: fn})
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].off > edits[j].off })
	out := append([]byte(nil), fs.src...)
	for _, e := range edits {
		out = append(out[:e.off], append([]byte(e.text), out[e.off+e.del:]...)...)
	}
	if !bytes.HasSuffix(out, []byte("\n")) {
		out = append(out, '\n')
	}
	// The rewritten original ends with a newline: the variants block starts
	// on the line after its last one.
	base := bytes.Count(out, []byte("\n")) + 1
	for i := range ranges {
		ranges[i].from += base
		ranges[i].to += base
	}
	out = append(out, variants.Bytes()...)
	out = append(out, '\n')
	return out, ranges, dispatches, nil
}

// buildSchemata renders every file of the package with the active sites and
// type-checks the result. Sites whose variant does not type-check are
// marked CompileError and left out; the loop repeats until the package
// type-checks.
func buildSchemata(pkg *packages.Package, files []*fileSites) (*schemata, error) {
	active := map[*site]bool{}
	num := 0
	for _, fs := range files {
		for _, fn := range fs.funcs {
			for _, s := range fn.sites {
				num++
				s.m.num = num
				active[s] = true
			}
		}
	}
	dir := ""
	if len(pkg.GoFiles) > 0 {
		dir = filepath.Dir(pkg.GoFiles[0])
	}
	switchPath := filepath.Join(dir, "zz_graphperf_mutant_switch.go")
	for i := 0; ; i++ {
		if _, err := os.Stat(switchPath); err != nil {
			break
		}
		switchPath = filepath.Join(dir, fmt.Sprintf("zz_graphperf_mutant_switch%d.go", i))
	}
	sc := &schemata{
		files:      map[string][]byte{},
		switchPath: switchPath,
		switchSrc: fmt.Appendf(nil, "// Code generated by graphperf mutate. DO NOT EDIT.\n\npackage %s\n\n"+
			"import (\n\tgraphperfos \"os\"\n\tgraphperfstrconv \"strconv\"\n)\n\n"+
			"var %s, _ = graphperfstrconv.Atoi(graphperfos.Getenv(%q))\n", pkg.Name, switchVar, EnvMutant),
	}
	if num == 0 {
		return sc, nil
	}
	for iter := 0; iter < 50; iter++ {
		fset := pkg.Fset
		byName := map[string][]variantRange{}
		dispatchByName := map[string][]dispatchLine{}
		rewritten := map[string]*ast.File{}
		clear(sc.files)
		for _, fs := range files {
			if len(fs.funcs) == 0 {
				continue
			}
			src, ranges, dispatches, err := renderFile(fset, fs, active)
			if err != nil {
				return nil, err
			}
			name := fs.abs + fmt.Sprintf("#schemata%d", iter)
			f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
			if err != nil {
				return nil, fmt.Errorf("mutation: rewritten %s does not parse: %w", fs.rel, err)
			}
			sc.files[fs.abs] = src
			rewritten[fs.abs] = f
			byName[name] = ranges
			dispatchByName[name] = dispatches
		}
		var checkFiles []*ast.File
		for _, f := range pkg.Syntax {
			name := fset.File(f.Pos()).Name()
			if rf, ok := rewritten[name]; ok {
				checkFiles = append(checkFiles, rf)
			} else {
				checkFiles = append(checkFiles, f)
			}
		}
		stub, err := parser.ParseFile(fset, switchPath+"#stub", fmt.Sprintf("package %s\nvar %s int\n", pkg.Name, switchVar), 0)
		if err != nil {
			return nil, fmt.Errorf("mutation: switch stub: %w", err)
		}
		checkFiles = append(checkFiles, stub)
		var errs []types.Error
		conf := types.Config{
			Importer:  importerFor(pkg),
			Error:     func(err error) { errs = append(errs, err.(types.Error)) },
			Sizes:     types.SizesFor("gc", runtime.GOARCH),
			GoVersion: goVersion(pkg),
		}
		_, _ = conf.Check(pkg.PkgPath, fset, checkFiles, nil)
		if len(errs) == 0 {
			return sc, nil
		}
		dropped := 0
		for _, e := range errs {
			p := fset.Position(e.Pos)
			hit := false
			for _, r := range byName[p.Filename] {
				if p.Line >= r.from && p.Line <= r.to && active[r.site] {
					active[r.site] = false
					r.site.m.Status = CompileError
					r.site.m.StatusReason = "does not type-check: " + e.Msg
					hit, dropped = true, dropped+1
				}
			}
			if hit {
				continue
			}
			for _, d := range dispatchByName[p.Filename] {
				if d.line == p.Line {
					for _, s := range d.fn.sites {
						if active[s] {
							active[s] = false
							s.m.Status = CompileError
							s.m.StatusReason = "schemata dispatch does not type-check: " + e.Msg
							dropped++
						}
					}
					hit = true
				}
			}
			if !hit && !strings.Contains(p.Filename, "#schemata") {
				return nil, fmt.Errorf("mutation: package %s does not type-check: %s", pkg.PkgPath, e.Error())
			}
		}
		if dropped == 0 {
			return nil, fmt.Errorf("mutation: rewritten package %s does not type-check: %s", pkg.PkgPath, errs[0].Error())
		}
	}
	return nil, fmt.Errorf("mutation: rewritten package %s still does not type-check after 50 rounds", pkg.PkgPath)
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func importerFor(pkg *packages.Package) types.Importer {
	return importerFunc(func(path string) (*types.Package, error) {
		if path == "unsafe" {
			return types.Unsafe, nil
		}
		if p, ok := pkg.Imports[path]; ok && p.Types != nil {
			return p.Types, nil
		}
		for _, p := range pkg.Types.Imports() {
			if p.Path() == path {
				return p, nil
			}
		}
		return nil, fmt.Errorf("mutation: import %q not loaded", path)
	})
}

func goVersion(pkg *packages.Package) string {
	if pkg.Module != nil && pkg.Module.GoVersion != "" {
		return "go" + pkg.Module.GoVersion
	}
	return ""
}

// mutateSource returns src with one mutant applied as a text splice: the
// per-mutant form used by the fallback build.
func mutateSource(src []byte, fset *token.FileSet, file string, m *Mutant) ([]byte, error) {
	tf := fileByName(fset, file)
	if tf == nil {
		return nil, fmt.Errorf("mutation: %s not loaded", file)
	}
	a := tf.Offset(tf.LineStart(m.Start.Line)) + m.Start.Column - 1
	b := tf.Offset(tf.LineStart(m.End.Line)) + m.End.Column - 1
	if a < 0 || b > len(src) || a > b || string(src[a:b]) != m.Original {
		return nil, fmt.Errorf("mutation: mutant %s does not match the source of %s", m.ID, file)
	}
	out := make([]byte, 0, len(src)+len(m.Replacement))
	out = append(out, src[:a]...)
	out = append(out, m.Replacement...)
	return append(out, src[b:]...), nil
}

func fileByName(fset *token.FileSet, name string) *token.File {
	var tf *token.File
	fset.Iterate(func(f *token.File) bool {
		if f.Name() == name {
			tf = f
			return false
		}
		return true
	})
	return tf
}
