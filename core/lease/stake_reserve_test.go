package lease_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/core/money"
	"pgregory.net/rapid"
)

// A reserved StakeBook and a plain one, given the same bonds, unbonds,
// releases and slashes, answer alike (Reserve changes sizes, never a
// result), whether the reservation covers the providers or not.
func TestPropStakeReserveChangesNothing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		plain, _ := lease.NewStakeBook(denom, 5)
		reserved, _ := lease.NewStakeBook(denom, 5)
		reserved.Reserve(rapid.IntRange(0, 6).Draw(t, "providers"), rapid.IntRange(0, 3).Draw(t, "unbonding"))
		var effA, effB lease.Effects
		same := func(what string, do func(b *lease.StakeBook, eff *lease.Effects) any) {
			a, b := do(plain, &effA), do(reserved, &effB)
			if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(effA, effB) {
				t.Fatalf("%s: plain %+v %+v, reserved %+v %+v", what, a, effA, b, effB)
			}
		}
		for h := range int64(rapid.IntRange(1, 60).Draw(t, "steps")) {
			p := fmt.Sprintf("p%d", rapid.IntRange(0, 7).Draw(t, "provider"))
			amt := money.NewDec(uint64(rapid.IntRange(1, 50).Draw(t, "amount")))
			switch rapid.IntRange(0, 3).Draw(t, "op") {
			case 0:
				same("bond", func(b *lease.StakeBook, eff *lease.Effects) any {
					return b.Bond(p, money.Coin{Denom: denom, Amount: amt}, eff)
				})
			case 1:
				same("unbond", func(b *lease.StakeBook, _ *lease.Effects) any {
					m, err := b.Unbond(p, amt, h)
					return []any{m, err}
				})
			case 2:
				same("release", func(b *lease.StakeBook, eff *lease.Effects) any { return b.Release(p, h, eff) })
			default:
				same("slash", func(b *lease.StakeBook, eff *lease.Effects) any {
					d, err := b.Slash(p, 1000, h, eff)
					return []any{d, err}
				})
			}
			same("get", func(b *lease.StakeBook, _ *lease.Effects) any {
				s, ok := b.Get(p)
				return []any{s, ok, b.Total, b.Providers()}
			})
		}
	})
}

// Within its reservation a StakeBook bonds new providers and unbonds
// without allocating.
func TestStakeReserveAllocatesNothing(t *testing.T) {
	b, _ := lease.NewStakeBook(denom, 5)
	const n = 64
	b.Reserve(n+2, 2)
	addrs := make([]string, n+2)
	for i := range addrs {
		addrs[i] = fmt.Sprintf("p%d", i)
	}
	var eff lease.Effects
	coin := money.Coin{Denom: denom, Amount: money.NewDec(100)}
	one := money.NewDec(1)
	// The first provider's bond and unbonds size eff's arrays.
	if err := b.Bond(addrs[n], coin, &eff); err != nil {
		t.Fatal(err)
	}
	i := 0
	if allocs := testing.AllocsPerRun(n-1, func() {
		eff.Reset()
		if err := b.Bond(addrs[i], coin, &eff); err != nil {
			t.Fatal(err)
		}
		for h := range int64(2) {
			if _, err := b.Unbond(addrs[i], one, h); err != nil {
				t.Fatal(err)
			}
		}
		i++
	}); allocs != 0 {
		t.Fatalf("a new provider's bond and two unbonds allocated %v times; want 0", allocs)
	}
}
