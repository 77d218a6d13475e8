package lease

import "fmt"

// CloseReason says why a lease (or an escrow account) closed. Every close
// carries one: a lease "closed with no clear reason" cannot be built, because
// the verbs reject ReasonNone and the invariant check rejects a closed lease
// without a reason.
type CloseReason uint8

const (
	// ReasonNone is the zero value: an open lease has it; a closed one never.
	ReasonNone CloseReason = iota
	// ReasonTenantClosed: the tenant ended the lease (or its deployment) on purpose.
	ReasonTenantClosed
	// ReasonProviderClosed: the provider ended the lease on purpose.
	ReasonProviderClosed
	// ReasonInsufficientFunds: the escrow could not pay the next block. Only
	// the escrow decides this (Settle); callers cannot claim it.
	ReasonInsufficientFunds
	// ReasonProviderFault: the provider failed to serve (outage, failed
	// health checks, lost workload). Counts against reputation and can slash.
	ReasonProviderFault
	// ReasonManifestTimeout: the provider won but the tenant's manifest did
	// not arrive in time, so the provider closed the lease.
	ReasonManifestTimeout
	// ReasonDeploymentClosed: the order or deployment the lease serves closed
	// (e.g. the deployment was updated or its group removed).
	ReasonDeploymentClosed

	reasonCount // keep last
)

var reasonNames = [reasonCount]string{
	ReasonNone:              "none",
	ReasonTenantClosed:      "tenant-closed",
	ReasonProviderClosed:    "provider-closed",
	ReasonInsufficientFunds: "insufficient-funds",
	ReasonProviderFault:     "provider-fault",
	ReasonManifestTimeout:   "manifest-timeout",
	ReasonDeploymentClosed:  "deployment-closed",
}

var reasonText = [reasonCount]string{
	ReasonNone:              "not closed",
	ReasonTenantClosed:      "closed by the tenant",
	ReasonProviderClosed:    "closed by the provider",
	ReasonInsufficientFunds: "escrow ran out of funds",
	ReasonProviderFault:     "provider fault",
	ReasonManifestTimeout:   "manifest not received in time",
	ReasonDeploymentClosed:  "order or deployment closed",
}

// String is the stable machine name ("insufficient-funds") used in CSV,
// JSON and chain events; ParseCloseReason reads it back.
func (r CloseReason) String() string {
	if r < reasonCount {
		return reasonNames[r]
	}
	return fmt.Sprintf("reason(%d)", uint8(r))
}

// Text is the human sentence ("escrow ran out of funds") for UIs and logs.
func (r CloseReason) Text() string {
	if r < reasonCount {
		return reasonText[r]
	}
	return r.String()
}

// Valid reports whether r is a known reason other than ReasonNone.
func (r CloseReason) Valid() bool { return r > ReasonNone && r < reasonCount }

// ParseCloseReason reads a name written by String.
func ParseCloseReason(s string) (CloseReason, error) {
	for r := ReasonNone; r < reasonCount; r++ {
		if reasonNames[r] == s {
			return r, nil
		}
	}
	return ReasonNone, fmt.Errorf("close reason %q: want one of tenant-closed, provider-closed, insufficient-funds, provider-fault, manifest-timeout, deployment-closed", s)
}

// Closure is a reason plus the detail a person needs ("balance 0.3uakt could
// not pay block 1043 at 1uakt/block").
type Closure struct {
	Reason CloseReason
	Detail string
}

// String prints "escrow ran out of funds: <detail>".
func (c Closure) String() string {
	if c.Detail == "" {
		return c.Reason.Text()
	}
	return c.Reason.Text() + ": " + c.Detail
}

// Outcome classifies a close for reputation: did the provider serve to term?
type Outcome uint8

const (
	// OutcomeNeutral closes say nothing about the provider (it chose to
	// leave, or the tenant never sent its manifest).
	OutcomeNeutral Outcome = iota
	// OutcomeServed: the lease ran until the tenant, its deployment or its
	// money ended it; the provider kept its side.
	OutcomeServed
	// OutcomeFault: the provider failed the lease.
	OutcomeFault
)

// Outcome maps a reason to its reputation outcome (docs/reputation.md).
func (r CloseReason) Outcome() Outcome {
	switch r {
	case ReasonTenantClosed, ReasonDeploymentClosed, ReasonInsufficientFunds:
		return OutcomeServed
	case ReasonProviderFault:
		return OutcomeFault
	default:
		return OutcomeNeutral
	}
}

// Reopens reports whether a group whose lease closed for r goes back on the
// order book (a new order, the group's next OSeq) when the market re-orders
// after faults: the provider ended it (provider-fault, provider-closed), so
// the tenant, who still wants the group served and still has the escrow to
// pay for it, should not lose its deployment for the provider's doing. A lease
// the tenant, the escrow or the deployment ended does not reopen. The
// simulator and the chain's market module both ask this, each behind the
// market parameter reorder_on_fault.
func Reopens(r CloseReason) bool {
	return r == ReasonProviderFault || r == ReasonProviderClosed
}

// EndsIdleDeployment reports whether a deployment whose lease closed for r,
// and which then has no active lease and no open order, is closed by the
// market with its escrow refunded: the tenant never delivered the manifest
// (manifest-timeout), so nothing runs and nothing will, and its deposit
// must not stay locked until the tenant notices (its client may be gone).
// A provider's fault or exit re-orders instead (Reopens); the tenant's own
// close and a dry escrow close the deployment anyway.
func EndsIdleDeployment(r CloseReason) bool { return r == ReasonManifestTimeout }
