package client

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteHostStats prints the hosts' counters (from [Client.Stats]) as a
// small table under the heading "requests per Gremlin server:": host,
// requests, served, errors, availability now, times marked down.
func WriteHostStats(w io.Writer, stats []HostStats) error {
	fmt.Fprintln(w, "\nrequests per Gremlin server:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  host\trequests\tserved\terrors\tnow\tmarked down")
	for _, s := range stats {
		now := "available"
		if !s.Available {
			now = "unavailable"
		}
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%s\t%d\n", s.Host, s.Requests, s.Served(), s.Errors, now, s.MarkedDown)
	}
	return tw.Flush()
}
