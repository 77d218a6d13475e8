package tunnel

import (
	"context"
	"errors"
	"testing"
)

// TestAddrCacheLookup: the lookup is asked only after a failed dial; a
// failing lookup leaves the last known address and is asked again next time.
func TestAddrCacheLookup(t *testing.T) {
	answers := []struct {
		addr string
		err  error
	}{{"", errors.New("gateway unreachable")}, {"10.0.0.2:8444", nil}}
	asked := 0
	a := &addrCache{hostport: "10.0.0.1:8444", lookup: func(context.Context) (string, error) {
		r := answers[asked]
		asked++
		return r.addr, r.err
	}}
	ctx := context.Background()
	step := func(want string, wantAsked int) {
		t.Helper()
		got, err := a.get(ctx)
		if err != nil || got != want || asked != wantAsked {
			t.Fatalf("get = %q, %v after %d lookups; want %q after %d", got, err, asked, want, wantAsked)
		}
	}
	step("10.0.0.1:8444", 0) // the configured address, no lookup
	step("10.0.0.1:8444", 0) // cached
	a.forget()               // a dial failed
	step("10.0.0.1:8444", 1) // lookup failed: the last known address
	a.forget()
	step("10.0.0.2:8444", 2) // lookup answered: the new address
	step("10.0.0.2:8444", 2)
	if a.current() != "10.0.0.2:8444" {
		t.Fatalf("current = %q", a.current())
	}
}
