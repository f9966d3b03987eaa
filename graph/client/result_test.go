package client

import (
	"errors"
	"math"
	"reflect"
	"testing"
)

func TestResultOne(t *testing.T) {
	tests := []struct {
		name      string
		r         Result
		want      any
		wantEmpty bool
		wantErr   bool
	}{
		{"one", Result{"x"}, "x", false, false},
		{"one nil", Result{nil}, nil, false, false},
		{"empty", Result{}, nil, true, true},
		{"nil result", nil, nil, true, true},
		{"two", Result{1, 2}, nil, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.r.One()
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("One() = %v, %v", got, err)
			}
			if errors.Is(err, ErrEmptyResult) != tt.wantEmpty {
				t.Errorf("errors.Is(%v, ErrEmptyResult) = %v, want %v", err, !tt.wantEmpty, tt.wantEmpty)
			}
			var re *ResultError
			if err != nil && (!errors.As(err, &re) || re.Len != len(tt.r) || re.Index != -1) {
				t.Errorf("error %#v, want *ResultError with Len %d", err, len(tt.r))
			}
		})
	}
}

func TestAsInt64(t *testing.T) {
	tests := []struct {
		in   any
		want int64
		ok   bool
	}{
		{int64(-5), -5, true},
		{int32(7), 7, true},
		{int16(-3), -3, true},
		{int8(2), 2, true},
		{int(9), 9, true},
		{uint8(255), 255, true},
		{uint32(math.MaxUint32), math.MaxUint32, true},
		{uint64(math.MaxInt64), math.MaxInt64, true},
		{uint64(math.MaxInt64) + 1, 0, false},
		{uint(1), 1, true},
		{float64(42), 42, true},
		{float32(-8), -8, true},
		{float64(-(1 << 63)), math.MinInt64, true},
		{float64(1 << 63), 0, false},
		{1.5, 0, false},
		{math.NaN(), 0, false},
		{"42", 0, false},
		{nil, 0, false},
		{true, 0, false},
	}
	for _, tt := range tests {
		got, ok := AsInt64(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("AsInt64(%T %v) = %d, %v; want %d, %v", tt.in, tt.in, got, ok, tt.want, tt.ok)
		}
	}
	if f, ok := AsFloat64(int32(3)); !ok || f != 3 {
		t.Errorf("AsFloat64(int32 3) = %v, %v", f, ok)
	}
	if f, ok := AsFloat64(float32(0.5)); !ok || f != 0.5 {
		t.Errorf("AsFloat64(float32 0.5) = %v, %v", f, ok)
	}
	if _, ok := AsFloat64("1"); ok {
		t.Error(`AsFloat64("1") converted`)
	}
}

func TestAsMap(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want map[string]any
		ok   bool
	}{
		{"string keys", map[string]any{"a": 1}, map[string]any{"a": 1}, true},
		{"g:Map of strings", map[any]any{"a": 1, "b": "x"}, map[string]any{"a": 1, "b": "x"}, true},
		{"elementMap tokens", map[any]any{T("id"): int64(4), T("label"): "Account", "accountId": int64(7)},
			map[string]any{"id": int64(4), "label": "Account", "accountId": int64(7)}, true},
		{"integer key", map[any]any{int64(1): "x"}, nil, false},
		{"not a map", []any{"a"}, nil, false},
		{"nil", nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := AsMap(tt.in)
			if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("AsMap = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestResultAccessors(t *testing.T) {
	if n, err := (Result{int64(3)}).Int64(); err != nil || n != 3 {
		t.Errorf("Int64 = %d, %v", n, err)
	}
	if f, err := (Result{int32(3)}).Float64(); err != nil || f != 3 {
		t.Errorf("Float64 = %v, %v", f, err)
	}
	if m, err := (Result{map[any]any{"k": "v"}}).Map(); err != nil || m["k"] != "v" {
		t.Errorf("Map = %v, %v", m, err)
	}
	if ns, err := (Result{int64(1), int32(2)}).Int64s(); err != nil || !reflect.DeepEqual(ns, []int64{1, 2}) {
		t.Errorf("Int64s = %v, %v", ns, err)
	}
	if ss, err := (Result{"a", "b"}).Strings(); err != nil || !reflect.DeepEqual(ss, []string{"a", "b"}) {
		t.Errorf("Strings = %v, %v", ss, err)
	}
	if ms, err := (Result{map[string]any{"a": 1}}).Maps(); err != nil || len(ms) != 1 || ms[0]["a"] != 1 {
		t.Errorf("Maps = %v, %v", ms, err)
	}
	for _, empty := range []Result{nil, {}} {
		if ns, err := empty.Int64s(); err != nil || ns == nil || len(ns) != 0 {
			t.Errorf("Int64s of empty = %#v, %v; want an empty slice", ns, err)
		}
	}
	wrong := []struct {
		name  string
		call  func() error
		index int
		msg   string
	}{
		{"Int64 of a string", func() error { _, err := (Result{"7"}).Int64(); return err }, 0,
			`client: result item 0 is string 7, want an integer`},
		{"Float64 of a bool", func() error { _, err := (Result{true}).Float64(); return err }, 0,
			`client: result item 0 is bool true, want a number`},
		{"Map of a list", func() error { _, err := (Result{[]any{}}).Map(); return err }, 0,
			`client: result item 0 is []interface {} [], want a map with string keys`},
		{"Int64s with a float", func() error { _, err := (Result{int64(1), 2.5}).Int64s(); return err }, 1,
			`client: result item 1 is float64 2.5, want an integer`},
		{"Strings with a number", func() error { _, err := (Result{"a", int64(1)}).Strings(); return err }, 1,
			`client: result item 1 is int64 1, want a string`},
		{"Maps with a string", func() error { _, err := (Result{"a"}).Maps(); return err }, 0,
			`client: result item 0 is string a, want a map with string keys`},
		{"Int64 of two", func() error { _, err := (Result{int64(1), int64(2)}).Int64(); return err }, -1,
			`client: result has 2 items, want one item`},
	}
	for _, tt := range wrong {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var re *ResultError
			if !errors.As(err, &re) || re.Index != tt.index || err.Error() != tt.msg {
				t.Fatalf("error %v, want %q at index %d", err, tt.msg, tt.index)
			}
			if errors.Is(err, ErrEmptyResult) {
				t.Error("matches ErrEmptyResult")
			}
		})
	}
}
