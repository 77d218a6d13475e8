// Package inventory is the provider's capacity book: what it has, what it has
// promised in open bids (reserved) and what its leases hold (committed).
//
// It is pure (no IO, clock or goroutines), like the bid engine that drives it:
// a bid reserves, a won lease commits, a lost bid or closed lease releases.
// Capacity is split into pools, each with its own attribute set (a GPU model,
// a storage class, a rack); a group goes whole into one pool. The book never
// lets reserved + committed exceed a pool's capacity in any dimension, and a
// release gives back exactly what the reservation took.
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
	reserved  Resources
	committed Resources
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
		inv.pools = append(inv.pools, pool{Pool: p})
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
		free := p.free()
		if dim := shortOf(need, free); dim != "" {
			if short == "" {
				short = fmt.Sprintf("pool %q: %s needs %d, %d free", p.Name, dim, get(need, dim), get(free, dim))
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
	add(&inv.pools[i].reserved, need)
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
	p := &inv.pools[h.pool]
	sub(&p.reserved, h.need)
	add(&p.committed, h.need)
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
	if h.state == Reserved {
		sub(&p.reserved, h.need)
	} else {
		sub(&p.committed, h.need)
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
		out[i] = Usage{Pool: p.Name, Capacity: p.Capacity, Reserved: p.reserved, Committed: p.committed, Free: p.free()}
	}
	return out
}

// Free returns pool i's free resources.
func (inv *Inventory) Free(i int) Resources { return inv.pools[i].free() }

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

func (p *pool) free() Resources {
	var used Resources
	add(&used, p.reserved)
	add(&used, p.committed)
	var f Resources
	f.CPUMillis = p.Capacity.CPUMillis - used.CPUMillis
	f.MemoryBytes = p.Capacity.MemoryBytes - used.MemoryBytes
	f.StorageBytes = p.Capacity.StorageBytes - used.StorageBytes
	f.GPUUnits = p.Capacity.GPUUnits - used.GPUUnits
	f.BandwidthBps = p.Capacity.BandwidthBps - used.BandwidthBps
	return f
}

// Dimension names, as they appear in errors and metrics labels.
const (
	DimCPU       = "cpu"
	DimMemory    = "memory"
	DimStorage   = "storage"
	DimGPU       = "gpu"
	DimBandwidth = "bandwidth"
)

// shortOf names the first dimension in which have is below need, or "".
func shortOf(need, have Resources) string {
	switch {
	case have.CPUMillis < need.CPUMillis:
		return DimCPU
	case have.MemoryBytes < need.MemoryBytes:
		return DimMemory
	case have.StorageBytes < need.StorageBytes:
		return DimStorage
	case have.GPUUnits < need.GPUUnits:
		return DimGPU
	case have.BandwidthBps < need.BandwidthBps:
		return DimBandwidth
	}
	return ""
}

func get(r Resources, dim string) uint64 {
	switch dim {
	case DimCPU:
		return r.CPUMillis
	case DimMemory:
		return r.MemoryBytes
	case DimStorage:
		return r.StorageBytes
	case DimGPU:
		return r.GPUUnits
	}
	return r.BandwidthBps
}

// add and sub never wrap: Reserve admits a hold only when it fits under
// capacity, so every sum stays at most the capacity and every difference
// takes back what an earlier add put in.
func add(dst *Resources, r Resources) {
	dst.CPUMillis += r.CPUMillis
	dst.MemoryBytes += r.MemoryBytes
	dst.StorageBytes += r.StorageBytes
	dst.GPUUnits += r.GPUUnits
	dst.BandwidthBps += r.BandwidthBps
}

func sub(dst *Resources, r Resources) {
	dst.CPUMillis -= r.CPUMillis
	dst.MemoryBytes -= r.MemoryBytes
	dst.StorageBytes -= r.StorageBytes
	dst.GPUUnits -= r.GPUUnits
	dst.BandwidthBps -= r.BandwidthBps
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
