package types

import (
	errorsmod "cosmossdk.io/errors"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/money"
)

// Defaults: unbonding takes 7 days of 6-second blocks; each lease closed for
// a provider fault slashes core/lease's default share of the provider's
// stake (1%, the simulator's default too); reputation uses core/lease's
// defaults.
const (
	DefaultStakeDenom      = "uakt"
	DefaultUnbondingPeriod = 100_800
	DefaultFaultSlashBPS   = lease.DefaultFaultSlashBPS
)

// DefaultParams are the params of a new chain.
func DefaultParams() Params {
	return Params{
		StakeDenom:      DefaultStakeDenom,
		UnbondingPeriod: DefaultUnbondingPeriod,
		FaultSlashBps:   DefaultFaultSlashBPS,
		Reputation:      ReputationParamsFromCore(lease.DefaultReputationParams()),
	}
}

// ReputationParamsFromCore converts core/lease's params to their store form.
func ReputationParamsFromCore(p lease.ReputationParams) ReputationParams {
	return ReputationParams{
		PriorLeases:    p.PriorLeases,
		PriorServedBps: p.PriorServedBPS,
		FaultWeight:    p.FaultWeight,
		StakeCapPpm:    p.StakeCapPPM,
		StakeWeightBps: p.StakeWeightBPS,
	}
}

// Core returns the params core/lease.ComputeReputation takes.
func (p ReputationParams) Core() lease.ReputationParams {
	return lease.ReputationParams{
		PriorLeases:    p.PriorLeases,
		PriorServedBPS: p.PriorServedBps,
		FaultWeight:    p.FaultWeight,
		StakeCapPPM:    p.StakeCapPpm,
		StakeWeightBPS: p.StakeWeightBps,
	}
}

// Validate checks every param; reputation ranges are core/lease's.
func (p Params) Validate() error {
	if !money.ValidDenom(p.StakeDenom) {
		return errorsmod.Wrapf(ErrInvalidParams, "stake_denom %q; want a denom such as uakt", p.StakeDenom)
	}
	if p.UnbondingPeriod < 0 {
		return errorsmod.Wrapf(ErrInvalidParams, "unbonding_period %d blocks; want 0 or more", p.UnbondingPeriod)
	}
	if err := (lease.SlashPolicy{FaultBPS: p.FaultSlashBps}).Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "%v", err)
	}
	if err := p.Reputation.Core().Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "reputation: %v", err)
	}
	return nil
}
