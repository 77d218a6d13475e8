package tunnelcert

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"
)

// countingRoots counts the questions that reach the store behind the cache.
type countingRoots struct {
	*MemRoots
	n int
}

func (c *countingRoots) Root(ctx context.Context, owner string, serial *big.Int) (Root, error) {
	c.n++
	return c.MemRoots.Root(ctx, owner, serial)
}

func TestCachedRoots(t *testing.T) {
	rootA := rootAt(t, "akash1provA")
	src := &countingRoots{MemRoots: NewMemRoots()}
	src.Add("akash1provA", rootA.Cert)
	now := t0
	c := &CachedRoots{Source: src, TTL: 30 * time.Second, Now: func() time.Time { return now }}
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if r, err := c.Root(ctx, "akash1provA", rootA.Cert.SerialNumber); err != nil || r.Revoked {
			t.Fatalf("lookup %d: %+v %v", i, r, err)
		}
	}
	if src.n != 1 {
		t.Fatalf("%d queries for three lookups within the TTL, want 1", src.n)
	}
	src.Revoke("akash1provA", rootA.Cert.SerialNumber)
	if r, _ := c.Root(ctx, "akash1provA", rootA.Cert.SerialNumber); r.Revoked {
		t.Fatal("revocation seen before the TTL ran out: the cache did not answer")
	}
	now = now.Add(31 * time.Second)
	if r, _ := c.Root(ctx, "akash1provA", rootA.Cert.SerialNumber); !r.Revoked {
		t.Fatal("revocation not seen after the TTL")
	}
	for i := 0; i < 2; i++ {
		if _, err := c.Root(ctx, "akash1provA", big.NewInt(99)); !errors.Is(err, ErrRootNotFound) {
			t.Fatalf("unknown serial: %v", err)
		}
	}
	if src.n != 3 {
		t.Fatalf("%d queries, want 3 (not-found answers are cached)", src.n)
	}
}
