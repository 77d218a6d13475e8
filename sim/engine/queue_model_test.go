package engine_test

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"math/rand/v2"

	"github.com/akash-market/akash/sim/engine"
	"github.com/akash-market/akash/sim/rng"
)

// mmc is an M/M/c queue on the engine: Poisson arrivals (rate lambda),
// exponential service (rate mu per server), c servers, first come first
// served. With patience > 0 a waiting customer abandons after an exponential
// time with that mean, which exercises cancellation: the abandonment is
// cancelled when service starts. Every event kind is a reusable handler, and
// customers come from a free list, so the model allocates nothing per event
// once warm.
type mmc struct {
	c              int
	lambda, mu     float64
	patience       float64 // mean seconds before a waiting customer leaves; 0 = never
	arrivals, work *rand.Rand
	impatience     *rand.Rand

	busy    int
	line    []*customer // waiting customers, oldest first; abandoned ones are skipped
	head    int
	free    []*customer
	arrival arrival

	// Statistics after warmup.
	warmup     engine.Time
	inSystem   int
	lastChange engine.Time
	area       int64 // ∫ inSystem dt over [warmup, now], in customer·ns: exact
	served     int
	sojourn    int64 // total time in system of served customers who arrived after warmup, ns
	abandoned  int

	trace hash.Hash // nil unless tracing
}

type customer struct {
	q       *mmc
	arrived engine.Time
	renege  engine.EventID
	gone    bool
}

type (
	arrival     struct{ q *mmc }
	departure   customer
	abandonment customer
)

// newMMC builds the model with streams derived from seed.
func newMMC(seed uint64, c int, lambda, mu, patience float64, warmup engine.Time) *mmc {
	q := &mmc{
		c: c, lambda: lambda, mu: mu, patience: patience, warmup: warmup,
		arrivals:   rng.Stream(seed, 0, "arrivals"),
		work:       rng.Stream(seed, 0, "service"),
		impatience: rng.Stream(seed, 0, "patience"),
	}
	q.arrival.q = q
	return q
}

func (q *mmc) start(s *engine.Sim) { s.After(rng.InterArrival(q.arrivals, q.lambda), &q.arrival) }

func (q *mmc) record(s *engine.Sim, kind byte) {
	if q.trace == nil {
		return
	}
	var b [17]byte
	binary.BigEndian.PutUint64(b[0:], uint64(s.Now()))
	binary.BigEndian.PutUint64(b[8:], s.Current().Seq())
	b[16] = kind
	q.trace.Write(b[:])
}

// changeInSystem integrates the number in system up to now, then applies d.
func (q *mmc) changeInSystem(now engine.Time, d int) {
	if now > q.warmup {
		from := max(q.lastChange, q.warmup)
		q.area += int64(q.inSystem) * int64(now-from)
	}
	q.lastChange = now
	q.inSystem += d
}

// finish integrates the number in system up to the end of the run.
func (q *mmc) finish(now engine.Time) { q.changeInSystem(now, 0) }

func (q *mmc) newCustomer(now engine.Time) *customer {
	var c *customer
	if n := len(q.free); n > 0 {
		c = q.free[n-1]
		q.free = q.free[:n-1]
	} else {
		c = &customer{q: q}
	}
	c.arrived, c.gone, c.renege = now, false, engine.EventID{}
	return c
}

func (q *mmc) serve(s *engine.Sim, c *customer) {
	q.busy++
	s.After(engine.Seconds(q.work.ExpFloat64()/q.mu), (*departure)(c))
}

func (a *arrival) Fire(s *engine.Sim) {
	q := a.q
	q.record(s, 'a')
	s.After(rng.InterArrival(q.arrivals, q.lambda), a)
	q.changeInSystem(s.Now(), +1)
	c := q.newCustomer(s.Now())
	if q.busy < q.c {
		q.serve(s, c)
		return
	}
	if q.patience > 0 {
		c.renege = s.After(engine.Seconds(q.impatience.ExpFloat64()*q.patience), (*abandonment)(c))
	}
	q.line = append(q.line, c)
}

func (d *departure) Fire(s *engine.Sim) {
	c := (*customer)(d)
	q := c.q
	q.record(s, 'd')
	q.changeInSystem(s.Now(), -1)
	if c.arrived >= q.warmup {
		q.served++
		q.sojourn += int64(s.Now() - c.arrived)
	}
	q.busy--
	q.free = append(q.free, c)
	for q.head < len(q.line) {
		next := q.line[q.head]
		q.line[q.head] = nil
		q.head++
		if next.gone {
			q.free = append(q.free, next)
			continue
		}
		s.Cancel(next.renege)
		q.serve(s, next)
		break
	}
	// Reuse the line's storage once it has drained far enough.
	if q.head > 1024 && q.head*2 > len(q.line) {
		n := copy(q.line, q.line[q.head:])
		q.line = q.line[:n]
		q.head = 0
	}
}

func (a *abandonment) Fire(s *engine.Sim) {
	c := (*customer)(a)
	q := c.q
	q.record(s, 'x')
	q.changeInSystem(s.Now(), -1)
	q.abandoned++
	c.gone = true // the line drops it when it reaches it
}

// run simulates warmup+horizon and returns the time-average number in
// system and the mean time in system (seconds) after warmup.
func (q *mmc) run(horizon engine.Duration) (l, w float64, s *engine.Sim) {
	s = engine.New()
	q.start(s)
	end := q.warmup.Add(horizon)
	s.RunUntil(end)
	q.finish(end)
	l = float64(q.area) / float64(horizon)
	w = float64(q.sojourn) / float64(q.served) / float64(engine.Second)
	return l, w, s
}

// traced turns on the event trace.
func (q *mmc) traced() *mmc { q.trace = sha256.New(); return q }
