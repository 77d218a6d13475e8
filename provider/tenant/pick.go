package tenant

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/akash-market/akash/core/market"
	mtypes "github.com/akash-market/akash/node/x/market/types"
	"github.com/akash-market/akash/provider/chainclient"
)

// Tenant matching (the market's params say matching: tenant): an order
// closes with its bids still open and waits for its tenant's pick
// (MsgCreateLease) until its bid timeout. WaitLeases asks the client's
// Picker for each such order once, and sends the pick; the chain decides
// whether it is allowed (core/market.Pick).

// ErrPickNeeded: an order waits for the tenant's pick and the client has no
// way to choose (no --pick, stdin not a terminal).
var ErrPickNeeded = errors.New("order waits for the tenant's pick")

// Offer is one open bid on an order waiting for a pick, as the tenant sees it.
type Offer struct {
	Bid        market.BidID
	Price      string // per block, the whole group
	Reputation uint32 // the provider's reputation when it bid (basis points)
	Attributes []string
}

// Picker chooses one of offers (sorted by price, then placement) for the
// order; it returns the index, or an error to stop (the deployment is then
// closed, as when no lease comes).
type Picker func(o mtypes.Order, offers []Offer) (int, error)

// PickBy returns the Picker of --pick: "cheapest" (the lowest price, the
// earliest on a tie: what auto matching would pick), or a provider address.
func PickBy(choice string) (Picker, error) {
	switch {
	case choice == "":
		return nil, fmt.Errorf("--pick is empty; use cheapest or a provider address")
	case choice == "cheapest":
		return func(_ mtypes.Order, offers []Offer) (int, error) { return 0, nil }, nil
	}
	return func(o mtypes.Order, offers []Offer) (int, error) {
		for i, of := range offers {
			if of.Bid.Provider == choice {
				return i, nil
			}
		}
		return -1, fmt.Errorf("--pick %s: no open bid of that provider on order %s; its bids: %s", choice, o.ID, providersOf(offers))
	}, nil
}

// AskPicker lists the offers on out and reads the choice (a number from the
// list, or a provider address) from in: for a terminal.
func AskPicker(in io.Reader, out io.Writer) Picker {
	return func(o mtypes.Order, offers []Offer) (int, error) {
		fmt.Fprintf(out, "order %s waits for your pick until height %d:\n", o.ID, o.PickUntil)
		PrintOffers(out, offers)
		for {
			fmt.Fprintf(out, "pick a bid [1-%d] or a provider address (empty: 1, the cheapest): ", len(offers))
			var line string
			if _, err := fmt.Fscanln(in, &line); err != nil && line == "" && !strings.Contains(err.Error(), "unexpected newline") {
				return -1, fmt.Errorf("reading the pick: %w", err)
			}
			line = strings.TrimSpace(line)
			if line == "" {
				return 0, nil
			}
			var n int
			if _, err := fmt.Sscanf(line, "%d", &n); err == nil && n >= 1 && n <= len(offers) {
				return n - 1, nil
			}
			if i := slices.IndexFunc(offers, func(of Offer) bool { return of.Bid.Provider == line }); i >= 0 {
				return i, nil
			}
			fmt.Fprintf(out, "%q is neither 1..%d nor a bidding provider\n", line, len(offers))
		}
	}
}

// PrintOffers lists offers, one a line: number, price, provider, reputation, attributes.
func PrintOffers(w io.Writer, offers []Offer) {
	for i, of := range offers {
		fmt.Fprintf(w, "  %d. %s per block  %s  reputation %d  %s\n", i+1, of.Price, of.Bid.Provider, of.Reputation, strings.Join(of.Attributes, ","))
	}
}

func providersOf(offers []Offer) string {
	var ps []string
	for _, of := range offers {
		ps = append(ps, of.Bid.Provider+" at "+of.Price)
	}
	if len(ps) == 0 {
		return "none"
	}
	return strings.Join(ps, ", ")
}

// Offers lists the open bids on order o, cheapest first (earliest on a tie).
func (c *Client) Offers(ctx context.Context, o mtypes.Order) ([]Offer, error) {
	var bids []mtypes.Bid
	err := chainclient.Pages(func(page *query.PageRequest) (*query.PageResponse, error) {
		var br mtypes.QueryBidsResponse
		req := &mtypes.QueryBidsRequest{Owner: o.ID.Owner, Dseq: o.ID.DSeq, Gseq: o.ID.GSeq, Oseq: o.ID.OSeq, State: "open", Pagination: page}
		if err := c.Chain.Query(ctx, "/akash.market.v1.Query/Bids", 0, req, &br); err != nil {
			return nil, fmt.Errorf("bids on %s: %w", o.ID, err)
		}
		bids = append(bids, br.Bids...)
		return br.Pagination, nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(bids, func(a, b mtypes.Bid) int {
		if c := a.Price.Amount.BigInt().Cmp(b.Price.Amount.BigInt()); c != 0 {
			return c
		}
		if a.PlacedAt != b.PlacedAt {
			return int(a.PlacedAt - b.PlacedAt)
		}
		return int(a.Seq) - int(b.Seq)
	})
	out := make([]Offer, 0, len(bids))
	for _, b := range bids {
		of := Offer{Bid: b.ID.ToCore(), Price: b.Price.String(), Reputation: b.Offer.Reputation}
		for _, a := range b.Offer.Attributes {
			of.Attributes = append(of.Attributes, a.Key+"="+a.Value)
		}
		out = append(out, of)
	}
	return out, nil
}

// pickAwaiting sends the tenant's pick for each of the deployment's orders
// that waits for one (at most once per order: picked remembers them).
func (c *Client) pickAwaiting(ctx context.Context, did market.DeploymentID, picked map[string]bool) error {
	open, err := c.orders(ctx, did, "open")
	if err != nil {
		return err
	}
	for _, o := range open {
		if o.PickUntil == 0 || picked[o.ID.String()] {
			continue
		}
		offers, err := c.Offers(ctx, o)
		if err != nil {
			return err
		}
		if len(offers) == 0 {
			continue // nothing to pick: the order expires at its timeout
		}
		if c.Picker == nil {
			var sb strings.Builder
			PrintOffers(&sb, offers)
			return fmt.Errorf("%w: order %s (matching tenant) until height %d, bids:\n%sgive --pick cheapest or --pick <provider address> (or run on a terminal to be asked)", ErrPickNeeded, o.ID, o.PickUntil, sb.String())
		}
		i, err := c.Picker(o, offers)
		if err != nil {
			return err
		}
		chosen := offers[i].Bid
		msg := &mtypes.MsgCreateLease{Owner: c.owner(), Bid: mtypes.BidIDFromCore(chosen)}
		if err := c.Chain.Send(ctx, "create lease "+chosen.String(), msg); err != nil {
			return err
		}
		picked[o.ID.String()] = true
		c.logf("picked %s at %s for order %s", chosen.Provider, offers[i].Price, o.ID)
	}
	return nil
}
