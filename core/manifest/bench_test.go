package manifest

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParseCompileHash parses, validates, compiles and hashes a typical
// three-service manifest from the corpus (or the example when the corpus is
// absent). Target: ≤ 200 µs/op.
func BenchmarkParseCompileHash(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(corpusDir, "gogs__deploy_postgres.yaml"))
	if err != nil {
		data = exampleYAML
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := Parse("bench.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		_ = m.Version()
	}
}

func BenchmarkTopologyAllows(b *testing.B) {
	m, err := Parse("example.yaml", exampleYAML)
	if err != nil {
		b.Fatal(err)
	}
	top := m.Topology()
	b.ReportAllocs()
	for b.Loop() {
		if !top.Allows("web", "db", 5432, "TCP") {
			b.Fatal("denied")
		}
	}
}
