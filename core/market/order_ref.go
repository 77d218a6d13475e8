package market

import "fmt"

// OrderRef is a handle to one open order of one OrderBook: the order's slot
// and the slot's generation. PlaceBidRef with a handle skips the order-ID
// lookup, which at 100,000 open orders is a cache miss of its own before the
// order's slot (a second one) can be read. Providers find orders through
// FillableRefs anyway, so they hold handles for free.
//
// A handle goes stale when its order closes or is cancelled: the slot's
// generation moves on, so a stale handle is rejected with ErrUnknownOrder
// even after the slot holds a new order. (A slot would have to be reused
// 2^31 times while a caller kept the handle for the generation to come
// round again.) The zero OrderRef names no order. A handle is meaningful only
// to the book that issued it and is not a stable identifier: store OrderIDs.
type OrderRef struct {
	slot uint32
	gen  uint32
}

// IsZero reports whether r is the zero handle, which names no order.
func (r OrderRef) IsZero() bool { return r.gen == 0 }

// Ref returns the handle of an open order.
func (b *OrderBook) Ref(id OrderID) (OrderRef, bool) {
	h, ok := b.byID.get(&id, b.slots)
	if !ok {
		return OrderRef{}, false
	}
	return OrderRef{slot: h, gen: b.slots[h].gen}, true
}

// RefOrder returns the open order r names, or false if r is stale or zero.
func (b *OrderBook) RefOrder(r OrderRef) (Order, bool) {
	s := b.refSlot(r)
	if s == nil {
		return Order{}, false
	}
	return s.order, true
}

// refSlot returns r's slot if r is live, else nil. A free slot's generation
// was bumped at release, so no live handle matches it.
func (b *OrderBook) refSlot(r OrderRef) *orderSlot {
	if uint64(r.slot) >= uint64(len(b.slots)) {
		return nil
	}
	s := &b.slots[r.slot]
	if s.gen != r.gen || s.ins == 0 {
		return nil
	}
	return s
}

// PlaceBidRef is PlaceBid for the order r names: the same rules, the same
// receipts and errors, the same state afterwards. bid.ID must still name
// that order (a mismatch is ErrInvalidBid: the handle and the bid disagree).
// A stale or zero handle is ErrUnknownOrder, as a bid on a closed order is.
func (b *OrderBook) PlaceBidRef(r OrderRef, bid *Bid) (Receipt, error) {
	s := b.refSlot(r)
	if s == nil {
		return Receipt{}, fmt.Errorf("%w: %s (handle %d/%d is stale: the order closed or was cancelled)", ErrUnknownOrder, bid.ID, r.slot, r.gen)
	}
	if !sameOrder(&s.order.ID, &bid.ID.OrderID) {
		return Receipt{}, fmt.Errorf("%w: %s: the handle names order %s; pass the handle of the order the bid names", ErrInvalidBid, bid.ID, s.order.ID)
	}
	return b.placeOpen(s, bid, noProvider)
}

// ProviderRef is a provider's handle in one OrderBook: its address,
// interned. PlaceBidAs with it skips the address lookup that placement
// otherwise makes for every bid (a hash-map probe, at 10,000 providers
// often a cache miss). A driver that keeps its providers in memory (the
// simulator, the load test) takes each one's handle once. Handles never go
// stale; the zero ProviderRef names no provider.
type ProviderRef struct {
	h1 uint32 // handle + 1
}

// Provider returns addr's handle, adding the address to the book's table on
// first sight (as a first bid would).
func (b *OrderBook) Provider(addr string) ProviderRef {
	return ProviderRef{h1: b.providers.intern(addr) + 1}
}

// PlaceBidAs is PlaceBidRef for a bid whose provider is p: the same rules,
// receipts, errors and state afterwards. bid.ID.Provider must be p's
// address (else ErrInvalidBid), so the handle can never place a bid in
// another provider's name.
func (b *OrderBook) PlaceBidAs(r OrderRef, p ProviderRef, bid *Bid) (Receipt, error) {
	s, err := b.liveRef(r, &bid.ID)
	if err != nil {
		return Receipt{}, err
	}
	h, ok := b.providerHandle(p, &bid.ID)
	if !ok {
		return Receipt{}, badProviderRef(bid)
	}
	return b.placeOpen(s, bid, h)
}

// PlaceBidFrom is PlaceBid for a bid whose provider is p: the order is
// found by the bid's OrderID, as PlaceBid finds it, and the provider by
// its handle. The same rules, receipts, errors and state afterwards as
// PlaceBid; bid.ID.Provider must be p's address (else ErrInvalidBid, after
// an unknown order's ErrUnknownOrder).
//
// It is the path of a caller that holds bids naming their order by ID and
// knows its providers, as a chain does: a bid transaction names its order
// by ID and its provider by address, and the chain reads the provider's
// record by that address anyway (is it registered, what has it staked), so
// a handle kept beside that record, taken once when the provider
// registers (RegisterProvider returns it), saves the book a second look-up
// of the address: hashing its bytes and reading its table line, two cache
// misses in a row when the caller's providers are many. A caller that has
// nothing but the address uses PlaceBid.
func (b *OrderBook) PlaceBidFrom(p ProviderRef, bid *Bid) (Receipt, error) {
	s, ok := b.byID.get(&bid.ID.OrderID, b.slots)
	if !ok {
		return Receipt{}, unknownOrder(bid)
	}
	h, ok := b.providerHandle(p, &bid.ID)
	if !ok {
		return Receipt{}, badProviderRef(bid)
	}
	return b.placeOpen(&b.slots[s], bid, h)
}

// providerHandle returns p's handle if p names id's provider. When the
// caller passes the interned string itself (a driver that took p from the
// same string), the name compare is a pointer compare. It is small enough
// to inline; the error is built apart (badProviderRef).
func (b *OrderBook) providerHandle(p ProviderRef, id *BidID) (uint32, bool) {
	h := p.h1 - 1
	if p.h1 == 0 || int(h) >= len(b.providers.names) || b.providers.names[h] != id.Provider {
		return 0, false
	}
	return h, true
}

func badProviderRef(bid *Bid) error {
	return fmt.Errorf("%w: %s: the provider handle does not name %q; take it with OrderBook.Provider(%q)", ErrInvalidBid, bid.ID, bid.ID.Provider, bid.ID.Provider)
}

// CommitRef is Commit for the sealed order r names: the same rules,
// receipts, errors and state afterwards, without the order-ID lookup. As
// with PlaceBidRef, bid.ID must name that order (else ErrInvalidBid) and a
// stale or zero handle is ErrUnknownOrder.
func (b *OrderBook) CommitRef(r OrderRef, bid *Bid) (Receipt, error) {
	s, err := b.liveRef(r, &bid.ID)
	if err != nil {
		return Receipt{}, err
	}
	return b.commit(s, bid, noProvider)
}

// RevealRef is Reveal for the sealed order r names, with the same checks on
// the handle as CommitRef (rev.Bid must name that order).
func (b *OrderBook) RevealRef(r OrderRef, rev Reveal, height int64) (Receipt, error) {
	s, err := b.liveRef(r, &rev.Bid)
	if err != nil {
		return Receipt{}, err
	}
	return b.reveal(s, &rev, height)
}

// liveRef is refSlot with the errors PlaceBidRef gives: a stale handle, or
// a bid naming another order than the handle.
func (b *OrderBook) liveRef(r OrderRef, id *BidID) (*orderSlot, error) {
	s := b.refSlot(r)
	if s == nil {
		return nil, fmt.Errorf("%w: %s (handle %d/%d is stale: the order closed or was cancelled)", ErrUnknownOrder, *id, r.slot, r.gen)
	}
	if !sameOrder(&s.order.ID, &id.OrderID) {
		return nil, fmt.Errorf("%w: %s: the handle names order %s; pass the handle of the order the bid names", ErrInvalidBid, *id, s.order.ID)
	}
	return s, nil
}

// sameOrder is a == b with the integer fields first, which usually decide
// and are in the same cache line as the owner's string header.
func sameOrder(a, b *OrderID) bool {
	return a.DSeq == b.DSeq && a.GSeq == b.GSeq && a.OSeq == b.OSeq && a.Owner == b.Owner
}
