package graphson_test

import (
	"fmt"

	"github.com/graphperf/graphperf/graph/graphson"
	"github.com/graphperf/graphperf/graph/gvalue"
)

// Encode a binding value and decode it back.
func ExampleAppendValue() {
	b, err := graphson.AppendValue(nil, map[string]any{"accountId": int64(7)})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))
	v, err := graphson.Decode(b)
	fmt.Println(v, err)
	// Output:
	// {"@type":"g:Map","@value":["accountId",{"@type":"g:Int64","@value":7}]}
	// map[accountId:7] <nil>
}

// Decode a response frame as Gremlin Server sends it: the items, the status
// and the request id.
func ExampleDecodeResponse() {
	frame := []byte(`{"requestId":"1b4e28ba-2fa1-41d2-883f-0016d3cca427",` +
		`"status":{"code":200,"message":"","attributes":{"@type":"g:Map","@value":[]}},` +
		`"result":{"data":{"@type":"g:List","@value":[{"@type":"janusgraph:RelationIdentifier","@value":{"relationId":"4r6-39s-4r9-3bc"}}]},` +
		`"meta":{"@type":"g:Map","@value":[]}}}`)
	r, err := graphson.DecodeResponse(frame)
	if err != nil {
		panic(err)
	}
	eid := r.Data.([]any)[0].(gvalue.RelationIdentifier)
	fmt.Println(r.Code, r.RequestID, eid)
	// Output:
	// 200 1b4e28ba-2fa1-41d2-883f-0016d3cca427 4r6-39s-4r9-3bc
}

// AppendString is the JSON string escaper the encoder uses.
func ExampleAppendString() {
	fmt.Println(string(graphson.AppendString(nil, "O'Neil \"nick\"\n")))
	// Output:
	// "O'Neil \"nick\"\n"
}
