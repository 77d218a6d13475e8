// Package cert is the cert module: each participant's X.509 root
// certificate (create, revoke, query), the trust anchor of every mTLS
// connection between tenants and providers (gateways, overlay tunnels).
package cert

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

	"github.com/akash-market/akash/node/x/cert/client/cli"
	"github.com/akash-market/akash/node/x/cert/keeper"
	"github.com/akash-market/akash/node/x/cert/types"
	"github.com/akash-market/akash/node/x/cert/types/modulev1"
)

// ConsensusVersion is the version of the module's state layout.
const ConsensusVersion = 1

var (
	_ module.AppModuleBasic = AppModule{}
	_ module.HasGenesis     = AppModule{}
	_ module.HasServices    = AppModule{}
	_ appmodule.AppModule   = AppModule{}
)

// AppModule is the cert module.
type AppModule struct {
	cdc    codec.Codec
	keeper keeper.Keeper
	ak     types.AccountKeeper // simulation only
	bk     types.BankKeeper    // simulation only
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

// RegisterGRPCGatewayRoutes serves the queries as REST under /akash/cert/v1/.
func (AppModule) RegisterGRPCGatewayRoutes(cctx client.Context, mux *gwruntime.ServeMux) {
	if err := types.RegisterQueryHandlerClient(context.Background(), mux, types.NewQueryClient(cctx)); err != nil {
		panic(fmt.Sprintf("cert: registering REST routes: %v", err))
	}
}

// RegisterServices registers the Msg and Query services.
func (am AppModule) RegisterServices(cfg module.Configurator) {
	types.RegisterMsgServer(cfg.MsgServer(), keeper.NewMsgServerImpl(am.keeper))
	types.RegisterQueryServer(cfg.QueryServer(), keeper.NewQueryServerImpl(am.keeper))
}

// RegisterInvariants registers certificates-valid.
//
//lint:ignore SA1019 the SDK still runs registered invariants in simulations
func (am AppModule) RegisterInvariants(ir sdk.InvariantRegistry) {
	keeper.RegisterInvariants(ir, am.keeper)
}

// DefaultGenesis has no certificates.
func (AppModule) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	return cdc.MustMarshalJSON(types.DefaultGenesis())
}

// ValidateGenesis checks a genesis file's cert section.
func (AppModule) ValidateGenesis(cdc codec.JSONCodec, _ client.TxEncodingConfig, bz json.RawMessage) error {
	var g types.GenesisState
	if err := cdc.UnmarshalJSON(bz, &g); err != nil {
		return fmt.Errorf("cert genesis: %w", err)
	}
	return g.Validate()
}

// InitGenesis loads the certificates.
func (am AppModule) InitGenesis(ctx sdk.Context, cdc codec.JSONCodec, bz json.RawMessage) {
	var g types.GenesisState
	cdc.MustUnmarshalJSON(bz, &g)
	if err := am.keeper.InitGenesis(ctx, &g); err != nil {
		panic(fmt.Sprintf("cert InitGenesis: %v", err))
	}
}

// ExportGenesis writes the certificates.
func (am AppModule) ExportGenesis(ctx sdk.Context, cdc codec.JSONCodec) json.RawMessage {
	g, err := am.keeper.ExportGenesis(ctx)
	if err != nil {
		panic(fmt.Sprintf("cert ExportGenesis: %v", err))
	}
	return cdc.MustMarshalJSON(g)
}

// GetTxCmd is `tx cert` with generate-and-publish; autocli adds create/revoke.
func (AppModule) GetTxCmd() *cobra.Command { return cli.NewTxCmd() }

func init() {
	appconfig.RegisterModule(&modulev1.Module{}, appconfig.Provide(ProvideModule))
}

// ModuleInputs are what the cert module needs.
type ModuleInputs struct {
	depinject.In

	Config       *modulev1.Module
	Cdc          codec.Codec
	StoreService store.KVStoreService

	AccountKeeper types.AccountKeeper
	BankKeeper    types.BankKeeper
}

// ModuleOutputs are its keeper and module.
type ModuleOutputs struct {
	depinject.Out

	Keeper keeper.Keeper
	Module appmodule.AppModule
}

// ProvideModule builds the keeper and the module for depinject.
func ProvideModule(in ModuleInputs) ModuleOutputs {
	k := keeper.NewKeeper(in.Cdc, in.StoreService)
	return ModuleOutputs{Keeper: k, Module: NewAppModule(in.Cdc, k, in.AccountKeeper, in.BankKeeper)}
}
