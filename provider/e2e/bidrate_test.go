package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/node/loadgen"
	"github.com/akash-market/akash/node/x/conv"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
	mtypes "github.com/akash-market/akash/node/x/market/types"
	"github.com/akash-market/akash/provider/chainclient"
	"github.com/akash-market/akash/runtime"
)

// burstSDL is one small service: a thousand of its orders fit one provider.
const burstSDL = `version: "2.0"
services:
  web:
    image: akash-hello
    expose:
      - port: 8080
        to: [{global: true}]
profiles:
  compute:
    tiny:
      resources: {cpu: {units: 0.01}, memory: {size: 16Mi}, storage: {size: 16Mi}}
  placement:
    dc:
      pricing:
        tiny: {denom: uakt, amount: 1000000}
deployment:
  web: {dc: {profile: tiny, count: 1}}
`

// burst is what one bid burst measured.
type burst struct {
	orders, bids   int
	open, lastBid  int64         // heights: the orders' block, the block of the last bid
	window         int64         // blocks the orders took bids
	elapsed        time.Duration // block time of lastBid minus that of open
	txs, perTxMost int           // transactions the daemon sent for them, most messages in one
	perHeight      map[int64]int // bids by the height they landed at
	txLines        []string      // the daemon's "tx sent" and "tx in a block" lines
	sendSpan       time.Duration // first to last bid transaction accepted by the node
}

// sendRate is the daemon's own pace: bids handed to the node per second,
// from its first bid transaction of the burst to its last.
func (b burst) sendRate() float64 { return float64(b.bids) / b.sendSpan.Seconds() }

func (b burst) rate() float64 { return float64(b.bids) / b.elapsed.Seconds() }

// oneProvider runs a devnet (default 1 s blocks and 5-block bid window) and
// provider1's daemon, whose registered host URI names port hostPort (0: its
// gateway's own port, base+6). It returns the env, the base port and the
// akash-hello image.
func oneProvider(t testing.TB, hostPort func(base int) int) (*env, int, string) {
	cli, image := dockerOrSkip(t, "the provider daemon runs next to a Docker Engine")
	work := t.TempDir()
	e := &env{t: t, cli: cli, work: work, home: filepath.Join(work, "devnet"), keys: map[string]string{}}
	e.bin = buildNode(t)
	base := e.startDevnet([]string{"provider1"})
	for _, k := range []string{"tenant", "provider1"} {
		e.keys[k] = strings.TrimSpace(e.must("keys", "show", k, "-a", "--keyring-backend", "test"))
	}
	t.Cleanup(func() {
		if d, err := runtime.NewDocker(context.Background(), runtime.Options{Provider: e.keys["provider1"], Client: cli}); err == nil {
			_, _ = d.Reconcile(context.Background(), nil)
		}
	})
	host := base + 6
	if hostPort != nil {
		host = hostPort(base)
	}
	cfg := filepath.Join(work, "p1.yaml")
	_ = os.WriteFile(cfg, []byte(fmt.Sprintf(`host-uri: https://127.0.0.1:%d
attributes: {region: local}
deposit: 5000000uakt
manifest-timeout-blocks: 40
withdraw-period-blocks: 1000
stall-after-blocks: 20
pricing: {denom: uakt, cpu: "1", memory: "0.5", margin-bps: 1000}
pools:
  - name: main
    cpu: "64"
    memory: 64Gi
    storage: 64Gi
`, host)), 0o600)
	e.must("provider", "cert", "create", "--from", "provider1")
	args := []string{"provider", "run", "--from", "provider1", "--config", cfg,
		"--gateway-listen", fmt.Sprintf("127.0.0.1:%d", base+6), "--metrics-listen", fmt.Sprintf("127.0.0.1:%d", base+8)}
	e.procs = map[string]*exec.Cmd{"provider1": e.start("provider1", args...)}
	e.args = map[string][]string{"provider1": args}
	waitFor(t, "provider1 running", 60*time.Second, func() bool { return strings.Contains(e.logOf("provider1"), "provider daemon running") })
	return e, base, image
}

// bidBurst runs oneProvider, opens n orders in one block (one transaction
// of n deployments; sealed: asking for sealed bids) and counts the daemon's
// bids (or commitments) on them once their window closed. It leaves the
// devnet running for the caller's further checks.
func bidBurst(t testing.TB, n int, sealed bool) (*env, burst, uint64) {
	e, base, _ := oneProvider(t, nil)
	enc, err := loadgen.AppEncoding()
	if err != nil {
		t.Fatal(err)
	}
	kr, err := keyring.New("akash", keyring.BackendTest, e.home, nil, enc.Codec)
	if err != nil {
		t.Fatal(err)
	}
	tenant, err := chainclient.New(chainclient.Config{RPC: fmt.Sprintf("tcp://127.0.0.1:%d", base), ChainID: "akash-e2e",
		Provider: e.keys["tenant"], KeyName: "tenant", Keyring: kr, Codec: enc.Codec, TxConfig: enc.TxConfig, Gas: 200_000})
	if err != nil {
		t.Fatal(err)
	}
	man, err := manifest.Parse("burst.yaml", []byte(burstSDL))
	if err != nil {
		t.Fatal(err)
	}
	v := man.Version()
	ctx := context.Background()
	h, err := tenant.Height(ctx)
	if err != nil {
		t.Fatal(err)
	}
	first := uint64(h) * 10_000
	msgs := make([]sdk.Msg, n)
	for i := range msgs {
		msgs[i] = &dtypes.MsgCreateDeployment{Owner: e.keys["tenant"], Dseq: first + uint64(i), Groups: []dtypes.GroupSpec{conv.GroupSpec(man.Groups()[0])},
			Version: v[:], Deposit: sdk.NewInt64Coin("uakt", 5_000_000), Sealed: sealed}
	}
	if err := tenant.Send(ctx, fmt.Sprintf("create %d deployments", n), msgs...); err != nil {
		t.Fatal(err)
	}
	var or mtypes.QueryOrderResponse
	if err := tenant.Query(ctx, "/akash.market.v1.Query/Order", 0, &mtypes.QueryOrderRequest{Owner: e.keys["tenant"], Dseq: first, Gseq: 1, Oseq: 1}, &or); err != nil {
		t.Fatal(err)
	}
	res := burst{orders: n, open: or.Order.OpenHeight, window: or.Order.CloseHeight - or.Order.OpenHeight, perHeight: map[int64]int{}}
	waitFor(t, "the orders' bidding window to close", 2*time.Minute, func() bool {
		h, err := tenant.Height(ctx)
		return err == nil && h >= or.Order.CloseHeight
	})
	var next []byte
	for {
		var br mtypes.QueryBidsResponse
		if err := tenant.Query(ctx, "/akash.market.v1.Query/Bids", 0, &mtypes.QueryBidsRequest{Provider: e.keys["provider1"], Pagination: &query.PageRequest{Key: next, Limit: 1000}}, &br); err != nil {
			t.Fatal(err)
		}
		for _, b := range br.Bids {
			if b.ID.Owner == e.keys["tenant"] && b.ID.DSeq >= first && b.ID.DSeq < first+uint64(n) {
				res.bids++
				res.lastBid = max(res.lastBid, b.PlacedAt)
				res.perHeight[b.PlacedAt]++
			}
		}
		if br.Pagination == nil || len(br.Pagination.NextKey) == 0 {
			break
		}
		next = br.Pagination.NextKey
	}
	if res.bids > 0 {
		b0, err := tenant.RPC().Block(ctx, &res.open)
		if err != nil {
			t.Fatal(err)
		}
		b1, err := tenant.RPC().Block(ctx, &res.lastBid)
		if err != nil {
			t.Fatal(err)
		}
		res.elapsed = b1.Block.Time.Sub(b0.Block.Time)
	}
	reSent := regexp.MustCompile(`time=(\S+) level=INFO msg="tx sent" messages=\d+ took=(\S+)`)
	var firstSent, lastSent time.Time
	for _, m := range reSent.FindAllStringSubmatch(e.logOf("provider1"), -1) {
		at, err1 := time.Parse(time.RFC3339Nano, m[1])
		took, err2 := time.ParseDuration(m[2])
		if err1 != nil || err2 != nil {
			continue
		}
		if start := at.Add(-took); firstSent.IsZero() || start.Before(firstSent) {
			firstSent = start
		}
		if at.After(lastSent) {
			lastSent = at
		}
	}
	res.sendSpan = lastSent.Sub(firstSent)
	reTx := regexp.MustCompile(`tx in a block.* messages=(\d+) kinds="?map\[place-bid:`)
	if sealed {
		// Commitments count; their reveals are transactions of their own.
		reTx = regexp.MustCompile(`tx in a block.* messages=(\d+) kinds="?map\[place-bid:\d+\]`)
	}
	for _, line := range strings.Split(e.logOf("provider1"), "\n") {
		if strings.Contains(line, "tx in a block") || strings.Contains(line, "tx sent") || strings.Contains(line, "provider daemon running") {
			res.txLines = append(res.txLines, line)
		}
	}
	for _, m := range reTx.FindAllStringSubmatch(e.logOf("provider1"), -1) {
		res.txs++
		var k int
		fmt.Sscan(m[1], &k)
		res.perTxMost = max(res.perTxMost, k)
	}
	return e, res, first
}

// TestProviderBidsOnThousandOrdersInOneBlock: a thousand orders open in one
// block; the daemon bids on every one of them before its window (5 blocks of
// 1 s) closes. Then the tenant client finds the lease of the last of the
// thousand deployments (leases past the first page of 100).
func TestProviderBidsOnThousandOrdersInOneBlock(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping in -short mode (builds akash-node, runs a devnet and a provider daemon)")
	}
	const n = 1000
	e, res, first := bidBurst(t, n, false)
	t.Logf("%d orders opened at height %d (window %d blocks); %d bids landed by height %d, %s later: %.0f bids/s; %d bid transactions, up to %d messages each, sent in %s (%.0f bids/s)",
		res.orders, res.open, res.window, res.bids, res.lastBid, res.elapsed, res.rate(), res.txs, res.perTxMost, res.sendSpan, res.sendRate())
	t.Logf("bids by the height they landed at: %v", res.perHeight)
	for _, l := range res.txLines {
		t.Logf("provider1: %s", l)
	}
	if res.bids != n {
		t.Fatalf("%d of %d orders got a bid before their window closed", res.bids, n)
	}
	if d := metric(t, e.rpc+8, "akash_provider_bids_dropped_total"); d != "0" {
		t.Errorf("bids dropped as too late: %s, want 0", d)
	}

	// Leases past the first page: the last deployment's lease is found.
	last := fmt.Sprint(first + n - 1)
	waitFor(t, "the leases of the burst", time.Minute, func() bool {
		out, err := e.run("deploy", "status", last, "--from", "tenant")
		return err == nil && strings.Contains(out, "/"+last+"/1/1/"+e.keys["provider1"]+": active")
	})
}

// BenchmarkProviderBidBurst reports bids/s of one daemon for a burst of a
// thousand orders opened in one block (run with -benchtime 1x).
func BenchmarkProviderBidBurst(b *testing.B) {
	for range b.N {
		_, res, _ := bidBurst(b, 1000, false)
		b.Logf("%d orders opened at height %d; bids by the height they landed at: %v", res.orders, res.open, res.perHeight)
		for _, l := range res.txLines {
			b.Logf("provider1: %s", l)
		}
		b.ReportMetric(res.rate(), "bids/s")
		b.ReportMetric(res.sendRate(), "sent-bids/s")
		b.ReportMetric(float64(res.bids), "bids")
		b.ReportMetric(float64(res.txs), "txs")
	}
}

// TestProviderCommitsOnThousandSealedOrdersInOneBlock: the same burst with
// sealed orders: every order gets the daemon's commitment before its window
// closes (the salts of each batch written to the store before it is sent),
// and every commitment is revealed in the reveal window.
func TestProviderCommitsOnThousandSealedOrdersInOneBlock(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping in -short mode (builds akash-node, runs a devnet and a provider daemon)")
	}
	const n = 1000
	e, res, first := bidBurst(t, n, true)
	t.Logf("%d sealed orders opened at height %d (window %d blocks); %d commitments landed by height %d, %s later: %.0f commitments/s; %d commit transactions, up to %d messages each, sent in %s (%.0f/s)",
		res.orders, res.open, res.window, res.bids, res.lastBid, res.elapsed, res.rate(), res.txs, res.perTxMost, res.sendSpan, res.sendRate())
	t.Logf("commitments by the height they landed at: %v", res.perHeight)
	if res.bids != n {
		t.Fatalf("%d of %d sealed orders got a commitment before their window closed", res.bids, n)
	}
	waitFor(t, "every commitment revealed", 2*time.Minute, func() bool {
		return metric(t, e.rpc+8, `akash_provider_reveals_total{result="ok"}`) == fmt.Sprint(n)
	})
	last := fmt.Sprint(first + n - 1)
	waitFor(t, "the leases of the sealed burst", time.Minute, func() bool {
		out, err := e.run("deploy", "status", last, "--from", "tenant")
		return err == nil && strings.Contains(out, "/"+last+"/1/1/"+e.keys["provider1"]+": active")
	})
	for _, l := range res.txLines {
		if strings.Contains(l, "reveal-bid") {
			t.Logf("provider1: %s", l)
		}
	}
}
