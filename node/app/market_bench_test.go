package app_test

import (
	"encoding/json"
	"testing"
	"time"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/node/apptest"
	deploymenttypes "github.com/akash-market/akash/node/x/deployment/types"
	markettypes "github.com/akash-market/akash/node/x/market/types"
	providertypes "github.com/akash-market/akash/node/x/provider/types"
)

// BenchmarkMarketEndBlock matches 1000 orders with 10 bids each in one
// EndBlock (the orders' common close height), on the real app: deployments
// and bids arrive as signed txs through FinalizeBlock; each iteration runs
// the market's EndBlock on a fresh cache of the close block (leases opened in
// escrow, losing deposits refunded through bank) and drops it. It also
// reports the DeliverTx cost of a bid, measured on the blocks that delivered
// them (100 bids per tx, 10 txs per block).
func BenchmarkMarketEndBlock(b *testing.B) {
	const orders, n, perTx = 1000, 10, 100 // n tenants with 100 deployments each; n providers
	c := apptest.NewChainWithGenesis(b, 2*n, 1_000_000_000_000, func(gen map[string]json.RawMessage) {
		gs := markettypes.DefaultGenesisState()
		gs.Params.BidWindowBlocks = 20 // bids for 1000 orders take 10 blocks of 10 txs
		gen[markettypes.ModuleName] = mustJSON(b, gs)
	})
	tenants, provs := c.Accounts[:n], c.Accounts[n:]
	for _, p := range provs {
		c.MustDeliver(p, &providertypes.MsgCreateProvider{Owner: p.String(), HostURI: "https://p.example.com:8443",
			Attributes: []providertypes.Attribute{{Key: "region", Value: "us-west"}}})
	}
	var txs [][]byte
	for _, tn := range tenants {
		var msgs []sdk.Msg
		for j := 1; j <= perTx; j++ {
			msgs = append(msgs, &deploymenttypes.MsgCreateDeployment{
				Owner: tn.String(), Dseq: uint64(j), Version: sum("m"), Deposit: uakt(50_000_000),
				Groups: []deploymenttypes.GroupSpec{{Name: "g",
					Requirements: deploymenttypes.PlacementRequirements{Attributes: []deploymenttypes.Attribute{{Key: "region", Value: "us-west"}}},
					Resources: []deploymenttypes.ResourceUnit{{CPUMillis: 1000, MemoryBytes: 1 << 30,
						Storage: []deploymenttypes.Storage{{Name: "default", Bytes: 1 << 30}}, Count: 1, Price: decUakt(1_500_000)}}}},
			})
		}
		txs = append(txs, c.Tx(tn, msgs...))
	}
	for _, r := range c.DeliverBlock(txs...) {
		if r.Code != 0 {
			b.Fatalf("deployments: %s", r.Log)
		}
	}
	closeAt := c.Height() + 20
	var bidTime time.Duration
	for _, tn := range tenants {
		txs = txs[:0]
		for k, p := range provs {
			var msgs []sdk.Msg
			for j := 1; j <= perTx; j++ {
				id := markettypes.OrderID{Owner: tn.String(), DSeq: uint64(j), GSeq: 1, OSeq: 1}
				msgs = append(msgs, &markettypes.MsgCreateBid{Provider: p.String(), Order: id, Price: decUakt(int64(1_000_000 + 1000*k)), Resources: res()})
			}
			txs = append(txs, c.Tx(p, msgs...))
		}
		start := time.Now()
		for _, r := range c.DeliverBlock(txs...) {
			if r.Code != 0 {
				b.Fatalf("bids: %s", r.Log)
			}
		}
		bidTime += time.Since(start)
	}
	c.AdvanceTo(closeAt - 1)
	header := cmtproto.Header{ChainID: apptest.ChainID, Height: closeAt, Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(closeAt) * 6 * time.Second)}
	ctx := c.App.NewNextBlockContext(header)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cctx, _ := ctx.CacheContext()
		if err := c.App.MarketKeeper.EndBlock(cctx); err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			b.StopTimer()
			var leases int
			_ = c.App.MarketKeeper.Leases.Walk(cctx, nil, func(_ []byte, l markettypes.Lease) (bool, error) { leases++; return false, nil })
			if leases != orders {
				b.Fatalf("EndBlock opened %d leases, want %d", leases, orders)
			}
			b.StartTimer()
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(bidTime.Nanoseconds())/float64(orders*n), "deliver-ns/bid")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*orders), "endblock-ns/order")
}
