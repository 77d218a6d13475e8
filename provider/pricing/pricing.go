// Package pricing decides what the provider asks for an order. A Strategy
// sees the order and returns a price per block for the whole group, or an
// error saying why the provider will not bid (below cost, wrong denom).
// Prices are exact decimals (core/money); nothing here uses floats.
package pricing

import (
	"errors"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
)

// Errors a strategy returns to refuse an order; the bid engine records them
// as the reason it skipped the order.
var (
	ErrBelowCost = errors.New("max price below cost")
	ErrDenom     = errors.New("order priced in another denomination")
	ErrOverflow  = errors.New("price overflows")
)

// Quote is what a strategy sees.
type Quote struct {
	Order market.Order
}

// Strategy prices one bid. Implementations are small and stateless.
type Strategy interface {
	// Name is the strategy's config name, e.g. "rate-card".
	Name() string
	// Price returns the bid price per block for the whole group, at most the
	// order's max price, or an error wrapping ErrBelowCost/ErrDenom/ErrOverflow.
	Price(q Quote) (money.Coin, error)
}
