package devnet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// StopTimeout is how long a validator gets to shut down after SIGTERM before
// it is killed.
const StopTimeout = 20 * time.Second

// Network is a running devnet: one child process per validator.
type Network struct {
	Manifest *Manifest
	procs    []*exec.Cmd
	exited   chan exit
	logs     []*os.File
}

type exit struct {
	i   int
	err error
}

// Start launches every validator of m as `binary start --home <val home>`,
// with its output in <home>/logs/<val>.log. The children run in their own
// process group (a terminal's Ctrl-C reaches only the devnet, which stops them
// in order) and get SIGTERM from the kernel if the devnet process dies, so no
// validator outlives it. Start returns once all processes are launched; use
// WaitReady for the first blocks.
func Start(m *Manifest, binary string) (*Network, error) {
	if pid, alive := runningPID(m.Home); alive {
		return nil, fmt.Errorf("devnet: the devnet in %s is already running (pid %d)", m.Home, pid)
	}
	logDir := filepath.Join(m.Home, "logs")
	runDir := filepath.Join(m.Home, "run")
	for _, d := range []string{logDir, runDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	if err := os.WriteFile(filepath.Join(runDir, "devnet.pid"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return nil, err
	}
	n := &Network{Manifest: m, exited: make(chan exit, len(m.Validators))}
	for i, v := range m.Validators {
		f, err := os.OpenFile(LogPath(m, i), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			n.Stop()
			return nil, err
		}
		fmt.Fprintf(f, "\n==== akash-node devnet: starting %s at %s ====\n", v.Name, time.Now().Format(time.RFC3339))
		cmd := exec.Command(binary, "start", "--home", v.Home)
		cmd.Stdout, cmd.Stderr = f, f
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
		if err := cmd.Start(); err != nil {
			f.Close()
			n.Stop()
			return nil, fmt.Errorf("devnet: starting %s (%s start --home %s): %w", v.Name, binary, v.Home, err)
		}
		_ = os.WriteFile(PIDPath(m, i), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644)
		n.procs = append(n.procs, cmd)
		n.logs = append(n.logs, f)
		go func(i int, cmd *exec.Cmd) { n.exited <- exit{i, cmd.Wait()} }(i, cmd)
	}
	return n, nil
}

// LogPath is where validator i's output goes.
func LogPath(m *Manifest, i int) string {
	return filepath.Join(m.Home, "logs", m.Validators[i].Name+".log")
}

// PIDPath holds validator i's process id while the devnet runs.
func PIDPath(m *Manifest, i int) string {
	return filepath.Join(m.Home, "run", m.Validators[i].Name+".pid")
}

// WaitReady waits until every validator has committed a block after its RPC
// first answered, at a height >= minHeight. A restarted node answers at
// once with the last height of its store, before its app has committed a
// block of this run; a transaction sent then is refused (account number 0),
// so ready means a new block. It fails early, with the tail of its log,
// when a validator exits.
func (n *Network) WaitReady(ctx context.Context, minHeight int64) error {
	for i := range n.Manifest.Validators {
		first := int64(-1) // the height at the first answer
		for {
			h, err := Height(ctx, n.Manifest.RPCURL(i))
			if err == nil && first < 0 {
				first = h
			}
			if err == nil && h > first && h >= minHeight {
				break
			}
			select {
			case e := <-n.exited:
				n.exited <- e // Wait reports it again
				return n.exitError(e)
			case <-ctx.Done():
				return fmt.Errorf("devnet: %s at height %d, want a new block at height >= max(%d, %d): %w (see %s)",
					n.Manifest.Validators[i].Name, h, first+1, minHeight, ctx.Err(), LogPath(n.Manifest, i))
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	return nil
}

// Wait blocks until ctx ends (the devnet's SIGINT/SIGTERM) or a validator
// exits on its own; either way it stops every validator before returning.
// The error names a validator that died, with its log.
func (n *Network) Wait(ctx context.Context) error {
	select {
	case <-ctx.Done():
		n.Stop()
		return nil
	case e := <-n.exited:
		n.exited <- e
		n.Stop()
		return n.exitError(e)
	}
}

func (n *Network) exitError(e exit) error {
	v := n.Manifest.Validators[e.i]
	return fmt.Errorf("devnet: validator %s exited (%v); last lines of %s:\n%s",
		v.Name, e.err, LogPath(n.Manifest, e.i), tail(LogPath(n.Manifest, e.i), 15))
}

// Stop sends SIGTERM to every validator, waits up to StopTimeout for each
// and kills what is left. It returns when no validator process remains.
func (n *Network) Stop() {
	for _, p := range n.procs {
		_ = p.Process.Signal(syscall.SIGTERM) // an already finished process just returns an error
	}
	deadline := time.After(StopTimeout)
	pending := map[int]bool{}
	for i := range n.procs {
		pending[i] = true
	}
	// Exits that arrived before Stop are still in the channel.
	for len(pending) > 0 {
		select {
		case e := <-n.exited:
			delete(pending, e.i)
		case <-deadline:
			for i := range pending {
				_ = n.procs[i].Process.Kill()
			}
			deadline = nil // block on exits: Kill cannot be ignored
		}
	}
	for i, f := range n.logs {
		fmt.Fprintf(f, "==== akash-node devnet: %s stopped at %s ====\n", n.Manifest.Validators[i].Name, time.Now().Format(time.RFC3339))
		f.Close()
		_ = os.Remove(PIDPath(n.Manifest, i))
	}
	_ = os.Remove(filepath.Join(n.Manifest.Home, "run", "devnet.pid"))
	n.procs = nil
}

// runningPID returns the pid in home/run/devnet.pid when that process lives.
func runningPID(home string) (int, bool) {
	b, err := os.ReadFile(filepath.Join(home, "run", "devnet.pid"))
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 || pid == os.Getpid() {
		return 0, false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return 0, false
	}
	return pid, true
}

// Height is the latest block height CometBFT reports at rpcURL (http://host:port).
func Height(ctx context.Context, rpcURL string) (int64, error) {
	var st struct {
		Result struct {
			SyncInfo struct {
				LatestBlockHeight string `json:"latest_block_height"`
			} `json:"sync_info"`
		} `json:"result"`
	}
	if err := getJSON(ctx, rpcURL+"/status", &st); err != nil {
		return 0, err
	}
	return strconv.ParseInt(st.Result.SyncInfo.LatestBlockHeight, 10, 64)
}

func getJSON(ctx context.Context, url string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.Unmarshal(b, v)
}

// tail is the last n lines of a file, for error messages.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
