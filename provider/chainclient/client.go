// Package chainclient is the provider daemon's ChainClient (and gateway
// Chain and certificate RootStore) on a real akash-node: CometBFT RPC for
// ABCI queries, tx broadcast and the NewBlock websocket subscription; the
// market, deployment and cert modules' query services; txs signed with a key
// from the node's keyring.
package chainclient

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	gogoproto "github.com/cosmos/gogoproto/proto"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
)

// Config is where the chain is and who signs.
type Config struct {
	RPC      string // CometBFT RPC, e.g. tcp://127.0.0.1:26657
	ChainID  string
	Provider string // this provider's address (the key's address)
	KeyName  string // the key in Keyring that signs
	Keyring  keyring.Keyring
	Codec    codec.Codec
	TxConfig client.TxConfig
	// Gas is the gas limit per message (a tx of n messages gets n times
	// it; default 400000) unless GasAuto, which simulates each tx and
	// multiplies the gas it used by GasAdjustment (default 1.5).
	Gas           uint64
	GasAuto       bool
	GasAdjustment float64
	// The fee: GasPrices times the gas limit (e.g. "0.025uakt"), or Fees
	// per message (e.g. "5000uakt"); neither = no fee.
	GasPrices string
	Fees      string
	// StreamSilence: no block for this long means the stream is stuck: it
	// is closed (a gap) so the daemon catches up and subscribes again.
	// Default 30s.
	StreamSilence time.Duration
	// TxTimeout bounds the wait for a tx to land in a block (default 30s).
	TxTimeout time.Duration
}

// Defaults of Config.
const (
	DefaultGas           = 400_000
	DefaultGasAdjustment = 1.5
)

// Client talks to one node.
type Client struct {
	cfg Config
	rpc *rpchttp.HTTP
	seq *sequence
}

// New connects (lazily: the first call dials) and checks the config.
func New(cfg Config) (*Client, error) {
	switch {
	case cfg.RPC == "" || cfg.ChainID == "":
		return nil, errors.New("chainclient: RPC address and chain ID are required (--node, --chain-id)")
	case cfg.Codec == nil || cfg.TxConfig == nil:
		return nil, errors.New("chainclient: codec and tx config are required")
	}
	if cfg.Gas == 0 {
		cfg.Gas = DefaultGas
	}
	if cfg.GasAdjustment == 0 {
		cfg.GasAdjustment = DefaultGasAdjustment
	}
	if cfg.GasPrices != "" && cfg.Fees != "" {
		return nil, errors.New("chainclient: --gas-prices and --fees both set; give one (the fee is either gas times price or fixed)")
	}
	if cfg.StreamSilence == 0 {
		cfg.StreamSilence = 30 * time.Second
	}
	if cfg.TxTimeout == 0 {
		cfg.TxTimeout = 30 * time.Second
	}
	c, err := rpchttp.New(cfg.RPC, "/websocket")
	if err != nil {
		return nil, fmt.Errorf("chainclient: RPC client for %s: %w", cfg.RPC, err)
	}
	return &Client{cfg: cfg, rpc: c, seq: &sequence{}}, nil
}

// RPC exposes the CometBFT client (for status and waiting on txs).
func (c *Client) RPC() *rpchttp.HTTP { return c.rpc }

// query runs one gRPC query method over ABCI at height (0 = latest).
func (c *Client) query(ctx context.Context, method string, height int64, req, resp gogoproto.Message) error {
	bz, err := gogoproto.Marshal(req)
	if err != nil {
		return err
	}
	opts := rpcABCIQueryOptions(height)
	out, err := c.rpc.ABCIQueryWithOptions(ctx, method, bz, opts)
	if err != nil {
		return fmt.Errorf("query %s at %s: %w", method, c.cfg.RPC, err)
	}
	if out.Response.Code != 0 {
		return &QueryError{Method: method, Code: out.Response.Code, Codespace: out.Response.Codespace, Log: out.Response.Log}
	}
	if err := gogoproto.Unmarshal(out.Response.Value, resp); err != nil {
		return fmt.Errorf("query %s: decode: %w", method, err)
	}
	return nil
}

// QueryError is a query the node answered with an error code.
type QueryError struct {
	Method    string
	Code      uint32
	Codespace string
	Log       string
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("query %s: %s code %d: %s", e.Method, e.Codespace, e.Code, e.Log)
}

// height returns the latest block height.
func (c *Client) height(ctx context.Context) (int64, error) {
	st, err := c.rpc.Status(ctx)
	if err != nil {
		return 0, fmt.Errorf("chain status at %s: %w (is the node running?)", c.cfg.RPC, err)
	}
	return st.SyncInfo.LatestBlockHeight, nil
}

// Query runs one query service method (e.g. "/akash.market.v1.Query/Leases")
// at height (0 = latest), for callers with their own requests.
func (c *Client) Query(ctx context.Context, method string, height int64, req, resp gogoproto.Message) error {
	return c.query(ctx, method, height, req, resp)
}

// Height returns the latest block height.
func (c *Client) Height(ctx context.Context) (int64, error) { return c.height(ctx) }

// Signer is the address that signs this client's txs.
func (c *Client) Signer() string { return c.cfg.Provider }

// IsNotFound reports whether a query failed because the object does not
// exist (the query servers answer gRPC NotFound, which reaches ABCI as the
// SDK's key-not-found code).
func IsNotFound(err error) bool {
	var qe *QueryError
	if !errors.As(err, &qe) {
		return false
	}
	return (qe.Codespace == sdkerrors.RootCodespace && (qe.Code == sdkerrors.ErrKeyNotFound.ABCICode() || qe.Code == sdkerrors.ErrNotFound.ABCICode())) ||
		strings.Contains(qe.Log, "code = NotFound")
}
