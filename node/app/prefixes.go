package app

import (
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// init sets the process-wide SDK config. Some SDK paths (keys show --bech,
// legacy amino JSON, genutil's default genesis) still read the global config
// and sdk.DefaultBondDenom rather than the codecs built from AppConfig, so
// both must say akash/uakt before any command runs. The CLI seals the config.
func init() {
	sdk.DefaultBondDenom = BondDenom
	cfg := sdk.GetConfig()
	cfg.SetBech32PrefixForAccount(Bech32PrefixAccAddr, Bech32PrefixAccAddr+"pub")
	cfg.SetBech32PrefixForValidator(Bech32PrefixValAddr, Bech32PrefixValAddr+"pub")
	cfg.SetBech32PrefixForConsensusNode(Bech32PrefixConsAddr, Bech32PrefixConsAddr+"pub")
}
