// Package inventory is the provider's capacity book: what it has, what it has
// promised in open bids (reserved) and what its leases hold (committed).
//
// It is pure (no IO, clock or goroutines), like the bid engine that drives it:
// a bid reserves, a won lease commits, a lost bid or closed lease releases.
// Capacity is split into pools, each with its own attribute set (a GPU model,
// a storage class, a rack); a group goes whole into one pool. The book never
// lets reserved + committed exceed a pool's capacity in any dimension, and a
// release gives back exactly what the reservation took: each pool's accounts
// are a core/market Capacity, the arithmetic the simulated providers use.
package inventory

import (
	"errors"
	"fmt"
	"slices"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
)

// Resources are the dimensions the book counts, in the units the market's
// order totals use: cpu millis, memory bytes, storage bytes, gpu units,
// bandwidth bytes/s.
type Resources = manifest.Totals

// Pool is one block of capacity with the attributes it offers. A pool
// constrains only the keys it declares: an order that requires a value for
// one of those keys must name the pool's value; any other key is the
// provider's business (the market checks it against the registered
// attributes). A pool with no attributes takes any order.
type Pool struct {
	Name       string
	Attributes manifest.Attributes
	Capacity   Resources
}

// State is where a hold stands.
type State uint8

const (
	// Reserved: promised in an open bid; released if the bid loses.
	Reserved State = iota + 1
	// Committed: a lease won; released when the lease closes.
	Committed
)

func (s State) String() string {
	switch s {
	case Reserved:
		return "reserved"
	case Committed:
		return "committed"
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// Errors; call sites wrap them with the order and the dimension involved.
var (
	ErrNoRoom    = errors.New("no pool has room")
	ErrHeld      = errors.New("already held")
	ErrNotHeld   = errors.New("not held")
	ErrBadConfig = errors.New("invalid inventory")
)

// Hold is one order's claim on a pool.
type Hold struct {
	Order market.OrderID
	Pool  string
	Need  Resources
	State State
}

type pool struct {
	Pool
	acct market.Capacity // Total is Pool.Capacity; the one capacity arithmetic of both modes
}

// Inventory is the book. The zero value is unusable; build it with New.
type Inventory struct {
	pools []pool
	holds map[market.OrderID]*hold
}

type hold struct {
	pool  int
	need  Resources
	state State
}

// New checks the pools (unique non-empty names, attributes with unique keys)
// and returns an empty book over them. Pools are tried in the given order.
func New(pools []Pool) (*Inventory, error) {
	if len(pools) == 0 {
		return nil, fmt.Errorf("%w: no pools; configure at least one pool with its capacity", ErrBadConfig)
	}
	inv := &Inventory{holds: make(map[market.OrderID]*hold)}
	seen := map[string]bool{}
	for i, p := range pools {
		if p.Name == "" {
			return nil, fmt.Errorf("%w: pools[%d]: empty name; give every pool a name", ErrBadConfig, i)
		}
		if seen[p.Name] {
			return nil, fmt.Errorf("%w: pools[%d]: name %q used twice; pool names must be unique", ErrBadConfig, i, p.Name)
		}
		seen[p.Name] = true
		attrs := slices.Clone(p.Attributes)
		slices.SortFunc(attrs, func(a, b manifest.Attribute) int {
			if a.Key < b.Key {
				return -1
			} else if a.Key > b.Key {
				return 1
			}
			return 0
		})
		for j := 1; j < len(attrs); j++ {
			if attrs[j].Key == attrs[j-1].Key {
				return nil, fmt.Errorf("%w: pool %q: attribute %q given twice; a pool has one value per key", ErrBadConfig, p.Name, attrs[j].Key)
			}
		}
		p.Attributes = attrs
		inv.pools = append(inv.pools, pool{Pool: p, acct: market.Capacity{Total: p.Capacity}})
	}
	return inv, nil
}

// Accepts reports whether pool p's attributes allow an order with the given
// required attributes.
func (p *Pool) Accepts(required manifest.Attributes) bool {
	for _, r := range required {
		for _, a := range p.Attributes {
			if a.Key == r.Key && a.Value != r.Value {
				return false
			}
		}
	}
	return true
}

// Fit finds the first pool that accepts the attributes and has need free.
// When none does, it says why: the dimension that ran out in the closest
// pool, or that no pool accepts the attributes.
func (inv *Inventory) Fit(required manifest.Attributes, need Resources) (poolIdx int, err error) {
	accepted := 0
	var short string
	for i := range inv.pools {
		p := &inv.pools[i]
		if !p.Accepts(required) {
			continue
		}
		accepted++
		var se *market.ShortError
		if err := p.acct.Short(&need); errors.As(err, &se) {
			if short == "" {
				short = fmt.Sprintf("pool %q: %s needs %d, %d free", p.Name, se.Dim, se.Need, se.Free)
			}
			continue
		}
		return i, nil
	}
	if accepted == 0 {
		return -1, fmt.Errorf("%w: no pool's attributes accept %s", ErrNoRoom, attrString(required))
	}
	return -1, fmt.Errorf("%w: %s", ErrNoRoom, short)
}

// Reserve holds need for order id in the first pool that fits.
func (inv *Inventory) Reserve(id market.OrderID, required manifest.Attributes, need Resources) (Hold, error) {
	if _, ok := inv.holds[id]; ok {
		return Hold{}, fmt.Errorf("reserve %s: %w", id, ErrHeld)
	}
	i, err := inv.Fit(required, need)
	if err != nil {
		return Hold{}, fmt.Errorf("reserve %s: %w", id, err)
	}
	if err := inv.pools[i].acct.Reserve(need); err != nil { // Fit found room: cannot fail
		return Hold{}, fmt.Errorf("reserve %s: pool %q: %w", id, inv.pools[i].Name, err)
	}
	inv.holds[id] = &hold{pool: i, need: need, state: Reserved}
	h, _ := inv.Hold(id)
	return h, nil
}

// Adopt records a hold that already exists elsewhere (a lease or bid found on
// chain after a restart) in a given state, in the first pool that fits.
func (inv *Inventory) Adopt(id market.OrderID, required manifest.Attributes, need Resources, s State) (Hold, error) {
	h, err := inv.Reserve(id, required, need)
	if err != nil || s == Reserved {
		return h, err
	}
	return h, inv.Commit(id)
}

// Commit turns order id's reservation into a lease's hold. Committing a
// committed hold is a no-op, so a repeated "lease won" is harmless.
func (inv *Inventory) Commit(id market.OrderID) error {
	h, ok := inv.holds[id]
	if !ok {
		return fmt.Errorf("commit %s: %w", id, ErrNotHeld)
	}
	if h.state == Committed {
		return nil
	}
	if err := inv.pools[h.pool].acct.Commit(h.need); err != nil {
		return fmt.Errorf("commit %s: pool %q: %w", id, inv.pools[h.pool].Name, err)
	}
	h.state = Committed
	return nil
}

// Release gives back exactly what order id's hold took, whatever its state.
func (inv *Inventory) Release(id market.OrderID) (Hold, error) {
	h, ok := inv.holds[id]
	if !ok {
		return Hold{}, fmt.Errorf("release %s: %w", id, ErrNotHeld)
	}
	out, _ := inv.Hold(id)
	p := &inv.pools[h.pool]
	var err error
	if h.state == Reserved {
		err = p.acct.Unreserve(h.need)
	} else {
		err = p.acct.Release(h.need)
	}
	if err != nil {
		return Hold{}, fmt.Errorf("release %s: pool %q: %w", id, p.Name, err)
	}
	delete(inv.holds, id)
	return out, nil
}

// Hold returns order id's hold.
func (inv *Inventory) Hold(id market.OrderID) (Hold, bool) {
	h, ok := inv.holds[id]
	if !ok {
		return Hold{}, false
	}
	return Hold{Order: id, Pool: inv.pools[h.pool].Name, Need: h.need, State: h.state}, true
}

// Usage is one pool's accounts.
type Usage struct {
	Pool      string
	Capacity  Resources
	Reserved  Resources
	Committed Resources
	Free      Resources
}

// Usage lists every pool's accounts in pool order.
func (inv *Inventory) Usage() []Usage {
	out := make([]Usage, len(inv.pools))
	for i := range inv.pools {
		p := &inv.pools[i]
		out[i] = Usage{Pool: p.Name, Capacity: p.Capacity, Reserved: p.acct.Reserved, Committed: p.acct.Committed, Free: p.acct.Free()}
	}
	return out
}

// Free returns pool i's free resources.
func (inv *Inventory) Free(i int) Resources { return inv.pools[i].acct.Free() }

// Holds returns the number of holds in each state.
func (inv *Inventory) Holds() (reserved, committed int) {
	for _, h := range inv.holds {
		if h.state == Reserved {
			reserved++
		} else {
			committed++
		}
	}
	return reserved, committed
}

func attrString(a manifest.Attributes) string {
	if len(a) == 0 {
		return "(none)"
	}
	s := ""
	for i, x := range a {
		if i > 0 {
			s += ","
		}
		s += x.Key + "=" + x.Value
	}
	return s
}
