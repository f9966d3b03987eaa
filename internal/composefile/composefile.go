// Package composefile checks graphperf's Docker Compose file without a Docker
// engine.
//
// It loads the file with compose-spec/compose-go, the library `docker compose`
// itself uses for `docker compose config`, so a file that Load accepts is one
// that `docker compose config` accepts. On top of the spec it checks the
// invariants graphperf depends on: pinned image tags, a health check on every
// service, and a JanusGraph maxContentLength large enough for loader batches.
// [CompareProperties] with [CQLKeys] keeps the compose stack's CQL settings
// equal to those of the local CQL backend of scripts/janusgraph.sh.
package composefile

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// MinContentLength is the smallest Gremlin Server maxContentLength graphperf
// accepts in a compose file: the loader's batches are sized well under 8 MiB.
const MinContentLength = 8 << 20

// Load parses and validates the compose file at path with every profile
// enabled, as `docker compose --profile '*' config` would.
func Load(ctx context.Context, path string) (*types.Project, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	opts, err := cli.NewProjectOptions([]string{abs},
		cli.WithWorkingDirectory(filepath.Dir(abs)),
		cli.WithProfiles([]string{"*"}),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		return nil, fmt.Errorf("compose options for %s: %w", path, err)
	}
	p, err := opts.LoadProject(ctx)
	if err != nil {
		return nil, fmt.Errorf("compose file %s: %w", path, err)
	}
	return p, nil
}

// Check returns one message per violated graphperf invariant in p.
func Check(p *types.Project) []string {
	var problems []string
	for name, s := range p.Services {
		if s.Image == "" || !strings.Contains(s.Image, ":") || strings.HasSuffix(s.Image, ":latest") {
			problems = append(problems, fmt.Sprintf("service %s: image %q is not pinned to a tag", name, s.Image))
		}
		if s.HealthCheck == nil || len(s.HealthCheck.Test) == 0 {
			problems = append(problems, fmt.Sprintf("service %s: no health check", name))
		}
		if !strings.HasPrefix(s.Image, "janusgraph/janusgraph:") {
			continue
		}
		v := s.Environment["gremlinserver.maxContentLength"]
		if v == nil {
			problems = append(problems, fmt.Sprintf("service %s: gremlinserver.maxContentLength not set (server default 65536 is too small)", name))
		} else if n, err := strconv.Atoi(*v); err != nil || n < MinContentLength {
			problems = append(problems, fmt.Sprintf("service %s: gremlinserver.maxContentLength=%s, want ≥ %d", name, *v, MinContentLength))
		}
		if s.Environment["JAVA_OPTIONS"] == nil {
			problems = append(problems, fmt.Sprintf("service %s: JAVA_OPTIONS not set (image default heap is 4 GiB with pre-touch)", name))
		}
	}
	return problems
}

// CQLKeys returns the JanusGraph properties that must be equal in the
// compose file's CQL JanusGraph service and in the properties
// scripts/janusgraph.sh generates for its local CQL backend, so that the
// local cluster runs what the compose stack would: keyspace, data centre,
// consistency, batching, batch loading, id allocation and caching. Host,
// port and replication factor legitimately differ.
func CQLKeys() []string {
	return []string{
		"storage.backend",
		"storage.cql.keyspace",
		"storage.cql.local-datacenter",
		"storage.cql.read-consistency-level",
		"storage.cql.write-consistency-level",
		"storage.cql.batch-statement-size",
		"storage.parallel-backend-ops",
		"storage.batch-loading",
		"ids.block-size",
		"ids.authority.wait-time",
		"cache.db-cache",
	}
}

// JanusGraphProperties returns the JanusGraph properties a janusgraph/janusgraph
// service sets: its `janusgraph.*` environment variables without the prefix,
// plus storage.backend=cql for the cql templates (JANUS_PROPS_TEMPLATE cql or
// cql-es), which set it themselves.
func JanusGraphProperties(s types.ServiceConfig) map[string]string {
	props := map[string]string{}
	for k, v := range s.Environment {
		if name, ok := strings.CutPrefix(k, "janusgraph."); ok && v != nil {
			props[name] = *v
		}
	}
	if t := s.Environment["JANUS_PROPS_TEMPLATE"]; t != nil && strings.HasPrefix(*t, "cql") {
		if _, ok := props["storage.backend"]; !ok {
			props["storage.backend"] = "cql"
		}
	}
	return props
}

// ParseProperties parses Java properties text of the simple form
// scripts/janusgraph.sh writes: one key=value a line, # comments.
func ParseProperties(text string) map[string]string {
	props := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "!") {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		props[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return props
}

// CompareProperties returns one message per key whose value differs
// between local (the script's properties) and compose (a service's),
// or that is missing from either.
func CompareProperties(local, compose map[string]string, keys []string) []string {
	var diffs []string
	for _, k := range keys {
		l, lok := local[k]
		c, cok := compose[k]
		switch {
		case !lok && !cok:
			diffs = append(diffs, fmt.Sprintf("%s: set in neither the local properties nor the compose service", k))
		case !lok:
			diffs = append(diffs, fmt.Sprintf("%s: compose sets %q, the local properties do not set it", k, c))
		case !cok:
			diffs = append(diffs, fmt.Sprintf("%s: the local properties set %q, compose does not set it", k, l))
		case !strings.EqualFold(l, c):
			diffs = append(diffs, fmt.Sprintf("%s: local %q, compose %q", k, l, c))
		}
	}
	return diffs
}
