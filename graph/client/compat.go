package client

import "github.com/graphperf/graphperf/graph/graphson"

// Decode decodes one GraphSON v3 value.
//
// Deprecated: use graphson.Decode. This forwarder remains only until its
// last caller (bench/driver) moves.
func Decode(data []byte) (any, error) { return graphson.Decode(data) }
