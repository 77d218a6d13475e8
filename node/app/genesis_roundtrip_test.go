//lint:file-ignore SA1019 sdk.Invariant and module.HasInvariants are deprecated with x/crisis, but they are how our modules register invariants (chain contract) and this test runs them on the imported app.

package app_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"sort"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"
	"github.com/cosmos/cosmos-sdk/baseapp"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/akash-market/akash/node/app"
	"github.com/akash-market/akash/node/apptest"
	certtypes "github.com/akash-market/akash/node/x/cert/certgen"
	certmsgs "github.com/akash-market/akash/node/x/cert/types"
	deploymenttypes "github.com/akash-market/akash/node/x/deployment/types"
	marketkeeper "github.com/akash-market/akash/node/x/market/keeper"
	markettypes "github.com/akash-market/akash/node/x/market/types"
	providertypes "github.com/akash-market/akash/node/x/provider/types"
)

// TestGenesisRoundTrip runs the real app through a market flow, exports it
// (what `akash-node export` writes into a new genesis), starts a fresh app
// from that state with InitChain and one committed block, and exports again:
// the JSON must be identical, module by module. The imported app then keeps
// going: every registered invariant holds, and the order that was still
// taking bids at export time is matched at its close height by the imported
// state alone.
func TestGenesisRoundTrip(t *testing.T) {
	w := newMarketWorld(t, false)
	c := w.c

	// Lease: p2 underbids p1; p1 bonds stake; the tenant publishes a certificate.
	c.MustDeliver(w.p1, &markettypes.MsgCreateBid{Provider: w.p1.String(), Order: w.order, Price: decUakt(1_200_000), Resources: res()})
	c.MustDeliver(w.p2, &markettypes.MsgCreateBid{Provider: w.p2.String(), Order: w.order, Price: decUakt(unitPrice), Resources: res()})
	c.MustDeliver(w.p1, &providertypes.MsgBondStake{Provider: w.p1.String(), Amount: uakt(7_000_000)})
	root, err := certtypes.Generate(rand.Reader, w.tenant.String(), genesisTime.Add(-time.Hour), 365*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c.MustDeliver(w.tenant, &certmsgs.MsgCreateCertificate{Owner: w.tenant.String(), Cert: root.CertPEM, Pubkey: root.PubKeyPEM})
	c.AdvanceTo(w.closeAt)
	lease := w.leaseID(w.p2)
	c.AdvanceTo(c.Height() + 3)
	c.MustDeliver(w.p2, &markettypes.MsgWithdrawLease{Provider: w.p2.String(), Lease: lease})

	// A second deployment whose order is still taking bids at export time.
	dseq2 := uint64(c.Height() + 1)
	c.MustDeliver(w.tenant, &deploymenttypes.MsgCreateDeployment{
		Owner: w.tenant.String(), Dseq: dseq2, Version: sum("manifest 2"), Deposit: uakt(6_000_000),
		Groups: []deploymenttypes.GroupSpec{{
			Name: "second",
			Resources: []deploymenttypes.ResourceUnit{{
				CPUMillis: 1000, MemoryBytes: 1 << 30, Storage: []deploymenttypes.Storage{{Name: "default", Bytes: 1 << 30}},
				Count: 1, Price: decUakt(1_500_000),
			}},
		}},
	})
	order2 := markettypes.OrderID{Owner: w.tenant.String(), DSeq: dseq2, GSeq: 1, OSeq: 1}
	c.MustDeliver(w.p3, &markettypes.MsgCreateBid{Provider: w.p3.String(), Order: order2, Price: decUakt(1_100_000), Resources: res()})
	close2 := c.Height() - 1 + markettypes.DefaultBidWindowBlocks // the order opened in the block before the bid
	if c.Height()+1 >= close2 {
		t.Fatalf("height %d: the second order (close %d) must still be open after export", c.Height(), close2)
	}

	exported, err := c.App.ExportAppStateAndValidators(false, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	fresh := importState(t, exported.AppState, exported.Height, exported.ConsensusParams)
	again, err := fresh.ExportAppStateAndValidators(false, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := diffModules(exported.AppState, again.AppState); diff != "" {
		t.Fatalf("export -> InitChain -> export changed the state:\n%s", diff)
	}
	if !bytes.Equal(exported.AppState, again.AppState) {
		t.Fatal("module states equal but the exported JSON bytes differ (key order or formatting)")
	}
	t.Logf("exported %d bytes at height %d; identical after InitChain + export", len(exported.AppState), exported.Height)
	if fmt.Sprint(exported.Validators) != fmt.Sprint(again.Validators) {
		t.Fatalf("validators differ:\n%v\n%v", exported.Validators, again.Validators)
	}
	if msg := brokenInvariants(fresh, freshCtx(fresh)); msg != "" {
		t.Fatalf("invariants on the imported app:\n%s", msg)
	}
	for _, m := range []string{"cert", "provider", "deployment", "escrow", "market"} {
		var gen map[string]json.RawMessage
		_ = json.Unmarshal(again.AppState, &gen)
		if len(gen[m]) < 40 {
			t.Errorf("module %s exported almost nothing: %s", m, gen[m])
		}
	}

	// The imported app goes on: blocks up to the second order's close match it to p3.
	for h := fresh.LastBlockHeight() + 1; h <= close2; h++ {
		finalize(t, fresh, h)
	}
	got, err := marketkeeper.NewQueryServerImpl(fresh.MarketKeeper).Lease(freshCtx(fresh), &markettypes.QueryLeaseRequest{
		Owner: order2.Owner, Dseq: order2.DSeq, Gseq: order2.GSeq, Oseq: order2.OSeq, Provider: w.p3.String()})
	if err != nil {
		t.Fatalf("no lease for the second order on the imported app at %d: %v", close2, err)
	}
	if got.Lease.State != markettypes.LeaseActive {
		t.Fatalf("lease on the imported app: %v", got.Lease.State)
	}
	if msg := brokenInvariants(fresh, freshCtx(fresh)); msg != "" {
		t.Fatalf("invariants on the imported app after matching:\n%s", msg)
	}
}

var genesisTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// blockTime follows apptest's clock (6 s blocks from its genesis time), so
// the imported chain's time continues the exported one's.
func blockTime(h int64) time.Time { return genesisTime.Add(time.Duration(h) * 6 * time.Second) }

// importState starts a new app from an exported state: InitChain at the
// export's height (as a chain restarted from that genesis), then one
// committed empty block so the state is readable.
func importState(t *testing.T, appState json.RawMessage, height int64, cp cmtproto.ConsensusParams) *app.App {
	t.Helper()
	a, err := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{}, baseapp.SetChainID(apptest.ChainID))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.InitChain(&abci.RequestInitChain{
		ChainId: apptest.ChainID, Time: blockTime(height), ConsensusParams: &cp, AppStateBytes: appState, InitialHeight: height,
	}); err != nil {
		t.Fatalf("InitChain from the export: %v", err)
	}
	finalize(t, a, height)
	return a
}

func finalize(t *testing.T, a *app.App, h int64) {
	t.Helper()
	if _, err := a.FinalizeBlock(&abci.RequestFinalizeBlock{Height: h, Time: blockTime(h)}); err != nil {
		t.Fatalf("FinalizeBlock %d: %v", h, err)
	}
	if _, err := a.Commit(); err != nil {
		t.Fatalf("Commit %d: %v", h, err)
	}
}

func freshCtx(a *app.App) sdk.Context {
	h := a.LastBlockHeight()
	return a.NewContextLegacy(true, cmtproto.Header{ChainID: apptest.ChainID, Height: h, Time: blockTime(h)})
}

// diffModules names each module whose exported JSON differs, with both versions.
func diffModules(a, b json.RawMessage) string {
	var ma, mb map[string]json.RawMessage
	if err := json.Unmarshal(a, &ma); err != nil {
		return err.Error()
	}
	if err := json.Unmarshal(b, &mb); err != nil {
		return err.Error()
	}
	var names []string
	for k := range ma {
		names = append(names, k)
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var out string
	for _, k := range names {
		if !bytes.Equal(ma[k], mb[k]) {
			out += fmt.Sprintf("module %s:\n  before: %s\n  after:  %s\n", k, compact(ma[k]), compact(mb[k]))
		}
	}
	return out
}

func compact(j json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, j); err != nil {
		return string(j)
	}
	return b.String()
}

// invariantRoutes collects the invariants every module registers.
type invariantRoutes []struct {
	route string
	fn    sdk.Invariant
}

func (r *invariantRoutes) RegisterRoute(module, route string, fn sdk.Invariant) {
	*r = append(*r, struct {
		route string
		fn    sdk.Invariant
	}{module + "/" + route, fn})
}

// brokenInvariants runs every module's registered invariants (ours: escrow
// conservation, module balances, stake held, index consistency) and the
// bank supply check; the messages of the broken ones, or "".
func brokenInvariants(a *app.App, ctx sdk.Context) string {
	var routes invariantRoutes
	for _, name := range a.ModuleManager.OrderEndBlockers {
		if m, ok := a.ModuleManager.Modules[name].(module.HasInvariants); ok {
			m.RegisterInvariants(&routes)
		}
	}
	if len(routes) < 5 {
		return fmt.Sprintf("only %d invariants registered", len(routes))
	}
	var out string
	for _, r := range routes {
		if msg, broken := r.fn(ctx); broken {
			out += r.route + ": " + msg + "\n"
		}
	}
	sum := sdk.NewCoins()
	a.BankKeeper.IterateAllBalances(ctx, func(_ sdk.AccAddress, c sdk.Coin) bool { sum = sum.Add(c); return false })
	supply, _, err := a.BankKeeper.GetPaginatedTotalSupply(ctx, nil)
	if err != nil || !supply.Equal(sum) {
		out += fmt.Sprintf("bank/total-supply: supply %s, balances %s (%v)\n", supply, sum, err)
	}
	return out
}
