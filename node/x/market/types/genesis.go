package types

import (
	"fmt"
)

// DefaultGenesisState is an empty market with the default params.
func DefaultGenesisState() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextSeq: 1}
}

// Validate checks the params, that IDs are unique and well formed, that every
// bid and lease names a known order, and that every closed record says why.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidGenesis, err)
	}
	orders := make(map[string]bool, len(gs.Orders))
	for i, o := range gs.Orders {
		if err := o.ID.Validate(); err != nil {
			return fmt.Errorf("%w: orders[%d]: %v", ErrInvalidGenesis, i, err)
		}
		k := string(OrderKey(o.ID.ToCore()))
		if orders[k] {
			return fmt.Errorf("%w: orders[%d]: order %s listed twice", ErrInvalidGenesis, i, o.ID)
		}
		orders[k] = true
		if o.State == OrderStateInvalid {
			return fmt.Errorf("%w: orders[%d] (%s): state is missing", ErrInvalidGenesis, i, o.ID)
		}
		if o.State != OrderOpen && o.State != OrderMatched && o.CloseReason == "" {
			return fmt.Errorf("%w: orders[%d] (%s): %s without a close_reason", ErrInvalidGenesis, i, o.ID, o.State)
		}
		if _, err := o.ToCore(); err != nil {
			return fmt.Errorf("%w: orders[%d]: %v", ErrInvalidGenesis, i, err)
		}
	}
	bids := make(map[string]bool, len(gs.Bids))
	for i, b := range gs.Bids {
		if err := b.ID.Validate(); err != nil {
			return fmt.Errorf("%w: bids[%d]: %v", ErrInvalidGenesis, i, err)
		}
		if !orders[string(OrderKey(b.ID.OrderID().ToCore()))] {
			return fmt.Errorf("%w: bids[%d] (%s): its order is not in orders", ErrInvalidGenesis, i, b.ID)
		}
		k := string(BidKey(b.ID.ToCore()))
		if bids[k] {
			return fmt.Errorf("%w: bids[%d]: bid %s listed twice", ErrInvalidGenesis, i, b.ID)
		}
		bids[k] = true
		if b.Seq >= gs.NextSeq {
			return fmt.Errorf("%w: bids[%d] (%s): seq %d is not below next_seq %d", ErrInvalidGenesis, i, b.ID, b.Seq, gs.NextSeq)
		}
	}
	for i, l := range gs.Leases {
		if !bids[string(BidKey(l.ID.ToCore()))] {
			return fmt.Errorf("%w: leases[%d] (%s): its bid is not in bids", ErrInvalidGenesis, i, l.ID)
		}
		if l.State == LeaseClosed && l.CloseReason == "" {
			return fmt.Errorf("%w: leases[%d] (%s): closed without a close_reason", ErrInvalidGenesis, i, l.ID)
		}
		if _, err := DecCoinToCore(l.Price); err != nil {
			return fmt.Errorf("%w: leases[%d]: %v", ErrInvalidGenesis, i, err)
		}
	}
	return nil
}
