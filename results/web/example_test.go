package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/results"
	"github.com/graphperf/graphperf/results/web"
)

// Serve the results graph of a local JanusGraph and read the runs list
// from the JSON API (graphperf serve does the same with web.Listen and
// web.Serve).
func Example() {
	ctx := context.Background()
	cl, err := client.New(ctx, client.Config{Hosts: []string{"127.0.0.1:8182"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cl.Close()
	h, err := web.New(results.New(cl), web.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/runs?kind=query-bench&limit=5")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status)
	fmt.Println(string(body))
}

// A server that starts while its results graph is down, and connects on
// the first request that finds it up.
func ExampleLazy() {
	src := &web.Lazy{Open: func(ctx context.Context) (web.Source, error) {
		cl, err := client.New(ctx, client.Config{Hosts: []string{"127.0.0.1:8182"}})
		if err != nil {
			return nil, err
		}
		return results.New(cl), nil
	}}
	h, err := web.New(src, web.Config{Token: "s3cret"})
	if err != nil {
		fmt.Println(err)
		return
	}
	ln, err := web.Listen("127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // a real server runs until Ctrl-C
	fmt.Println(web.Serve(ctx, ln, h))
}
