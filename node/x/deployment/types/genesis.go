package types

import (
	"fmt"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/money"
)

// DefaultMinDeposit is the market's one default (core/lease.DefaultMinDeposit,
// 0.5 AKT), the simulator's scenario market.min_deposit too.
var DefaultMinDeposit = sdk.NewCoin("uakt", sdkmath.NewIntFromUint64(lease.DefaultMinDeposit.QuoFloor(money.NewDec(1))))

// DefaultParams accept uakt deposits of at least DefaultMinDeposit.
func DefaultParams() Params { return Params{MinDeposits: sdk.NewCoins(DefaultMinDeposit)} }

// Validate checks the params.
func (p Params) Validate() error {
	if err := p.MinDeposits.Validate(); err != nil {
		return fmt.Errorf("params.min_deposits %s: %w", p.MinDeposits, err)
	}
	if len(p.MinDeposits) == 0 {
		return fmt.Errorf("params.min_deposits: empty; list each accepted deposit denom with its minimum, e.g. 5000000uakt")
	}
	return nil
}

// DefaultGenesis has default params and no deployments.
func DefaultGenesis() *GenesisState { return &GenesisState{Params: DefaultParams()} }

// Validate checks params and every deployment: valid IDs, unique, a state,
// a 32-byte version, a reason on every close, groups numbered 1..n.
func (g GenesisState) Validate() error {
	if err := g.Params.Validate(); err != nil {
		return ErrInvalidGenesis.Wrap(err.Error())
	}
	seen := map[DeploymentID]bool{}
	for i, d := range g.Deployments {
		p := fmt.Sprintf("deployments[%d]", i)
		if err := ValidateStored(d.Deployment, d.Groups); err != nil {
			return ErrInvalidGenesis.Wrapf("%s: %v", p, err)
		}
		if seen[d.Deployment.ID] {
			return ErrInvalidGenesis.Wrapf("%s: deployment %s/%d appears twice", p, d.Deployment.ID.Owner, d.Deployment.ID.Dseq)
		}
		seen[d.Deployment.ID] = true
	}
	return nil
}

// ValidateStored checks a stored deployment and its groups; the invariant and genesis use it.
func ValidateStored(d Deployment, groups []Group) error {
	if err := validateID(d.ID.Owner, d.ID.Dseq); err != nil {
		return err
	}
	if err := validateVersion(d.Version); err != nil {
		return err
	}
	switch d.State {
	case DeploymentActive:
		if d.CloseReason != "" {
			return fmt.Errorf("active deployment has close reason %q", d.CloseReason)
		}
	case DeploymentClosed:
		r, err := lease.ParseCloseReason(d.CloseReason)
		if err != nil || !r.Valid() {
			return fmt.Errorf("closed deployment has no valid close reason (%q); every close needs one", d.CloseReason)
		}
	default:
		return fmt.Errorf("state %d: want active or closed", d.State)
	}
	if len(groups) == 0 {
		return fmt.Errorf("no groups")
	}
	for i, gr := range groups {
		if gr.ID.Owner != d.ID.Owner || gr.ID.Dseq != d.ID.Dseq || gr.ID.Gseq != uint32(i+1) {
			return fmt.Errorf("groups[%d] has id %s/%d/%d; want %s/%d/%d", i, gr.ID.Owner, gr.ID.Dseq, gr.ID.Gseq, d.ID.Owner, d.ID.Dseq, i+1)
		}
		if err := gr.Asks().Validate(); err != nil {
			return fmt.Errorf("groups[%d].min_reputation: %w", i, err)
		}
		if d.State == DeploymentClosed && gr.State != GroupClosed {
			return fmt.Errorf("groups[%d] is %s in a closed deployment", i, gr.State)
		}
		if gr.State == GroupClosed {
			if r, err := lease.ParseCloseReason(gr.CloseReason); err != nil || !r.Valid() {
				return fmt.Errorf("groups[%d] closed with no valid reason (%q)", i, gr.CloseReason)
			}
		}
	}
	return nil
}
