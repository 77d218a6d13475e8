package replay

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/node/x/conv"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
	mtypes "github.com/akash-market/akash/node/x/market/types"
	ptypes "github.com/akash-market/akash/node/x/provider/types"
	"github.com/akash-market/akash/sim/trace"
)

// Translator turns a plan's steps into the transactions the simulated actors
// would have sent, with simulated addresses replaced by their chain accounts.
type Translator struct {
	Denom string
	// Rounded records every amount the chain could not take exactly (bank
	// moves whole units; the simulator deposits exact decimals): the step's
	// index and the amount added to make it whole.
	Rounded []Rounding
	bonded  map[string]money.Dec // provider → stake bonded (bond − slash), for an unbond of all
}

// Rounding is an amount the replay rounded up to a whole unit.
type Rounding struct {
	Step  int
	What  string
	Exact money.Dec
	Whole sdkmath.Int
}

// NewTranslator returns a translator for the plan's denomination.
func NewTranslator(denom string) *Translator {
	return &Translator{Denom: denom, bonded: map[string]money.Dec{}}
}

func addr(sim string) string { return AccAddress(sim).String() }

// mapID is a simulator ID with its owner and provider as chain addresses.
func mapID(id trace.ID) market.BidID {
	b := id.Bid()
	b.Owner = addr(b.Owner)
	if b.Provider != "" {
		b.Provider = addr(b.Provider)
	}
	return b
}

// MapLeaseID is a simulator lease ID as the chain names it.
func MapLeaseID(id market.LeaseID) market.LeaseID {
	return mapID(trace.BidID(id))
}

func (t *Translator) coin(step int, what string, d money.Dec) sdk.Coin {
	whole, rest := conv.SplitWhole(d)
	if !rest.IsZero() {
		whole = whole.AddRaw(1)
		t.Rounded = append(t.Rounded, Rounding{Step: step, What: what, Exact: d, Whole: whole})
	}
	return sdk.NewCoin(t.Denom, whole)
}

// Tx returns the transaction for plan step i, or ok=false for a step that
// is not a transaction (an outage or repair: what follows from it, the
// withdrawn bids and closed leases, are steps of their own).
func (t *Translator) Tx(i int, s Step) (tx Tx, ok bool, err error) {
	r := s.Record
	switch r.Kind {
	case trace.KindProvider:
		p := r.Provider
		attrs := make([]ptypes.Attribute, len(p.Attributes))
		for j, a := range p.Attributes {
			attrs[j] = ptypes.Attribute{Key: a.Key, Value: a.Value}
		}
		msgs := []sdk.Msg{&ptypes.MsgCreateProvider{Owner: addr(p.Addr), HostURI: "https://" + p.Addr + ".replay.test:8443", Attributes: attrs}}
		if !p.Stake.IsZero() {
			msgs = append(msgs, &ptypes.MsgBondStake{Provider: addr(p.Addr), Amount: t.coin(i, "stake of "+p.Addr, p.Stake)})
			t.bonded[p.Addr] = p.Stake
		}
		return Tx{From: p.Addr, Msgs: msgs}, true, nil
	case trace.KindProviderStatus:
		st := r.ProviderStatus
		if st.Status != trace.StatusLeft {
			return Tx{}, false, nil
		}
		b := t.bonded[st.Addr]
		if s.Amount != nil {
			b = *s.Amount
		}
		if b.IsZero() {
			return Tx{}, false, nil
		}
		whole, _ := conv.SplitWhole(b) // the chain slashes whole units; unbond what it holds at most
		return Tx{From: st.Addr, Msgs: []sdk.Msg{&ptypes.MsgUnbondStake{Provider: addr(st.Addr), Amount: sdk.NewCoin(t.Denom, whole)}}}, true, nil
	case trace.KindDeployment:
		d := r.Deployment
		version, err := json.Marshal(d.Group)
		if err != nil {
			return Tx{}, false, err
		}
		sum := sha256.Sum256(version)
		return Tx{From: d.ID.Owner, Msgs: []sdk.Msg{&dtypes.MsgCreateDeployment{Owner: addr(d.ID.Owner), Dseq: d.ID.DSeq,
			Groups: []dtypes.GroupSpec{conv.GroupSpec(d.Group)}, Version: sum[:], Deposit: t.coin(i, "deposit of "+d.ID.String(), d.Deposit),
			Sealed: d.Sealed, MinReputation: d.MinReputation}}}, true, nil
	case trace.KindDeposit:
		d := r.Deposit
		return Tx{From: d.ID.Owner, Msgs: []sdk.Msg{&dtypes.MsgDepositDeployment{Owner: addr(d.ID.Owner), Dseq: d.ID.DSeq,
			Amount: t.coin(i, "top-up of "+d.ID.String(), d.Amount), Depositor: addr(d.ID.Owner)}}}, true, nil
	case trace.KindBid, trace.KindCommit:
		b := r.Bid
		id := mapID(b.ID)
		oid := mtypes.OrderIDFromCore(id.OrderID)
		res := mtypes.ResourcesFromCore(b.Offer.Resources)
		dep := t.coin(i, "bid deposit of "+b.ID.String(), b.Deposit)
		if r.Kind == trace.KindBid {
			return Tx{From: b.ID.Provider, Msgs: []sdk.Msg{&mtypes.MsgCreateBid{Provider: id.Provider, Order: oid,
				Price: mtypes.DecCoinFromCore(money.Coin{Denom: t.Denom, Amount: b.Price}), Resources: res, Deposit: dep}}}, true, nil
		}
		rev, err := reveal(id, t.Denom, b.Price, b.Salt)
		if err != nil {
			return Tx{}, false, fmt.Errorf("commit %s: %w", b.ID, err)
		}
		c := rev.Commitment()
		return Tx{From: b.ID.Provider, Msgs: []sdk.Msg{&mtypes.MsgCommitBid{Provider: id.Provider, Order: oid, Commitment: c[:],
			Resources: res, Deposit: dep}}}, true, nil
	case trace.KindReveal:
		v := r.Reveal
		id := mapID(v.ID)
		rev, err := reveal(id, t.Denom, v.Price, v.Salt)
		if err != nil {
			return Tx{}, false, fmt.Errorf("reveal %s: %w", v.ID, err)
		}
		return Tx{From: v.ID.Provider, Msgs: []sdk.Msg{&mtypes.MsgRevealBid{Provider: id.Provider, Reveal: rev.Encode()}}}, true, nil
	case trace.KindBidWithdrawn:
		id := mapID(r.BidWithdrawn.ID)
		return Tx{From: r.BidWithdrawn.ID.Provider, Msgs: []sdk.Msg{&mtypes.MsgCloseBid{Provider: id.Provider, Order: mtypes.OrderIDFromCore(id.OrderID)}}}, true, nil
	case trace.KindCloseLease:
		c := r.CloseLease
		id := mapID(c.ID)
		return Tx{From: c.ID.Provider, Msgs: []sdk.Msg{&mtypes.MsgCloseLease{Sender: id.Provider, Lease: mtypes.BidIDFromCore(id), Reason: c.Reason, Detail: c.Detail}}}, true, nil
	case trace.KindCloseDeployment:
		c := r.CloseDeployment
		return Tx{From: c.ID.Owner, Msgs: []sdk.Msg{&dtypes.MsgCloseDeployment{Owner: addr(c.ID.Owner), Dseq: c.ID.DSeq}}}, true, nil
	case trace.KindCreateLease:
		id := mapID(r.CreateLease.ID)
		return Tx{From: r.CreateLease.ID.Owner, Msgs: []sdk.Msg{&mtypes.MsgCreateLease{Owner: id.Owner, Bid: mtypes.BidIDFromCore(id)}}}, true, nil
	case trace.KindWithdraw:
		id := mapID(r.Withdraw.ID)
		return Tx{From: r.Withdraw.ID.Provider, Msgs: []sdk.Msg{&mtypes.MsgWithdrawLease{Provider: id.Provider, Lease: mtypes.BidIDFromCore(id)}}}, true, nil
	}
	return Tx{}, false, fmt.Errorf("step %d: a %s record is not an action", i, r.Kind)
}

// reveal rebuilds a sealed bid's reveal under chain addresses: the same price
// and salt, so the commitment differs from the simulator's only by the IDs.
func reveal(id market.BidID, denom string, price money.Dec, saltHex string) (market.Reveal, error) {
	b, err := hex.DecodeString(saltHex)
	if err != nil || len(b) != 32 {
		return market.Reveal{}, fmt.Errorf("salt %q: want 64 hex digits", saltHex)
	}
	r := market.Reveal{Bid: id, Price: money.Coin{Denom: denom, Amount: price}}
	copy(r.Salt[:], b)
	return r, nil
}
