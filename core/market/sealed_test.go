package market

import (
	"bytes"
	"errors"
	"testing"
)

func testReveal() Reveal {
	r := Reveal{Bid: BidID{OrderID: orderID("akash1tenant", 42), Provider: "akash1provider"}, Price: uakt("12.5")}
	for i := range r.Salt {
		r.Salt[i] = byte(i * 7)
	}
	return r
}

func TestRevealRoundTrip(t *testing.T) {
	r := testReveal()
	enc := r.Encode()
	got, err := ParseReveal(enc)
	if err != nil {
		t.Fatal(err)
	}
	if got != r {
		t.Fatalf("round trip changed the reveal: %+v", got)
	}
	if !got.Verify(r.Commitment()) {
		t.Fatal("the reveal does not open its own commitment")
	}
}

// Changing any committed field must break the commitment.
func TestRevealBindsEveryField(t *testing.T) {
	c := testReveal().Commitment()
	for name, change := range map[string]func(*Reveal){
		"owner":    func(r *Reveal) { r.Bid.Owner += "x" },
		"dseq":     func(r *Reveal) { r.Bid.DSeq++ },
		"gseq":     func(r *Reveal) { r.Bid.GSeq++ },
		"oseq":     func(r *Reveal) { r.Bid.OSeq++ },
		"provider": func(r *Reveal) { r.Bid.Provider = "akash1other" },
		"denom":    func(r *Reveal) { r.Price.Denom = "uusdc" },
		"price":    func(r *Reveal) { r.Price = uakt("12.500000000000000001") },
		"salt":     func(r *Reveal) { r.Salt[31] ^= 1 },
	} {
		r := testReveal()
		change(&r)
		if r.Verify(c) {
			t.Errorf("changing %s still verifies", name)
		}
	}
}

func TestParseRevealRejects(t *testing.T) {
	good := testReveal().Encode()
	nonCanonical := testReveal()
	// A hand-built encoding whose amount is "12.5" rather than the canonical
	// 18-digit form: it denotes the same reveal, so it must not parse.
	short := bytes.Replace(good, append([]byte{byte(len(nonCanonical.Price.Amount.String()))}, nonCanonical.Price.Amount.String()...), append([]byte{4}, "12.5"...), 1)
	for name, b := range map[string][]byte{
		"empty":          nil,
		"no tag":         good[len(revealTag):],
		"truncated":      good[:len(good)-1],
		"trailing byte":  append(append([]byte{}, good...), 0),
		"short amount":   short,
		"huge length":    append([]byte(revealTag), 0xff, 0xff, 0xff, 0xff, 0x0f),
		"bad amount":     bytes.Replace(good, []byte("12.5"), []byte("12x5"), 1),
		"truncated seqs": append([]byte(revealTag), 1, 'a', 0, 0),
	} {
		if _, err := ParseReveal(b); !errors.Is(err, ErrMalformedReveal) {
			t.Errorf("%s: err = %v; want ErrMalformedReveal", name, err)
		}
	}
}

// FuzzReveal: parsing never panics; whatever parses re-encodes to the same
// bytes (one encoding per reveal); and a reveal built from the fuzzer's
// fields opens its own commitment and no other.
func FuzzReveal(f *testing.F) {
	r := testReveal()
	f.Add(r.Encode(), "akash1tenant", uint64(42), "akash1provider", "12.5", byte(3))
	f.Add([]byte(revealTag), "", uint64(0), "", "0", byte(0))
	f.Add([]byte("junk"), "o", uint64(1<<63), "p", "1.000000000000000001", byte(255))
	f.Fuzz(func(t *testing.T, raw []byte, owner string, dseq uint64, provider string, amount string, saltByte byte) {
		if p, err := ParseReveal(raw); err == nil {
			if !bytes.Equal(p.Encode(), raw) {
				t.Fatalf("parsed %x but it re-encodes differently", raw)
			}
			if !p.Verify(p.Commitment()) {
				t.Fatal("a parsed reveal does not open its own commitment")
			}
		}
		var rv Reveal
		rv.Bid.Owner, rv.Bid.DSeq, rv.Bid.Provider = owner, dseq, provider
		rv.Price.Denom = "uakt"
		if err := rv.Price.Amount.UnmarshalText([]byte(amount)); err != nil {
			return
		}
		rv.Salt[0] = saltByte
		c := rv.Commitment()
		if !rv.Verify(c) {
			t.Fatal("a reveal does not open its own commitment")
		}
		if len(owner) <= maxAddrLen && len(provider) <= maxAddrLen {
			back, err := ParseReveal(rv.Encode())
			if err != nil || back != rv {
				t.Fatalf("round trip failed: %v", err)
			}
		}
		wrong := rv
		wrong.Salt[1] ^= 1
		if wrong.Verify(c) {
			t.Fatal("a different salt opens the commitment")
		}
		wrong = rv
		wrong.Bid.DSeq++
		if wrong.Verify(c) {
			t.Fatal("a different order opens the commitment")
		}
		if p, err := ParseReveal(raw); err == nil && p != rv && p.Verify(c) {
			t.Fatal("an unrelated preimage opens the commitment")
		}
	})
}
