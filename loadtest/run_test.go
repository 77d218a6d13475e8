package loadtest

import (
	"strings"
	"testing"
)

func small() Config {
	c := DefaultConfig()
	c.Orders, c.BidsPerOrder, c.Sealed, c.Ineligible = 3000, 6, 0.2, 0.25
	return c
}

// The load is deterministic: the same seed closes the same matches, another
// seed different ones, in every pattern and lookup.
func TestSameSeedSameOutcomes(t *testing.T) {
	for _, mod := range []func(*Config){
		func(*Config) {},
		func(c *Config) { c.Pattern = PatternUniform; c.Lookup = LookupID },
		func(c *Config) { c.Mix = "heavy"; c.Warmup = 0 },
	} {
		c := small()
		mod(&c)
		a, err := RunLoad(c)
		if err != nil {
			t.Fatal(err)
		}
		b, err := RunLoad(c)
		if err != nil {
			t.Fatal(err)
		}
		c.Seed++
		d, err := RunLoad(c)
		if err != nil {
			t.Fatal(err)
		}
		if a.Runs[0].Digest != b.Runs[0].Digest || a.Runs[0].Counts != b.Runs[0].Counts {
			t.Errorf("%s/%s/%s: same seed, different outcomes: %s %+v vs %s %+v", c.Mix, c.Pattern, c.Lookup,
				a.Runs[0].Digest, a.Runs[0].Counts, b.Runs[0].Digest, b.Runs[0].Counts)
		}
		if a.Runs[0].Digest == d.Runs[0].Digest {
			t.Errorf("%s: seeds %d and %d gave the same outcomes", c.Mix, c.Seed-1, c.Seed)
		}
	}
}

// How a bid names its order and provider changes nothing the book decides:
// the three lookups close the same matches (outcome digest and counts).
func TestLookupsSameOutcomes(t *testing.T) {
	var first *Run
	for _, lookup := range []string{LookupRef, LookupID, LookupIDAddr} {
		c := small()
		c.Lookup = lookup
		rep, err := RunLoad(c)
		if err != nil {
			t.Fatal(err)
		}
		run := &rep.Runs[0]
		if first == nil {
			first = run
			continue
		}
		if run.Digest != first.Digest || run.Counts != first.Counts {
			t.Errorf("lookup %s: %s %+v; lookup %s gave %s %+v", lookup, run.Digest, run.Counts, LookupRef, first.Digest, first.Counts)
		}
	}
}

// The book's decisions agree with what was generated: every flawed open bid
// and every offer-flawed commitment is rejected at placement, every other
// one accepted; price-flawed sealed bids fail at reveal; Eligible agrees.
func TestCountsMatchTheGeneratedLoad(t *testing.T) {
	c := small()
	c.Ops = 2 * int64(c.Orders*c.BidsPerOrder) // two rounds
	rep, err := RunLoad(c)
	if err != nil {
		t.Fatal(err)
	}
	run := rep.Runs[0]
	w := newWorkload(c)
	var rejected, sealedPriceFlaw, sealedOK int64
	for _, b := range w.plan {
		sealed := w.meta[b.order].sealed
		switch {
		case b.flaw != flawNone && !(sealed && b.flaw == flawPrice):
			rejected++
		case sealed && b.flaw == flawPrice:
			sealedPriceFlaw++
		case sealed:
			sealedOK++
		}
	}
	k := run.Counts
	if run.Rounds != 2 || k.Bids != 2*int64(len(w.plan)) || k.Rejected != 2*rejected || k.Accepted != k.Bids-k.Rejected {
		t.Errorf("rounds %d, counts %+v; want %d bids, %d rejected per round", run.Rounds, k, len(w.plan), rejected)
	}
	if k.Eligible != k.Accepted-2*sealedPriceFlaw || k.Revealed != 2*sealedOK {
		t.Errorf("eligible %d revealed %d; want %d and %d", k.Eligible, k.Revealed, k.Accepted-2*sealedPriceFlaw, 2*sealedOK)
	}
	if k.Matched == 0 || k.Matched+k.Unmatched != 2*int64(c.Orders) || k.LeasesOpen != k.Matched {
		t.Errorf("closes: %+v", k)
	}
	for _, p := range run.Phases {
		if p.Ops == 0 || p.OpsPerSec <= 0 || p.Latency.P50 <= 0 {
			t.Errorf("phase %s did not run: %+v", p.Name, p)
		}
	}
}

func TestValidateNamesEveryProblem(t *testing.T) {
	c := DefaultConfig()
	c.Orders, c.Mix, c.Sealed, c.Pattern, c.Batch = 0, "x", 2, "zigzag", 0
	err := c.Validate()
	for _, want := range []string{"orders 0", `mix "x"`, "sealed share 2", `pattern "zigzag"`, "batch 0"} {
		if err == nil || !contains(err.Error(), want) {
			t.Errorf("Validate: %v lacks %q", err, want)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
