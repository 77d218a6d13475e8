// Package testimage builds the akash-hello workload image (cmd/akash-hello in
// a FROM scratch image) on a Docker Engine, for tests that need a real
// container: no registry is reachable here, so tests build what they run.
package testimage

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/jsonmessage"
)

// Repository is the image name the hello image is tagged with.
const Repository = "akash-test/hello"

//go:embed Dockerfile
var dockerfile []byte

var (
	once     sync.Once
	builtAs  string
	buildErr error
)

// Hello builds cmd/akash-hello statically, packs it into a FROM scratch image
// tagged akash-test/hello:<sha256 of the binary, 12 hex> (and :latest), and
// returns that reference. The image is built at most once per process, and
// not at all when the engine already has that tag. The caller's working
// directory must be inside this module (true for go test).
func Hello(ctx context.Context, cli *client.Client) (string, error) {
	once.Do(func() { builtAs, buildErr = buildHello(ctx, cli) })
	return builtAs, buildErr
}

func buildHello(ctx context.Context, cli *client.Client) (string, error) {
	dir, err := os.MkdirTemp("", "akash-hello-*")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "akash-hello")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/akash-market/akash/cmd/akash-hello")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("testimage: go build ./cmd/akash-hello: %v\n%s", err, out)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	ref := Repository + ":" + hex.EncodeToString(sum[:6])
	if _, err := cli.ImageInspect(ctx, ref); err == nil {
		return ref, nil
	}

	var ctxTar bytes.Buffer
	tw := tar.NewWriter(&ctxTar)
	for _, f := range []struct {
		name string
		mode int64
		data []byte
	}{{"Dockerfile", 0o644, dockerfile}, {"akash-hello", 0o755, data}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.data))}); err != nil {
			return "", err
		}
		if _, err := tw.Write(f.data); err != nil {
			return "", err
		}
	}
	if err := tw.Close(); err != nil {
		return "", err
	}
	resp, err := cli.ImageBuild(ctx, &ctxTar, build.ImageBuildOptions{
		Tags: []string{ref, Repository + ":latest"}, Remove: true, ForceRemove: true,
	})
	if err != nil {
		return "", fmt.Errorf("testimage: build %s: %w", ref, err)
	}
	defer resp.Body.Close()
	var log strings.Builder
	if err := jsonmessage.DisplayJSONMessagesStream(resp.Body, &log, 0, false, nil); err != nil {
		return "", fmt.Errorf("testimage: build %s: %w\n%s", ref, err, log.String())
	}
	if _, err := cli.ImageInspect(ctx, ref); err != nil {
		return "", fmt.Errorf("testimage: build of %s reported success but the image is absent: %w\n%s", ref, err, log.String())
	}
	return ref, nil
}
