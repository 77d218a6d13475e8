package types

import sdk "github.com/cosmos/cosmos-sdk/types"

var _ sdk.Msg = &MsgManageDeployment{}

// The management actions, as a grant's allowed list names them.
const (
	ActionCreate  = "create"
	ActionClose   = "close"
	ActionDeposit = "deposit"
	ActionUpdate  = "update"
)

// Actions lists every management action, in the order the CLI shows them.
var Actions = []string{ActionCreate, ActionClose, ActionDeposit, ActionUpdate}

// Action names the one action the message carries ("" when none or several
// are set; ValidateBasic refuses both).
func (m *MsgManageDeployment) Action() string {
	var name string
	n := 0
	if m.Create != nil {
		name, n = ActionCreate, n+1
	}
	if m.Close != nil {
		name, n = ActionClose, n+1
	}
	if m.Deposit != nil {
		name, n = ActionDeposit, n+1
	}
	if m.Update != nil {
		name, n = ActionUpdate, n+1
	}
	if n != 1 {
		return ""
	}
	return name
}

// Dseq is the deployment the action is about.
func (m *MsgManageDeployment) Dseq() uint64 {
	switch {
	case m.Create != nil:
		return m.Create.Dseq
	case m.Close != nil:
		return m.Close.Dseq
	case m.Deposit != nil:
		return m.Deposit.Dseq
	case m.Update != nil:
		return m.Update.Dseq
	}
	return 0
}

// ValidateBasic checks that exactly one action is set, that it is about the
// owner's own deployment (and a deposit is paid by the owner), and the
// action itself.
func (m *MsgManageDeployment) ValidateBasic() error {
	if _, err := sdk.AccAddressFromBech32(m.Owner); err != nil {
		return badf("owner %q: %v; want the tenant's bech32 akash1... address", m.Owner, err)
	}
	owner := func(field, got string) error {
		if got != m.Owner {
			return badf("%s %q: must be the managing message's owner %q (a grant manages only its granter's deployments)", field, got, m.Owner)
		}
		return nil
	}
	switch m.Action() {
	case ActionCreate:
		if err := owner("create.owner", m.Create.Owner); err != nil {
			return err
		}
		return m.Create.ValidateBasic()
	case ActionClose:
		if err := owner("close.owner", m.Close.Owner); err != nil {
			return err
		}
		return m.Close.ValidateBasic()
	case ActionDeposit:
		if err := owner("deposit.owner", m.Deposit.Owner); err != nil {
			return err
		}
		if err := owner("deposit.depositor", m.Deposit.Depositor); err != nil {
			return err
		}
		return m.Deposit.ValidateBasic()
	case ActionUpdate:
		if err := owner("update.owner", m.Update.Owner); err != nil {
			return err
		}
		return m.Update.ValidateBasic()
	}
	return badf("exactly one of create, close, deposit, update must be set")
}
