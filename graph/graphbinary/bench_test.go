package graphbinary

import (
	"os"
	"strconv"
	"testing"

	"github.com/graphperf/graphperf/graph/gvalue"
)

// batch returns n property maps shaped like the loader's Account batches.
func batch(n int) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = map[string]any{
			"accountId":    int64(1_000_000 + i),
			"createTime":   int64(1_700_000_000_000 + i),
			"isBlocked":    i%20 == 0,
			"type":         "personalDeposit",
			"nickname":     "O'Neil \"nick\" " + strconv.Itoa(i),
			"email":        "user" + strconv.Itoa(i) + "@example.com",
			"phoneNumber":  "+1-555-0100",
			"accountLevel": "gold",
			"balance":      1234.56,
		}
	}
	return out
}

// benchEncodeBatch times encode on the loader's request shape.
func benchEncodeBatch(b *testing.B, encode func(buf []byte, id gvalue.UUID, script string, bindings map[string]any) ([]byte, error)) {
	rows := batch(1000)
	bindings := map[string]any{"rows": rows}
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		var err error
		buf, err = encode(buf[:0], gvalue.UUID{}, "rows.each { r -> g.addV('Account').property('accountId', r.accountId) }", bindings)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(buf)))
	b.ReportMetric(float64(b.N)*1000/b.Elapsed().Seconds(), "maps/s")
}

// benchDecodeVertexFrame times decode on a captured 64-vertex frame.
func benchDecodeVertexFrame(b *testing.B, path string, decode func([]byte) (Response, error)) {
	frame, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := decode(frame)
		if err != nil || len(r.Data.([]any)) != 64 {
			b.Fatalf("%v", err)
		}
	}
}
