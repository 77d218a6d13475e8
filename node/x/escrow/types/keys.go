package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, store key and module account: the
	// "escrow" module account holds every coin deposited into any escrow account.
	ModuleName = "escrow"
	StoreKey   = ModuleName

	// DefaultTakeRateBPS is 2%, Akash's community-pool take on provider earnings.
	DefaultTakeRateBPS = 200
)

// Store prefixes, numbered once.
var (
	ParamsKey         = collections.NewPrefix(0)
	AccountsPrefix    = collections.NewPrefix(1) // (owner, dseq) -> Account
	DryIndexPrefix    = collections.NewPrefix(2) // (dry height, owner, dseq): accounts EndBlock must close
	ProviderIdxPrefix = collections.NewPrefix(3) // (provider, owner, dseq): accounts paying a provider
)
