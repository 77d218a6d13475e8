package devnet

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	sdkmath "cosmossdk.io/math"
	cmtcfg "github.com/cometbft/cometbft/config"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	serverconfig "github.com/cosmos/cosmos-sdk/server/config"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/cosmos/cosmos-sdk/x/genutil"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/akash-market/akash/core/market"
)

// Encoding is what building a genesis needs from the app: its codec, tx
// config (to sign the gentxs) and the modules' default genesis.
type Encoding struct {
	Codec        codec.Codec
	TxConfig     client.TxConfig
	BasicManager module.BasicManager
}

// NodeDefaults are the app.toml and config.toml every validator starts from
// (the same as `akash-node init` writes); Create then sets ports, peers and
// the devnet's tuning on top.
type NodeDefaults struct {
	App   func() *serverconfig.Config
	Comet func() *cmtcfg.Config
}

// Create builds a new devnet in cfg.Home: one home per validator (node key,
// consensus key, config.toml, app.toml, the shared genesis), a test keyring
// in cfg.Home with each validator's operator key and the funded keys (their
// mnemonics saved under keys/), client.toml so that `akash-node --home
// cfg.Home ...` reaches validator 0, and the manifest. It fails when cfg.Home
// already holds a devnet.
func Create(cfg Config, enc Encoding, defaults NodeDefaults) (*Manifest, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if ok, err := Exists(cfg.Home); err != nil || ok {
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("devnet: %s already holds a devnet; run it as is, or pass --reset to start over", cfg.Home)
	}
	home, err := filepath.Abs(cfg.Home)
	if err != nil {
		return nil, err
	}
	fund, _ := sdk.ParseCoinsNormalized(cfg.Fund) // validated above

	kr, err := keyring.New(sdk.KeyringServiceName(), keyring.BackendTest, home, bufio.NewReader(strings.NewReader("")), enc.Codec)
	if err != nil {
		return nil, fmt.Errorf("devnet: opening the test keyring in %s: %w", home, err)
	}
	m := &Manifest{
		ChainID:   cfg.ChainID,
		Home:      home,
		BlockTime: cfg.BlockTime.String(),
		Fund:      cfg.Fund,
		Host:      cfg.Host,
		Created:   time.Now().UTC().Truncate(time.Second),
	}

	var (
		accounts []authtypes.GenesisAccount
		balances []banktypes.Balance
		gentxs   []sdk.Tx
		comets   []*cmtcfg.Config
	)
	fundAccount := func(addr sdk.AccAddress) {
		accounts = append(accounts, authtypes.NewBaseAccount(addr, nil, 0, 0))
		balances = append(balances, banktypes.Balance{Address: addr.String(), Coins: fund})
	}

	for i := range cfg.Validators {
		v := Validator{Name: fmt.Sprintf("val%d", i), Ports: cfg.PortsOf(i)}
		v.Home = filepath.Join(home, v.Name)
		for _, d := range []string{"config", "data"} {
			if err := os.MkdirAll(filepath.Join(v.Home, d), 0o755); err != nil {
				return nil, err
			}
		}
		comet := defaults.Comet()
		comet.SetRoot(v.Home)
		comet.Moniker = v.Name
		nodeID, consPub, err := genutil.InitializeNodeValidatorFiles(comet)
		if err != nil {
			return nil, fmt.Errorf("devnet: %s: node and consensus keys: %w", v.Name, err)
		}
		v.NodeID = nodeID

		addr, err := newKey(kr, home, v.Name)
		if err != nil {
			return nil, err
		}
		v.Operator = addr.String()
		fundAccount(addr)

		gentx, err := signGentx(enc, kr, cfg.ChainID, cfg.Host, v, addr, consPub)
		if err != nil {
			return nil, err
		}
		gentxs = append(gentxs, gentx)
		comets = append(comets, comet)
		m.Validators = append(m.Validators, v)
	}

	for _, name := range cfg.Keys {
		addr, err := newKey(kr, home, name)
		if err != nil {
			return nil, err
		}
		fundAccount(addr)
		m.Keys = append(m.Keys, Key{Name: name, Address: addr.String(), MnemonicFile: mnemonicPath(home, name)})
	}

	gen, err := buildGenesis(enc, cfg, accounts, balances, gentxs)
	if err != nil {
		return nil, err
	}
	for i, v := range m.Validators {
		if err := gen.SaveAs(comets[i].GenesisFile()); err != nil {
			return nil, fmt.Errorf("devnet: %s: writing genesis: %w", v.Name, err)
		}
		tuneComet(comets[i], cfg, m, i)
		cmtcfg.WriteConfigFile(filepath.Join(v.Home, "config", "config.toml"), comets[i])
		serverconfig.WriteConfigFile(filepath.Join(v.Home, "config", "app.toml"), tuneApp(defaults.App(), cfg, v))
	}
	if err := writeClientConfig(home, m); err != nil {
		return nil, err
	}
	if err := m.save(); err != nil {
		return nil, fmt.Errorf("devnet: writing %s: %w", ManifestFile, err)
	}
	return m, nil
}

// newKey adds a fresh secp256k1 key to the keyring and saves its mnemonic.
func newKey(kr keyring.Keyring, home, name string) (sdk.AccAddress, error) {
	rec, mnemonic, err := kr.NewMnemonic(name, keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1)
	if err != nil {
		return nil, fmt.Errorf("devnet: creating key %q: %w", name, err)
	}
	addr, err := rec.GetAddress()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(home, "keys"), 0o700); err != nil {
		return nil, err
	}
	b, _ := json.MarshalIndent(savedKey{Name: name, Address: addr.String(), Mnemonic: mnemonic}, "", "  ")
	if err := os.WriteFile(mnemonicPath(home, name), append(b, '\n'), 0o600); err != nil {
		return nil, fmt.Errorf("devnet: saving the mnemonic of %q: %w", name, err)
	}
	return addr, nil
}

// signGentx is the validator's MsgCreateValidator, signed by its operator key
// at account number 0, sequence 0 (how genesis transactions are verified).
// The memo carries the node's p2p address, as `genesis gentx` writes it.
func signGentx(enc Encoding, kr keyring.Keyring, chainID, host string, v Validator, op sdk.AccAddress, consPub cryptotypes.PubKey) (sdk.Tx, error) {
	msg, err := stakingtypes.NewMsgCreateValidator(
		sdk.ValAddress(op).String(),
		consPub,
		sdk.NewCoin(sdk.DefaultBondDenom, sdkmath.NewInt(bond)),
		stakingtypes.NewDescription(v.Name, "", "", "", "akash devnet validator"),
		stakingtypes.NewCommissionRates(sdkmath.LegacyNewDecWithPrec(1, 1), sdkmath.LegacyNewDecWithPrec(2, 1), sdkmath.LegacyNewDecWithPrec(1, 2)),
		sdkmath.OneInt(),
	)
	if err != nil {
		return nil, fmt.Errorf("devnet: %s: MsgCreateValidator: %w", v.Name, err)
	}
	memo := fmt.Sprintf("%s@%s:%d", v.NodeID, host, v.Ports.P2P)
	b := enc.TxConfig.NewTxBuilder()
	if err := b.SetMsgs(msg); err != nil {
		return nil, err
	}
	b.SetGasLimit(1_000_000)
	b.SetMemo(memo)
	f := tx.Factory{}.WithChainID(chainID).WithMemo(memo).WithKeybase(kr).WithTxConfig(enc.TxConfig)
	if err := tx.Sign(context.Background(), f, v.Name, b, true); err != nil {
		return nil, fmt.Errorf("devnet: %s: signing the gentx: %w", v.Name, err)
	}
	return b.GetTx(), nil
}

// buildGenesis is the modules' default genesis plus the accounts, balances
// and gentxs, with CometBFT's default consensus params.
func buildGenesis(enc Encoding, cfg Config, accounts []authtypes.GenesisAccount, balances []banktypes.Balance, gentxs []sdk.Tx) (*genutiltypes.AppGenesis, error) {
	state := enc.BasicManager.DefaultGenesis(enc.Codec)

	var authGen authtypes.GenesisState
	enc.Codec.MustUnmarshalJSON(state[authtypes.ModuleName], &authGen)
	packed, err := authtypes.PackAccounts(authtypes.SanitizeGenesisAccounts(accounts))
	if err != nil {
		return nil, fmt.Errorf("devnet: genesis accounts: %w", err)
	}
	authGen.Accounts = append(authGen.Accounts, packed...)
	state[authtypes.ModuleName] = enc.Codec.MustMarshalJSON(&authGen)

	var bankGen banktypes.GenesisState
	enc.Codec.MustUnmarshalJSON(state[banktypes.ModuleName], &bankGen)
	bankGen.Balances = banktypes.SanitizeGenesisBalances(append(bankGen.Balances, balances...))
	state[banktypes.ModuleName] = enc.Codec.MustMarshalJSON(&bankGen)

	if err := setMarketParams(state, cfg); err != nil {
		return nil, err
	}
	state, err = genutil.SetGenTxsInAppGenesisState(enc.Codec, enc.TxConfig.TxJSONEncoder(), state, gentxs)
	if err != nil {
		return nil, fmt.Errorf("devnet: gentxs in genesis: %w", err)
	}
	appState, err := json.MarshalIndent(state, "", "  ")
	if err != nil {
		return nil, err
	}
	gen := genutiltypes.NewAppGenesisWithVersion(cfg.ChainID, appState)
	gen.GenesisTime = time.Now().UTC()
	gen.InitialHeight = 1
	gen.Consensus = &genutiltypes.ConsensusGenesis{Params: cmttypes.DefaultConsensusParams()}
	if err := gen.ValidateAndComplete(); err != nil {
		return nil, fmt.Errorf("devnet: genesis: %w", err)
	}
	return gen, nil
}

// setMarketParams sets the market params the devnet's flags give
// (bid_window_blocks, matching, bid_timeout_blocks) in the genesis state,
// leaving the others at the chain's defaults. It edits the JSON so the
// devnet does not depend on the market's Go types; int64 fields are JSON
// strings in the SDK's proto JSON.
func setMarketParams(state map[string]json.RawMessage, cfg Config) error {
	set := map[string]any{}
	if cfg.BidWindow > 0 {
		set["bid_window_blocks"] = strconv.FormatInt(cfg.BidWindow, 10)
	}
	if cfg.Matching != "" {
		m, err := market.ParseMatching(cfg.Matching)
		if err != nil {
			return fmt.Errorf("devnet: --matching: %w", err)
		}
		set["matching"] = m.String()
	}
	if cfg.BidTimeout > 0 {
		set["bid_timeout_blocks"] = strconv.FormatInt(cfg.BidTimeout, 10)
	}
	if len(set) == 0 {
		return nil
	}
	raw, ok := state["market"]
	if !ok {
		return fmt.Errorf("devnet: market params %v: this build has no market module", keys(set))
	}
	var gen map[string]any
	if err := json.Unmarshal(raw, &gen); err != nil {
		return fmt.Errorf("devnet: market genesis: %w", err)
	}
	params, ok := gen["params"].(map[string]any)
	if !ok {
		return fmt.Errorf("devnet: market genesis has no params object")
	}
	for k, v := range set {
		if _, ok := params[k]; !ok {
			return fmt.Errorf("devnet: market params have no %s (fields: %v)", k, keys(params))
		}
		params[k] = v
	}
	b, err := json.Marshal(gen)
	if err != nil {
		return err
	}
	state["market"] = b
	return nil
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
