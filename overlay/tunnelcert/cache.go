package tunnelcert

import (
	"context"
	"math/big"
	"sync"
	"time"
)

// CachedRoots answers from memory for TTL after asking Source, so that a busy
// tunnel does not query the chain on every stream. A revocation takes effect
// at most TTL late; not-found answers are cached too (a forger retrying must
// not turn into a query storm).
type CachedRoots struct {
	Source RootStore
	TTL    time.Duration
	Now    func() time.Time // time.Now when nil

	mu sync.Mutex
	m  map[rootKey]cachedRoot
}

type rootKey struct {
	owner  string
	serial string
}

type cachedRoot struct {
	root    Root
	err     error
	expires time.Time
}

// Root implements RootStore.
func (c *CachedRoots) Root(ctx context.Context, owner string, serial *big.Int) (Root, error) {
	now := time.Now()
	if c.Now != nil {
		now = c.Now()
	}
	k := rootKey{owner, serial.String()}
	c.mu.Lock()
	e, ok := c.m[k]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.root, e.err
	}
	r, err := c.Source.Root(ctx, owner, serial)
	if err != nil && err != ErrRootNotFound {
		return r, err // a failed query is not an answer: ask again next time
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[rootKey]cachedRoot{}
	}
	c.m[k] = cachedRoot{root: r, err: err, expires: now.Add(c.TTL)}
	c.mu.Unlock()
	return r, err
}
