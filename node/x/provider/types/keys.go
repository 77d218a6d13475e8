package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, store key and module account: stake is held there.
	ModuleName = "provider"
	// StoreKey is the KV store of the module.
	StoreKey = ModuleName
)

// Store prefixes (collections).
var (
	ParamsKey       = collections.NewPrefix(0)
	ProvidersPrefix = collections.NewPrefix(1) // owner -> Provider
	StakesPrefix    = collections.NewPrefix(2) // provider -> Stake
	TotalBondedKey  = collections.NewPrefix(3) // Σ bonded (math.Int)
	UnbondingPrefix = collections.NewPrefix(4) // (mature_at, provider) -> nothing: who EndBlock releases when
	HistoriesPrefix = collections.NewPrefix(5) // provider -> History
)
