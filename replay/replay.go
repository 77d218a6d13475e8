package replay

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/node/x/conv"
	mtypes "github.com/akash-market/akash/node/x/market/types"
	ptypes "github.com/akash-market/akash/node/x/provider/types"
	"github.com/akash-market/akash/sim/trace"
)

// Result is what a replay found.
type Result struct {
	Blocks  int64
	Txs     int
	Failed  []Failure  // transactions the chain refused that the simulator's book accepted
	Diffs   []Diff     // outcomes that differ
	Rounded []Rounding // amounts rounded up to whole units for the bank
}

// Failure is a transaction the chain refused.
type Failure struct {
	Step   int        `json:"step"`
	Height int64      `json:"height"`
	Kind   trace.Kind `json:"kind"`
	What   string     `json:"what"` // the record's ID
	Code   uint32     `json:"code"`
	Log    string     `json:"log"`
}

func (f Failure) String() string {
	return fmt.Sprintf("block %d, %s %s (step %d): code %d: %s", f.Height, f.Kind, f.What, f.Step, f.Code, f.Log)
}

// Diff is an outcome the simulator and the chain disagree on.
type Diff struct {
	What  string `json:"what"` // "lease tenant/web/3/1/1/dc-2 price", "wallet dc-2", ...
	Sim   string `json:"sim"`
	Chain string `json:"chain"`
	// Order is the simulator's order the diff is about (its lease or the
	// order itself); zero for wallets and stake.
	Order market.OrderID `json:"-"`
}

func (d Diff) String() string {
	return fmt.Sprintf("%s: simulator %s, chain %s", d.What, d.Sim, d.Chain)
}

// GenesisFunds is each address's genesis balance: its simulated funds
// rounded up to whole units.
func GenesisFunds(p *Plan) map[string]sdk.Coins {
	out := map[string]sdk.Coins{}
	for a, f := range p.Funds {
		whole, rest := conv.SplitWhole(f)
		if !rest.IsZero() {
			whole = whole.AddRaw(1)
		}
		out[a] = sdk.NewCoins(sdk.NewCoin(p.Header.Denom, whole))
	}
	return out
}

// MarketParams sets the chain's market, provider, escrow and deployment
// parameters to the trace header's. Each deployment's tenant decides whether
// its orders are sealed (sealed_bids "tenant"), as in the simulator.
func MarketParams(p *Plan) Genesis {
	h := p.Header
	i64 := func(v int64) string { return strconv.FormatInt(v, 10) }
	return func(cdc codec.Codec, state map[string]json.RawMessage) error {
		whole, _ := conv.SplitWhole(h.Market.BidDeposit)
		// The chain's min_deposits must be positive: a simulator minimum of 0
		// (none) is the chain's least, one unit.
		minDep, rest := conv.SplitWhole(h.Market.MinDeposit)
		if !rest.IsZero() || minDep.IsZero() {
			minDep = minDep.AddRaw(1)
		}
		edits := map[string]map[string]any{
			"market": {"bid_window_blocks": i64(h.Market.BidWindowBlocks), "reveal_window_blocks": i64(h.Market.RevealWindowBlocks),
				"bid_min_deposit": map[string]string{"denom": h.Denom, "amount": whole.String()}, "sealed_bids": mtypes.SealedByTenant.String(),
				"reorder_on_fault": h.Market.ReorderOnFault, "matching": cmp.Or(h.Market.Matching, "auto"),
				"bid_timeout_blocks": i64(h.Market.BidTimeoutBlocks)},
			"provider":   {"stake_denom": h.Denom, "unbonding_period": i64(h.Market.UnbondingBlocks), "fault_slash_bps": h.Market.SlashFaultBPS},
			"escrow":     {"take_rate_bps": h.Market.TakeRateBPS},
			"deployment": {"min_deposits": []map[string]string{{"denom": h.Denom, "amount": minDep.String()}}},
		}
		for _, module := range sortedKeys(edits) {
			raw, ok := state[module]
			if !ok {
				return fmt.Errorf("module %s has no genesis state: is it wired into node/app?", module)
			}
			var gs map[string]any
			if err := json.Unmarshal(raw, &gs); err != nil {
				return fmt.Errorf("%s genesis: %w", module, err)
			}
			params, _ := gs["params"].(map[string]any)
			if params == nil {
				return fmt.Errorf("%s genesis has no params object", module)
			}
			for k, v := range edits[module] {
				if _, ok := params[k]; !ok {
					return fmt.Errorf("%s params have no field %q (fields: %v)", module, k, sortedKeys(params))
				}
				params[k] = v
			}
			b, err := json.Marshal(gs)
			if err != nil {
				return err
			}
			state[module] = b
		}
		return nil
	}
}

// Progress is how far a replay is: blocks finalized of the total, and the
// transactions submitted so far.
type Progress struct {
	Block, Blocks int64
	Txs           int
}

// Run replays the plan's steps block by block: block h holds the actions
// at chain height h, in trace order, one transaction each. It runs one
// block past the trace's end height, so the chain's end-of-block work for
// the simulator's last block happens too. progress, if not nil, is called
// after every block.
func Run(p *Plan, c *Chain, tr *Translator, progress func(Progress)) (*Result, error) {
	res := &Result{}
	last := p.Header.EndHeight + HeightOffset
	next := 0
	for h := c.Height() + 1; h <= last; h++ {
		var txs []Tx
		var steps []int
		for ; next < len(p.Steps) && p.Steps[next].Height <= h; next++ {
			s := p.Steps[next]
			if s.Height < h {
				return nil, fmt.Errorf("replay: step %d (%s) is for block %d, the chain is at %d", next, s.Record.Kind, s.Height, h)
			}
			tx, ok, err := tr.Tx(next, s)
			if err != nil {
				return nil, err
			}
			if ok {
				txs = append(txs, tx)
				steps = append(steps, next)
			}
		}
		results, err := c.Block(txs)
		if err != nil {
			return nil, err
		}
		res.Blocks++
		res.Txs += len(txs)
		if progress != nil {
			progress(Progress{Block: h, Blocks: last, Txs: res.Txs})
		}
		for i, r := range results {
			s := p.Steps[steps[i]]
			if rejected := s.Record.Bid != nil && !s.Record.Bid.Accepted; rejected {
				// The simulator's book refused it at placement (an
				// eligibility rule): the chain must refuse it too.
				if r.Code == 0 {
					res.Diffs = append(res.Diffs, Diff{What: "bid " + s.Record.Bid.ID.String() + " at placement",
						Sim: "refused: " + s.Record.Bid.Reason, Chain: "accepted", Order: s.Record.Bid.ID.Order()})
				}
				continue
			}
			if r.Code == 0 {
				continue
			}
			res.Failed = append(res.Failed, Failure{Step: steps[i], Height: h, Kind: s.Record.Kind, What: recordID(s.Record), Code: r.Code, Log: r.Log})
		}
	}
	res.Rounded = tr.Rounded
	return res, nil
}

func recordID(r trace.Record) string {
	switch {
	case r.Provider != nil:
		return r.Provider.Addr
	case r.ProviderStatus != nil:
		return r.ProviderStatus.Addr
	case r.Deployment != nil:
		return r.Deployment.ID.String()
	case r.Deposit != nil:
		return r.Deposit.ID.String()
	case r.Bid != nil:
		return r.Bid.ID.String()
	case r.Reveal != nil:
		return r.Reveal.ID.String()
	case r.BidWithdrawn != nil:
		return r.BidWithdrawn.ID.String()
	case r.CloseLease != nil:
		return r.CloseLease.ID.String()
	case r.CloseDeployment != nil:
		return r.CloseDeployment.ID.String()
	case r.Withdraw != nil:
		return r.Withdraw.ID.String()
	}
	return string(r.Kind)
}

// Compare checks the chain's leases and balances against the simulator's.
func Compare(p *Plan, c *Chain, res *Result) error {
	names := map[string]string{} // chain address → simulated address
	for a := range p.Funds {
		names[addr(a)] = a
	}
	simID := func(id market.BidID) market.BidID {
		id.Owner, id.Provider = names[id.Owner], names[id.Provider]
		return id
	}
	leases, err := c.Leases()
	if err != nil {
		return err
	}
	seen := map[market.LeaseID]bool{}
	for _, l := range leases {
		id := simID(l.ID.ToCore())
		seen[id] = true
		want, ok := p.Want.Leases[id]
		if !ok {
			res.Diffs = append(res.Diffs, Diff{What: "lease " + id.String(), Sim: "none", Chain: fmt.Sprintf("opened at %d at %s", l.OpenedAt, l.Price), Order: id.OrderID})
			continue
		}
		price, err := mtypes.DecCoinToCore(l.Price)
		if err != nil {
			return err
		}
		cmp := func(what, sim, chain string) {
			if sim != chain {
				res.Diffs = append(res.Diffs, Diff{What: "lease " + id.String() + " " + what, Sim: sim, Chain: chain, Order: id.OrderID})
			}
		}
		cmp("price", want.Price.String(), price.Amount.String())
		cmp("opened at", strconv.FormatInt(want.Opened, 10), strconv.FormatInt(l.OpenedAt, 10))
		cmp("closed at", strconv.FormatInt(want.Closed, 10), strconv.FormatInt(l.ClosedAt, 10))
		cmp("close reason", want.Reason, l.CloseReason)
	}
	for _, id := range sortedLeaseIDs(p.Want.Leases) {
		if !seen[id] {
			w := p.Want.Leases[id]
			res.Diffs = append(res.Diffs, Diff{What: "lease " + id.String(), Sim: fmt.Sprintf("opened at %d at %s", w.Opened, w.Price), Chain: "none", Order: id.OrderID})
		}
	}
	orders, err := c.Orders()
	if err != nil {
		return err
	}
	onChain := map[market.OrderID]mtypes.Order{}
	for _, o := range orders {
		id := simID(market.BidID{OrderID: o.ID.ToCore()}).OrderID
		onChain[id] = o
	}
	for _, id := range sortedOrderIDs(p.Want.Orders) {
		want := p.Want.Orders[id]
		o, ok := onChain[id]
		switch {
		case !ok:
			res.Diffs = append(res.Diffs, Diff{What: "order " + id.String(), Sim: "closed at " + strconv.FormatInt(want.Closed, 10), Chain: "none", Order: id})
		// An unmatched order's tenant closes the deployment at once, which
		// the chain records as the order's state "closed".
		case !want.Matched && !want.Cancelled && o.State != mtypes.OrderUnmatched && o.State != mtypes.OrderClosed:
			res.Diffs = append(res.Diffs, Diff{What: "order " + id.String() + " state", Sim: "unmatched", Chain: o.State.String(), Order: id})
		case want.Matched && (o.State == mtypes.OrderUnmatched || o.State == mtypes.OrderOpen):
			res.Diffs = append(res.Diffs, Diff{What: "order " + id.String() + " state", Sim: "matched", Chain: o.State.String(), Order: id})
		}
	}
	for _, a := range p.Providers {
		st, err := c.Stake(a)
		if err != nil {
			return err
		}
		for _, v := range []struct {
			what  string
			sim   money.Dec
			chain sdkmath.Int
		}{{"bonded", p.Want.Bonded[a], st.Bonded}, {"slashed", p.Want.Slashed[a], st.Slashed}} {
			got, err := conv.DecFromInt(v.chain)
			if err != nil {
				return err
			}
			if !got.Equal(v.sim) {
				res.Diffs = append(res.Diffs, Diff{What: "stake " + v.what + " of " + a, Sim: v.sim.String(), Chain: got.String()})
			}
		}
	}
	genesis := GenesisFunds(p)
	for _, a := range sortedKeys(p.Want.ChainWallets) {
		want := p.Want.ChainWallets[a]
		// The replay funded the address with its funds rounded up; that
		// extra sits in the wallet on top of what the simulator ended with.
		extra, _ := conv.DecFromInt(genesis[a].AmountOf(p.Header.Denom))
		extra, _ = extra.Sub(p.Funds[a])
		want, _ = want.Add(extra)
		got, err := conv.DecFromInt(c.Balance(a, p.Header.Denom))
		if err != nil {
			return err
		}
		if !got.Equal(want) {
			res.Diffs = append(res.Diffs, Diff{What: "wallet " + a + " (simulator's, paid in whole units)", Sim: want.String(), Chain: got.String()})
		}
	}
	return nil
}

// Leases lists every lease on the chain (market's Leases query).
func (c *Chain) Leases() ([]mtypes.Lease, error) {
	// The app's own query router: the services every module registered.
	helper := &baseapp.QueryServiceTestHelper{GRPCQueryRouter: c.App.GRPCQueryRouter(), Ctx: c.Context()}
	q := mtypes.NewQueryClient(helper)
	var out []mtypes.Lease
	var key []byte
	for {
		r, err := q.Leases(c.Context(), &mtypes.QueryLeasesRequest{Pagination: &query.PageRequest{Key: key, Limit: 500}})
		if err != nil {
			return nil, fmt.Errorf("replay: query market leases: %w", err)
		}
		out = append(out, r.Leases...)
		if r.Pagination == nil || len(r.Pagination.NextKey) == 0 {
			return out, nil
		}
		key = r.Pagination.NextKey
	}
}

func sortedLeaseIDs(m map[market.LeaseID]LeaseResult) []market.LeaseID {
	ids := make([]market.LeaseID, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, compareLeaseIDs)
	return ids
}

// compareLeaseIDs orders by deployment, group, order, owner, provider.
func compareLeaseIDs(a, b market.LeaseID) int {
	return cmp.Or(cmp.Compare(a.DSeq, b.DSeq), cmp.Compare(a.GSeq, b.GSeq), cmp.Compare(a.OSeq, b.OSeq),
		cmp.Compare(a.Owner, b.Owner), cmp.Compare(a.Provider, b.Provider))
}

func sortedOrderIDs(m map[market.OrderID]OrderResult) []market.OrderID {
	ids := make([]market.OrderID, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b market.OrderID) int {
		return compareLeaseIDs(market.BidID{OrderID: a}, market.BidID{OrderID: b})
	})
	return ids
}

// Stake is a provider's stake record (provider's Stake query).
func (c *Chain) Stake(sim string) (ptypes.Stake, error) {
	helper := &baseapp.QueryServiceTestHelper{GRPCQueryRouter: c.App.GRPCQueryRouter(), Ctx: c.Context()}
	r, err := ptypes.NewQueryClient(helper).Stake(c.Context(), &ptypes.QueryStakeRequest{Provider: addr(sim)})
	if err != nil {
		return ptypes.Stake{}, fmt.Errorf("replay: query stake of %s: %w", sim, err)
	}
	return r.Stake, nil
}

// Orders lists every order on the chain (market's Orders query).
func (c *Chain) Orders() ([]mtypes.Order, error) {
	helper := &baseapp.QueryServiceTestHelper{GRPCQueryRouter: c.App.GRPCQueryRouter(), Ctx: c.Context()}
	q := mtypes.NewQueryClient(helper)
	var out []mtypes.Order
	var key []byte
	for {
		r, err := q.Orders(c.Context(), &mtypes.QueryOrdersRequest{Pagination: &query.PageRequest{Key: key, Limit: 500}})
		if err != nil {
			return nil, fmt.Errorf("replay: query market orders: %w", err)
		}
		out = append(out, r.Orders...)
		if r.Pagination == nil || len(r.Pagination.NextKey) == 0 {
			return out, nil
		}
		key = r.Pagination.NextKey
	}
}
