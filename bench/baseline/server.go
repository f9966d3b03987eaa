package baseline

import (
	"context"
	"fmt"

	"github.com/graphperf/graphperf/graph/client"
)

// Submitter runs one Gremlin script with bindings; *client.Client and
// every bench/driver driver implement it.
type Submitter interface {
	Submit(ctx context.Context, script string, bindings map[string]any) ([]any, error)
}

// DescribeServer asks the server behind sub for its JanusGraph version and
// the graph settings that matter to performance, for a run's Server field;
// hosts are recorded as given. Failed questions leave fields empty.
func DescribeServer(ctx context.Context, sub Submitter, hosts []string) Server {
	s := Server{Hosts: hosts, Config: map[string]string{}}
	if res, err := sub.Submit(ctx, `org.janusgraph.graphdb.configuration.JanusGraphConstants.VERSION`, nil); err == nil {
		if v, err := client.Result(res).One(); err == nil {
			s.JanusGraphVersion = fmt.Sprint(v)
		}
	}
	res, err := sub.Submit(ctx, `def c = graph.configuration(); ['storage.backend','storage.batch-loading','cache.db-cache','ids.block-size','query.batch']`+
		`.collectEntries{ [(it): String.valueOf(c.getProperty(it))] }`, nil)
	// The server sends a map as its entries, one single-entry map each.
	if err == nil {
		if ms, err := client.Result(res).Maps(); err == nil {
			for _, m := range ms {
				for k, v := range m {
					s.Config[k] = fmt.Sprint(v)
				}
			}
		}
	}
	return s
}
