package types

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
)

// EscrowKeeper (node/x/escrow/keeper.Keeper) holds each deployment's funds.
type EscrowKeeper interface {
	OpenAccount(ctx context.Context, id market.DeploymentID, depositor string, deposit sdk.Coin) error
	Deposit(ctx context.Context, id market.DeploymentID, depositor string, amount sdk.Coin) error
	CloseAccount(ctx context.Context, id market.DeploymentID, c lease.Closure) error
	Account(ctx context.Context, id market.DeploymentID) (lease.Account, error)
}

// MarketKeeper (node/x/market/keeper.Keeper) turns groups into orders, with
// what the tenant asked for them (sealed bids, minimum reputation).
type MarketKeeper interface {
	CreateOrder(ctx context.Context, gid market.GroupID, g manifest.Group, asks market.Asks) (market.OrderID, error)
	CloseGroup(ctx context.Context, gid market.GroupID, c lease.Closure) error
}

// AccountKeeper and BankKeeper are read by the simulation operations only:
// which accounts exist and what they can spend.
type AccountKeeper interface {
	GetAccount(ctx context.Context, addr sdk.AccAddress) sdk.AccountI
}

// BankKeeper: spendable balances for the simulation's deposits.
type BankKeeper interface {
	SpendableCoins(ctx context.Context, addr sdk.AccAddress) sdk.Coins
}
