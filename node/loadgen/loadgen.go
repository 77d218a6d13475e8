// Package loadgen measures how many transactions per second a running akash
// chain commits. It funds a set of sender accounts from one funded key (one
// MsgMultiSend), signs every transaction up front and offline (account
// numbers and sequences are known, so signing costs nothing during the
// measurement), broadcasts them from one worker per sender (in sequence order,
// as CometBFT's mempool needs), and reads the committed count and the block
// times from the chain itself: tx/s = successful txs in the blocks that hold
// the load / (time of the last such block - time of the block before the first).
package loadgen

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"net"
	"net/http"
	"time"

	"cosmossdk.io/depinject"
	"cosmossdk.io/log/v2"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/node/app"
)

// Encoding is what signing needs from the app.
type Encoding struct {
	Codec    codec.Codec
	TxConfig client.TxConfig
}

// AppEncoding wires the app's codec and tx config the way the CLI does.
func AppEncoding() (Encoding, error) {
	var enc Encoding
	err := depinject.Inject(
		depinject.Configs(app.AppConfig(), depinject.Supply(log.NewNopLogger())),
		&enc.Codec, &enc.TxConfig,
	)
	if err != nil {
		return enc, fmt.Errorf("loadgen: wiring the app codec: %w", err)
	}
	return enc, nil
}

// Config is one load run.
type Config struct {
	RPC     string // CometBFT RPC, http://host:port or tcp://host:port
	ChainID string
	// Funder pays for the senders' balances; it must hold enough uakt.
	Funder cryptotypes.PrivKey
	// Senders is the number of accounts that send in parallel (one worker
	// each). Txs are spread evenly over them.
	Senders int
	Txs     int
	Kind    Kind
	// Fee paid by each tx (uakt). The devnet's minimum gas price is 0, but a
	// fee exercises the fee-deduction path every real tx takes.
	Fee int64
	// Seed makes the sender keys reproducible: the same seed gives the same
	// accounts, so a second run reuses (and tops up) them.
	Seed uint64
	// Timeout bounds the wait for the last tx to commit.
	Timeout time.Duration
}

func (c Config) withDefaults() Config {
	if c.Senders == 0 {
		c.Senders = 32
	}
	if c.Kind == nil {
		c.Kind = Send{}
	}
	if c.Timeout == 0 {
		c.Timeout = 2 * time.Minute
	}
	return c
}

func (c Config) validate() error {
	switch {
	case c.RPC == "":
		return fmt.Errorf("loadgen: no RPC address; want e.g. http://127.0.0.1:26657")
	case c.ChainID == "":
		return fmt.Errorf("loadgen: no chain id")
	case c.Funder == nil:
		return fmt.Errorf("loadgen: no funder key")
	case c.Txs < 1:
		return fmt.Errorf("loadgen: --txs %d: want at least 1", c.Txs)
	case c.Senders < 1 || c.Senders > 1000:
		return fmt.Errorf("loadgen: --senders %d: want 1..1000", c.Senders)
	case c.Fee < 0:
		return fmt.Errorf("loadgen: --fee %d: must not be negative", c.Fee)
	}
	return nil
}

// Account is a signing account with its on-chain number and next sequence.
type Account struct {
	Key      cryptotypes.PrivKey
	Address  sdk.AccAddress
	Number   uint64
	Sequence uint64
}

// senderKey derives sender i's key from the run seed.
func senderKey(seed uint64, i int) cryptotypes.PrivKey {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], seed)
	binary.BigEndian.PutUint64(b[8:], uint64(i))
	sum := sha256.Sum256(append([]byte("akash-loadgen-sender"), b[:]...))
	return secp256k1.GenPrivKeyFromSecret(sum[:])
}

// newRPC is a CometBFT HTTP client whose transport keeps one idle connection
// per worker, so broadcasting does not open a connection per tx.
func newRPC(remote string, workers int) (*rpchttp.HTTP, error) {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        workers + 4,
		MaxIdleConnsPerHost: workers + 4,
		IdleConnTimeout:     90 * time.Second,
	}
	c, err := rpchttp.NewWithClient(remote, "/websocket", &http.Client{Transport: tr, Timeout: 30 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("loadgen: RPC client for %s: %w", remote, err)
	}
	return c, nil
}
