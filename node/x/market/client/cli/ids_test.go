package cli_test

import (
	"strings"
	"testing"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/node/x/market/client/cli"
	"github.com/akash-market/akash/node/x/market/types"
)

func addr(seed string) string {
	return sdk.AccAddress(secp256k1.GenPrivKeyFromSecret([]byte(seed)).PubKey().Address()).String()
}

func TestParseIDs(t *testing.T) {
	tn, pv := addr("t"), addr("p")
	id, err := cli.ParseOrderID(tn + "/42/1/2")
	if err != nil || id != (types.OrderID{Owner: tn, DSeq: 42, GSeq: 1, OSeq: 2}) {
		t.Fatalf("%v %v", id, err)
	}
	lid, err := cli.ParseLeaseID(tn + "/42/1/2/" + pv)
	if err != nil || lid != (types.BidID{Owner: tn, DSeq: 42, GSeq: 1, OSeq: 2, Provider: pv}) {
		t.Fatalf("%v %v", lid, err)
	}
	for _, c := range []struct{ in, want string }{
		{tn + "/42/1", "want owner/dseq/gseq/oseq"},
		{"nope/42/1/1", "owner \"nope\""},
		{tn + "/0/1/1", "dseq \"0\""},
		{tn + "/x/1/1", "dseq \"x\""},
		{tn + "/1/4294967296/1", "gseq"},
		{tn + "/1/1/-1", "oseq"},
	} {
		if _, err := cli.ParseOrderID(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want it to say %q", c.in, err, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{tn + "/42/1/1", "want owner/dseq/gseq/oseq/provider"},
		{tn + "/42/1/1/zz", "provider \"zz\""},
	} {
		if _, err := cli.ParseLeaseID(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want it to say %q", c.in, err, c.want)
		}
	}
}

// FuzzParseLeaseID: the ID parsers never panic, and what they accept prints
// back to the same text.
func FuzzParseLeaseID(f *testing.F) {
	f.Add(addr("t") + "/42/1/2/" + addr("p"))
	f.Add("a/b/c/d/e")
	f.Fuzz(func(t *testing.T, s string) {
		if id, err := cli.ParseLeaseID(s); err == nil && id.String() != s {
			t.Fatalf("%q parsed to %s", s, id)
		}
		if id, err := cli.ParseOrderID(s); err == nil && id.String() != s {
			t.Fatalf("%q parsed to %s", s, id)
		}
	})
}

// TestHelpHasExamples: every market tx command says how to use it.
func TestHelpHasExamples(t *testing.T) {
	for _, c := range cli.TxCmd().Commands() {
		if c.Example == "" || c.Short == "" {
			t.Errorf("tx market %s: no Example or Short", c.Name())
		}
	}
}
