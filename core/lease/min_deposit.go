package lease

import (
	"fmt"

	"github.com/akash-market/akash/core/money"
)

// DefaultMinDeposit is the least a tenant deposits to open a deployment's
// escrow account, in the market's denomination: 500,000 uakt (0.5 AKT,
// Akash mainnet's minimum since it lowered it from 5 AKT). The same market
// parameter in both modes: the simulator's scenario market.min_deposit and
// the chain's deployment param min_deposits default to it.
//
// It bounds how many deployments (and so open orders that every provider
// evaluates) an address can hold at once by its capital, not by its fees.
// It does not bind what a deployment spends: the rest of the deposit stays
// the tenant's and is refunded when the deployment closes, as any unspent
// escrow is (docs/escrow.md).
var DefaultMinDeposit = money.MustParseDec("500000")

// OpeningDeposit is what a tenant that wants to deposit want puts into a new
// escrow account under the minimum min: want, or min if want is less.
func OpeningDeposit(want, min money.Dec) money.Dec {
	if want.Less(min) {
		return min
	}
	return want
}

// CheckOpeningDeposit refuses an opening deposit below the minimum.
func CheckOpeningDeposit(amount, min money.Dec) error {
	if amount.Less(min) {
		return fmt.Errorf("%w: deposit %s is below the minimum %s (market param min_deposit); deposit at least the minimum, the unspent rest is refunded at close",
			ErrBelowMinDeposit, amount.ShortString(), min.ShortString())
	}
	return nil
}
