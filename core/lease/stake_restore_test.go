package lease_test

import (
	"errors"
	"testing"

	"github.com/akash-market/akash/core/lease"
)

// A book restored from one saved record and the saved total behaves exactly
// like the full book it came from: the chain loads one record per transaction.
func TestStakeRestoreMatchesFullBook(t *testing.T) {
	full := newStakeLedger(t, 5)
	full.bond("a", "100")
	full.bond("b", "300")
	if _, err := full.book.Unbond("b", dec("50"), 10); err != nil {
		t.Fatal(err)
	}
	saved, _ := full.book.Get("b")

	part, err := lease.NewStakeBook(denom, 5)
	if err != nil {
		t.Fatal(err)
	}
	part.Total = full.book.Total
	if err := part.Restore(saved); err != nil {
		t.Fatal(err)
	}
	if got, want := part.Weight("b"), full.book.Weight("b"); !got.Equal(want) {
		t.Fatalf("weight after restore = %s, want %s", got, want)
	}
	var e1, e2 lease.Effects
	s1, err1 := full.book.Slash("b", 1000, 12, &e1)
	s2, err2 := part.Slash("b", 1000, 12, &e2)
	if err1 != nil || err2 != nil || !s1.Equal(s2) {
		t.Fatalf("slash full=%s,%v restored=%s,%v", s1, err1, s2, err2)
	}
	g1, _ := full.book.Get("b")
	g2, _ := part.Get("b")
	if !g1.Bonded.Equal(g2.Bonded) || !g1.Slashed.Equal(g2.Slashed) || len(g1.Unbonding) != len(g2.Unbonding) || !full.book.Total.Equal(part.Total) {
		t.Fatalf("after slash full=%+v total %s; restored=%+v total %s", g1, full.book.Total, g2, part.Total)
	}
	// The restored record is a copy: changing the caller's slice does not reach the book.
	saved.Unbonding[0].Amount = dec("1")
	if g, _ := part.Get("b"); g.Unbonding[0].Amount.Equal(dec("1")) {
		t.Fatal("Restore kept the caller's unbonding slice")
	}
}

func TestStakeRestoreRejects(t *testing.T) {
	cases := []struct {
		name string
		s    lease.Stake
		want error
	}{
		{"no provider", lease.Stake{}, lease.ErrBadAddress},
		{"deposited does not add up", lease.Stake{Provider: "p", Bonded: dec("5"), Deposited: dec("6")}, lease.ErrStakeInvariant},
		{"unbonding out of order", lease.Stake{Provider: "p", Deposited: dec("2"), Unbonding: []lease.Unbonding{
			{Amount: dec("1"), MatureAt: 9}, {Amount: dec("1"), MatureAt: 3}}}, lease.ErrStakeInvariant},
		{"empty unbonding entry", lease.Stake{Provider: "p", Deposited: dec("1"), Bonded: dec("1"), Unbonding: []lease.Unbonding{
			{MatureAt: 9}}}, lease.ErrStakeInvariant},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, _ := lease.NewStakeBook(denom, 1)
			err := b.Restore(c.s)
			if !errors.Is(err, c.want) {
				t.Fatalf("Restore(%+v) = %v, want %v", c.s, err, c.want)
			}
			if _, ok := b.Get(c.s.Provider); ok {
				t.Fatal("a rejected record was kept")
			}
		})
	}
	// Accepted: every part adds up.
	b, _ := lease.NewStakeBook(denom, 1)
	ok := lease.Stake{Provider: "p", Bonded: dec("3"), Deposited: dec("10"), Released: dec("4"), Slashed: dec("1"),
		Unbonding: []lease.Unbonding{{Amount: dec("2"), MatureAt: 7}}}
	if err := b.Restore(ok); err != nil {
		t.Fatal(err)
	}
	if got := b.Providers(); len(got) != 1 || got[0] != "p" {
		t.Fatalf("providers = %v", got)
	}
	if err := b.Restore(ok); err != nil || len(b.Providers()) != 1 {
		t.Fatalf("restoring the same provider twice: %v, providers %v", err, b.Providers())
	}
}
