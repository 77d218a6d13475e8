package types_test

import (
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/node/x/provider/types"
)

// FuzzMsgs decodes arbitrary bytes as every provider Msg type: decoding and
// ValidateBasic must never panic, and a message that decodes and validates
// must survive a re-encode unchanged.
func FuzzMsgs(f *testing.F) {
	seed := []sdk.Msg{
		&types.MsgCreateProvider{Owner: owner, HostURI: "https://p1:8443", Attributes: []types.Attribute{{Key: "region", Value: "us-west"}}},
		&types.MsgUpdateProvider{Owner: owner, HostURI: "https://p1:8443", Info: types.Info{Email: "a@b"}},
		&types.MsgDeleteProvider{Owner: owner},
		&types.MsgBondStake{Provider: owner, Amount: sdk.NewInt64Coin("uakt", 5)},
		&types.MsgUnbondStake{Provider: owner, Amount: sdk.NewInt64Coin("uakt", 5)},
		&types.MsgUpdateParams{Authority: owner, Params: types.DefaultParams()},
	}
	for i, m := range seed {
		bz, err := m.(interface{ Marshal() ([]byte, error) }).Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), bz)
	}
	type msg interface {
		sdk.Msg
		Unmarshal([]byte) error
		Marshal() ([]byte, error)
		ValidateBasic() error
	}
	fresh := func(kind uint8) msg {
		return []msg{
			&types.MsgCreateProvider{}, &types.MsgUpdateProvider{}, &types.MsgDeleteProvider{},
			&types.MsgBondStake{}, &types.MsgUnbondStake{}, &types.MsgUpdateParams{},
		}[int(kind)%6]
	}
	f.Fuzz(func(t *testing.T, kind uint8, bz []byte) {
		m := fresh(kind)
		if err := m.Unmarshal(bz); err != nil {
			return
		}
		if m.ValidateBasic() != nil {
			return
		}
		out, err := m.Marshal()
		if err != nil {
			t.Fatalf("%T validated but does not re-encode: %v", m, err)
		}
		again := fresh(kind)
		if err := again.Unmarshal(out); err != nil {
			t.Fatalf("%T re-encoding does not decode: %v", m, err)
		}
		if err := again.ValidateBasic(); err != nil {
			t.Fatalf("%T valid before a round trip, invalid after: %v", m, err)
		}
	})
}
