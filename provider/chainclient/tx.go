package chainclient

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	mtypes "github.com/akash-market/akash/node/x/market/types"
	"github.com/akash-market/akash/provider/bidengine"
	"github.com/akash-market/akash/provider/manager"
)

// sequence caches the account number and the next sequence. Transactions
// are signed and broadcast one at a time under mu, but several may wait for
// their block at once (pipelined sequences); a refusal or a lost tx drops
// the cache so the next tx reads the account again.
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
	// Index is the failed message of a multi-message tx (from the log's
	// "message index: N"), -1 when the whole tx failed (fees, sequence).
	Index int
	// InBlock: the tx was in a block (its sequence was used); false: refused
	// before the mempool.
	InBlock bool
}

func (e *TxError) Error() string {
	s := fmt.Sprintf("%s: %s code %d: %s", e.Msg, e.Codespace, e.Code, e.Log)
	if e.Codespace == "undefined" {
		// The module returned an error it never registered; the SDK hides
		// its text from clients.
		s += " (the chain gave no reason: the module returned an unregistered error; the node's log at this height has it)"
	}
	return s
}

var (
	reMsgIndex    = regexp.MustCompile(`message index: (\d+)`)
	reExpectedSeq = regexp.MustCompile(`expected (\d+), got \d+`)
)

func msgIndex(log string) int {
	m := reMsgIndex.FindStringSubmatch(log)
	if m == nil {
		return -1
	}
	i, err := strconv.Atoi(m[1])
	if err != nil {
		return -1
	}
	return i
}

// factory is the tx factory for the client's key at the cached sequence.
func (c *Client) factory() tx.Factory {
	return tx.Factory{}.
		WithTxConfig(c.cfg.TxConfig).WithKeybase(c.cfg.Keyring).WithChainID(c.cfg.ChainID).WithFromName(c.cfg.KeyName).
		WithAccountNumber(c.seq.number).WithSequence(c.seq.next).WithSignMode(signing.SignMode_SIGN_MODE_DIRECT).
		WithGasPrices(c.cfg.GasPrices).WithSimulateAndExecute(c.cfg.GasAuto)
}

// gas is the gas limit and fee of a tx of msgs: simulated (times the
// adjustment) with GasAuto, else Gas per message; the fee is GasPrices times
// the limit, or Fees per message.
func (c *Client) gas(ctx context.Context, txf tx.Factory, msgs []sdk.Msg) (tx.Factory, error) {
	n := uint64(len(msgs))
	limit := c.cfg.Gas * n
	if c.cfg.GasAuto {
		used, err := c.simulate(ctx, txf, msgs)
		if err != nil {
			return txf, err
		}
		adj := c.cfg.GasAdjustment
		if adj <= 0 {
			adj = DefaultGasAdjustment
		}
		limit = uint64(math.Ceil(float64(used) * adj))
	}
	txf = txf.WithGas(limit)
	if c.cfg.Fees != "" {
		fee, err := sdk.ParseCoinsNormalized(c.cfg.Fees)
		if err != nil {
			return txf, fmt.Errorf("fees %q: %w (e.g. 5000uakt)", c.cfg.Fees, err)
		}
		total := sdk.NewCoins()
		for range n {
			total = total.Add(fee...)
		}
		txf = txf.WithFees(total.String())
	}
	return txf, nil
}

// simulate runs msgs through the node's tx simulation and returns the gas
// they used.
func (c *Client) simulate(ctx context.Context, txf tx.Factory, msgs []sdk.Msg) (uint64, error) {
	bz, err := txf.BuildSimTx(msgs...)
	if err != nil {
		return 0, fmt.Errorf("build simulation tx: %w", err)
	}
	var resp txtypes.SimulateResponse
	if err := c.query(ctx, "/cosmos.tx.v1beta1.Service/Simulate", 0, &txtypes.SimulateRequest{TxBytes: bz}, &resp); err != nil {
		var qe *QueryError
		if errors.As(err, &qe) {
			return 0, &TxError{Msg: "simulation refused", Code: qe.Code, Codespace: qe.Codespace, Log: qe.Log, Index: msgIndex(qe.Log)}
		}
		return 0, err
	}
	if resp.GasInfo == nil {
		return 0, errors.New("simulation returned no gas info")
	}
	return resp.GasInfo.GasUsed, nil
}

// broadcast signs msgs as one tx with the next sequence and hands it to the
// node (CheckTx). It returns the tx hash once the mempool took it; the
// caller waits for the block with await. Several txs may be in flight: the
// sequence advances on every accepted tx.
func (c *Client) broadcast(ctx context.Context, what string, msgs []sdk.Msg) ([]byte, error) {
	c.seq.mu.Lock()
	defer c.seq.mu.Unlock()
	for attempt := 0; ; attempt++ {
		if !c.seq.known {
			n, s, err := c.account(ctx)
			if err != nil {
				return nil, err
			}
			c.seq.number, c.seq.next, c.seq.known = n, s, true
		}
		txf, err := c.gas(ctx, c.factory(), msgs)
		if err != nil {
			return nil, fmt.Errorf("%s: gas: %w", what, err)
		}
		b, err := txf.BuildUnsignedTx(msgs...)
		if err != nil {
			return nil, fmt.Errorf("%s: build tx: %w", what, err)
		}
		if err := tx.Sign(ctx, txf, c.cfg.KeyName, b, true); err != nil {
			return nil, fmt.Errorf("%s: sign with key %q: %w", what, c.cfg.KeyName, err)
		}
		raw, err := c.cfg.TxConfig.TxEncoder()(b.GetTx())
		if err != nil {
			return nil, err
		}
		res, err := c.rpc.BroadcastTxSync(ctx, raw)
		if err != nil {
			c.seq.known = false // we cannot tell whether it entered the mempool
			return nil, fmt.Errorf("%s: broadcast to %s: %w", what, c.cfg.RPC, err)
		}
		if res.Code == 0 {
			c.seq.next++
			return res.Hash, nil
		}
		if res.Codespace == sdkerrors.RootCodespace && res.Code == sdkerrors.ErrWrongSequence.ABCICode() {
			// Another signer of this key, or a tx of ours the mempool
			// dropped: sign once more with the sequence the node expects
			// (its mempool's, past our txs still waiting for a block), or
			// the account's.
			c.seq.known = false
			if m := reExpectedSeq.FindStringSubmatch(res.Log); m != nil {
				if next, err := strconv.ParseUint(m[1], 10, 64); err == nil {
					c.seq.next, c.seq.known = next, true // the account number stays
				}
			}
			if attempt == 0 {
				continue
			}
		}
		return nil, &TxError{Msg: what + " refused", Code: res.Code, Codespace: res.Codespace, Log: res.Log, Index: msgIndex(res.Log)}
	}
}

// await waits until the tx with hash is in a block. A tx that failed there
// is a *TxError with InBlock set.
func (c *Client) await(ctx context.Context, what string, hash []byte) error {
	deadline := time.Now().Add(c.cfg.TxTimeout)
	for {
		r, err := c.rpc.Tx(ctx, hash, false)
		if err == nil {
			if r.TxResult.Code != 0 {
				return &TxError{Msg: fmt.Sprintf("%s failed in block %d", what, r.Height), Code: r.TxResult.Code, Codespace: r.TxResult.Codespace,
					Log: r.TxResult.Log, Index: msgIndex(r.TxResult.Log), InBlock: true}
			}
			return nil
		}
		if time.Now().After(deadline) {
			c.seq.mu.Lock()
			c.seq.known = false // it may never come: later sequences would wait behind it
			c.seq.mu.Unlock()
			return fmt.Errorf("%s: tx %X not in a block after %s: %w", what, hash, c.cfg.TxTimeout, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// send signs msgs into one tx, broadcasts it and waits until it is in a
// block.
func (c *Client) send(ctx context.Context, what string, msgs ...sdk.Msg) error {
	hash, err := c.broadcast(ctx, what, msgs)
	if err != nil {
		return err
	}
	return c.await(ctx, what, hash)
}

// Submit implements manager.ChainClient: the actions' messages go into one
// transaction. It returns once the node's mempool took it; the Landing
// waits for the block and reports one error per action. A message that
// failed (in the block, or in the simulation of --gas auto) fails only its
// own action: the others (reverted with it) are sent again in a new
// transaction, until each landed or failed.
func (c *Client) Submit(ctx context.Context, acts []bidengine.Action) (manager.Landing, error) {
	b := &batch{acts: acts, errs: make([]error, len(acts)), what: batchName(acts)}
	for i, a := range acts {
		m, err := c.msgOf(a)
		if err != nil {
			return nil, err
		}
		b.msgs = append(b.msgs, m)
		b.idx = append(b.idx, i)
	}
	hash, err := b.broadcast(ctx, c)
	if err != nil && len(b.msgs) == len(acts) {
		return nil, classify(err) // nothing sent, nothing singled out: one answer for all
	}
	return func(ctx context.Context) []error {
		for err == nil {
			err = c.await(ctx, b.what, hash)
			if err == nil || !b.single(err) {
				break
			}
			hash, err = b.broadcast(ctx, c)
		}
		for _, i := range b.idx {
			b.errs[i] = classify(err)
		}
		return b.errs
	}, nil
}

// batch is the messages of a Submit not yet landed or failed.
type batch struct {
	acts []bidengine.Action
	errs []error   // per action
	msgs []sdk.Msg // still to land
	idx  []int     // msgs[i] is acts[idx[i]]
	what string
}

// broadcast sends what is left; a simulation that singles out one message
// fails that message and sends the rest.
func (b *batch) broadcast(ctx context.Context, c *Client) ([]byte, error) {
	for {
		hash, err := c.broadcast(ctx, b.what, b.msgs)
		if err == nil || !b.single(err) {
			return hash, err
		}
	}
}

// single records err against the one message it names, when the batch has
// others that may pass, and drops that message. It reports whether it did.
func (b *batch) single(err error) bool {
	var te *TxError
	if !errors.As(err, &te) || te.Index < 0 || te.Index >= len(b.msgs) || len(b.msgs) == 1 {
		return false
	}
	bad := te.Index
	one := *te
	one.Msg = fmt.Sprintf("%s (message %d of a transaction of %d: %s)", actName(b.acts[b.idx[bad]]), bad, len(b.msgs), te.Msg)
	b.errs[b.idx[bad]] = classify(&one)
	b.msgs = append(b.msgs[:bad:bad], b.msgs[bad+1:]...)
	b.idx = append(b.idx[:bad:bad], b.idx[bad+1:]...)
	return true
}

func batchName(acts []bidengine.Action) string {
	if len(acts) == 1 {
		return actName(acts[0])
	}
	return fmt.Sprintf("batch of %d messages", len(acts))
}

func actName(a bidengine.Action) string {
	switch a.Kind {
	case bidengine.PlaceBid:
		if a.Sealed {
			return "sealed bid on " + a.Order.String()
		}
		return "bid on " + a.Order.String()
	case bidengine.RevealBid:
		return "reveal of the sealed bid on " + a.Order.String()
	case bidengine.CloseLease:
		return "close lease " + a.Lease.String()
	case bidengine.Withdraw:
		return "withdraw from lease " + a.Lease.String()
	}
	return a.Kind.String()
}

// msgOf is the chain message of a tx action.
func (c *Client) msgOf(a bidengine.Action) (sdk.Msg, error) {
	switch a.Kind {
	case bidengine.PlaceBid:
		msg, err := c.bidMsg(a.Order, a.Price, a.Deposit, a.Offer)
		if err != nil || !a.Sealed {
			return msg, err
		}
		if a.Reveal == nil {
			return nil, fmt.Errorf("sealed bid on %s has no reveal to commit to (the daemon keeps one per sealed bid)", a.Order)
		}
		cm := a.Reveal.Commitment()
		return &mtypes.MsgCommitBid{Provider: msg.Provider, Order: msg.Order, Commitment: cm[:], Resources: msg.Resources, Deposit: msg.Deposit}, nil
	case bidengine.RevealBid:
		if a.Reveal == nil {
			return nil, fmt.Errorf("reveal of the sealed bid on %s: no reveal kept", a.Order)
		}
		return &mtypes.MsgRevealBid{Provider: c.cfg.Provider, Reveal: a.Reveal.Encode()}, nil
	case bidengine.CloseLease:
		return &mtypes.MsgCloseLease{Sender: c.cfg.Provider, Lease: mtypes.BidIDFromCore(a.Lease), Reason: a.Closure.Reason.String(), Detail: CloseDetail(a.Closure.Detail)}, nil
	case bidengine.Withdraw:
		return &mtypes.MsgWithdrawLease{Provider: c.cfg.Provider, Lease: mtypes.BidIDFromCore(a.Lease)}, nil
	}
	return nil, fmt.Errorf("action %s is not a transaction", a.Kind)
}

// CloseDetail fits a close's detail into what the chain keeps
// (mtypes.MaxCloseDetail bytes): a longer one would have the close refused.
// It is cut at a rune boundary and ends with "...".
func CloseDetail(d string) string {
	if len(d) <= mtypes.MaxCloseDetail {
		return d
	}
	cut := mtypes.MaxCloseDetail - len("...")
	for cut > 0 && !utf8.RuneStart(d[cut]) {
		cut--
	}
	return d[:cut] + "..."
}

func (c *Client) bidMsg(order market.OrderID, price, deposit money.Coin, offer manifest.Totals) (*mtypes.MsgCreateBid, error) {
	msg := &mtypes.MsgCreateBid{
		Provider:  c.cfg.Provider,
		Order:     mtypes.OrderIDFromCore(order),
		Price:     mtypes.DecCoinFromCore(price),
		Resources: mtypes.ResourcesFromCore(offer),
	}
	if deposit.Denom != "" {
		amt, ok := sdkmathInt(deposit.Amount)
		if !ok {
			return nil, fmt.Errorf("bid deposit %s is not a whole number of %s; deposits are whole coins", deposit, deposit.Denom)
		}
		msg.Deposit = sdk.Coin{Denom: deposit.Denom, Amount: amt}
	}
	return msg, nil
}

// classify wraps chain refusals in the manager's sentinel errors so the bid
// engine knows whether to retry.
func classify(err error) error {
	var te *TxError
	if !errors.As(err, &te) {
		return err // transport, timeout: may pass
	}
	if te.Codespace == mtypes.ModuleName {
		switch te.Code {
		case mtypes.Code(market.ErrDuplicateBid), mtypes.Code(market.ErrAlreadyRevealed):
			return fmt.Errorf("%w: %v", manager.ErrBidExists, te)
		case mtypes.ErrOrderNotFound.ABCICode(), mtypes.Code(market.ErrUnknownOrder), mtypes.Code(market.ErrBiddingClosed),
			mtypes.Code(market.ErrIneligible), mtypes.Code(market.ErrSealedOrder), mtypes.ErrUnknownProvider.ABCICode(),
			mtypes.ErrUnauthorized.ABCICode(), mtypes.ErrLeaseClosed.ABCICode(), mtypes.ErrLeaseNotFound.ABCICode(),
			mtypes.ErrInvalidPrice.ABCICode(), mtypes.Code(market.ErrInvalidDeposit), mtypes.ErrInvalidResources.ABCICode(),
			mtypes.Code(market.ErrNotSealed), mtypes.Code(market.ErrRevealWindow), mtypes.Code(market.ErrRevealMismatch),
			mtypes.Code(market.ErrUnknownBid), mtypes.Code(market.ErrMalformedReveal), mtypes.Code(market.ErrWithdrawn),
			mtypes.ErrInvalidReveal.ABCICode(), mtypes.ErrInvalidCommitment.ABCICode():
			return fmt.Errorf("%w: %v", manager.ErrRejected, te)
		}
	}
	if te.Codespace == sdkerrors.RootCodespace && (te.Code == sdkerrors.ErrInsufficientFunds.ABCICode() || te.Code == sdkerrors.ErrInsufficientFee.ABCICode() || te.Code == sdkerrors.ErrUnauthorized.ABCICode()) {
		return fmt.Errorf("%w: %v", manager.ErrRejected, te)
	}
	return te
}
