package main

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/akash-market/akash/overlay/tunnel"
	"github.com/spf13/cobra"
)

func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), err
}

func TestEveryCommandHasHelpWithExample(t *testing.T) {
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() && c.Example == "" {
			t.Errorf("%s has no Example", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCommand())
	out, err := run(t, "run", "--help")
	if err != nil || !strings.Contains(out, "akash-tunnel run --config tunnel.json") {
		t.Fatalf("run --help: %v\n%s", err, out)
	}
}

func TestRunWithoutConfigSaysHow(t *testing.T) {
	t.Setenv(configEnv, "")
	_, err := run(t, "run")
	if err == nil || !strings.Contains(err.Error(), "--config FILE or set AKASH_TUNNEL_CONFIG") {
		t.Fatalf("err = %v", err)
	}
}

func TestEchoProbePump(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	go run(t, "echo", "--listen", addr)
	deadline := time.Now().Add(5 * time.Second)
	for {
		out, err := run(t, "probe", "--addr", addr, "--timeout", "1s")
		if err == nil {
			if !strings.Contains(out, `"first_byte_ms"`) {
				t.Fatalf("probe output %q", out)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("probe of echo at %s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	out, err := run(t, "pump", "--addr", addr, "--bytes", "1000000")
	if err != nil || !strings.Contains(out, `"bytes":1000000`) {
		t.Fatalf("pump: %v %q", err, out)
	}
	// Nothing listens: probe fails, as a denied connection must.
	ln2, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := ln2.Addr().String()
	ln2.Close()
	if _, err := run(t, "probe", "--addr", dead, "--timeout", "500ms"); err == nil {
		t.Fatal("probe of a closed port succeeded")
	}
}

func TestStatusTable(t *testing.T) {
	stats := []tunnel.Stats{{Link: "akash1tenant/42/web->db:5432/tcp", Role: "client", Peer: "akash1provB", Local: "10.0.0.10:5432",
		State: tunnel.Down, BytesOut: 12, BytesIn: 34, Streams: 2, Errors: 1, LastError: "dial peer: timeout"}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/tunnels" {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(stats)
	}))
	defer srv.Close()
	out, err := run(t, "status", "--http", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"LINK", "web->db:5432/tcp", "down", "dial peer: timeout"} {
		if !strings.Contains(out, want) {
			t.Errorf("status output lacks %q:\n%s", want, out)
		}
	}
	if _, err := run(t, "status", "--http", "127.0.0.1:1"); err == nil || !strings.Contains(err.Error(), "no akash-tunnel answers") {
		t.Fatalf("status of nothing: %v", err)
	}
}
