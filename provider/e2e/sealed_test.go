package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestSealedOrderCommitKillRevealWin: a tenant asks for sealed bids
// (deploy create --sealed). The daemon commits during the bidding window;
// it is killed (SIGKILL) once its commitment is on chain and started again
// before the reveal window; the restarted daemon reveals the committed
// price from its store, wins the lease and runs the workload.
func TestSealedOrderCommitKillRevealWin(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping in -short mode (builds akash-node, runs a devnet and a provider daemon)")
	}
	e, _, image := oneProvider(t, nil)
	sdl := filepath.Join(e.work, "sealed.yaml")
	_ = os.WriteFile(sdl, []byte(manifestYAML(image, "sealed-e2e", 1000000)), 0o600)
	const dseq = "4242"
	e.start("deploy", "deploy", "create", sdl, "--sealed", "--dseq", dseq, "--from", "tenant", "--deposit", "50000000uakt", "--timeout", "90s")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("deploy create:\n%s\nprovider1 (after the restart):\n%s", e.logOf("deploy"), tail(e.logOf("provider1-restarted"), 4000))
		}
	})

	var bids struct {
		Bids []struct {
			ID       struct{ Provider string } `json:"id"`
			State    string                    `json:"state"`
			PlacedAt string                    `json:"placed_at"`
		} `json:"bids"`
	}
	var order struct {
		Order struct {
			CloseHeight string `json:"close_height"`
			RevealEnd   string `json:"reveal_end"`
			Sealed      bool   `json:"sealed"`
		} `json:"order"`
	}
	// The commitment lands (the daemon logs its transaction in a block).
	waitFor(t, "provider1's commitment in a block", 60*time.Second, func() bool {
		return strings.Contains(e.logOf("provider1"), "kinds=map[place-bid:1]")
	})
	// kill -9 between commit and reveal, then start again.
	p := e.procs["provider1"]
	if err := p.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_, _ = p.Process.Wait()
	killedAt := time.Now()
	// Dead, it cannot reveal: the chain holds its commitment, unrevealed.
	bidsQuery := []string{"query", "market", "bids", "--owner", e.keys["tenant"], "--dseq", dseq, "--gseq", "1", "--oseq", "1", "-o", "json"}
	out := e.must(bidsQuery...)
	if err := json.Unmarshal([]byte(out), &bids); err != nil || len(bids.Bids) != 1 || bids.Bids[0].State != "sealed" {
		t.Fatalf("after the kill: want provider1's one bid sealed (committed, not revealed): %v\n%s", err, out)
	}
	if out, err := e.run("query", "market", "order", e.keys["tenant"], dseq, "1", "1", "-o", "json"); err != nil || json.Unmarshal([]byte(out), &order) != nil {
		t.Fatalf("query the order: %v\n%s", err, out)
	}
	if !order.Order.Sealed {
		t.Fatalf("order is not sealed: %+v", order.Order)
	}
	t.Logf("commitment placed at height %s; bids close at %s, reveals end at %s", bids.Bids[0].PlacedAt, order.Order.CloseHeight, order.Order.RevealEnd)
	e.start("provider1-restarted", e.args["provider1"]...)
	waitFor(t, "provider1 running again", 60*time.Second, func() bool {
		return strings.Contains(e.logOf("provider1-restarted"), "provider daemon running")
	})
	t.Logf("daemon restarted in %s", time.Since(killedAt).Round(time.Millisecond))
	if strings.Contains(e.logOf("provider1"), "sealed bid revealed") {
		t.Fatal("the first daemon revealed before it was killed: the restart was not between commit and reveal")
	}

	// The reveal, the lease and the running workload.
	waitFor(t, "the lease of the sealed deployment", 2*time.Minute, func() bool {
		out, err := e.run("deploy", "status", dseq, "--from", "tenant")
		return err == nil && strings.Contains(out, "/"+dseq+"/1/1/"+e.keys["provider1"]+": active")
	})
	if !regexp.MustCompile(`msg="sealed bid revealed".*order=\S*/` + dseq + `/1/1`).MatchString(e.logOf("provider1-restarted")) {
		t.Fatalf("the restarted daemon did not log the reveal:\n%s", tail(e.logOf("provider1-restarted"), 3000))
	}
	out = e.must(bidsQuery...)
	if err := json.Unmarshal([]byte(out), &bids); err != nil || len(bids.Bids) != 1 {
		t.Fatalf("bids: %v\n%s", err, out)
	}
	if bids.Bids[0].State != "won" {
		t.Fatalf("provider1's sealed bid is %s after the match, want won", bids.Bids[0].State)
	}
	waitFor(t, "the sealed deployment's containers", 2*time.Minute, func() bool {
		cs, _, _ := e.leaseObjects(e.keys["provider1"])
		return cs >= 2
	})
	if c := metric(t, e.rpc+8, `akash_provider_reveals_total{result="ok"}`); c != "1" {
		t.Errorf("reveals_total{result=ok} = %q on the restarted daemon, want 1", c)
	}
}
