package workload

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/graphperf/graphperf/graph/client"
)

// TestClientExecutorIdempotency injects a server timeout (598) on the first
// attempt: an idempotent request is retried and succeeds, a write is not
// retried, so it can never run twice.
func TestClientExecutorIdempotency(t *testing.T) {
	tests := []struct {
		name       string
		idempotent bool
		wantErr    bool
		wantTries  int64
	}{
		{"idempotent read is retried", true, false, 2},
		{"write is not retried", false, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tries atomic.Int64
			host := faultServer(t, func(n int64) int {
				tries.Store(n + 1)
				if n == 0 {
					return 598
				}
				return 200
			})
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			c, err := client.New(ctx, client.Config{Hosts: []string{host}, PoolSize: 1,
				Retry: client.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			res, err := ClientExecutor{Client: c}.Submit(ctx, Request{Script: "g.inject(1)", Idempotent: tt.idempotent})
			if tt.wantErr != (err != nil) || (err != nil && !errors.Is(err, client.ErrServerTimeout)) {
				t.Fatalf("Submit: %v, %v; want error %v (server timeout)", res, err, tt.wantErr)
			}
			if got := tries.Load(); got != tt.wantTries {
				t.Errorf("%d attempts reached the server, want %d", got, tt.wantTries)
			}
		})
	}
}
