package graphson

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/graph/gvalue"
)

// FuzzDecode feeds arbitrary bytes to the GraphSON decoder and the response
// envelope decoder. Seeds: frames captured from JanusGraph 1.1.0
// (testdata/frames) plus testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/frames/*.json")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := decoder{data: data, maxBulk: 1 << 12}
		_, err := d.value()
		if err != nil {
			var de *gvalue.DecodeError
			if !errors.As(err, &de) || de.Offset < 0 || de.Offset > len(data) {
				t.Fatalf("error %v is not a *gvalue.DecodeError within the input", err)
			}
		}
		// Plain JSON (no GraphSON types) that encoding/json accepts must
		// decode too, unless it nests deeper than the decoder allows.
		if err != nil && json.Valid(data) && !bytes.Contains(data, []byte("@")) &&
			!strings.Contains(err.Error(), "too deep") {
			t.Fatalf("valid plain JSON %q rejected: %v", data, err)
		}
		if r, err := decodeResponseLimit(data, 1<<12); err == nil && !r.HasRequestID && r.Code != 0 {
			// A status without a request id cannot be routed: dispatch
			// drops it, which is only safe if decoding reported no id.
			if bytes.Contains(data, []byte(`"requestId":"`)) && json.Valid(data) {
				var env map[string]json.RawMessage
				var id string
				if json.Unmarshal(data, &env) == nil && json.Unmarshal(env["requestId"], &id) == nil {
					if _, perr := gvalue.ParseUUID(id); perr == nil {
						t.Fatalf("request id %q lost from %q", id, data)
					}
				}
			}
		}
	})
}
