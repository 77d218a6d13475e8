package types

import (
	errorsmod "cosmossdk.io/errors"

	"github.com/akash-market/akash/core/lease"
)

// DefaultGenesis is the genesis of a new chain: default params, no providers.
func DefaultGenesis() *GenesisState { return &GenesisState{Params: DefaultParams()} }

// Validate checks params, every record, and that no provider appears twice;
// each stake record must add up (core/lease's per-provider rule).
func (g GenesisState) Validate() error {
	if err := g.Params.Validate(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, p := range g.Providers {
		if err := p.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "providers[%d]: %v", i, err)
		}
		if seen[p.Owner] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "providers[%d]: %s appears twice", i, p.Owner)
		}
		seen[p.Owner] = true
	}
	book, err := lease.NewStakeBook(g.Params.StakeDenom, g.Params.UnbondingPeriod)
	if err != nil {
		return errorsmod.Wrapf(ErrInvalidGenesis, "%v", err)
	}
	for i, s := range g.Stakes {
		if err := ValidateAddress("provider", s.Provider); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "stakes[%d]: %v", i, err)
		}
		if _, dup := book.Get(s.Provider); dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "stakes[%d]: %s appears twice", i, s.Provider)
		}
		c, err := s.Core()
		if err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "stakes[%d]: %v", i, err)
		}
		if err := book.Restore(c); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "stakes[%d]: %v", i, err)
		}
	}
	hs := map[string]bool{}
	for i, h := range g.Histories {
		if err := ValidateAddress("provider", h.Provider); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "histories[%d]: %v", i, err)
		}
		if hs[h.Provider] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "histories[%d]: %s appears twice", i, h.Provider)
		}
		hs[h.Provider] = true
	}
	return nil
}
