package client

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/graphperf/graphperf/internal/gremlintest"
)

// TestBinaryUndecodableFrameFailsOnlyItsRequest: a GraphBinary frame the
// decoder cannot read (an unknown custom type, garbage) fails the request
// it belongs to with *DecodeError; frames are whole, so the connection and
// the other requests on it carry on.
func TestBinaryUndecodableFrameFailsOnlyItsRequest(t *testing.T) {
	release := make(chan struct{})
	fs := gremlintest.NewServer(t, func(fc *gremlintest.Conn, req *gremlintest.Request) {
		u := req.ID
		switch req.Script {
		case "unknown":
			// 206 with an unregistered custom type, then the final 200.
			frame := append([]byte{0x81, 0}, u[:]...)
			frame = append(frame, hexBytes(t, "00 00 00 ce 00 00 00 00 00 00 00 00 00 00 00 00 00 09 00 00 00 00 01")...)
			frame = append(frame, hexBytes(t, "00 00 00 00 08 61 63 6d 65 3a 57 69 64 00 00 00 00 00 00 00 00 01 02 03")...)
			fc.WriteFrame([]byte("\x81garbage"))
			fc.WriteFrame(frame)
			fc.SendGraphSON(req.ID, 200, "", list(`{"@type":"g:Int32","@value":5}`))
		case "slow":
			go func() { <-release; echo(fc, req) }()
		default:
			echo(fc, req)
		}
	})
	c := newTestClient(t, fs, Config{Serializer: GraphBinary, PoolSize: 1})
	slow := make(chan error, 1)
	go func() {
		res, err := c.Submit(context.Background(), "slow", map[string]any{"x": "still here"})
		if err == nil && !reflect.DeepEqual(res, []any{"still here"}) {
			err = fmt.Errorf("slow request got %v", res)
		}
		slow <- err
	}()
	_, err := c.Submit(context.Background(), "unknown", nil)
	var de *DecodeError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), `unknown custom type "acme:Wid"`) {
		t.Fatalf("got %v, want *DecodeError naming the custom type", err)
	}
	res, err := c.Submit(context.Background(), "next", map[string]any{"x": int64(7)})
	if err != nil || !reflect.DeepEqual(res, []any{int64(7)}) {
		t.Fatalf("next request on the connection: %v %v", res, err)
	}
	close(release)
	if err := <-slow; err != nil {
		t.Errorf("concurrent request: %v", err)
	}
	if n := fs.Conns(); n != 1 {
		t.Errorf("connections = %d, want 1 (undecodable frames must not break it)", n)
	}
}

func TestSerializerConfig(t *testing.T) {
	for _, s := range []string{"graphson", "graphbinary"} {
		ser, err := ParseSerializer(s)
		if err != nil || ser.String() != s {
			t.Errorf("ParseSerializer(%q) = %v, %v", s, ser, err)
		}
	}
	if _, err := ParseSerializer("gryo"); err == nil || !strings.Contains(err.Error(), "gryo") {
		t.Errorf("ParseSerializer(gryo) = %v, want an error naming it", err)
	}
	if GraphBinary.MimeType() != "application/vnd.graphbinary-v1.0" || GraphSON.MimeType() != "application/vnd.gremlin-v3.0+json" {
		t.Error("wrong mime types")
	}
	if _, err := New(context.Background(), Config{Serializer: Serializer(9)}); err == nil || !strings.Contains(err.Error(), "Serializer") {
		t.Errorf("New with an unknown serializer: %v, want an error naming Config.Serializer", err)
	}
}
