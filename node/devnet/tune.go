package devnet

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	cmtcfg "github.com/cometbft/cometbft/config"

	serverconfig "github.com/cosmos/cosmos-sdk/server/config"
)

// Mempool settings of a devnet node. CometBFT's default of 5000 txs fills
// in a few seconds of a load test at several hundred tx/s and then rejects
// txs ("mempool is full"); 50000 holds a whole burst of the load generator.
// Recheck stays on: without it a tx whose sequence was overtaken would stay
// in the mempool and be proposed to fail.
const (
	devnetMempoolSize  = 50_000
	devnetMempoolCache = 100_000
)

// tuneComet sets validator i's ports, peers and the devnet's consensus timing.
func tuneComet(c *cmtcfg.Config, cfg Config, m *Manifest, i int) {
	v := m.Validators[i]
	c.RPC.ListenAddress = fmt.Sprintf("tcp://%s:%d", cfg.Host, v.Ports.RPC)
	c.RPC.PprofListenAddress = "" // the default :6060 would collide between validators
	c.P2P.ListenAddress = fmt.Sprintf("tcp://%s:%d", cfg.Host, v.Ports.P2P)
	c.P2P.ExternalAddress = ""
	c.P2P.AddrBookStrict = false // peers are on 127.0.0.1
	c.P2P.AllowDuplicateIP = true
	var peers []string
	for j, p := range m.Validators {
		if j != i {
			peers = append(peers, fmt.Sprintf("%s@%s:%d", p.NodeID, cfg.Host, p.Ports.P2P))
		}
	}
	c.P2P.PersistentPeers = strings.Join(peers, ",")
	c.Instrumentation.Prometheus = true
	c.Instrumentation.PrometheusListenAddr = fmt.Sprintf("%s:%d", cfg.Host, v.Ports.Prometheus)

	// The block interval of a devnet is timeout_commit plus execution time.
	// With one validator the propose/prevote timeouts never fire; with several
	// on one machine, short ones keep a slow round from stalling a block for 3 s.
	c.Consensus.TimeoutCommit = cfg.BlockTime
	c.Consensus.TimeoutPropose = max(cfg.BlockTime, 1_000_000_000)
	c.Consensus.TimeoutPrevote = cfg.BlockTime / 2
	c.Consensus.TimeoutPrecommit = cfg.BlockTime / 2

	c.Mempool.Size = devnetMempoolSize
	c.Mempool.CacheSize = devnetMempoolCache
}

// tuneApp sets a validator's app.toml: gRPC and REST on its ports, zero gas
// price, and the rest of `akash-node init`'s defaults.
func tuneApp(a *serverconfig.Config, cfg Config, v Validator) *serverconfig.Config {
	a.GRPC.Enable = true
	a.GRPC.Address = fmt.Sprintf("%s:%d", cfg.Host, v.Ports.GRPC)
	a.API.Enable = true
	a.API.Address = fmt.Sprintf("tcp://%s:%d", cfg.Host, v.Ports.REST)
	return a
}

// writeClientConfig writes home/config/client.toml so that the CLI, given
// only --home, signs with the devnet keyring and talks to validator 0.
func writeClientConfig(home string, m *Manifest) error {
	dir := filepath.Join(home, "config")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	toml := fmt.Sprintf(`# Written by akash-node devnet: the CLI with --home %[1]s talks to this devnet.
chain-id = %[2]q
keyring-backend = "test"
keyring-default-keyname = ""
output = "text"
node = %[3]q
broadcast-mode = "sync"
`, home, m.ChainID, m.RPC(0))
	return os.WriteFile(filepath.Join(dir, "client.toml"), []byte(toml), 0o644)
}
