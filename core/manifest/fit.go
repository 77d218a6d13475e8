package manifest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrExceedsOrder is wrapped by every error of FitsOrder and FitsOrders: the
// manifest asks for something its order did not (more replicas, bigger
// replicas, more published ports, another placement).
var ErrExceedsOrder = errors.New("manifest does not fit what was ordered")

// FitError lists every way one group of a manifest goes beyond the group that
// was ordered (and leased) for it.
type FitError struct {
	Group    string   // the ordered group's (placement's) name
	Problems []string // each says what the manifest asks and what was ordered
}

func (e *FitError) Error() string {
	return fmt.Sprintf("group %q: %s; a manifest may only run what its order paid for (same placement, replicas with the ordered resources, no more of them) -- create a new deployment to get more",
		e.Group, strings.Join(e.Problems, "; "))
}

// Unwrap makes errors.Is(err, ErrExceedsOrder) true.
func (e *FitError) Unwrap() error { return ErrExceedsOrder }

// FitsOrder reports whether got, a group of a manifest a tenant sent, asks for
// no more than ordered, the group that went on the order book and was leased:
// what the tenant pays for. It returns nil or a *FitError naming every
// problem:
//
//   - the placement (name and requirements) is the ordered one: a manifest
//     for another group is not this lease's;
//   - every replica has exactly the resources of an ordered replica (cpu,
//     memory, each storage volume with its attributes, gpu, bandwidth), and
//     for each such resource set there are no more replicas than were ordered
//     (fewer are fine: the lease still pays for the ordered ones). Replicas
//     are matched by their resources, not by the profile's name or by how
//     services share units;
//   - no more ports are published to the internet, and no more distinct
//     leased IPs are named, than the order had.
//
// Prices are not compared: the lease's price was fixed by the match.
func FitsOrder(ordered, got Group) error {
	var problems []string
	if got.Name != ordered.Name {
		problems = append(problems, fmt.Sprintf("the manifest's placement is %q, the leased group's %q", got.Name, ordered.Name))
	}
	if !sameRequirements(got.Requirements, ordered.Requirements) {
		problems = append(problems, fmt.Sprintf("placement requirements %s differ from the ordered %s",
			describeRequirements(got.Requirements), describeRequirements(ordered.Requirements)))
	}

	// The ordered replicas, pooled by their resources.
	type pool struct {
		res  Resources
		left uint64
	}
	var pools []*pool
	find := func(r Resources) *pool {
		for _, p := range pools {
			if sameResources(p.res, r) {
				return p
			}
		}
		return nil
	}
	for _, u := range ordered.Units {
		if p := find(u.Resources); p != nil {
			p.left += uint64(u.Count)
		} else {
			pools = append(pools, &pool{res: u.Resources, left: uint64(u.Count)})
		}
	}
	for _, u := range got.Units {
		p := find(u.Resources)
		switch {
		case p == nil:
			problems = append(problems, fmt.Sprintf("profile %s: %d replica(s) of %s, but no ordered replica has these resources%s",
				u.Profile, u.Count, describeResources(u.Resources), closest(ordered, u)))
		case uint64(u.Count) > p.left:
			problems = append(problems, fmt.Sprintf("profile %s: %d replica(s) of %s, but the order has %d such replica(s) left",
				u.Profile, u.Count, describeResources(u.Resources), p.left))
			p.left = 0
		default:
			p.left -= uint64(u.Count)
		}
	}

	gotPorts, gotIPs := published(got)
	ordPorts, ordIPs := published(ordered)
	if gotPorts > ordPorts {
		problems = append(problems, fmt.Sprintf("%d port(s) published to the internet, the order had %d", gotPorts, ordPorts))
	}
	if gotIPs > ordIPs {
		problems = append(problems, fmt.Sprintf("%d leased IP(s) named, the order had %d", gotIPs, ordIPs))
	}
	if len(problems) > 0 {
		return &FitError{Group: ordered.Name, Problems: problems}
	}
	return nil
}

// FitsOrders checks the groups of a whole manifest against a deployment's
// ordered groups, position by position (group i is gseq i+1, as on chain):
// the same number of groups, and each FitsOrder. It joins every group's error.
func FitsOrders(ordered, got []Group) error {
	if len(got) != len(ordered) {
		names := func(gs []Group) string {
			var n []string
			for _, g := range gs {
				n = append(n, g.Name)
			}
			return strings.Join(n, ", ")
		}
		return fmt.Errorf("%w: the manifest has %d group(s) (%s), the deployment ordered %d (%s); groups cannot be added or removed -- create a new deployment",
			ErrExceedsOrder, len(got), names(got), len(ordered), names(ordered))
	}
	var errs []error
	for i := range got {
		if err := FitsOrder(ordered[i], got[i]); err != nil {
			errs = append(errs, fmt.Errorf("gseq %d: %w", i+1, err))
		}
	}
	return errors.Join(errs...)
}

// published counts a group's ports open to the internet and the distinct
// leased IPs its exposes name.
func published(g Group) (ports, ips int) {
	seen := map[string]bool{}
	for _, e := range g.Exposes {
		if !e.Global {
			continue
		}
		ports++
		if e.IP != "" && !seen[e.IP] {
			seen[e.IP] = true
			ips++
		}
	}
	return ports, ips
}

// closest describes, for a unit whose resources match no ordered replica,
// how it differs from the ordered unit of the same profile (if any).
func closest(ordered Group, u ResourceUnit) string {
	for _, o := range ordered.Units {
		if o.Profile != u.Profile {
			continue
		}
		var diff []string
		a, b := u.Resources, o.Resources
		if a.CPUMillis != b.CPUMillis {
			diff = append(diff, fmt.Sprintf("cpu %s (ordered %s)", cpuString(a.CPUMillis), cpuString(b.CPUMillis)))
		}
		if a.MemoryBytes != b.MemoryBytes {
			diff = append(diff, fmt.Sprintf("memory %s (ordered %s)", sizeString(a.MemoryBytes), sizeString(b.MemoryBytes)))
		}
		if !sameStorage(a.Storage, b.Storage) {
			diff = append(diff, fmt.Sprintf("storage %s (ordered %s)", storageString(a.Storage), storageString(b.Storage)))
		}
		if a.GPU.Units != b.GPU.Units || !slices.Equal(a.GPU.Attributes, b.GPU.Attributes) {
			diff = append(diff, fmt.Sprintf("gpu %d (ordered %d)", a.GPU.Units, b.GPU.Units))
		}
		if a.BandwidthBps != b.BandwidthBps {
			diff = append(diff, fmt.Sprintf("bandwidth %s/s (ordered %s/s)", sizeString(a.BandwidthBps), sizeString(b.BandwidthBps)))
		}
		return " (" + strings.Join(diff, ", ") + ")"
	}
	return ""
}

func sameRequirements(a, b PlacementRequirements) bool {
	return slices.Equal(a.Attributes, b.Attributes) &&
		slices.Equal(a.SignedBy.AllOf, b.SignedBy.AllOf) && slices.Equal(a.SignedBy.AnyOf, b.SignedBy.AnyOf)
}

func sameResources(a, b Resources) bool {
	return a.CPUMillis == b.CPUMillis && a.MemoryBytes == b.MemoryBytes && a.BandwidthBps == b.BandwidthBps &&
		a.GPU.Units == b.GPU.Units && slices.Equal(a.GPU.Attributes, b.GPU.Attributes) && sameStorage(a.Storage, b.Storage)
}

func sameStorage(a, b []StorageVolume) bool {
	return slices.EqualFunc(a, b, func(x, y StorageVolume) bool {
		return x.Name == y.Name && x.Bytes == y.Bytes && slices.Equal(x.Attributes, y.Attributes)
	})
}

func describeRequirements(r PlacementRequirements) string {
	var parts []string
	for _, a := range r.Attributes {
		parts = append(parts, a.Key+"="+a.Value)
	}
	if len(r.SignedBy.AllOf) > 0 {
		parts = append(parts, "signedBy.allOf="+strings.Join(r.SignedBy.AllOf, ","))
	}
	if len(r.SignedBy.AnyOf) > 0 {
		parts = append(parts, "signedBy.anyOf="+strings.Join(r.SignedBy.AnyOf, ","))
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func describeResources(r Resources) string {
	s := fmt.Sprintf("cpu %s, memory %s, storage %s", cpuString(r.CPUMillis), sizeString(r.MemoryBytes), storageString(r.Storage))
	if r.GPU.Units > 0 {
		s += fmt.Sprintf(", gpu %d", r.GPU.Units)
	}
	if r.BandwidthBps > 0 {
		s += fmt.Sprintf(", bandwidth %s/s", sizeString(r.BandwidthBps))
	}
	return s
}

func storageString(vs []StorageVolume) string {
	if len(vs) == 0 {
		return "none"
	}
	var parts []string
	for _, v := range vs {
		p := v.Name + "=" + sizeString(v.Bytes)
		for _, a := range v.Attributes {
			p += fmt.Sprintf(" %s:%s", a.Key, a.Value)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

// cpuString writes millicores as the SDL does: 250 -> "0.25", 2000 -> "2".
func cpuString(m uint64) string {
	if m%1000 == 0 {
		return fmt.Sprint(m / 1000)
	}
	return strings.TrimRight(fmt.Sprintf("%d.%03d", m/1000, m%1000), "0")
}

// sizeString writes bytes in the largest binary unit that divides them
// exactly (64Mi, 2Gi), or as a plain number.
func sizeString(b uint64) string {
	for _, u := range []struct {
		suffix string
		shift  uint
	}{{"Ei", 60}, {"Pi", 50}, {"Ti", 40}, {"Gi", 30}, {"Mi", 20}, {"Ki", 10}} {
		if b >= 1<<u.shift && b%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d%s", b>>u.shift, u.suffix)
		}
	}
	return fmt.Sprint(b)
}
