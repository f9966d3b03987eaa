package oracle

import (
	"errors"
	"fmt"
	"math"
	"reflect"

	"github.com/graphperf/graphperf/bench/workload"
	"github.com/graphperf/graphperf/bench/workload/finbench"
)

// ErrNoOracle is matched (errors.Is) by the error of [Graph.Check] for an
// operation whose parameters it has no computation for.
var ErrNoOracle = errors.New("no oracle for these parameters")

// MismatchError is a read's wrong answer.
type MismatchError struct {
	// Type is the operation type ("TCR1", ...).
	Type string
	// Params are the read's parameters.
	Params any
	// Got is the answer the server gave, Want the oracle's.
	Got, Want workload.Result
	// Detail says where they differ.
	Detail string
}

// Error describes the difference briefly.
func (e *MismatchError) Error() string {
	return fmt.Sprintf("%s %+v: wrong answer: %s", e.Type, e.Params, e.Detail)
}

// Answer returns the oracle's answer to the read with parameters params
// (an operation's Params), or false when params are not a read's.
func (g *Graph) Answer(params any) (workload.Result, bool) {
	switch p := params.(type) {
	case finbench.TSR1Params:
		return g.TSR1(p.ID), true
	case finbench.TSR2Params:
		return g.TSR2(p), true
	case finbench.TSR3Params:
		return g.TSR3(p), true
	case finbench.TSR4Params:
		return g.TSR4(p), true
	case finbench.TSR5Params:
		return g.TSR5(p), true
	case finbench.TSR6Params:
		return g.TSR6(p), true
	case finbench.TCR1Params:
		return g.TCR1(p), true
	case finbench.TCR2Params:
		return g.TCR2(p), true
	case finbench.TCR5Params:
		return g.TCR5(p), true
	case finbench.TCR3Params:
		return g.TCR3(p), true
	case finbench.TCR4Params:
		return g.TCR4(p), true
	case finbench.TCR7Params:
		return g.TCR7(p), true
	case finbench.TCR6Params:
		return g.TCR6(p), true
	case finbench.TCR8Params:
		return g.TCR8(p), true
	case finbench.TCR9Params:
		return g.TCR9(p), true
	case finbench.TCR10Params:
		return g.TCR10(p), true
	case finbench.TCR12Params:
		return g.TCR12(p), true
	case finbench.TCR11Params:
		return g.TCR11(p), true
	}
	return nil, false
}

// Check compares a read's result with the oracle's answer on the graph as
// it stands: nil when they agree, a *[MismatchError] when not, an error
// matching [ErrNoOracle] when op is not a read with parameters the oracle
// knows. Floating-point values agree within 0.001 (one unit of FinBench's
// 3-decimal rounding: sums computed in another order may round apart).
func (g *Graph) Check(op workload.Operation, res workload.Result) error {
	want, ok := g.Answer(op.Params)
	if !ok {
		return fmt.Errorf("%s (parameters %T): %w", op.Type, op.Params, ErrNoOracle)
	}
	if d := diff(reflect.ValueOf(res), reflect.ValueOf(want), ""); d != "" {
		return &MismatchError{Type: op.Type, Params: op.Params, Got: res, Want: want, Detail: d}
	}
	return nil
}

// floatTolerance is how far apart two floats may be and agree.
const floatTolerance = 0.001 + 1e-9

// diff describes the first difference between got and want ("" for
// none); at is the path to them.
func diff(got, want reflect.Value, at string) string {
	if !got.IsValid() || !want.IsValid() || got.Type() != want.Type() {
		return fmt.Sprintf("%sgot %v, want %v", prefix(at), printable(got), printable(want))
	}
	switch got.Kind() {
	case reflect.Float64, reflect.Float32:
		if math.Abs(got.Float()-want.Float()) > floatTolerance {
			return fmt.Sprintf("%sgot %v, want %v", prefix(at), got.Float(), want.Float())
		}
	case reflect.Struct:
		for i := range got.NumField() {
			if d := diff(got.Field(i), want.Field(i), at+"."+got.Type().Field(i).Name); d != "" {
				return d
			}
		}
	case reflect.Slice:
		n := min(got.Len(), want.Len())
		for i := range n {
			if d := diff(got.Index(i), want.Index(i), fmt.Sprintf("%s[%d]", at, i)); d != "" {
				return d
			}
		}
		switch {
		case got.Len() > n:
			return fmt.Sprintf("%s%d items, want %d; the first extra: %+v", prefix(at), got.Len(), want.Len(), got.Index(n))
		case want.Len() > n:
			return fmt.Sprintf("%s%d items, want %d; the first missing: %+v", prefix(at), got.Len(), want.Len(), want.Index(n))
		}
	default:
		if !reflect.DeepEqual(got.Interface(), want.Interface()) {
			return fmt.Sprintf("%sgot %v, want %v", prefix(at), got, want)
		}
	}
	return ""
}

func prefix(at string) string {
	if at == "" {
		return ""
	}
	if at[0] == '.' {
		at = at[1:]
	}
	return at + ": "
}

func printable(v reflect.Value) any {
	if !v.IsValid() {
		return "nothing"
	}
	return v.Interface()
}
