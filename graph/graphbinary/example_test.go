package graphbinary_test

import (
	"fmt"

	"github.com/graphperf/graphperf/graph/graphbinary"
	"github.com/graphperf/graphperf/graph/gvalue"
)

// Encode a binding value and decode it back: the same Go value as GraphSON
// gives.
func ExampleAppendValue() {
	b, err := graphbinary.AppendValue(nil, []any{int64(7), "x", true})
	if err != nil {
		panic(err)
	}
	fmt.Printf("% x\n", b)
	v, err := graphbinary.Decode(b)
	fmt.Println(v, err)
	// Output:
	// 09 00 00 00 00 03 02 00 00 00 00 00 00 00 00 07 03 00 00 00 00 01 78 27 00 01
	// [7 x true] <nil>
}

// A request frame and the server's view of it.
func ExampleAppendRequest() {
	id, _ := gvalue.ParseUUID("1b4e28ba-2fa1-41d2-883f-0016d3cca427")
	frame, err := graphbinary.AppendRequest(nil, id, "g.V(x).count()", map[string]any{"x": int64(4)})
	if err != nil {
		panic(err)
	}
	req, err := graphbinary.DecodeRequest(frame)
	fmt.Println(req.RequestID, req.Op, req.Args["gremlin"], req.Args["bindings"], err)
	// Output:
	// 1b4e28ba-2fa1-41d2-883f-0016d3cca427 eval g.V(x).count() map[x:4] <nil>
}
