package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var (
	nodeOnce sync.Once
	nodeDir  string
	nodeBin  string
	nodeErr  error
)

// buildNode builds akash-node once per test binary, statically
// (CGO_ENABLED=0): the devnet runs it on the host, and the overlay test
// packs the same file into a FROM scratch image for the provider containers.
func buildNode(t *testing.T) string {
	t.Helper()
	nodeOnce.Do(func() {
		if nodeDir, nodeErr = os.MkdirTemp("", "akash-e2e-node-*"); nodeErr != nil {
			return
		}
		nodeBin = filepath.Join(nodeDir, "akash-node")
		cmd := exec.Command("go", "build", "-o", nodeBin, "github.com/akash-market/akash/cmd/akash-node")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			nodeErr = &buildError{err: err, out: string(out)}
		}
	})
	if nodeErr != nil {
		t.Fatalf("go build akash-node (static): %v", nodeErr)
	}
	return nodeBin
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

func TestMain(m *testing.M) {
	code := m.Run()
	if nodeDir != "" {
		_ = os.RemoveAll(nodeDir)
	}
	os.Exit(code)
}
