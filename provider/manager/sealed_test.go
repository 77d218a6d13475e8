package manager

import (
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	"github.com/akash-market/akash/provider/bidengine"
)

func sealedReveal(dseq uint64, price string, salt byte) market.Reveal {
	r := market.Reveal{
		Bid:   market.BidID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: market.DeploymentID{Owner: "akash1tenant", DSeq: dseq}, GSeq: 1}, OSeq: 1}, Provider: "akash1prov"},
		Price: money.Coin{Denom: "uakt", Amount: money.MustParseDec(price)},
	}
	r.Salt[0] = salt
	return r
}

// TestFileSealedStoreSurvivesReopen: what Keep returned for is there after
// the store is opened again (a restarted daemon), exactly (same
// commitment); Forget drops it, on disk at the next Keep; a damaged file is an error naming
// the line, not an empty store.
func TestFileSealedStoreSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p", "sealed-bids")
	s, err := OpenFileSealedStore(path)
	if err != nil {
		t.Fatal(err)
	}
	a, b := sealedReveal(1, "1.1", 7), sealedReveal(2, "0.000000000000000001", 9)
	if err := s.Keep([]market.Reveal{a, b}); err != nil {
		t.Fatal(err)
	}
	s2, err := OpenFileSealedStore(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []market.Reveal{a, b} {
		got, ok := s2.Get(want.Bid.OrderID)
		if !ok || got.Commitment() != want.Commitment() {
			t.Fatalf("after reopen: %v %v, want the kept reveal of %s", got, ok, want.Bid)
		}
	}
	if err := s2.Forget([]market.OrderID{a.Bid.OrderID}); err != nil {
		t.Fatal(err)
	}
	if err := s2.Keep(nil); err != nil { // nothing new: no write
		t.Fatal(err)
	}
	if s4, _ := OpenFileSealedStore(path); len(s4.Orders()) != 2 {
		t.Fatalf("forgetting alone wrote the file: %d reveals on disk, want 2 until the next Keep", len(s4.Orders()))
	}
	c := sealedReveal(3, "2", 3)
	if err := s2.Keep([]market.Reveal{c}); err != nil {
		t.Fatal(err)
	}
	s3, err := OpenFileSealedStore(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s3.Get(a.Bid.OrderID); ok {
		t.Fatal("a forgotten reveal came back after reopen")
	}
	if got := s3.Orders(); len(got) != 2 {
		t.Fatalf("orders %v, want %s and %s", got, b.Bid.OrderID, c.Bid.OrderID)
	}
	if err := os.WriteFile(path, []byte("zz\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenFileSealedStore(path); err == nil || !strings.Contains(err.Error(), path+":1") {
		t.Fatalf("damaged store: %v, want an error naming %s:1", err, path)
	}
}

// TestFileSealedStoreKeepFails: a store that cannot be written keeps
// nothing (the commit must not be sent).
func TestFileSealedStoreKeepFails(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenFileSealedStore(filepath.Join(dir, "sealed-bids"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	if os.Geteuid() == 0 {
		// root writes anyway: make the target a directory instead.
		_ = os.Chmod(dir, 0o700)
		if err := os.Mkdir(filepath.Join(dir, "sealed-bids"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "sealed-bids", "x"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	r := sealedReveal(1, "1", 1)
	if err := s.Keep([]market.Reveal{r}); err == nil {
		t.Fatal("Keep into an unwritable store succeeded")
	}
	if _, ok := s.Get(r.Bid.OrderID); ok {
		t.Fatal("a reveal that was not written is kept in memory")
	}
}

// TestSealKeepsBeforeSending: a batch's sealed bids get reveals that are
// in the store when seal returns (so a crash after the send can still
// reveal); a sealed bid on an order with a kept reveal commits to that one
// again; a reveal with nothing kept fails as rejected; open bids pass as
// they are.
func TestSealKeepsBeforeSending(t *testing.T) {
	store, err := OpenFileSealedStore(filepath.Join(t.TempDir(), "sealed-bids"))
	if err != nil {
		t.Fatal(err)
	}
	m := &Manager{cfg: Config{Sealed: store, Engine: bidengine.Config{Provider: "akash1prov"}}, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	old := sealedReveal(2, "3", 5)
	if err := store.Keep([]market.Reveal{old}); err != nil {
		t.Fatal(err)
	}
	price := money.Coin{Denom: "uakt", Amount: money.MustParseDec("1.1")}
	batch := []bidengine.Action{
		{Kind: bidengine.PlaceBid, Order: sealedReveal(1, "1", 0).Bid.OrderID, Price: price, Sealed: true},
		{Kind: bidengine.PlaceBid, Order: old.Bid.OrderID, Price: price, Sealed: true},
		{Kind: bidengine.PlaceBid, Order: sealedReveal(3, "1", 0).Bid.OrderID, Price: price},
		{Kind: bidengine.RevealBid, Order: sealedReveal(4, "1", 0).Bid.OrderID},
	}
	kept, failed, errs := m.seal(batch)
	if len(kept) != 3 || len(failed) != 1 || failed[0].Kind != bidengine.RevealBid || !errors.Is(errs[0], ErrRejected) {
		t.Fatalf("kept %d, failed %v %v; want 3 kept and the reveal with nothing kept rejected", len(kept), failed, errs)
	}
	reopened, err := OpenFileSealedStore(store.path)
	if err != nil {
		t.Fatal(err)
	}
	fresh, ok := reopened.Get(kept[0].Order)
	if !ok || kept[0].Reveal == nil || fresh.Commitment() != kept[0].Reveal.Commitment() || fresh.Price != price || fresh.Salt == ([32]byte{}) {
		t.Fatalf("new sealed bid: reveal %v, stored %v %v; want the same, at the bid's price, with a random salt", kept[0].Reveal, fresh, ok)
	}
	if kept[1].Reveal == nil || kept[1].Reveal.Commitment() != old.Commitment() {
		t.Fatalf("a second commit of an order with a kept reveal got %v, want the kept one", kept[1].Reveal)
	}
	if kept[2].Reveal != nil {
		t.Fatal("an open bid got a reveal")
	}
}
