package types

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
)

// AccountKeeper is what the market needs of x/auth: its module account.
type AccountKeeper interface {
	GetModuleAddress(name string) sdk.AccAddress
	GetAccount(ctx context.Context, addr sdk.AccAddress) sdk.AccountI // simulation signs with it
}

// BankKeeper moves bid deposits between providers and the market module account.
type BankKeeper interface {
	SendCoinsFromAccountToModule(ctx context.Context, sender sdk.AccAddress, recipient string, amt sdk.Coins) error
	SendCoinsFromModuleToAccount(ctx context.Context, sender string, recipient sdk.AccAddress, amt sdk.Coins) error
	GetAllBalances(ctx context.Context, addr sdk.AccAddress) sdk.Coins
	SpendableCoins(ctx context.Context, addr sdk.AccAddress) sdk.Coins // simulation fees
}

// DistrKeeper receives forfeited deposits in the community pool.
type DistrKeeper interface {
	FundCommunityPool(ctx context.Context, amount sdk.Coins, sender sdk.AccAddress) error
}

// EscrowKeeper (node/x/escrow/keeper.Keeper) pays leases from deployments'
// escrow accounts (chain-contract.md).
type EscrowKeeper interface {
	OpenLease(ctx context.Context, id market.LeaseID, price sdk.DecCoin) error
	Withdraw(ctx context.Context, id market.LeaseID) error
	CloseLease(ctx context.Context, id market.LeaseID, c lease.Closure) error
	CloseAccount(ctx context.Context, id market.DeploymentID, c lease.Closure) error
	Account(ctx context.Context, id market.DeploymentID) (lease.Account, error)
}

// ProviderKeeper (node/x/provider/keeper.Keeper) knows the registered
// providers and keeps their reputation (chain-contract.md).
type ProviderKeeper interface {
	// Offer: the provider's attributes (sorted) and current reputation; ok=false when not registered.
	Offer(ctx context.Context, provider string) (attrs manifest.Attributes, rep market.Reputation, ok bool, err error)
	LeaseClosed(ctx context.Context, provider string, reason lease.CloseReason) error
	LeaseOpened(ctx context.Context, provider string) error
}
