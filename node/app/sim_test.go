//lint:file-ignore SA1019 sdk.Invariant and module.HasInvariants are deprecated with x/crisis, but they are how our modules register invariants (chain contract) and this file is what checks them.

package app

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"cosmossdk.io/log/v2"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/baseapp"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	"github.com/cosmos/cosmos-sdk/x/auth"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	authzkeeper "github.com/cosmos/cosmos-sdk/x/authz/keeper"
	"github.com/cosmos/cosmos-sdk/x/feegrant"
	"github.com/cosmos/cosmos-sdk/x/simulation"
	simcli "github.com/cosmos/cosmos-sdk/x/simulation/client/cli"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
)

// The SDK's simulation flags (-NumBlocks, -BlockSize, -Seed, -Verbose,
// -Commit, -DBBackend, ...), as in simapp: go test ./node/app -run TestFullAppSimulation -NumBlocks=500.
func init() { simcli.GetSimulatorFlags() }

// Short CI run unless asked otherwise: the SDK's defaults (500 blocks of up
// to 200 operations, 38 seeds) take many minutes. AKASH_SIM_LONG=1 keeps the
// SDK's defaults and seeds; any simulation flag given on the command line wins.
const (
	shortNumBlocks = 25
	shortBlockSize = 40
)

var shortSeeds = []int64{1, 7}

// simSettings applies the short defaults (once, after flag parsing) and
// returns the seeds to run.
var simSettings = sync.OnceValue(func() []int64 {
	long, _ := strconv.ParseBool(os.Getenv("AKASH_SIM_LONG"))
	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !long {
		if !set["NumBlocks"] {
			simcli.FlagNumBlocksValue = shortNumBlocks
		}
		if !set["BlockSize"] {
			simcli.FlagBlockSizeValue = shortBlockSize
		}
	}
	switch {
	case set["Seed"]:
		return []int64{simcli.FlagSeedValue}
	case long:
		return []int64{1, 2, 4, 7, 32, 123, 124, 582, 1893, 2989, 3012, 4728, 37827, 981928}
	default:
		return shortSeeds
	}
})

// simApp is the app as the simulation framework sees it: the real App plus
// a simulation manager holding every module that implements
// module.AppModuleSimulation (ours join by implementing it; nothing to list
// here) and the invariant checker.
type simApp struct {
	*App
	sm *module.SimulationManager
}

func (s *simApp) SimulationManager() *module.SimulationManager { return s.sm }

func newSimApp(logger log.Logger, db dbm.DB, loadLatest bool, appOpts servertypes.AppOptions, opts ...func(*baseapp.BaseApp)) *simApp {
	a, err := New(logger, db, loadLatest, appOpts, opts...)
	if err != nil {
		panic(err)
	}
	sm := module.NewSimulationManagerFromAppModules(a.ModuleManager.Modules, map[string]module.AppModuleSimulation{
		// auth's random genesis accounts need a generator; the SDK's makes vesting
		// accounts too, which this chain does not have (no x/vesting).
		authtypes.ModuleName: auth.NewAppModule(a.appCodec, a.AccountKeeper, baseGenesisAccounts),
	})
	sm.Modules = append(sm.Modules, newInvariantChecker(a))
	sm.RegisterStoreDecoders()
	return &simApp{App: a, sm: sm}
}

// baseGenesisAccounts makes every simulation account a plain base account.
func baseGenesisAccounts(simState *module.SimulationState) authtypes.GenesisAccounts {
	accs := make(authtypes.GenesisAccounts, len(simState.Accounts))
	for i, acc := range simState.Accounts {
		accs[i] = authtypes.NewBaseAccountWithAddress(acc.Address)
	}
	return accs
}

func setupStateFactory(a *simApp) simsx.SimStateFactory {
	return simsx.SimStateFactory{
		Codec:         a.AppCodec(),
		AppStateFn:    simtestutil.AppStateFn(a.AppCodec(), a.SimulationManager(), a.DefaultGenesis()),
		BlockedAddr:   a.BankKeeper.GetBlockedAddresses(),
		AccountSource: a.AccountKeeper,
		BalanceSource: a.BankKeeper,
	}
}

// checkInvariantsAtEnd runs every invariant once more on the final state.
func checkInvariantsAtEnd(tb testing.TB, ti simsx.TestInstance[*simApp], _ []simtypes.Account) {
	tb.Helper()
	ctx := ti.App.NewContextLegacy(true, cmtproto.Header{Height: ti.App.LastBlockHeight()})
	c := newInvariantChecker(ti.App.App)
	if msg := c.check(ctx); msg != "" {
		tb.Fatalf("seed %d: invariant broken at the end of the run:\n%s", ti.Cfg.Seed, msg)
	}
	tb.Logf("seed %d: %d invariants hold at height %d (%v)", ti.Cfg.Seed, len(c.routes), ti.App.LastBlockHeight(), c.names())
}

// TestFullAppSimulation runs the SDK's random operations of every module
// over the real app (FinalizeBlock and Commit per block), checks the
// registered invariants during and after the run, and exports the state.
func TestFullAppSimulation(t *testing.T) {
	simsx.RunWithSeeds(t, newSimApp, setupStateFactory, simSettings(), nil, checkInvariantsAtEnd)
}

// TestAppStateDeterminism runs each seed twice (three times with
// AKASH_SIM_LONG=1) and requires the same app hash every time.
func TestAppStateDeterminism(t *testing.T) {
	runs := 2
	if long, _ := strconv.ParseBool(os.Getenv("AKASH_SIM_LONG")); long {
		runs = 3
	}
	var seeds []int64
	for _, s := range oneSeedWhenShort(simSettings()) {
		for range runs {
			seeds = append(seeds, s)
		}
	}
	var (
		mu     sync.Mutex
		hashes = map[int64][][]byte{}
	)
	// The seeds run as parallel subtests, which finish after RunWithSeeds
	// returns: each run compares itself with the first one of its seed, and
	// the cleanup checks that every run reported.
	t.Cleanup(func() {
		for _, seed := range seeds {
			if n := len(hashes[seed]); n != runs {
				t.Errorf("seed %d: %d runs reported an app hash, want %d", seed, n, runs)
			}
		}
	})
	simsx.RunWithSeeds(t, newSimApp, setupStateFactory, seeds, nil,
		func(tb testing.TB, ti simsx.TestInstance[*simApp], _ []simtypes.Account) {
			tb.Helper()
			seed, hash := ti.Cfg.Seed, ti.App.LastCommitID().Hash
			mu.Lock()
			hashes[seed] = append(hashes[seed], hash)
			first := hashes[seed][0]
			mu.Unlock()
			if string(hash) != string(first) {
				tb.Errorf("seed %d: run ended with app hash %X, an earlier run of the same seed with %X: the app is not deterministic", seed, hash, first)
			}
			tb.Logf("seed %d: app hash %X at height %d", seed, hash, ti.App.LastBlockHeight())
		})
}

// oneSeedWhenShort keeps the CI run small: the determinism and import/export
// tests use the first seed only unless AKASH_SIM_LONG=1 or -Seed is given.
func oneSeedWhenShort(seeds []int64) []int64 {
	if long, _ := strconv.ParseBool(os.Getenv("AKASH_SIM_LONG")); long || len(seeds) == 1 {
		return seeds
	}
	return seeds[:1]
}

// TestAppImportExport simulates, exports the state as genesis, imports it
// into a fresh app and requires every store to hold the same data (except
// the queues and indexes that genesis rebuilds differently, as in simapp).
func TestAppImportExport(t *testing.T) {
	simsx.RunWithSeeds(t, newSimApp, setupStateFactory, oneSeedWhenShort(simSettings()), nil,
		func(tb testing.TB, ti simsx.TestInstance[*simApp], _ []simtypes.Account) {
			tb.Helper()
			a := ti.App
			exported, err := a.ExportAppStateAndValidators(false, nil, nil)
			require.NoError(tb, err)

			fresh := simsx.NewSimulationAppInstance(tb, ti.Cfg, newSimApp).App
			var gen map[string]json.RawMessage
			require.NoError(tb, json.Unmarshal(exported.AppState, &gen))
			ctxA := a.NewContextLegacy(true, cmtproto.Header{Height: a.LastBlockHeight()})
			ctxB := fresh.NewContextLegacy(true, cmtproto.Header{Height: a.LastBlockHeight()})
			if _, err := fresh.ModuleManager.InitGenesis(ctxB, fresh.AppCodec(), gen); err != nil {
				if isEmptyValidatorSet(err) {
					tb.Skipf("seed %d: every validator unbonded during the run; nothing to import", ti.Cfg.Seed)
				}
				require.NoError(tb, err)
			}
			require.NoError(tb, fresh.StoreConsensusParams(ctxB, exported.ConsensusParams))

			skip := map[string][][]byte{
				stakingtypes.StoreKey: {
					stakingtypes.UnbondingQueueKey, stakingtypes.RedelegationQueueKey, stakingtypes.ValidatorQueueKey,
					stakingtypes.HistoricalInfoKey, stakingtypes.UnbondingIDKey, stakingtypes.UnbondingIndexKey,
					stakingtypes.UnbondingTypeKey, stakingtypes.ValidatorUpdatesKey,
				},
				authzkeeper.StoreKey:   {authzkeeper.GrantQueuePrefix},
				feegrant.StoreKey:      {feegrant.FeeAllowanceQueueKeyPrefix},
				slashingtypes.StoreKey: {slashingtypes.ValidatorMissedBlockBitmapKeyPrefix},
			}
			keysB := map[string]storetypes.StoreKey{}
			for _, k := range fresh.GetStoreKeys() {
				keysB[k.Name()] = k
			}
			compared := 0
			for _, kA := range a.GetStoreKeys() {
				kB, ok := keysB[kA.Name()]
				if !ok {
					tb.Fatalf("store %q exists before export but not after import", kA.Name())
				}
				if _, ok := kA.(*storetypes.KVStoreKey); !ok {
					continue // transient and memory stores are not part of the state
				}
				onlyA, onlyB := simtestutil.DiffKVStores(ctxA.KVStore(kA), ctxB.KVStore(kB), skip[kA.Name()])
				if len(onlyA) != 0 || len(onlyB) != 0 {
					tb.Fatalf("seed %d: store %q differs after export/import: %d entries only before, %d only after\n%s",
						ti.Cfg.Seed, kA.Name(), len(onlyA), len(onlyB),
						simtestutil.GetSimulationLog(kA.Name(), a.SimulationManager().StoreDecoders, onlyA, onlyB))
				}
				compared++
			}
			tb.Logf("seed %d: %d stores identical after export/import at height %d", ti.Cfg.Seed, compared, a.LastBlockHeight())
		})
}

func isEmptyValidatorSet(err error) bool {
	return err != nil && strings.Contains(err.Error(), "validator set is empty after InitGenesis")
}

// invariantChecker is a simulation-only module: its one operation runs every
// registered invariant on the state of the block being simulated and fails
// the run when one is broken. Invariants come from every module that still
// implements module.HasInvariants (ours do, per the chain contract) plus the
// app-wide bank ones below, which the SDK no longer registers since x/crisis
// is gone.
type invariantChecker struct {
	routes []invariantRoute
}

type invariantRoute struct {
	module, name string
	fn           sdk.Invariant
}

func (c *invariantChecker) RegisterRoute(moduleName, route string, fn sdk.Invariant) {
	c.routes = append(c.routes, invariantRoute{moduleName, route, fn})
}

func newInvariantChecker(a *App) *invariantChecker {
	c := &invariantChecker{}
	for _, name := range a.ModuleManager.OrderEndBlockers {
		if m, ok := a.ModuleManager.Modules[name].(module.HasInvariants); ok {
			m.RegisterInvariants(c)
		}
	}
	c.RegisterRoute("bank", "nonnegative-balances", nonNegativeBalances(a))
	c.RegisterRoute("bank", "total-supply", totalSupply(a))
	return c
}

func (c *invariantChecker) names() []string {
	var out []string
	for _, r := range c.routes {
		out = append(out, r.module+"/"+r.name)
	}
	return out
}

// check runs every invariant; the messages of the broken ones, or "".
func (c *invariantChecker) check(ctx sdk.Context) string {
	var broken string
	for _, r := range c.routes {
		if msg, bad := r.fn(ctx); bad {
			broken += fmt.Sprintf("%s/%s: %s\n", r.module, r.name, msg)
		}
	}
	return broken
}

// invariantWeight makes the check about 1 in 40 operations, i.e. several
// times per simulated block at the SDK's block size.
const invariantWeight = 10

func (c *invariantChecker) GenerateGenesisState(*module.SimulationState)       {}
func (c *invariantChecker) RegisterStoreDecoder(simtypes.StoreDecoderRegistry) {}
func (c *invariantChecker) WeightedOperations(module.SimulationState) []simtypes.WeightedOperation {
	return []simtypes.WeightedOperation{simulation.NewWeightedOperation(invariantWeight,
		func(_ *rand.Rand, _ *baseapp.BaseApp, ctx sdk.Context, _ []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
			if msg := c.check(ctx); msg != "" {
				return simtypes.NoOpMsg("invariants", "check", msg), nil, fmt.Errorf("invariant broken at height %d:\n%s", ctx.BlockHeight(), msg)
			}
			return simtypes.NoOpMsg("invariants", "check", "all hold"), nil, nil
		})}
}

// nonNegativeBalances: no account holds a negative or invalid amount.
func nonNegativeBalances(a *App) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		var msg string
		a.BankKeeper.IterateAllBalances(ctx, func(addr sdk.AccAddress, c sdk.Coin) bool {
			if c.IsNegative() || !c.IsValid() {
				msg += fmt.Sprintf("%s holds %s\n", addr, c)
			}
			return false
		})
		return msg, msg != ""
	}
}

// totalSupply: the recorded supply of each denom equals the sum of all balances.
func totalSupply(a *App) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		sum := sdk.NewCoins()
		a.BankKeeper.IterateAllBalances(ctx, func(_ sdk.AccAddress, c sdk.Coin) bool {
			sum = sum.Add(c)
			return false
		})
		supply, _, err := a.BankKeeper.GetPaginatedTotalSupply(ctx, nil)
		if err != nil {
			return "reading the total supply: " + err.Error(), true
		}
		if !supply.Equal(sum) {
			return fmt.Sprintf("total supply %s != sum of balances %s", supply, sum), true
		}
		return "", false
	}
}
