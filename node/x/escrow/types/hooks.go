package types

import (
	"context"
	"errors"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
)

// Hooks are told of the closes the escrow decided itself: an account that ran
// dry (closed in EndBlock at exactly its dry height) or an account closed by
// CloseAccount, and the leases those closes ended. Market (leases) and
// deployment (deployment state) implement them.
type Hooks interface {
	OnLeaseClosed(ctx context.Context, id market.LeaseID, c lease.Closure) error
	OnAccountClosed(ctx context.Context, id market.DeploymentID, c lease.Closure) error
}

// MultiHooks calls each Hooks in order and stops at the first error.
type MultiHooks []Hooks

var _ Hooks = MultiHooks{}

func (m MultiHooks) OnLeaseClosed(ctx context.Context, id market.LeaseID, c lease.Closure) error {
	for _, h := range m {
		if err := h.OnLeaseClosed(ctx, id, c); err != nil {
			return err
		}
	}
	return nil
}

func (m MultiHooks) OnAccountClosed(ctx context.Context, id market.DeploymentID, c lease.Closure) error {
	for _, h := range m {
		if err := h.OnAccountClosed(ctx, id, c); err != nil {
			return err
		}
	}
	return nil
}

// EscrowHooksWrapper lets a module hand its Hooks to escrow through depinject
// (ModuleOutputs field of this type); escrow collects them in one Invoke, as
// x/staking does with StakingHooksWrapper.
type EscrowHooksWrapper struct{ Hooks Hooks }

// IsOnePerModuleType marks the wrapper as provided at most once per module.
func (EscrowHooksWrapper) IsOnePerModuleType() {}

// ErrHooksSet is returned by a second SetHooks.
var ErrHooksSet = errors.New("escrow hooks are already set")
