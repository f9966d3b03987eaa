package mutation

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolveRefRefusesBadRefs(t *testing.T) {
	repo := t.TempDir()
	git(t, repo, "init", "-q")
	if err := os.WriteFile(filepath.Join(repo, "a.txt"), []byte("a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, repo, "add", ".")
	git(t, repo, "commit", "-q", "-m", "a")
	outside := t.TempDir()
	victim := filepath.Join(repo, "victim.txt")
	if err := os.WriteFile(victim, []byte("keep me\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, dir, ref, want string
	}{
		{"option as ref", repo, "--output=" + victim, "start with '-'"},
		{"dash", repo, "-p", "start with '-'"},
		{"unknown ref", repo, "no-such-ref", "no such commit"},
		{"no repository", outside, "HEAD", "not in a git repository"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := resolveRef(context.Background(), tc.dir, tc.ref)
			var re *RefError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a *RefError containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "usage:") {
				t.Errorf("error is not one clean line: %q", err)
			}
		})
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "keep me\n" {
		t.Errorf("victim file changed: %q, %v", b, err)
	}
	head, err := resolveRef(context.Background(), repo, "HEAD")
	if err != nil || len(head) != 40 {
		t.Errorf("HEAD resolves to %q, %v", head, err)
	}
}

func TestExecuteRefusesUnboundedWorkers(t *testing.T) {
	for _, w := range []int{-1, MaxWorkers + 1, 100000000} {
		_, err := Execute(context.Background(), Config{Dir: t.TempDir(), Workers: w})
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Field != "Workers" {
			t.Errorf("Workers %d: err = %v, want a *ConfigError on Workers", w, err)
		}
	}
}

func TestParseShardAndOperators(t *testing.T) {
	for _, tc := range []struct {
		in   string
		k, n int
		ok   bool
	}{{"1/2", 1, 2, true}, {"2/2", 2, 2, true}, {"3/2", 0, 0, false}, {"0/1", 0, 0, false}, {"x", 0, 0, false}, {"1/", 0, 0, false}} {
		k, n, err := ParseShard(tc.in)
		if (err == nil) != tc.ok || k != tc.k || n != tc.n {
			t.Errorf("ParseShard(%q) = %d, %d, %v", tc.in, k, n, err)
		}
	}
	ops, err := ParseOperators("ConditionalsBoundary, ErrorToNil")
	if err != nil || len(ops) != 2 || ops[0] != ConditionalsBoundary || ops[1] != ErrorToNil {
		t.Errorf("ParseOperators = %v, %v", ops, err)
	}
	if ops, err := ParseOperators(""); ops != nil || err != nil {
		t.Errorf("empty: %v, %v", ops, err)
	}
	var ce *ConfigError
	if _, err := ParseOperators("Nope"); !errors.As(err, &ce) || !strings.Contains(err.Error(), `unknown operator "Nope"`) {
		t.Errorf("unknown operator: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   Config
		field string // "" valid; "DiffRef" for a *RefError
	}{
		{"zero", Config{}, ""},
		{"full", Config{Workers: MaxWorkers, Shard: 2, Shards: 2, Operators: []Operator{ErrorToNil}, DiffRef: "origin/main"}, ""},
		{"negative workers", Config{Workers: -1}, "Workers"},
		{"too many workers", Config{Workers: MaxWorkers + 1}, "Workers"},
		{"shard over shards", Config{Shard: 3, Shards: 2}, "Shard"},
		{"shard 0", Config{Shard: 0, Shards: 2}, "Shard"},
		{"negative shards", Config{Shards: -1}, "Shard"},
		{"unknown operator", Config{Operators: []Operator{"Nope"}}, "Operators"},
		{"ref like an option", Config{DiffRef: "--output=x"}, "DiffRef"},
	} {
		err := tc.cfg.Validate()
		var ce *ConfigError
		var re *RefError
		switch {
		case tc.field == "":
			if err != nil {
				t.Errorf("%s: %v, want nil", tc.name, err)
			}
		case tc.field == "DiffRef":
			if !errors.As(err, &re) || re.Ref != tc.cfg.DiffRef {
				t.Errorf("%s: %v, want a *RefError", tc.name, err)
			}
		case !errors.As(err, &ce) || ce.Field != tc.field:
			t.Errorf("%s: %v, want a *ConfigError on %s", tc.name, err, tc.field)
		}
	}
}
