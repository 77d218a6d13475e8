package types_test

import (
	"errors"
	"strings"
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/node/x/market/types"
)

func addr(seed string) string {
	return sdk.AccAddress(secp256k1.GenPrivKeyFromSecret([]byte(seed)).PubKey().Address()).String()
}

var (
	tenant   = addr("tenant")
	provider = addr("provider")
	order    = types.OrderID{Owner: tenant, DSeq: 7, GSeq: 1, OSeq: 1}
	lid      = types.BidID{Owner: tenant, DSeq: 7, GSeq: 1, OSeq: 1, Provider: provider}
	res      = types.Resources{CPUMillis: 1000, MemoryBytes: 1 << 30}
	price    = sdk.NewDecCoinFromDec("uakt", sdkmath.LegacyMustNewDecFromStr("10.5"))
)

func reveal(p string) []byte {
	r := market.Reveal{Bid: lid.ToCore(), Price: money.Coin{Denom: "uakt", Amount: money.MustParseDec("10")}}
	r.Bid.Provider = p
	return r.Encode()
}

// TestValidateBasic: every Msg rejects each kind of bad input with its
// registered error, and accepts a good one.
func TestValidateBasic(t *testing.T) {
	type hasVB interface{ ValidateBasic() error }
	commit := make([]byte, 32)
	cases := []struct {
		name string
		msg  hasVB
		want error // nil: valid
		text string
	}{
		{"bid ok", &types.MsgCreateBid{Provider: provider, Order: order, Price: price, Resources: res}, nil, ""},
		{"bid with deposit", &types.MsgCreateBid{Provider: provider, Order: order, Price: price, Resources: res, Deposit: sdk.NewInt64Coin("uakt", 6)}, nil, ""},
		{"bid no provider", &types.MsgCreateBid{Order: order, Price: price, Resources: res}, types.ErrInvalidID, "provider: empty"},
		{"bid bad provider", &types.MsgCreateBid{Provider: "akash1xyz", Order: order, Price: price, Resources: res}, types.ErrInvalidID, "bech32"},
		{"bid bad owner", &types.MsgCreateBid{Provider: provider, Order: types.OrderID{Owner: "x", DSeq: 1, GSeq: 1, OSeq: 1}, Price: price, Resources: res}, types.ErrInvalidID, "order owner"},
		{"bid zero dseq", &types.MsgCreateBid{Provider: provider, Order: types.OrderID{Owner: tenant, GSeq: 1, OSeq: 1}, Price: price, Resources: res}, types.ErrInvalidID, "at least 1"},
		{"bid zero gseq", &types.MsgCreateBid{Provider: provider, Order: types.OrderID{Owner: tenant, DSeq: 1, OSeq: 1}, Price: price, Resources: res}, types.ErrInvalidID, "at least 1"},
		{"bid zero price", &types.MsgCreateBid{Provider: provider, Order: order, Price: sdk.NewDecCoin("uakt", sdkmath.ZeroInt()), Resources: res}, types.ErrInvalidPrice, "more than zero"},
		{"bid nil price", &types.MsgCreateBid{Provider: provider, Order: order, Resources: res}, types.ErrInvalidPrice, "more than zero"},
		{"bid negative price", &types.MsgCreateBid{Provider: provider, Order: order, Price: sdk.DecCoin{Denom: "uakt", Amount: sdkmath.LegacyNewDec(-1)}, Resources: res}, types.ErrInvalidPrice, ""},
		{"bid bad denom", &types.MsgCreateBid{Provider: provider, Order: order, Price: sdk.DecCoin{Denom: "1x", Amount: sdkmath.LegacyNewDec(1)}, Resources: res}, types.ErrInvalidPrice, "denom"},
		{"bid no cpu", &types.MsgCreateBid{Provider: provider, Order: order, Price: price, Resources: types.Resources{MemoryBytes: 1}}, types.ErrInvalidResources, "cpu"},
		{"bid zero deposit with denom", &types.MsgCreateBid{Provider: provider, Order: order, Price: price, Resources: res, Deposit: sdk.NewInt64Coin("uakt", 0)}, market.ErrInvalidDeposit, "positive"},
		{"commit ok", &types.MsgCommitBid{Provider: provider, Order: order, Commitment: commit, Resources: res}, nil, ""},
		{"commit short", &types.MsgCommitBid{Provider: provider, Order: order, Commitment: commit[:31], Resources: res}, types.ErrInvalidCommitment, "31 bytes"},
		{"commit none", &types.MsgCommitBid{Provider: provider, Order: order, Resources: res}, types.ErrInvalidCommitment, "0 bytes"},
		{"reveal ok", &types.MsgRevealBid{Provider: provider, Reveal: reveal(provider)}, nil, ""},
		{"reveal garbage", &types.MsgRevealBid{Provider: provider, Reveal: []byte("nope")}, types.ErrInvalidReveal, "reveal file"},
		{"reveal someone else's", &types.MsgRevealBid{Provider: provider, Reveal: reveal(tenant)}, types.ErrInvalidReveal, "signs it"},
		{"reveal trailing byte", &types.MsgRevealBid{Provider: provider, Reveal: append(reveal(provider), 0)}, types.ErrInvalidReveal, ""},
		{"close bid ok", &types.MsgCloseBid{Provider: provider, Order: order}, nil, ""},
		{"close bid no order", &types.MsgCloseBid{Provider: provider}, types.ErrInvalidID, ""},
		{"close lease tenant", &types.MsgCloseLease{Sender: tenant, Lease: lid, Reason: "tenant-closed"}, nil, ""},
		{"close lease fault", &types.MsgCloseLease{Sender: provider, Lease: lid, Reason: "provider-fault", Detail: "disk lost"}, nil, ""},
		{"close lease no reason", &types.MsgCloseLease{Sender: tenant, Lease: lid}, types.ErrInvalidReason, "tenant-closed"},
		{"close lease unknown reason", &types.MsgCloseLease{Sender: tenant, Lease: lid, Reason: "bored"}, types.ErrInvalidReason, "bored"},
		{"close lease claims funds", &types.MsgCloseLease{Sender: tenant, Lease: lid, Reason: "insufficient-funds"}, types.ErrInvalidReason, "decided by the chain"},
		{"close lease claims deployment", &types.MsgCloseLease{Sender: tenant, Lease: lid, Reason: "deployment-closed"}, types.ErrInvalidReason, "decided by the chain"},
		{"close lease long detail", &types.MsgCloseLease{Sender: tenant, Lease: lid, Reason: "tenant-closed", Detail: strings.Repeat("x", 257)}, types.ErrInvalidReason, "257 bytes"},
		{"close lease no provider", &types.MsgCloseLease{Sender: tenant, Lease: types.BidID{Owner: tenant, DSeq: 1, GSeq: 1, OSeq: 1}, Reason: "tenant-closed"}, types.ErrInvalidID, "provider"},
		{"create lease ok", &types.MsgCreateLease{Owner: tenant, Bid: lid}, nil, ""},
		{"create lease not the tenant", &types.MsgCreateLease{Owner: provider, Bid: lid}, types.ErrUnauthorized, "only that tenant picks"},
		{"create lease no provider", &types.MsgCreateLease{Owner: tenant, Bid: types.BidID{Owner: tenant, DSeq: 1, GSeq: 1, OSeq: 1}}, types.ErrInvalidID, "provider"},
		{"withdraw ok", &types.MsgWithdrawLease{Provider: provider, Lease: lid}, nil, ""},
		{"withdraw not provider", &types.MsgWithdrawLease{Provider: tenant, Lease: lid}, types.ErrUnauthorized, "only its provider"},
		{"params ok", &types.MsgUpdateParams{Authority: tenant, Params: types.DefaultParams()}, nil, ""},
		{"params zero window", &types.MsgUpdateParams{Authority: tenant, Params: types.Params{RevealWindowBlocks: 1, BidMinDeposit: types.DefaultBidMinDeposit}}, types.ErrInvalidParams, "bid_window_blocks"},
		{"params zero reveal", &types.MsgUpdateParams{Authority: tenant, Params: types.Params{BidWindowBlocks: 1, BidMinDeposit: types.DefaultBidMinDeposit}}, types.ErrInvalidParams, "reveal_window_blocks"},
		{"params bad deposit", &types.MsgUpdateParams{Authority: tenant, Params: types.Params{BidWindowBlocks: 1, RevealWindowBlocks: 1, BidMinDeposit: sdk.Coin{Denom: "!", Amount: sdkmath.OneInt()}}}, types.ErrInvalidParams, "bid_min_deposit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.msg.ValidateBasic()
			if c.want == nil {
				if err != nil {
					t.Fatalf("valid message refused: %v", err)
				}
				return
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), c.text) {
				t.Fatalf("error %q does not say %q", err, c.text)
			}
		})
	}
}

// TestKeys: keys round-trip, and a group's, a deployment's and an owner's
// prefixes contain exactly their own records.
func TestKeys(t *testing.T) {
	id := lid.ToCore()
	got, err := types.ParseBidKey(types.BidKey(id))
	if err != nil || got != id {
		t.Fatalf("bid key round trip: %v %v", got, err)
	}
	oid, err := types.ParseOrderKey(types.OrderKey(id.OrderID))
	if err != nil || oid != id.OrderID {
		t.Fatalf("order key round trip: %v %v", oid, err)
	}
	if _, err := types.ParseOrderKey(types.BidKey(id)); err == nil {
		t.Fatal("a bid key parsed as an order key")
	}
	if _, err := types.ParseOrderKey([]byte{5, 'a'}); err == nil {
		t.Fatal("a short key parsed")
	}
	has := func(p, k []byte) bool { return len(k) >= len(p) && string(k[:len(p)]) == string(p) }
	other := id
	other.GSeq = 2
	if !has(types.GroupPrefix(id.GroupID), types.BidKey(id)) || has(types.GroupPrefix(id.GroupID), types.BidKey(other)) {
		t.Fatal("group prefix")
	}
	if !has(types.DeploymentPrefix(id.DeploymentID), types.BidKey(other)) {
		t.Fatal("deployment prefix")
	}
	// An owner that is a prefix of another owner must not share its records.
	a := market.OrderID{GroupID: market.GroupID{DeploymentID: market.DeploymentID{Owner: "ab", DSeq: 1}, GSeq: 1}, OSeq: 1}
	b := a
	b.Owner = "abc"
	if has(types.OwnerPrefix("ab"), types.OrderKey(b)) || !has(types.OwnerPrefix("ab"), types.OrderKey(a)) {
		t.Fatal("owner prefix is ambiguous")
	}
}

// TestMoneyConversion: DecCoin <-> core money is exact to the atto-unit.
func TestMoneyConversion(t *testing.T) {
	for _, s := range []string{"0.000000000000000001", "10", "123456789.123456789012345678"} {
		d := sdk.NewDecCoinFromDec("uakt", sdkmath.LegacyMustNewDecFromStr(s))
		c, err := types.DecCoinToCore(d)
		if err != nil {
			t.Fatal(err)
		}
		if c.Amount.String() != sdkmath.LegacyMustNewDecFromStr(s).String() {
			t.Fatalf("%s -> %s", s, c.Amount)
		}
		if back := types.DecCoinFromCore(c); back.String() != d.String() {
			t.Fatalf("%s round trip gave %s", d, back)
		}
	}
	c, err := types.CoinToCore(sdk.NewInt64Coin("uakt", 5_000_000))
	if err != nil || c.Amount.String() != money.NewDec(5_000_000).String() {
		t.Fatalf("coin: %v %v", c, err)
	}
}

// TestGenesisValidate: the default is valid; duplicate and dangling records
// and reasonless closes are refused.
func TestGenesisValidate(t *testing.T) {
	if err := types.DefaultGenesisState().Validate(); err != nil {
		t.Fatal(err)
	}
	o := types.Order{ID: order, State: types.OrderOpen, Resources: res, MaxPrice: price, OpenHeight: 1, CloseHeight: 6}
	b := types.Bid{ID: lid, State: types.BidWon, Price: price, Seq: 1}
	l := types.Lease{ID: lid, State: types.LeaseClosed, Price: price, OpenedAt: 6, ClosedAt: 9}
	ok := types.GenesisState{Params: types.DefaultParams(), NextSeq: 2, Orders: []types.Order{o}, Bids: []types.Bid{b}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, gs := range map[string]types.GenesisState{
		"duplicate order": {Params: types.DefaultParams(), NextSeq: 2, Orders: []types.Order{o, o}},
		"dangling bid":    {Params: types.DefaultParams(), NextSeq: 2, Bids: []types.Bid{b}},
		"seq too high":    {Params: types.DefaultParams(), NextSeq: 1, Orders: []types.Order{o}, Bids: []types.Bid{b}},
		"reasonless":      {Params: types.DefaultParams(), NextSeq: 2, Orders: []types.Order{o}, Bids: []types.Bid{b}, Leases: []types.Lease{l}},
	} {
		if err := gs.Validate(); !errors.Is(err, types.ErrInvalidGenesis) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

func TestParamsMatching(t *testing.T) {
	for _, c := range []struct {
		name     string
		matching string
		timeout  int64
		errText  string
	}{
		{"default is auto", "", 0, ""},
		{"auto", "auto", 50, ""},
		{"tenant", "tenant", 1, ""},
		{"tenant needs a timeout", "tenant", 0, "bid_timeout_blocks is 0 with matching tenant"},
		{"negative timeout", "auto", -1, "bid_timeout_blocks is -1"},
		{"unknown mode", "cheapest", 5, `matching "cheapest"; use auto`},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := types.DefaultParams()
			p.Matching, p.BidTimeoutBlocks = c.matching, c.timeout
			err := p.Validate()
			if c.errText == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, types.ErrInvalidParams) || !strings.Contains(err.Error(), c.errText) {
				t.Fatalf("err %v; want %q", err, c.errText)
			}
		})
	}
}
