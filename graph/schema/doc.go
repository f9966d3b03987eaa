// Package schema is JanusGraph schema-as-code: a [Schema] declares property
// keys, vertex and edge labels, composite indexes and vertex-centric
// indexes in Go, and [Apply] makes a live server match it idempotently
// through a management script.
//
// The package declares no graph of its own: each graph's owner declares its
// schema (banking.Schema for the banking graph, graphstore.Schema for the
// mutation results graph). [Apply] sends the whole declaration as one map
// binding to a Groovy script that iterates it: no value is formatted into a
// script. [Show] reads the live schema, [Diff] compares it with a
// declaration and [Extra] lists what the server has beyond it.
package schema
