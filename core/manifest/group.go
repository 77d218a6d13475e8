package manifest

import (
	"fmt"

	"github.com/akash-market/akash/core/money"
)

// A Group is what one placement of a manifest asks the market for: it becomes
// one order on the order book. It is the unit that providers bid on and that a
// lease covers.
type Group struct {
	Name         string                // the placement's name, e.g. "westcoast"
	Requirements PlacementRequirements // what a provider must be to host it
	Units        []ResourceUnit        // Akash's resource units, in Akash's order (see ResourceUnit)
	Services     []string              // services placed here, sorted
	Exposes      []Expose              // every port those services expose, sorted
}

// PlacementRequirements are a placement's demands on the provider itself.
type PlacementRequirements struct {
	Attributes Attributes // every one must be among the provider's attributes
	SignedBy   SignedBy   // auditors that must have signed the provider's attributes
}

// SignedBy lists auditor addresses: every AllOf and at least one AnyOf (when
// AnyOf is not empty) must have signed.
type SignedBy struct {
	AllOf []string
	AnyOf []string
}

// ResourceUnit is Count identical replicas of one compute profile, each priced
// at Price per block. As in Akash, SDL 2.0 makes one unit per service deployed
// in the placement (two services with one profile give two units), and SDL
// 2.1 one unit per compute profile, whose count adds up the services using it;
// units are in the order Akash numbers them (services by name).
type ResourceUnit struct {
	Profile   string // the compute profile's name
	Resources Resources
	Count     uint32
	Price     money.Coin // per replica, per block
}

// Resources are what one replica needs.
type Resources struct {
	CPUMillis     uint64     // 1000 = one core
	CPUAttributes Attributes // cpu.attributes, e.g. arch=amd64; nil when absent
	MemoryBytes   uint64
	Storage       []StorageVolume // in the order written; "default" is the unnamed one
	GPU           GPU
	BandwidthBps  uint64 // the whitepaper's bandwidth resource (bytes/s); 0 when the manifest leaves it out
}

// StorageVolume is one named volume of a compute profile.
type StorageVolume struct {
	Name       string
	Bytes      uint64
	Attributes Attributes // as Akash records them: persistent and class, e.g. class=beta2, persistent=true; nil when the volume has no attributes (ephemeral)
}

// GPU is a profile's GPU demand; Attributes carry vendor and model, e.g.
// vendor/nvidia/model/a100=true.
type GPU struct {
	Units      uint64
	Attributes Attributes
}

// Attribute is a key=value pair: placement requirements and provider
// capabilities are both written as attributes.
type Attribute struct {
	Key   string
	Value string
}

// Attributes is a list of attributes sorted by Key then Value.
type Attributes []Attribute

// Expose is one port a service exposes and to whom.
type Expose struct {
	Service      string   // the exposing service
	Port         uint32   // the container port
	ExternalPort uint32   // the "as" port; 0 when absent
	Proto        string   // "TCP" or "UDP"
	Global       bool     // reachable from the internet
	ToService    string   // the service allowed to connect; "" when Global or absent
	Hosts        []string // the "accept" host names
	IP           string   // the named IP endpoint, if any
}

// Totals is the sum over all replicas of a group: what a provider must have free
// to host it whole. The market compares these against a provider's capacity.
type Totals struct {
	CPUMillis    uint64
	MemoryBytes  uint64
	StorageBytes uint64
	GPUUnits     uint64
	BandwidthBps uint64
}

// Totals adds up every replica of every unit. It reports an error only if a sum
// overflows 64 bits, which validation rules out for parsed manifests.
func (g Group) Totals() (Totals, error) {
	var t Totals
	for _, u := range g.Units {
		n := uint64(u.Count)
		var storage uint64
		for _, v := range u.Resources.Storage {
			storage += v.Bytes
		}
		for _, add := range []struct {
			dst *uint64
			v   uint64
		}{
			{&t.CPUMillis, u.Resources.CPUMillis},
			{&t.MemoryBytes, u.Resources.MemoryBytes},
			{&t.StorageBytes, storage},
			{&t.GPUUnits, u.Resources.GPU.Units},
			{&t.BandwidthBps, u.Resources.BandwidthBps},
		} {
			if add.v != 0 && n > (^uint64(0)-*add.dst)/add.v {
				return Totals{}, fmt.Errorf("group %s: resource total overflows 64 bits", g.Name)
			}
			*add.dst += add.v * n
		}
	}
	return t, nil
}

// MaxPrice is the most the tenant pays per block for the whole group: the sum
// of each unit's price × count. All units of a group share one denomination.
func (g Group) MaxPrice() (money.Coin, error) {
	var total money.Coin
	for i, u := range g.Units {
		if i == 0 {
			total.Denom = u.Price.Denom
		} else if u.Price.Denom != total.Denom {
			return money.Coin{}, fmt.Errorf("group %s: profile %s is priced in %s but profile %s in %s; a group is paid in one denomination",
				g.Name, g.Units[0].Profile, total.Denom, u.Profile, u.Price.Denom)
		}
		p, err := u.Price.Amount.MulInt(uint64(u.Count))
		if err == nil {
			total.Amount, err = total.Amount.Add(p)
		}
		if err != nil {
			return money.Coin{}, fmt.Errorf("group %s: price: %w", g.Name, err)
		}
	}
	return total, nil
}
