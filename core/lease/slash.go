package lease

import (
	"errors"
	"fmt"

	"github.com/akash-market/akash/core/money"
)

// DefaultFaultSlashBPS is the one default of both modes (the simulator's
// market.slash_fault_bps, the chain's x/provider fault_slash_bps): 1% of
// stake per lease closed for a provider fault.
const DefaultFaultSlashBPS = 100

// SlashPolicy is the market's one rule for taking stake from a provider
// that fails its tenants. Both modes apply it the same way: the simulator
// when a lease of its world closes, the chain's x/provider when x/escrow
// reports a closed lease. docs/reputation.md explains the choice.
//
// The rule: every lease closed for a provider fault (ReasonProviderFault)
// costs the provider FaultBPS of its slashable stake (bonded, and unbonding
// not yet matured), taken by one StakeBook.Slash per lease, each cut rounded
// down to a whole unit of the denomination (SlashCut). An outage that closes
// twelve leases slashes twelve times, each time FaultBPS of what is left:
// the stake after n fault closes is the stake before cut n times in a row,
// whatever the blocks those closes land in and whatever their order.
type SlashPolicy struct {
	// FaultBPS is the share of stake slashed for each lease closed by a
	// provider fault, in basis points (100 = 1%); 0 turns slashing off.
	FaultBPS uint32
}

// Validate reports a share above 100%.
func (p SlashPolicy) Validate() error {
	if p.FaultBPS > 10_000 {
		return fmt.Errorf("slash policy: fault_bps %d: %w; use 0..10000 (100 = 1%% of stake per lease closed for provider fault)", p.FaultBPS, ErrBasisPoints)
	}
	return nil
}

// Slashes reports whether closing a lease for reason costs its provider
// stake: only a provider fault does (a voluntary close, the tenant's
// choice, an empty escrow or a missing manifest does not).
func (p SlashPolicy) Slashes(reason CloseReason) bool {
	return p.FaultBPS > 0 && reason.Outcome() == OutcomeFault
}

// OnLeaseClosed applies the policy to one lease of provider closed for
// reason at height: for a provider fault it slashes FaultBPS of the
// provider's stake in b (StakeBook.Slash) and returns the amount taken;
// for any other reason, or a provider that never bonded, it takes nothing.
// The slashed coins go to the community pool through eff.
func (p SlashPolicy) OnLeaseClosed(b *StakeBook, provider string, reason CloseReason, height int64, eff *Effects) (money.Dec, error) {
	if !p.Slashes(reason) {
		return money.Dec{}, nil
	}
	cut, err := b.Slash(provider, p.FaultBPS, height, eff)
	if errors.Is(err, ErrNoStake) {
		return money.Dec{}, nil // nothing at stake, nothing to take
	}
	return cut, err
}

// SlashCut is what one slash of bps takes from amount: bps/10000 of it,
// rounded down to a whole unit of the denomination. Whole units because
// slashed coins move to the community pool and a chain's bank moves whole
// coins (1 uakt is indivisible); down so that a provider never loses more
// than bps of any part of its stake. A part below 10000/bps units is never
// cut. bps must be at most 10000 (StakeBook.Slash checks it).
func SlashCut(amount money.Dec, bps uint32) money.Dec {
	return mulBPS(amount, bps).FloorTo(1_000_000_000_000_000_000) // a unit is 10^18 atto
}
