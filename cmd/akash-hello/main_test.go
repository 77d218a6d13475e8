package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
)

func TestRoutes(t *testing.T) {
	t.Setenv("HELLO_MESSAGE", "from-test")
	host, _ := os.Hostname()
	upstream := httptest.NewServer(newHandler("HELLO_MESSAGE", false))
	defer upstream.Close()
	withFetch := httptest.NewServer(newHandler("HELLO_MESSAGE", true))
	defer withFetch.Close()

	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	go serveUDPEcho(pc)
	deadUDP, _ := net.ListenPacket("udp", "127.0.0.1:0")
	deadAddr := deadUDP.LocalAddr().String()
	deadUDP.Close()

	cases := []struct {
		name, base, path string
		status           int
		body             string
	}{
		{"root", upstream.URL, "/", 200, "hello from " + host + ": from-test\n"},
		{"healthz", upstream.URL, "/healthz", 200, "ok\n"},
		{"unknown path", upstream.URL, "/nope", 404, ""},
		{"fetch disabled by default", upstream.URL, "/fetch?url=" + upstream.URL + "/healthz", 404, ""},
		{"fetch reaches a peer", withFetch.URL, "/fetch?url=" + upstream.URL + "/healthz", 200, "200 ok\n"},
		{"fetch of a dead peer is 502", withFetch.URL, "/fetch?url=http://127.0.0.1:1/&timeout=1s", 502, ""},
		{"fetch timeout must be sane", withFetch.URL, "/fetch?url=http://127.0.0.1:1/&timeout=1h", 400, ""},
		{"bytes", upstream.URL, "/bytes?n=5", 200, "\x00\x00\x00\x00\x00"},
		{"bytes needs a count", upstream.URL, "/bytes?n=many", 400, ""},
		{"bytes at most 1 GiB", upstream.URL, "/bytes?n=1073741825", 400, ""},
		{"udp echo", withFetch.URL, "/udp?msg=hi&addr=" + pc.LocalAddr().String(), 200, "echo: hi"},
		{"udp disabled by default", upstream.URL, "/udp?msg=hi&addr=" + pc.LocalAddr().String(), 404, ""},
		{"udp without an answer is 502", withFetch.URL, "/udp?msg=hi&timeout=200ms&addr=" + deadAddr, 502, ""},
		{"fetch and discard counts the body", withFetch.URL, "/fetch?discard=1&url=" + url.QueryEscape(upstream.URL+"/bytes?n=3000000"), 200, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, err := http.Get(c.base + c.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.status {
				t.Fatalf("GET %s: status %d, want %d (body %q)", c.path, resp.StatusCode, c.status, body)
			}
			if c.body != "" && string(body) != c.body {
				t.Fatalf("GET %s: body %q, want %q", c.path, body, c.body)
			}
			if strings.Contains(c.path, "discard=1") && !strings.HasPrefix(string(body), "200 3000000 bytes in ") {
				t.Fatalf("discard: body %q, want \"200 3000000 bytes in <duration>\"", body)
			}
			if c.status == 502 && !strings.Contains(string(body), "127.0.0.1:") {
				t.Fatalf("502 body should name the target, got %q", body)
			}
		})
	}
}
