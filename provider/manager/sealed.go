package manager

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/provider/bidengine"
)

// SealedStore keeps the reveals (price and secret salt) of the provider's
// sealed bids from before their commitment is sent until their order is
// decided, so that a daemon killed between commit and reveal still reveals
// after its restart: a commitment that is never revealed loses the order
// and its deposit.
type SealedStore interface {
	// Keep stores reveals durably: once it returns nil they survive a
	// crash (kill -9, power loss).
	Keep(rs []market.Reveal) error
	// Get returns the reveal kept for order id.
	Get(id market.OrderID) (market.Reveal, bool)
	// Forget drops the reveals of orders that are decided. It need not be
	// durable at once: a forgotten reveal that comes back after a crash is
	// forgotten again at the start's catch-up (its order is not open).
	Forget(ids []market.OrderID) error
	// Orders lists the orders a reveal is kept for.
	Orders() []market.OrderID
}

// FileSealedStore is a SealedStore in one file: one reveal per line, its
// canonical encoding (core/market.Reveal.Encode) in hex. Every change
// rewrites the file atomically (temp file, fsync, rename, fsync of the
// directory), so a crash leaves the old or the new set, never a torn one.
// A batch of commitments costs one write. With no path it lives in memory
// only (what a daemon configured without a store uses).
type FileSealedStore struct {
	path string
	mu   sync.Mutex
	m    map[market.OrderID]market.Reveal
}

// OpenFileSealedStore loads the store at path (created on the first Keep).
func OpenFileSealedStore(path string) (*FileSealedStore, error) {
	s := &FileSealedStore{path: path, m: map[market.OrderID]market.Reveal{}}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sealed-bid store %s: %w", path, err)
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	} else if err != nil {
		return nil, fmt.Errorf("sealed-bid store: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 4096), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		raw, err := hex.DecodeString(text)
		if err != nil {
			return nil, fmt.Errorf("sealed-bid store %s:%d: %v; each line must be a hex-encoded reveal", path, line, err)
		}
		r, err := market.ParseReveal(raw)
		if err != nil {
			return nil, fmt.Errorf("sealed-bid store %s:%d: %w", path, line, err)
		}
		s.m[r.Bid.OrderID] = r
	}
	return s, nil
}

// Keep implements SealedStore.
func (s *FileSealedStore) Keep(rs []market.Reveal) error {
	if len(rs) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := make(map[market.OrderID]market.Reveal, len(rs))
	for _, r := range rs {
		if prev, ok := s.m[r.Bid.OrderID]; ok {
			old[r.Bid.OrderID] = prev
		}
		s.m[r.Bid.OrderID] = r
	}
	if err := s.write(); err != nil {
		for _, r := range rs { // not kept: the caller must not commit
			if prev, ok := old[r.Bid.OrderID]; ok {
				s.m[r.Bid.OrderID] = prev
			} else {
				delete(s.m, r.Bid.OrderID)
			}
		}
		return err
	}
	return nil
}

// Get implements SealedStore.
func (s *FileSealedStore) Get(id market.OrderID) (market.Reveal, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.m[id]
	return r, ok
}

// Forget implements SealedStore. It changes memory only: the file follows
// at the next Keep (a write per decided order, each with an fsync, would
// hold up the daemon's loop when a burst of orders is matched at once).
func (s *FileSealedStore) Forget(ids []market.OrderID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		delete(s.m, id)
	}
	return nil
}

// Orders implements SealedStore.
func (s *FileSealedStore) Orders() []market.OrderID {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]market.OrderID, 0, len(s.m))
	for id := range s.m {
		out = append(out, id)
	}
	return out
}

func (s *FileSealedStore) write() error {
	if s.path == "" {
		return nil // memory only (Config.Sealed unset)
	}
	lines := make([]string, 0, len(s.m))
	for _, r := range s.m {
		lines = append(lines, hex.EncodeToString(r.Encode()))
	}
	slices.Sort(lines)
	dir := filepath.Dir(s.path)
	tmp, err := os.CreateTemp(dir, ".sealed-*")
	if err != nil {
		return fmt.Errorf("sealed-bid store: %w", err)
	}
	_, err = tmp.WriteString(strings.Join(lines, "\n") + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.path)
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("sealed-bid store: write %s: %w", s.path, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// seal fills in the reveals of a batch's sealed bids and reveals, before
// it is sent. A sealed PlaceBid gets the reveal kept for its order if there
// is one (an earlier commit of it may have landed though its result was
// lost: committing the same reveal again keeps the chain's commitment
// openable), else a new one with a fresh random salt; the new ones are kept
// durably, in one write, before anything is sent. A RevealBid gets its
// kept reveal. Actions that cannot be sealed are returned in failed with
// their error and left out of the batch.
func (m *Manager) seal(batch []bidengine.Action) (kept []bidengine.Action, failed []bidengine.Action, errs []error) {
	var fresh []market.Reveal
	var freshAt []int
	for i := range batch {
		a := &batch[i]
		switch {
		case a.Kind == bidengine.PlaceBid && a.Sealed:
			if r, ok := m.cfg.Sealed.Get(a.Order); ok {
				a.Reveal = &r
				continue
			}
			r := market.Reveal{Bid: market.BidID{OrderID: a.Order, Provider: m.cfg.Engine.Provider}, Price: a.Price}
			if _, err := rand.Read(r.Salt[:]); err != nil {
				a.Reveal = nil
				continue
			}
			a.Reveal = &r
			fresh = append(fresh, r)
			freshAt = append(freshAt, i)
		case a.Kind == bidengine.RevealBid:
			if r, ok := m.cfg.Sealed.Get(a.Order); ok {
				a.Reveal = &r
			} else {
				a.Reveal = nil
			}
		}
	}
	keepErr := m.cfg.Sealed.Keep(fresh)
	if keepErr != nil {
		m.log.Error("sealed bids not committed: their salts could not be kept", "count", len(fresh), "err", keepErr)
		for _, i := range freshAt {
			batch[i].Reveal = nil
		}
	}
	for _, a := range batch {
		switch {
		case a.Kind == bidengine.PlaceBid && a.Sealed && a.Reveal == nil:
			failed = append(failed, a)
			if keepErr != nil {
				errs = append(errs, fmt.Errorf("commitment on %s not sent: %w", a.Order, keepErr))
			} else {
				errs = append(errs, fmt.Errorf("commitment on %s not sent: no random salt", a.Order))
			}
		case a.Kind == bidengine.RevealBid && a.Reveal == nil:
			failed = append(failed, a)
			errs = append(errs, fmt.Errorf("%w: no reveal of the sealed bid on %s is kept on this provider (its store lost it, or another daemon committed it)", ErrRejected, a.Order))
		default:
			kept = append(kept, a)
		}
	}
	return kept, failed, errs
}
