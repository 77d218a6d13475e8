package chainclient

import (
	"context"
	"fmt"
	"time"

	ctypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	mtypes "github.com/akash-market/akash/node/x/market/types"
	"github.com/akash-market/akash/provider/bidengine"
	"github.com/akash-market/akash/provider/manager"
)

// Subscribe implements manager.ChainClient over CometBFT's NewBlock
// subscription: each block's market events (orders created, matched or
// unmatched, leases closed), enriched with queries, then the block itself.
//
// CometBFT's client re-subscribes silently and never closes its channel, so
// a gap would go unnoticed; this one closes the stream (and the daemon
// catches up) when a block height is skipped or no block comes for
// StreamSilence.
func (c *Client) Subscribe(ctx context.Context) (<-chan manager.Event, error) {
	if !c.rpc.IsRunning() {
		if err := c.rpc.Start(); err != nil {
			return nil, fmt.Errorf("chainclient: websocket to %s: %w", c.cfg.RPC, err)
		}
	}
	subscriber := fmt.Sprintf("akash-provider-%d", time.Now().UnixNano())
	const q = "tm.event='NewBlock'"
	in, err := c.rpc.Subscribe(ctx, subscriber, q, 64)
	if err != nil {
		return nil, fmt.Errorf("chainclient: subscribe %s at %s: %w", q, c.cfg.RPC, err)
	}
	out := make(chan manager.Event, 256)
	go func() {
		defer func() {
			uctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_ = c.rpc.Unsubscribe(uctx, subscriber, q)
		}()
		follow(ctx, in, out, c.cfg.StreamSilence, c.enrich)
	}()
	return out, nil
}

// follow copies blocks from in to out (through enrich) until ctx ends or
// the stream shows a gap: a skipped height, no block for silence, or a block
// whose events cannot be read. It closes out when it stops, which tells the
// daemon to catch up and subscribe again.
func follow(ctx context.Context, in <-chan ctypes.ResultEvent, out chan<- manager.Event, silence time.Duration,
	enrich func(context.Context, int64, cmttypes.EventDataNewBlock) ([]manager.Event, error)) {
	defer close(out)
	var last int64
	timer := time.NewTimer(silence)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
			return // stuck: a gap
		case re := <-in:
			nb, ok := re.Data.(cmttypes.EventDataNewBlock)
			if !ok || nb.Block == nil {
				continue
			}
			h := nb.Block.Height
			if last != 0 && h != last+1 {
				return // skipped heights: a gap
			}
			last = h
			timer.Reset(silence)
			evs, err := enrich(ctx, h, nb)
			if err != nil {
				return // cannot read the block's events fully: a gap
			}
			for _, ev := range evs {
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}
}

// enrich turns one block's market events into daemon events (querying
// orders and leases at that height for the fields events do not carry),
// after the NewBlock.
func (c *Client) enrich(ctx context.Context, h int64, nb cmttypes.EventDataNewBlock) ([]manager.Event, error) {
	raws, err := blockEvents(nb.ResultFinalizeBlock)
	if err != nil {
		return nil, err
	}
	orders, err := c.createdOrders(ctx, h, raws)
	if err != nil {
		return nil, err
	}
	// The block first: the engine judges the block's orders at its height.
	out := []manager.Event{{Kind: manager.NewBlock, Height: h}}
	for _, r := range raws {
		switch r.kind {
		case evOrderCreated:
			o, ok := orders[r.order]
			if !ok {
				if o, err = c.order(ctx, h, r.order); err != nil {
					return nil, err
				}
			}
			out = append(out, manager.Event{Kind: manager.OrderCreated, Height: h, Order: o})
		case evOrderMatched:
			ev := manager.Event{Kind: manager.LeaseCreated, Height: h, Lease: bidengine.LeaseInfo{ID: r.lease, OpenedAt: h}}
			if p, ok := parseCoin(r.price); ok {
				ev.Lease.Price = p
			}
			if r.lease.Provider == c.cfg.Provider {
				var resp mtypes.QueryLeaseResponse
				id := mtypes.BidIDFromCore(r.lease)
				if err := c.query(ctx, "/akash.market.v1.Query/Lease", h, &mtypes.QueryLeaseRequest{Owner: id.Owner, Dseq: id.DSeq, Gseq: id.GSeq, Oseq: id.OSeq, Provider: id.Provider}, &resp); err != nil {
					return nil, err
				}
				info, err := c.leaseInfo(ctx, h, resp.Lease)
				if err != nil {
					return nil, err
				}
				ev.Lease = info
			}
			out = append(out, ev)
		case evOrderUnmatched:
			out = append(out, manager.Event{Kind: manager.OrderClosed, Height: h, OrderID: r.order, Detail: r.detail})
		case evLeaseClosed:
			out = append(out, manager.Event{Kind: manager.LeaseClosed, Height: h, LeaseID: r.lease, Closure: r.closure})
		}
	}
	return out, nil
}

// parseCoin reads "1.5uakt" as the market event prints a core Coin.
// bulkOrders is how many orders of one owner created in one block make it
// cheaper to list the owner's open orders (pages of PageLimit) than to
// query each.
const bulkOrders = 8

// createdOrders reads, at height h, the orders created in the block for
// owners with many of them, by listing each such owner's open orders (a
// burst of a thousand orders is a few queries, not a thousand). Orders it
// does not return are queried one by one.
func (c *Client) createdOrders(ctx context.Context, h int64, raws []rawEvent) (map[market.OrderID]market.Order, error) {
	perOwner := map[string]int{}
	for _, r := range raws {
		if r.kind == evOrderCreated {
			perOwner[r.order.Owner]++
		}
	}
	out := map[market.OrderID]market.Order{}
	for owner, n := range perOwner {
		if n < bulkOrders {
			continue
		}
		err := Pages(func(page *query.PageRequest) (*query.PageResponse, error) {
			var resp mtypes.QueryOrdersResponse
			if err := c.query(ctx, "/akash.market.v1.Query/Orders", h, &mtypes.QueryOrdersRequest{Owner: owner, State: "open", Pagination: page}, &resp); err != nil {
				return nil, err
			}
			for _, o := range resp.Orders {
				co, err := o.ToCore()
				if err != nil {
					return nil, fmt.Errorf("order %s from the chain: %w", o.ID, err)
				}
				out[co.ID] = co
			}
			return resp.Pagination, nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func parseCoin(s string) (money.Coin, bool) {
	i := 0
	for i < len(s) && (s[i] == '.' || (s[i] >= '0' && s[i] <= '9')) {
		i++
	}
	d, err := money.ParseDec(s[:i])
	if err != nil {
		return money.Coin{}, false
	}
	c, err := money.NewCoin(s[i:], d)
	return c, err == nil
}
