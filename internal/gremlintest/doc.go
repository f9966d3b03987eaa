// Package gremlintest provides an in-process Gremlin Server stand-in for
// tests that must inject faults a real server cannot be made to produce on
// demand: scripted answers, error statuses, 206 partial results, stalls,
// torn connections and malformed frames.
//
// A [Server] speaks the WebSocket protocol of Gremlin Server and both of its
// serializers, GraphSON v3 and GraphBinary v1, chosen per connection by the
// mime type of the requests the client sends, so that tests cover the
// serializer clients use by default. Every eval request is decoded and
// handed to the test's [Handler], which answers through the [Conn].
//
// It is a fake for fault injection only: tests of behaviour that a real
// JanusGraph can show run against the real server (see internal/testenv).
package gremlintest
