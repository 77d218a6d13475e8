package manager

import (
	"context"
	"fmt"
	"sync"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/provider/bidengine"
	"github.com/akash-market/akash/provider/gateway"
)

// memChain is the chain as the daemon sees it, held in memory, for the
// daemon's own tests: orders, bids, leases and deployment versions, an
// event stream that can be broken (a gap), and the provider's txs. Matching
// uses core/market.Match, as the chain keeper does. The chain modules have
// their own tests on the real app.
type memChain struct {
	mu          sync.Mutex
	height      int64
	orders      map[market.OrderID]market.Order
	open        map[market.OrderID]bool
	bids        map[market.OrderID][]market.Bid
	leases      map[market.LeaseID]bidengine.LeaseInfo
	closed      map[market.LeaseID]lease.Closure
	deployments map[market.DeploymentID]gateway.Deployment
	withdrawals map[market.LeaseID]int
	bidHeights  map[market.BidID]int64
	closeAt     map[market.LeaseID]int64 // the engine's height when it decided a provider close (Action.Height)
	snapshots   int                      // catch-up queries answered
	subs        []chan Event
	seq         uint64
	rejectBids  error         // when set, PlaceBid fails with it
	submits     []int         // messages per Submit
	hold        chan struct{} // when set, a Landing waits until it is closed
}

func newMemChain(height int64) *memChain {
	return &memChain{
		height: height, orders: map[market.OrderID]market.Order{}, open: map[market.OrderID]bool{},
		bids: map[market.OrderID][]market.Bid{}, leases: map[market.LeaseID]bidengine.LeaseInfo{},
		closed: map[market.LeaseID]lease.Closure{}, deployments: map[market.DeploymentID]gateway.Deployment{},
		withdrawals: map[market.LeaseID]int{}, bidHeights: map[market.BidID]int64{}, closeAt: map[market.LeaseID]int64{},
	}
}

func (c *memChain) emit(ev Event) {
	for _, s := range c.subs {
		s <- ev
	}
}

// addOrder opens order o of m's deployment: the deployment records m's
// version and groups, as the chain does at create (none when m is nil: a
// test of bidding alone).
func (c *memChain) addOrder(o market.Order, m *manifest.Manifest) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.orders[o.ID] = o
	c.open[o.ID] = true
	d := c.deployments[o.ID.DeploymentID]
	d.ID, d.Active = o.ID.DeploymentID, true
	if m != nil {
		d.Version, d.Groups = m.Version(), m.Groups()
	}
	c.deployments[o.ID.DeploymentID] = d
	c.emit(Event{Kind: OrderCreated, Height: c.height, Order: o})
}

// at is the chain's height.
func (c *memChain) at() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.height
}

// hasLease says whether the lease is open.
func (c *memChain) hasLease(id market.LeaseID) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.leases[id]
	return ok
}

// closure is how the lease closed, if it did.
func (c *memChain) closure(id market.LeaseID) (lease.Closure, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cl, ok := c.closed[id]
	return cl, ok
}

// advance commits n blocks.
func (c *memChain) advance(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := 0; i < n; i++ {
		c.height++
		c.emit(Event{Kind: NewBlock, Height: c.height})
	}
}

// match closes an order with core/market.Match and opens the lease.
func (c *memChain) match(id market.OrderID) (market.LeaseID, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	o := c.orders[id]
	res := market.Match(o, c.bids[id])
	delete(c.open, id)
	if !res.Matched {
		c.emit(Event{Kind: OrderClosed, Height: c.height, OrderID: id, Detail: res.Explanation()})
		return market.LeaseID{}, false
	}
	info := bidengine.LeaseInfo{ID: res.Winner, Price: res.Price, Resources: o.Resources, Requirements: o.Requirements.Attributes, OpenedAt: c.height}
	c.leases[res.Winner] = info
	d := c.deployments[id.DeploymentID]
	d.Leases = append(d.Leases, res.Winner)
	c.deployments[id.DeploymentID] = d
	c.emit(Event{Kind: LeaseCreated, Height: c.height, Lease: info})
	return res.Winner, true
}

func (c *memChain) closeLease(id market.LeaseID, cl lease.Closure) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closeLocked(id, cl)
}

func (c *memChain) closeLocked(id market.LeaseID, cl lease.Closure) {
	if _, ok := c.leases[id]; !ok {
		return
	}
	delete(c.leases, id)
	c.closed[id] = cl
	d := c.deployments[id.DeploymentID]
	var rest []market.LeaseID
	for _, l := range d.Leases {
		if l != id {
			rest = append(rest, l)
		}
	}
	d.Leases = rest
	c.deployments[id.DeploymentID] = d
	c.emit(Event{Kind: LeaseClosed, Height: c.height, LeaseID: id, Closure: cl})
}

// breakStream closes every subscription (an RPC gap).
func (c *memChain) breakStream() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.subs {
		close(s)
	}
	c.subs = nil
}

func (c *memChain) Snapshot(context.Context) (bidengine.Snapshot, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.snapshots++
	s := bidengine.Snapshot{Height: c.height}
	for id := range c.open {
		s.Orders = append(s.Orders, c.orders[id])
		for _, b := range c.bids[id] {
			s.Bids = append(s.Bids, b.ID.OrderID) // filtered by provider below
		}
	}
	for _, l := range c.leases {
		s.Leases = append(s.Leases, l)
	}
	return s, nil
}

// snapshotFor filters bids to one provider (Snapshot's contract).
type providerChain struct {
	*memChain
	provider string
}

func (p providerChain) Snapshot(ctx context.Context) (bidengine.Snapshot, error) {
	s, _ := p.memChain.Snapshot(ctx)
	p.mu.Lock()
	defer p.mu.Unlock()
	s.Bids = nil
	for id := range p.open {
		for _, b := range p.bids[id] {
			if b.ID.Provider == p.provider {
				s.Bids = append(s.Bids, id)
			}
		}
	}
	var mine []bidengine.LeaseInfo
	for _, l := range s.Leases {
		if l.ID.Provider == p.provider {
			mine = append(mine, l)
		}
	}
	s.Leases = mine
	return s, nil
}

func (p providerChain) Subscribe(context.Context) (<-chan Event, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ch := make(chan Event, 1024)
	p.subs = append(p.subs, ch)
	return ch, nil
}

// Submit applies each action at once; the Landing returns the results.
func (p providerChain) Submit(_ context.Context, acts []bidengine.Action) (Landing, error) {
	p.mu.Lock()
	p.submits = append(p.submits, len(acts))
	hold := p.hold
	p.mu.Unlock()
	errs := make([]error, len(acts))
	for i, a := range acts {
		switch a.Kind {
		case bidengine.PlaceBid:
			errs[i] = p.placeBid(a.Order, a.Price, a.Deposit, a.Offer)
		case bidengine.CloseLease:
			errs[i] = p.providerClose(a.Lease, a.Closure, a.Height)
		case bidengine.Withdraw:
			errs[i] = p.withdraw(a.Lease)
		default:
			return nil, fmt.Errorf("action %s is not a tx", a.Kind)
		}
	}
	return func(ctx context.Context) []error {
		if hold != nil {
			select {
			case <-hold:
			case <-ctx.Done():
			}
		}
		return errs
	}, nil
}

func (p providerChain) placeBid(order market.OrderID, price, deposit money.Coin, offer manifest.Totals) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rejectBids != nil {
		return p.rejectBids
	}
	o, ok := p.orders[order]
	if !ok || !p.open[order] || !o.TakesBidsAt(p.height) {
		return fmt.Errorf("%w: order %s does not take bids at %d", ErrRejected, order, p.height)
	}
	id := market.BidID{OrderID: order, Provider: p.provider}
	for _, b := range p.bids[order] {
		if b.ID == id {
			return fmt.Errorf("%w: %s", ErrBidExists, id)
		}
	}
	p.seq++
	p.bids[order] = append(p.bids[order], market.Bid{ID: id, Price: price, Deposit: deposit, PlacedAt: p.height, Seq: p.seq,
		Offer: market.Offer{Resources: offer}})
	p.bidHeights[id] = p.height
	return nil
}

func (p providerChain) providerClose(id market.LeaseID, cl lease.Closure, decided int64) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if id.Provider != p.provider {
		return fmt.Errorf("%w: lease %s is not provider %s's", ErrRejected, id, p.provider)
	}
	if _, ok := p.leases[id]; ok {
		p.closeAt[id] = decided
	}
	p.closeLocked(id, cl)
	return nil
}

func (p providerChain) withdraw(id market.LeaseID) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.leases[id]; !ok {
		return fmt.Errorf("%w: lease %s not active", ErrRejected, id)
	}
	p.withdrawals[id]++
	return nil
}

// Deployment implements gateway.Chain.
func (p providerChain) Deployment(_ context.Context, id market.DeploymentID) (gateway.Deployment, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	d, ok := p.deployments[id]
	if !ok {
		return gateway.Deployment{}, fmt.Errorf("deployment %s: %w", id, gateway.ErrNotFound)
	}
	d.Leases = append([]market.LeaseID(nil), d.Leases...)
	return d, nil
}
