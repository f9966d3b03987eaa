package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestServeUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "extra"}, `serve takes no arguments, got ["extra"]`},
		{[]string{"serve", "--listen", "nope"}, "--listen: listen on nope"},
		{[]string{"serve", "--results-hosts", " , "}, "--results-hosts is empty"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, exitUsage, tc.want)
		}
	}
}

// serve comes up even though its results graph is down, says so on its
// pages (503 naming the graph), and Ctrl-C stops it with exit 130.
func TestServeGraphDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"graphperf", "--hosts", "127.0.0.1:1", "--timeout", "2s", "serve", "--listen", "127.0.0.1:0", "--token", "tok"}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no banner: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	url := regexp.MustCompile(`http://\S+/`).FindString(line)
	if url == "" || !strings.Contains(line, "results graph at 127.0.0.1:1") {
		t.Fatalf("banner %q", line)
	}
	req, _ := http.NewRequest(http.MethodGet, url+"runs", nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "127.0.0.1:1") {
		t.Errorf("status %d:\n%s", resp.StatusCode, body)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitInterrupted {
			t.Errorf("exit %d after Ctrl-C, want %d", code, exitInterrupted)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}
