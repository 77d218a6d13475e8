package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/akash-market/akash/node/devnet"
)

// devnetBin is akash-node built once for the devnet and restart tests.
var devnetBin struct {
	once sync.Once
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if devnetBin.path != "" {
		os.RemoveAll(filepath.Dir(devnetBin.path))
	}
	os.Exit(code)
}

func akashNodeBinary(t *testing.T) string {
	t.Helper()
	devnetBin.once.Do(func() {
		dir, err := os.MkdirTemp("", "akash-node-test-")
		if err != nil {
			devnetBin.err = err
			return
		}
		devnetBin.path = filepath.Join(dir, "akash-node")
		if out, err := exec.Command("go", "build", "-o", devnetBin.path, ".").CombinedOutput(); err != nil {
			devnetBin.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if devnetBin.err != nil {
		t.Fatal(devnetBin.err)
	}
	return devnetBin.path
}

// TestDevnet runs `akash-node devnet` with 1 and with 3 validators: every
// validator produces blocks, all 3 are in the validator set, a funded key
// sends uakt with the plain CLI (only --home: client.toml names the chain,
// node and keyring) and every validator sees the exact balances; SIGINT stops
// the devnet and no validator process is left.
func TestDevnet(t *testing.T) {
	for _, n := range []int{1, 3} {
		t.Run(fmt.Sprintf("validators=%d", n), func(t *testing.T) {
			d := startDevnet(t, filepath.Join(t.TempDir(), "dn"),
				"--validators", strconv.Itoa(n), "--keys", "tenant,provider1", "--block-time", "300ms")
			if got := len(d.m.Validators); got != n {
				t.Fatalf("manifest lists %d validators, want %d", got, n)
			}
			d.waitHeight(t, 2)

			var vals struct {
				Result struct {
					Total string `json:"total"`
				} `json:"result"`
			}
			if err := getJSONURL(d.m.RPCURL(0)+"/validators", &vals); err != nil || vals.Result.Total != strconv.Itoa(n) {
				t.Fatalf("/validators total = %q (%v), want %d", vals.Result.Total, err, n)
			}

			tenant, _ := d.m.Key("tenant")
			provider, _ := d.m.Key("provider1")
			fund := mustInt(t, strings.TrimSuffix(d.m.Fund, "uakt"))
			h := d.send(t, "tenant", provider.Address, 12345, 5000)
			last := len(d.m.Validators) - 1
			d.waitHeightOf(t, last, h)
			node := d.m.RPC(last)
			if got := balance(t, d.cli(t), node, tenant.Address); got != fund-12345-5000 {
				t.Errorf("tenant balance on %s = %d, want %d", d.m.Validators[last].Name, got, fund-12345-5000)
			}
			if got := balance(t, d.cli(t), node, provider.Address); got != fund+12345 {
				t.Errorf("provider1 balance on %s = %d, want %d", d.m.Validators[last].Name, got, fund+12345)
			}
			d.stop(t)
		})
	}
}

// devnetProc is a running `akash-node devnet`.
type devnetProc struct {
	bin  string
	home string
	cmd  *exec.Cmd
	out  *lockedBuffer
	// exited is closed when the devnet process has exited; err is its Wait result.
	exited chan struct{}
	err    error
	m      *devnet.Manifest
	pids   []int // validator processes, read from the pid files while running
}

// startDevnet starts `akash-node devnet --home home args...` on a free block
// of ports and waits until it prints that it is up.
func startDevnet(t *testing.T, home string, args ...string) *devnetProc {
	t.Helper()
	bin := akashNodeBinary(t)
	n := 1
	for i, a := range args {
		if a == "--validators" {
			n = int(mustInt(t, args[i+1]))
		}
	}
	args = append([]string{"devnet", "--home", home}, args...)
	if _, err := os.Stat(filepath.Join(home, devnet.ManifestFile)); err != nil {
		args = append(args, "--ports-from", strconv.Itoa(freePortBlock(t, n*devnet.PortsPerValidator)))
	}
	d := &devnetProc{bin: bin, home: home, out: &lockedBuffer{}, exited: make(chan struct{})}
	d.cmd = exec.Command(bin, args...)
	d.cmd.Stdout, d.cmd.Stderr = d.out, d.out
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { d.err = d.cmd.Wait(); close(d.exited) }()
	t.Cleanup(func() {
		select {
		case <-d.exited:
		default:
			_ = d.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-d.exited:
			case <-time.After(30 * time.Second):
				_ = d.cmd.Process.Kill()
			}
		}
		if t.Failed() {
			d.dumpLogs(t)
		}
	})
	deadline := time.After(120 * time.Second)
	for !strings.Contains(d.out.String(), "is up:") {
		select {
		case <-d.exited:
			t.Fatalf("akash-node devnet exited before it was up: %v\n%s", d.err, d.out.String())
		case <-deadline:
			t.Fatalf("akash-node devnet not up after 120s:\n%s", d.out.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	m, err := devnet.LoadManifest(home)
	if err != nil {
		t.Fatal(err)
	}
	d.m = m
	for i := range m.Validators {
		b, err := os.ReadFile(devnet.PIDPath(m, i))
		if err != nil {
			t.Fatalf("devnet is up but has no pid file for %s: %v", m.Validators[i].Name, err)
		}
		d.pids = append(d.pids, int(mustInt(t, strings.TrimSpace(string(b)))))
	}
	return d
}

// stop sends SIGINT (Ctrl-C) and checks that the devnet exits 0 and leaves
// no validator process, pid file or listening RPC port behind.
func (d *devnetProc) stop(t *testing.T) {
	t.Helper()
	if err := d.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-d.exited:
		if d.err != nil {
			t.Fatalf("devnet exited with %v after SIGINT:\n%s", d.err, d.out.String())
		}
	case <-time.After(40 * time.Second):
		t.Fatalf("devnet still running 40s after SIGINT")
	}
	if !strings.Contains(d.out.String(), "devnet stopped") {
		t.Errorf("devnet did not report its stop:\n%s", d.out.String())
	}
	d.assertNoValidators(t)
}

// assertNoValidators checks that no validator process of the devnet lives.
func (d *devnetProc) assertNoValidators(t *testing.T) {
	t.Helper()
	for i, pid := range d.pids {
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("validator %s (pid %d) still exists after the devnet stopped (kill 0: %v)", d.m.Validators[i].Name, pid, err)
		}
		if _, err := os.Stat(devnet.PIDPath(d.m, i)); err == nil {
			t.Errorf("pid file %s left behind", devnet.PIDPath(d.m, i))
		}
		if c, err := net.DialTimeout("tcp", strings.TrimPrefix(d.m.RPC(i), "tcp://"), time.Second); err == nil {
			c.Close()
			t.Errorf("%s RPC %s still accepts connections", d.m.Validators[i].Name, d.m.RPC(i))
		}
	}
}

// cli returns a runner of `akash-node ... --home <devnet home>`.
func (d *devnetProc) cli(t *testing.T) func(...string) string {
	return func(args ...string) string {
		t.Helper()
		cmd := exec.Command(d.bin, append(args, "--home", d.home)...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("akash-node %s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
		return out.String()
	}
}

// send transfers amount uakt from key to addr with `tx bank send` (no
// --chain-id, --node or --keyring-backend: client.toml supplies them), waits
// for the tx and returns its height.
func (d *devnetProc) send(t *testing.T, key, to string, amount, fee int64) int64 {
	t.Helper()
	run := d.cli(t)
	out := run("tx", "bank", "send", key, to, fmt.Sprintf("%duakt", amount), "--fees", fmt.Sprintf("%duakt", fee), "--yes", "--output", "json")
	var res struct {
		TxHash string `json:"txhash"`
		Code   uint32 `json:"code"`
		RawLog string `json:"raw_log"`
	}
	if err := json.Unmarshal([]byte(lastLine(out)), &res); err != nil || res.TxHash == "" || res.Code != 0 {
		t.Fatalf("tx bank send %s -> %s: %v code %d %s\n%s", key, to, err, res.Code, res.RawLog, out)
	}
	return d.waitTx(t, res.TxHash)
}

// waitTx polls CometBFT's /tx until the tx is in a block (plain RPC, no
// websocket: robust on a loaded machine) and returns its height.
func (d *devnetProc) waitTx(t *testing.T, hash string) int64 {
	t.Helper()
	var res struct {
		Result struct {
			Height   string `json:"height"`
			TxResult struct {
				Code uint32 `json:"code"`
				Log  string `json:"log"`
			} `json:"tx_result"`
		} `json:"result"`
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		err := getJSONURL(d.m.RPCURL(0)+"/tx?hash=0x"+hash, &res)
		if err == nil && res.Result.Height != "" {
			if res.Result.TxResult.Code != 0 {
				t.Fatalf("tx %s failed in block %s: code %d: %s", hash, res.Result.Height, res.Result.TxResult.Code, res.Result.TxResult.Log)
			}
			return mustInt(t, res.Result.Height)
		}
		if time.Now().After(deadline) {
			t.Fatalf("tx %s not in a block after 60s (last answer: %v)", hash, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (d *devnetProc) waitHeight(t *testing.T, h int64) {
	t.Helper()
	for i := range d.m.Validators {
		d.waitHeightOf(t, i, h)
	}
}

func (d *devnetProc) waitHeightOf(t *testing.T, i int, h int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		got, _ := devnet.Height(ctx, d.m.RPCURL(i))
		if got >= h {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("%s at height %d after 60s, want >= %d", d.m.Validators[i].Name, got, h)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (d *devnetProc) dumpLogs(t *testing.T) {
	t.Logf("devnet output:\n%s", d.out.String())
	if d.m == nil {
		return
	}
	for i, v := range d.m.Validators {
		b, _ := os.ReadFile(devnet.LogPath(d.m, i))
		if len(b) > 6000 {
			b = b[len(b)-6000:]
		}
		t.Logf("%s log (tail):\n%s", v.Name, b)
	}
}

// freePortBlock finds n consecutive free ports on 127.0.0.1 and returns the first.
func freePortBlock(t *testing.T, n int) int {
	t.Helper()
	for range 100 {
		base := 20000 + rand.IntN(40000)
		var ls []net.Listener
		free := true
		for p := base; p < base+n; p++ {
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
			if err != nil {
				free = false
				break
			}
			ls = append(ls, l)
		}
		for _, l := range ls {
			l.Close()
		}
		if free {
			return base
		}
	}
	t.Fatalf("no block of %d free ports found", n)
	return 0
}

func getJSONURL(url string, v any) error {
	s := get(context.Background(), url)
	if s == "" {
		return fmt.Errorf("GET %s: no answer", url)
	}
	return json.Unmarshal([]byte(s), v)
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("not an integer: %q", s)
	}
	return n
}

// lockedBuffer collects a child's output while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestDevnetRestartReadyForTx: after a clean stop and a restart on the same
// home, the first transaction sent once the devnet says it is up lands (it
// was refused with "account number (0)" when up meant "the RPC answers with
// the stored height" rather than "a block of this run was committed").
func TestDevnetRestartReadyForTx(t *testing.T) {
	home := filepath.Join(t.TempDir(), "dn")
	d := startDevnet(t, home, "--keys", "tenant,provider1", "--block-time", "500ms")
	d.waitHeight(t, 3)
	d.stop(t)
	d = startDevnet(t, home)
	provider, _ := d.m.Key("provider1")
	d.send(t, "tenant", provider.Address, 777, 5000) // fails the test if refused
	d.stop(t)
}
