package tunnel

import (
	"bytes"
	"crypto/rand"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/akash-market/akash/overlay"
)

// udpEcho answers every datagram with itself; it returns its address.
func udpEcho(t testing.TB) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, maxDatagram)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			pc.WriteTo(buf[:n], from)
		}
	}()
	return pc.LocalAddr().String()
}

// udpRoundTrip sends p from c to addr and waits for one datagram back.
func udpRoundTrip(c net.PacketConn, addr string, p []byte) ([]byte, error) {
	to, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, err
	}
	if _, err := c.WriteTo(p, to); err != nil {
		return nil, err
	}
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	buf := make([]byte, maxDatagram)
	n, _, err := c.ReadFrom(buf)
	return buf[:n], err
}

var webDNS = func() overlay.Link {
	l := webDB
	l.Conn.To, l.Conn.Port, l.Conn.Proto = "dns", 53, "UDP"
	return l
}()

// TestUDPThroughTunnel: datagrams from two workload sockets are two flows,
// each answered to its own source; a datagram near the 64 KiB limit passes;
// an idle flow closes and a new datagram opens a new one.
func TestUDPThroughTunnel(t *testing.T) {
	w := newWorld(t)
	w.serve(webDNS, udpEcho(t))
	tn, err := Open(Config{Link: webDNS, Listen: "127.0.0.1:0", Peer: w.ep[provB].Addr().String(), Cert: w.cert(provA, webDNS),
		Verifier: w.verify, DialTimeout: time.Second, ProbeEvery: 100 * time.Millisecond, Backoff: fastBO, FlowIdle: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer tn.Close()
	waitUp(t, tn, 3*time.Second)
	if _, ok := tn.Addr().(*net.UDPAddr); !ok {
		t.Fatalf("a UDP link listens on %T", tn.Addr())
	}
	var sent uint64
	for i, size := range []int{1, 512, 60000} {
		for _, name := range []string{"one", "two"} {
			c, err := net.ListenPacket("udp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			p := make([]byte, size)
			rand.Read(p)
			got, err := udpRoundTrip(c, tn.Addr().String(), p)
			c.Close()
			if err != nil || !bytes.Equal(got, p) {
				t.Fatalf("round %d, socket %s, %d bytes: got %d bytes, %v", i, name, size, len(got), err)
			}
			sent += uint64(size)
		}
	}
	st := tn.Stats()
	if st.Streams != 6 || st.BytesOut != sent || st.BytesIn != sent || st.State != Up {
		t.Fatalf("six sockets, six flows, %d bytes each way; stats %+v", sent, st)
	}
	// The server counts a datagram after handing it to the workload, which
	// may answer first: wait for the counters.
	waitFor(t, 2*time.Second, "the server's counters", func() bool {
		srv := w.ep[provB].Stats()[0]
		return srv.Streams == 6 && srv.BytesOut == sent && srv.BytesIn == sent
	})

	// One socket, many datagrams: one flow, which idles out.
	c, _ := net.ListenPacket("udp", "127.0.0.1:0")
	defer c.Close()
	for i := 0; i < 20; i++ {
		if got, err := udpRoundTrip(c, tn.Addr().String(), []byte{byte(i)}); err != nil || len(got) != 1 || got[0] != byte(i) {
			t.Fatalf("datagram %d: %v %v", i, got, err)
		}
	}
	if st := tn.Stats(); st.Streams != 7 || st.ActiveStreams < 1 {
		t.Fatalf("twenty datagrams from one socket should be one flow: %+v", st)
	}
	waitFor(t, 3*time.Second, "the idle flow to close at both ends", func() bool {
		return tn.Stats().ActiveStreams == 0 && w.ep[provB].Stats()[0].ActiveStreams == 0
	})
	// The datagram opens a new flow (a new mutual-TLS connection); on a
	// loaded machine that can outlast one read deadline, and a UDP client
	// sends again, as this one does (up to three times).
	var again []byte
	var againErr error
	for try := 0; try < 3; try++ {
		if again, againErr = udpRoundTrip(c, tn.Addr().String(), []byte("again")); againErr == nil && string(again) == "again" {
			break
		}
	}
	if againErr != nil || string(again) != "again" {
		t.Fatalf("after idling out: %q %v", again, againErr)
	}
	if st := tn.Stats(); st.Streams != 8 {
		t.Fatalf("a datagram after the idle close opens a new flow: %+v", st)
	}
}

// TestUDPSourceNetworks: datagrams from outside the link's client network
// get nothing, and are counted.
func TestUDPSourceNetworks(t *testing.T) {
	w := newWorld(t)
	w.serve(webDNS, udpEcho(t))
	tn, err := Open(Config{Link: webDNS, Listen: "127.0.0.1:0", Peer: w.ep[provB].Addr().String(), Cert: w.cert(provA, webDNS),
		Verifier: w.verify, From: []netip.Prefix{netip.MustParsePrefix("10.9.0.0/16")}, DialTimeout: time.Second, Backoff: fastBO})
	if err != nil {
		t.Fatal(err)
	}
	defer tn.Close()
	waitUp(t, tn, 3*time.Second)
	c, _ := net.ListenPacket("udp", "127.0.0.1:0")
	defer c.Close()
	if got, err := udpRoundTrip(c, tn.Addr().String(), []byte("hi")); err == nil {
		t.Fatalf("a source outside From got %q", got)
	}
	st := tn.Stats()
	if st.Refused != 1 || st.Streams != 0 || !strings.Contains(st.LastError, "not in the link's source networks") {
		t.Fatalf("stats %+v", st)
	}
}

// TestUDPWorkloadDown: nothing listens at the workload's UDP port; the
// route says so (port unreachable) and the tunnel stays up.
func TestUDPWorkloadDown(t *testing.T) {
	w := newWorld(t)
	pc, _ := net.ListenPacket("udp", "127.0.0.1:0")
	dead := pc.LocalAddr().String()
	pc.Close()
	w.serve(webDNS, dead)
	tn, err := Open(Config{Link: webDNS, Listen: "127.0.0.1:0", Peer: w.ep[provB].Addr().String(), Cert: w.cert(provA, webDNS),
		Verifier: w.verify, DialTimeout: time.Second, Backoff: fastBO})
	if err != nil {
		t.Fatal(err)
	}
	defer tn.Close()
	waitUp(t, tn, 3*time.Second)
	c, _ := net.ListenPacket("udp", "127.0.0.1:0")
	defer c.Close()
	udpRoundTrip(c, tn.Addr().String(), []byte("anyone?"))
	waitFor(t, 3*time.Second, "the route to report the unreachable port", func() bool {
		s := w.ep[provB].Stats()[0]
		return s.Errors >= 1 && strings.Contains(s.LastError, "port unreachable")
	})
	if st := tn.Stats(); st.State != Up {
		t.Fatalf("the tunnel should stay up when the workload is down: %+v", st)
	}
}

func FuzzReadFrame(f *testing.F) {
	f.Add([]byte{0, 2, 'h', 'i'})
	f.Add([]byte{0xff, 0xff})
	f.Add([]byte{0})
	f.Fuzz(func(t *testing.T, in []byte) {
		buf := make([]byte, maxDatagram)
		n, err := readFrame(bytes.NewReader(in), buf)
		if err != nil {
			return
		}
		if n != int(in[0])<<8|int(in[1]) || !bytes.Equal(buf[:n], in[2:2+n]) {
			t.Fatalf("readFrame(%x) = %d bytes %x", in, n, buf[:n])
		}
		var out bytes.Buffer
		if err := writeFrame(&out, buf[:n]); err != nil || !bytes.Equal(out.Bytes(), in[:2+n]) {
			t.Fatalf("writeFrame did not reproduce the frame: %x vs %x (%v)", out.Bytes(), in[:2+n], err)
		}
	})
}

// BenchmarkUDPRoundTrip: one workload socket sends a 1200-byte datagram and
// waits for its echo, directly and through a tunnel's UDP link (one flow).
// Ping-pong keeps the numbers free of drops; MB/s counts both directions.
func BenchmarkUDPRoundTrip(b *testing.B) {
	for _, via := range []string{"direct", "tunnel"} {
		b.Run(via, func(b *testing.B) {
			addr := udpEcho(b)
			if via == "tunnel" {
				w := newWorld(b)
				w.serve(webDNS, addr)
				tn, err := Open(Config{Link: webDNS, Listen: "127.0.0.1:0", Peer: w.ep[provB].Addr().String(),
					Cert: w.cert(provA, webDNS), Verifier: w.verify, Backoff: fastBO})
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { tn.Close() })
				waitUp(b, tn, 5*time.Second)
				addr = tn.Addr().String()
			}
			c, err := net.ListenPacket("udp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			to, _ := net.ResolveUDPAddr("udp", addr)
			p, buf := make([]byte, 1200), make([]byte, maxDatagram)
			if _, err := udpRoundTrip(c, addr, p); err != nil { // the flow's setup, not timed
				b.Fatal(err)
			}
			b.SetBytes(2 * int64(len(p)))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c.WriteTo(p, to)
				c.SetReadDeadline(time.Now().Add(2 * time.Second))
				if n, _, err := c.ReadFrom(buf); err != nil || n != len(p) {
					b.Fatalf("round trip %d: %d bytes, %v", i, n, err)
				}
			}
		})
	}
}
