package rng

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
)

// domainTag separates this derivation from any other use of SHA-256 on the
// same bytes, and names its version.
const domainTag = "akash-sim/rng/v1"

// Agent kinds inside the hash, so that numeric agent 7 and string agent "7"
// get different streams.
const (
	kindNumeric byte = 'n'
	kindString  byte = 's'
)

// Seed is a run's seed. Its methods derive the run's streams.
type Seed uint64

// Stream returns the stream of agent for purpose under seed s.
func (s Seed) Stream(agent uint64, purpose string) *rand.Rand {
	return Stream(uint64(s), agent, purpose)
}

// StreamFor returns the stream of a string-named agent for purpose.
func (s Seed) StreamFor(agent, purpose string) *rand.Rand {
	return StreamFor(uint64(s), agent, purpose)
}

// Stream returns a new random stream determined only by (seed, agent,
// purpose). Purposes name what the draws are for ("arrivals", "price",
// "outage"), so that drawing one more price does not shift the arrivals.
func Stream(seed, agent uint64, purpose string) *rand.Rand {
	return rand.New(PCG(seed, agent, purpose))
}

// StreamFor is Stream for agents identified by a string (an address, a
// provider name from a scenario file).
func StreamFor(seed uint64, agent, purpose string) *rand.Rand {
	return rand.New(PCGFor(seed, agent, purpose))
}

// PCG returns the generator behind Stream(seed, agent, purpose), for callers
// that want the bare rand.Source (it can also be re-seeded with the pair
// from Derive to replay a stream).
func PCG(seed, agent uint64, purpose string) *rand.PCG {
	var a [8]byte
	binary.BigEndian.PutUint64(a[:], agent)
	return rand.NewPCG(derive(seed, kindNumeric, a[:], purpose))
}

// PCGFor is PCG for a string-named agent.
func PCGFor(seed uint64, agent, purpose string) *rand.PCG {
	return rand.NewPCG(derive(seed, kindString, []byte(agent), purpose))
}

// Derive returns the two PCG seed words of Stream(seed, agent, purpose).
func Derive(seed, agent uint64, purpose string) (uint64, uint64) {
	var a [8]byte
	binary.BigEndian.PutUint64(a[:], agent)
	return derive(seed, kindNumeric, a[:], purpose)
}

// DeriveFor is Derive for a string-named agent: the two seed words of
// StreamFor(seed, agent, purpose), for a caller that keeps the generator in
// its own record (rand.PCG.Seed with them replays the stream).
func DeriveFor(seed uint64, agent, purpose string) (uint64, uint64) {
	return derive(seed, kindString, []byte(agent), purpose)
}

func derive(seed uint64, kind byte, agent []byte, purpose string) (uint64, uint64) {
	h := sha256.New()
	var buf [8]byte
	h.Write([]byte(domainTag))
	binary.BigEndian.PutUint64(buf[:], seed)
	h.Write(buf[:])
	h.Write([]byte{kind})
	// Length prefixes keep ("ab", "c") and ("a", "bc") apart.
	binary.BigEndian.PutUint64(buf[:], uint64(len(agent)))
	h.Write(buf[:])
	h.Write(agent)
	binary.BigEndian.PutUint64(buf[:], uint64(len(purpose)))
	h.Write(buf[:])
	h.Write([]byte(purpose))
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return binary.BigEndian.Uint64(sum[0:8]), binary.BigEndian.Uint64(sum[8:16])
}
