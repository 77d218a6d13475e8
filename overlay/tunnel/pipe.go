package tunnel

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
)

var bufPool = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// halfCloser is a connection that can stop writing and keep reading
// (*net.TCPConn, *tls.Conn).
type halfCloser interface {
	net.Conn
	CloseWrite() error
}

// pipe copies a <-> b until both directions end, half-closing each side when
// its source ends, and counts bytes a->b in ab and b->a in ba. It closes both.
func pipe(a, b net.Conn, ab, ba *atomic.Uint64) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); copyCount(b, a, ab) }()
	go func() { defer wg.Done(); copyCount(a, b, ba) }()
	wg.Wait()
	a.Close()
	b.Close()
}

func copyCount(dst, src net.Conn, n *atomic.Uint64) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	for {
		k, err := src.Read(buf)
		if k > 0 {
			// Counted before it is passed on: an answer to these bytes can
			// come back (and be counted the other way) before Write returns.
			n.Add(uint64(k))
			if _, werr := dst.Write(buf[:k]); werr != nil {
				// The destination is gone: stop the source too, so the
				// other direction does not wait forever.
				src.Close()
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				dst.Close()
				return
			}
			if hc, ok := dst.(halfCloser); ok {
				if hc.CloseWrite() == nil {
					return
				}
			}
			dst.Close()
			return
		}
	}
}
