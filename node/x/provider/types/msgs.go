package types

import (
	errorsmod "cosmossdk.io/errors"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

var (
	_ sdk.Msg = &MsgCreateProvider{}
	_ sdk.Msg = &MsgUpdateProvider{}
	_ sdk.Msg = &MsgDeleteProvider{}
	_ sdk.Msg = &MsgBondStake{}
	_ sdk.Msg = &MsgUnbondStake{}
	_ sdk.Msg = &MsgUpdateParams{}
)

func validateRegistration(owner, hostURI string, attrs []Attribute, info Info) error {
	if err := ValidateAddress("owner", owner); err != nil {
		return err
	}
	if err := ValidateHostURI(hostURI); err != nil {
		return err
	}
	if err := ValidateAttributes(attrs); err != nil {
		return err
	}
	return info.Validate()
}

// ValidateBasic checks the message without state.
func (m *MsgCreateProvider) ValidateBasic() error {
	return validateRegistration(m.Owner, m.HostURI, m.Attributes, m.Info)
}

// ValidateBasic checks the message without state.
func (m *MsgUpdateProvider) ValidateBasic() error {
	return validateRegistration(m.Owner, m.HostURI, m.Attributes, m.Info)
}

// ValidateBasic checks the message without state.
func (m *MsgDeleteProvider) ValidateBasic() error { return ValidateAddress("owner", m.Owner) }

func validateStakeAmount(provider string, c sdk.Coin) error {
	if err := ValidateAddress("provider", provider); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidAmount, "amount %s: %v; want a positive amount such as 1000000uakt", c, err)
	}
	if !c.IsPositive() {
		return errorsmod.Wrapf(ErrInvalidAmount, "amount %s; want a positive amount such as 1000000uakt", c)
	}
	return nil
}

// ValidateBasic checks the message without state (the denom is checked
// against params.stake_denom by the keeper).
func (m *MsgBondStake) ValidateBasic() error { return validateStakeAmount(m.Provider, m.Amount) }

// ValidateBasic checks the message without state.
func (m *MsgUnbondStake) ValidateBasic() error { return validateStakeAmount(m.Provider, m.Amount) }

// ValidateBasic checks the message without state.
func (m *MsgUpdateParams) ValidateBasic() error {
	if err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}
