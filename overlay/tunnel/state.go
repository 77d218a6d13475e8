package tunnel

import (
	"fmt"
	"sync/atomic"
	"time"
)

// State is where a tunnel is in its life.
type State int32

const (
	Connecting State = iota // opened, no handshake with the peer has succeeded yet
	Up                      // the last handshake with the peer succeeded
	Down                    // the last handshake or dial failed; probing with backoff
	Closed                  // closed by its owner
)

func (s State) String() string {
	switch s {
	case Connecting:
		return "connecting"
	case Up:
		return "up"
	case Down:
		return "down"
	case Closed:
		return "closed"
	}
	return "unknown"
}

// Stats is a snapshot of one tunnel (client side) or route (server side).
type Stats struct {
	Link          string // overlay.Link.String()
	Role          string // "client" or "server"
	Peer          string // the peer provider's address
	Local         string // client: the local listen address; server: the workload address
	State         State
	Since         time.Time     // when State was entered
	SetupTime     time.Duration // client: open to first Up; 0 until then
	BytesOut      uint64        // client: workload -> peer; server: peer -> workload
	BytesIn       uint64        // the other way
	Streams       uint64        // streams carried (opened successfully)
	ActiveStreams int64
	Errors        uint64 // failed dials, handshakes, probes, workload dials
	Refused       uint64 // handshakes refused for a bad certificate (either side), streams from outside Config.From
	Reconnects    uint64 // Down -> Up transitions
	LastError     string
}

// counters are the live, atomically updated numbers behind Stats.
type counters struct {
	bytesOut, bytesIn, streams, errors, refused, reconnects atomic.Uint64
	active                                                  atomic.Int64
}

func (c *counters) fill(s *Stats) {
	s.BytesOut = c.bytesOut.Load()
	s.BytesIn = c.bytesIn.Load()
	s.Streams = c.streams.Load()
	s.ActiveStreams = c.active.Load()
	s.Errors = c.errors.Load()
	s.Refused = c.refused.Load()
	s.Reconnects = c.reconnects.Load()
}

// MarshalText writes the state's name, so JSON shows "up", not 1.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a state's name.
func (s *State) UnmarshalText(b []byte) error {
	for _, st := range []State{Connecting, Up, Down, Closed} {
		if st.String() == string(b) {
			*s = st
			return nil
		}
	}
	return fmt.Errorf("tunnel: state %q; want connecting, up, down or closed", b)
}
