// Package market is the market module: orders made from deployment groups,
// open and sealed (commit-reveal) bids with deposits, matching in EndBlock at
// each order's match height by core/market's rule, and leases paid by the
// escrow module.
package market

//lint:file-ignore SA1019 the issue asks for registered invariants; v0.55 still runs them (deprecated with x/crisis, no replacement yet)

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
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/akash-market/akash/node/x/market/client/cli"
	"github.com/akash-market/akash/node/x/market/keeper"
	"github.com/akash-market/akash/node/x/market/types"
	"github.com/akash-market/akash/node/x/market/types/modulev1"
)

// ConsensusVersion is the version of the module's state layout.
const ConsensusVersion = 1

var (
	_ module.AppModuleBasic      = AppModule{}
	_ module.HasGenesis          = AppModule{}
	_ module.HasServices         = AppModule{}
	_ module.HasInvariants       = AppModule{}
	_ module.AppModuleSimulation = AppModule{}
	_ appmodule.AppModule        = AppModule{}
	_ appmodule.HasEndBlocker    = AppModule{}
)

// AppModule is the market module.
type AppModule struct {
	cdc    codec.Codec
	keeper keeper.Keeper
	ak     types.AccountKeeper
	bk     types.BankKeeper
}

// NewAppModule returns the module over k (ak and bk sign and fund simulated txs).
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

// RegisterGRPCGatewayRoutes serves the queries as REST under /akash/market/v1/.
func (AppModule) RegisterGRPCGatewayRoutes(cctx client.Context, mux *gwruntime.ServeMux) {
	if err := types.RegisterQueryHandlerClient(context.Background(), mux, types.NewQueryClient(cctx)); err != nil {
		panic(fmt.Sprintf("market: registering REST routes: %v", err))
	}
}

// GetTxCmd adds the commands autocli cannot build (ID parsing, local
// commitments) to the autocli-generated `tx market`.
func (AppModule) GetTxCmd() *cobra.Command { return cli.TxCmd() }

// RegisterServices registers the Msg and Query services.
func (am AppModule) RegisterServices(cfg module.Configurator) {
	types.RegisterMsgServer(cfg.MsgServer(), keeper.NewMsgServerImpl(am.keeper))
	types.RegisterQueryServer(cfg.QueryServer(), keeper.NewQueryServerImpl(am.keeper))
}

// RegisterInvariants registers deposits-held, closes-have-reasons and match-index.
func (am AppModule) RegisterInvariants(ir sdk.InvariantRegistry) {
	keeper.RegisterInvariants(ir, am.keeper)
}

// DefaultGenesis is the genesis of a new chain.
func (AppModule) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	return cdc.MustMarshalJSON(types.DefaultGenesisState())
}

// ValidateGenesis checks a genesis file's market section.
func (AppModule) ValidateGenesis(cdc codec.JSONCodec, _ client.TxEncodingConfig, bz json.RawMessage) error {
	var g types.GenesisState
	if err := cdc.UnmarshalJSON(bz, &g); err != nil {
		return fmt.Errorf("market genesis: %w", err)
	}
	return g.Validate()
}

// InitGenesis loads the genesis state.
func (am AppModule) InitGenesis(ctx sdk.Context, cdc codec.JSONCodec, bz json.RawMessage) {
	var g types.GenesisState
	cdc.MustUnmarshalJSON(bz, &g)
	if err := am.keeper.InitGenesis(ctx, &g); err != nil {
		panic(fmt.Sprintf("market InitGenesis: %v", err))
	}
}

// ExportGenesis writes the state.
func (am AppModule) ExportGenesis(ctx sdk.Context, cdc codec.JSONCodec) json.RawMessage {
	g, err := am.keeper.ExportGenesis(ctx)
	if err != nil {
		panic(fmt.Sprintf("market ExportGenesis: %v", err))
	}
	return cdc.MustMarshalJSON(g)
}

// EndBlock matches the orders due at this height.
func (am AppModule) EndBlock(ctx context.Context) error { return am.keeper.EndBlock(ctx) }

func init() {
	appconfig.RegisterModule(&modulev1.Module{}, appconfig.Provide(ProvideModule))
}

// ModuleInputs are what the market module needs from the app. Escrow and
// provider are optional so the app builds before those modules are wired;
// the keeper then refuses the verbs that need them (ErrNotWired).
type ModuleInputs struct {
	depinject.In

	Config       *modulev1.Module
	Cdc          codec.Codec
	StoreService store.KVStoreService

	AccountKeeper      types.AccountKeeper
	BankKeeper         types.BankKeeper
	DistributionKeeper types.DistrKeeper
	EscrowKeeper       types.EscrowKeeper   `optional:"true"`
	ProviderKeeper     types.ProviderKeeper `optional:"true"`
}

// ModuleOutputs are the keeper and the module.
type ModuleOutputs struct {
	depinject.Out

	Keeper keeper.Keeper
	Module appmodule.AppModule
}

// ProvideModule builds the keeper and the module.
func ProvideModule(in ModuleInputs) ModuleOutputs {
	authority := authtypes.NewModuleAddress(govtypes.ModuleName)
	if in.Config.Authority != "" {
		authority = authtypes.NewModuleAddressOrBech32Address(in.Config.Authority)
	}
	k := keeper.NewKeeper(in.Cdc, in.StoreService, authority.String(),
		in.AccountKeeper, in.BankKeeper, in.DistributionKeeper, in.EscrowKeeper, in.ProviderKeeper)
	return ModuleOutputs{Keeper: k, Module: NewAppModule(in.Cdc, k, in.AccountKeeper, in.BankKeeper)}
}
