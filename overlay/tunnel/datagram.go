package tunnel

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"syscall"
	"time"
)

// UDP links. A UDP "connection" of the topology is carried as flows: the
// datagrams one workload source address sends to the link's listener, and
// the answers to it. Each flow is its own mutual-TLS connection to the peer
// (op 'D'), as each TCP stream is, with every datagram framed by a 2-byte
// length; the server end sends them from one connected UDP socket to the
// workload and frames what comes back. A flow ends after Config.FlowIdle
// without a datagram either way. Datagrams are never retried: a datagram
// that arrives while the flow is still connecting waits in a small queue,
// beyond which it is dropped (and counted in Errors), as a congested
// network would drop it.

// flowQueue bounds the datagrams waiting for one flow to connect or to be
// written to the peer.
const flowQueue = 256

type flow struct {
	src  net.Addr
	out  chan []byte
	last atomic.Int64 // unix nanos of the last datagram either way
}

// packetLoop reads the workloads' datagrams and hands each to its flow.
func (t *Tunnel) packetLoop() {
	defer t.wg.Done()
	buf := make([]byte, maxDatagram)
	for {
		n, src, err := t.pc.ReadFrom(buf)
		if err != nil {
			if t.ctx.Err() != nil {
				return
			}
			t.fail(fmt.Errorf("read on %s: %w", t.pc.LocalAddr(), err), false)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if !t.admit(src, "datagram") {
			continue
		}
		p := append([]byte(nil), buf[:n]...)
		key := src.String()
		t.mu.Lock()
		f := t.flows[key]
		if f == nil {
			f = &flow{src: src, out: make(chan []byte, flowQueue)}
			f.last.Store(time.Now().UnixNano())
			t.flows[key] = f
			go t.runFlow(f)
		}
		t.mu.Unlock()
		select {
		case f.out <- p:
		default:
			t.fail(fmt.Errorf("datagram from %s dropped: %d already wait for the peer", src, flowQueue), false)
		}
	}
}

// runFlow connects one flow to the peer and carries it until it idles out,
// either side closes, or the tunnel closes.
func (t *Tunnel) runFlow(f *flow) {
	defer func() {
		t.mu.Lock()
		if t.flows[f.src.String()] == f {
			delete(t.flows, f.src.String())
		}
		t.mu.Unlock()
	}()
	ctx, cancel := context.WithTimeout(t.ctx, t.cfg.DialTimeout)
	if err := t.waitIfDown(ctx); err != nil {
		cancel()
		return
	}
	c, err := t.dial(ctx, opDatagram)
	cancel()
	if err != nil {
		t.fail(err, !errors.Is(err, ErrPeerRefused))
		return
	}
	defer c.Close()
	t.setState(Up, "")
	t.c.streams.Add(1)
	t.c.active.Add(1)
	defer t.c.active.Add(-1)

	answers := make(chan struct{})
	go func() {
		defer close(answers)
		buf := make([]byte, maxDatagram)
		for {
			n, err := readFrame(c, buf)
			if err != nil {
				return
			}
			f.last.Store(time.Now().UnixNano())
			// Counted before delivery, so a workload that saw the answer
			// sees it counted too.
			t.c.bytesIn.Add(uint64(n))
			_, _ = t.pc.WriteTo(buf[:n], f.src)
		}
	}()
	idle := time.NewTicker(t.cfg.FlowIdle / 4)
	defer idle.Stop()
	for {
		select {
		case p := <-f.out:
			t.c.bytesOut.Add(uint64(len(p)))
			if err := writeFrame(c, p); err != nil {
				t.fail(fmt.Errorf("flow from %s: %w", f.src, err), false)
				return
			}
			f.last.Store(time.Now().UnixNano())
		case <-idle.C:
			if time.Since(time.Unix(0, f.last.Load())) >= t.cfg.FlowIdle {
				return
			}
		case <-answers:
			return
		case <-t.ctx.Done():
			return
		}
	}
}

// serveDatagrams is the server end of one UDP flow: frames from the peer go
// to the workload from one connected socket, its answers go back framed.
func (e *Endpoint) serveDatagrams(c *tls.Conn, r *route) {
	w, ok := e.dialWorkload(c, r, "udp")
	if !ok {
		return
	}
	defer w.Close()
	r.c.streams.Add(1)
	r.c.active.Add(1)
	defer r.c.active.Add(-1)
	go func() {
		// The client closing the flow (idle, or its tunnel closed) ends it.
		defer w.Close()
		buf := make([]byte, maxDatagram)
		for {
			n, err := readFrame(c, buf)
			if err != nil {
				return
			}
			r.c.bytesOut.Add(uint64(n))
			_, _ = w.Write(buf[:n])
		}
	}()
	buf := make([]byte, maxDatagram)
	for {
		n, err := w.Read(buf)
		if err != nil {
			if errors.Is(err, syscall.ECONNREFUSED) {
				// Nothing listens at the workload's port (ICMP unreachable):
				// say so, and find the workload again for the next flow in
				// case its container was replaced. The flow stays: UDP
				// services come and go without connections.
				r.c.errors.Add(1)
				r.setLast(fmt.Errorf("link %s: workload %s refused a datagram (port unreachable)", r.Link, r.target.current()))
				r.target.forget()
				continue
			}
			return
		}
		r.c.bytesIn.Add(uint64(n))
		if err := writeFrame(c, buf[:n]); err != nil {
			return
		}
	}
}
