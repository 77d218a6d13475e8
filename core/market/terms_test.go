package market

import "testing"

func TestSealedPolicy(t *testing.T) {
	for _, c := range []struct {
		policy      SealedPolicy
		asked, want bool
	}{
		{SealedByTenant, false, false}, {SealedByTenant, true, true},
		{SealedAlways, false, true}, {SealedAlways, true, true},
		{SealedNever, false, false}, {SealedNever, true, false},
	} {
		if got := c.policy.Sealed(c.asked); got != c.want {
			t.Errorf("%s.Sealed(%v) = %v, want %v", c.policy, c.asked, got, c.want)
		}
		p, err := ParseSealedPolicy(c.policy.String())
		if err != nil || p != c.policy {
			t.Errorf("ParseSealedPolicy(%q) = %v, %v", c.policy, p, err)
		}
	}
	if _, err := ParseSealedPolicy("sometimes"); err == nil {
		t.Error(`"sometimes" parsed`)
	}
}

func TestTermsAt(t *testing.T) {
	p := OrderParams{BidWindow: 5, RevealWindow: 3}
	for _, c := range []struct {
		asks Asks
		want Terms
	}{
		{Asks{}, Terms{OpenHeight: 100, CloseHeight: 105}},
		{Asks{Sealed: true, MinReputation: 4000}, Terms{OpenHeight: 100, CloseHeight: 105, Sealed: true, RevealEnd: 108, MinReputation: 4000}},
	} {
		if got := p.TermsAt(100, c.asks); got != c.want {
			t.Errorf("TermsAt(100, %+v) = %+v, want %+v", c.asks, got, c.want)
		}
	}
	p.Sealed = SealedNever
	if got := p.TermsAt(7, Asks{Sealed: true}); got.Sealed || got.RevealEnd != 0 {
		t.Errorf("never: %+v", got)
	}
	if err := (Asks{MinReputation: MaxReputation + 1}).Validate(); err == nil {
		t.Error("a min reputation above the scale passed")
	}
}
