package types_test

import (
	"crypto/sha256"
	"strings"
	"testing"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/gogoproto/proto"

	_ "github.com/akash-market/akash/node/app" // sets the akash bech32 prefix
	"github.com/akash-market/akash/node/x/deployment/types"
)

const owner = "akash1qyqszqgpqyqszqgpqyqszqgpqyqszqgplgve5x"

func validCreate() *types.MsgCreateDeployment {
	v := sha256.Sum256([]byte("m"))
	return &types.MsgCreateDeployment{Owner: owner, Dseq: 1, Version: v[:], Deposit: sdk.NewInt64Coin("uakt", 5_000_000),
		Groups: []types.GroupSpec{{Name: "web", Resources: []types.ResourceUnit{{CPUMillis: 100, MemoryBytes: 1, Count: 1,
			Price: sdk.NewDecCoinFromDec("uakt", math.LegacyMustNewDecFromStr("0.5"))}}}}}
}

func TestValidateBasic(t *testing.T) {
	if _, err := sdk.AccAddressFromBech32(owner); err != nil {
		t.Fatalf("test owner address: %v", err)
	}
	cases := []struct {
		name string
		edit func(m *types.MsgCreateDeployment)
		want string // substring of the error; "" = valid
	}{
		{"valid", func(*types.MsgCreateDeployment) {}, ""},
		{"bad owner", func(m *types.MsgCreateDeployment) { m.Owner = "cosmos1xyz" }, "owner"},
		{"dseq 0", func(m *types.MsgCreateDeployment) { m.Dseq = 0 }, "dseq: 0"},
		{"short version", func(m *types.MsgCreateDeployment) { m.Version = m.Version[:31] }, "version: 31 bytes"},
		{"zero deposit", func(m *types.MsgCreateDeployment) { m.Deposit = sdk.NewInt64Coin("uakt", 0) }, "deposit"},
		{"no groups", func(m *types.MsgCreateDeployment) { m.Groups = nil }, "groups: empty"},
		{"dup group", func(m *types.MsgCreateDeployment) { m.Groups = append(m.Groups, m.Groups[0]) }, "groups[1].name \"web\""},
		{"no name", func(m *types.MsgCreateDeployment) { m.Groups[0].Name = "" }, "groups[0].name: empty"},
		{"no units", func(m *types.MsgCreateDeployment) { m.Groups[0].Resources = nil }, "groups[0].resources: empty"},
		{"count 0", func(m *types.MsgCreateDeployment) { m.Groups[0].Resources[0].Count = 0 }, "groups[0].resources[0].count: 0"},
		{"cpu 0", func(m *types.MsgCreateDeployment) { m.Groups[0].Resources[0].CPUMillis = 0 }, "cpu_millis: 0"},
		{"memory 0", func(m *types.MsgCreateDeployment) { m.Groups[0].Resources[0].MemoryBytes = 0 }, "memory_bytes: 0"},
		{"no price", func(m *types.MsgCreateDeployment) { m.Groups[0].Resources[0].Price = sdk.DecCoin{Denom: "uakt"} }, "price: missing"},
		{"zero price", func(m *types.MsgCreateDeployment) {
			m.Groups[0].Resources[0].Price = sdk.NewDecCoinFromDec("uakt", math.LegacyZeroDec())
		}, "must be more than zero"},
		{"negative price", func(m *types.MsgCreateDeployment) {
			m.Groups[0].Resources[0].Price = sdk.DecCoin{Denom: "uakt", Amount: math.LegacyMustNewDecFromStr("-1")}
		}, "price"},
		{"denom mismatch", func(m *types.MsgCreateDeployment) {
			m.Groups[0].Resources[0].Price = sdk.NewDecCoinFromDec("uatom", math.LegacyOneDec())
		}, "differs from the deposit's"},
		{"empty attribute key", func(m *types.MsgCreateDeployment) {
			m.Groups[0].Requirements.Attributes = []types.Attribute{{Value: "x"}}
		}, "attributes[0].key: empty"},
		// the network's per-group limits, as the SDL parser applies them
		{"cpu above the group limit", func(m *types.MsgCreateDeployment) {
			m.Groups[0].Resources[0].CPUMillis, m.Groups[0].Resources[0].Count = 384_000, 51
		}, "groups[0].resources: manifest: outside network limits: total cpu over all replicas is 19584000m, above the network's limit of 19200000m per group"},
		{"cpu at the group limit", func(m *types.MsgCreateDeployment) {
			m.Groups[0].Resources[0].CPUMillis, m.Groups[0].Resources[0].Count = 384_000, 50
		}, ""},
		{"memory above the group limit", func(m *types.MsgCreateDeployment) {
			m.Groups[0].Resources[0].MemoryBytes, m.Groups[0].Resources[0].Count = 2<<40, 51
		}, "total memory over all replicas is 102Ti"},
		{"gpu above the group limit", func(m *types.MsgCreateDeployment) {
			m.Groups[0].Resources[0].GPUUnits, m.Groups[0].Resources[0].Count = 24, 51
		}, "total gpu over all replicas is 1224"},
		{"totals overflow", func(m *types.MsgCreateDeployment) {
			m.Groups[0].Resources[0].MemoryBytes, m.Groups[0].Resources[0].Count = 1<<63, 4
		}, "overflows"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := validCreate()
			c.edit(m)
			err := m.ValidateBasic()
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("valid msg rejected: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("err = %v; want one containing %q", err, c.want)
			}
		})
	}
	v := sha256.Sum256([]byte("x"))
	for _, c := range []struct {
		msg  interface{ ValidateBasic() error }
		want string
	}{
		{&types.MsgDepositDeployment{Owner: owner, Dseq: 1, Depositor: owner, Amount: sdk.NewInt64Coin("uakt", 1)}, ""},
		{&types.MsgDepositDeployment{Owner: owner, Dseq: 1, Depositor: "x", Amount: sdk.NewInt64Coin("uakt", 1)}, "depositor"},
		{&types.MsgDepositDeployment{Owner: owner, Dseq: 1, Depositor: owner, Amount: sdk.NewInt64Coin("uakt", 0)}, "amount"},
		{&types.MsgUpdateDeployment{Owner: owner, Dseq: 1, Version: v[:], Groups: validCreate().Groups}, ""},
		{&types.MsgUpdateDeployment{Owner: owner, Dseq: 1, Version: v[:]}, "groups: empty"},
		{&types.MsgUpdateDeployment{Owner: owner, Dseq: 1}, "version: 0 bytes"},
		{&types.MsgCloseDeployment{Owner: owner, Dseq: 1}, ""},
		{&types.MsgCloseDeployment{Owner: owner}, "dseq: 0"},
	} {
		err := c.msg.ValidateBasic()
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%T: err = %v; want %q", c.msg, err, c.want)
		}
	}
}

// FuzzMsgs decodes every deployment Msg type (the first byte picks it) and
// runs ValidateBasic: nothing may panic, and a decoded msg re-encodes to
// bytes that decode to an equal msg.
func FuzzMsgs(f *testing.F) {
	seeds := []proto.Message{validCreate(),
		&types.MsgDepositDeployment{Owner: owner, Dseq: 1, Depositor: owner, Amount: sdk.NewInt64Coin("uakt", 1)},
		&types.MsgUpdateDeployment{Owner: owner, Dseq: 1, Version: make([]byte, 32), Groups: validCreate().Groups},
		&types.MsgCloseDeployment{Owner: owner, Dseq: 1}}
	for i, m := range seeds {
		bz, err := proto.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(append([]byte{byte(i)}, bz...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		newMsg := []func() interface {
			proto.Message
			ValidateBasic() error
		}{
			func() interface {
				proto.Message
				ValidateBasic() error
			} {
				return &types.MsgCreateDeployment{}
			},
			func() interface {
				proto.Message
				ValidateBasic() error
			} {
				return &types.MsgDepositDeployment{}
			},
			func() interface {
				proto.Message
				ValidateBasic() error
			} {
				return &types.MsgUpdateDeployment{}
			},
			func() interface {
				proto.Message
				ValidateBasic() error
			} {
				return &types.MsgCloseDeployment{}
			},
		}
		pick := newMsg[int(data[0])%len(newMsg)]
		m := pick()
		if err := proto.Unmarshal(data[1:], m); err != nil {
			return
		}
		_ = m.ValidateBasic()
		bz, err := proto.Marshal(m)
		if err != nil {
			t.Fatalf("re-marshal: %v", err)
		}
		m2 := pick()
		if err := proto.Unmarshal(bz, m2); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		bz2, _ := proto.Marshal(m2)
		if string(bz) != string(bz2) {
			t.Fatalf("encoding not stable")
		}
	})
}
