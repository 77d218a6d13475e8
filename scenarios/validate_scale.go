package scenarios

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/akash-market/akash/sim"
)

// What one agent or order costs in memory while a run holds it, measured on
// the large scenario (10,000 providers, 1,008,000 orders: about 640 MiB at
// its peak with every table written), rounded up.
const (
	bytesPerProvider = 4 << 10
	bytesPerOrder    = 768
	bytesPerSample   = 256
)

// MaxFootprint is the largest memory estimate (Footprint) Validate accepts:
// beyond it a run would exhaust any machine it is likely to run on, and
// the Go runtime would end it with a stack trace instead of an error.
const MaxFootprint = 64 << 30

// Footprint estimates the memory a run of the scenario needs at its peak,
// in bytes, and names the key that contributes most and its share.
func Footprint(sc *sim.Scenario) (bytes float64, key string, part float64) {
	days := time.Duration(sc.Duration).Hours() / 24
	consider := func(k string, b float64) {
		bytes += b
		if b > part {
			key, part = k, b
		}
	}
	for i, p := range sc.Providers {
		consider(fmt.Sprintf("providers[%d].count", i), float64(max(p.Count, 0))*bytesPerProvider)
		if p.JoinPerDay > 0 {
			consider(fmt.Sprintf("providers[%d].join_per_day", i), p.JoinPerDay*days*bytesPerProvider)
		}
	}
	hours := time.Duration(sc.Duration).Hours()
	for i, t := range sc.Tenants {
		if t.Arrival.Process != "trace" {
			consider(fmt.Sprintf("tenants[%d].arrival.rate_per_hour", i), t.Arrival.RatePerHour*(1+max(t.Arrival.Amplitude, 0))*hours*bytesPerOrder)
		}
	}
	if sc.SampleEvery > 0 {
		consider("sample_every", float64(sc.Duration)/float64(sc.SampleEvery)*float64(bytesPerSample+8*len(sc.Regions)))
	}
	return bytes, key, part
}

// FormatBytes writes a byte count for people: "640 MiB", "3.6 PiB".
func FormatBytes(b float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	if b >= 100 || i == 0 {
		return fmt.Sprintf("%.0f %s", b, units[i])
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}

// TooLarge explains why a scenario whose Footprint exceeds limit cannot
// run, naming the key to change and a value that would fit; "" when it fits.
func TooLarge(sc *sim.Scenario, limit float64, what string) (key, problem, hint string) {
	total, key, part := Footprint(sc)
	if !(total > limit) { // NaN-safe
		return "", "", ""
	}
	rest := total - part
	scale := 0.0
	if part > 0 && limit > rest {
		scale = (limit - rest) / part
	}
	problem = fmt.Sprintf("a run would need about %s of memory (this key about %s), more than %s", FormatBytes(total), FormatBytes(part), what)
	switch {
	case strings.HasSuffix(key, ".count"):
		var n int
		fmt.Sscanf(key, "providers[%d].count", &n)
		hint = fmt.Sprintf("use a count of at most %d", int(float64(sc.Providers[n].Count)*scale))
	case strings.HasSuffix(key, ".rate_per_hour"):
		var n int
		fmt.Sscanf(key, "tenants[%d].arrival.rate_per_hour", &n)
		hint = fmt.Sprintf("use at most %.4g tenants an hour, or a shorter duration", math.Floor(sc.Tenants[n].Arrival.RatePerHour*scale))
	case strings.HasSuffix(key, ".join_per_day"):
		var n int
		fmt.Sscanf(key, "providers[%d].join_per_day", &n)
		hint = fmt.Sprintf("use at most %.4g providers a day, or a shorter duration", sc.Providers[n].JoinPerDay*scale)
	default:
		hint = "use a longer sample_every or a shorter duration"
	}
	return key, problem, hint
}

func (v *validator) footprint() {
	if key, problem, hint := TooLarge(v.sc, MaxFootprint, "the simulator accepts ("+FormatBytes(MaxFootprint)+")"); key != "" {
		v.add(key, problem, hint)
	}
}

// name refuses a scenario name that would place outputs outside their
// folder: `akash-sim run` writes to out/<name>.
func (v *validator) name() {
	n := v.sc.Name
	if strings.ContainsAny(n, `/\`) || strings.HasPrefix(n, ".") || strings.ContainsFunc(n, func(r rune) bool { return r < ' ' }) {
		v.add("name", fmt.Sprintf("%q is not a plain name: outputs go to out/<name>", n), "use letters, digits, '-', '_' and '.', not starting with '.', e.g. my-market")
	}
}

// Warnings reports what is valid but almost certainly a mistake: demand no
// provider could ever bid on, because in a region the class's tenants
// require no provider class with providers there has the capacity for a
// shape of its mix (the built-in mix asks for GPUs a third of the time; a
// region may have no provider at all). Such orders all end unmatched with
// no bid. Call it on a scenario Validate accepts.
func Warnings(sc *sim.Scenario) sim.ValidationErrors {
	v := &validator{sc: sc, regions: map[string]bool{}}
	for _, r := range sc.Regions {
		v.regions[r.Name] = true
	}
	for i := range sc.Tenants {
		v.servable(i)
	}
	return v.errs
}

func (v *validator) servable(i int) {
	t := &v.sc.Tenants[i]
	shapes, mix := t.Demand, "its demand"
	if len(shapes) == 0 {
		shapes, mix = sim.BuiltinDemand, "the built-in demand mix"
	}
	regions := []string{""} // "": an order that requires no region
	if len(t.Regions) > 0 {
		regions = regions[:0]
		for _, r := range sortedKeys(t.Regions) {
			if t.Regions[r] > 0 && v.regions[r] {
				regions = append(regions, r)
			}
		}
	}
	total := 0.0
	for _, s := range shapes {
		total += max(s.Weight, 0)
	}
	// Regions with the same unservable shapes are named together.
	var order []string
	where := map[string][]string{}
	share := map[string]float64{}
	for _, r := range regions {
		var names []string
		weight := 0.0
		for j := range shapes {
			s := &shapes[j]
			if s.Weight > 0 && s.Count > 0 && !v.someProviderHolds(s, r) {
				names = append(names, s.Name)
				weight += s.Weight
			}
		}
		if len(names) == 0 {
			continue
		}
		what := strings.Join(names, ", ")
		if len(names) == len(shapes) {
			what = "any of its shapes"
		}
		if _, ok := where[what]; !ok {
			order = append(order, what)
		}
		where[what] = append(where[what], r)
		share[what] = 100 * weight / total
	}
	var notes []string
	for _, what := range order {
		in := ""
		if rs := where[what]; rs[0] != "" {
			in = " in " + strings.Join(rs, ", ")
		}
		notes = append(notes, fmt.Sprintf("no provider%s can hold %s (%.0f%% of the orders%s)", in, what, share[what], in))
	}
	if len(notes) > 0 {
		v.add(fmt.Sprintf("tenants[%d].demand", i), fmt.Sprintf("orders that can never get a bid: of %s, %s", mix, strings.Join(notes, "; ")),
			"add a provider class with that capacity there (GPU servers: capacity.gpu), or give demand: shapes the providers can hold")
	}
}

// someProviderHolds: some provider class with providers (now or joining)
// sits in region r ("" = any) and has room for the whole group.
func (v *validator) someProviderHolds(s *sim.Shape, r string) bool {
	n := uint64(s.Count)
	for _, p := range v.sc.Providers {
		if p.Count <= 0 && !(p.JoinPerDay > 0) {
			continue
		}
		if r != "" && len(p.Regions) > 0 && !(p.Regions[r] > 0) { // no regions: spread over all (FillImplied)
			continue
		}
		c := p.Capacity
		if uint64(c.CPU) >= uint64(s.CPU)*n && uint64(c.Memory) >= uint64(s.Memory)*n &&
			uint64(c.Storage) >= uint64(s.Storage)*n && c.GPU >= s.GPU*n && uint64(c.Bandwidth) >= uint64(s.Bandwidth)*n {
			return true
		}
	}
	return false
}
