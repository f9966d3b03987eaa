package gremlintext_test

import (
	"fmt"
	"os"

	"github.com/graphperf/graphperf/graph/client"
	"github.com/graphperf/graphperf/graph/gremlintext"
)

// Type binding literals as written on a command line, and print results
// as the Gremlin console does.
func Example() {
	b, err := gremlintext.ParseBindings([]string{"n=42", `s="42"`, "l=[1,2.5]"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%T %T %T\n", b["n"], b["s"], b["l"])
	_, err = gremlintext.ParseBindings([]string{"id=1"})
	fmt.Println(err)

	res := []any{
		client.Vertex{ID: int64(4), Label: "Account"},
		client.Edge{ID: int64(9), Label: "transfer", OutV: int64(4), InV: int64(8)},
		map[any]any{"k": []any{int64(1), nil}},
	}
	_ = gremlintext.WriteText(os.Stdout, res)
	// Output:
	// int64 string []interface {}
	// "id=1": "id" shadows a Gremlin token; choose another name
	// ==>v[4]
	// ==>e[9][4-transfer->8]
	// ==>[k:[1, null]]
}
