package lease

import (
	"testing"

	"github.com/akash-market/akash/core/money"
)

func TestWholeUnits(t *testing.T) {
	d := func(s string) money.Dec {
		v, err := money.ParseDec(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tt := range []struct{ amt, deposit, whole, frac string }{
		{"0", "0", "0", "0"},
		{"1", "1", "1", "0"},
		{"9558.936", "9559", "9558", "0.936"},
		{"0.000000000000000001", "1", "0", "0.000000000000000001"},
		{"41.999999999999999999", "42", "41", "0.999999999999999999"},
		{"123456789012345678901234567890.5", "123456789012345678901234567891", "123456789012345678901234567890", "0.5"}, // beyond 2^64 units
	} {
		if got := WholeDeposit(d(tt.amt)); !got.Equal(d(tt.deposit)) {
			t.Errorf("WholeDeposit(%s) = %s, want %s", tt.amt, got, tt.deposit)
		}
		w, f := SplitWhole(d(tt.amt))
		if !w.Equal(d(tt.whole)) || !f.Equal(d(tt.frac)) {
			t.Errorf("SplitWhole(%s) = %s + %s, want %s + %s", tt.amt, w, f, tt.whole, tt.frac)
		}
	}
	for _, tt := range []struct{ prev, next, step string }{
		{"0", "0.5", "0"},
		{"0.5", "1.2", "1"},
		{"1.2", "3.9", "2"},
		{"3.9", "3.9", "0"},
	} {
		if got := WholeStep(d(tt.prev), d(tt.next)); !got.Equal(d(tt.step)) {
			t.Errorf("WholeStep(%s, %s) = %s, want %s", tt.prev, tt.next, got, tt.step)
		}
	}
}

// refSplitWhole and refWholeStep are the general forms (FloorTo, Sub) the
// machine-word paths of SplitWhole and WholeStep must equal.
func refSplitWhole(d money.Dec) (whole, frac money.Dec) {
	whole = d.FloorTo(unit)
	frac, _ = d.Sub(whole)
	return whole, frac
}

func refWholeStep(prev, next money.Dec) money.Dec {
	p, _ := refSplitWhole(prev)
	n, _ := refSplitWhole(next)
	d, _ := n.Sub(p)
	return d
}

func checkWhole(t *testing.T, plo, phi, nlo, nhi uint64) {
	prev, next := money.DecFromUint128(plo, phi), money.DecFromUint128(nlo, nhi)
	for _, d := range []money.Dec{prev, next} {
		w, f := SplitWhole(d)
		if rw, rf := refSplitWhole(d); w != rw || f != rf {
			t.Fatalf("SplitWhole(%s) = %s + %s, want %s + %s", d, w, f, rw, rf)
		}
	}
	if got, want := WholeStep(prev, next), refWholeStep(prev, next); got != want {
		t.Fatalf("WholeStep(%s, %s) = %s, want %s", prev, next, got, want)
	}
	if got, want := WholeStep(next, prev), refWholeStep(next, prev); got != want {
		t.Fatalf("WholeStep(%s, %s) = %s, want %s", next, prev, got, want)
	}
}

func TestWholeFastEdges(t *testing.T) {
	const m = ^uint64(0)
	for _, c := range [][4]uint64{
		{0, 0, 0, 0}, {unit - 1, 0, unit, 0}, {unit, 0, unit - 1, 0}, {m, unit - 1, m, unit - 1},
		{0, unit, 0, unit}, {m, m, m, m}, {5, 0, m, unit - 1}, {m, unit - 1, 0, unit}, {3, 7, 2, 7},
	} {
		checkWhole(t, c[0], c[1], c[2], c[3])
	}
}

func FuzzWholeFast(f *testing.F) {
	f.Add(uint64(5), uint64(0), uint64(unit+3), uint64(0))
	f.Add(uint64(5), uint64(unit-1), uint64(6), uint64(unit-1))
	f.Fuzz(func(t *testing.T, plo, phi, nlo, nhi uint64) { checkWhole(t, plo, phi, nlo, nhi) })
}

// checkCarry holds WholeCarry equal to WholeStep of running totals: a
// total t = whole + frac (frac below a unit) and t + amt.
func checkCarry(t *testing.T, whole uint64, fracAtto uint64, alo, ahi uint64) {
	frac := money.NewDecFromAtto(fracAtto % unit)
	prev, err := money.NewDec(whole % (1 << 40)).Add(frac)
	if err != nil {
		t.Fatal(err)
	}
	amt := money.DecFromUint128(alo, ahi)
	next, err := prev.Add(amt)
	if err != nil {
		t.Fatal(err)
	}
	f := frac
	got, err := WholeCarry(&f, amt)
	if err != nil {
		t.Fatalf("WholeCarry(%s, %s): %v", frac, amt, err)
	}
	if want := refWholeStep(prev, next); got != want {
		t.Fatalf("WholeCarry(%s, %s) = %s, want %s (total %s → %s)", frac, amt, got, want, prev, next)
	}
	if _, wantF := refSplitWhole(next); f != wantF {
		t.Fatalf("WholeCarry(%s, %s) leaves fraction %s, want %s", frac, amt, f, wantF)
	}
}

func TestWholeCarry(t *testing.T) {
	const m = ^uint64(0)
	for _, c := range [][4]uint64{
		{0, 0, 0, 0}, {3, unit - 1, 1, 0}, {0, unit - 1, unit - 1, 0}, {7, 5, m, unit - 2}, {7, unit - 1, m, unit - 2},
		{1, 1, m, unit - 1}, {1, unit - 1, m, unit - 1}, {0, 0, m, m}, {2, 12345, 0, unit}, {0, 1, unit, 0},
	} {
		checkCarry(t, c[0], c[1], c[2], c[3])
	}
	// The whole part of the running total plays no part.
	f := money.MustParseDec("0.75")
	if got, _ := WholeCarry(&f, money.MustParseDec("2.5")); !got.Equal(money.NewDec(3)) || !f.Equal(money.MustParseDec("0.25")) {
		t.Fatalf("WholeCarry(0.75, 2.5) = %s, fraction %s; want 3, 0.25", got, f)
	}
	// Overflow leaves the fraction as it was.
	f = money.MustParseDec("0.5")
	big := money.MustParseDec("115792089237316195423570985008687907853269984665640564039457.584007913129639935") // 2^256 − 1 atto
	if _, err := WholeCarry(&f, big); err == nil || !f.Equal(money.MustParseDec("0.5")) {
		t.Fatalf("WholeCarry(0.5, 2^256−1 atto): err %v, fraction %s; want an overflow and 0.5", err, f)
	}
}

func FuzzWholeCarry(f *testing.F) {
	f.Add(uint64(3), uint64(unit-1), uint64(1), uint64(0))
	f.Add(uint64(0), uint64(5), ^uint64(0), uint64(unit-1))
	f.Fuzz(func(t *testing.T, whole, frac, alo, ahi uint64) { checkCarry(t, whole, frac, alo, ahi) })
}
