package tunnel

import (
	"fmt"
	"io"
	"net"
	"runtime"
	"testing"
	"time"
)

// TestIdleTunnelMemory opens 1000 links (client Tunnel and server Route, both
// in this process), waits until all are Up and idle, and reports the heap and
// goroutine stack memory they hold. Kernel socket buffers are not counted.
func TestIdleTunnelMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 1000 tunnels; skipped with -short")
	}
	if raceOn {
		// The detector multiplies memory and slows each handshake many
		// times: the figures would mean nothing (make test runs this).
		t.Skip("a memory measurement; skipped under the race detector")
	}
	const n = 1000
	w := newWorld(t)
	echo := echoServer(t)
	before := memInUse()
	tunnels := make([]*Tunnel, 0, n)
	for i := 0; i < n; i++ {
		l := webDB
		l.Conn.Port = uint32(10000 + i)
		w.serve(l, echo)
		tn, err := Open(Config{Link: l, Listen: "127.0.0.1:0", Peer: w.ep[provB].Addr().String(), Cert: w.cert(provA, l),
			Verifier: w.verify, ProbeEvery: time.Hour, Backoff: fastBO})
		if err != nil {
			t.Fatal(err)
		}
		tunnels = append(tunnels, tn)
	}
	t.Cleanup(func() {
		for _, tn := range tunnels {
			tn.Close()
		}
	})
	start := time.Now()
	for _, tn := range tunnels {
		waitUp(t, tn, 30*time.Second)
	}
	allUp := time.Since(start)
	after := memInUse()
	var setup time.Duration
	for _, tn := range tunnels {
		setup += tn.Stats().SetupTime
	}
	per := float64(after-before) / n
	t.Logf("%d idle links: %.1f KiB per link (client tunnel + server route, heap+stacks), mean setup %v, all up %v after the last open; %d goroutines",
		n, per/1024, setup/n, allUp, runtime.NumGoroutine())
	if per > 64<<10 {
		t.Fatalf("%.0f bytes per idle link; more than 64 KiB means something holds buffers while idle", per)
	}
}

func memInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}

// sink accepts connections and discards what it reads.
func sink(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(io.Discard, c); c.Close() }()
		}
	}()
	return ln.Addr().String()
}

const chunk = 256 << 10

func pump(b *testing.B, addr string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, chunk)
	b.SetBytes(chunk)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
	c.(*net.TCPConn).CloseWrite()
	io.Copy(io.Discard, c)
	c.Close()
}

// BenchmarkThroughputDirect and BenchmarkThroughputTunnel push one stream
// into a discarding server on loopback, directly and through a tunnel.
func BenchmarkThroughputDirect(b *testing.B) { pump(b, sink(b)) }

func BenchmarkThroughputTunnel(b *testing.B) {
	w := newWorld(b)
	w.serve(webDB, sink(b))
	tn := w.open(webDB, "", nil)
	waitUp(b, tn, 5*time.Second)
	pump(b, tn.Addr().String())
}

// BenchmarkStreamSetup is the time from connecting to the tunnel's local
// address to the first echoed byte: one TCP connect, one TLS 1.3 handshake
// with certificate checks on both sides, one workload dial.
func BenchmarkStreamSetup(b *testing.B) {
	for _, via := range []string{"direct", "tunnel"} {
		b.Run(via, func(b *testing.B) {
			echo := echoServer(b)
			addr := echo
			if via == "tunnel" {
				w := newWorld(b)
				w.serve(webDB, echo)
				tn := w.open(webDB, "", nil)
				waitUp(b, tn, 5*time.Second)
				addr = tn.Addr().String()
			}
			one := []byte{1}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					b.Fatal(err)
				}
				c.Write(one)
				if _, err := io.ReadFull(c, one); err != nil {
					b.Fatal(fmt.Errorf("stream %d: %w", i, err))
				}
				c.Close()
			}
		})
	}
}
