package types

import (
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
)

// VersionLen is the length of a manifest version: sha256.
const VersionLen = 32

// MaxGroups bounds the groups of one deployment (each becomes an order).
const MaxGroups = 64

var (
	_ sdk.Msg = &MsgCreateDeployment{}
	_ sdk.Msg = &MsgDepositDeployment{}
	_ sdk.Msg = &MsgUpdateDeployment{}
	_ sdk.Msg = &MsgCloseDeployment{}
)

// Errors name the field, the value and what would be right, e.g.
// "groups[0].resources[1].count: 0; must be at least 1".

func badf(format string, args ...any) error { return ErrInvalidMsg.Wrapf(format, args...) }

func validateID(owner string, dseq uint64) error {
	if _, err := sdk.AccAddressFromBech32(owner); err != nil {
		return badf("owner %q: %v; want the tenant's bech32 akash1... address", owner, err)
	}
	if dseq == 0 {
		return badf("dseq: 0; must be at least 1 (usually the block height at creation)")
	}
	return nil
}

func validateVersion(v []byte) error {
	if len(v) != VersionLen {
		return badf("version: %d bytes; must be the %d-byte manifest version, Akash's sha256 of the manifest (akash-sim manifest hash prints it)", len(v), VersionLen)
	}
	return nil
}

func validateCoin(field string, c sdk.Coin) error {
	if err := c.Validate(); err != nil {
		return badf("%s %s: %v; want e.g. 5000000uakt", field, c, err)
	}
	if !c.IsPositive() {
		return badf("%s %s: must be more than zero", field, c)
	}
	return nil
}

// ValidateBasic checks the msg without reading state.
func (m *MsgCreateDeployment) ValidateBasic() error {
	if err := validateID(m.Owner, m.Dseq); err != nil {
		return err
	}
	if err := validateVersion(m.Version); err != nil {
		return err
	}
	if err := validateCoin("deposit", m.Deposit); err != nil {
		return err
	}
	if err := m.Asks().Validate(); err != nil {
		return badf("min_reputation: %d is above %d; reputation is in basis points, 0 (anyone) to %d", m.MinReputation, market.MaxReputation, market.MaxReputation)
	}
	if len(m.Groups) == 0 {
		return badf("groups: empty; a deployment needs at least one group (placement)")
	}
	if len(m.Groups) > MaxGroups {
		return badf("groups: %d; at most %d per deployment", len(m.Groups), MaxGroups)
	}
	names := make(map[string]int, len(m.Groups))
	for i, g := range m.Groups {
		if j, dup := names[g.Name]; dup {
			return badf("groups[%d].name %q: also groups[%d]; group names must be unique", i, g.Name, j)
		}
		names[g.Name] = i
		if err := g.Validate(fmt.Sprintf("groups[%d]", i), m.Deposit.Denom); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks one group spec; path prefixes every error and denom is
// the escrow's denomination, which every price must use.
func (g GroupSpec) Validate(path, denom string) error {
	if g.Name == "" {
		return badf("%s.name: empty; want the placement's name", path)
	}
	if len(g.Resources) == 0 {
		return badf("%s.resources: empty; a group needs at least one resource unit", path)
	}
	for i, a := range g.Requirements.Attributes {
		if a.Key == "" {
			return badf("%s.requirements.attributes[%d].key: empty; want e.g. region", path, i)
		}
	}
	for i, r := range g.Resources {
		p := fmt.Sprintf("%s.resources[%d]", path, i)
		switch {
		case r.Count == 0:
			return badf("%s.count: 0; must be at least 1", p)
		case r.CPUMillis == 0:
			return badf("%s.cpu_millis: 0; must be at least 1 (1000 = one core)", p)
		case r.MemoryBytes == 0:
			return badf("%s.memory_bytes: 0; must be at least 1", p)
		}
		if r.Price.Amount.IsNil() {
			return badf("%s.price: missing; want the most paid per replica per block, e.g. 100uakt", p)
		}
		if err := r.Price.Validate(); err != nil {
			return badf("%s.price %s: %v", p, r.Price, err)
		}
		if !r.Price.IsPositive() {
			return badf("%s.price %s: must be more than zero", p, r.Price)
		}
		if r.Price.Denom != denom {
			return badf("%s.price %s: denom %q differs from the deposit's %q; the escrow pays in one denomination", p, r.Price, r.Price.Denom, denom)
		}
	}
	return g.checkTotals(path)
}

// checkTotals applies the network's per-group limits, the ones the SDL
// parser applies (core/manifest CheckGroupTotals), to the sum over every
// replica of the group.
func (g GroupSpec) checkTotals(path string) error {
	units := make([]manifest.ResourceUnit, len(g.Resources))
	for i, r := range g.Resources {
		units[i] = manifest.ResourceUnit{Count: r.Count, Resources: manifest.Resources{
			CPUMillis: r.CPUMillis, MemoryBytes: r.MemoryBytes, GPU: manifest.GPU{Units: r.GPUUnits}, BandwidthBps: r.Bandwidth}}
		for _, v := range r.Storage {
			units[i].Resources.Storage = append(units[i].Resources.Storage, manifest.StorageVolume{Bytes: v.Bytes})
		}
	}
	t, err := manifest.Group{Name: g.Name, Units: units}.Totals()
	if err == nil {
		err = manifest.CheckGroupTotals(t)
	}
	if err != nil {
		return badf("%s.resources: %v; use fewer replicas or smaller units, or split the group", path, err)
	}
	return nil
}

// ValidateBasic checks the msg without reading state.
func (m *MsgDepositDeployment) ValidateBasic() error {
	if err := validateID(m.Owner, m.Dseq); err != nil {
		return err
	}
	if _, err := sdk.AccAddressFromBech32(m.Depositor); err != nil {
		return badf("depositor %q: %v; want the payer's bech32 akash1... address", m.Depositor, err)
	}
	return validateCoin("amount", m.Amount)
}

// ValidateBasic checks the msg without reading state.
func (m *MsgUpdateDeployment) ValidateBasic() error {
	if err := validateID(m.Owner, m.Dseq); err != nil {
		return err
	}
	if err := validateVersion(m.Version); err != nil {
		return err
	}
	if len(m.Groups) == 0 {
		return badf("groups: empty; send the new manifest's groups (akash-node tx deployment update does), so the chain can check they fit the ordered ones")
	}
	if len(m.Groups) > MaxGroups {
		return badf("groups: %d; at most %d per deployment", len(m.Groups), MaxGroups)
	}
	return nil
}

// ValidateBasic checks the msg without reading state.
func (m *MsgCloseDeployment) ValidateBasic() error { return validateID(m.Owner, m.Dseq) }

// Asks is what the tenant asked for every order of the deployment.
func (m *MsgCreateDeployment) Asks() market.Asks {
	return market.Asks{Sealed: m.Sealed, MinReputation: market.Reputation(m.MinReputation)}
}

// Asks is what the tenant asked for every order of the group.
func (g *Group) Asks() market.Asks {
	return market.Asks{Sealed: g.Sealed, MinReputation: market.Reputation(g.MinReputation)}
}
