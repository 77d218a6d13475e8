package sim

import (
	"fmt"
	"math/rand/v2"

	"github.com/akash-market/akash/core/manifest"
)

// notice is what notify reads of one provider, in one dense array indexed
// by the provider's idx (World.notices): whether it is up, its free
// capacity, and its "latency" stream. A new order's dozen picks are random
// providers among thousands; reading these 64 bytes in an array of 64 bytes
// per provider (640 KB at 10,000 providers) misses far less than reading
// two or three lines of each 700-byte Provider, last touched long before.
// The Provider stays the record of truth for capacity and status: every
// change to p.capacity or p.online is followed by roomChanged(p), and
// checkNotices (run with checkAll) holds each notice equal to its provider.
type notice struct {
	free    manifest.Totals // p.capacity.Free(): neither leased nor reserved
	latency rand.PCG        // the provider's "latency" stream (drawn by consider only)
	online  bool            // p.online
}

// fits: the provider is up and has the free capacity for need (it is
// Provider.hasRoom, on the copy: need.FitsIn(free), dimension by dimension).
func (n *notice) fits(need *manifest.Totals) bool {
	return n.online && need.FitsIn(&n.free)
}

// roomChanged copies p's free capacity and status into its notice. Call it
// after every capacity verb on p (Reserve, Unreserve, Release; Commit moves
// a reservation to the lease and leaves free as it was) and every change of
// p.online.
func (w *World) roomChanged(p *Provider) {
	n := &w.notices[p.idx]
	n.free = p.capacity.Free()
	n.online = p.online
}

// latencyRand is a rand.Rand drawing from the latency stream in notice n, of
// a provider of class c; valid until the next call for a provider of c.
func (c *providerClass) latencyRand(n *notice) *rand.Rand {
	if c.latency == nil {
		c.latency = rand.New(&c.latencyOf)
	}
	c.latencyOf.pcg = &n.latency
	return c.latency
}

// checkNotices: every live provider's notice says what the provider says.
func (w *World) checkNotices() error {
	for _, p := range w.providers {
		if p.left {
			continue // off the candidate lists: notify never reads it again
		}
		n := &w.notices[p.idx]
		if n.free != p.capacity.Free() || n.online != p.online {
			return fmt.Errorf("provider %s: notify's copy says free %+v, online %v; the provider free %+v, online %v (a capacity or status change without roomChanged)",
				p.addr, n.free, n.online, p.capacity.Free(), p.online)
		}
	}
	return nil
}
