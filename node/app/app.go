// Package app wires the akash chain: a Cosmos SDK v0.55 application (runtime +
// depinject) with the standard operator modules. Our market modules
// (deployment, market, escrow, provider, cert) plug into AppConfig the same way.
package app

import (
	"fmt"
	"os"
	"path/filepath"

	"cosmossdk.io/depinject"
	"cosmossdk.io/log/v2"
	dbm "github.com/cosmos/cosmos-db"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/runtime"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	authzkeeper "github.com/cosmos/cosmos-sdk/x/authz/keeper"
	bankkeeper "github.com/cosmos/cosmos-sdk/x/bank/keeper"
	consensuskeeper "github.com/cosmos/cosmos-sdk/x/consensus/keeper"
	distrkeeper "github.com/cosmos/cosmos-sdk/x/distribution/keeper"
	evidencekeeper "github.com/cosmos/cosmos-sdk/x/evidence/keeper"
	feegrantkeeper "github.com/cosmos/cosmos-sdk/x/feegrant/keeper"
	govkeeper "github.com/cosmos/cosmos-sdk/x/gov/keeper"
	slashingkeeper "github.com/cosmos/cosmos-sdk/x/slashing/keeper"
	stakingkeeper "github.com/cosmos/cosmos-sdk/x/staking/keeper"
	upgradekeeper "github.com/cosmos/cosmos-sdk/x/upgrade/keeper"

	certkeeper "github.com/akash-market/akash/node/x/cert/keeper"
	marketkeeper "github.com/akash-market/akash/node/x/market/keeper"
	providerkeeper "github.com/akash-market/akash/node/x/provider/keeper"
)

// DefaultNodeHome is where `akash-node` keeps config, data and keys unless --home says otherwise.
var DefaultNodeHome = func() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ".akash"
	}
	return filepath.Join(home, ".akash")
}()

// App is the akash chain application.
type App struct {
	*runtime.App

	legacyAmino       *codec.LegacyAmino
	appCodec          codec.Codec
	txConfig          client.TxConfig
	interfaceRegistry codectypes.InterfaceRegistry

	AccountKeeper         authkeeper.AccountKeeper
	BankKeeper            bankkeeper.BaseKeeper
	StakingKeeper         *stakingkeeper.Keeper
	SlashingKeeper        slashingkeeper.Keeper
	DistrKeeper           distrkeeper.Keeper
	GovKeeper             *govkeeper.Keeper
	UpgradeKeeper         *upgradekeeper.Keeper
	AuthzKeeper           authzkeeper.Keeper
	FeeGrantKeeper        feegrantkeeper.Keeper
	EvidenceKeeper        evidencekeeper.Keeper
	ConsensusParamsKeeper consensuskeeper.Keeper
	ProviderKeeper        providerkeeper.Keeper
	CertKeeper            certkeeper.Keeper
	MarketKeeper          marketkeeper.Keeper
}

var _ servertypes.Application = (*App)(nil)

// New builds the application on db. appOpts carries app.toml/flags (home,
// skip-upgrade heights, ...); baseAppOptions come from server.DefaultBaseappOptions.
func New(logger log.Logger, db dbm.DB, loadLatest bool, appOpts servertypes.AppOptions, baseAppOptions ...func(*baseapp.BaseApp)) (*App, error) {
	var (
		a          = &App{}
		appBuilder *runtime.AppBuilder
	)
	if err := depinject.Inject(
		depinject.Configs(AppConfig(), depinject.Supply(logger, appOpts)),
		&appBuilder,
		&a.appCodec,
		&a.legacyAmino,
		&a.txConfig,
		&a.interfaceRegistry,
		&a.AccountKeeper,
		&a.BankKeeper,
		&a.StakingKeeper,
		&a.SlashingKeeper,
		&a.DistrKeeper,
		&a.GovKeeper,
		&a.UpgradeKeeper,
		&a.AuthzKeeper,
		&a.FeeGrantKeeper,
		&a.EvidenceKeeper,
		&a.ConsensusParamsKeeper,
		&a.ProviderKeeper,
		&a.CertKeeper,
		&a.MarketKeeper,
	); err != nil {
		return nil, fmt.Errorf("app: wiring modules with depinject: %w", err)
	}
	a.App = appBuilder.Build(db, baseAppOptions...)
	if err := a.Load(loadLatest); err != nil {
		return nil, fmt.Errorf("app: loading the latest committed state: %w", err)
	}
	return a, nil
}

// LegacyAmino returns the amino codec (still used by the ledger sign mode and legacy JSON).
func (a *App) LegacyAmino() *codec.LegacyAmino { return a.legacyAmino }

// AppCodec returns the protobuf codec of the app.
func (a *App) AppCodec() codec.Codec { return a.appCodec }

// InterfaceRegistry returns the registry of every Msg and interface implementation.
func (a *App) InterfaceRegistry() codectypes.InterfaceRegistry { return a.interfaceRegistry }

// TxConfig returns the tx encoder/decoder and sign modes.
func (a *App) TxConfig() client.TxConfig { return a.txConfig }
