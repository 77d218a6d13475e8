package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/akash-market/akash/node/devnet"
	"github.com/akash-market/akash/node/loadgen"
)

// TestKill9Restart: a one-validator devnet commits a batch of bank sends;
// while a second batch is being broadcast the validator gets SIGKILL. The
// devnet notices and exits with an error naming the validator. Started again
// on the same home it continues from the same state:
//   - height >= the last height seen before the kill, the chain keeps growing;
//   - blocks before the kill have the same hashes; balances at the height of
//     the first batch are identical;
//   - app hash consistent across the crash: for every height h from the first
//     batch on, the app hash the app reported after h (block_results) is the
//     one the next block header commits to;
//   - the second batch is applied exactly as far as it got into blocks: each
//     sender's sequence advanced by the number of its txs found in blocks, and
//     those are a prefix of what it sent; balances match that count;
//   - new txs commit.
func TestKill9Restart(t *testing.T) {
	ctx := context.Background()
	t0 := time.Now()
	phase := func(what string) { t.Logf("%5.1fs %s", time.Since(t0).Seconds(), what) }
	home := filepath.Join(t.TempDir(), "dn")
	d := startDevnet(t, home, "--keys", "tenant", "--block-time", "200ms")
	phase("devnet up")
	enc, err := loadgen.AppEncoding()
	if err != nil {
		t.Fatal(err)
	}
	funder, err := d.m.PrivKey("tenant")
	if err != nil {
		t.Fatal(err)
	}
	const fee = 1000
	cfg := loadgen.Config{RPC: d.m.RPCURL(0), ChainID: d.m.ChainID, Funder: funder, Senders: 4, Fee: fee, Seed: 7}

	// Batch 1: committed before the kill.
	cfg.Txs = 200
	r1 := prepareSigned(t, ctx, cfg, enc)
	res, err := r1.Broadcast(ctx)
	if err != nil || res.Committed != cfg.Txs {
		t.Fatalf("batch 1: %v: %s", err, res)
	}
	phase("batch 1 committed")
	h1 := res.LastH
	accounts := []string{loadgen.SendSink.String()}
	for _, s := range r1.Senders {
		accounts = append(accounts, s.Address.String())
	}
	before := map[string]int64{}
	for _, a := range accounts {
		before[a] = restBalance(t, d.m, a, h1)
	}
	hash1 := blockHash(t, d.m, h1)

	// Batch 2: SIGKILL of the validator while it is being broadcast.
	cfg.Txs = 2000
	r2 := prepareSigned(t, ctx, cfg, enc)
	seq0 := make([]uint64, len(r2.Senders))
	for i, s := range r2.Senders {
		seq0[i] = s.Sequence - uint64(len(r2.Signed(i))) // Sign advanced them
	}
	sink0 := restBalance(t, d.m, loadgen.SendSink.String(), 0)
	phase("batch 2 signed")
	bctx, cancel := context.WithCancel(ctx)
	broadcastDone := make(chan struct{})
	go func() {
		defer close(broadcastDone)
		_, _ = r2.Broadcast(bctx) // fails once the node is gone; counted below from the blocks
	}()
	hStart, _ := devnet.Height(ctx, d.m.RPCURL(0))
	d.waitHeightOf(t, 0, hStart+3) // some of batch 2 is in blocks, more in the mempool
	hKill, _ := devnet.Height(ctx, d.m.RPCURL(0))
	phase("SIGKILL")
	if err := syscall.Kill(d.pids[0], syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case <-d.exited:
		if d.err == nil {
			t.Fatalf("devnet exited 0 after its validator was killed; want an error")
		}
	case <-time.After(40 * time.Second):
		t.Fatalf("devnet still running 40s after its validator was killed")
	}
	if !strings.Contains(d.out.String(), "validator val0 exited") {
		t.Errorf("devnet output does not name the dead validator:\n%s", d.out.String())
	}
	cancel()
	<-broadcastDone
	d.assertNoValidators(t)

	phase("devnet exited")
	// Restart on the same home.
	d = startDevnet(t, home)
	if !strings.Contains(d.out.String(), "restarting the devnet") {
		t.Errorf("second start did not restart the existing devnet:\n%s", d.out.String())
	}
	phase("restarted")
	d.waitHeight(t, hKill+2)
	if got := blockHash(t, d.m, h1); got != hash1 {
		t.Errorf("block %d hash after restart %s, before %s", h1, got, hash1)
	}
	for _, a := range accounts {
		if got := restBalance(t, d.m, a, h1); got != before[a] {
			t.Errorf("balance of %s at height %d: %d after restart, %d before", a, h1, got, before[a])
		}
	}
	top := checkAppHashChain(t, d.m, h1)

	phase("app hash chain checked")
	// What of batch 2 is in blocks, per sender, must be a prefix of its txs,
	// and the chain's sequences and balances must agree with it.
	inBlocks := committedTxs(t, d.m, h1+1, top)
	var total int64
	r3 := prepareSigned(t, ctx, loadgen.Config{RPC: cfg.RPC, ChainID: cfg.ChainID, Funder: funder, Senders: 4, Fee: fee, Seed: 7, Txs: 100}, enc)
	for i := range r2.Senders {
		n := 0
		for n < len(r2.Signed(i)) && inBlocks[txHash(r2.Signed(i)[n])] {
			n++
		}
		for _, tx := range r2.Signed(i)[n:] {
			if inBlocks[txHash(tx)] {
				t.Fatalf("sender %d: a tx after its %d-th is in a block: sequence gap after the restart", i, n)
			}
		}
		// r3 read the sequences after the restart (then signed 25 more each).
		seqNow := r3.Senders[i].Sequence - uint64(len(r3.Signed(i)))
		if seqNow != seq0[i]+uint64(n) {
			t.Errorf("sender %d: sequence %d after restart, want %d (+%d txs of batch 2 in blocks)", i, seqNow, seq0[i]+uint64(n), n)
		}
		total += int64(n)
	}
	t.Logf("kill at height %d; batch 2: %d of %d txs in blocks; chain at %d after restart", hKill, total, cfg.Txs, top)
	if got, want := restBalance(t, d.m, loadgen.SendSink.String(), 0), sink0+total; got != want {
		t.Errorf("sink balance %d after restart, want %d (+1uakt for each of the %d batch-2 txs in blocks)", got, want, total)
	}

	phase("batch 2 accounted")
	// New txs commit after the restart.
	res, err = r3.Broadcast(ctx)
	if err != nil || res.Committed != 100 {
		t.Fatalf("txs after the restart: %v: %s", err, res)
	}
	phase("batch 3 committed")
	d.stop(t)
}

func prepareSigned(t *testing.T, ctx context.Context, cfg loadgen.Config, enc loadgen.Encoding) *loadgen.Run {
	t.Helper()
	r, err := loadgen.Prepare(ctx, cfg, enc)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Sign(); err != nil {
		t.Fatal(err)
	}
	return r
}

// restBalance is addr's uakt balance at height (0 = latest) from the REST gateway.
func restBalance(t *testing.T, m *devnet.Manifest, addr string, height int64) int64 {
	t.Helper()
	url := fmt.Sprintf("http://%s:%d/cosmos/bank/v1beta1/balances/%s/by_denom?denom=uakt", m.Host, m.Validators[0].Ports.REST, addr)
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if height > 0 {
		req.Header.Set("x-cosmos-block-height", fmt.Sprint(height))
	}
	var out struct {
		Balance struct {
			Amount string `json:"amount"`
		} `json:"balance"`
	}
	for try := 0; ; try++ {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			var body bytes.Buffer
			_, _ = body.ReadFrom(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && json.Unmarshal(body.Bytes(), &out) == nil {
				return mustInt(t, out.Balance.Amount)
			}
			err = fmt.Errorf("%s: %s", resp.Status, body.String())
		}
		if try == 50 { // the REST server starts a moment after the RPC
			t.Fatalf("GET %s (height %d): %v", url, height, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func rpcClient(t *testing.T, m *devnet.Manifest) *rpchttp.HTTP {
	t.Helper()
	c, err := rpchttp.New(m.RPCURL(0), "/websocket")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func blockHash(t *testing.T, m *devnet.Manifest, h int64) string {
	t.Helper()
	b, err := rpcClient(t, m).Block(context.Background(), &h)
	if err != nil {
		t.Fatalf("block %d: %v", h, err)
	}
	return b.BlockID.Hash.String()
}

// checkAppHashChain checks, for every height from h to the top, that the
// app hash the app returned for that block equals the app hash in the next
// block's header, and returns the top height checked.
func checkAppHashChain(t *testing.T, m *devnet.Manifest, from int64) int64 {
	t.Helper()
	ctx := context.Background()
	c := rpcClient(t, m)
	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The latest block's results may not be stored yet; stop one below it.
	top := st.SyncInfo.LatestBlockHeight - 2
	for h := from; h <= top; h++ {
		res, err := c.BlockResults(ctx, &h)
		if err != nil {
			t.Fatalf("block results %d: %v", h, err)
		}
		next := h + 1
		b, err := c.Block(ctx, &next)
		if err != nil {
			t.Fatalf("block %d: %v", next, err)
		}
		if !bytes.Equal(res.AppHash, b.Block.AppHash) {
			t.Fatalf("app hash after block %d is %X, but block %d's header commits to %X", h, res.AppHash, next, b.Block.AppHash)
		}
	}
	return top
}

// committedTxs are the hashes of the successful txs in blocks from..to.
func committedTxs(t *testing.T, m *devnet.Manifest, from, to int64) map[string]bool {
	t.Helper()
	ctx := context.Background()
	c := rpcClient(t, m)
	out := map[string]bool{}
	for h := from; h <= to; h++ {
		b, err := c.Block(ctx, &h)
		if err != nil {
			t.Fatalf("block %d: %v", h, err)
		}
		if len(b.Block.Txs) == 0 {
			continue
		}
		res, err := c.BlockResults(ctx, &h)
		if err != nil {
			t.Fatalf("block results %d: %v", h, err)
		}
		for i, tx := range b.Block.Txs {
			if res.TxsResults[i].Code == 0 {
				out[txHash(tx)] = true
			}
		}
	}
	return out
}

func txHash(tx []byte) string {
	s := sha256.Sum256(tx)
	return hex.EncodeToString(s[:])
}
