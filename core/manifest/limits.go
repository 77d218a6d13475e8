package manifest

import "fmt"

// Akash's network limits: its deployment module's validation config, fixed
// rules of the network rather than governance parameters. Per replica they
// bound cpu, memory, each volume, gpus and the unit price (parse_profiles.go);
// per group, the totals over every replica of cpu, gpus and memory, each
// being 50 times the per-replica limit. Akash leaves a group's storage and
// replica count unbounded (those checks are commented out there), and so
// does this network. Parse applies these limits to every manifest, and the
// chain's deployment module to every group it accepts (CheckGroupTotals).
const (
	MaxGroupCPUMillis   = maxCPUMillis * groupReplicas
	MaxGroupGPUUnits    = maxGPUUnits * groupReplicas
	MaxGroupMemoryBytes = maxMemoryBytes * groupReplicas

	groupReplicas = 50 // Akash's maxUnitCount, from which the group limits derive
)

// CheckGroupTotals refuses totals above the network's per-group limits,
// naming the limit; the error wraps ErrLimit.
func CheckGroupTotals(t Totals) error {
	for _, c := range []struct {
		what     string
		have, at uint64
		show     func(uint64) string
	}{
		{"cpu", t.CPUMillis, MaxGroupCPUMillis, func(v uint64) string { return uitoa(v) + "m" }},
		{"gpu", t.GPUUnits, MaxGroupGPUUnits, uitoa},
		{"memory", t.MemoryBytes, MaxGroupMemoryBytes, humanBytes},
	} {
		if c.have > c.at {
			return fmt.Errorf("%w: total %s over all replicas is %s, above the network's limit of %s per group (%d replicas of the largest unit)",
				ErrLimit, c.what, c.show(c.have), c.show(c.at), groupReplicas)
		}
	}
	return nil
}

// groupTotals adds up what every deployment in a placement asks for, in
// 64 bits without wrapping (ok is false on overflow). It works on the
// deployments rather than the group's units, whose counts are 32 bits.
func (p *parser) groupTotals(placement string) (t Totals, ok bool) {
	for _, d := range p.deploys {
		prof, found := p.profiles[d.Profile]
		if d.Placement != placement || !found {
			continue
		}
		r := prof.Resources
		u := Group{Units: []ResourceUnit{{Resources: r, Count: d.Count}}}
		ut, err := u.Totals()
		if err != nil {
			return Totals{}, false
		}
		for _, add := range []struct {
			dst *uint64
			v   uint64
		}{
			{&t.CPUMillis, ut.CPUMillis}, {&t.MemoryBytes, ut.MemoryBytes}, {&t.StorageBytes, ut.StorageBytes},
			{&t.GPUUnits, ut.GPUUnits}, {&t.BandwidthBps, ut.BandwidthBps},
		} {
			if *add.dst+add.v < *add.dst {
				return Totals{}, false
			}
			*add.dst += add.v
		}
	}
	return t, true
}
