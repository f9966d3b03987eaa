package mutation

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"go/types"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// site is one mutation of the loaded AST: apply changes the AST in place,
// revert restores it.
type site struct {
	m      *Mutant
	apply  func()
	revert func()
}

// funcSites holds the mutation sites of one function declaration.
type funcSites struct {
	decl  *ast.FuncDecl
	name  string
	sites []*site
}

// fileSites holds the mutation sites of one source file.
type fileSites struct {
	abs   string // absolute path
	rel   string // slash path relative to the module root
	src   []byte
	ast   *ast.File
	funcs []*funcSites
}

// generator walks one package and produces its mutation sites.
type generator struct {
	pkg      *packages.Package
	modRoot  string
	ops      map[Operator]bool
	warnings []string
}

const nomutateDirective = "//graphperf:nomutate"

// nomutate records the code excluded by //graphperf:nomutate directives.
type nomutate struct {
	file   string         // non-empty: whole file, with this reason
	lines  map[int]string // line → reason
	ranges []nomutateRange
}

type nomutateRange struct {
	from, to int
	reason   string
}

func (n *nomutate) reason(line int) (string, bool) {
	if n.file != "" {
		return n.file, true
	}
	if r, ok := n.lines[line]; ok {
		return r, true
	}
	for _, r := range n.ranges {
		if line >= r.from && line <= r.to {
			return r.reason, true
		}
	}
	return "", false
}

// scanNomutate finds //graphperf:nomutate directives in f. A directive in
// the comments before the package clause excludes the file, in a function's
// doc comment the function, at the end of a line that line, and alone on a
// line the next line. A directive without a reason is reported and ignored.
func (g *generator) scanNomutate(fset *token.FileSet, f *ast.File, src []byte, rel string) *nomutate {
	n := &nomutate{lines: map[int]string{}}
	docOf := map[*ast.CommentGroup]*ast.FuncDecl{}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Doc != nil {
			docOf[fd.Doc] = fd
		}
	}
	tf := fset.File(f.Pos())
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if !strings.HasPrefix(c.Text, nomutateDirective) {
				continue
			}
			rest := c.Text[len(nomutateDirective):]
			if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
				continue
			}
			reason := strings.TrimSpace(rest)
			pos := fset.Position(c.Pos())
			if reason == "" {
				g.warnings = append(g.warnings, fmt.Sprintf("%s:%d: %s needs a reason; directive ignored", rel, pos.Line, nomutateDirective))
				continue
			}
			switch {
			case c.Pos() < f.Package:
				n.file = reason
			case docOf[cg] != nil:
				fd := docOf[cg]
				n.ranges = append(n.ranges, nomutateRange{fset.Position(fd.Pos()).Line, fset.Position(fd.End()).Line, reason})
			case onlySpace(src[tf.Offset(tf.LineStart(pos.Line)):pos.Offset]):
				n.lines[pos.Line+1] = reason
			default:
				n.lines[pos.Line] = reason
			}
		}
	}
	return n
}

func onlySpace(b []byte) bool {
	return len(bytes.TrimLeft(b, " \t")) == 0
}

// generate returns the mutation sites of every non-generated Go file of the
// package, and the mutants excluded by //graphperf:nomutate (status
// Ignored). keep, when non-nil, selects mutants by file and line (--diff)
// and by id (--shard).
func (g *generator) generate(keep func(m *Mutant) bool) ([]*fileSites, []*Mutant, error) {
	var out []*fileSites
	var ignored []*Mutant
	fset := g.pkg.Fset
	for _, f := range g.pkg.Syntax {
		abs := fset.File(f.Pos()).Name()
		if strings.HasSuffix(abs, "_test.go") || ast.IsGenerated(f) || !strings.HasSuffix(abs, ".go") {
			continue
		}
		src, err := readFile(abs)
		if err != nil {
			return nil, nil, err
		}
		rel, err := filepath.Rel(g.modRoot, abs)
		if err != nil {
			return nil, nil, fmt.Errorf("mutation: %s is outside the module root %s: %w", abs, g.modRoot, err)
		}
		fs := &fileSites{abs: abs, rel: filepath.ToSlash(rel), src: src, ast: f}
		nm := g.scanNomutate(fset, f, src, fs.rel)
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || hasCompilerDirective(fd) {
				continue
			}
			fsites := &funcSites{decl: fd, name: funcName(fd)}
			// Two operators can make the same code (return true → return
			// false is both ReturnZero and Constant): keep the first.
			seen := map[string]bool{}
			for _, s := range g.walkFunc(fs, fd) {
				if keep != nil && !keep(s.m) {
					continue
				}
				if mutated, err := mutateSource(src, fset, abs, s.m); err == nil {
					a, b := fset.Position(fd.Pos()).Offset, fset.Position(fd.End()).Offset+len(s.m.Replacement)-len(s.m.Original)
					if key := string(mutated[a:b]); seen[key] {
						continue
					} else {
						seen[key] = true
					}
				}
				if reason, ok := nm.reason(s.m.Start.Line); ok {
					s.m.Status, s.m.StatusReason = Ignored, "//graphperf:nomutate "+reason
					ignored = append(ignored, s.m)
					continue
				}
				fsites.sites = append(fsites.sites, s)
			}
			if len(fsites.sites) > 0 {
				fs.funcs = append(fs.funcs, fsites)
			}
		}
		out = append(out, fs)
	}
	return out, ignored, nil
}

func hasCompilerDirective(fd *ast.FuncDecl) bool {
	if fd.Doc == nil {
		return false
	}
	for _, c := range fd.Doc.List {
		if strings.HasPrefix(c.Text, "//go:") {
			return true
		}
	}
	return false
}

// funcName returns "F", "T.M" or "(*T).M".
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	star := false
	if s, ok := t.(*ast.StarExpr); ok {
		star, t = true, s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	name := types.ExprString(t)
	if star {
		return "(*" + name + ")." + fd.Name.Name
	}
	return name + "." + fd.Name.Name
}

var arithmetic = map[token.Token]token.Token{token.ADD: token.SUB, token.SUB: token.ADD, token.MUL: token.QUO, token.QUO: token.MUL, token.REM: token.MUL}
var boundary = map[token.Token]token.Token{token.LSS: token.LEQ, token.LEQ: token.LSS, token.GTR: token.GEQ, token.GEQ: token.GTR}
var negation = map[token.Token]token.Token{token.EQL: token.NEQ, token.NEQ: token.EQL, token.LSS: token.GEQ, token.GEQ: token.LSS, token.GTR: token.LEQ, token.LEQ: token.GTR}
var logical = map[token.Token]token.Token{token.LAND: token.LOR, token.LOR: token.LAND}
var assignments = map[token.Token]token.Token{token.ADD_ASSIGN: token.SUB_ASSIGN, token.SUB_ASSIGN: token.ADD_ASSIGN, token.MUL_ASSIGN: token.QUO_ASSIGN, token.QUO_ASSIGN: token.MUL_ASSIGN, token.REM_ASSIGN: token.MUL_ASSIGN}

func isNumeric(t types.Type) bool {
	if t == nil {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsNumeric != 0
}

func isOrdered(t types.Type) bool {
	if t == nil {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsOrdered != 0
}

// walkFunc returns every mutation site of one function body.
func (g *generator) walkFunc(fs *fileSites, fd *ast.FuncDecl) []*site {
	fset, info := g.pkg.Fset, g.pkg.TypesInfo
	fnName := funcName(fd)
	fnLine := fset.Position(fd.Pos()).Line
	var sites []*site
	pos := func(p token.Pos) Position {
		x := fset.Position(p)
		return Position{Line: x.Line, Column: x.Column}
	}
	text := func(a, b token.Pos) string {
		return string(fs.src[fset.Position(a).Offset:fset.Position(b).Offset])
	}
	add := func(op Operator, start, end token.Pos, repl string, apply, revert func()) {
		if !g.ops[op] {
			return
		}
		st := pos(start)
		m := &Mutant{
			Package: g.pkg.PkgPath, File: fs.rel, Func: fnName, Operator: op,
			Original: text(start, end), Replacement: repl, Start: st, End: pos(end), Status: Pending,
		}
		if m.Original == m.Replacement {
			return // not a change
		}
		m.ID = mutantID(fs.rel, fnName, op, st.Line-fnLine, st.Column, repl)
		sites = append(sites, &site{m: m, apply: apply, revert: revert})
	}
	swapOp := func(op Operator, n *ast.BinaryExpr, to token.Token) {
		from := n.Op
		add(op, n.OpPos, n.OpPos+token.Pos(len(from.String())), to.String(),
			func() { n.Op = to }, func() { n.Op = from })
	}
	tags := map[*ast.BasicLit]bool{}
	var stack []ast.Node
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		switch n := n.(type) {
		case *ast.Field:
			if n.Tag != nil {
				tags[n.Tag] = true
			}
		case *ast.BinaryExpr:
			tx := info.TypeOf(n.X)
			if to, ok := arithmetic[n.Op]; ok && isNumeric(tx) && isNumeric(info.TypeOf(n.Y)) {
				swapOp(ArithmeticBase, n, to)
			}
			if to, ok := boundary[n.Op]; ok && isOrdered(tx) {
				swapOp(ConditionalsBoundary, n, to)
			}
			if to, ok := negation[n.Op]; ok {
				swapOp(ConditionalsNegation, n, to)
			}
			if to, ok := logical[n.Op]; ok {
				swapOp(InvertLogical, n, to)
			}
		case *ast.IncDecStmt:
			from, to := n.Tok, token.DEC
			if from == token.DEC {
				to = token.INC
			}
			add(IncrementDecrement, n.TokPos, n.TokPos+2, to.String(), func() { n.Tok = to }, func() { n.Tok = from })
		case *ast.AssignStmt:
			if to, ok := assignments[n.Tok]; ok && len(n.Lhs) == 1 && isNumeric(info.TypeOf(n.Lhs[0])) {
				from := n.Tok
				add(InvertAssignments, n.TokPos, n.TokPos+token.Pos(len(from.String())), to.String(),
					func() { n.Tok = to }, func() { n.Tok = from })
			}
		case *ast.ReturnStmt:
			g.returnSites(fd, stack, n, add)
		case *ast.BasicLit:
			if tags[n] {
				return true
			}
			if repl, ok := constantReplacement(n); ok {
				from := n.Value
				add(Constant, n.Pos(), n.End(), repl, func() { n.Value = repl }, func() { n.Value = from })
			}
		case *ast.Ident:
			if c, ok := info.Uses[n].(*types.Const); ok && c.Parent() == types.Universe && (n.Name == "true" || n.Name == "false") {
				from, to := n.Name, "false"
				if from == "false" {
					to = "true"
				}
				add(Constant, n.Pos(), n.End(), to, func() { n.Name = to }, func() { n.Name = from })
			}
		case *ast.BlockStmt:
			g.removalSites(n.List, add)
		case *ast.CaseClause:
			g.removalSites(n.Body, add)
		case *ast.CommClause:
			g.removalSites(n.Body, add)
		}
		return true
	})
	return sites
}

func constantReplacement(n *ast.BasicLit) (string, bool) {
	switch n.Kind {
	case token.INT, token.FLOAT:
		v := strings.ReplaceAll(n.Value, "_", "")
		if f, err := strconv.ParseFloat(v, 64); err == nil && f == 0 {
			return "1", true
		}
		if i, err := strconv.ParseInt(v, 0, 64); err == nil && i == 0 {
			return "1", true
		}
		return "0", true
	case token.STRING:
		if s, err := strconv.Unquote(n.Value); err == nil && s == "" {
			return `"graphperf"`, true
		}
		return `""`, true
	}
	return "", false
}

type addFunc func(op Operator, start, end token.Pos, repl string, apply, revert func())

// removalSites offers the removal of call statements and of assignments to
// existing variables in a statement list.
func (g *generator) removalSites(list []ast.Stmt, add addFunc) {
	for i, st := range list {
		removable := false
		switch s := st.(type) {
		case *ast.ExprStmt:
			_, removable = ast.Unparen(s.X).(*ast.CallExpr)
		case *ast.AssignStmt:
			if s.Tok != token.DEFINE {
				for _, l := range s.Lhs {
					if id, ok := l.(*ast.Ident); !ok || id.Name != "_" {
						removable = true
					}
				}
			}
		}
		if !removable {
			continue
		}
		i, st := i, st
		add(RemoveStatement, st.Pos(), st.End(), "",
			func() { list[i] = &ast.EmptyStmt{Semicolon: st.Pos(), Implicit: true} },
			func() { list[i] = st })
	}
}

// returnSites offers "return zero values" and "error → nil" for one return
// statement of the function or function literal that encloses it.
func (g *generator) returnSites(fd *ast.FuncDecl, stack []ast.Node, ret *ast.ReturnStmt, add addFunc) {
	if len(ret.Results) == 0 {
		return // naked return or no results
	}
	ft := fd.Type
	for i := len(stack) - 1; i >= 0; i-- {
		if fl, ok := stack[i].(*ast.FuncLit); ok {
			ft = fl.Type
			break
		}
	}
	if ft.Results == nil {
		return
	}
	info := g.pkg.TypesInfo
	var rtypes []ast.Expr
	for _, f := range ft.Results.List {
		n := len(f.Names)
		if n == 0 {
			n = 1
		}
		for range n {
			rtypes = append(rtypes, f.Type)
		}
	}
	zeros := make([]string, len(rtypes))
	for i, te := range rtypes {
		z, ok := zeroValue(info.TypeOf(te), te)
		if !ok {
			return
		}
		zeros[i] = z
	}
	orig := ret.Results
	render := func(rs []ast.Expr) string {
		var b strings.Builder
		b.WriteString("return ")
		for i, r := range rs {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(nodeString(g.pkg.Fset, r))
		}
		return b.String()
	}
	var nilRepl string
	if len(orig) == len(rtypes) {
		errType := types.Universe.Lookup("error").Type()
		for i, r := range orig {
			if id, ok := r.(*ast.Ident); ok && id.Name == "nil" {
				continue
			}
			if !types.Identical(info.TypeOf(rtypes[i]), errType) {
				continue
			}
			repl := make([]ast.Expr, len(orig))
			copy(repl, orig)
			repl[i] = ast.NewIdent("nil")
			nilRepl = render(repl)
			add(ErrorToNil, ret.Pos(), ret.End(), nilRepl,
				func() { ret.Results = repl }, func() { ret.Results = orig })
		}
	}
	zr := make([]ast.Expr, len(zeros))
	for i, z := range zeros {
		zr[i] = ast.NewIdent(z) // printed verbatim
	}
	zeroRepl := render(zr)
	if zeroRepl == nilRepl {
		return
	}
	add(ReturnZero, ret.Pos(), ret.End(), zeroRepl, func() { ret.Results = zr }, func() { ret.Results = orig })
}

// zeroValue returns the source text of the zero value of t, whose type
// expression in the signature is te.
func zeroValue(t types.Type, te ast.Expr) (string, bool) {
	if t == nil {
		return "", false
	}
	if _, ok := t.(*types.TypeParam); ok {
		return "*new(" + types.ExprString(te) + ")", true
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return "false", true
		case u.Info()&types.IsNumeric != 0:
			return "0", true
		case u.Info()&types.IsString != 0:
			return `""`, true
		case u.Kind() == types.UnsafePointer:
			return "nil", true
		}
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		return "nil", true
	case *types.Struct, *types.Array:
		return types.ExprString(te) + "{}", true
	}
	return "", false
}

func nodeString(fset *token.FileSet, n ast.Node) string {
	var b bytes.Buffer
	if err := printer.Fprint(&b, fset, n); err != nil {
		return types.ExprString(n.(ast.Expr))
	}
	return b.String()
}
