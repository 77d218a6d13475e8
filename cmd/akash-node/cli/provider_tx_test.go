package cli_test

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"
	sdk "github.com/cosmos/cosmos-sdk/types"

	nodecli "github.com/akash-market/akash/cmd/akash-node/cli"
)

// runTx executes the real akash-node command tree offline (--generate-only
// prints the unsigned tx; no node is needed).
func runTx(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root, err := nodecli.NewRootCmd()
	if err != nil {
		t.Fatal(err)
	}
	// The SDK prints the generated tx to os.Stdout, not to the command's writer.
	r, w, perr := os.Pipe()
	if perr != nil {
		t.Fatal(perr)
	}
	stdout := os.Stdout
	os.Stdout = w
	var out bytes.Buffer
	done := make(chan struct{})
	go func() { _, _ = io.Copy(&out, r); close(done) }()
	root.SetOut(w)
	root.SetErr(w)
	root.SetArgs(args)
	err = svrcmd.Execute(root, "AKASH", t.TempDir())
	os.Stdout = stdout
	w.Close()
	<-done
	return out.String(), err
}

// The --help example of create, run offline: the tx carries the message with
// the attributes sorted as given and the host URI.
func TestCreateExampleBuildsTheMsg(t *testing.T) {
	from := sdk.MustBech32ifyAddressBytes("akash", []byte("provider-cli-test-01"))
	out, err := runTx(t, "tx", "provider", "create", "--host-uri", "https://p1:8443", "--attr", "region=us-west", "--attr", "tier=1",
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
	if out, err := runTx(t, "tx", "provider", "create", "--host-uri", "http://p1:8443", "--from", from, "--generate-only", "--chain-id", "x"); err == nil || !strings.Contains(err.Error()+out, "mutual TLS") {
		t.Errorf("http host accepted: %v %s", err, out)
	}
	if out, err := runTx(t, "tx", "provider", "create", "--host-uri", "https://p1:8443", "--attr", "1bad=x", "--from", from, "--generate-only", "--chain-id", "x"); err == nil || !strings.Contains(err.Error()+out, "start with a letter") {
		t.Errorf("bad attribute key accepted: %v %s", err, out)
	}
	if out, err := runTx(t, "tx", "provider", "bond", "5uakt", "--from", from, "--generate-only", "--chain-id", "x"); err != nil || !strings.Contains(out, "MsgBondStake") {
		t.Errorf("bond: %v %s", err, out)
	}
}
