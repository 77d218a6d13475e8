package manager

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/provider/metrics"
)

const tinySDL = `version: "2.0"
services:
  web:
    image: akash-hello
    expose:
      - port: 8080
        to: [{global: true}]
profiles:
  compute:
    tiny:
      resources: {cpu: {units: 0.01}, memory: {size: 16Mi}, storage: {size: 16Mi}}
  placement:
    dc:
      pricing:
        tiny: {denom: uakt, amount: 10}
deployment:
  web: {dc: {profile: tiny, count: 1}}
`

func tinyOrders(t *testing.T, d *daemon, n int, from uint64, closeIn int64) []market.Order {
	t.Helper()
	man, err := manifest.Parse("tiny.yaml", []byte(tinySDL))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]market.Order, n)
	for i := range out {
		o := orderFor(t, man, "akash1tenant", from+uint64(i), d.chain.at())
		o.CloseHeight = o.OpenHeight + closeIn
		out[i] = o
	}
	return out
}

func (d *daemon) bidsOn(ids ...market.OrderID) int {
	d.chain.mu.Lock()
	defer d.chain.mu.Unlock()
	n := 0
	for _, id := range ids {
		n += len(d.chain.bids[id])
	}
	return n
}

// TestTxWorkerBatchesQueuedBids: while one transaction waits for its block,
// the bids of 49 orders that open meanwhile queue up and go out as the
// messages of one transaction, not one per block.
func TestTxWorkerBatchesQueuedBids(t *testing.T) {
	d := newDaemon(t)
	d.inFlight = 1
	d.chain.hold = make(chan struct{})
	d.start()
	orders := tinyOrders(t, d, 50, 1, 10)
	ids := make([]market.OrderID, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	d.chain.addOrder(orders[0], nil)
	waitFor(t, "the first bid's transaction", 5*time.Second, func() bool {
		d.chain.mu.Lock()
		defer d.chain.mu.Unlock()
		return len(d.chain.submits) == 1
	})
	for _, o := range orders[1:] {
		d.chain.addOrder(o, nil)
	}
	waitFor(t, "the engine to queue 50 bids", 5*time.Second, func() bool { return metrics.Value(d.metrics.BidsPlaced) == 50 })
	d.chain.mu.Lock()
	close(d.chain.hold)
	d.chain.hold = nil
	d.chain.mu.Unlock()
	waitFor(t, "50 bids on chain", 5*time.Second, func() bool { return d.bidsOn(ids...) == 50 })
	d.chain.mu.Lock()
	got := append([]int(nil), d.chain.submits...)
	d.chain.mu.Unlock()
	if len(got) != 2 || got[0] != 1 || got[1] != 49 {
		t.Fatalf("messages per transaction %v, want [1 49]: the queued bids in one transaction", got)
	}
	if n := metrics.Value(d.metrics.BidsDropped); n != 0 {
		t.Fatalf("%v bids dropped, want 0", n)
	}
}

// TestTxWorkerDropsBidsTooLate: a bid still queued when its order's window
// has passed is not sent; it is counted, and its capacity comes back.
func TestTxWorkerDropsBidsTooLate(t *testing.T) {
	d := newDaemon(t)
	d.inFlight = 1
	d.chain.hold = make(chan struct{})
	d.start()
	orders := tinyOrders(t, d, 2, 1, 2)
	d.chain.addOrder(orders[0], nil)
	waitFor(t, "the first bid's transaction", 5*time.Second, func() bool {
		d.chain.mu.Lock()
		defer d.chain.mu.Unlock()
		return len(d.chain.submits) == 1
	})
	d.chain.addOrder(orders[1], nil)
	waitFor(t, "the second bid queued", 5*time.Second, func() bool { return metrics.Value(d.metrics.BidsPlaced) == 2 })
	d.chain.advance(1) // next block = open+2 = the close height: too late
	waitFor(t, "the daemon at the new height", 5*time.Second, func() bool { return metrics.Value(d.metrics.Height) == float64(orders[1].OpenHeight+1) })
	d.chain.mu.Lock()
	close(d.chain.hold)
	d.chain.hold = nil
	d.chain.mu.Unlock()
	waitFor(t, "the late bid dropped", 5*time.Second, func() bool { return metrics.Value(d.metrics.BidsDropped) == 1 })
	if n := d.bidsOn(orders[1].ID); n != 0 {
		t.Fatalf("%d bids on the closed order %s, want none", n, orders[1].ID)
	}
	d.chain.mu.Lock()
	got := append([]int(nil), d.chain.submits...)
	d.chain.mu.Unlock()
	if len(got) != 1 {
		t.Fatalf("messages per transaction %v, want only the first bid's", got)
	}
	// The engine took the refusal (and released the bid's reservation).
	waitFor(t, "the engine told", 5*time.Second, func() bool {
		return metrics.Value(d.metrics.OrdersSkipped.WithLabelValues("tx-failed")) == 1
	})
}

// failingPeers never has the manifest, always for the same reason.
type failingPeers struct{}

func (failingPeers) Fetch(context.Context, market.DeploymentID) ([]byte, error) {
	return nil, errors.New("deployment has no other provider to ask")
}

// TestPeerFetchWarnsOnce: a lease whose manifest no peer has is asked for
// every PeerFetchAfter blocks; the warning is logged once, not every time.
func TestPeerFetchWarnsOnce(t *testing.T) {
	d := newDaemon(t)
	var logs lockedLog
	d.logTo = &logs
	d.peers = failingPeers{}
	d.start()
	o := tinyOrders(t, d, 1, 1, 2)[0]
	d.chain.addOrder(o, nil)
	waitFor(t, "a bid", 5*time.Second, func() bool { return d.bidsOn(o.ID) == 1 })
	d.chain.advance(2)
	if _, ok := d.chain.match(o.ID); !ok {
		t.Fatal("no match")
	}
	waitFor(t, "lease won", 5*time.Second, func() bool { return metrics.Value(d.metrics.BidsWon) == 1 })
	for want := 1.0; want <= 3; want++ { // PeerFetchAfter is 2 blocks; the lease times out after 5
		d.chain.advance(2)
		waitFor(t, "a failed peer fetch", 5*time.Second, func() bool {
			return metrics.Value(d.mgr.peerFetches.WithLabelValues("error")) >= want
		})
	}
	if n := strings.Count(logs.String(), "manifest not fetched from peers"); n != 1 {
		t.Fatalf("%d warnings for %v failed fetches, want 1:\n%s", n, metrics.Value(d.mgr.peerFetches.WithLabelValues("error")), logs.String())
	}
}

type lockedLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
