// Package deployment is the deployment module: a tenant's deployments (the
// manifest version and its groups), their escrow deposits, and one market
// order per group.
package deployment

//lint:file-ignore SA1019 invariants are deprecated with x/crisis, but the SDK's simulation still runs registered invariants

import (
	"context"
	"encoding/json"
	"fmt"

	"cosmossdk.io/core/appmodule"
	corestore "cosmossdk.io/core/store"
	"cosmossdk.io/depinject"
	gwruntime "github.com/grpc-ecosystem/grpc-gateway/runtime"
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	"github.com/akash-market/akash/node/x/deployment/client/cli"
	"github.com/akash-market/akash/node/x/deployment/keeper"
	"github.com/akash-market/akash/node/x/deployment/types"
	"github.com/akash-market/akash/node/x/deployment/types/modulev1"
	escrowtypes "github.com/akash-market/akash/node/x/escrow/types"
)

// ConsensusVersion is bumped on every state-breaking change of the module.
const ConsensusVersion = 1

var (
	_ module.AppModuleBasic      = AppModule{}
	_ module.HasGenesis          = AppModule{}
	_ module.HasServices         = AppModule{}
	_ module.HasInvariants       = AppModule{}
	_ module.AppModuleSimulation = AppModule{}
	_ appmodule.AppModule        = AppModule{}
)

// AppModule is the deployment module.
type AppModule struct {
	cdc    codec.Codec
	keeper keeper.Keeper
	// for simulation operations
	ak types.AccountKeeper
	bk types.BankKeeper
}

// NewAppModule builds the module.
func NewAppModule(cdc codec.Codec, k keeper.Keeper, ak types.AccountKeeper, bk types.BankKeeper) AppModule {
	return AppModule{cdc: cdc, keeper: k, ak: ak, bk: bk}
}

func (AppModule) Name() string             { return types.ModuleName }
func (AppModule) IsOnePerModuleType()      {}
func (AppModule) IsAppModule()             {}
func (AppModule) ConsensusVersion() uint64 { return ConsensusVersion }

// Keeper returns the module's keeper (tests reach it through the module manager).
func (am AppModule) Keeper() keeper.Keeper { return am.keeper }

func (AppModule) RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	types.RegisterLegacyAminoCodec(cdc)
}
func (AppModule) RegisterInterfaces(r codectypes.InterfaceRegistry) { types.RegisterInterfaces(r) }

// RegisterGRPCGatewayRoutes serves the queries as REST under /akash/deployment/v1.
func (AppModule) RegisterGRPCGatewayRoutes(clientCtx client.Context, mux *gwruntime.ServeMux) {
	if err := types.RegisterQueryHandlerClient(context.Background(), mux, types.NewQueryClient(clientCtx)); err != nil {
		panic(err)
	}
}

// GetTxCmd adds the SDL-reading commands to the autocli-generated `tx deployment`.
func (AppModule) GetTxCmd() *cobra.Command { return cli.TxCmd() }

// RegisterServices registers the Msg and Query services.
func (am AppModule) RegisterServices(cfg module.Configurator) {
	types.RegisterMsgServer(cfg.MsgServer(), keeper.NewMsgServer(am.keeper))
	types.RegisterQueryServer(cfg.QueryServer(), keeper.NewQueryServer(am.keeper))
}

// RegisterInvariants registers the deployments invariant.
func (am AppModule) RegisterInvariants(ir sdk.InvariantRegistry) {
	keeper.RegisterInvariants(ir, am.keeper)
}

func (AppModule) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	return cdc.MustMarshalJSON(types.DefaultGenesis())
}

func (AppModule) ValidateGenesis(cdc codec.JSONCodec, _ client.TxEncodingConfig, bz json.RawMessage) error {
	var g types.GenesisState
	if err := cdc.UnmarshalJSON(bz, &g); err != nil {
		return fmt.Errorf("deployment genesis: %w", err)
	}
	return g.Validate()
}

func (am AppModule) InitGenesis(ctx sdk.Context, cdc codec.JSONCodec, bz json.RawMessage) {
	var g types.GenesisState
	cdc.MustUnmarshalJSON(bz, &g)
	if err := am.keeper.InitGenesis(ctx, &g); err != nil {
		panic(fmt.Errorf("deployment genesis: %w", err))
	}
}

func (am AppModule) ExportGenesis(ctx sdk.Context, cdc codec.JSONCodec) json.RawMessage {
	g, err := am.keeper.ExportGenesis(ctx)
	if err != nil {
		panic(err)
	}
	return cdc.MustMarshalJSON(g)
}

// RegisterStoreDecoder: none; the simulation prints raw bytes on a mismatch.
func (AppModule) RegisterStoreDecoder(simtypes.StoreDecoderRegistry) {}

func init() {
	appmodule.Register(&modulev1.Module{}, appmodule.Provide(ProvideModule))
}

// ModuleInputs are what the deployment module needs. Market is optional so
// the app builds before market is wired (then no orders are created).
type ModuleInputs struct {
	depinject.In

	Config        *modulev1.Module
	Cdc           codec.Codec
	StoreService  corestore.KVStoreService
	AccountKeeper types.AccountKeeper
	BankKeeper    types.BankKeeper
	EscrowKeeper  types.EscrowKeeper
	MarketKeeper  types.MarketKeeper `optional:"true"`
}

// ModuleOutputs: the keeper, the module, and the deployment's escrow hooks.
type ModuleOutputs struct {
	depinject.Out

	DeploymentKeeper keeper.Keeper
	Module           appmodule.AppModule
	EscrowHooks      escrowtypes.EscrowHooksWrapper
}

// ProvideModule builds the keeper and the module.
func ProvideModule(in ModuleInputs) ModuleOutputs {
	k := keeper.NewKeeper(in.Cdc, in.StoreService, in.EscrowKeeper, in.MarketKeeper)
	return ModuleOutputs{
		DeploymentKeeper: k,
		Module:           NewAppModule(in.Cdc, k, in.AccountKeeper, in.BankKeeper),
		EscrowHooks:      escrowtypes.EscrowHooksWrapper{Hooks: k.Hooks()},
	}
}
