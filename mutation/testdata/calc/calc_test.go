package calc

import (
	"errors"
	"testing"
)

func TestAdd(t *testing.T) {
	if got := Add(2, 3); got != 5 {
		t.Fatalf("Add(2, 3) = %d, want 5", got)
	}
}

func TestMax(t *testing.T) {
	if got := Max(4, 1); got != 4 {
		t.Fatalf("Max(4, 1) = %d", got)
	}
	if got := Max(1, 4); got != 4 {
		t.Fatalf("Max(1, 4) = %d", got)
	}
}

func TestDiv(t *testing.T) {
	if got, err := Div(9, 3); err != nil || got != 3 {
		t.Fatalf("Div(9, 3) = %d, %v", got, err)
	}
	if _, err := Div(1, 0); !errors.Is(err, ErrDivZero) {
		t.Fatalf("Div(1, 0) error = %v", err)
	}
}

func TestSum(t *testing.T) {
	if got := Sum([]int{1, 2, 3}); got != 6 {
		t.Fatalf("Sum = %d", got)
	}
}

func TestPositive(t *testing.T) {
	if !Positive([]int{1, 2}) || Positive([]int{1, -2}) {
		t.Fatal("Positive is wrong")
	}
}

func TestSink(t *testing.T) {
	if Sink(nil) != 7 {
		t.Fatal("Sink")
	}
}

func TestCount(t *testing.T) {
	if Count(3) != 3 {
		t.Fatal("Count")
	}
}

func TestGrow(t *testing.T) {
	if len(Grow(3)) != 3 {
		t.Fatal("Grow")
	}
}

func TestShapes(t *testing.T) {
	if !(Pair[string, int]{Key: "a"}).Valid(0, "") || (Pair[string, int]{}).Valid(1, "x") {
		t.Fatal("Valid")
	}
	if v, ok := First(3, 4); !ok || v != 3 {
		t.Fatalf("First(3, 4) = %d, %v", v, ok)
	}
	if _, ok := First[int](); ok {
		t.Fatal("First() ok")
	}
	var c counter
	c.Inc()
	if c.n != 1 || c.One(0) != 1 {
		t.Fatalf("counter %d, One %d", c.n, c.One(0))
	}
}

func TestDouble(t *testing.T) {
	if got := Double(2); got != 4 {
		t.Fatalf("Double(2) = %d", got)
	}
}
