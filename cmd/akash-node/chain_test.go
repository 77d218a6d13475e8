package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSingleValidatorChain builds akash-node, makes a one-validator genesis
// with the SDK's genesis helpers, starts the node on free 127.0.0.1 ports,
// waits until CometBFT reports height >= 3 and Prometheus serves metrics, then
// sends uakt from val to bob with the CLI and checks both balances exactly.
func TestSingleValidatorChain(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "akash-node")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	home := filepath.Join(dir, "home")
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, append(args, "--home", home)...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("akash-node %s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
		return out.String()
	}

	run("init", "val", "--chain-id", "akash-test")
	run("keys", "add", "val", "--keyring-backend", "test", "--output", "json")
	run("genesis", "add-genesis-account", "val", "1000000000000uakt", "--keyring-backend", "test")
	run("genesis", "gentx", "val", "100000000uakt", "--chain-id", "akash-test", "--keyring-backend", "test")
	run("genesis", "collect-gentxs")

	gen, err := os.ReadFile(filepath.Join(home, "config", "genesis.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(gen, []byte(`"bond_denom": "uakt"`)) {
		t.Fatalf("genesis bond denom is not uakt")
	}

	ports := freePorts(t, 6)
	addr := func(i int) string { return "127.0.0.1:" + strconv.Itoa(ports[i]) }
	cfgPath := filepath.Join(home, "config", "config.toml")
	cfg, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	// Prometheus has no start flag; short commit timeout keeps the test fast.
	cfg = bytes.Replace(cfg, []byte(`prometheus_listen_addr = ":26660"`), []byte(`prometheus_listen_addr = "`+addr(5)+`"`), 1)
	cfg = bytes.Replace(cfg, []byte(`timeout_commit = "`), []byte(`timeout_commit = "300ms" #`), 1)
	if err := os.WriteFile(cfgPath, cfg, 0o644); err != nil {
		t.Fatal(err)
	}

	var log bytes.Buffer
	node := exec.Command(bin, "start", "--home", home,
		"--rpc.laddr", "tcp://"+addr(0),
		"--p2p.laddr", "tcp://"+addr(1),
		"--grpc.address", addr(2),
		"--api.address", "tcp://"+addr(3),
		"--rpc.pprof_laddr", addr(4),
	)
	node.Stdout, node.Stderr = &log, &log
	if err := node.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			_ = node.Process.Kill()
			_ = node.Wait()
		}
		if t.Failed() {
			t.Logf("node log:\n%s", log.String())
		}
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	for h := int64(0); h < 3; {
		if ctx.Err() != nil {
			t.Fatalf("height %d after 45s, want >= 3", h)
		}
		h = height(ctx, "http://"+addr(0)+"/status")
		time.Sleep(200 * time.Millisecond)
	}

	metrics := get(ctx, "http://"+addr(5)+"/metrics")
	if !strings.Contains(metrics, "cometbft_consensus_height") {
		t.Fatalf("prometheus endpoint has no cometbft_consensus_height metric")
	}

	bankTransfer(t, run, "tcp://"+addr(0))

	if err := node.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- node.Wait() }()
	select {
	case <-done:
		stopped = true
	case <-time.After(15 * time.Second):
		t.Fatalf("node did not stop within 15s of SIGTERM")
	}
}

// bankTransfer sends 12345uakt (fee 5000uakt) from val to a new key bob with
// `tx bank send`, waits for inclusion with `query wait-tx`, and checks the
// balances of both accounts to the unit. It exercises the whole query path
// (the CLI reads val's account number before signing), which failed with
// "version does not exist" while goleveldb was not pinned (docs/chain.md).
func bankTransfer(t *testing.T, run func(...string) string, node string) {
	t.Helper()
	const (
		genesis = 1_000_000_000_000 // add-genesis-account
		bonded  = 100_000_000       // gentx self-delegation
		sent    = 12_345
		fee     = 5_000
	)
	run("keys", "add", "bob", "--keyring-backend", "test", "--output", "json")
	val := strings.TrimSpace(run("keys", "show", "val", "-a", "--keyring-backend", "test"))
	bob := strings.TrimSpace(run("keys", "show", "bob", "-a", "--keyring-backend", "test"))

	if got := balance(t, run, node, val); got != genesis-bonded {
		t.Fatalf("val balance before the send = %d uakt, want %d", got, genesis-bonded)
	}

	var res struct {
		TxHash string `json:"txhash"`
		Code   uint32 `json:"code"`
		RawLog string `json:"raw_log"`
		Height string `json:"height"`
	}
	out := run("tx", "bank", "send", "val", bob, strconv.Itoa(sent)+"uakt",
		"--fees", strconv.Itoa(fee)+"uakt", "--yes", "--keyring-backend", "test",
		"--chain-id", "akash-test", "--node", node, "--output", "json")
	if err := json.Unmarshal([]byte(lastLine(out)), &res); err != nil || res.TxHash == "" {
		t.Fatalf("tx bank send: no txhash in output (%v):\n%s", err, out)
	}
	if res.Code != 0 {
		t.Fatalf("tx bank send rejected by CheckTx: code %d: %s", res.Code, res.RawLog)
	}

	out = run("query", "wait-tx", res.TxHash, "--timeout", "30s", "--node", node, "--output", "json")
	if err := json.Unmarshal([]byte(lastLine(out)), &res); err != nil {
		t.Fatalf("query wait-tx %s: %v\n%s", res.TxHash, err, out)
	}
	if res.Code != 0 || res.Height == "" || res.Height == "0" {
		t.Fatalf("tx %s not executed: code %d height %q: %s", res.TxHash, res.Code, res.Height, res.RawLog)
	}

	if got := balance(t, run, node, bob); got != sent {
		t.Errorf("bob balance = %d uakt, want %d", got, sent)
	}
	if got := balance(t, run, node, val); got != genesis-bonded-sent-fee {
		t.Errorf("val balance = %d uakt, want %d (genesis - bonded - sent - fee)", got, genesis-bonded-sent-fee)
	}
}

// balance returns addr's uakt balance from `query bank balances --output json`.
func balance(t *testing.T, run func(...string) string, node, addr string) int64 {
	t.Helper()
	out := run("query", "bank", "balances", addr, "--node", node, "--output", "json")
	var res struct {
		Balances []struct {
			Denom  string `json:"denom"`
			Amount string `json:"amount"`
		} `json:"balances"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("query bank balances %s: %v\n%s", addr, err, out)
	}
	for _, c := range res.Balances {
		if c.Denom == "uakt" {
			n, err := strconv.ParseInt(c.Amount, 10, 64)
			if err != nil {
				t.Fatalf("query bank balances %s: amount %q: %v", addr, c.Amount, err)
			}
			return n
		}
	}
	return 0
}

// lastLine is the last non-empty line of out: the JSON result, after any
// notice the CLI prints before it.
func lastLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return lines[len(lines)-1]
}

// height reads the latest block height from CometBFT's /status; 0 while not up.
func height(ctx context.Context, url string) int64 {
	var st struct {
		Result struct {
			SyncInfo struct {
				LatestBlockHeight string `json:"latest_block_height"`
			} `json:"sync_info"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(get(ctx, url)), &st); err != nil {
		return 0
	}
	h, _ := strconv.ParseInt(st.Result.SyncInfo.LatestBlockHeight, 10, 64)
	return h
}

func get(ctx context.Context, url string) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return ""
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// freePorts reserves n distinct 127.0.0.1 ports and releases them for the node.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	ls := make([]net.Listener, n)
	ports := make([]int, n)
	for i := range ls {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls[i] = l
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}
	for _, l := range ls {
		if err := l.Close(); err != nil {
			t.Fatal(fmt.Errorf("release port: %w", err))
		}
	}
	return ports
}
