package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/docker/docker/client"

	"github.com/akash-market/akash/runtime/testimage"
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
func buildNode(t testing.TB) string {
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

// dockerOrSkip returns a client of the local engine and the akash-hello
// image built on it, or skips the test (saying why it needs the engine; under
// CI=true it fails) when no engine answers.
func dockerOrSkip(t testing.TB, why string) (*client.Client, string) {
	t.Helper()
	return testimage.Engine(t, why)
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
