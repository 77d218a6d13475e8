package lease_test

import (
	"errors"
	"testing"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/money"
)

// TestSlashCut: one cut is bps of the amount, rounded down to a whole unit.
func TestSlashCut(t *testing.T) {
	for _, c := range []struct {
		amount string
		bps    uint32
		want   string
	}{
		{"100000000", 100, "1000000"},
		{"3", 5000, "1"},          // 1.5 → 1
		{"99", 100, "0"},          // 0.99 → 0: a stake below 10000/bps units is never cut
		{"100", 100, "1"},         // exactly one unit
		{"0.5", 10000, "0"},       // a fraction of a unit never moves
		{"100.9", 10000, "100"},   // all of it, but whole units only
		{"123456789", 1, "12345"}, // 12345.6789 → 12345
		{"0", 5000, "0"},          // nothing at stake
		{"500000000", 0, "0"},     // slashing off
		{"1000000000000000000000", 10000, "1000000000000000000000"},
	} {
		got := lease.SlashCut(dec(c.amount), c.bps)
		if !got.Equal(dec(c.want)) {
			t.Errorf("SlashCut(%s, %d bps) = %s, want %s", c.amount, c.bps, got.ShortString(), c.want)
		}
	}
}

// TestSlashPolicyReasons: only a provider fault slashes.
func TestSlashPolicyReasons(t *testing.T) {
	p := lease.SlashPolicy{FaultBPS: 100}
	for r := lease.ReasonTenantClosed; r <= lease.ReasonDeploymentClosed; r++ {
		if got, want := p.Slashes(r), r == lease.ReasonProviderFault; got != want {
			t.Errorf("Slashes(%s) = %v, want %v", r, got, want)
		}
	}
	if (lease.SlashPolicy{}).Slashes(lease.ReasonProviderFault) {
		t.Error("FaultBPS 0 slashes")
	}
	if err := (lease.SlashPolicy{FaultBPS: 10_001}).Validate(); !errors.Is(err, lease.ErrBasisPoints) {
		t.Errorf("Validate(10001 bps) = %v, want ErrBasisPoints", err)
	}
	if err := (lease.SlashPolicy{FaultBPS: 10_000}).Validate(); err != nil {
		t.Errorf("Validate(10000 bps) = %v", err)
	}
}

// TestSlashPolicyPerLease is the rule both modes run (docs/reputation.md):
// each lease closed for a provider fault cuts FaultBPS of what is left,
// rounded down to whole units; other closes cut nothing. The stake after a
// sequence of closes depends only on how many were faults, not on their
// heights (within the unbonding period) nor on what closed in between.
func TestSlashPolicyPerLease(t *testing.T) {
	for _, c := range []struct {
		name     string
		stake    string
		unbond   string // unbonding at height 1 (slashable for 100 blocks)
		bps      uint32
		closes   []lease.CloseReason
		heights  []int64 // height of each close; nil: all at 10
		bonded   string  // bonded after
		unbondng string  // unbonding after
		slashed  string
	}{
		{"one fault", "100000000", "", 100, faults(1), nil, "99000000", "0", "1000000"},
		{"an outage closing 12 leases", "100000000", "", 100, faults(12), nil, "88638489", "0", "11361511"},
		{"the same 12 over many blocks", "100000000", "", 100, faults(12), []int64{2, 3, 5, 8, 13, 21, 34, 55, 56, 57, 58, 99}, "88638489", "0", "11361511"},
		{"served and neutral closes take nothing", "100000000", "", 100,
			[]lease.CloseReason{lease.ReasonTenantClosed, lease.ReasonProviderClosed, lease.ReasonInsufficientFunds, lease.ReasonManifestTimeout, lease.ReasonDeploymentClosed},
			nil, "100000000", "0", "0"},
		{"faults among other closes", "100000000", "", 100,
			[]lease.CloseReason{lease.ReasonProviderFault, lease.ReasonTenantClosed, lease.ReasonProviderFault},
			nil, "98010000", "0", "1990000"},
		{"unbonding stake is cut too", "60", "40", 1000, faults(2), nil, "49", "33", "18"}, // 60→54→49 (48.6), 40→36→33 (32.4)
		{"small stake rounds to nothing", "99", "", 100, faults(5), nil, "99", "0", "0"},
		{"slashing off", "100000000", "", 0, faults(3), nil, "100000000", "0", "0"},
		{"whole stake", "7", "", 10000, faults(2), nil, "0", "0", "7"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := lease.NewStakeBook(denom, 100)
			if err != nil {
				t.Fatal(err)
			}
			var eff lease.Effects
			total := dec(c.stake)
			if c.unbond != "" {
				total, _ = total.Add(dec(c.unbond))
			}
			if err := b.Bond("p", money.Coin{Denom: denom, Amount: total}, &eff); err != nil {
				t.Fatal(err)
			}
			if c.unbond != "" {
				if _, err := b.Unbond("p", dec(c.unbond), 1); err != nil {
					t.Fatal(err)
				}
			}
			pol := lease.SlashPolicy{FaultBPS: c.bps}
			var sum money.Dec
			for i, r := range c.closes {
				h := int64(10)
				if c.heights != nil {
					h = c.heights[i]
				}
				cut, err := pol.OnLeaseClosed(b, "p", r, h, &eff)
				if err != nil {
					t.Fatal(err)
				}
				if !pol.Slashes(r) && !cut.IsZero() {
					t.Fatalf("close %d (%s) slashed %s", i, r, cut.ShortString())
				}
				sum, _ = sum.Add(cut)
			}
			s, _ := b.Get("p")
			var unb money.Dec
			for _, u := range s.Unbonding {
				unb, _ = unb.Add(u.Amount)
			}
			if !s.Bonded.Equal(dec(c.bonded)) || !unb.Equal(dec(c.unbondng)) || !s.Slashed.Equal(dec(c.slashed)) || !sum.Equal(s.Slashed) {
				t.Errorf("bonded %s unbonding %s slashed %s (returned %s), want %s %s %s",
					s.Bonded.ShortString(), unb.ShortString(), s.Slashed.ShortString(), sum.ShortString(), c.bonded, c.unbondng, c.slashed)
			}
			var flows lease.StakeFlows
			for _, tr := range eff.Transfers {
				if err := flows.Record(tr); err != nil {
					t.Fatal(err)
				}
			}
			if err := lease.CheckStake(b, flows); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestSlashPolicyWithoutStake: a provider that never bonded loses nothing
// and is not an error (the simulator runs providers with no stake).
func TestSlashPolicyWithoutStake(t *testing.T) {
	b, _ := lease.NewStakeBook(denom, 10)
	var eff lease.Effects
	cut, err := lease.SlashPolicy{FaultBPS: 100}.OnLeaseClosed(b, "nobody", lease.ReasonProviderFault, 1, &eff)
	if err != nil || !cut.IsZero() || len(eff.Transfers) != 0 {
		t.Fatalf("cut %s err %v transfers %d, want nothing", cut.ShortString(), err, len(eff.Transfers))
	}
}

func faults(n int) []lease.CloseReason {
	out := make([]lease.CloseReason, n)
	for i := range out {
		out[i] = lease.ReasonProviderFault
	}
	return out
}
