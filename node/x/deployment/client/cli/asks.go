package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/akash-market/akash/core/market"
)

// The flags of what a tenant asks for every order of a deployment; both
// `tx deployment create` and the tenant client's `deploy create` take them.
const (
	FlagSealed        = "sealed"
	FlagMinReputation = "min-reputation"
)

// AddAsksFlags adds --sealed and --min-reputation to a create command.
func AddAsksFlags(cmd *cobra.Command) {
	cmd.Flags().Bool(FlagSealed, false, "ask for sealed (commit-reveal) bids on every order; the market param sealed_bids may force them on or off")
	cmd.Flags().Uint32(FlagMinReputation, 0, "least provider reputation to bid, basis points 0..10000 (0: any provider)")
}

// Asks reads --sealed and --min-reputation.
func Asks(cmd *cobra.Command) (market.Asks, error) {
	sealed, err := cmd.Flags().GetBool(FlagSealed)
	if err != nil {
		return market.Asks{}, err
	}
	rep, err := cmd.Flags().GetUint32(FlagMinReputation)
	if err != nil {
		return market.Asks{}, err
	}
	a := market.Asks{Sealed: sealed, MinReputation: market.Reputation(rep)}
	if a.Validate() != nil {
		return market.Asks{}, fmt.Errorf("--%s %d: above %d; reputation is in basis points, 0 (any provider) to %d", FlagMinReputation, rep, market.MaxReputation, market.MaxReputation)
	}
	return a, nil
}
