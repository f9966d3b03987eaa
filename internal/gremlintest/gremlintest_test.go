package gremlintest_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/graphbinary"
	"github.com/graphperf/graphperf/graph/graphson"
	"github.com/graphperf/graphperf/internal/gremlintest"
)

var serializers = []client.Serializer{client.GraphSON, client.GraphBinary}

func dial(t *testing.T, s *gremlintest.Server, cfg client.Config) *client.Client {
	t.Helper()
	cfg.Hosts = []string{s.Host()}
	cfg.Retry.BaseDelay = time.Millisecond
	c, err := client.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestServerSpeaksBothSerializers decodes each serializer's requests and
// answers in it, with 206 partials joined by the client.
func TestServerSpeaksBothSerializers(t *testing.T) {
	for _, ser := range serializers {
		t.Run(ser.String(), func(t *testing.T) {
			var got *gremlintest.Request
			s := gremlintest.NewServer(t, func(c *gremlintest.Conn, req *gremlintest.Request) {
				got = req
				c.Reply(req.ID, 206, []any{req.Bindings["x"]})
				c.Reply(req.ID, 200, []any{req.Script, map[any]any{"binary": c.Binary()}})
			})
			c := dial(t, s, client.Config{Serializer: ser, PoolSize: 1})
			res, err := c.Submit(context.Background(), "g.V(x)", map[string]any{"x": int64(42)})
			want := []any{int64(42), "g.V(x)", map[any]any{"binary": ser == client.GraphBinary}}
			if err != nil || !reflect.DeepEqual(res, want) {
				t.Fatalf("Submit = %#v, %v; want %#v", res, err, want)
			}
			if got.MimeType != ser.MimeType() || got.Op != "eval" || got.Size == 0 || got.Args["language"] != "gremlin-groovy" {
				t.Errorf("request = %+v", got)
			}
			if s.Requests() != 1 || s.Conns() != 1 {
				t.Errorf("requests %d, conns %d; want 1, 1", s.Requests(), s.Conns())
			}
		})
	}
}

// TestFaults injects what a real server cannot be made to do on demand.
func TestFaults(t *testing.T) {
	for _, ser := range serializers {
		t.Run(ser.String(), func(t *testing.T) {
			s := gremlintest.NewServer(t, func(c *gremlintest.Conn, req *gremlintest.Request) {
				switch req.Script {
				case "status":
					c.Send(req.ID, true, 597, "boom", map[any]any{"exceptions": []any{"E"}}, nil)
				case "graphson":
					c.SendGraphSON(req.ID, 200, "", `{"@type":"g:List","@value":[{"@type":"g:Int32","@value":5}]}`)
				case "malformed":
					c.WriteFrame([]byte("\x81not a frame"))
					c.Reply(req.ID, 200, []any{"after"})
				case "tear":
					c.Tear()
				}
			})
			c := dial(t, s, client.Config{Serializer: ser, PoolSize: 1})
			ctx := context.Background()
			_, err := c.Submit(ctx, "status", nil)
			var se *client.StatusError
			if !errors.As(err, &se) || se.Code != 597 || se.Exception != "E" || !errors.Is(err, client.ErrScript) {
				t.Errorf("status: %v, want a 597 *StatusError with exception E", err)
			}
			if res, err := c.Submit(ctx, "graphson", nil); err != nil || !reflect.DeepEqual(res, []any{int32(5)}) {
				t.Errorf("graphson: %v %v", res, err)
			}
			if res, err := c.Submit(ctx, "malformed", nil); err != nil || !reflect.DeepEqual(res, []any{"after"}) {
				t.Errorf("malformed frame: %v %v, want the answer after it", res, err)
			}
			_, err = c.Submit(ctx, "tear", nil)
			var ce *client.ConnError
			if !errors.As(err, &ce) {
				t.Errorf("tear: %v, want *ConnError", err)
			}
		})
	}
}

// TestMalformedRequest answers a frame it cannot read with 499.
func TestMalformedRequest(t *testing.T) {
	s := gremlintest.NewServer(t, func(c *gremlintest.Conn, req *gremlintest.Request) {
		t.Errorf("handler called for %+v", req)
	})
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+s.Host()+"/gremlin", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	for _, frame := range [][]byte{
		append([]byte{byte(len(graphson.MimeType))}, graphson.MimeType+`{"op":`...),
		append([]byte{byte(len(graphbinary.MimeType))}, graphbinary.MimeType+"\x81"...),
		[]byte("\x05xxxxx{}"),
	} {
		if err := ws.WriteMessage(websocket.BinaryMessage, frame); err != nil {
			t.Fatal(err)
		}
		_, msg, err := ws.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		var r graphson.Response
		if len(msg) > 0 && msg[0] == 0x81 {
			br, derr := graphbinary.DecodeResponse(msg)
			r, err = graphson.Response(br), derr
		} else {
			r, err = graphson.DecodeResponse(msg)
		}
		if err != nil || r.Code != 499 || r.Message == "" {
			t.Errorf("answer to %q: %+v %v, want 499 with a message", frame, r, err)
		}
	}
}

func TestAuthentication(t *testing.T) {
	s := gremlintest.NewServerWith(t, gremlintest.Options{Username: "u", Password: "p"},
		func(c *gremlintest.Conn, req *gremlintest.Request) { c.Reply(req.ID, 200, []any{int64(1)}) })
	for _, ser := range serializers {
		c := dial(t, s, client.Config{Serializer: ser, Username: "u", Password: "p"})
		if res, err := c.Submit(context.Background(), "1", nil); err != nil || !reflect.DeepEqual(res, []any{int64(1)}) {
			t.Errorf("%v: %v %v", ser, res, err)
		}
		_, err := client.New(context.Background(), client.Config{Hosts: []string{s.Host()}, Serializer: ser, Username: "u", Password: "x"})
		if !errors.Is(err, client.ErrUnauthorized) {
			t.Errorf("%v with a wrong password: %v, want ErrUnauthorized", ser, err)
		}
	}
}
