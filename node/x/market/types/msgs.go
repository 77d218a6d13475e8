package types

import (
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// MaxCloseDetail bounds the free text a lease close carries.
const MaxCloseDetail = 256

var (
	_ sdk.Msg = (*MsgCreateBid)(nil)
	_ sdk.Msg = (*MsgCommitBid)(nil)
	_ sdk.Msg = (*MsgRevealBid)(nil)
	_ sdk.Msg = (*MsgCloseBid)(nil)
	_ sdk.Msg = (*MsgCloseLease)(nil)
	_ sdk.Msg = (*MsgWithdrawLease)(nil)
	_ sdk.Msg = (*MsgUpdateParams)(nil)
)

func validAddress(field, addr string) error {
	if addr == "" {
		return fmt.Errorf("%s: empty; must be a bech32 account address (akash1...)", field)
	}
	if _, err := sdk.AccAddressFromBech32(addr); err != nil {
		return fmt.Errorf("%s %q: %v; must be a bech32 account address (akash1...)", field, addr, err)
	}
	return nil
}

// Validate checks an order ID: a tenant address, and 1-based dseq, gseq and oseq.
func (id OrderID) Validate() error {
	if err := validAddress("order owner", id.Owner); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidID, err)
	}
	if id.DSeq == 0 || id.GSeq == 0 || id.OSeq == 0 {
		return fmt.Errorf("%w: order %s: dseq, gseq and oseq must all be at least 1", ErrInvalidID, id)
	}
	return nil
}

// Validate checks a bid or lease ID: its order and the provider address.
func (id BidID) Validate() error {
	if err := id.OrderID().Validate(); err != nil {
		return err
	}
	if err := validAddress("provider", id.Provider); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidID, err)
	}
	return nil
}

func validPrice(p sdk.DecCoin) error {
	if p.Amount.IsNil() || !p.Amount.IsPositive() {
		return fmt.Errorf("%w: %q: must be more than zero per block, e.g. 10uakt", ErrInvalidPrice, p)
	}
	if !money.ValidDenom(p.Denom) {
		return fmt.Errorf("%w: %q: denom %q is not valid, e.g. uakt", ErrInvalidPrice, p, p.Denom)
	}
	if _, err := DecCoinToCore(p); err != nil {
		return err
	}
	return nil
}

// validDeposit accepts the zero coin (use the params' minimum) or a valid positive coin.
func validDeposit(c sdk.Coin) error {
	if c.Denom == "" && (c.Amount.IsNil() || c.Amount.IsZero()) {
		return nil
	}
	if err := c.Validate(); err != nil || !c.Amount.IsPositive() {
		return fmt.Errorf("%w: %q: leave it empty for the minimum deposit or give a positive amount, e.g. 5000000uakt", market.ErrInvalidDeposit, c)
	}
	return nil
}

func validOffer(r Resources) error {
	if r.CPUMillis == 0 || r.MemoryBytes == 0 {
		return fmt.Errorf("%w: cpu_millis %d, memory_bytes %d: a provider must offer some cpu and memory", ErrInvalidResources, r.CPUMillis, r.MemoryBytes)
	}
	return nil
}

// ValidateBasic checks the bid without state.
func (m *MsgCreateBid) ValidateBasic() error {
	if err := validAddress("provider", m.Provider); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidID, err)
	}
	if err := m.Order.Validate(); err != nil {
		return err
	}
	if err := validPrice(m.Price); err != nil {
		return err
	}
	if err := validOffer(m.Resources); err != nil {
		return err
	}
	return validDeposit(m.Deposit)
}

// ValidateBasic checks the commitment without state.
func (m *MsgCommitBid) ValidateBasic() error {
	if err := validAddress("provider", m.Provider); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidID, err)
	}
	if err := m.Order.Validate(); err != nil {
		return err
	}
	if len(m.Commitment) != len(market.Commitment{}) {
		return fmt.Errorf("%w: %d bytes; must be the 32-byte sha256 of the reveal (tx market commit computes it)", ErrInvalidCommitment, len(m.Commitment))
	}
	if err := validOffer(m.Resources); err != nil {
		return err
	}
	return validDeposit(m.Deposit)
}

// ValidateBasic parses the reveal and checks it is the signer's.
func (m *MsgRevealBid) ValidateBasic() error {
	if err := validAddress("provider", m.Provider); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidID, err)
	}
	r, err := market.ParseReveal(m.Reveal)
	if err != nil {
		return fmt.Errorf("%w: %v; pass the reveal file `tx market commit` wrote", ErrInvalidReveal, err)
	}
	if r.Bid.Provider != m.Provider {
		return fmt.Errorf("%w: the reveal is for provider %s but %s signs it", ErrInvalidReveal, r.Bid.Provider, m.Provider)
	}
	if err := BidIDFromCore(r.Bid).Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidReveal, err)
	}
	return nil
}

// RevealedBid returns the parsed reveal (call after ValidateBasic).
func (m *MsgRevealBid) RevealedBid() (market.Reveal, error) {
	return market.ParseReveal(m.Reveal)
}

// ValidateBasic checks the withdrawal without state.
func (m *MsgCloseBid) ValidateBasic() error {
	if err := validAddress("provider", m.Provider); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidID, err)
	}
	return m.Order.Validate()
}

// CloseReasonsBy lists the reasons each party may give when it closes a lease.
// insufficient-funds is the escrow's verdict and deployment-closed the
// deployment module's; no one claims them by message.
var (
	TenantCloseReasons   = []lease.CloseReason{lease.ReasonTenantClosed}
	ProviderCloseReasons = []lease.CloseReason{lease.ReasonProviderClosed, lease.ReasonProviderFault, lease.ReasonManifestTimeout}
)

// Closure parses the message's reason and detail.
func (m *MsgCloseLease) Closure() (lease.Closure, error) {
	r, err := lease.ParseCloseReason(m.Reason)
	if err != nil || !r.Valid() {
		return lease.Closure{}, fmt.Errorf("%w: %q; the tenant gives tenant-closed, the provider provider-closed, provider-fault or manifest-timeout", ErrInvalidReason, m.Reason)
	}
	if r == lease.ReasonInsufficientFunds || r == lease.ReasonDeploymentClosed {
		return lease.Closure{}, fmt.Errorf("%w: %q is decided by the chain (escrow or deployment), not claimed by a message", ErrInvalidReason, m.Reason)
	}
	return lease.Closure{Reason: r, Detail: m.Detail}, nil
}

// ValidateBasic checks the close without state (who may give which reason
// needs the lease, so the keeper checks that).
func (m *MsgCloseLease) ValidateBasic() error {
	if err := validAddress("sender", m.Sender); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidID, err)
	}
	if err := m.Lease.Validate(); err != nil {
		return err
	}
	if len(m.Detail) > MaxCloseDetail {
		return fmt.Errorf("%w: detail is %d bytes; at most %d", ErrInvalidReason, len(m.Detail), MaxCloseDetail)
	}
	_, err := m.Closure()
	return err
}

// ValidateBasic checks that the signer is the lease's provider.
func (m *MsgWithdrawLease) ValidateBasic() error {
	if err := validAddress("provider", m.Provider); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidID, err)
	}
	if err := m.Lease.Validate(); err != nil {
		return err
	}
	if m.Lease.Provider != m.Provider {
		return fmt.Errorf("%w: lease %s pays %s; only its provider withdraws", ErrUnauthorized, m.Lease, m.Lease.Provider)
	}
	return nil
}

// ValidateBasic checks the authority address and the params.
func (m *MsgUpdateParams) ValidateBasic() error {
	if err := validAddress("authority", m.Authority); err != nil {
		return fmt.Errorf("%w: %v", ErrUnauthorized, err)
	}
	return m.Params.Validate()
}

// ValidateBasic checks that the signer is the tenant whose order the picked
// bid is on.
func (m *MsgCreateLease) ValidateBasic() error {
	if err := validAddress("owner", m.Owner); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidID, err)
	}
	if err := m.Bid.Validate(); err != nil {
		return err
	}
	if m.Bid.Owner != m.Owner {
		return fmt.Errorf("%w: bid %s is on an order of %s; only that tenant picks its bid", ErrUnauthorized, m.Bid, m.Bid.Owner)
	}
	return nil
}
