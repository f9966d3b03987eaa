// Package composefile checks graphperf's Docker Compose file without a Docker
// engine.
//
// It loads the file with compose-spec/compose-go, the library `docker compose`
// itself uses for `docker compose config`, so a file that Load accepts is one
// that `docker compose config` accepts. On top of the spec it checks the
// invariants graphperf depends on: pinned image tags, a health check on every
// service, and a JanusGraph maxContentLength large enough for loader batches.
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
