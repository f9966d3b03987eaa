package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/graphperf/graphperf/graph/client"
)

// Connect to a Gremlin Server, send a parameterized script and read its
// result with a typed accessor. (It needs a server on 127.0.0.1:8182.)
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.New(ctx, client.Config{Hosts: []string{"127.0.0.1:8182"}, Serializer: client.GraphBinary})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	// A read is idempotent: it is retried after a server timeout or a lost
	// connection too.
	res, err := c.Do(ctx, &client.Request{
		Script:     "g.V().has('Account', 'accountId', id).out('transfer').count()",
		Bindings:   map[string]any{"id": int64(42)},
		Idempotent: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	n, err := res.Int64()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("transfers out of account 42:", n)
}

// Submit is the shorthand for a non-idempotent request; its items convert
// to Result for the accessors.
func ExampleClient_Submit() {
	ctx := context.Background()
	c, err := client.New(ctx, client.Config{Hosts: []string{"127.0.0.1:8182"}})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	items, err := c.Submit(ctx, "g.addV('Person').property('personId', id).id()", map[string]any{"id": int64(1)})
	if err != nil {
		var se *client.StatusError
		if errors.As(err, &se) {
			log.Fatalf("server answered %d: %s", se.Code, se.Message)
		}
		log.Fatal(err)
	}
	vid, err := client.Result(items).Int64()
	fmt.Println(vid, err)
}

// The accessors read the common result shapes and say precisely what did
// not match.
func ExampleResult() {
	count := client.Result{int64(3)}
	n, err := count.Int64()
	fmt.Println(n, err)

	// elementMap(): T tokens become "id" and "label".
	element := client.Result{map[any]any{client.T("id"): int64(4096), client.T("label"): "Account", "accountId": int64(7)}}
	m, err := element.Map()
	fmt.Println(m["label"], m["accountId"], err)

	ids, err := client.Result{int64(1), int64(2)}.Int64s()
	fmt.Println(ids, err)

	_, err = client.Result{}.One()
	fmt.Println(errors.Is(err, client.ErrEmptyResult), err)
	_, err = client.Result{"seven"}.Int64()
	fmt.Println(err)
	// Output:
	// 3 <nil>
	// Account 7 <nil>
	// [1 2] <nil>
	// true client: result has 0 items, want one item
	// client: result item 0 is string seven, want an integer
}

// Serializer.AppendValue tells what a value adds to a request in either
// wire format, e.g. to cut batches under Config.MaxRequestBytes.
func ExampleSerializer_AppendValue() {
	row := map[string]any{"accountId": int64(7), "nickname": "x"}
	for _, ser := range []client.Serializer{client.GraphSON, client.GraphBinary} {
		b, err := ser.AppendValue(nil, row)
		fmt.Println(ser, len(b), err)
	}
	// Output:
	// graphson 86 <nil>
	// graphbinary 52 <nil>
}
