package client

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/internal/gremlintest"
)

// list wraps raw GraphSON items in a g:List.
func list(items ...string) string {
	return `{"@type":"g:List","@value":[` + strings.Join(items, ",") + `]}`
}

func int64s(from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf(`{"@type":"g:Int64","@value":%d}`, i))
	}
	return out
}

// echo answers with the "x" binding, or 1 when there is none.
func echo(fc *gremlintest.Conn, req *gremlintest.Request) {
	if x, ok := req.Bindings["x"]; ok {
		fc.Reply(req.ID, 200, []any{x})
		return
	}
	fc.Reply(req.ID, 200, []any{int32(1)})
}

// hexBytes parses space-separated hex bytes, the notation of the
// GraphBinary spec's examples.
func hexBytes(t testing.TB, s string) []byte {
	t.Helper()
	var out []byte
	for _, f := range strings.Fields(s) {
		b, err := hex.DecodeString(f)
		if err != nil || len(b) != 1 {
			t.Fatalf("bad hex byte %q", f)
		}
		out = append(out, b[0])
	}
	return out
}
