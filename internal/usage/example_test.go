package usage_test

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/graphperf/graphperf/internal/usage"
)

func Example() {
	app := &cli.App{
		Name:           "prog",
		Writer:         io.Discard,
		ExitErrHandler: func(*cli.Context, error) {},
		Commands: []*cli.Command{{
			Name:   "ping",
			Flags:  []cli.Flag{&cli.IntFlag{Name: "count"}},
			Action: func(c *cli.Context) error { fmt.Println("count", c.Int("count")); return nil },
		}},
	}
	usage.Install(app)
	for _, args := range [][]string{
		{"prog", "ping", "--count", "3"},
		{"prog", "ping", "--count", "x"},
		{"prog", "ping", "extra"},
	} {
		if err := app.Run(usage.Reorder(app, args)); err != nil {
			fmt.Println("usage:", err)
		}
	}
	// Output:
	// count 3
	// usage: --count "x": expected an integer
	// usage: ping takes no arguments, got ["extra"]
}
