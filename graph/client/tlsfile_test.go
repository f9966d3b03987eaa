package client

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestTLSConfig(t *testing.T) {
	if tc, err := TLSConfig(""); err != nil || tc.RootCAs != nil || tc.MinVersion == 0 {
		t.Errorf("TLSConfig(\"\") = %+v, %v; want the system pool", tc, err)
	}
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ file, want string }{
		{filepath.Join(dir, "missing.pem"), "missing.pem"},
		{notPEM, "no PEM certificate in " + notPEM},
	} {
		if _, err := TLSConfig(tt.file); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("TLSConfig(%s) = %v, want an error with %q", tt.file, err, tt.want)
		}
	}
}

func TestSplitHosts(t *testing.T) {
	tests := []struct {
		in   []string
		want []string
	}{
		{nil, nil},
		{[]string{"a:1"}, []string{"a:1"}},
		{[]string{"a:1, b:2", "c:3", " , "}, []string{"a:1", "b:2", "c:3"}},
	}
	for _, tt := range tests {
		if got := SplitHosts(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("SplitHosts(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
