package loadtest

import (
	"fmt"
	"slices"
	"sort"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
)

// A mix is a market's variety: the placement requirement sets orders use
// (each with the attributes and audits of the providers that satisfy it) and
// the resource shapes they ask for. Orders draw one of each.
type mix struct {
	about   string
	classes []class
	shapes  []shape
}

// class is one requirement set and what a provider that meets it looks like.
type class struct {
	req     manifest.PlacementRequirements
	attrs   manifest.Attributes // a qualifying provider's own attributes
	audited []market.AuditedAttributes
	wrong   manifest.Attributes // a near miss: one required value differs
}

// shape is a resource request and its max price per block in uakt.
type shape struct {
	res      manifest.Totals
	maxPrice uint64
}

var mixes = map[string]mix{
	"simple": simpleMix(),
	"market": marketMix(),
	"heavy":  heavyMix(),
}

// MixNames lists the built-in mixes, sorted.
func MixNames() []string {
	names := make([]string, 0, len(mixes))
	for n := range mixes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// MixAbout describes a built-in mix for help texts.
func MixAbout(name string) string { return mixes[name].about }

func attrs(kv ...string) manifest.Attributes {
	var out manifest.Attributes
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, manifest.Attribute{Key: kv[i], Value: kv[i+1]})
	}
	slices.SortFunc(out, manifest.CompareAttributes)
	return out
}

// gib is 2^30 bytes.
const gib = 1 << 30

func simpleMix() mix {
	return mix{
		about: "one requirement set (region=us-west), one shape (2 cores, 4 GiB, 10 GiB)",
		classes: []class{{
			req:   manifest.PlacementRequirements{Attributes: attrs("region", "us-west")},
			attrs: attrs("host", "akash", "region", "us-west"),
			wrong: attrs("host", "akash", "region", "eu-west"),
		}},
		shapes: []shape{{res: manifest.Totals{CPUMillis: 2000, MemoryBytes: 4 * gib, StorageBytes: 10 * gib}, maxPrice: 100}},
	}
}

// marketMix is a plausible public market: 8 regions x 3 tiers, half of the
// sets requiring an auditor's signature (48 sets), and 14 shapes from a
// quarter core to 16 cores, two of them with GPUs.
func marketMix() mix {
	regions := []string{"us-west", "us-east", "eu-central", "eu-west", "ap-south", "ap-east", "sa-east", "af-south"}
	tiers := []string{"community", "premium", "enterprise"}
	m := mix{about: "48 requirement sets (8 regions x 3 tiers x audited or not), 14 shapes from 0.25 to 16 cores, 2 with GPUs"}
	for _, audited := range []bool{false, true} {
		for _, t := range tiers {
			for _, r := range regions {
				c := class{
					req:   manifest.PlacementRequirements{Attributes: attrs("region", r, "tier", t)},
					attrs: attrs("host", "akash", "region", r, "tier", t, "capabilities/storage/1/class", "beta2"),
					wrong: attrs("host", "akash", "region", r, "tier", "nowhere", "capabilities/storage/1/class", "beta2"),
				}
				c.audited = []market.AuditedAttributes{{Auditor: "akash1auditor1", Attributes: attrs("region", r, "tier", t)}}
				if audited {
					c.req.SignedBy.AllOf = []string{"akash1auditor1"}
				}
				m.classes = append(m.classes, c)
			}
		}
	}
	for i := range 12 {
		cpu := uint64(250) << (i % 7)           // 0.25 .. 16 cores
		mem := uint64(512<<20) << ((i * 5) % 8) // 512 MiB .. 64 GiB
		sto := uint64(gib) << ((i * 3) % 10)    // 1 .. 512 GiB
		price := 10 + cpu/25 + mem/(256<<20)    // roughly by size
		m.shapes = append(m.shapes, shape{res: manifest.Totals{CPUMillis: cpu, MemoryBytes: mem, StorageBytes: sto, BandwidthBps: 100 << 20}, maxPrice: price})
	}
	m.shapes = append(m.shapes,
		shape{res: manifest.Totals{CPUMillis: 8000, MemoryBytes: 32 * gib, StorageBytes: 200 * gib, GPUUnits: 1}, maxPrice: 2000},
		shape{res: manifest.Totals{CPUMillis: 16000, MemoryBytes: 64 * gib, StorageBytes: 500 * gib, GPUUnits: 4}, maxPrice: 8000},
	)
	return m
}

// heavyMix stresses the attribute and audit rules: six required attributes
// and both allOf and anyOf auditors per order, providers with sixteen
// attributes signed by three auditors.
func heavyMix() mix {
	m := mix{about: "12 requirement sets of 6 attributes + allOf 2 and anyOf 3 auditors; providers with 16 attributes; 4 shapes"}
	for i := range 12 {
		kv := []string{"region", fmt.Sprintf("r%02d", i), "tier", "premium", "arch", "amd64", "network", "10g",
			"storage", "nvme", "country", fmt.Sprintf("c%02d", i%5)}
		own := append(slices.Clone(kv), "host", "akash", "os", "linux", "dc", fmt.Sprintf("dc%02d", i), "power", "green",
			"ipv6", "yes", "rack", "r1", "cooling", "air", "uplink", "2x", "ddos", "on", "sla", "99.9")
		req := attrs(kv...)
		c := class{
			req: manifest.PlacementRequirements{
				Attributes: req,
				SignedBy:   manifest.SignedBy{AllOf: []string{"akash1auditA", "akash1auditB"}, AnyOf: []string{"akash1auditC", "akash1auditD", "akash1auditE"}},
			},
			attrs: attrs(own...),
		}
		wrong := slices.Clone(own)
		wrong[len(kv)-1] = "elsewhere" // the country differs
		c.wrong = attrs(wrong...)
		for _, a := range []string{"akash1auditA", "akash1auditB", "akash1auditE"} {
			c.audited = append(c.audited, market.AuditedAttributes{Auditor: a, Attributes: req})
		}
		m.classes = append(m.classes, c)
	}
	for i := range 4 {
		m.shapes = append(m.shapes, shape{res: manifest.Totals{CPUMillis: 1000 << i, MemoryBytes: 2 * gib << i, StorageBytes: 20 * gib << i}, maxPrice: 50 << i})
	}
	return m
}
