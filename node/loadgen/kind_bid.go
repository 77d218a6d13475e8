package loadgen

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	deploymenttypes "github.com/akash-market/akash/node/x/deployment/types"
	markettypes "github.com/akash-market/akash/node/x/market/types"
	providertypes "github.com/akash-market/akash/node/x/provider/types"
)

// Bid is an open market bid (MsgCreateBid) per tx: the bulk of a market's
// traffic. Setup makes every sender a provider (region=us-west) and the
// funder a tenant with one deployment (one group, so one order) per bid a
// sender will place; sender s's j-th tx bids on order j. Every bid carries
// the minimum bid deposit, which is refunded when the order closes.
//
// All orders open in the same block and close bid_window_blocks later, so
// the whole load must land within that window: run it on a devnet started
// with a wide window (akash-node devnet --bid-window 300).
type Bid struct {
	orders []markettypes.OrderID
}

// NewBid is the bid load kind.
func NewBid() *Bid { return &Bid{} }

func (*Bid) Name() string { return "bid" }

// Gas of one bid: the keeper's writes (bid, index, deposit escrow) plus the
// ante handler; 250k leaves room.
func (*Bid) Gas() uint64 { return 250_000 }

var (
	bidDeposit     = markettypes.DefaultBidMinDeposit
	bidResources   = markettypes.Resources{CPUMillis: 1000, MemoryBytes: 1 << 30, StorageBytes: 1 << 30}
	bidAttributes  = []providertypes.Attribute{{Key: "region", Value: "us-west"}}
	orderMaxPrice  = sdk.NewDecCoin(sdk.DefaultBondDenom, sdkmath.NewInt(1_500_000))
	deploymentFund = sdk.NewInt64Coin(sdk.DefaultBondDenom, 50_000_000)
)

func (*Bid) Budget() sdk.Coins { return sdk.NewCoins(bidDeposit) }

func (b *Bid) Msgs(from Account, j int) ([]sdk.Msg, error) {
	if j >= len(b.orders) {
		return nil, fmt.Errorf("loadgen: bid %d of %s: only %d orders were opened", j, from.Address, len(b.orders))
	}
	// Distinct prices per sender so the match has a single winner.
	price := sdk.NewDecCoin(sdk.DefaultBondDenom, sdkmath.NewInt(1_000_000+int64(from.Number%1000)))
	return []sdk.Msg{&markettypes.MsgCreateBid{
		Provider: from.Address.String(), Order: b.orders[j], Price: price, Resources: bidResources, Deposit: bidDeposit,
	}}, nil
}

// Setup registers the senders as providers and opens the orders.
func (b *Bid) Setup(r *Run) error {
	ctx := context.Background()
	var txs [][]byte
	for i := range r.Senders {
		a := &r.Senders[i]
		tx, err := r.sign(*a, []sdk.Msg{&providertypes.MsgCreateProvider{
			Owner: a.Address.String(), HostURI: "https://loadgen.example.com:8443", Attributes: bidAttributes,
		}}, 200_000, r.fee())
		if err != nil {
			return err
		}
		txs = append(txs, tx)
		a.Sequence++
	}
	if err := r.broadcastAll(ctx, txs, func(log string) bool { return strings.Contains(log, "exist") }); err != nil {
		return fmt.Errorf("registering providers: %w", err)
	}
	// A provider that was already registered (same seed as an earlier run)
	// did not use its sequence: read them again.
	for i := range r.Senders {
		a, err := r.account(ctx, r.Senders[i].Key)
		if err != nil {
			return err
		}
		r.Senders[i] = a
	}

	orders := r.perSender(0)
	top, err := r.height(ctx)
	if err != nil {
		return err
	}
	base := uint64(top)*10_000 + uint64(time.Now().Unix()%10_000) // fresh dseqs per run
	version := sha256.Sum256([]byte("akash-loadgen"))
	txs = txs[:0]
	var msgs []sdk.Msg
	flush := func() error {
		if len(msgs) == 0 {
			return nil
		}
		tx, err := r.sign(r.Funder, msgs, 200_000*uint64(len(msgs)), r.fee())
		if err != nil {
			return err
		}
		txs = append(txs, tx)
		r.Funder.Sequence++
		msgs = nil
		return nil
	}
	b.orders = nil
	for j := range orders {
		dseq := base + uint64(j)
		msgs = append(msgs, &deploymenttypes.MsgCreateDeployment{
			Owner: r.Funder.Address.String(), Dseq: dseq, Version: version[:], Deposit: deploymentFund,
			Groups: []deploymenttypes.GroupSpec{{Name: "load",
				Requirements: deploymenttypes.PlacementRequirements{Attributes: []deploymenttypes.Attribute{{Key: "region", Value: "us-west"}}},
				Resources: []deploymenttypes.ResourceUnit{{CPUMillis: 1000, MemoryBytes: 1 << 30,
					Storage: []deploymenttypes.Storage{{Name: "default", Bytes: 1 << 30}}, Count: 1, Price: orderMaxPrice}}}},
		})
		b.orders = append(b.orders, markettypes.OrderID{Owner: r.Funder.Address.String(), DSeq: dseq, GSeq: 1, OSeq: 1})
		if len(msgs) == 100 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if err := r.broadcastAll(ctx, txs, nil); err != nil {
		return fmt.Errorf("opening %d orders: %w", orders, err)
	}
	return nil
}

// broadcastAll sends txs in order and waits until each is in a block; a
// CheckTx or DeliverTx failure is an error unless tolerate(log) says otherwise.
func (r *Run) broadcastAll(ctx context.Context, txs [][]byte, tolerate func(log string) bool) error {
	var hashes [][]byte
	for _, tx := range txs {
		res, err := r.rpc.BroadcastTxSync(ctx, tx)
		if err != nil {
			return err
		}
		if res.Code != 0 {
			if tolerate != nil && tolerate(res.Log) {
				continue
			}
			return fmt.Errorf("CheckTx code %d: %s", res.Code, res.Log)
		}
		hashes = append(hashes, res.Hash)
	}
	for _, h := range hashes {
		if err := r.waitTx(ctx, h, 60*time.Second); err != nil {
			if tolerate != nil && tolerate(err.Error()) {
				continue
			}
			return err
		}
	}
	return nil
}
