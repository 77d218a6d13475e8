package market

import "github.com/akash-market/akash/core/manifest"

// The book's eligibility verdict cache. Two of the offer rules, attributes and
// signed-by (requirementsEligible), read nothing but the order's requirement
// set and the provider's attributes and audits; they are string compares and
// were half of a placement's time. Their verdict for one (requirement set,
// provider profile) pair is the same for every bid of that pair, so the book
// keeps it in a table and a placement does one lookup instead:
//
//   - requirement sets are already interned: the fill index's bucket of an
//     order (s.bucket) is its requirement set's small integer ID;
//   - a provider's attributes and audits are interned by registering them
//     (RegisterProvider / SetProfile) under its ProviderRef: providers
//     registered with the same slices share one profile, a small integer ID;
//   - verdicts live in one flat table, row = profile, column = bucket, each
//     a uint32: stamp << 2 | verdict code.
//
// Validity is by generation stamps from one clock: registering or changing a
// profile stamps the provider, installing a requirement set into a bucket
// (new, or a recycled bucket) stamps the bucket, each with the next clock
// value; a verdict is written with the current clock value and is valid while
// its stamp is at least both the profile's and the bucket's. A change thus
// invalidates the verdicts it touches in O(1), and a miss re-runs
// requirementsEligible, the one written rule.
//
// A bid takes the cached path only when its offer carries the very slices the
// provider registered (same first element and length: a pointer compare); any
// other offer is checked by the rule directly, so a caller that builds offers
// afresh gets exactly the uncached behaviour. The registered slices are shared
// with the caller and are read-only: to change a provider's attributes call
// SetProfile (with new slices, or with the same ones after changing them in
// place, which the book cannot see otherwise).
//
// Reputation and resources are not cached: they are compared with each
// order's own minimum and totals (integer compares, orderEligible), and the
// bid's reputation is its snapshot at placement. Stake enters eligibility only
// through reputation, so its changes need no invalidation either.

// ProviderProfile is what the requirement rules read of a provider: its
// attributes and the attributes auditors signed for it (Offer.Attributes and
// Offer.Audited of its bids).
type ProviderProfile struct {
	Attributes manifest.Attributes
	Audited    []AuditedAttributes
}

// RegisterProvider is Provider for a provider whose bids carry prof's slices
// as their Offer.Attributes and Offer.Audited: the book then caches the
// verdict of the attribute and signed-by rules per (provider, requirement
// set). The slices become read-only; see SetProfile to change them.
func (b *OrderBook) RegisterProvider(addr string, prof ProviderProfile) ProviderRef {
	p := b.Provider(addr)
	b.SetProfile(p, prof)
	return p
}

// SetProfile registers or replaces p's profile and drops its cached
// verdicts. Call it whenever the provider's attributes or audits change,
// also when the registered slices were changed in place. A zero p is a no-op.
func (b *OrderBook) SetProfile(p ProviderRef, prof ProviderProfile) {
	if p.h1 == 0 {
		return
	}
	b.verdicts.setProfile(p.h1-1, prof)
}

// verdictCache is the table described above. Its rows are per profile, not
// per provider: providers registered with the very same slices (a class of
// identical machines) share one profile and one row, which keeps the table
// small enough to stay in cache.
type verdictCache struct {
	provProfile []uint32              // by provider handle: its profile's index + 1; 0: none registered
	profiles    []profileRec          // by profile index
	byKey       map[profileKey]uint32 // a profile's slices -> its index
	freeRows    []uint32              // profiles no provider uses any more
	bucketGen   []uint32              // by fill-index bucket
	table       []uint32              // [profile*stride + bucket]: stamp<<2 | code; 0: empty
	stride      int                   // columns per row: at least the number of buckets
	rows        int                   // rows allocated in table
	clock       uint32                // the last stamp given out
	maxStamp    uint32                // the clock restarts past this (tests lower it)
}

type profileRec struct {
	prof ProviderProfile
	gen  uint32 // stamp of the last registration or change
	refs int32  // providers using it
}

// profileKey is a profile's identity: its slices' first elements and lengths.
type profileKey struct {
	attrs   *manifest.Attribute
	nAttrs  int
	audited *AuditedAttributes
	nAud    int
}

func keyOf(p *ProviderProfile) profileKey {
	k := profileKey{nAttrs: len(p.Attributes), nAud: len(p.Audited)}
	if k.nAttrs > 0 {
		k.attrs = &p.Attributes[0]
	}
	if k.nAud > 0 {
		k.audited = &p.Audited[0]
	}
	return k
}

// maxStampDefault bounds a verdict's stamp: the code takes the low 2 bits.
const maxStampDefault = 1<<30 - 1

// verdict codes; 0 is ReasonNone.
const (
	codeAttribute = 1
	codeSignedBy  = 2
)

var codeReasons = [4]Reason{ReasonNone, ReasonAttribute, ReasonSignedBy, ReasonNone}

func reasonCode(r Reason) uint32 {
	switch r {
	case ReasonAttribute:
		return codeAttribute
	case ReasonSignedBy:
		return codeSignedBy
	}
	return 0
}

// tick returns the next stamp, restarting the clock (and emptying the table)
// when it would pass maxStamp, so a stamp never wraps onto an old one.
func (c *verdictCache) tick() uint32 {
	limit := c.maxStamp
	if limit == 0 {
		limit = maxStampDefault
	}
	if c.clock >= limit {
		clear(c.table)
		for i := range c.profiles {
			c.profiles[i].gen = 1
		}
		for i := range c.bucketGen {
			c.bucketGen[i] = 1
		}
		c.clock = 1
	}
	c.clock++
	return c.clock
}

// setProfile points provider p at the profile of prof's slices (shared with
// any provider registered with the same slices) and stamps that profile, so
// its verdicts are recomputed: the slices may have changed in place.
func (c *verdictCache) setProfile(p uint32, prof ProviderProfile) {
	for int(p) >= len(c.provProfile) {
		c.provProfile = append(c.provProfile, 0)
	}
	if old := c.provProfile[p]; old != 0 {
		c.provProfile[p] = 0
		c.unref(old - 1)
	}
	if c.byKey == nil {
		c.byKey = make(map[profileKey]uint32)
	}
	k := keyOf(&prof)
	id, ok := c.byKey[k]
	if !ok {
		if n := len(c.freeRows); n > 0 {
			id = c.freeRows[n-1]
			c.freeRows = c.freeRows[:n-1]
		} else {
			id = uint32(len(c.profiles))
			c.profiles = append(c.profiles, profileRec{})
			c.ensureRows(len(c.profiles))
		}
		c.profiles[id] = profileRec{prof: prof}
		c.byKey[k] = id
	}
	pr := &c.profiles[id]
	pr.gen = c.tick()
	pr.refs++
	c.provProfile[p] = id + 1
}

// unref drops a provider's use of profile id; an unused profile's row is
// reused by the next new profile (whose stamp outdates the row's verdicts).
func (c *verdictCache) unref(id uint32) {
	pr := &c.profiles[id]
	if pr.refs--; pr.refs > 0 {
		return
	}
	delete(c.byKey, keyOf(&pr.prof))
	*pr = profileRec{}
	c.freeRows = append(c.freeRows, id)
}

// installBucket stamps bucket bi, which now holds a requirement set it did
// not hold before (a new bucket or a recycled one).
func (c *verdictCache) installBucket(bi int32) {
	for int(bi) >= len(c.bucketGen) {
		c.bucketGen = append(c.bucketGen, 0)
	}
	if int(bi) >= c.stride {
		c.widen(max(2*c.stride, int(bi)+1, 8))
	}
	c.bucketGen[bi] = c.tick()
}

func (c *verdictCache) ensureRows(n int) {
	if n <= c.rows {
		return
	}
	rows := max(n, 2*c.rows, 16)
	t := make([]uint32, rows*c.stride)
	copy(t, c.table)
	c.table, c.rows = t, rows
}

// widen gives every row stride columns, keeping the verdicts.
func (c *verdictCache) widen(stride int) {
	t := make([]uint32, c.rows*stride)
	for r := range c.rows {
		copy(t[r*stride:], c.table[r*c.stride:(r+1)*c.stride])
	}
	c.table, c.stride = t, stride
}

// requirements is requirementsEligible(req, off) for provider p's bid on an
// order in bucket bi, from the table when p's registered profile is off's.
func (c *verdictCache) requirements(p uint32, bi int32, req *manifest.PlacementRequirements, off *Offer) Reason {
	if int(p) >= len(c.provProfile) || c.provProfile[p] == 0 {
		return requirementsEligible(req, off)
	}
	id := c.provProfile[p] - 1
	pr := &c.profiles[id]
	if !sameSlice(pr.prof.Attributes, off.Attributes) || !sameSlice(pr.prof.Audited, off.Audited) {
		return requirementsEligible(req, off)
	}
	i := int(id)*c.stride + int(bi)
	e := c.table[i]
	if s := e >> 2; s != 0 && s >= pr.gen && s >= c.bucketGen[bi] {
		return codeReasons[e&3]
	}
	r := requirementsEligible(req, off)
	c.table[i] = c.clock<<2 | reasonCode(r)
	return r
}

// sameSlice reports whether a and b are the same slice of memory (same first
// element and length); two empty slices are the same (empty) list.
func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// admit is Admission for a bid by provider p on the order in slot s, with the
// requirement rules' verdict from the cache: orderEligible, then
// requirementsEligible (cached), then for an open bid priceEligible, the
// same pipeline as offerEligible and admission. Every caller has found s
// by bid's order ID or checked that they agree (orderTable.get, liveRef),
// which is checkOrder, so admit starts after it.
func (b *OrderBook) admit(s *orderSlot, bid *Bid, kind BidKind, p uint32) Reason {
	r := sameOrderEligible(&s.order, bid)
	if r == ReasonNone {
		r = b.verdicts.requirements(p, s.bucket, &b.index.buckets[s.bucket].req, &bid.Offer)
	}
	if r != ReasonNone || kind == SealedBid {
		return r
	}
	return priceEligible(&s.order, bid)
}
