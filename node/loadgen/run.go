package loadgen

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	sdkmath "cosmossdk.io/math"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
)

// Run is one prepared load: funded senders and, after Sign, the signed txs.
type Run struct {
	cfg     Config
	enc     Encoding
	rpc     *rpchttp.HTTP
	Funder  Account
	Senders []Account
	// signed[s] are sender s's txs in sequence order.
	signed [][][]byte
}

// Prepare checks cfg, funds the senders from the funder with one
// MsgMultiSend (enough for every tx they will send, fees included), waits for
// it to commit and reads every account's number and sequence.
func Prepare(ctx context.Context, cfg Config, enc Encoding) (*Run, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	c, err := newRPC(cfg.RPC, cfg.Senders)
	if err != nil {
		return nil, err
	}
	r := &Run{cfg: cfg, enc: enc, rpc: c}
	if r.Funder, err = r.account(ctx, cfg.Funder); err != nil {
		return nil, fmt.Errorf("loadgen: funder: %w", err)
	}
	for i := range cfg.Senders {
		k := senderKey(cfg.Seed, i)
		r.Senders = append(r.Senders, Account{Key: k, Address: sdk.AccAddress(k.PubKey().Address())})
	}
	if err := r.fund(ctx); err != nil {
		return nil, err
	}
	for i := range r.Senders {
		if r.Senders[i], err = r.account(ctx, r.Senders[i].Key); err != nil {
			return nil, fmt.Errorf("loadgen: sender %d: %w", i, err)
		}
	}
	if err := cfg.Kind.Setup(r); err != nil {
		return nil, fmt.Errorf("loadgen: setting up %s load: %w", cfg.Kind.Name(), err)
	}
	return r, nil
}

// perSender is how many txs sender s sends (the first Txs%Senders send one more).
func (r *Run) perSender(s int) int {
	n := r.cfg.Txs / r.cfg.Senders
	if s < r.cfg.Txs%r.cfg.Senders {
		n++
	}
	return n
}

func (r *Run) fee() sdk.Coins {
	return sdk.NewCoins(sdk.NewCoin(sdk.DefaultBondDenom, sdkmath.NewInt(r.cfg.Fee)))
}

// fund sends each sender what its txs cost, in one MsgMultiSend.
func (r *Run) fund(ctx context.Context) error {
	var (
		outs  []banktypes.Output
		total = sdk.NewCoins()
	)
	for s, a := range r.Senders {
		n := int64(r.perSender(s))
		// n txs, plus one fee for a setup tx (e.g. the bid kind's provider registration).
		need := r.cfg.Kind.Budget().MulInt(sdkmath.NewInt(n)).Add(r.fee().MulInt(sdkmath.NewInt(n + 1))...)
		if need.IsZero() {
			continue
		}
		outs = append(outs, banktypes.Output{Address: a.Address.String(), Coins: need})
		total = total.Add(need...)
	}
	if len(outs) == 0 {
		return nil
	}
	msg := &banktypes.MsgMultiSend{Inputs: []banktypes.Input{{Address: r.Funder.Address.String(), Coins: total}}, Outputs: outs}
	gas := 50_000 + 30_000*uint64(len(outs))
	tx, err := r.sign(r.Funder, []sdk.Msg{msg}, gas, r.fee())
	if err != nil {
		return err
	}
	res, err := r.rpc.BroadcastTxSync(ctx, tx)
	if err != nil {
		return fmt.Errorf("loadgen: funding the senders: %w", err)
	}
	if res.Code != 0 {
		return fmt.Errorf("loadgen: funding the senders (%s from %s): CheckTx code %d: %s", total, r.Funder.Address, res.Code, res.Log)
	}
	if err := r.waitTx(ctx, res.Hash, 30*time.Second); err != nil {
		return fmt.Errorf("loadgen: funding the senders: %w", err)
	}
	r.Funder.Sequence++
	return nil
}

// Sign signs every sender's txs, in sequence order, from the sequences read
// by Prepare. Signing happens here, before Broadcast, so the measurement
// holds only the chain's work.
func (r *Run) Sign() error {
	r.signed = make([][][]byte, len(r.Senders))
	var (
		wg   sync.WaitGroup
		errs = make([]error, len(r.Senders))
	)
	for s := range r.Senders {
		wg.Add(1)
		go func(s int) {
			defer wg.Done()
			a := r.Senders[s]
			for j := range r.perSender(s) {
				msgs, err := r.cfg.Kind.Msgs(a, j)
				if err != nil {
					errs[s] = err
					return
				}
				tx, err := r.sign(a, msgs, r.cfg.Kind.Gas(), r.fee())
				if err != nil {
					errs[s] = err
					return
				}
				r.signed[s] = append(r.signed[s], tx)
				a.Sequence++
			}
			r.Senders[s].Sequence = a.Sequence
		}(s)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Signed returns sender s's signed txs in sequence order (after Sign).
func (r *Run) Signed(s int) [][]byte { return r.signed[s] }

// Result is what a Broadcast measured.
type Result struct {
	Kind      string
	Sent      int           // txs broadcast
	Accepted  int           // passed CheckTx
	Rejected  int           // refused by CheckTx (first error kept in FirstReject)
	Committed int           // in a block with code 0
	Failed    int           // in a block with a non-zero code
	Blocks    int           // blocks from the first to the last block with load txs
	MaxPerBlk int           // most load txs in one block
	FirstH    int64         // first block with load txs
	LastH     int64         // last block with load txs
	Span      time.Duration // block time of LastH - block time of FirstH-1
	Broadcast time.Duration // wall time to hand every tx to the node
	TPS       float64       // Committed / Span
	// FirstReject is the first CheckTx or DeliverTx error, for the report.
	FirstReject string
}

func (r Result) String() string {
	s := fmt.Sprintf("%s: %d sent, %d accepted, %d committed ok, %d failed in blocks %d..%d (%d blocks, max %d txs/block); %.0f tx/s committed over %s of block time; broadcast took %s",
		r.Kind, r.Sent, r.Accepted, r.Committed, r.Failed, r.FirstH, r.LastH, r.Blocks, r.MaxPerBlk, r.TPS, r.Span.Round(time.Millisecond), r.Broadcast.Round(time.Millisecond))
	if r.FirstReject != "" {
		s += "; first error: " + r.FirstReject
	}
	return s
}

// Broadcast sends every signed tx (one worker per sender, each in sequence
// order with broadcast_tx_sync), then waits until the accepted ones are in
// blocks, and measures committed tx/s from those blocks.
func (r *Run) Broadcast(ctx context.Context) (Result, error) {
	if r.signed == nil {
		return Result{}, errors.New("loadgen: Broadcast before Sign")
	}
	start, err := r.height(ctx)
	if err != nil {
		return Result{}, err
	}
	res := Result{Kind: r.cfg.Kind.Name()}
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	t0 := time.Now()
	for s := range r.signed {
		wg.Add(1)
		go func(txs [][]byte) {
			defer wg.Done()
			for _, tx := range txs {
				out, err := r.rpc.BroadcastTxSync(ctx, tx)
				mu.Lock()
				res.Sent++
				switch {
				case err != nil:
					res.Rejected++
					if res.FirstReject == "" {
						res.FirstReject = err.Error()
					}
				case out.Code != 0:
					res.Rejected++
					if res.FirstReject == "" {
						res.FirstReject = fmt.Sprintf("CheckTx code %d: %s", out.Code, out.Log)
					}
				default:
					res.Accepted++
				}
				mu.Unlock()
				if ctx.Err() != nil {
					return
				}
			}
		}(r.signed[s])
	}
	wg.Wait()
	res.Broadcast = time.Since(t0)
	if err := r.measure(ctx, start, &res); err != nil {
		return res, err
	}
	return res, nil
}

// measure walks the blocks after start until the accepted txs are all in
// blocks (or no block adds any for 10 s), and fills the committed counts and
// the rate. The node is assumed to carry no other load.
func (r *Run) measure(ctx context.Context, start int64, res *Result) error {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
	defer cancel()
	var (
		h        = start + 1
		lastGain = time.Now()
		t0       time.Time
		tLast    time.Time
	)
	for res.Committed+res.Failed < res.Accepted {
		top, err := r.height(ctx)
		if err != nil {
			return err
		}
		if h > top {
			if time.Since(lastGain) > 10*time.Second {
				return fmt.Errorf("loadgen: %d of %d accepted txs committed; none in the last 10 s (height %d)",
					res.Committed+res.Failed, res.Accepted, top)
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("loadgen: waiting for commits: %w", ctx.Err())
			case <-time.After(100 * time.Millisecond):
			}
			continue
		}
		blk, err := r.rpc.Block(ctx, &h)
		if err != nil {
			return fmt.Errorf("loadgen: block %d: %w", h, err)
		}
		n := len(blk.Block.Txs)
		if n > 0 {
			results, err := r.blockResults(ctx, h)
			if err != nil {
				return err
			}
			for _, tr := range results.TxsResults {
				if tr.Code == 0 {
					res.Committed++
				} else {
					res.Failed++
					if res.FirstReject == "" {
						res.FirstReject = fmt.Sprintf("block %d: code %d: %s", h, tr.Code, tr.Log)
					}
				}
			}
			if res.FirstH == 0 {
				res.FirstH = h
				prev := h - 1
				pb, err := r.rpc.Block(ctx, &prev)
				if err != nil {
					return fmt.Errorf("loadgen: block %d: %w", prev, err)
				}
				t0 = pb.Block.Time
			}
			res.LastH, tLast = h, blk.Block.Time
			res.MaxPerBlk = max(res.MaxPerBlk, n)
			lastGain = time.Now()
		}
		h++
	}
	if res.FirstH > 0 {
		res.Blocks = int(res.LastH - res.FirstH + 1)
		res.Span = tLast.Sub(t0)
		if res.Span > 0 {
			res.TPS = float64(res.Committed) / res.Span.Seconds()
		}
	}
	return nil
}

// blockResults reads the results of block h. CometBFT stores a block before
// its results, so a block just reported by /status may have none yet: retry
// for a moment.
func (r *Run) blockResults(ctx context.Context, h int64) (*coretypes.ResultBlockResults, error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := r.rpc.BlockResults(ctx, &h)
		if err == nil {
			return res, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, fmt.Errorf("loadgen: block results %d: %w", h, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
