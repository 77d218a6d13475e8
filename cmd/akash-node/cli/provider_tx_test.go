package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// The --help example of create, run offline: the tx carries the message with
// the attributes sorted as given and the host URI.
func TestCreateExampleBuildsTheMsg(t *testing.T) {
	from := sdk.MustBech32ifyAddressBytes("akash", []byte("provider-cli-test-01"))
	out, err := runRoot(t, t.TempDir(), "tx", "provider", "create", "--host-uri", "https://p1:8443", "--attr", "region=us-west", "--attr", "tier=1",
		"--from", from, "--generate-only", "--chain-id", "akash-test")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var tx struct {
		Body struct {
			Messages []json.RawMessage `json:"messages"`
		} `json:"body"`
	}
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &tx); err != nil || len(tx.Body.Messages) != 1 {
		t.Fatalf("output is not a tx with one message: %v\n%s", err, out)
	}
	m := string(tx.Body.Messages[0])
	for _, want := range []string{"/akash.provider.v1.MsgCreateProvider", from, "https://p1:8443", `"region"`, `"us-west"`, `"tier"`} {
		if !strings.Contains(m, want) {
			t.Errorf("message lacks %s: %s", want, m)
		}
	}
	// Bad input is refused before anything is signed, with the rule.
	if out, err := runRoot(t, t.TempDir(), "tx", "provider", "create", "--host-uri", "http://p1:8443", "--from", from, "--generate-only", "--chain-id", "x"); err == nil || !strings.Contains(err.Error()+out, "mutual TLS") {
		t.Errorf("http host accepted: %v %s", err, out)
	}
	if out, err := runRoot(t, t.TempDir(), "tx", "provider", "create", "--host-uri", "https://p1:8443", "--attr", "1bad=x", "--from", from, "--generate-only", "--chain-id", "x"); err == nil || !strings.Contains(err.Error()+out, "start with a letter") {
		t.Errorf("bad attribute key accepted: %v %s", err, out)
	}
	if out, err := runRoot(t, t.TempDir(), "tx", "provider", "bond", "5uakt", "--from", from, "--generate-only", "--chain-id", "x"); err != nil || !strings.Contains(out, "MsgBondStake") {
		t.Errorf("bond: %v %s", err, out)
	}
}
