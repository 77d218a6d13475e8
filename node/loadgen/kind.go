package loadgen

import (
	"fmt"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
)

// Kind is the sort of transaction a run sends. Msgs is the content of the
// j-th tx of sender from; Budget is what one tx costs the sender besides its
// fee (the funding step gives every sender enough for all its txs).
type Kind interface {
	Name() string
	Msgs(from Account, j int) ([]sdk.Msg, error)
	Gas() uint64
	Budget() sdk.Coins
	// Setup runs once before signing, after the senders are funded (e.g.
	// market bids need an open order to bid on); nil when nothing is needed.
	Setup(r *Run) error
}

// Send is a 1uakt bank send to a fixed sink account: the cheapest tx with a
// signature, a fee and a state change, i.e. the ante handler's floor.
type Send struct{}

// SendSink is where Send txs go: the address of a key no run uses as a
// sender, so sender balances change only by what they sent.
var SendSink = sdk.AccAddress(senderKey(^uint64(0), 0).PubKey().Address())

func (Send) Name() string { return "send" }

func (Send) Msgs(from Account, _ int) ([]sdk.Msg, error) {
	return []sdk.Msg{banktypes.NewMsgSend(from.Address, SendSink, sdk.NewCoins(sdk.NewCoin(sdk.DefaultBondDenom, sdkmath.OneInt())))}, nil
}

// Gas of one send: about 70k gas used measured on the devnet; 100k leaves room.
func (Send) Gas() uint64 { return 100_000 }

func (Send) Budget() sdk.Coins {
	return sdk.NewCoins(sdk.NewCoin(sdk.DefaultBondDenom, sdkmath.OneInt()))
}

func (Send) Setup(*Run) error { return nil }

// KindByName resolves --kind to a fresh Kind.
func KindByName(name string) (Kind, error) {
	switch name {
	case "send":
		return Send{}, nil
	case "bid":
		return NewBid(), nil
	}
	return nil, fmt.Errorf("loadgen: --kind %q: want send or bid", name)
}
