package market

import (
	"fmt"

	"github.com/akash-market/akash/core/money"
)

// OrderBook is the in-memory order book: the open orders, their bids, the queue of
// orders by match height, and an index from provider capabilities to the
// orders they could fill. The simulator drives one directly; the chain keeps
// the same data in its store and calls the same lifecycle rules
// (lifecycle.go) and Match instead.
//
// Like raft's RawNode the book never reads a clock: every call carries the
// block height, and CloseDue returns decisions as Results for the caller to
// apply. It is not safe for concurrent use (neither driver needs that).
//
// Memory is recycled: a closed order's slot, with its bid slices, is reused by
// the next order, so once the book has grown to its working size, placing a
// bid allocates nothing.
type OrderBook struct {
	slots      []orderSlot
	free       []uint32 // slots of closed orders, reused LIFO
	byID       orderTable
	providers  interner
	verdicts   verdictCache // attribute and signed-by verdicts per (provider, requirement set)
	denoms     interner     // deposit denominations
	bidSeq     uint64       // global bid sequence: the "seq" of (height, seq)
	orderSeq   uint64       // order insertion sequence: breaks close-time ties
	queue      closeQueue
	index      fillIndex
	scratch    []fillHit      // reused by Fillable
	commitPool [][]Commitment // commitment arrays of closed sealed orders, reused
	bidsHint   int            // capacity of a new slot's bid list
	minDeposit money.Coin     // BidDeposit's minimum; no denom: none
	depositBuf money.Coin     // the deposit placementDeposit worked out (BidDeposit), read by its caller
}

// orderSlot is one open order and its bids. Placement reads the order's
// terms, the providers that already bid and the best bid; they are all inline
// here so that a placement on a cold order costs about one trip to memory.
// The slot is 512 bytes (TestOrderSlotSize) so that, in the slots array (a
// large, page-aligned allocation), each slot starts a cache line and a
// placement touches as few lines as the fields need: the book's own fields
// that placement reads come first, then the order's hot head (ID, resources,
// max price, heights, minimum reputation), so a placement reads the first
// 6 of the slot's 8 lines (384 bytes); the order's requirements (placement
// reads the fill-index bucket's copy) and what only closing and the fill
// index read come last.
type orderSlot struct {
	best    int32                   // index into bids of the best eligible active bid, -1 if none
	gen     uint32                  // bumped when an order enters or leaves the slot; see OrderRef
	bucket  int32                   // the order's fill-index bucket (pos.bucket), read by eligibility
	depDen  uint16                  // the common deposit's interned denom
	depSet  bool                    // dep is set
	_       byte                    // padding
	ins     uint64                  // insertion sequence; 0 while the slot is free
	bids    []bidEntry              // accepted and rejected bids, in placement order (a re-bid reuses its entry)
	bestKey bestKey                 // the best bid's ranking fields
	provs   [inlineProviders]uint32 // providers of bids[:inlineProviders], for the duplicate check
	seqBase uint64                  // the book's bid sequence when the order opened: entries keep seq - seqBase
	dep     amount                  // the common deposit of the order's bids (the first bid's), packed
	order   Order                   // hot fields first, Requirements last (see Order)
	rare    *slotRare               // rejected prices in another denom, amounts too big for an entry; nil until needed
	commits []Commitment            // sealed orders: parallel to bids
	pos     indexPos                // where the order sits in the fill index
	hash    uint32                  // the order ID's hash in byID
	_       [8]byte                 // padding to 512 bytes: slots start on cache-line boundaries
}

// bestKey is what ranking a new bid against the best one reads.
type bestKey struct {
	rank
	provider uint32
}

// inlineProviders is how many bidders' handles a slot keeps inline; an order
// with more bids checks the rest in its bid list.
const inlineProviders = 24

// bidEntry is a bid the book received, kept small (32 bytes, two to a cache
// line, no pointers: the collector never scans the bid arrays) because an
// order can gather dozens and closing an order reads them all: the offer is
// checked at placement and not kept, the price's denom is the order's (or,
// for a rejected bid in another denom, in the slot's rare.odd list), the
// provider is an interned handle, the price is packed to 16 bytes (amount),
// the bid's height and sequence number are offsets from the order's open
// height and the slot's seqBase, and its deposit is the slot's common deposit
// (the first bid's: a market takes one deposit) unless flagged. Whatever does
// not fit (a deposit unlike the common one, an offset past 32 bits) is kept
// whole in the slot's rare lists, so nothing is rounded or lost.
//
// A bid that fails eligibility is an entry too (state bidRejected or
// bidRejectedReveal, with its reason), not a record in a separate list:
// rejecting then costs what accepting does (one entry written in the line
// placement touches anyway), the duplicate check that finds the provider's
// earlier attempt also finds the entry to overwrite, and the bid array that
// is reused from order to order absorbs rejections without allocating.
type bidEntry struct {
	provider uint32
	state    BidState
	reason   uint8  // rejected entries: the Reason, with oddDenom set when the price denom is in s.rare.odd
	flags    uint16 // entryBigHeight, entryBigSeq, entryOddDeposit
	dh       uint32 // height - order.OpenHeight, or with entryBigHeight an index into rare.heights
	ds       uint32 // seq - slot.seqBase, or with entryBigSeq an index into rare.seqs
	price    amount // zero while sealed
}

// bidEntry flags: where a field that does not fit the entry is kept.
const (
	entryBigHeight  = 1 << iota // height in rare.heights[dh]
	entryBigSeq                 // seq in rare.seqs[ds]
	entryOddDeposit             // deposit in rare.deps (by provider), not the slot's common one
)

// Entry states beyond the public BidState values; they never leave the book.
const (
	// bidRejected failed eligibility at placement (or, for a sealed order,
	// at commitment): its deposit was never taken. A sealed order's
	// rejected commitment has no price.
	bidRejected BidState = 8 + iota
	// bidRejectedReveal was revealed with an ineligible price: its deposit,
	// taken at commitment, is refunded.
	bidRejectedReveal
)

// oddDenom flags a rejected entry whose price denom is kept in s.rare.odd.
const oddDenom = 0x80

// oddPrice is the price denom of a rejected entry that is not the order's.
type oddPrice struct {
	provider uint32
	denom    string
}

// BookConfig pre-sizes the book so a run at its expected scale does not grow
// maps and slices on the hot path. Zero values are fine.
type BookConfig struct {
	Orders       int // open orders at once
	Providers    int // distinct provider addresses
	BidsPerOrder int // capacity of each new order's bid list

	// MinBidDeposit is the least deposit a bid locks (BidDeposit): a bid
	// offering none locks this much. Zero (no denom): no minimum.
	MinBidDeposit money.Coin
}

// Receipt reports what the book did with a bid, commitment or reveal.
type Receipt struct {
	Seq    uint64 // the placement sequence number the book assigned (0 for a reveal)
	Reason Reason // ReasonNone when accepted; otherwise the rule that rejected it (recorded for the Result)
	Best   bool   // the bid is now the order's best
}

// Accepted reports whether the bid was accepted to compete.
func (r Receipt) Accepted() bool { return r.Reason == ReasonNone }

// NewOrderBook returns an empty book sized by cfg.
func NewOrderBook(cfg BookConfig) *OrderBook {
	b := &OrderBook{
		slots:     make([]orderSlot, 0, cfg.Orders),
		byID:      newOrderTable(cfg.Orders),
		providers: newInterner(cfg.Providers),
		denoms:    newInterner(4),
	}
	b.queue = newCloseQueue(cfg.Orders)
	b.index.init()
	b.bidsHint = cfg.BidsPerOrder
	b.minDeposit = cfg.MinBidDeposit
	return b
}

// Len returns the number of open orders.
func (b *OrderBook) Len() int { return b.byID.n }

// AddOrder opens an order. It is checked with Order.Validate.
func (b *OrderBook) AddOrder(o Order) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if _, ok := b.byID.get(&o.ID, b.slots); ok {
		return fmt.Errorf("%w: %s; each group's re-order needs a new OSeq", ErrDuplicateOrder, o.ID)
	}
	var h uint32
	if n := len(b.free); n > 0 {
		h = b.free[n-1]
		b.free = b.free[:n-1]
	} else {
		h = uint32(len(b.slots))
		b.slots = append(b.slots, orderSlot{bids: make([]bidEntry, 0, b.bidsHint)})
	}
	s := &b.slots[h]
	b.orderSeq++
	s.order, s.ins = o, b.orderSeq
	s.seqBase, s.depSet = b.bidSeq, false
	s.gen++
	s.setBest(-1)
	s.bids = s.bids[:0] // s.commits is nil: release returned it to the pool
	s.resetRare()
	s.hash = b.byID.put(&o.ID, h)
	b.queue.push(queueItem{at: o.MatchHeight(), ins: s.ins, slot: h})
	pos, installed := b.index.add(h, &s.order)
	if installed {
		b.verdicts.installBucket(pos.bucket)
	}
	s.pos, s.bucket = pos, pos.bucket
	return nil
}

// Order returns an open order.
func (b *OrderBook) Order(id OrderID) (Order, bool) {
	h, ok := b.byID.get(&id, b.slots)
	if !ok {
		return Order{}, false
	}
	return b.slots[h].order, true
}

// Best returns the current best eligible bid of an open order.
func (b *OrderBook) Best(id OrderID) (BidID, money.Coin, bool) {
	h, ok := b.byID.get(&id, b.slots)
	if !ok || b.slots[h].best < 0 {
		return BidID{}, money.Coin{}, false
	}
	s := &b.slots[h]
	k := &s.bestKey
	return BidID{OrderID: id, Provider: b.providers.name(k.provider)}, money.Coin{Denom: s.order.MaxPrice.Denom, Amount: k.price}, true
}

// PlaceBid places an open (unsealed) bid at height bid.PlacedAt. bid.Seq and
// bid.State are ignored: the book assigns the sequence number. A bid that
// fails eligibility is not an error: it is rejected with its Reason in the
// receipt and recorded so the order's Result lists it. Errors are for bids
// that cannot be considered at all: unknown or closed order, a sealed order,
// or a provider that already has a bid on the order.
//
// The book reads *bid during the call and neither keeps nor changes it: a
// caller may reuse one Bid for every placement (a 250-byte value copied per
// call was as much as a tenth of a placement).
func (b *OrderBook) PlaceBid(bid *Bid) (Receipt, error) {
	// The provider's handle is looked up first, so that its table line and
	// the order table's (both usually cache misses, independent of each
	// other) are fetched together; a new provider is added by placeOpen.
	p := b.providers.lookup(bid.ID.Provider)
	h, ok := b.byID.get(&bid.ID.OrderID, b.slots)
	if !ok {
		return Receipt{}, unknownOrder(bid)
	}
	return b.placeOpen(&b.slots[h], bid, p)
}

// placeOpen is PlaceBid once the bid's order slot is found; p is the
// bidder's handle if the caller has it (PlaceBidAs), else noProvider.
//
// It passes amounts by pointer and writes the best key field by field, with
// no struct built on the stack and copied: Go moves such structs (they hold
// arrays, so they never travel in registers) in 16-byte loads that read
// what 8-byte stores just wrote. Such a load cannot take its bytes from the
// stores in flight and waits until they reach the cache, and stores reach
// it in order, behind the previous bid's entry and slot stores to lines
// that are often cold: a placement waited up to ≈ 50 ns there, more or less
// depending on where the goroutine's stack happened to lie (the load
// test's place p50 moved between ≈ 85 and ≈ 145 ns with the depth of the
// caller's frame).
func (b *OrderBook) placeOpen(s *orderSlot, bid *Bid, p uint32) (Receipt, error) {
	dep, err := b.placementDeposit(s, bid, OpenBid)
	if err != nil {
		return Receipt{}, err
	}
	if p == noProvider {
		p = b.providers.intern(bid.ID.Provider)
	}
	prev, err := s.checkNoBid(p, bid)
	if err != nil {
		return Receipt{}, err
	}
	b.bidSeq++
	seq := b.bidSeq
	r := b.admit(s, bid, OpenBid, p)
	// The bid is ranked against the best before its entry is written: the
	// entry's line is usually cold, its stores wait in the store buffer
	// for that line, and stores issued after them (the key built here)
	// would wait too. The entry is then written field by field and never
	// read back, so its stores drain while the book moves on.
	isBest := false
	if r == ReasonNone {
		isBest = s.best < 0 || s.bestKey.beatenBy(&bid.Price.Amount, bid.PlacedAt, seq, p, &b.providers)
	}
	i, e := s.entryFor(prev, p)
	e.flags = 0
	s.setTime(e, bid.PlacedAt, seq)
	s.setDeposit(e, b.depositDenom(dep.Denom), &dep.Amount)
	e.price = s.pack(&bid.Price.Amount)
	if r != ReasonNone {
		s.markRejected(e, bidRejected, r, bid.Price.Denom)
		return Receipt{Seq: seq, Reason: r}, nil
	}
	e.state = BidActive
	if isBest {
		s.best = i
		k := &s.bestKey
		k.price = bid.Price.Amount
		k.height, k.seq, k.provider = bid.PlacedAt, seq, p
	}
	return Receipt{Seq: seq, Best: isBest}, nil
}

// entryFor returns the entry a bid by provider p goes to: its rejected
// earlier attempt prev (the Result lists a provider's last attempt only),
// or a new one when prev is -1.
func (s *orderSlot) entryFor(prev int, p uint32) (int32, *bidEntry) {
	if prev >= 0 {
		return int32(prev), &s.bids[prev]
	}
	return s.newBid(p)
}

// markRejected turns e into a rejected entry for reason r; denom is the
// rejected price's denomination, kept aside when it is not the order's.
func (s *orderSlot) markRejected(e *bidEntry, state BidState, r Reason, denom string) {
	e.state, e.reason = state, uint8(r)
	if denom != s.order.MaxPrice.Denom {
		e.reason |= oddDenom
		s.setOdd(e.provider, denom)
	}
}

func (s *orderSlot) setOdd(p uint32, denom string) {
	r := s.rareData()
	for i := range r.odd {
		if r.odd[i].provider == p {
			r.odd[i].denom = denom
			return
		}
	}
	r.odd = append(r.odd, oddPrice{provider: p, denom: denom})
}

// priceDenom is the denomination of entry e's price.
func (s *orderSlot) priceDenom(e *bidEntry) string {
	if e.reason&oddDenom != 0 {
		for _, o := range s.rare.odd {
			if o.provider == e.provider {
				return o.denom
			}
		}
	}
	return s.order.MaxPrice.Denom
}

// newBid appends an entry for provider p (its other fields zero, or stale
// from the slot's last order: the caller sets them all) and returns it.
func (s *orderSlot) newBid(p uint32) (int32, *bidEntry) {
	n := len(s.bids)
	if n < cap(s.bids) {
		s.bids = s.bids[:n+1]
	} else {
		s.bids = append(s.bids, bidEntry{})
	}
	if n < inlineProviders {
		s.provs[n] = p
	}
	e := &s.bids[n]
	e.provider = p
	return int32(n), e
}

// beats is the market's ranking rule (beats in bid.go) on the book's keys.
func (k *bestKey) beats(o *bestKey, names *interner) bool {
	if c := rankCmp(&k.price, k.height, k.seq, &o.price, o.height, o.seq); c != 0 {
		return c < 0
	}
	return beats(&k.price, k.height, k.seq, names.name(k.provider), &o.price, o.height, o.seq, names.name(o.provider))
}

// beatenBy reports whether a bid with price pa, placed at (ha, sa) by
// provider p, beats the bid k describes: beats without building a key.
func (k *bestKey) beatenBy(pa *money.Dec, ha int64, sa uint64, p uint32, names *interner) bool {
	if c := rankCmp(pa, ha, sa, &k.price, k.height, k.seq); c != 0 {
		return c < 0
	}
	return beats(pa, ha, sa, names.name(p), &k.price, k.height, k.seq, names.name(k.provider))
}

// offerBest makes e, stored at bids[i], the best bid if it beats the current one.
func (s *orderSlot) offerBest(i int32, e *bidEntry, names *interner) bool {
	k := s.keyOf(e)
	if s.best >= 0 && !k.beats(&s.bestKey, names) {
		return false
	}
	s.best, s.bestKey = i, k
	return true
}

func (s *orderSlot) setBest(i int32) {
	s.best = i
	if i >= 0 {
		s.bestKey = s.keyOf(&s.bids[i])
	} else {
		s.bestKey = bestKey{}
	}
}

func unknownOrder(bid *Bid) error {
	return fmt.Errorf("%w: %s (closed, cancelled or never added)", ErrUnknownOrder, bid.ID)
}

// checkPlacement applies the market's placement rules (CheckPlacement,
// BidDeposit) to a bid or commitment on the order in slot s and returns the
// deposit the bid locks (bid itself is not changed). Then the book's own
// limit: deposit denoms fit its 16-bit handles.
func (b *OrderBook) checkPlacement(s *orderSlot, bid *Bid, kind BidKind) (money.Coin, error) {
	dep, err := b.placementDeposit(s, bid, kind)
	if err != nil {
		return money.Coin{}, err
	}
	return *dep, nil
}

// placementDeposit is checkPlacement returning the deposit by pointer (to
// bid.Deposit, or to b.depositBuf when BidDeposit raised it to the
// minimum), valid until the book's next call: a coin returned by value
// goes through the stack (see placeOpen).
func (b *OrderBook) placementDeposit(s *orderSlot, bid *Bid, kind BidKind) (*money.Coin, error) {
	if err := CheckPlacement(&s.order, bid, kind); err != nil {
		return nil, err
	}
	dep := &bid.Deposit
	if b.minDeposit.Denom != "" {
		d, err := BidDeposit(bid.ID, bid.Deposit, b.minDeposit)
		if err != nil {
			return nil, err
		}
		b.depositBuf = d
		dep = &b.depositBuf
	}
	if len(b.denoms.names) > maxDepositDenoms && b.denoms.lookup(dep.Denom) == noProvider {
		return nil, fmt.Errorf("%w: %s: deposit denom %q would be the book's %d-th; it holds at most %d", ErrInvalidBid, bid.ID, dep.Denom, len(b.denoms.names)+1, maxDepositDenoms+1)
	}
	return dep, nil
}

// maxDepositDenoms bounds the interned deposit denominations so a handle fits
// in 16 bits. Chains take deposits in one or two denoms.
const maxDepositDenoms = 1<<16 - 1

func (b *OrderBook) depositDenom(denom string) uint16 { return uint16(b.denoms.internLast(denom)) }

// depositOf is the deposit of entry e of slot s as a coin.
func (b *OrderBook) depositOf(s *orderSlot, e *bidEntry) money.Coin {
	den, a := s.depositAt(e)
	return money.Coin{Denom: b.denoms.name(uint32(den)), Amount: s.unpack(a)}
}

// checkNoBid applies CheckEarlierBid to provider p's earlier entry on the
// order, if any. It returns a rejected earlier attempt's index, for the new
// attempt to replace, else -1.
func (s *orderSlot) checkNoBid(p uint32, bid *Bid) (int, error) {
	i := s.find(p)
	if i >= 0 {
		if err := CheckEarlierBid(bid.ID, s.bids[i].state); err != nil {
			return -1, err
		}
	}
	return i, nil
}

// keyOf is entry e's ranking key, its price unpacked.
func (s *orderSlot) keyOf(e *bidEntry) bestKey {
	return bestKey{rank: rank{price: s.unpack(e.price), height: s.heightOf(e), seq: s.seqOf(e)}, provider: e.provider}
}

// Withdraw withdraws a bid (open or sealed) before the order's close height
// and returns the deposit to hand back to the provider now. The bid stays on
// record as withdrawn, so the provider cannot bid again on this order.
func (b *OrderBook) Withdraw(id BidID, height int64) (money.Coin, error) {
	h, ok := b.byID.get(&id.OrderID, b.slots)
	if !ok {
		return money.Coin{}, fmt.Errorf("%w: %s", ErrUnknownOrder, id)
	}
	s := &b.slots[h]
	i := s.find(b.providers.lookup(id.Provider))
	state := bidRejected // no entry: treated as never placed
	if i >= 0 {
		state = s.bids[i].state
	}
	if err := CheckWithdraw(&s.order, id, state, height); err != nil {
		return money.Coin{}, err
	}
	e := &s.bids[i]
	wasActive := e.state == BidActive
	e.state = BidWithdrawn
	if wasActive && int32(i) == s.best {
		s.setBest(s.rescanBest(&b.providers))
	}
	return b.depositOf(s, e), nil
}

// find returns the index of provider p's bid entry, or -1.
func (s *orderSlot) find(p uint32) int {
	if p == noProvider {
		return -1
	}
	n := min(len(s.bids), inlineProviders)
	for i, q := range s.provs[:n] {
		if q == p {
			return i
		}
	}
	for i := n; i < len(s.bids); i++ {
		if s.bids[i].provider == p {
			return i
		}
	}
	return -1
}

// rescanBest recomputes the best active bid after the best one left. It is
// O(bids of this order), paid only when the current best is withdrawn.
func (s *orderSlot) rescanBest(names *interner) int32 {
	best := int32(-1)
	for i := range s.bids {
		if s.bids[i].state != BidActive {
			continue
		}
		if best < 0 {
			best = int32(i)
			continue
		}
		if k, kb := s.keyOf(&s.bids[i]), s.keyOf(&s.bids[best]); k.beats(&kb, names) {
			best = int32(i)
		}
	}
	return best
}
