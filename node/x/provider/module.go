// Package provider is the provider module: the registry of providers (host
// URI, attributes), their stake (core/lease.StakeBook rules, held in the
// "provider" module account), their fulfillment history and reputation
// (core/lease.ComputeReputation), and their weight in governance tallies.
package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"cosmossdk.io/core/appmodule"
	"cosmossdk.io/core/store"
	"cosmossdk.io/depinject"
	"cosmossdk.io/depinject/appconfig"
	gwruntime "github.com/grpc-ecosystem/grpc-gateway/runtime"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govkeeper "github.com/cosmos/cosmos-sdk/x/gov/keeper"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/akash-market/akash/node/x/provider/client/cli"
	"github.com/akash-market/akash/node/x/provider/keeper"
	"github.com/akash-market/akash/node/x/provider/types"
	"github.com/akash-market/akash/node/x/provider/types/modulev1"
)

// ConsensusVersion is the version of the module's state layout.
const ConsensusVersion = 1

var (
	_ module.AppModuleBasic   = AppModule{}
	_ module.HasGenesis       = AppModule{}
	_ module.HasServices      = AppModule{}
	_ appmodule.AppModule     = AppModule{}
	_ appmodule.HasEndBlocker = AppModule{}
)

// AppModule is the provider module.
type AppModule struct {
	cdc    codec.Codec
	keeper keeper.Keeper
	ak     types.AccountKeeper
	bk     types.BankKeeper
}

// NewAppModule returns the module over k.
func NewAppModule(cdc codec.Codec, k keeper.Keeper, ak types.AccountKeeper, bk types.BankKeeper) AppModule {
	return AppModule{cdc: cdc, keeper: k, ak: ak, bk: bk}
}

func (AppModule) IsOnePerModuleType() {}
func (AppModule) IsAppModule()        {}

// Name is the module name.
func (AppModule) Name() string { return types.ModuleName }

// ConsensusVersion implements module.HasConsensusVersion.
func (AppModule) ConsensusVersion() uint64 { return ConsensusVersion }

func (AppModule) RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	types.RegisterLegacyAminoCodec(cdc)
}

func (AppModule) RegisterInterfaces(r codectypes.InterfaceRegistry) { types.RegisterInterfaces(r) }

// RegisterGRPCGatewayRoutes serves the queries as REST under /akash/provider/v1/.
func (AppModule) RegisterGRPCGatewayRoutes(cctx client.Context, mux *gwruntime.ServeMux) {
	if err := types.RegisterQueryHandlerClient(context.Background(), mux, types.NewQueryClient(cctx)); err != nil {
		panic(fmt.Sprintf("provider: registering REST routes: %v", err))
	}
}

// RegisterServices registers the Msg and Query services.
func (am AppModule) RegisterServices(cfg module.Configurator) {
	types.RegisterMsgServer(cfg.MsgServer(), keeper.NewMsgServerImpl(am.keeper))
	types.RegisterQueryServer(cfg.QueryServer(), keeper.NewQueryServerImpl(am.keeper))
}

// RegisterInvariants registers stake-held.
//
//lint:ignore SA1019 the SDK still runs registered invariants in simulations
func (am AppModule) RegisterInvariants(ir sdk.InvariantRegistry) {
	keeper.RegisterInvariants(ir, am.keeper)
}

// DefaultGenesis is the genesis of a new chain.
func (AppModule) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	return cdc.MustMarshalJSON(types.DefaultGenesis())
}

// ValidateGenesis checks a genesis file's provider section.
func (AppModule) ValidateGenesis(cdc codec.JSONCodec, _ client.TxEncodingConfig, bz json.RawMessage) error {
	var g types.GenesisState
	if err := cdc.UnmarshalJSON(bz, &g); err != nil {
		return fmt.Errorf("provider genesis: %w", err)
	}
	return g.Validate()
}

// InitGenesis loads the genesis state.
func (am AppModule) InitGenesis(ctx sdk.Context, cdc codec.JSONCodec, bz json.RawMessage) {
	var g types.GenesisState
	cdc.MustUnmarshalJSON(bz, &g)
	if err := am.keeper.InitGenesis(ctx, &g); err != nil {
		panic(fmt.Sprintf("provider InitGenesis: %v", err))
	}
}

// ExportGenesis writes the state.
func (am AppModule) ExportGenesis(ctx sdk.Context, cdc codec.JSONCodec) json.RawMessage {
	g, err := am.keeper.ExportGenesis(ctx)
	if err != nil {
		panic(fmt.Sprintf("provider ExportGenesis: %v", err))
	}
	return cdc.MustMarshalJSON(g)
}

// EndBlock releases matured unbonding stake.
func (am AppModule) EndBlock(ctx context.Context) error { return am.keeper.EndBlock(ctx) }

func init() {
	appconfig.RegisterModule(&modulev1.Module{}, appconfig.Provide(ProvideModule))
}

// ModuleInputs are what the provider module needs from the app.
type ModuleInputs struct {
	depinject.In

	Config       *modulev1.Module
	Cdc          codec.Codec
	StoreService store.KVStoreService

	AccountKeeper      types.AccountKeeper
	BankKeeper         types.BankKeeper
	DistributionKeeper types.DistributionKeeper
	// StakingKeeper feeds the validators' part of the governance tally.
	StakingKeeper govtypes.StakingKeeper
}

// ModuleOutputs are the keeper, the module and the governance tally that
// adds provider stake to the validators' power.
type ModuleOutputs struct {
	depinject.Out

	Keeper  keeper.Keeper
	Module  appmodule.AppModule
	TallyFn govkeeper.CalculateVoteResultsAndVotingPowerFn
}

// ProvideModule builds the keeper and the module for depinject.
func ProvideModule(in ModuleInputs) ModuleOutputs {
	authority := authtypes.NewModuleAddress(govtypes.ModuleName)
	if in.Config.Authority != "" {
		authority = authtypes.NewModuleAddressOrBech32Address(in.Config.Authority)
	}
	k := keeper.NewKeeper(in.Cdc, in.StoreService, authority.String(), in.AccountKeeper, in.BankKeeper, in.DistributionKeeper)
	return ModuleOutputs{
		Keeper:  k,
		Module:  NewAppModule(in.Cdc, k, in.AccountKeeper, in.BankKeeper),
		TallyFn: k.TallyFn(in.StakingKeeper),
	}
}

// GetTxCmd is `tx provider` with create/update (attributes as --attr flags);
// autocli adds the other commands to it.
func (AppModule) GetTxCmd() *cobra.Command { return cli.NewTxCmd() }
