package market

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/bits"

	"github.com/akash-market/akash/core/money"
)

// Sealed bids hide the price during the bidding window (see docs/privacy.md).
// A provider commits to sha256(encoding of its Reveal) and later reveals the
// Reveal itself; the reveal counts only if it hashes to the commitment.
//
// The encoding is the commitment's preimage, so it must be exactly
// reproducible on every machine. Version 1, all integers big-endian:
//
//	"akash-market/sealed-bid/v1"     26-byte domain tag
//	owner    uvarint length, bytes  (order ID: tenant address)
//	dseq     8 bytes
//	gseq     4 bytes
//	oseq     4 bytes
//	provider uvarint length, bytes
//	denom    uvarint length, bytes
//	amount   uvarint length, bytes  (money.Dec.String(): all 18 fractional digits)
//	salt     32 bytes               (fresh random bytes per bid, kept secret until reveal)
//
// Parsing accepts only this canonical form (re-encoding must give the same
// bytes), so one reveal has one encoding and one commitment.

// Commitment is sha256 of a Reveal's encoding.
type Commitment [32]byte

func (c Commitment) String() string { return hex.EncodeToString(c[:]) }

// Reveal is what a provider discloses after the bidding window: which bid,
// the price it committed to, and the salt that kept the price from being
// guessed by hashing every likely price.
type Reveal struct {
	Bid   BidID
	Price money.Coin
	Salt  [32]byte
}

const revealTag = "akash-market/sealed-bid/v1"

// Limits on encoded fields, generous for any chain address or IBC denom, so a
// hostile reveal cannot make the parser allocate much.
const (
	maxAddrLen   = 256
	maxDenomLen  = 128
	maxAmountLen = 100 // 78 integer digits, the dot and 18 fractional digits fit
)

// Encode returns the canonical encoding of r: the commitment's preimage.
func (r Reveal) Encode() []byte {
	n := len(revealTag) + 4*binary.MaxVarintLen64 + len(r.Bid.Owner) + 16 + len(r.Bid.Provider) + len(r.Price.Denom) + maxAmountLen + 32
	return r.appendEncode(make([]byte, 0, n))
}

// appendEncode appends r's encoding to buf. The amount is formatted in
// place (appendDec), so with room in buf encoding allocates nothing.
func (r *Reveal) appendEncode(buf []byte) []byte {
	buf = append(buf, revealTag...)
	buf = appendString(buf, r.Bid.Owner)
	buf = binary.BigEndian.AppendUint64(buf, r.Bid.DSeq)
	buf = binary.BigEndian.AppendUint32(buf, r.Bid.GSeq)
	buf = binary.BigEndian.AppendUint32(buf, r.Bid.OSeq)
	buf = appendString(buf, r.Bid.Provider)
	buf = appendString(buf, r.Price.Denom)
	var amount [maxAmountLen]byte
	a := appendDec(amount[:0], r.Price.Amount)
	buf = binary.AppendUvarint(buf, uint64(len(a)))
	buf = append(buf, a...)
	return append(buf, r.Salt[:]...)
}

// appendDec appends d as money.Dec.String prints it (every one of the 18
// fractional digits), without the allocations String makes.
// TestAppendDecIsString keeps the two the same.
func appendDec(dst []byte, d money.Dec) []byte {
	raw := d.Bytes32() // big-endian atto
	var w [4]uint64
	for i := range w {
		w[i] = binary.BigEndian.Uint64(raw[8*i:])
	}
	// Digits of the atto value, least significant first, 19 at a time.
	var digits [5 * 19]byte // 2^256 has 78 digits
	n := 0
	for {
		var rem uint64
		for i := range w {
			w[i], rem = bits.Div64(rem, w[i], 1e19)
		}
		for k := 0; k < 19; k++ {
			digits[n] = byte('0' + rem%10)
			rem /= 10
			n++
		}
		if w == [4]uint64{} {
			break
		}
	}
	for n > money.Precision+1 && digits[n-1] == '0' {
		n-- // leading zeros, keeping at least "0." and 18 fractional digits
	}
	for i := n - 1; i >= 0; i-- {
		if i == money.Precision-1 {
			dst = append(dst, '.')
		}
		dst = append(dst, digits[i])
	}
	return dst
}

func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// Commitment returns sha256 of r's encoding: what the provider submits during
// the bidding window. The encoding is built on the stack (see verify), so a
// commitment costs no allocation.
func (r Reveal) Commitment() Commitment {
	var buf [256]byte
	return sha256.Sum256(r.appendEncode(buf[:0]))
}

// Verify reports whether r opens commitment c.
func (r Reveal) Verify(c Commitment) bool { return r.verify(&c) }

// verify is Verify hashing an encoding built on the stack: the book checks
// every reveal, and Encode's buffer and the amount's text would otherwise
// be three allocations per reveal.
func (r *Reveal) verify(c *Commitment) bool {
	var buf [256]byte
	return sha256.Sum256(r.appendEncode(buf[:0])) == *c
}

// ParseReveal decodes a reveal from its canonical encoding. It never panics;
// any input that is not exactly the encoding of some Reveal is an error.
func ParseReveal(b []byte) (Reveal, error) {
	bad := func(what string) (Reveal, error) {
		return Reveal{}, fmt.Errorf("%w: %s (want the v1 encoding described in sealed.go)", ErrMalformedReveal, what)
	}
	rest, ok := bytes.CutPrefix(b, []byte(revealTag))
	if !ok {
		return bad("missing domain tag " + revealTag)
	}
	var r Reveal
	var s string
	if s, rest, ok = readString(rest, maxAddrLen); !ok {
		return bad("owner")
	}
	r.Bid.Owner = s
	if len(rest) < 16 {
		return bad("order sequence numbers truncated")
	}
	r.Bid.DSeq = binary.BigEndian.Uint64(rest)
	r.Bid.GSeq = binary.BigEndian.Uint32(rest[8:])
	r.Bid.OSeq = binary.BigEndian.Uint32(rest[12:])
	rest = rest[16:]
	if r.Bid.Provider, rest, ok = readString(rest, maxAddrLen); !ok {
		return bad("provider")
	}
	if r.Price.Denom, rest, ok = readString(rest, maxDenomLen); !ok {
		return bad("price denom")
	}
	if s, rest, ok = readString(rest, maxAmountLen); !ok {
		return bad("price amount")
	}
	amount, err := money.ParseDec(s)
	if err != nil {
		return bad("price amount: " + err.Error())
	}
	r.Price.Amount = amount
	if len(rest) != len(r.Salt) {
		return bad(fmt.Sprintf("salt must be exactly %d bytes at the end, found %d", len(r.Salt), len(rest)))
	}
	copy(r.Salt[:], rest)
	// Reject every non-canonical spelling (long varints, "1.5" instead of
	// "1.500000000000000000") so each reveal has exactly one preimage.
	if !bytes.Equal(r.Encode(), b) {
		return bad("not in canonical form")
	}
	return r, nil
}

func readString(b []byte, max int) (string, []byte, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(max) || uint64(len(b)-k) < n {
		return "", nil, false
	}
	return string(b[k : k+int(n)]), b[k+int(n):], true
}
