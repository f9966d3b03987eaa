package composefile

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const repoFile = "../../docker-compose.janusgraph.yml"

func TestRepoComposeFile(t *testing.T) {
	p, err := Load(context.Background(), repoFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"cassandra", "elasticsearch", "janusgraph", "janusgraph-inmemory"} {
		if _, ok := p.Services[want]; !ok {
			t.Errorf("service %q missing; have %v", want, p.ServiceNames())
		}
	}
	if got := p.Services["janusgraph-inmemory"].Profiles; len(got) != 1 || got[0] != "inmemory" {
		t.Errorf("janusgraph-inmemory profiles = %v, want [inmemory]", got)
	}
	if ports := p.Services["janusgraph"].Ports; len(ports) != 1 || ports[0].Target != 8182 || ports[0].Published != "8182" {
		t.Errorf("janusgraph ports = %+v, want 8182:8182", ports)
	}
	for _, problem := range Check(p) {
		t.Error(problem)
	}
}

// TestDockerComposeConfig runs the real `docker compose config` where the
// Docker CLI has the compose plugin (it parses without an engine).
func TestDockerComposeConfig(t *testing.T) {
	if _, err := exec.LookPath("docker"); err != nil {
		t.Skip("no docker CLI; TestRepoComposeFile validated the file with compose-go")
	}
	if err := exec.Command("docker", "compose", "version").Run(); err != nil {
		t.Skip("docker CLI has no compose plugin; TestRepoComposeFile validated the file with compose-go")
	}
	out, err := exec.Command("docker", "compose", "-f", repoFile, "--profile", "inmemory", "config", "--quiet").CombinedOutput()
	if err != nil {
		t.Fatalf("docker compose config: %v\n%s", err, out)
	}
}

func TestCheckFindsProblems(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unpinned", "services:\n  a:\n    image: cassandra\n    healthcheck: {test: [\"CMD\", \"true\"]}\n", "not pinned"},
		{"latest", "services:\n  a:\n    image: cassandra:latest\n    healthcheck: {test: [\"CMD\", \"true\"]}\n", "not pinned"},
		{"no healthcheck", "services:\n  a:\n    image: cassandra:4.1.7\n", "no health check"},
		{"small content length", "services:\n  j:\n    image: janusgraph/janusgraph:1.1.0\n    healthcheck: {test: [\"CMD\", \"true\"]}\n    environment: {gremlinserver.maxContentLength: \"65536\", JAVA_OPTIONS: \"-Xmx1g\"}\n", "maxContentLength=65536"},
		{"no java options", "services:\n  j:\n    image: janusgraph/janusgraph:1.1.0\n    healthcheck: {test: [\"CMD\", \"true\"]}\n    environment: {gremlinserver.maxContentLength: \"8388608\"}\n", "JAVA_OPTIONS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "compose.yml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			p, err := Load(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(Check(p), "\n")
			if !strings.Contains(got, tt.want) {
				t.Errorf("Check() = %q, want a problem containing %q", got, tt.want)
			}
		})
	}
}

func TestLoadRejectsInvalidFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "compose.yml")
	if err := os.WriteFile(path, []byte("services:\n  a:\n    image: x:1\n    ports: [\"not-a-port\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(context.Background(), path); err == nil {
		t.Fatal("Load accepted an invalid port mapping")
	}
}
