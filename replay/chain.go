package replay

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"cosmossdk.io/log/v2"
	sdkmath "cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	pruningtypes "github.com/cosmos/cosmos-sdk/store/v2/pruning/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsign "github.com/cosmos/cosmos-sdk/x/auth/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	"github.com/akash-market/akash/node/app"
)

// Chain is the real application (node/app.New on an in-memory database)
// driven block by block with FinalizeBlock and Commit, as CometBFT drives
// it, with signed transactions from deterministic keys: one per simulated
// address.
type Chain struct {
	App     *app.App
	ChainID string
	valSet  *cmttypes.ValidatorSet
	start   time.Time
	block   time.Duration
	keys    map[string]*account // by simulated address
	// height is the last committed block. The app's LastBlockHeight hashes
	// every store's commit info on each call (a quarter of an empty
	// block's time): the driver knows the height, so it keeps it.
	height int64
}

type account struct {
	priv *secp256k1.PrivKey
	addr sdk.AccAddress
	num  uint64
	seq  uint64
}

// keyOf derives an address's key from its simulated name, so a replay's
// accounts are the same on every run.
func keyOf(sim string) *secp256k1.PrivKey {
	return secp256k1.GenPrivKeyFromSecret([]byte("akash-replay/v1/" + sim))
}

// AccAddress is the chain account standing for a simulated address.
func AccAddress(sim string) sdk.AccAddress { return sdk.AccAddress(keyOf(sim).PubKey().Address()) }

// Genesis edits the app's default genesis before InitChain (module params).
type Genesis func(cdc codec.Codec, state map[string]json.RawMessage) error

// NewChain starts a chain whose genesis funds each simulated address with
// coins (whole units of denom), one validator, and the edits applied.
func NewChain(funds map[string]sdk.Coins, blockTime time.Duration, edits ...Genesis) (*Chain, error) {
	const chainID = "akash-replay"
	// Only the last state is ever read: prune every older version, so memory
	// stays at one state's size however many blocks run.
	a, err := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{}, baseapp.SetChainID(chainID),
		baseapp.SetPruning(pruningtypes.NewPruningOptions(pruningtypes.PruningEverything)))
	if err != nil {
		return nil, err
	}
	c := &Chain{App: a, ChainID: chainID, start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), block: blockTime, keys: map[string]*account{}}
	if c.valSet, err = simtestutil.CreateRandomValidatorSet(); err != nil {
		return nil, err
	}
	var (
		accs     []authtypes.GenesisAccount
		balances []banktypes.Balance
	)
	for _, sim := range sortedKeys(funds) {
		k := keyOf(sim)
		addr := sdk.AccAddress(k.PubKey().Address())
		c.keys[sim] = &account{priv: k, addr: addr, num: uint64(len(accs))}
		accs = append(accs, authtypes.NewBaseAccount(addr, k.PubKey(), uint64(len(accs)), 0))
		balances = append(balances, banktypes.Balance{Address: addr.String(), Coins: funds[sim]})
	}
	if len(accs) == 0 {
		return nil, fmt.Errorf("replay: a chain needs at least one funded account")
	}
	state, err := simtestutil.GenesisStateWithValSet(a.AppCodec(), a.DefaultGenesis(), c.valSet, accs, balances...)
	if err != nil {
		return nil, fmt.Errorf("replay: genesis: %w", err)
	}
	for _, edit := range edits {
		if err := edit(a.AppCodec(), state); err != nil {
			return nil, fmt.Errorf("replay: genesis: %w", err)
		}
	}
	stateBytes, err := cmtjson.MarshalIndent(state, "", " ")
	if err != nil {
		return nil, err
	}
	params := *simtestutil.DefaultConsensusParams
	block := *params.Block
	block.MaxGas = -1 // a block holds every action of its height, however many
	block.MaxBytes = 100 << 20
	params.Block = &block
	params.Authority = &cmtproto.AuthorityParams{Authority: authtypes.NewModuleAddress(govtypes.ModuleName).String()}
	if _, err := a.InitChain(&abci.RequestInitChain{ChainId: c.ChainID, Time: c.start, Validators: []abci.ValidatorUpdate{},
		ConsensusParams: &params, AppStateBytes: stateBytes, InitialHeight: 1}); err != nil {
		return nil, fmt.Errorf("replay: InitChain: %w", err)
	}
	return c, nil
}

// Height is the last finalized block.
func (c *Chain) Height() int64 { return c.height }

// Tx is one transaction to put in a block: its messages, signed by the
// simulated address From.
type Tx struct {
	From string
	Msgs []sdk.Msg
}

// Block finalizes and commits the next block with txs in order and returns
// each transaction's result (code 0 is success). The accounts' sequences
// follow: the SDK takes a sequence for every transaction whose signature
// checks passed, even if its messages then failed.
func (c *Chain) Block(txs []Tx) ([]*abci.ExecTxResult, error) {
	h := c.Height() + 1
	raw := make([][]byte, len(txs))
	for i, tx := range txs {
		b, err := c.sign(tx)
		if err != nil {
			return nil, fmt.Errorf("replay: block %d tx %d from %s: %w", h, i, tx.From, err)
		}
		raw[i] = b
	}
	res, err := c.App.FinalizeBlock(&abci.RequestFinalizeBlock{Height: h, Time: c.start.Add(time.Duration(h) * c.block),
		Txs: raw, NextValidatorsHash: c.valSet.Hash(), ProposerAddress: c.valSet.Proposer.Address})
	if err != nil {
		return nil, fmt.Errorf("replay: FinalizeBlock %d: %w", h, err)
	}
	if _, err := c.App.Commit(); err != nil {
		return nil, fmt.Errorf("replay: Commit %d: %w", h, err)
	}
	c.height = h
	// The SDK uses a sequence for every transaction that passed its ante
	// handler, even if a message then failed: read them back rather than guess.
	ctx := c.Context()
	for _, tx := range txs {
		acc := c.keys[tx.From]
		if a := c.App.AccountKeeper.GetAccount(ctx, acc.addr); a != nil {
			acc.seq = a.GetSequence()
		}
	}
	return res.TxResults, nil
}

func (c *Chain) sign(tx Tx) ([]byte, error) {
	acc, ok := c.keys[tx.From]
	if !ok {
		return nil, fmt.Errorf("no genesis account for %q", tx.From)
	}
	cfg := c.App.TxConfig()
	mode, err := authsign.APISignModeToInternal(cfg.SignModeHandler().DefaultMode())
	if err != nil {
		return nil, err
	}
	b := cfg.NewTxBuilder()
	if err := b.SetMsgs(tx.Msgs...); err != nil {
		return nil, err
	}
	b.SetGasLimit(100_000_000)
	sig := signing.SignatureV2{PubKey: acc.priv.PubKey(), Data: &signing.SingleSignatureData{SignMode: mode}, Sequence: acc.seq}
	if err := b.SetSignatures(sig); err != nil {
		return nil, err
	}
	bytes, err := authsign.GetSignBytesAdapter(context.Background(), cfg.SignModeHandler(), mode,
		authsign.SignerData{Address: acc.addr.String(), ChainID: c.ChainID, AccountNumber: acc.num, Sequence: acc.seq, PubKey: acc.priv.PubKey()},
		b.GetTx())
	if err != nil {
		return nil, err
	}
	if sig.Data.(*signing.SingleSignatureData).Signature, err = acc.priv.Sign(bytes); err != nil {
		return nil, err
	}
	if err := b.SetSignatures(sig); err != nil {
		return nil, err
	}
	acc.seq++ // the next tx of this signer in the same block; Block reads the real one back after
	return cfg.TxEncoder()(b.GetTx())
}

// Context is a context on the last committed state (the check state, which
// Commit resets to it), for queries between blocks.
func (c *Chain) Context() sdk.Context {
	return c.App.NewContextLegacy(true, cmtproto.Header{ChainID: c.ChainID, Height: c.Height(), Time: c.start.Add(time.Duration(c.Height()) * c.block)})
}

// Balance is an account's balance of denom.
func (c *Chain) Balance(sim, denom string) sdkmath.Int {
	return c.App.BankKeeper.GetBalance(c.Context(), AccAddress(sim), denom).Amount
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
