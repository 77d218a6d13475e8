package testimage

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// tb records how a test ended instead of ending it.
type tb struct {
	testing.TB
	ended string
}

func (t *tb) Helper()                      {}
func (t *tb) Fatalf(f string, args ...any) { t.ended = "fatal: " + fmt.Sprintf(f, args...) }
func (t *tb) Skipf(f string, args ...any)  { t.ended = "skip: " + fmt.Sprintf(f, args...) }
func (t *tb) Errorf(f string, args ...any) { t.ended = "error: " + fmt.Sprintf(f, args...) }
func (t *tb) Logf(string, ...any)          {}
func (t *tb) Setenv(string, string)        {}
func (t *tb) Cleanup(func())               {}
func (t *tb) Name() string                 { return "fake" }

func TestNoEngine(t *testing.T) {
	for _, c := range []struct{ ci, want string }{
		{"true", "fatal: "},
		{"", "skip: "},
		{"false", "skip: "},
	} {
		t.Setenv("CI", c.ci)
		var f tb
		NoEngine(&f, errors.New("no Docker Engine answers at unix:///x"), "the test runs containers")
		if !strings.HasPrefix(f.ended, c.want) || !strings.Contains(f.ended, "unix:///x") || !strings.Contains(f.ended, "DOCKER_HOST") {
			t.Errorf("CI=%q: %q; want %q..., naming the engine and how to start one", c.ci, f.ended, c.want)
		}
	}
}
