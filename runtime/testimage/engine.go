package testimage

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/client"
)

// The Docker test harness every package's Docker tests share: a client of
// the local engine and the hello image built on it.

var (
	engineOnce sync.Once
	engineCli  *client.Client
	engineErr  error // no engine: the test skips, or fails under CI=true
)

// Engine returns a client of the local Docker Engine (DOCKER_HOST or the
// default socket) and the hello image built on it. When no engine answers,
// the test skips, saying why it needs one; with CI=true it fails instead, so
// a CI machine without Docker never goes green on tests that did not run.
// A failed image build always fails the test.
func Engine(t testing.TB, why string) (*client.Client, string) {
	t.Helper()
	engineOnce.Do(func() {
		cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
		if err != nil {
			engineErr = fmt.Errorf("no Docker client: %w", err)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := cli.Ping(ctx); err != nil {
			engineErr = fmt.Errorf("no Docker Engine answers at %s: %w", cli.DaemonHost(), err)
			return
		}
		engineCli = cli
	})
	if engineErr != nil {
		NoEngine(t, engineErr, why)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	img, err := Hello(ctx, engineCli)
	if err != nil {
		t.Fatalf("build the hello image: %v", err)
	}
	return engineCli, img
}

// StartHint says how to bring an engine up.
const StartHint = "start one (`sudo systemctl start docker`, or `sudo dockerd &`) or point DOCKER_HOST at one"

// NoEngine ends a test that found no usable Docker Engine (err says how it
// looked): a skip, or with CI=true a failure.
func NoEngine(t testing.TB, err error, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%v (%s); CI=true, where Docker tests must run, not skip: %s", err, why, StartHint)
		return
	}
	t.Skipf("skipping: %v (%s; %s)", err, why, StartHint)
}
