package app

import (
	"slices"

	runtimev1alpha1 "cosmossdk.io/api/cosmos/app/runtime/v1alpha1"
	appv1alpha1 "cosmossdk.io/api/cosmos/app/v1alpha1"
	authmodulev1 "cosmossdk.io/api/cosmos/auth/module/v1"
	authzmodulev1 "cosmossdk.io/api/cosmos/authz/module/v1"
	bankmodulev1 "cosmossdk.io/api/cosmos/bank/module/v1"
	consensusmodulev1 "cosmossdk.io/api/cosmos/consensus/module/v1"
	distrmodulev1 "cosmossdk.io/api/cosmos/distribution/module/v1"
	evidencemodulev1 "cosmossdk.io/api/cosmos/evidence/module/v1"
	feegrantmodulev1 "cosmossdk.io/api/cosmos/feegrant/module/v1"
	genutilmodulev1 "cosmossdk.io/api/cosmos/genutil/module/v1"
	govmodulev1 "cosmossdk.io/api/cosmos/gov/module/v1"
	slashingmodulev1 "cosmossdk.io/api/cosmos/slashing/module/v1"
	stakingmodulev1 "cosmossdk.io/api/cosmos/staking/module/v1"
	txconfigv1 "cosmossdk.io/api/cosmos/tx/config/v1"
	upgrademodulev1 "cosmossdk.io/api/cosmos/upgrade/module/v1"
	"cosmossdk.io/core/appconfig"
	"cosmossdk.io/depinject"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/types/module"
	_ "github.com/cosmos/cosmos-sdk/x/auth"           // registers auth with depinject
	_ "github.com/cosmos/cosmos-sdk/x/auth/tx/config" // registers the "tx" module (tx config + default ante handler)
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/authz"
	_ "github.com/cosmos/cosmos-sdk/x/authz/module" // registers authz with depinject
	_ "github.com/cosmos/cosmos-sdk/x/bank"         // registers bank with depinject
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	_ "github.com/cosmos/cosmos-sdk/x/consensus" // registers consensus with depinject
	consensustypes "github.com/cosmos/cosmos-sdk/x/consensus/types"
	_ "github.com/cosmos/cosmos-sdk/x/distribution" // registers distribution with depinject
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	_ "github.com/cosmos/cosmos-sdk/x/evidence" // registers evidence with depinject
	evidencetypes "github.com/cosmos/cosmos-sdk/x/evidence/types"
	"github.com/cosmos/cosmos-sdk/x/feegrant"
	_ "github.com/cosmos/cosmos-sdk/x/feegrant/module" // registers feegrant with depinject
	"github.com/cosmos/cosmos-sdk/x/genutil"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	"github.com/cosmos/cosmos-sdk/x/gov"
	govclient "github.com/cosmos/cosmos-sdk/x/gov/client"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	_ "github.com/cosmos/cosmos-sdk/x/slashing" // registers slashing with depinject
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	_ "github.com/cosmos/cosmos-sdk/x/staking" // registers staking with depinject
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	_ "github.com/cosmos/cosmos-sdk/x/upgrade" // registers upgrade with depinject
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"
)

// Chain-wide identity. The bond denom is set on sdk.DefaultBondDenom in init
// (see prefixes.go) so that every module's default genesis (staking params,
// gov min deposit) is already in uakt when `akash-node init` writes it.
const (
	AppName = "akash"

	Bech32PrefixAccAddr  = "akash"
	Bech32PrefixValAddr  = "akashvaloper"
	Bech32PrefixConsAddr = "akashvalcons"

	BondDenom = "uakt"
)

// moduleAccountPerms lists every module account and what it may do with coins.
// x/staking in v0.55 panics at keeper construction without key_rotation_fee_pool.
var moduleAccountPerms = []*authmodulev1.ModuleAccountPermission{
	{Account: authtypes.FeeCollectorName},
	{Account: distrtypes.ModuleName},
	{Account: stakingtypes.BondedPoolName, Permissions: []string{authtypes.Burner, stakingtypes.ModuleName}},
	{Account: stakingtypes.NotBondedPoolName, Permissions: []string{authtypes.Burner, stakingtypes.ModuleName}},
	{Account: stakingtypes.KeyRotationFeePoolName, Permissions: []string{authtypes.Burner}},
	{Account: govtypes.ModuleName, Permissions: []string{authtypes.Burner}},
}

// blockedModuleAccounts may not receive coins by MsgSend: a transfer there
// would be unrecoverable or would break the pools' accounting.
var blockedModuleAccounts = []string{
	authtypes.FeeCollectorName,
	distrtypes.ModuleName,
	stakingtypes.BondedPoolName,
	stakingtypes.NotBondedPoolName,
	stakingtypes.KeyRotationFeePoolName,
}

// AppConfig is the depinject configuration of the chain: which modules exist,
// their order in each ABCI phase and their module-level settings.
// AppConfig is the whole module list. The market's own modules are not
// written here: each registers itself from its own file (mod_<name>.go) with
// registerAkashModule, and akashModuleOrder places them in every ordered list.
func AppConfig() depinject.Config {
	mods := registeredAkashModules()
	return depinject.Configs(
		appconfig.Compose(&appv1alpha1.Config{
			Modules: append([]*appv1alpha1.ModuleConfig{
				{
					Name: runtime.ModuleName,
					Config: appconfig.WrapAny(&runtimev1alpha1.Module{
						AppName: AppName,
						// upgrade must run first so a scheduled upgrade halts before any state change;
						// v0.55 requires auth to be listed too (its pre-blocker checks unordered txs).
						PreBlockers: []string{upgradetypes.ModuleName, authtypes.ModuleName},
						// distribution before slashing so the fee pool is empty when slashing runs;
						// staking keeps historical info that evidence needs. v0.55's module manager
						// wants every module in every order list, blockers or not.
						BeginBlockers: append([]string{
							distrtypes.ModuleName,
							slashingtypes.ModuleName,
							evidencetypes.ModuleName,
							stakingtypes.ModuleName,
							authtypes.ModuleName,
							banktypes.ModuleName,
							govtypes.ModuleName,
							genutiltypes.ModuleName,
							authz.ModuleName,
							feegrant.ModuleName,
							consensustypes.ModuleName,
							upgradetypes.ModuleName,
						}, mods.names(func(m akashModule) bool { return m.BeginBlock })...),
						EndBlockers: append([]string{
							govtypes.ModuleName,
							stakingtypes.ModuleName,
							authtypes.ModuleName,
							banktypes.ModuleName,
							distrtypes.ModuleName,
							slashingtypes.ModuleName,
							genutiltypes.ModuleName,
							evidencetypes.ModuleName,
							authz.ModuleName,
							feegrant.ModuleName,
							consensustypes.ModuleName,
							upgradetypes.ModuleName,
						}, mods.names(func(m akashModule) bool { return m.EndBlock })...),
						OverrideStoreKeys: []*runtimev1alpha1.StoreKeyConfig{
							{ModuleName: authtypes.ModuleName, KvStoreKey: "acc"},
						},
						// genutil after staking (gentxs bond tokens) and after auth/bank (accounts exist).
						InitGenesis: append([]string{
							authtypes.ModuleName,
							banktypes.ModuleName,
							distrtypes.ModuleName,
							stakingtypes.ModuleName,
							slashingtypes.ModuleName,
							govtypes.ModuleName,
							genutiltypes.ModuleName,
							evidencetypes.ModuleName,
							authz.ModuleName,
							feegrant.ModuleName,
							upgradetypes.ModuleName,
							consensustypes.ModuleName,
						}, mods.names(nil)...),
					}),
				},
				{
					Name: authtypes.ModuleName,
					Config: appconfig.WrapAny(&authmodulev1.Module{
						Bech32Prefix:             Bech32PrefixAccAddr,
						ModuleAccountPermissions: slices.Concat(moduleAccountPerms, mods.accountPerms()),
					}),
				},
				{
					Name: banktypes.ModuleName,
					Config: appconfig.WrapAny(&bankmodulev1.Module{
						BlockedModuleAccountsOverride: slices.Concat(blockedModuleAccounts, mods.blockedAccounts()),
					}),
				},
				{
					Name: stakingtypes.ModuleName,
					Config: appconfig.WrapAny(&stakingmodulev1.Module{
						Bech32PrefixValidator: Bech32PrefixValAddr,
						Bech32PrefixConsensus: Bech32PrefixConsAddr,
					}),
				},
				{Name: slashingtypes.ModuleName, Config: appconfig.WrapAny(&slashingmodulev1.Module{})},
				{Name: "tx", Config: appconfig.WrapAny(&txconfigv1.Config{})},
				{Name: genutiltypes.ModuleName, Config: appconfig.WrapAny(&genutilmodulev1.Module{})},
				{Name: authz.ModuleName, Config: appconfig.WrapAny(&authzmodulev1.Module{})},
				{Name: upgradetypes.ModuleName, Config: appconfig.WrapAny(&upgrademodulev1.Module{})},
				{Name: distrtypes.ModuleName, Config: appconfig.WrapAny(&distrmodulev1.Module{})},
				{Name: evidencetypes.ModuleName, Config: appconfig.WrapAny(&evidencemodulev1.Module{})},
				{Name: feegrant.ModuleName, Config: appconfig.WrapAny(&feegrantmodulev1.Module{})},
				{Name: govtypes.ModuleName, Config: appconfig.WrapAny(&govmodulev1.Module{})},
				{Name: consensustypes.ModuleName, Config: appconfig.WrapAny(&consensusmodulev1.Module{})},
			}, mods.configs()...),
		}),
		depinject.Supply(
			// genutil validates gentxs with the default validator; gov has no legacy proposal handlers.
			map[string]module.AppModuleBasic{
				genutiltypes.ModuleName: genutil.NewAppModuleBasic(genutiltypes.DefaultMessageValidator),
				govtypes.ModuleName:     gov.NewAppModuleBasic([]govclient.ProposalHandler{}),
			},
		),
	)
}
