package types_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	errorsmod "cosmossdk.io/errors"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/node/x/cert/types"
)

func init() { sdk.GetConfig().SetBech32PrefixForAccount("akash", "akashpub") }

var owner = sdk.MustBech32ifyAddressBytes("akash", []byte("cert-owner-address-0"))

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// mkCert makes a self-signed root for owner that x/cert accepts, after edit
// changes its template; signer, when set, signs it instead of its own key.
func mkCert(t testing.TB, key crypto.Signer, edit func(*x509.Certificate), signer crypto.Signer) (certPEM, pubPEM []byte) {
	t.Helper()
	if key == nil {
		key, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: owner},
		NotBefore: t0, NotAfter: t0.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature, BasicConstraintsValid: true, IsCA: true,
	}
	if edit != nil {
		edit(tmpl)
	}
	if signer == nil {
		signer = key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), signer)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := x509.MarshalPKIXPublicKey(key.Public())
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})
}

func TestMsgValidateBasic(t *testing.T) {
	good, goodPub := mkCert(t, nil, nil, nil)
	otherKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	_, otherPub := mkCert(t, otherKey, nil, nil)
	p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	rsa1024, _ := rsa.GenerateKey(rand.Reader, 1024)
	create := func(c, p []byte) *types.MsgCreateCertificate {
		return &types.MsgCreateCertificate{Owner: owner, Cert: c, Pubkey: p}
	}
	with := func(edit func(*x509.Certificate)) *types.MsgCreateCertificate {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		c, p := mkCert(t, key, edit, nil)
		return create(c, p)
	}
	cases := []struct {
		name string
		msg  sdk.HasValidateBasic
		err  *errorsmod.Error
		says string
	}{
		{"ok", create(good, goodPub), nil, ""},
		{"EC PUBLIC KEY block accepted", create(good, []byte(strings.Replace(string(goodPub), "PUBLIC KEY", "EC PUBLIC KEY", 2))), nil, ""},
		{"no owner", &types.MsgCreateCertificate{Cert: good, Pubkey: goodPub}, types.ErrInvalidAddress, "owner is empty"},
		{"empty cert", create(nil, goodPub), types.ErrInvalidCertificate, "cert is empty"},
		{"not PEM", create([]byte("hello"), goodPub), types.ErrInvalidCertificate, "not PEM"},
		{"wrong PEM type", create(goodPub, goodPub), types.ErrInvalidCertificate, `want "CERTIFICATE"`},
		{"two blocks", create(append(append([]byte{}, good...), good...), goodPub), types.ErrInvalidCertificate, "exactly one"},
		{"garbage DER", create(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1, 2, 3}}), goodPub), types.ErrInvalidCertificate, "cert:"},
		{"too big", create(make([]byte, types.MaxPEMBytes+1), goodPub), types.ErrInvalidCertificate, "at most"},
		{"CN is not the owner", with(func(c *x509.Certificate) { c.Subject.CommonName = "akash1someoneelse" }), types.ErrInvalidCertificate, "must be the owner's address"},
		{"not a CA", with(func(c *x509.Certificate) { c.IsCA = false }), types.ErrInvalidCertificate, "not a CA"},
		{"no certSign usage", with(func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageDigitalSignature }), types.ErrInvalidCertificate, "certSign"},
		{"serial 21 bytes", with(func(c *x509.Certificate) { c.SerialNumber = new(big.Int).Lsh(big.NewInt(1), 165) }), types.ErrInvalidCertificate, "20 bytes"},
		{"not before = not after", with(func(c *x509.Certificate) { c.NotAfter = c.NotBefore }), types.ErrInvalidCertificate, "not before not_after"},
		{"P-521", func() sdk.HasValidateBasic { c, p := mkCert(t, p521, nil, nil); return create(c, p) }(), types.ErrInvalidCertificate, "P-256 or P-384"},
		{"RSA 1024", func() sdk.HasValidateBasic { c, p := mkCert(t, rsa1024, nil, nil); return create(c, p) }(), types.ErrInvalidCertificate, "2048"},
		{"not self-signed", func() sdk.HasValidateBasic { c, p := mkCert(t, nil, nil, otherKey); return create(c, p) }(), types.ErrInvalidCertificate, "self-signed"},
		{"pubkey of another key", create(good, otherPub), types.ErrInvalidPubKey, "not the certificate's public key"},
		{"pubkey missing", create(good, nil), types.ErrInvalidPubKey, "pubkey is empty"},
		{"revoke ok", &types.MsgRevokeCertificate{Owner: owner, Serial: "42"}, nil, ""},
		{"revoke no serial", &types.MsgRevokeCertificate{Owner: owner}, types.ErrInvalidSerial, "decimal"},
		{"revoke hex serial", &types.MsgRevokeCertificate{Owner: owner, Serial: "0x2a"}, types.ErrInvalidSerial, ""},
		{"revoke leading zero", &types.MsgRevokeCertificate{Owner: owner, Serial: "042"}, types.ErrInvalidSerial, "leading zeros"},
		{"revoke zero", &types.MsgRevokeCertificate{Owner: owner, Serial: "0"}, types.ErrInvalidSerial, ""},
		{"revoke bad owner", &types.MsgRevokeCertificate{Owner: "x", Serial: "1"}, types.ErrInvalidAddress, "akash1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.msg.ValidateBasic()
			if c.err == nil {
				if err != nil {
					t.Fatalf("want ok, got %v", err)
				}
				return
			}
			if !c.err.Is(err) || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("got %v, want %v saying %q", err, c.err, c.says)
			}
		})
	}
}

func TestGenesisValidate(t *testing.T) {
	c, p := mkCert(t, nil, nil, nil)
	ok := types.GenesisState{Certificates: []types.Certificate{{Owner: owner, Serial: "42", State: types.CertificateValid, Cert: c, Pubkey: p, CreatedAt: 1}}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := map[string]func(g *types.Certificate){
		"serial differs":         func(g *types.Certificate) { g.Serial = "43" },
		"state invalid":          func(g *types.Certificate) { g.State = types.CertificateStateInvalid },
		"revoked without height": func(g *types.Certificate) { g.State = types.CertificateRevoked },
		"valid with revoked_at":  func(g *types.Certificate) { g.RevokedAt = 5 },
	}
	for name, f := range bad {
		g := types.GenesisState{Certificates: []types.Certificate{ok.Certificates[0]}}
		f(&g.Certificates[0])
		if err := g.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	dup := types.GenesisState{Certificates: []types.Certificate{ok.Certificates[0], ok.Certificates[0]}}
	if err := dup.Validate(); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Fatalf("duplicate: %v", err)
	}
}
