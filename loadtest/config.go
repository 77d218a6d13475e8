package loadtest

import (
	"errors"
	"fmt"
	"time"
)

// ErrConfig is wrapped by every configuration problem Validate reports.
var ErrConfig = errors.New("loadtest: invalid configuration")

// Config is one load test. The zero value is not useful; start from
// DefaultConfig.
type Config struct {
	Orders       int     `json:"orders"`         // open orders in the book while bids are placed
	BidsPerOrder int     `json:"bids_per_order"` // bids each order receives per round
	Mix          string  `json:"mix"`            // built-in attribute and resource mix (see Mixes)
	Ineligible   float64 `json:"ineligible"`     // share of bids that fail an eligibility rule, 0..1
	Sealed       float64 `json:"sealed"`         // share of orders that take sealed bids (commit + reveal), 0..1
	Pattern      string  `json:"pattern"`        // which orders bids go to: "recent" or "uniform"
	Window       int     `json:"window"`         // orders per window for the recent pattern
	Lookup       string  `json:"lookup"`         // how open bids name their order: "ref" (OrderRef) or "id" (OrderID)
	// Ops stops after this many measured bid placements (0: no limit);
	// Duration after this much measured time (0: no limit). With neither,
	// one measured round runs. A round is every phase once over all orders.
	Ops      int64         `json:"ops"`
	Duration time.Duration `json:"duration_ns"`
	Warmup   int           `json:"warmup_rounds"` // unmeasured rounds first, so slots have grown their bid lists
	Batch    int           `json:"batch"`         // ops per timestamp pair
	Seed     uint64        `json:"seed"`
	CPU      int           `json:"cpu"` // GOMAXPROCS requested (0: left as it was); recorded, applied by the caller
}

// DefaultConfig is the reference load: 100,000 open orders, 20 bids
// each, the market mix, 10% ineligible bids, 10% sealed orders.
func DefaultConfig() Config {
	return Config{
		Orders:       100_000,
		BidsPerOrder: 20,
		Mix:          "market",
		Ineligible:   0.10,
		Sealed:       0.10,
		Pattern:      PatternRecent,
		Window:       1000,
		Lookup:       LookupRef,
		Warmup:       1,
		Batch:        64,
		Seed:         1,
	}
}

// Access patterns and order lookups.
const (
	// PatternRecent: providers answer orders soon after they open, so bids
	// arrive window by window (every bid of Window orders, then the next
	// Window), as in a live market. The book still holds every order.
	PatternRecent = "recent"
	// PatternUniform: each round visits all open orders in a random
	// permutation, so nearly every placement finds its order cold in cache:
	// the worst case.
	PatternUniform = "uniform"
	// LookupRef: open bids go through PlaceBidAs with the order handle the
	// provider got when it found the order (FillableRefs) and its own
	// provider handle (OrderBook.Provider, taken once).
	LookupRef = "ref"
	// LookupID: open bids name their order by OrderID, as a chain's bid
	// transactions do, and go through PlaceBidFrom with the provider's
	// handle that RegisterProvider returned: a chain reads the provider's
	// record by address for every bid anyway (is it registered), and keeps
	// the handle beside it, so the book looks up the order only. The
	// chain's own record look-up is not in the figure.
	LookupID = "id"
	// LookupIDAddr: through PlaceBid by OrderID and address, as a client
	// holding no handle at all would: the book looks up the order and the
	// address (hashing its bytes, then its table line).
	LookupIDAddr = "id-addr"
)

// Validate reports every problem with c at once, each naming its flag.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrConfig}, a...)...))
	}
	if c.Orders < 1 || c.Orders > 50_000_000 {
		bad("orders %d: want 1..50,000,000", c.Orders)
	}
	if c.BidsPerOrder < 0 || c.BidsPerOrder > 1000 {
		bad("bids per order %d: want 0..1000", c.BidsPerOrder)
	}
	if _, ok := mixes[c.Mix]; !ok {
		bad("mix %q: want one of %v", c.Mix, MixNames())
	}
	if !(c.Ineligible >= 0 && c.Ineligible <= 1) {
		bad("ineligible share %v: want 0..1", c.Ineligible)
	}
	if !(c.Sealed >= 0 && c.Sealed <= 1) {
		bad("sealed share %v: want 0..1", c.Sealed)
	}
	if c.Pattern != PatternRecent && c.Pattern != PatternUniform {
		bad("pattern %q: want %s or %s", c.Pattern, PatternRecent, PatternUniform)
	}
	if c.Pattern == PatternRecent && c.Window < 1 {
		bad("window %d: want at least 1", c.Window)
	}
	if c.Lookup != LookupRef && c.Lookup != LookupID && c.Lookup != LookupIDAddr {
		bad("lookup %q: want %s, %s or %s", c.Lookup, LookupRef, LookupID, LookupIDAddr)
	}
	if c.Ops < 0 {
		bad("ops %d: want 0 (one round) or more", c.Ops)
	}
	if c.Duration < 0 {
		bad("duration %s: want 0 (one round) or more", c.Duration)
	}
	if c.Warmup < 0 || c.Warmup > 100 {
		bad("warmup %d rounds: want 0..100", c.Warmup)
	}
	if c.Batch < 1 || c.Batch > 1<<20 {
		bad("batch %d: want 1..1048576", c.Batch)
	}
	if c.CPU < 0 {
		bad("cpu %d: want 0 (unchanged) or a positive GOMAXPROCS", c.CPU)
	}
	return errors.Join(errs...)
}
