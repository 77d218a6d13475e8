package types

import sdk "github.com/cosmos/cosmos-sdk/types"

var (
	_ sdk.Msg = &MsgCreateCertificate{}
	_ sdk.Msg = &MsgRevokeCertificate{}
)

// ValidateBasic parses and checks the certificate and key (no state: expiry
// against block time and serial uniqueness are the keeper's).
func (m *MsgCreateCertificate) ValidateBasic() error {
	if err := ValidateAddress("owner", m.Owner); err != nil {
		return err
	}
	_, err := ParseCertificate(m.Owner, m.Cert, m.Pubkey)
	return err
}

// ValidateBasic checks owner and serial.
func (m *MsgRevokeCertificate) ValidateBasic() error {
	if err := ValidateAddress("owner", m.Owner); err != nil {
		return err
	}
	_, err := ParseSerial(m.Serial)
	return err
}
