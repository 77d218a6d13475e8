package chainclient

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	mtypes "github.com/akash-market/akash/node/x/market/types"
	"github.com/akash-market/akash/provider/manager"
)

// sequence caches the account number and next sequence; a sequence
// mismatch drops the cache so the next tx reads it again.
type sequence struct {
	mu     sync.Mutex
	known  bool
	number uint64
	next   uint64
}

func (c *Client) account(ctx context.Context) (number, seq uint64, err error) {
	var resp authtypes.QueryAccountResponse
	if err := c.query(ctx, "/cosmos.auth.v1beta1.Query/Account", 0, &authtypes.QueryAccountRequest{Address: c.cfg.Provider}, &resp); err != nil {
		return 0, 0, fmt.Errorf("account %s: %w (is it funded?)", c.cfg.Provider, err)
	}
	var acc sdk.AccountI
	if err := c.cfg.Codec.InterfaceRegistry().UnpackAny(resp.Account, &acc); err != nil {
		return 0, 0, err
	}
	return acc.GetAccountNumber(), acc.GetSequence(), nil
}

// TxError is a tx the chain refused (CheckTx) or failed (in its block).
type TxError struct {
	Msg       string
	Code      uint32
	Codespace string
	Log       string
}

func (e *TxError) Error() string {
	return fmt.Sprintf("%s: %s code %d: %s", e.Msg, e.Codespace, e.Code, e.Log)
}

// send signs msg, broadcasts it and waits until it is in a block. Txs are
// sent one at a time (the daemon's tx worker), so one cached sequence is
// enough.
func (c *Client) send(ctx context.Context, what string, msg sdk.Msg) error {
	c.seq.mu.Lock()
	defer c.seq.mu.Unlock()
	if !c.seq.known {
		n, s, err := c.account(ctx)
		if err != nil {
			return err
		}
		c.seq.number, c.seq.next, c.seq.known = n, s, true
	}
	txf := tx.Factory{}.
		WithTxConfig(c.cfg.TxConfig).WithKeybase(c.cfg.Keyring).WithChainID(c.cfg.ChainID).
		WithAccountNumber(c.seq.number).WithSequence(c.seq.next).
		WithGas(c.cfg.Gas).WithFees(c.cfg.Fees).WithSignMode(signing.SignMode_SIGN_MODE_DIRECT)
	b, err := txf.BuildUnsignedTx(msg)
	if err != nil {
		return fmt.Errorf("%s: build tx: %w", what, err)
	}
	if err := tx.Sign(ctx, txf, c.cfg.KeyName, b, true); err != nil {
		return fmt.Errorf("%s: sign with key %q: %w", what, c.cfg.KeyName, err)
	}
	raw, err := c.cfg.TxConfig.TxEncoder()(b.GetTx())
	if err != nil {
		return err
	}
	res, err := c.rpc.BroadcastTxSync(ctx, raw)
	if err != nil {
		c.seq.known = false // we cannot tell whether it entered the mempool
		return fmt.Errorf("%s: broadcast to %s: %w", what, c.cfg.RPC, err)
	}
	if res.Code != 0 {
		if res.Codespace == sdkerrors.RootCodespace && res.Code == sdkerrors.ErrWrongSequence.ABCICode() {
			c.seq.known = false
		}
		return &TxError{Msg: what + " refused", Code: res.Code, Codespace: res.Codespace, Log: res.Log}
	}
	c.seq.next++
	deadline := time.Now().Add(c.cfg.TxTimeout)
	for {
		r, err := c.rpc.Tx(ctx, res.Hash, false)
		if err == nil {
			if r.TxResult.Code != 0 {
				return &TxError{Msg: fmt.Sprintf("%s failed in block %d", what, r.Height), Code: r.TxResult.Code, Codespace: r.TxResult.Codespace, Log: r.TxResult.Log}
			}
			return nil
		}
		if time.Now().After(deadline) {
			c.seq.known = false
			return fmt.Errorf("%s: tx %X not in a block after %s: %w", what, res.Hash, c.cfg.TxTimeout, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// PlaceBid implements manager.ChainClient.
func (c *Client) PlaceBid(ctx context.Context, order market.OrderID, price, deposit money.Coin, offer manifest.Totals) error {
	msg := &mtypes.MsgCreateBid{
		Provider:  c.cfg.Provider,
		Order:     mtypes.OrderIDFromCore(order),
		Price:     mtypes.DecCoinFromCore(price),
		Resources: mtypes.ResourcesFromCore(offer),
	}
	if deposit.Denom != "" {
		amt, ok := sdkmathInt(deposit.Amount)
		if !ok {
			return fmt.Errorf("bid deposit %s is not a whole number of %s; deposits are whole coins", deposit, deposit.Denom)
		}
		msg.Deposit = sdk.Coin{Denom: deposit.Denom, Amount: amt}
	}
	return classify(c.send(ctx, "bid on "+order.String(), msg))
}

// CloseLease implements manager.ChainClient.
func (c *Client) CloseLease(ctx context.Context, id market.LeaseID, cl lease.Closure) error {
	return classify(c.send(ctx, "close lease "+id.String(), &mtypes.MsgCloseLease{
		Sender: c.cfg.Provider, Lease: mtypes.BidIDFromCore(id), Reason: cl.Reason.String(), Detail: cl.Detail,
	}))
}

// Withdraw implements manager.ChainClient.
func (c *Client) Withdraw(ctx context.Context, id market.LeaseID) error {
	return classify(c.send(ctx, "withdraw from lease "+id.String(), &mtypes.MsgWithdrawLease{Provider: c.cfg.Provider, Lease: mtypes.BidIDFromCore(id)}))
}

// classify wraps chain refusals in the manager's sentinel errors so the bid
// engine knows whether to retry.
func classify(err error) error {
	te, ok := err.(*TxError)
	if !ok {
		return err // transport, timeout: may pass
	}
	if te.Codespace == mtypes.ModuleName {
		switch te.Code {
		case mtypes.Code(market.ErrDuplicateBid):
			return fmt.Errorf("%w: %v", manager.ErrBidExists, te)
		case mtypes.ErrOrderNotFound.ABCICode(), mtypes.Code(market.ErrUnknownOrder), mtypes.Code(market.ErrBiddingClosed),
			mtypes.Code(market.ErrIneligible), mtypes.Code(market.ErrSealedOrder), mtypes.ErrUnknownProvider.ABCICode(),
			mtypes.ErrUnauthorized.ABCICode(), mtypes.ErrLeaseClosed.ABCICode(), mtypes.ErrLeaseNotFound.ABCICode(),
			mtypes.ErrInvalidPrice.ABCICode(), mtypes.Code(market.ErrInvalidDeposit), mtypes.ErrInvalidResources.ABCICode():
			return fmt.Errorf("%w: %v", manager.ErrRejected, te)
		}
	}
	if te.Codespace == sdkerrors.RootCodespace && (te.Code == sdkerrors.ErrInsufficientFunds.ABCICode() || te.Code == sdkerrors.ErrInsufficientFee.ABCICode() || te.Code == sdkerrors.ErrUnauthorized.ABCICode()) {
		return fmt.Errorf("%w: %v", manager.ErrRejected, te)
	}
	return te
}
