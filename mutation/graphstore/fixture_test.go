package graphstore

import (
	"time"

	"github.com/graphperf/graphperf/mutation"
)

// fixtureRun builds a small run by hand: package pkg with 2 files, 3 tests
// and 8 mutants covering every status.
//
//	cart.go:10:5   Killed       covered by TestCart, TestWeak; killed by TestCart
//	cart.go:12:9   Survived     covered by TestWeak
//	cart.go:20:2   NoCoverage
//	price.go:3:4   Survived     covered by TestPrice, TestWeak
//	price.go:5:7   Timeout      covered by TestPrice
//	price.go:8:3   CompileError covered by TestPrice
//	price.go:9:11  RuntimeError covered by TestPrice, TestWeak
//	price.go:15:1  Ignored
//
// Survivors by file: cart.go 12:9 and 20:2, price.go 3:4. Tests that kill
// nothing: TestPrice, TestWeak. Covered but not killed: cart.go:12:9,
// price.go:3:4, price.go:9:11.
func fixtureRun(pkg string, started time.Time) *mutation.Run {
	mk := func(id, file string, line, col int, op mutation.Operator, orig, repl string, st mutation.Status, cov, kill []string) *mutation.Mutant {
		return &mutation.Mutant{ID: id, Package: pkg, File: "shop/" + file, Func: "F" + id, Operator: op,
			Original: orig, Replacement: repl, Start: mutation.Position{Line: line, Column: col},
			End: mutation.Position{Line: line, Column: col + len(orig)}, Status: st, StatusReason: "reason " + id,
			CoveredBy: cov, KilledBy: kill, TestsCompleted: len(cov), Duration: 3 * time.Millisecond}
	}
	return &mutation.Run{
		ModulePath: "example.com/shop", ModuleRoot: "/src/shop", Started: started,
		Setup: time.Second, Baseline: 2 * time.Second, Mutation: 3 * time.Second,
		Packages: []*mutation.PackageResult{{
			Path:  pkg,
			Files: []mutation.SourceFile{{Path: "shop/cart.go", Source: "package shop\n"}, {Path: "shop/price.go", Source: "package shop\n"}},
			Tests: []*mutation.TestInfo{
				{Name: "TestCart", File: "shop/cart_test.go", Line: 7, Duration: 12 * time.Millisecond},
				{Name: "TestPrice", File: "shop/price_test.go", Line: 9, Duration: 30 * time.Millisecond},
				{Name: "TestWeak", File: "shop/cart_test.go", Line: 20, Duration: 1500 * time.Microsecond},
			},
			Mutants: []*mutation.Mutant{
				mk("m1", "cart.go", 10, 5, mutation.ArithmeticBase, "+", "-", mutation.Killed, []string{"TestWeak", "TestCart"}, []string{"TestCart"}),
				mk("m2", "cart.go", 12, 9, mutation.ConditionalsBoundary, "<", "<=", mutation.Survived, []string{"TestWeak"}, nil),
				mk("m3", "cart.go", 20, 2, mutation.RemoveStatement, "log()", "", mutation.NoCoverage, nil, nil),
				mk("m4", "price.go", 3, 4, mutation.Constant, "0", "1", mutation.Survived, []string{"TestWeak", "TestPrice"}, nil),
				mk("m5", "price.go", 5, 7, mutation.IncrementDecrement, "++", "--", mutation.Timeout, []string{"TestPrice"}, nil),
				mk("m6", "price.go", 8, 3, mutation.ReturnZero, "return x", "return 0", mutation.CompileError, []string{"TestPrice"}, nil),
				mk("m7", "price.go", 9, 11, mutation.InvertLogical, "&&", "||", mutation.RuntimeError, []string{"TestWeak", "TestPrice"}, nil),
				mk("m8", "price.go", 15, 1, mutation.ErrorToNil, "err", "nil", mutation.Ignored, nil, nil),
			},
		}},
	}
}
