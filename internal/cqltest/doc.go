// Package cqltest holds graphperf's integration tests on JanusGraph's CQL
// backend: a real Apache Cassandra 5.0 started from Maven Central jars by
// scripts/janusgraph.sh (through internal/testserver), never a fake.
//
// The single-node tests (loader round trip with verify, schema apply,
// Cassandra stopped mid-load then resumed) run in `make test`. The two-node
// cluster tests (a Gremlin server or a Cassandra node killed with SIGKILL
// mid-load) are built only with the tag `cluster` and run by
// `make test-cluster`.
package cqltest
