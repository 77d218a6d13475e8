// Package devnet creates and runs a local akash network: N validators, each
// with its own home and CometBFT process (child processes of the akash-node
// binary, linked by persistent peers), one shared test keyring with funded
// named keys, and a manifest (devnet.json) from which a later run restarts the
// same network from its state.
package devnet

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/market"
)

// Defaults of `akash-node devnet`.
const (
	DefaultChainID    = "akash-devnet"
	DefaultFund       = "1000000000000uakt"
	DefaultBlockTime  = time.Second
	DefaultPortsFrom  = 26657
	DefaultValidators = 1
	// PortsPerValidator is the stride between validators' port blocks: validator i
	// listens on PortsFrom+i*PortsPerValidator+{0..4} (see Ports).
	PortsPerValidator = 10
	// bond is each validator's self-delegation: 100 AKT = 100 voting power.
	bond = 100_000_000
)

// DefaultKeys are the funded keys a devnet gets unless --keys says otherwise:
// one tenant and two providers, enough to run a market by hand.
var DefaultKeys = []string{"tenant", "provider1", "provider2"}

// DefaultHome is ~/.akash-devnet (or .akash-devnet when there is no home dir).
func DefaultHome() string {
	h, err := os.UserHomeDir()
	if err != nil {
		return ".akash-devnet"
	}
	return filepath.Join(h, ".akash-devnet")
}

// Config is what a devnet is created from. On a restart only Home (and
// Binary) matter: the rest comes from the manifest saved at creation.
type Config struct {
	Home       string
	ChainID    string
	Validators int
	Keys       []string
	Fund       string // coins given to every key and every validator operator
	BlockTime  time.Duration
	PortsFrom  int
	// Host is the address every listener binds to and peers dial (127.0.0.1).
	Host string
	// BidWindow, when > 0, sets the market's bid_window_blocks in genesis
	// (how many blocks an order takes bids). A bid load test needs every
	// bid to land while its order is open.
	BidWindow int64
	// Matching, when set, is the market's matching param in genesis: auto
	// (the lowest eligible bid wins at the close) or tenant (the tenant
	// picks a bid with MsgCreateLease before the bid timeout).
	Matching string
	// BidTimeout, when > 0, sets the market's bid_timeout_blocks in genesis:
	// under tenant matching, how many blocks after its close an order waits
	// for its tenant's pick.
	BidTimeout int64
}

// WithDefaults fills empty fields with the defaults.
func (c Config) WithDefaults() Config {
	if c.Home == "" {
		c.Home = DefaultHome()
	}
	if c.ChainID == "" {
		c.ChainID = DefaultChainID
	}
	if c.Validators == 0 {
		c.Validators = DefaultValidators
	}
	if c.Keys == nil {
		c.Keys = append([]string(nil), DefaultKeys...)
	}
	if c.Fund == "" {
		c.Fund = DefaultFund
	}
	if c.BlockTime == 0 {
		c.BlockTime = DefaultBlockTime
	}
	if c.PortsFrom == 0 {
		c.PortsFrom = DefaultPortsFrom
	}
	if c.Host == "" {
		c.Host = "127.0.0.1"
	}
	return c
}

var keyName = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

// Validate reports the first bad field with what would be right.
func (c Config) Validate() error {
	if c.Validators < 1 || c.Validators > 20 {
		return fmt.Errorf("--validators %d: must be between 1 and 20", c.Validators)
	}
	seen := map[string]bool{}
	for _, k := range c.Keys {
		if !keyName.MatchString(k) {
			return fmt.Errorf("--keys: key name %q: must match %s (lower-case letter first, then letters, digits, - or _)", k, keyName)
		}
		if isValidatorKey(k) {
			return fmt.Errorf("--keys: key name %q is reserved for validator operators (val0, val1, ...); pick another name", k)
		}
		if seen[k] {
			return fmt.Errorf("--keys: key %q listed twice", k)
		}
		seen[k] = true
	}
	coins, err := sdk.ParseCoinsNormalized(c.Fund)
	if err != nil || coins.Empty() {
		return fmt.Errorf("--fund %q: want coins like %s (%v)", c.Fund, DefaultFund, err)
	}
	if coins.AmountOf(sdk.DefaultBondDenom).LT(sdkmath.NewInt(2 * bond)) {
		return fmt.Errorf("--fund %q: needs at least %d%s (validators bond %d%s from it and pay fees)",
			c.Fund, 2*bond, sdk.DefaultBondDenom, bond, sdk.DefaultBondDenom)
	}
	if c.BlockTime < 10*time.Millisecond || c.BlockTime > time.Minute {
		return fmt.Errorf("--block-time %s: must be between 10ms and 1m (CometBFT timeout_commit)", c.BlockTime)
	}
	last := c.PortsFrom + c.Validators*PortsPerValidator
	if c.PortsFrom < 1024 || last > 65535 {
		return fmt.Errorf("--ports-from %d: ports %d..%d must lie within 1024..65535", c.PortsFrom, c.PortsFrom, last)
	}
	if c.BidWindow < 0 {
		return fmt.Errorf("--bid-window %d: must be >= 1 block (or 0 for the chain's default)", c.BidWindow)
	}
	if _, err := market.ParseMatching(c.Matching); err != nil {
		return fmt.Errorf("--matching: %w", err)
	}
	if c.BidTimeout < 0 {
		return fmt.Errorf("--bid-timeout %d: must be >= 1 block (or 0 for the chain's default)", c.BidTimeout)
	}
	if ip := net.ParseIP(c.Host); ip == nil || ip.IsUnspecified() {
		return fmt.Errorf("--host %q: want the IP address of one interface of this machine, e.g. 127.0.0.1 or a Docker bridge's 172.30.0.1 (validators listen there and peers dial it, so not 0.0.0.0)", c.Host)
	}
	if strings.TrimSpace(c.Home) == "" {
		return errors.New("--home: empty; give a directory for the devnet")
	}
	return nil
}

func isValidatorKey(name string) bool {
	return regexp.MustCompile(`^val[0-9]+$`).MatchString(name)
}

// Ports are one validator's listeners.
type Ports struct {
	RPC        int `json:"rpc"`        // CometBFT RPC (also what the CLI's --node dials)
	P2P        int `json:"p2p"`        // CometBFT peer-to-peer
	GRPC       int `json:"grpc"`       // Cosmos gRPC
	REST       int `json:"rest"`       // gRPC-gateway (REST)
	Prometheus int `json:"prometheus"` // CometBFT Prometheus metrics
}

// PortsOf is validator i's block of ports.
func (c Config) PortsOf(i int) Ports {
	b := c.PortsFrom + i*PortsPerValidator
	return Ports{RPC: b, P2P: b + 1, GRPC: b + 2, REST: b + 3, Prometheus: b + 4}
}
