package types_test

import (
	"bytes"
	"testing"

	"github.com/cosmos/gogoproto/proto"

	"github.com/akash-market/akash/node/x/market/types"
)

// FuzzDecodeMsgs: every market Msg decodes arbitrary bytes without panicking,
// and whatever decodes re-encodes to bytes that decode to an equal message
// (so ValidateBasic sees the same message a validator stored). ValidateBasic
// itself must not panic on anything that decodes.
func FuzzDecodeMsgs(f *testing.F) {
	seeds := []proto.Message{
		&types.MsgCreateBid{Provider: provider, Order: order, Price: price, Resources: res},
		&types.MsgCommitBid{Provider: provider, Order: order, Commitment: make([]byte, 32), Resources: res},
		&types.MsgRevealBid{Provider: provider, Reveal: reveal(provider)},
		&types.MsgCloseBid{Provider: provider, Order: order},
		&types.MsgCloseLease{Sender: tenant, Lease: lid, Reason: "tenant-closed"},
		&types.MsgWithdrawLease{Provider: provider, Lease: lid},
		&types.MsgUpdateParams{Authority: tenant, Params: types.DefaultParams()},
		&types.MsgCreateLease{Owner: tenant, Bid: lid},
	}
	for i, m := range seeds {
		bz, err := proto.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), bz)
	}
	f.Fuzz(func(t *testing.T, which uint8, bz []byte) {
		news := []func() proto.Message{
			func() proto.Message { return &types.MsgCreateBid{} },
			func() proto.Message { return &types.MsgCommitBid{} },
			func() proto.Message { return &types.MsgRevealBid{} },
			func() proto.Message { return &types.MsgCloseBid{} },
			func() proto.Message { return &types.MsgCloseLease{} },
			func() proto.Message { return &types.MsgWithdrawLease{} },
			func() proto.Message { return &types.MsgUpdateParams{} },
			func() proto.Message { return &types.MsgCreateLease{} },
		}
		m := news[int(which)%len(news)]()
		if err := proto.Unmarshal(bz, m); err != nil {
			return
		}
		if vb, ok := m.(interface{ ValidateBasic() error }); ok {
			_ = vb.ValidateBasic()
		}
		again, err := proto.Marshal(m)
		if err != nil {
			t.Fatalf("%T decoded but does not encode: %v", m, err)
		}
		m2 := news[int(which)%len(news)]()
		if err := proto.Unmarshal(again, m2); err != nil {
			t.Fatalf("%T re-encoding does not decode: %v", m, err)
		}
		// (gogoproto's Equal panics on a decoded DecCoin with no amount, so
		// compare encodings: they are canonical for these messages.)
		third, err := proto.Marshal(m2)
		if err != nil || !bytes.Equal(again, third) {
			t.Fatalf("%T changed in a round trip: %x vs %x (%v)", m, again, third, err)
		}
	})
}
