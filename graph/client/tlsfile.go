package client

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"strings"
)

// TLSConfig returns a TLS configuration (TLS 1.2 or later) for
// [Config.TLS] that trusts the CA certificates of the PEM file caFile, or
// the system pool when caFile is "". A file that cannot be read or holds
// no PEM certificate is an error naming it.
func TLSConfig(caFile string) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile == "" {
		return tc, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	tc.RootCAs = x509.NewCertPool()
	if !tc.RootCAs.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no PEM certificate in %s", caFile)
	}
	return tc, nil
}

// SplitHosts returns the hosts of values, each a host or a comma-separated
// list of them, without blanks or empty entries: the form of a repeatable
// command-line flag or an environment variable.
func SplitHosts(values []string) []string {
	var hosts []string
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				hosts = append(hosts, part)
			}
		}
	}
	return hosts
}
