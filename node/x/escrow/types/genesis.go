package types

import (
	"fmt"

	"github.com/akash-market/akash/core/lease"
)

// DefaultParams: a 2% take rate.
func DefaultParams() Params { return Params{TakeRateBps: DefaultTakeRateBPS} }

// Validate checks the params.
func (p Params) Validate() error {
	if p.TakeRateBps > 10_000 {
		return ErrInvalidParams.Wrapf("take_rate_bps %d: must be at most 10000 (100%%); the default is %d (2%%)", p.TakeRateBps, DefaultTakeRateBPS)
	}
	return nil
}

// DefaultGenesis has default params and no accounts.
func DefaultGenesis() *GenesisState { return &GenesisState{Params: DefaultParams()} }

// Validate checks the params and every account: each must decode into a
// core account that passes lease.CheckConservation, and no two may share a deployment.
func (g GenesisState) Validate() error {
	if err := g.Params.Validate(); err != nil {
		return err
	}
	seen := make(map[string]bool, len(g.Accounts))
	for i, a := range g.Accounts {
		key := fmt.Sprintf("%s/%d", a.Owner, a.Dseq)
		if seen[key] {
			return ErrInvalidGenesis.Wrapf("accounts[%d]: deployment %s appears twice", i, key)
		}
		seen[key] = true
		ca, err := a.ToCore()
		if err != nil {
			return ErrInvalidGenesis.Wrapf("accounts[%d] (%s): %v", i, key, err)
		}
		if err := lease.CheckConservation(ca, ca.Flows); err != nil {
			return ErrInvalidGenesis.Wrapf("accounts[%d] (%s): %v", i, key, err)
		}
	}
	return nil
}
