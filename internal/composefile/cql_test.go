package composefile

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestComposeMatchesLocalCQL: the compose stack's JanusGraph runs with the
// CQL settings of the local `scripts/janusgraph.sh start --backend cql`.
func TestComposeMatchesLocalCQL(t *testing.T) {
	out, err := exec.Command("bash", "../../scripts/janusgraph.sh", "config", "--backend", "cql").Output()
	if err != nil {
		t.Fatalf("janusgraph.sh config --backend cql: %v", err)
	}
	local := ParseProperties(string(out))
	if local["storage.backend"] != "cql" {
		t.Fatalf("the script's cql properties have storage.backend=%q:\n%s", local["storage.backend"], out)
	}
	p, err := Load(context.Background(), repoFile)
	if err != nil {
		t.Fatal(err)
	}
	compose := JanusGraphProperties(p.Services["janusgraph"])
	for _, d := range CompareProperties(local, compose, CQLKeys()) {
		t.Error("docker-compose.janusgraph.yml service janusgraph vs scripts/janusgraph.sh: " + d)
	}
}

// TestComposeCassandraMatchesLocal: the compose file's Cassandra image is
// the version the local script resolves from Maven Central.
func TestComposeCassandraMatchesLocal(t *testing.T) {
	pom, err := os.ReadFile("../../scripts/janusgraph/cassandra-pom.xml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`<cassandra\.version>([^<]+)</cassandra\.version>`).FindSubmatch(pom)
	if m == nil {
		t.Fatal("no <cassandra.version> in scripts/janusgraph/cassandra-pom.xml")
	}
	p, err := Load(context.Background(), repoFile)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Services["cassandra"].Image, "cassandra:"+string(m[1]); got != want {
		t.Errorf("compose cassandra image %q, local Cassandra %q: keep them equal", got, want)
	}
}

func TestCompareProperties(t *testing.T) {
	keys := []string{"a", "b"}
	for _, tc := range []struct {
		name           string
		local, compose map[string]string
		want           []string
	}{
		{"equal", map[string]string{"a": "1", "b": "ONE"}, map[string]string{"a": "1", "b": "one", "c": "x"}, nil},
		{"differs", map[string]string{"a": "1", "b": "2"}, map[string]string{"a": "1", "b": "3"}, []string{`b: local "2", compose "3"`}},
		{"missing locally", map[string]string{"a": "1"}, map[string]string{"a": "1", "b": "3"}, []string{`b: compose sets "3", the local properties do not set it`}},
		{"missing in compose", map[string]string{"a": "1", "b": "2"}, map[string]string{"b": "2"}, []string{`a: the local properties set "1", compose does not set it`}},
		{"missing in both", map[string]string{"a": "1"}, map[string]string{"a": "1"}, []string{"b: set in neither the local properties nor the compose service"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := CompareProperties(tc.local, tc.compose, keys)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseProperties(t *testing.T) {
	got := ParseProperties("# comment\n\nstorage.backend=cql\n  ids.block-size = 1000000\n! also a comment\nempty=\n")
	want := map[string]string{"storage.backend": "cql", "ids.block-size": "1000000", "empty": ""}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestJanusGraphPropertiesAddsCQLBackend(t *testing.T) {
	p, err := Load(context.Background(), repoFile)
	if err != nil {
		t.Fatal(err)
	}
	if got := JanusGraphProperties(p.Services["janusgraph"])["storage.backend"]; got != "cql" {
		t.Errorf("janusgraph (cql-es template) storage.backend = %q, want cql", got)
	}
	if got, ok := JanusGraphProperties(p.Services["janusgraph-inmemory"])["storage.backend"]; ok {
		t.Errorf("janusgraph-inmemory storage.backend = %q, want unset (its template sets inmemory)", got)
	}
}

func ExampleCompareProperties() {
	local := ParseProperties("storage.cql.keyspace=janusgraph\nstorage.cql.write-consistency-level=ONE\n")
	compose := map[string]string{"storage.cql.keyspace": "janusgraph", "storage.cql.write-consistency-level": "QUORUM"}
	for _, d := range CompareProperties(local, compose, []string{"storage.cql.keyspace", "storage.cql.write-consistency-level"}) {
		fmt.Println(d)
	}
	// Output: storage.cql.write-consistency-level: local "ONE", compose "QUORUM"
}
