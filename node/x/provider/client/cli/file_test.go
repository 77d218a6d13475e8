package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadProviderFile(t *testing.T) {
	for _, c := range []struct {
		name, yaml, host, attrs, email, err string
	}{
		{"akash", "host: https://p.example.com:8443\nattributes:\n  - key: region\n    value: us-west\n  - key: tier\n    value: \"1\"\ninfo:\n  email: ops@example.com\n",
			"https://p.example.com:8443", "region=us-west tier=1", "ops@example.com", ""},
		{"daemon config", "host-uri: https://127.0.0.1:8443\nattributes: {tier: one, region: local}\npools: [{name: main, cpu: \"4\"}]\n",
			"https://127.0.0.1:8443", "region=local tier=one", "", ""},
		{"both hosts differ", "host: https://a:1\nhost-uri: https://b:1\n", "", "", "", "differ; give one"},
		{"bad attribute item", "host: https://a:1\nattributes:\n  - region\n", "", "", "", "provider.yaml:3:5: attributes[0]: want {key: ..., value: ...}"},
		{"attributes scalar", "host: https://a:1\nattributes: region\n", "", "", "", "want a list of {key, value} or a map"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "provider.yaml")
			if err := os.WriteFile(p, []byte(c.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			host, attrs, info, err := ReadProviderFile(p)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var kv []string
			for _, a := range attrs {
				kv = append(kv, a.Key+"="+a.Value)
			}
			if host != c.host || strings.Join(kv, " ") != c.attrs || info.Email != c.email {
				t.Fatalf("got %q %v %+v, want %q %q %q", host, kv, info, c.host, c.attrs, c.email)
			}
		})
	}
}
