package runtime

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/akash-market/akash/core/manifest"
)

// LeaseRef names a lease the way the chain does (core/market.LeaseID): the
// tenant's deployment, the group, the order and the winning provider. The
// runtime keeps its own copy so it depends on core/manifest only; the fields
// and the String form match market.LeaseID one to one.
type LeaseRef struct {
	Owner    string // tenant address
	DSeq     uint64
	GSeq     uint32
	OSeq     uint32
	Provider string // provider address
}

// String is "owner/dseq/gseq/oseq/provider", the value of the akash.lease label.
func (l LeaseRef) String() string {
	return fmt.Sprintf("%s/%d/%d/%d/%s", l.Owner, l.DSeq, l.GSeq, l.OSeq, l.Provider)
}

// Validate reports a lease reference that cannot name a lease.
func (l LeaseRef) Validate() error {
	switch {
	case l.Owner == "" || strings.ContainsAny(l.Owner, "/ \t\n"):
		return fmt.Errorf("lease %s: owner %q must be a non-empty address without '/' or spaces", l, l.Owner)
	case l.Provider == "" || strings.ContainsAny(l.Provider, "/ \t\n"):
		return fmt.Errorf("lease %s: provider %q must be a non-empty address without '/' or spaces", l, l.Provider)
	case l.GSeq == 0:
		return fmt.Errorf("lease %s: gseq is 0; groups are numbered from 1", l)
	}
	return nil
}

// ParseLeaseRef reads the akash.lease label back. It accepts exactly what
// String writes (no leading zeros or signs), so that a label round-trips.
func ParseLeaseRef(s string) (LeaseRef, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 5 {
		return LeaseRef{}, fmt.Errorf("lease label %q: want owner/dseq/gseq/oseq/provider (5 parts), got %d", s, len(parts))
	}
	dseq, err1 := strconv.ParseUint(parts[1], 10, 64)
	gseq, err2 := strconv.ParseUint(parts[2], 10, 32)
	oseq, err3 := strconv.ParseUint(parts[3], 10, 32)
	if err1 != nil || err2 != nil || err3 != nil {
		return LeaseRef{}, fmt.Errorf("lease label %q: dseq, gseq and oseq must be unsigned decimal numbers", s)
	}
	l := LeaseRef{Owner: parts[0], DSeq: dseq, GSeq: uint32(gseq), OSeq: uint32(oseq), Provider: parts[4]}
	if err := l.Validate(); err != nil {
		return LeaseRef{}, err
	}
	if l.String() != s {
		return LeaseRef{}, fmt.Errorf("lease label %q: not in canonical form (want %q)", s, l.String())
	}
	return l, nil
}

// namePrefix is "akash-" plus 12 hex digits of sha256(lease): every object
// name of the lease starts with it. Addresses are too long and too
// punctuated for Docker names; the label carries the readable form.
func (l LeaseRef) namePrefix() string {
	sum := sha256.Sum256([]byte(l.String()))
	return "akash-" + hex.EncodeToString(sum[:6])
}

// LeaseSpec is a lease that should run: its reference, its manifest and the
// group (placement) of the manifest it covers.
type LeaseSpec struct {
	Lease    LeaseRef
	Manifest *manifest.Manifest
	// Group is the placement name; "" means the GSeq-th group of the manifest
	// (groups are sorted by name and GSeq is 1-based, as on chain).
	Group string
}

// group resolves the spec's group, by name or by GSeq.
func (s LeaseSpec) group() (manifest.Group, error) {
	if s.Manifest == nil {
		return manifest.Group{}, fmt.Errorf("lease %s: no manifest", s.Lease)
	}
	groups := s.Manifest.Groups()
	if s.Group == "" {
		if s.Lease.GSeq == 0 || int(s.Lease.GSeq) > len(groups) {
			return manifest.Group{}, fmt.Errorf("lease %s: gseq %d but the manifest has %d group(s); set LeaseSpec.Group or fix gseq", s.Lease, s.Lease.GSeq, len(groups))
		}
		return groups[s.Lease.GSeq-1], nil
	}
	names := make([]string, 0, len(groups))
	for _, g := range groups {
		if g.Name == s.Group {
			return g, nil
		}
		names = append(names, g.Name)
	}
	return manifest.Group{}, fmt.Errorf("lease %s: group %q is not in the manifest (groups: %s)", s.Lease, s.Group, strings.Join(names, ", "))
}

// VersionHex is the manifest version as the akash.manifest-version label
// writes it: lowercase hex of sha256(canonical manifest).
func VersionHex(m *manifest.Manifest) string {
	v := m.Version()
	return hex.EncodeToString(v[:])
}
