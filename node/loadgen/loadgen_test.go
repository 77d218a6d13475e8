package loadgen

import (
	"crypto/sha256"
	"strings"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/node/apptest"
	deploymenttypes "github.com/akash-market/akash/node/x/deployment/types"
	markettypes "github.com/akash-market/akash/node/x/market/types"
	providertypes "github.com/akash-market/akash/node/x/provider/types"
)

func TestConfigValidate(t *testing.T) {
	ok := Config{RPC: "http://127.0.0.1:26657", ChainID: "c", Funder: senderKey(1, 0), Txs: 10}.withDefaults()
	if err := ok.validate(); err != nil {
		t.Fatalf("a complete config: %v", err)
	}
	if ok.Senders != 32 || ok.Kind.Name() != "send" || ok.Timeout == 0 {
		t.Fatalf("defaults: %+v", ok)
	}
	for _, tc := range []struct {
		name string
		edit func(*Config)
		want string // in the error
	}{
		{"no RPC", func(c *Config) { c.RPC = "" }, "no RPC address"},
		{"no chain id", func(c *Config) { c.ChainID = "" }, "no chain id"},
		{"no funder", func(c *Config) { c.Funder = nil }, "no funder key"},
		{"no txs", func(c *Config) { c.Txs = 0 }, "--txs 0: want at least 1"},
		{"no senders", func(c *Config) { c.Senders = 0 }, "--senders 0: want 1..1000"},
		{"too many senders", func(c *Config) { c.Senders = 1001 }, "--senders 1001"},
		{"a negative fee", func(c *Config) { c.Fee = -1 }, "--fee -1: must not be negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.edit(&c)
			if err := c.validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v; want one saying %q", err, tc.want)
			}
		})
	}
}

// perSender spreads the txs evenly, the first Txs%Senders senders one more.
func TestPerSender(t *testing.T) {
	for _, tc := range []struct {
		txs, senders int
		want         []int
	}{
		{10, 3, []int{4, 3, 3}},
		{3, 3, []int{1, 1, 1}},
		{2, 4, []int{1, 1, 0, 0}},
		{64, 32, nil}, // all 2
	} {
		r := &Run{cfg: Config{Txs: tc.txs, Senders: tc.senders}}
		total := 0
		for s := range tc.senders {
			n := r.perSender(s)
			total += n
			if tc.want != nil && n != tc.want[s] {
				t.Errorf("%d txs over %d senders: sender %d sends %d, want %d", tc.txs, tc.senders, s, n, tc.want[s])
			}
		}
		if total != tc.txs {
			t.Errorf("%d txs over %d senders: %d sent in all", tc.txs, tc.senders, total)
		}
	}
}

func TestKindByName(t *testing.T) {
	for _, name := range []string{"send", "bid"} {
		k, err := KindByName(name)
		if err != nil || k.Name() != name {
			t.Errorf("KindByName(%q) = %v, %v", name, k, err)
		}
	}
	if _, err := KindByName("mint"); err == nil || !strings.Contains(err.Error(), "want send or bid") {
		t.Errorf("KindByName(mint): %v", err)
	}
}

// The same seed gives the same senders (a second run reuses them); another
// seed or index gives others, and none is the send sink.
func TestSenderKeys(t *testing.T) {
	if !senderKey(7, 3).Equals(senderKey(7, 3)) {
		t.Fatal("senderKey is not a function of (seed, index)")
	}
	seen := map[string]bool{SendSink.String(): true}
	for seed := range uint64(3) {
		for i := range 5 {
			a := sdk.AccAddress(senderKey(seed, i).PubKey().Address()).String()
			if seen[a] {
				t.Fatalf("sender (%d, %d) repeats an address: %s", seed, i, a)
			}
			seen[a] = true
		}
	}
}

// Each kind's messages are what the real app accepts, and cost the sender
// its Budget (besides the fee), on node/apptest's chain.
func TestKindsOnTheApp(t *testing.T) {
	c := apptest.NewChain(t, 3, 100_000_000_000)
	funder, sender := c.Accounts[1], c.Accounts[2]
	from := Account{Key: sender.Priv, Address: sender.Addr}
	bal := func() sdk.Coins { return c.App.BankKeeper.GetAllBalances(c.Ctx(), sender.Addr) }

	t.Run("send", func(t *testing.T) {
		k := Send{}
		msgs, err := k.Msgs(from, 0)
		if err != nil {
			t.Fatal(err)
		}
		before, sink := bal(), c.Balance(SendSink, sdk.DefaultBondDenom)
		c.MustDeliver(sender, msgs...)
		if spent := before.Sub(bal()...); !spent.Equal(k.Budget()) {
			t.Fatalf("a send cost %s; Budget says %s", spent, k.Budget())
		}
		if got := c.Balance(SendSink, sdk.DefaultBondDenom).Sub(sink); got.Int64() != 1 {
			t.Fatalf("the sink got %s, want 1", got)
		}
	})

	t.Run("bid", func(t *testing.T) {
		// What Setup does over RPC: the sender registers as a provider and
		// the funder opens an order.
		c.MustDeliver(sender, &providertypes.MsgCreateProvider{Owner: sender.String(), HostURI: "https://loadgen.example.com:8443", Attributes: bidAttributes})
		dseq := uint64(c.Height() + 1)
		v := sha256.Sum256([]byte("akash-loadgen"))
		c.MustDeliver(funder, &deploymenttypes.MsgCreateDeployment{Owner: funder.String(), Dseq: dseq, Version: v[:], Deposit: deploymentFund,
			Groups: []deploymenttypes.GroupSpec{{Name: "load",
				Requirements: deploymenttypes.PlacementRequirements{Attributes: []deploymenttypes.Attribute{{Key: "region", Value: "us-west"}}},
				Resources: []deploymenttypes.ResourceUnit{{CPUMillis: 1000, MemoryBytes: 1 << 30,
					Storage: []deploymenttypes.Storage{{Name: "default", Bytes: 1 << 30}}, Count: 1, Price: orderMaxPrice}}}}})
		k := &Bid{orders: []markettypes.OrderID{{Owner: funder.String(), DSeq: dseq, GSeq: 1, OSeq: 1}}}
		if _, err := k.Msgs(from, 1); err == nil || !strings.Contains(err.Error(), "only 1 orders were opened") {
			t.Fatalf("a bid past the opened orders: %v", err)
		}
		msgs, err := k.Msgs(from, 0)
		if err != nil {
			t.Fatal(err)
		}
		before := bal()
		c.MustDeliver(sender, msgs...)
		if spent := before.Sub(bal()...); !spent.Equal(k.Budget()) {
			t.Fatalf("a bid cost %s; Budget says %s", spent, k.Budget())
		}
		bids, err := c.App.MarketKeeper.OrderBids(c.Ctx(), k.orders[0].ToCore())
		if err != nil || len(bids) != 1 || bids[0].ID.Provider != sender.String() {
			t.Fatalf("bids on the order: %+v %v; want the sender's", bids, err)
		}
	})
}
