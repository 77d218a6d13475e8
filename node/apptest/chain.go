// Package apptest is the one real-app test harness of the chain: it runs the
// akash app (node/app.New) on an in-memory database with genesis of one
// validator and funded accounts, delivers signed transactions through
// FinalizeBlock and commits, one block per call, and reaches every keeper.
// Module tests and app tests share it so that they all exercise the same
// wiring; no keeper is mocked.
package apptest

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/gogoproto/proto"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/akash-market/akash/node/app"
)

// ChainID of the test chain.
const ChainID = "akash-test"

// Account is a funded test account.
type Account struct {
	Priv cryptotypes.PrivKey
	Addr sdk.AccAddress
}

// String is the bech32 address.
func (a Account) String() string { return a.Addr.String() }

// Chain is a running app with its accounts.
type Chain struct {
	T        testing.TB
	App      *app.App
	Accounts []Account
	genesis  time.Time
}

// NewChain starts the app with n accounts funded with balance uakt each;
// Accounts[0] also delegates to the single validator.
func NewChain(t testing.TB, n int, balance int64) *Chain {
	t.Helper()
	return NewChainWithGenesis(t, n, balance, nil)
}

// NewChainWithGenesis is NewChain with edit applied to the genesis state
// (module name -> JSON) before InitChain, e.g. to shorten gov's voting period.
func NewChainWithGenesis(t testing.TB, n int, balance int64, edit func(gen map[string]json.RawMessage)) *Chain {
	t.Helper()
	a, err := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{}, baseapp.SetChainID(ChainID))
	if err != nil {
		t.Fatal(err)
	}
	c := &Chain{T: t, App: a, genesis: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	var (
		genAccs  []authtypes.GenesisAccount
		balances []banktypes.Balance
	)
	for i := 0; i < n; i++ {
		priv := secp256k1.GenPrivKeyFromSecret([]byte(fmt.Sprintf("akash test account %d", i)))
		acc := Account{Priv: priv, Addr: sdk.AccAddress(priv.PubKey().Address())}
		c.Accounts = append(c.Accounts, acc)
		genAccs = append(genAccs, authtypes.NewBaseAccount(acc.Addr, priv.PubKey(), uint64(i), 0))
		balances = append(balances, banktypes.Balance{Address: acc.String(), Coins: sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, balance))})
	}
	valSet, err := simtestutil.CreateRandomValidatorSet()
	if err != nil {
		t.Fatal(err)
	}
	gen, err := simtestutil.GenesisStateWithValSet(a.AppCodec(), a.DefaultGenesis(), valSet, genAccs, balances...)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(gen)
	}
	c.InitChain(gen)
	return c
}

// NewChainFromState starts a new app from an exported app state (what
// `akash-node export` writes into a new genesis), with no accounts of its own.
func NewChainFromState(t testing.TB, appState json.RawMessage) *Chain {
	t.Helper()
	a, err := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{}, baseapp.SetChainID(ChainID))
	if err != nil {
		t.Fatal(err)
	}
	c := &Chain{T: t, App: a, genesis: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	c.initChain(appState)
	return c
}

// InitChain runs InitChain with gen and commits the first block.
func (c *Chain) InitChain(gen map[string]json.RawMessage) {
	c.T.Helper()
	bz, err := cmtjson.MarshalIndent(gen, "", " ")
	if err != nil {
		c.T.Fatal(err)
	}
	c.initChain(bz)
}

func (c *Chain) initChain(bz []byte) {
	c.T.Helper()
	if _, err := c.App.InitChain(&abci.RequestInitChain{
		ChainId: ChainID, Time: c.genesis, ConsensusParams: simtestutil.DefaultConsensusParams, AppStateBytes: bz,
		InitialHeight: 1,
	}); err != nil {
		c.T.Fatal(err)
	}
	c.finalize(nil)
}

// Height is the last committed height.
func (c *Chain) Height() int64 { return c.App.LastBlockHeight() }

func (c *Chain) header() cmtproto.Header {
	h := c.Height() + 1
	return cmtproto.Header{ChainID: ChainID, Height: h, Time: c.blockTime(h)}
}

// Ctx is a read context on the committed state (the check state Commit
// resets), at the next block's height: what a query sees.
func (c *Chain) Ctx() sdk.Context { return c.App.NewContextLegacy(true, c.header()) }

// InBlock runs f with a context of the next block and commits that block:
// how a test plays another module's keeper call (e.g. market's LeaseClosed).
func (c *Chain) InBlock(f func(ctx sdk.Context) error) {
	c.T.Helper()
	if err := f(c.App.NewNextBlockContext(c.header())); err != nil {
		c.T.Fatalf("block %d: %v", c.Height()+1, err)
	}
	c.finalize(nil)
}

func (c *Chain) blockTime(h int64) time.Time {
	return c.genesis.Add(time.Duration(h) * 6 * time.Second)
}

func (c *Chain) finalize(txs [][]byte) *abci.ResponseFinalizeBlock {
	c.T.Helper()
	h := c.Height() + 1
	res, err := c.App.FinalizeBlock(&abci.RequestFinalizeBlock{Height: h, Time: c.blockTime(h), Txs: txs})
	if err != nil {
		c.T.Fatalf("FinalizeBlock %d: %v", h, err)
	}
	if _, err := c.App.Commit(); err != nil {
		c.T.Fatalf("Commit %d: %v", h, err)
	}
	return res
}

// ScratchBlock finalizes and commits an empty next block and, between the
// two, runs f on the finalize state, where the SDK's simulation operations
// SimDeliver their txs. In SDK v0.55 FinalizeBlock has already written that
// state to the store when it returns, so what f and the operations change is
// thrown away: use it to let operations pick their messages, then deliver
// those for real with Deliver.
func (c *Chain) ScratchBlock(f func(ctx sdk.Context) error) {
	c.T.Helper()
	h := c.Height() + 1
	hdr := cmtproto.Header{ChainID: ChainID, Height: h, Time: c.blockTime(h)}
	if _, err := c.App.FinalizeBlock(&abci.RequestFinalizeBlock{Height: h, Time: hdr.Time}); err != nil {
		c.T.Fatalf("FinalizeBlock %d: %v", h, err)
	}
	if err := f(c.App.NewContextLegacy(false, hdr)); err != nil {
		c.T.Fatalf("block %d: %v", h, err)
	}
	if _, err := c.App.Commit(); err != nil {
		c.T.Fatalf("Commit %d: %v", h, err)
	}
}

// NextBlock commits an empty block.
func (c *Chain) NextBlock() { c.finalize(nil) }

// AdvanceTo commits empty blocks until the last committed height is h.
func (c *Chain) AdvanceTo(h int64) {
	for c.Height() < h {
		c.NextBlock()
	}
}

// Tx builds and signs a tx of msgs by signer (account number and sequence
// read from the committed state).
func (c *Chain) Tx(signer Account, msgs ...sdk.Msg) []byte {
	c.T.Helper()
	acc := c.App.AccountKeeper.GetAccount(c.Ctx(), signer.Addr)
	if acc == nil {
		c.T.Fatalf("account %s does not exist", signer)
	}
	tx, err := simtestutil.GenSignedMockTx(rand.New(rand.NewSource(c.Height())), c.App.TxConfig(), msgs,
		sdk.NewCoins(), simtestutil.DefaultGenTxGas, ChainID, []uint64{acc.GetAccountNumber()}, []uint64{acc.GetSequence()}, signer.Priv)
	if err != nil {
		c.T.Fatal(err)
	}
	bz, err := c.App.TxConfig().TxEncoder()(tx)
	if err != nil {
		c.T.Fatal(err)
	}
	return bz
}

// Deliver delivers one signed tx in its own block and returns its result.
func (c *Chain) Deliver(signer Account, msgs ...sdk.Msg) *abci.ExecTxResult {
	c.T.Helper()
	res := c.finalize([][]byte{c.Tx(signer, msgs...)})
	return res.TxResults[0]
}

// MustDeliver delivers a tx and fails the test unless it succeeds.
func (c *Chain) MustDeliver(signer Account, msgs ...sdk.Msg) *abci.ExecTxResult {
	c.T.Helper()
	r := c.Deliver(signer, msgs...)
	if r.Code != 0 {
		c.T.Fatalf("tx %T by %s failed at height %d: code %d: %s", msgs[0], signer, c.Height(), r.Code, r.Log)
	}
	return r
}

// Balance is addr's balance of denom.
func (c *Chain) Balance(addr sdk.AccAddress, denom string) math.Int {
	return c.App.BankKeeper.GetBalance(c.Ctx(), addr, denom).Amount
}

// DeliverBlock delivers several txs in one block.
func (c *Chain) DeliverBlock(txs ...[]byte) []*abci.ExecTxResult {
	c.T.Helper()
	return c.finalize(txs).TxResults
}

// MustUnmarshalJSON reads a module's genesis JSON with the app's codec rules.
func MustUnmarshalJSON(t testing.TB, bz json.RawMessage, v proto.Message) {
	t.Helper()
	if err := codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).UnmarshalJSON(bz, v); err != nil {
		t.Fatal(err)
	}
}

// MustMarshalJSON writes a module's genesis JSON.
func MustMarshalJSON(t testing.TB, v proto.Message) json.RawMessage {
	t.Helper()
	bz, err := codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).MarshalJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	return bz
}
