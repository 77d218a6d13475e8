package types_test

import (
	"testing"

	"github.com/akash-market/akash/node/x/cert/types"
)

// FuzzMsgs decodes arbitrary bytes as each cert Msg: no panic in decoding,
// PEM/X.509 parsing or ValidateBasic, and a message that validates keeps
// validating after a re-encode.
func FuzzMsgs(f *testing.F) {
	c, p := mkCert(f, nil, nil, nil)
	for i, m := range []interface{ Marshal() ([]byte, error) }{
		&types.MsgCreateCertificate{Owner: owner, Cert: c, Pubkey: p},
		&types.MsgRevokeCertificate{Owner: owner, Serial: "42"},
	} {
		bz, _ := m.Marshal()
		f.Add(uint8(i), bz)
	}
	type msg interface {
		Unmarshal([]byte) error
		Marshal() ([]byte, error)
		ValidateBasic() error
	}
	fresh := func(kind uint8) msg {
		if kind%2 == 0 {
			return &types.MsgCreateCertificate{}
		}
		return &types.MsgRevokeCertificate{}
	}
	f.Fuzz(func(t *testing.T, kind uint8, bz []byte) {
		m := fresh(kind)
		if m.Unmarshal(bz) != nil || m.ValidateBasic() != nil {
			return
		}
		out, err := m.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		again := fresh(kind)
		if err := again.Unmarshal(out); err != nil {
			t.Fatal(err)
		}
		if err := again.ValidateBasic(); err != nil {
			t.Fatalf("valid before a round trip, invalid after: %v", err)
		}
	})
}
