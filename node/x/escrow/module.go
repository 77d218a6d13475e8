// Package escrow is the escrow module: one account per deployment that pays
// its leases block by block (core/lease), provider withdrawals with the take
// rate to the community pool, refunds, and closing accounts that run dry in
// EndBlock at exactly their dry height.
package escrow

//lint:file-ignore SA1019 invariants are deprecated with x/crisis, but the SDK's simulation still runs registered invariants

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"

	"cosmossdk.io/core/appmodule"
	corestore "cosmossdk.io/core/store"
	"cosmossdk.io/depinject"
	gwruntime "github.com/grpc-ecosystem/grpc-gateway/runtime"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/escrow/keeper"
	"github.com/akash-market/akash/node/x/escrow/types"
	"github.com/akash-market/akash/node/x/escrow/types/modulev1"
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
	_ appmodule.HasEndBlocker    = AppModule{}
)

// AppModule is the escrow module.
type AppModule struct {
	cdc    codec.Codec
	keeper keeper.Keeper
}

// NewAppModule builds the module around its keeper.
func NewAppModule(cdc codec.Codec, k keeper.Keeper) AppModule { return AppModule{cdc: cdc, keeper: k} }

func (AppModule) Name() string                                    { return types.ModuleName }
func (AppModule) IsOnePerModuleType()                             {}
func (AppModule) IsAppModule()                                    {}
func (AppModule) ConsensusVersion() uint64                        { return ConsensusVersion }
func (AppModule) RegisterLegacyAminoCodec(*codec.LegacyAmino)     {}
func (AppModule) RegisterInterfaces(codectypes.InterfaceRegistry) {}

// RegisterGRPCGatewayRoutes serves the queries as REST under /akash/escrow/v1.
func (AppModule) RegisterGRPCGatewayRoutes(clientCtx client.Context, mux *gwruntime.ServeMux) {
	if err := types.RegisterQueryHandlerClient(context.Background(), mux, types.NewQueryClient(clientCtx)); err != nil {
		panic(err)
	}
}

// RegisterServices registers the query service (escrow has no Msg service:
// deposits go through deployment, withdrawals through market).
func (am AppModule) RegisterServices(cfg module.Configurator) {
	types.RegisterQueryServer(cfg.QueryServer(), keeper.NewQueryServer(am.keeper))
}

// RegisterInvariants registers conservation and module-balance.
func (am AppModule) RegisterInvariants(ir sdk.InvariantRegistry) {
	keeper.RegisterInvariants(ir, am.keeper)
}

func (am AppModule) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	return cdc.MustMarshalJSON(types.DefaultGenesis())
}

func (am AppModule) ValidateGenesis(cdc codec.JSONCodec, _ client.TxEncodingConfig, bz json.RawMessage) error {
	var g types.GenesisState
	if err := cdc.UnmarshalJSON(bz, &g); err != nil {
		return fmt.Errorf("escrow genesis: %w", err)
	}
	return g.Validate()
}

func (am AppModule) InitGenesis(ctx sdk.Context, cdc codec.JSONCodec, bz json.RawMessage) {
	var g types.GenesisState
	cdc.MustUnmarshalJSON(bz, &g)
	if err := am.keeper.InitGenesis(ctx, &g); err != nil {
		panic(fmt.Errorf("escrow genesis: %w", err))
	}
}

func (am AppModule) ExportGenesis(ctx sdk.Context, cdc codec.JSONCodec) json.RawMessage {
	g, err := am.keeper.ExportGenesis(ctx)
	if err != nil {
		panic(err)
	}
	return cdc.MustMarshalJSON(g)
}

// EndBlock closes the accounts that run dry at this height.
func (am AppModule) EndBlock(ctx context.Context) error { return am.keeper.EndBlock(ctx) }

// GenerateGenesisState draws a take rate between 0 and 10% for the simulation.
func (AppModule) GenerateGenesisState(s *module.SimulationState) {
	g := types.GenesisState{Params: types.Params{TakeRateBps: uint32(s.Rand.Intn(1001))}}
	s.GenState[types.ModuleName] = s.Cdc.MustMarshalJSON(&g)
}

// RegisterStoreDecoder: no decoder; the simulation prints raw bytes on a mismatch.
func (AppModule) RegisterStoreDecoder(simtypes.StoreDecoderRegistry) {}

// WeightedOperations: escrow has no Msgs of its own; deployment and market
// operations drive it (deposits, leases, withdrawals, closes).
func (AppModule) WeightedOperations(module.SimulationState) []simtypes.WeightedOperation { return nil }

func init() {
	appmodule.Register(&modulev1.Module{},
		appmodule.Provide(ProvideModule),
		appmodule.Invoke(InvokeSetHooks),
	)
}

// ModuleInputs are what the escrow module needs from the app.
type ModuleInputs struct {
	depinject.In

	Config        *modulev1.Module
	Cdc           codec.Codec
	StoreService  corestore.KVStoreService
	AccountKeeper types.AccountKeeper
	BankKeeper    types.BankKeeper
	DistrKeeper   types.DistrKeeper
}

// ModuleOutputs are the keeper (for deployment and market) and the module.
type ModuleOutputs struct {
	depinject.Out

	EscrowKeeper keeper.Keeper
	Module       appmodule.AppModule
}

// ProvideModule builds the keeper and the module.
func ProvideModule(in ModuleInputs) ModuleOutputs {
	k := keeper.NewKeeper(in.Cdc, in.StoreService, in.AccountKeeper, in.BankKeeper, in.DistrKeeper)
	return ModuleOutputs{EscrowKeeper: k, Module: NewAppModule(in.Cdc, k)}
}

// hookOrder: market first (it marks its leases closed), then deployment
// (which closes the deployment's remaining orders through market).
var hookOrder = []string{"market", "deployment"}

// MarketHooks is the market keeper as escrow sees it: the one keeper that
// both implements Hooks and closes groups. Declaring it lets depinject find
// the market keeper (which provides no EscrowHooksWrapper) without escrow
// importing market.
type MarketHooks interface {
	types.Hooks
	CloseGroup(ctx context.Context, gid market.GroupID, c lease.Closure) error
}

// HooksInputs are the hooks' providers: every module's EscrowHooksWrapper,
// and the market keeper when market provides no wrapper of its own.
type HooksInputs struct {
	depinject.In

	Keeper   keeper.Keeper
	Wrappers map[string]types.EscrowHooksWrapper
	Market   MarketHooks `optional:"true"`
}

// InvokeSetHooks installs the hooks in hookOrder (modules not listed follow,
// sorted by name).
func InvokeSetHooks(in HooksInputs) error {
	wrappers := in.Wrappers
	if _, ok := wrappers["market"]; !ok && in.Market != nil {
		wrappers = maps.Clone(wrappers)
		if wrappers == nil {
			wrappers = map[string]types.EscrowHooksWrapper{}
		}
		wrappers["market"] = types.EscrowHooksWrapper{Hooks: in.Market}
	}
	k := in.Keeper
	names := make([]string, 0, len(wrappers))
	for name := range wrappers {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		oi, oj := slices.Index(hookOrder, names[i]), slices.Index(hookOrder, names[j])
		switch {
		case oi >= 0 && oj >= 0:
			return oi < oj
		case oi >= 0 || oj >= 0:
			return oi >= 0
		}
		return names[i] < names[j]
	})
	var hooks types.MultiHooks
	for _, name := range names {
		hooks = append(hooks, wrappers[name].Hooks)
	}
	k.SetHooks(hooks)
	return nil
}

// Keeper returns the module's keeper, so tests on the real app reach it
// through the module manager (app.ModuleManager.Modules["escrow"]).
func (am AppModule) Keeper() keeper.Keeper { return am.keeper }
