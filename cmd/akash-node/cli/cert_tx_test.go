package cli_test

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"
	sdk "github.com/cosmos/cosmos-sdk/types"

	nodecli "github.com/akash-market/akash/cmd/akash-node/cli"
	"github.com/akash-market/akash/node/x/cert/certgen"
)

// runRoot executes the real akash-node command tree with home as --home's
// default, capturing stdout (where the SDK prints a generated tx).
func runRoot(t *testing.T, home string, args ...string) (string, error) {
	t.Helper()
	root, err := nodecli.NewRootCmd()
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	var out bytes.Buffer
	done := make(chan struct{})
	go func() { _, _ = io.Copy(&out, r); close(done) }()
	root.SetOut(w)
	root.SetErr(w)
	root.SetArgs(args)
	err = svrcmd.Execute(root, "AKASH", home)
	os.Stdout = stdout
	w.Close()
	<-done
	return out.String(), err
}

// generate-and-publish, offline (--generate-only): the key and certificate
// land under <home>/certs with mode 0600, the tx carries the certificate, a
// second run refuses to overwrite, and the files load as a TLS key pair.
func TestGenerateAndPublish(t *testing.T) {
	home := t.TempDir()
	from := sdk.MustBech32ifyAddressBytes("akash", []byte("cert-cli-test-owner1"))
	args := []string{"tx", "cert", "generate-and-publish", "--from", from, "--generate-only", "--chain-id", "akash-test", "--home", home}
	out, err := runRoot(t, home, args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "/akash.cert.v1.MsgCreateCertificate") || !strings.Contains(out, from) {
		t.Fatalf("no MsgCreateCertificate in the output:\n%s", out)
	}
	certPath, keyPath := certgen.Paths(home, from)
	for _, p := range []string{certPath, keyPath} {
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v mode %v", p, err, st.Mode().Perm())
		}
	}
	if _, err := certgen.Load(home, from); err != nil {
		t.Fatal(err)
	}
	if out, err := runRoot(t, home, args...); err == nil || !strings.Contains(err.Error()+out, "--overwrite") {
		t.Fatalf("second run: %v %s", err, out)
	}
	if out, err := runRoot(t, home, append(args, "--overwrite")...); err != nil {
		t.Fatalf("with --overwrite: %v %s", err, out)
	}
	// publish reads the certificate back and builds the same kind of message.
	out, err = runRoot(t, home, "tx", "cert", "publish", certPath, "--from", from, "--generate-only", "--chain-id", "akash-test")
	if err != nil || !strings.Contains(out, "MsgCreateCertificate") {
		t.Fatalf("publish: %v %s", err, out)
	}
}
