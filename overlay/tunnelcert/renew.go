package tunnelcert

import (
	"crypto/tls"
	"sync"
	"time"

	"github.com/akash-market/akash/overlay"
)

// Renewer hands out the current tunnel certificate of one link and issues a
// new one once two thirds of the current one's lifetime have passed, so that
// a long-lived tunnel never presents an expired certificate.
type Renewer struct {
	Issuer Issuer
	Link   overlay.Link
	TTL    time.Duration
	Now    func() time.Time // time.Now when nil

	mu   sync.Mutex
	cur  *tls.Certificate
	next time.Time
}

// Certificate returns the link's current certificate, issuing it first if
// there is none yet or it is due for renewal.
func (r *Renewer) Certificate() (*tls.Certificate, error) {
	now := time.Now()
	if r.Now != nil {
		now = r.Now()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur != nil && now.Before(r.next) {
		return r.cur, nil
	}
	c, err := r.Issuer.Issue(r.Link, now, r.TTL)
	if err != nil {
		return nil, err
	}
	r.cur = &c
	r.next = now.Add(r.TTL * 2 / 3)
	return r.cur, nil
}
