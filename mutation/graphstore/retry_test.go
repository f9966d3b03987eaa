package graphstore

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/internal/gremlintest"
)

// An upsert whose connection is lost after the server received it may still
// be running there: Store fails the step instead of resending it (a resend
// could run concurrently and create the run twice), while the same client
// does resend an idempotent read after the same fault.
func TestStoreDoesNotResendAnUpsertAfterALostConnection(t *testing.T) {
	srv := gremlintest.NewServer(t, func(c *gremlintest.Conn, req *gremlintest.Request) {
		_ = c.Tear() // the request arrived; its answer is lost with the connection
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cl, err := client.New(ctx, client.Config{Hosts: []string{srv.Host()},
		Retry: client.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()

	_, err = Store(ctx, cl, fixtureRun("p", time.Now()), Options{RunID: "r1", SkipSchema: true})
	var se *Error
	if !errors.As(err, &se) || se.Step != "run" {
		t.Fatalf("Store after a lost connection: %v, want the run step to fail", err)
	}
	var ce *client.ConnError
	if !errors.As(err, &ce) {
		t.Errorf("Store's error %v does not carry the *client.ConnError", err)
	}
	if n := srv.Requests(); n != 1 {
		t.Fatalf("the server received %d requests, want the run upsert exactly once", n)
	}

	// The contrast: an idempotent read is resent up to MaxAttempts.
	_, err = cl.Do(ctx, &client.Request{Script: QueryRuns, Idempotent: true})
	if err == nil {
		t.Fatal("the read succeeded against a server that tears every connection")
	}
	if n := srv.Requests() - 1; n != 3 {
		t.Fatalf("the idempotent read reached the server %d times, want 3 (MaxAttempts): %v", n, fmt.Sprint(err))
	}
}
