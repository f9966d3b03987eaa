package ping_test

import (
	"context"
	"fmt"

	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/ping"
)

// Example times five round trips to a local Gremlin Server.
func Example() {
	ctx := context.Background()
	cl, err := client.New(ctx, client.Config{Hosts: []string{"127.0.0.1:8182"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cl.Close()
	r, err := ping.Run(ctx, cl, 5)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v: median %v\n", r.Hosts, r.Median)
}
