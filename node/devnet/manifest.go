package devnet

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// ManifestFile is the file in the devnet home that marks it as a devnet and
// records what was created. --reset only deletes a home that holds one.
const ManifestFile = "devnet.json"

// Manifest describes a created devnet: enough to restart it, to print how to
// reach it, and for tools (tests, the load generator) to find its endpoints
// and keys.
type Manifest struct {
	ChainID    string      `json:"chain_id"`
	Home       string      `json:"home"`
	BlockTime  string      `json:"block_time"`
	Fund       string      `json:"fund"`
	Host       string      `json:"host"`
	Created    time.Time   `json:"created"`
	Validators []Validator `json:"validators"`
	Keys       []Key       `json:"keys"`
}

// Validator is one validator node of the devnet.
type Validator struct {
	Name     string `json:"name"`     // val0, val1, ...: moniker and operator key name
	Home     string `json:"home"`     // the node's --home
	NodeID   string `json:"node_id"`  // CometBFT node id (persistent peers)
	Operator string `json:"operator"` // account address of the operator key
	Ports    Ports  `json:"ports"`
}

// Key is a funded key in the devnet keyring.
type Key struct {
	Name    string `json:"name"`
	Address string `json:"address"`
	// MnemonicFile holds the key's mnemonic (0600), so the key can be imported
	// elsewhere with `keys add NAME --recover`.
	MnemonicFile string `json:"mnemonic_file"`
}

// RPC is validator i's CometBFT RPC address as the CLI's --node wants it.
func (m *Manifest) RPC(i int) string {
	return fmt.Sprintf("tcp://%s:%d", m.Host, m.Validators[i].Ports.RPC)
}

// RPCURL is validator i's CometBFT RPC as an http URL.
func (m *Manifest) RPCURL(i int) string {
	return fmt.Sprintf("http://%s:%d", m.Host, m.Validators[i].Ports.RPC)
}

// Key returns the funded key called name.
func (m *Manifest) Key(name string) (Key, bool) {
	for _, k := range m.Keys {
		if k.Name == name {
			return k, true
		}
	}
	return Key{}, false
}

// Mnemonic reads the saved mnemonic of a key (a funded key or a validator operator).
func (m *Manifest) Mnemonic(name string) (string, error) {
	var s savedKey
	b, err := os.ReadFile(mnemonicPath(m.Home, name))
	if err != nil {
		return "", fmt.Errorf("devnet: mnemonic of key %q: %w", name, err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return "", fmt.Errorf("devnet: %s: %w", mnemonicPath(m.Home, name), err)
	}
	return s.Mnemonic, nil
}

// LoadManifest reads home/devnet.json; fs.ErrNotExist when home holds no devnet.
func LoadManifest(home string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(home, ManifestFile))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("devnet: %s: %w (delete it or use --reset)", filepath.Join(home, ManifestFile), err)
	}
	if len(m.Validators) == 0 {
		return nil, fmt.Errorf("devnet: %s lists no validators (use --reset to create the devnet again)", filepath.Join(home, ManifestFile))
	}
	return &m, nil
}

func (m *Manifest) save() error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(m.Home, ManifestFile), append(b, '\n'), 0o644)
}

// Exists reports whether home already holds a devnet.
func Exists(home string) (bool, error) {
	_, err := os.Stat(filepath.Join(home, ManifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Reset deletes the devnet in home. It refuses a non-empty directory that is
// not a devnet, so a mistyped --home cannot wipe unrelated data.
func Reset(home string) error {
	ok, err := Exists(home)
	if err != nil {
		return fmt.Errorf("devnet: --reset: %w", err)
	}
	if !ok {
		entries, err := os.ReadDir(home)
		if errors.Is(err, fs.ErrNotExist) || (err == nil && len(entries) == 0) {
			return nil
		}
		return fmt.Errorf("devnet: --reset: %s is not empty and has no %s: not a devnet home, not deleting it", home, ManifestFile)
	}
	if pid, alive := runningPID(home); alive {
		return fmt.Errorf("devnet: --reset: the devnet in %s is running (pid %d); stop it first", home, pid)
	}
	return os.RemoveAll(home)
}

// savedKey is the content of keys/<name>.json.
type savedKey struct {
	Name     string `json:"name"`
	Address  string `json:"address"`
	Mnemonic string `json:"mnemonic"`
}

func mnemonicPath(home, name string) string { return filepath.Join(home, "keys", name+".json") }

// PrivKey derives a saved key's secp256k1 private key from its mnemonic (the
// path `keys add` uses), for tools that sign offline such as the load generator.
func (m *Manifest) PrivKey(name string) (cryptotypes.PrivKey, error) {
	mnemonic, err := m.Mnemonic(name)
	if err != nil {
		return nil, err
	}
	seed, err := hd.Secp256k1.Derive()(mnemonic, keyring.DefaultBIP39Passphrase, sdk.FullFundraiserPath)
	if err != nil {
		return nil, fmt.Errorf("devnet: key %q: %w", name, err)
	}
	return hd.Secp256k1.Generate()(seed), nil
}
