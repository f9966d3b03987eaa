package graphson

import (
	"encoding/json"
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

// BenchmarkEncodeBatch encodes one request carrying a 1,000-map list
// binding, as the loader sends it. maps/s is the loader-relevant rate.
func BenchmarkEncodeBatch(b *testing.B) { benchEncodeBatch(b, AppendRequest) }

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

// BenchmarkDecodeVertexFrame decodes a real 206 frame of 64 vertices
// captured from JanusGraph 1.1.0.
func BenchmarkDecodeVertexFrame(b *testing.B) {
	benchDecodeVertexFrame(b, "testdata/frames/vertices-0.json", DecodeResponse)
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

// BenchmarkDecodeVertexFrameStdlib is the reference point for
// BenchmarkDecodeVertexFrame: encoding/json into interface{} values, which
// still leaves every GraphSON type undecoded.
func BenchmarkDecodeVertexFrameStdlib(b *testing.B) {
	frame, err := os.ReadFile("testdata/frames/vertices-0.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(frame, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// injectFrame is JanusGraph 1.1.0's answer to g.inject(1).
const injectFrame = `{"requestId":"707857b4-4c11-4c22-bbc0-27d73307e785","status":{"message":"","code":200,"attributes":{"@type":"g:Map","@value":["host","/127.0.0.1:45048"]}},"result":{"data":{"@type":"g:List","@value":[{"@type":"g:Int32","@value":1}]},"meta":{"@type":"g:Map","@value":[]}}}`

// BenchmarkDecodeSmallFrame decodes the response to g:inject(1): the
// per-request floor of the decoder.
func BenchmarkDecodeSmallFrame(b *testing.B) {
	frame := []byte(injectFrame)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeResponse(frame); err != nil {
			b.Fatal(err)
		}
	}
}
