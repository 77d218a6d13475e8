// Package lease holds the money side of the marketplace: leases, the escrow
// accounts that pay them block by block, provider stake, and reputation.
//
// Like etcd's raft and the Cosmos SDK's x/bank, it is a pure state machine.
// It reads no clock, store or network: the caller passes the block height,
// and every verb returns its decisions as data, in an Effects buffer:
//
//   - Transfers: coin movements the caller must apply to real balances
//     (depositor → escrow, escrow → provider, escrow → community pool,
//     escrow → depositor refunds, provider ↔ stake, stake → pool slashes).
//     Settle also reports the internal accrual (escrow → its leases, one
//     total per call) so the flows can be tallied from transfers alone.
//   - Closed: a snapshot of every lease that closed, with its reason.
//
// The caller's duties, in order, after each verb that returned nil:
//
//  1. persist the Account / StakeBook (the receiver was updated in place);
//  2. apply Effects.Transfers to bank balances, in order;
//  3. act on Effects.Closed (close orders, tear down workloads, re-order
//     groups, record reputation History);
//  4. Reset the Effects buffer before the next verb (or keep appending).
//
// Every verb that takes a height first settles the account to it. A verb
// that returns an error changes nothing else, but that settlement stands and
// is reported in Effects (it is a fact about the past: if the money ran out
// before height, the leases closed then, whatever the caller wanted to do).
//
// Time: a height h "settled" means every block up to and including h is paid.
// A lease opened at height o pays its price for each block o+1, o+2, ...
// Money: money.Dec only (exact 18-digit fixed point on 256 bits); there is
// no float anywhere in this package. CheckConservation proves, to the last
// atto-unit, that deposited = paid to providers + taken to the pool +
// refunded + held, and the tests run it after every operation.
package lease
