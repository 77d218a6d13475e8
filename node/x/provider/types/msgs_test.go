package types_test

import (
	"strings"
	"testing"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/node/x/provider/types"
)

func init() {
	// The app sets the akash prefixes in node/app; the types tests need them too.
	sdk.GetConfig().SetBech32PrefixForAccount("akash", "akashpub")
}

var owner = sdk.MustBech32ifyAddressBytes("akash", []byte("provider-owner-addr0"))

func TestMsgValidateBasic(t *testing.T) {
	create := func(f func(m *types.MsgCreateProvider)) sdk.HasValidateBasic {
		m := &types.MsgCreateProvider{Owner: owner, HostURI: "https://p1:8443",
			Attributes: []types.Attribute{{Key: "region", Value: "us-west"}, {Key: "tier", Value: "1"}}}
		f(m)
		return m
	}
	cases := []struct {
		name string
		msg  sdk.HasValidateBasic
		err  *errorsmod.Error
		says string // a part of the message a person needs
	}{
		{"create ok", create(func(*types.MsgCreateProvider) {}), nil, ""},
		{"create with info", create(func(m *types.MsgCreateProvider) {
			m.Info = types.Info{Email: "ops@p1.example", Website: "https://p1.example"}
		}), nil, ""},
		{"owner empty", create(func(m *types.MsgCreateProvider) { m.Owner = "" }), types.ErrInvalidAddress, "owner is empty"},
		{"owner wrong prefix", create(func(m *types.MsgCreateProvider) { m.Owner = "cosmos1qqqq" }), types.ErrInvalidAddress, "akash1"},
		{"host empty", create(func(m *types.MsgCreateProvider) { m.HostURI = "" }), types.ErrInvalidHostURI, "https://host[:port]"},
		{"host http", create(func(m *types.MsgCreateProvider) { m.HostURI = "http://p1:8443" }), types.ErrInvalidHostURI, "mutual TLS"},
		{"host no host", create(func(m *types.MsgCreateProvider) { m.HostURI = "https://:8443" }), types.ErrInvalidHostURI, "no host"},
		{"host bad port", create(func(m *types.MsgCreateProvider) { m.HostURI = "https://p1:99999" }), types.ErrInvalidHostURI, "1..65535"},
		{"host user info", create(func(m *types.MsgCreateProvider) { m.HostURI = "https://u:pw@p1:8443" }), types.ErrInvalidHostURI, "user info"},
		{"host query", create(func(m *types.MsgCreateProvider) { m.HostURI = "https://p1:8443/?x=1" }), types.ErrInvalidHostURI, "query"},
		{"host not a URL", create(func(m *types.MsgCreateProvider) { m.HostURI = "p1 8443" }), types.ErrInvalidHostURI, ""},
		{"host too long", create(func(m *types.MsgCreateProvider) { m.HostURI = "https://" + strings.Repeat("a", 300) }), types.ErrInvalidHostURI, "more than 256"},
		{"attr key bad", create(func(m *types.MsgCreateProvider) { m.Attributes[0].Key = "1region" }), types.ErrInvalidAttribute, "start with a letter"},
		{"attr key short", create(func(m *types.MsgCreateProvider) { m.Attributes[0].Key = "r" }), types.ErrInvalidAttribute, "attributes[0]"},
		{"attr value empty", create(func(m *types.MsgCreateProvider) { m.Attributes[1].Value = "" }), types.ErrInvalidAttribute, "want 1..128"},
		{"attr value space", create(func(m *types.MsgCreateProvider) { m.Attributes[0].Value = "us west" }), types.ErrInvalidAttribute, "space"},
		{"attr value long", create(func(m *types.MsgCreateProvider) { m.Attributes[0].Value = strings.Repeat("v", 129) }), types.ErrInvalidAttribute, "129 bytes"},
		{"attr duplicate", create(func(m *types.MsgCreateProvider) { m.Attributes[1].Key = "region" }), types.ErrInvalidAttribute, "repeats attributes[0]"},
		{"too many attrs", create(func(m *types.MsgCreateProvider) {
			m.Attributes = nil
			for i := 0; i < 65; i++ {
				m.Attributes = append(m.Attributes, types.Attribute{Key: "k" + strings.Repeat("x", i+1), Value: "v"})
			}
		}), types.ErrInvalidAttribute, "at most 64"},
		{"email bad", create(func(m *types.MsgCreateProvider) { m.Info.Email = "ops" }), types.ErrInvalidInfo, "name@domain"},
		{"website bad", create(func(m *types.MsgCreateProvider) { m.Info.Website = "ftp://x" }), types.ErrInvalidInfo, "http(s) URL"},
		{"update ok", &types.MsgUpdateProvider{Owner: owner, HostURI: "https://p1:8443"}, nil, ""},
		{"update bad host", &types.MsgUpdateProvider{Owner: owner, HostURI: "https://"}, types.ErrInvalidHostURI, ""},
		{"delete ok", &types.MsgDeleteProvider{Owner: owner}, nil, ""},
		{"delete no owner", &types.MsgDeleteProvider{}, types.ErrInvalidAddress, "owner"},
		{"bond ok", &types.MsgBondStake{Provider: owner, Amount: sdk.NewInt64Coin("uakt", 1)}, nil, ""},
		{"bond zero", &types.MsgBondStake{Provider: owner, Amount: sdk.NewInt64Coin("uakt", 0)}, types.ErrInvalidAmount, "positive"},
		{"bond negative", &types.MsgBondStake{Provider: owner, Amount: sdk.Coin{Denom: "uakt", Amount: math.NewInt(-5)}}, types.ErrInvalidAmount, "1000000uakt"},
		{"bond bad denom", &types.MsgBondStake{Provider: owner, Amount: sdk.Coin{Denom: "1x", Amount: math.NewInt(5)}}, types.ErrInvalidAmount, ""},
		{"bond no provider", &types.MsgBondStake{Amount: sdk.NewInt64Coin("uakt", 1)}, types.ErrInvalidAddress, "provider is empty"},
		{"unbond ok", &types.MsgUnbondStake{Provider: owner, Amount: sdk.NewInt64Coin("uakt", 7)}, nil, ""},
		{"unbond nil amount", &types.MsgUnbondStake{Provider: owner}, types.ErrInvalidAmount, ""},
		{"params ok", &types.MsgUpdateParams{Authority: owner, Params: types.DefaultParams()}, nil, ""},
		{"params slash > 100%", &types.MsgUpdateParams{Authority: owner, Params: func() types.Params {
			p := types.DefaultParams()
			p.FaultSlashBps = 10_001
			return p
		}()}, types.ErrInvalidParams, "0..10000"},
		{"params negative unbonding", &types.MsgUpdateParams{Authority: owner, Params: func() types.Params {
			p := types.DefaultParams()
			p.UnbondingPeriod = -1
			return p
		}()}, types.ErrInvalidParams, "0 or more"},
		{"params bad reputation", &types.MsgUpdateParams{Authority: owner, Params: func() types.Params {
			p := types.DefaultParams()
			p.Reputation.PriorLeases = 0
			return p
		}()}, types.ErrInvalidParams, "prior leases"},
		{"params bad denom", &types.MsgUpdateParams{Authority: owner, Params: func() types.Params {
			p := types.DefaultParams()
			p.StakeDenom = "u"
			return p
		}()}, types.ErrInvalidParams, "stake_denom"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.msg.ValidateBasic()
			if c.err == nil {
				if err != nil {
					t.Fatalf("want ok, got %v", err)
				}
				return
			}
			if !c.err.Is(err) {
				t.Fatalf("got %v, want %v", err, c.err)
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Fatalf("error %q does not say %q", err, c.says)
			}
		})
	}
}

func TestGenesisValidate(t *testing.T) {
	ok := types.DefaultGenesis()
	ok.Providers = []types.Provider{{Owner: owner, HostURI: "https://p:1", Attributes: []types.Attribute{{Key: "a1", Value: "x"}, {Key: "b1", Value: "y"}}}}
	s := types.NewStake(owner)
	s.Bonded, s.Deposited, s.Released = math.NewInt(5), math.NewInt(9), math.NewInt(4)
	ok.Stakes = []types.Stake{s}
	ok.Histories = []types.History{{Provider: owner, Served: 3, Opened: 4}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := func(f func(g *types.GenesisState)) *types.GenesisState {
		g := *ok
		g.Providers = append([]types.Provider(nil), ok.Providers...)
		g.Stakes = append([]types.Stake(nil), ok.Stakes...)
		f(&g)
		return &g
	}
	cases := map[string]*types.GenesisState{
		"duplicate provider": bad(func(g *types.GenesisState) { g.Providers = append(g.Providers, g.Providers[0]) }),
		"unsorted attributes": bad(func(g *types.GenesisState) {
			g.Providers[0].Attributes = []types.Attribute{{Key: "b1", Value: "y"}, {Key: "a1", Value: "x"}}
		}),
		"stake does not add up": bad(func(g *types.GenesisState) { g.Stakes[0].Deposited = math.NewInt(10) }),
		"duplicate stake":       bad(func(g *types.GenesisState) { g.Stakes = append(g.Stakes, g.Stakes[0]) }),
		"bad params":            bad(func(g *types.GenesisState) { g.Params.StakeDenom = "" }),
	}
	for name, g := range cases {
		if err := g.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
