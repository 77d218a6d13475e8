package lease_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/money"
	"pgregory.net/rapid"
)

type stakeLedger struct {
	t     testing.TB
	book  *lease.StakeBook
	flows lease.StakeFlows
	eff   lease.Effects
}

func newStakeLedger(t testing.TB, period int64) *stakeLedger {
	b, err := lease.NewStakeBook(denom, period)
	if err != nil {
		t.Fatal(err)
	}
	return &stakeLedger{t: t, book: b}
}

func (s *stakeLedger) record() {
	for _, tr := range s.eff.Transfers {
		if err := s.flows.Record(tr); err != nil {
			s.t.Fatal(err)
		}
	}
	s.eff.Reset()
	if err := lease.CheckStake(s.book, s.flows); err != nil {
		s.t.Fatal(err)
	}
}

func (s *stakeLedger) bond(p, amt string) {
	if err := s.book.Bond(p, uakt(amt), &s.eff); err != nil {
		s.t.Fatal(err)
	}
	s.record()
}

func TestStakeRules(t *testing.T) {
	type want struct{ bonded, unbonding, released, slashed string }
	cases := []struct {
		name string
		run  func(s *stakeLedger) error
		want want
	}{
		{"bond with no minimum", func(s *stakeLedger) error {
			s.bond("p", "0.000000000000000001")
			return nil
		}, want{"0.000000000000000001", "0", "0", "0"}},
		{"unbond starts the clock", func(s *stakeLedger) error {
			s.bond("p", "100")
			_, err := s.book.Unbond("p", dec("40"), 10)
			return err
		}, want{"60", "40", "0", "0"}},
		{"release before maturity keeps it", func(s *stakeLedger) error {
			s.bond("p", "100")
			at, _ := s.book.Unbond("p", dec("40"), 10)
			return s.book.Release("p", at-1, &s.eff)
		}, want{"60", "40", "0", "0"}},
		{"release at maturity returns it", func(s *stakeLedger) error {
			s.bond("p", "100")
			at, _ := s.book.Unbond("p", dec("40"), 10)
			return s.book.Release("p", at, &s.eff)
		}, want{"60", "0", "40", "0"}},
		{"slash cuts bonded and unbonding", func(s *stakeLedger) error {
			s.bond("p", "100")
			_, _ = s.book.Unbond("p", dec("40"), 10)
			_, err := s.book.Slash("p", 1000, 20, &s.eff)
			return err
		}, want{"54", "36", "0", "10"}},
		{"matured stake escapes the slash", func(s *stakeLedger) error {
			s.bond("p", "100")
			_, _ = s.book.Unbond("p", dec("40"), 10)
			_, err := s.book.Slash("p", 1000, 10+21, &s.eff)
			return err
		}, want{"54", "0", "40", "6"}},
		{"slash rounds down per part", func(s *stakeLedger) error {
			s.bond("p", "19")
			_, err := s.book.Slash("p", 1000, 0, &s.eff)
			return err
		}, want{"18", "0", "0", "1"}},
		{"full slash empties everything", func(s *stakeLedger) error {
			s.bond("p", "100")
			_, _ = s.book.Unbond("p", dec("40"), 10)
			_, err := s.book.Slash("p", 10000, 11, &s.eff)
			return err
		}, want{"0", "0", "0", "100"}},
		{"unbond more than bonded", func(s *stakeLedger) error {
			s.bond("p", "10")
			_, err := s.book.Unbond("p", dec("11"), 1)
			if !errors.Is(err, lease.ErrInsufficientStake) {
				t.Errorf("err = %v", err)
			}
			return nil
		}, want{"10", "0", "0", "0"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newStakeLedger(t, 21)
			if err := c.run(s); err != nil {
				t.Fatal(err)
			}
			s.record()
			st, _ := s.book.Get("p")
			var unb money.Dec
			for _, u := range st.Unbonding {
				unb, _ = unb.Add(u.Amount)
			}
			got := want{st.Bonded.ShortString(), unb.ShortString(), st.Released.ShortString(), st.Slashed.ShortString()}
			exp := want{dec(c.want.bonded).ShortString(), dec(c.want.unbonding).ShortString(), dec(c.want.released).ShortString(), dec(c.want.slashed).ShortString()}
			if got != exp {
				t.Fatalf("got %+v, want %+v", got, exp)
			}
			if !s.book.Total.Equal(st.Bonded) {
				t.Errorf("total %s != bonded %s", s.book.Total, st.Bonded)
			}
		})
	}
}

func TestStakeErrors(t *testing.T) {
	if _, err := lease.NewStakeBook(denom, -1); !errors.Is(err, lease.ErrUnbondingPeriod) {
		t.Errorf("negative period: %v", err)
	}
	s := newStakeLedger(t, 5)
	var eff lease.Effects
	checks := []struct {
		name string
		err  error
		want error
	}{
		{"bond zero", s.book.Bond("p", uakt("0"), &eff), lease.ErrZeroAmount},
		{"bond other denom", s.book.Bond("p", money.Coin{Denom: "uatom", Amount: dec("1")}, &eff), lease.ErrDenomMismatch},
		{"bond nobody", s.book.Bond("", uakt("1"), &eff), lease.ErrBadAddress},
		{"release unknown", s.book.Release("q", 1, &eff), lease.ErrNoStake},
		{"slash over 100%", func() error { _, err := s.book.Slash("q", 10001, 1, &eff); return err }(), lease.ErrBasisPoints},
		{"slash unknown", func() error { _, err := s.book.Slash("q", 1, 1, &eff); return err }(), lease.ErrNoStake},
		{"unbond unknown", func() error { _, err := s.book.Unbond("q", dec("1"), 1); return err }(), lease.ErrNoStake},
	}
	for _, c := range checks {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, c.err, c.want)
		}
	}
	if len(eff.Transfers) != 0 {
		t.Errorf("refused verbs emitted %d transfers", len(eff.Transfers))
	}
}

func TestGovernanceWeight(t *testing.T) {
	s := newStakeLedger(t, 5)
	s.bond("a", "1")
	s.bond("b", "2")
	s.bond("c", "3")
	wa, wb, wc := s.book.Weight("a"), s.book.Weight("b"), s.book.Weight("c")
	if !wa.Equal(lease.Fraction{Num: dec("1"), Den: dec("6")}) || wb.Cmp(wa) != 1 || wc.Cmp(wb) != 1 {
		t.Fatalf("weights %s %s %s", wa, wb, wc)
	}
	if !wc.Equal(lease.Fraction{Num: dec("1"), Den: dec("2")}) {
		t.Errorf("3/6 != 1/2: %s", wc)
	}
	if w := s.book.Weight("nobody"); !w.IsZero() {
		t.Errorf("unknown provider weight %s", w)
	}
	if got := s.book.Providers(); len(got) != 3 || got[0] != "a" || got[2] != "c" {
		t.Errorf("providers %v, want first-bond order", got)
	}
}

// TestStakeProperties: random bond / unbond / release / slash sequences keep
// stake conserved, weights summing to exactly one, slashing never above its
// fraction, and unbonded stake locked until it matures.
func TestStakeProperties(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		period := rapid.Int64Range(0, 50).Draw(rt, "period")
		b, _ := lease.NewStakeBook(denom, period)
		var flows lease.StakeFlows
		var eff lease.Effects
		names := []string{"a", "b", "c"}
		h := int64(0)
		for i := 0; i < 200; i++ {
			p := names[rapid.IntRange(0, 2).Draw(rt, "p")]
			h += rapid.Int64Range(0, 10).Draw(rt, "dh")
			before, _ := b.Get(p)
			eff.Reset()
			switch rapid.IntRange(0, 3).Draw(rt, "op") {
			case 0:
				amt := money.NewDecFromAtto(rapid.Uint64Range(1, 1<<62).Draw(rt, "amt"))
				if err := b.Bond(p, money.Coin{Denom: denom, Amount: amt}, &eff); err != nil {
					rt.Fatal(err)
				}
			case 1:
				if before.Bonded.IsZero() {
					continue
				}
				amt, _ := before.Bonded.MulFrac(rapid.Uint64Range(1, 10_000).Draw(rt, "frac"), 10_000)
				if amt.IsZero() {
					continue
				}
				at, err := b.Unbond(p, amt, h)
				if err != nil || at != h+period {
					rt.Fatalf("unbond: %v, matures %d want %d", err, at, h+period)
				}
			case 2:
				_ = b.Release(p, h, &eff)
				after, _ := b.Get(p)
				for _, u := range after.Unbonding {
					if u.MatureAt <= h {
						rt.Fatalf("entry maturing at %d not released at %d", u.MatureAt, h)
					}
				}
				for _, u := range before.Unbonding {
					if u.MatureAt > h && !before.Released.Equal(after.Released) && len(after.Unbonding) == len(before.Unbonding) {
						rt.Fatalf("immature stake released")
					}
				}
			case 3:
				bps := uint32(rapid.Uint64Range(0, 10_000).Draw(rt, "bps"))
				cut, err := b.Slash(p, bps, h, &eff)
				if before.Deposited.IsZero() {
					continue
				}
				if err != nil {
					rt.Fatal(err)
				}
				// cut ≤ bps × (bonded + unbonding still slashable)
				var slashable money.Dec = before.Bonded
				for _, u := range before.Unbonding {
					if u.MatureAt > h {
						slashable, _ = slashable.Add(u.Amount)
					}
				}
				limit, _ := slashable.MulFrac(uint64(bps), 10_000)
				if limit.Less(cut) {
					rt.Fatalf("slashed %s, more than %d bps of %s", cut, bps, slashable)
				}
			}
			for _, tr := range eff.Transfers {
				_ = flows.Record(tr)
			}
			if err := lease.CheckStake(b, flows); err != nil {
				rt.Fatal(err)
			}
			var num money.Dec
			for _, n := range names {
				num, _ = num.Add(b.Weight(n).Num)
			}
			if !b.Total.IsZero() && !(lease.Fraction{Num: num, Den: b.Total}).Equal(lease.Fraction{Num: dec("1"), Den: dec("1")}) {
				rt.Fatalf("weights sum to %s/%s", num, b.Total)
			}
		}
	})
}

func TestFraction(t *testing.T) {
	f := func(n, d string) lease.Fraction { return lease.Fraction{Num: dec(n), Den: dec(d)} }
	max := "115792089237316195423570985008687907853269984665640564039457.584007913129639935"
	cases := []struct {
		a, b lease.Fraction
		cmp  int
	}{
		{f("1", "2"), f("2", "4"), 0},
		{f("1", "3"), f("0.333333333333333333", "1"), 1},
		{f("0", "5"), f("0", "0"), 0},
		{f("1", "1000000"), f("0", "1"), 1},
		{f(max, max), f("1", "1"), 0},
		{f(max, max), f("115792089237316195423570985008687907853269984665640564039457.584007913129639934", max), 1},
	}
	for _, c := range cases {
		if got := c.a.Cmp(c.b); got != c.cmp {
			t.Errorf("%s cmp %s = %d, want %d", c.a, c.b, got, c.cmp)
		}
		if got := c.b.Cmp(c.a); got != -c.cmp {
			t.Errorf("%s cmp %s = %d, want %d (antisymmetry)", c.b, c.a, got, -c.cmp)
		}
	}
	scale := []struct {
		f        lease.Fraction
		bps, ppm uint64
	}{
		{f("1", "3"), 3333, 333333},
		{f("2", "3"), 6666, 666666},
		{f("1", "1"), 10000, 1000000},
		{f("3", "2"), 10000, 1000000}, // saturates
		{f("0.000000000000000001", max), 0, 0},
		{f(max, max), 10000, 1000000},
	}
	for _, c := range scale {
		if got := uint64(c.f.BasisPoints()); got != c.bps {
			t.Errorf("%s bps = %d, want %d", c.f, got, c.bps)
		}
		if got := c.f.PPM(); got != c.ppm {
			t.Errorf("%s ppm = %d, want %d", c.f, got, c.ppm)
		}
	}
}

// TestFractionScaleMatchesDivision: for amounts small enough to divide
// directly, Scale agrees with ⌊num × n ÷ den⌋.
func TestFractionScaleMatchesDivision(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 10_000 {
		den := r.Uint64N(1<<40) + 1
		num := r.Uint64N(den + 1)
		f := lease.Fraction{Num: money.NewDecFromAtto(num), Den: money.NewDecFromAtto(den)}
		if got, want := f.PPM(), num*1_000_000/den; got != want {
			t.Fatalf("%d/%d ppm = %d, want %d", num, den, got, want)
		}
	}
}
