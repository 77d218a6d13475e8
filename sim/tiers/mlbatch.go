package tiers

import (
	"fmt"
	"math"
	"time"

	"github.com/akash-market/akash/core/policy"
	"github.com/akash-market/akash/sim"
	"github.com/akash-market/akash/sim/engine"
	"github.com/akash-market/akash/sim/rng"
)

// MLElasticOwner and MLStaticOwner are the tenant addresses of the ML tier's
// workers and of its static baseline's.
const (
	MLElasticOwner = "tier/ml-batch"
	MLStaticOwner  = "tier/ml-static"
)

// job is one training job: arrives, needs Work worker-nanoseconds.
type job struct {
	arrive engine.Time
	work   int64 // worker-nanoseconds
}

// cluster runs the job sequence on one pool of workers: the elastic tier's
// or the static baseline's. Work is integer worker-nanoseconds; a job with n
// workers does n nanoseconds of work per nanosecond.
type cluster struct {
	pool    *pool
	elastic bool
	want    int // static: workers to keep; elastic: the limit (max_workers)
	perJob  int

	left     []int64       // per job: work left (−1: not arrived)
	done     []engine.Time // per job: finish time (0: not yet)
	arrived  int           // jobs admitted so far
	finished int
	assigned []int // per job: workers it had in the last interval
	busyNow  int

	leasedNS, busyNS int64 // worker-nanoseconds leased, and doing work
}

type mlBatch struct {
	w       *sim.World
	cfg     *sim.MLBatch
	jobs    []job
	elastic *cluster
	static  *cluster
	tick    engine.Duration
	last    engine.Time
	endAt   engine.Time
	sample  engine.Duration
	nextRow engine.Time
	rows    [][]string
	ts      mlSeries
}

type mlSeries struct {
	hours, queue, eLeased, eBusy, sLeased, sBusy, eCost, sCost []float64
}

// Jobs draws the job sequence of a run: Poisson arrivals at jobs_per_hour
// during arrivals_for (or the whole run), each with job_work worker-hours
// (at least one second). Arrivals and work come from their own streams of
// agent "tier/ml-batch", so both sides of the comparison see the same jobs
// and the market's draws are untouched.
func Jobs(cfg *sim.MLBatch, seed uint64, until engine.Time) []job {
	arrR := rng.StreamFor(seed, MLElasticOwner, "arrivals")
	workR := rng.StreamFor(seed, MLElasticOwner, "work")
	var jobs []job
	if cfg.JobsPerHour <= 0 {
		return nil
	}
	t := engine.Time(0)
	for {
		t = t.Add(rng.InterArrival(arrR, cfg.JobsPerHour/3600))
		if t >= until {
			return jobs
		}
		hours := max(cfg.JobWork.Draw(workR), 1.0/3600)
		jobs = append(jobs, job{arrive: t, work: int64(math.Round(hours * float64(time.Hour)))})
	}
}

func startMLBatch(w *sim.World, cfg *sim.MLBatch) *mlBatch {
	m := &mlBatch{w: w, cfg: cfg, tick: w.BlockTime(), sample: w.Scenario().SampleEvery.Sim()}
	m.endAt = engine.Time(engine.Duration(w.EndHeight()) * w.BlockTime())
	until := m.endAt
	if cfg.ArrivalsFor > 0 {
		until = min(until, engine.Time(cfg.ArrivalsFor.Sim()))
	}
	m.jobs = Jobs(cfg, w.Seed(), until)
	if m.sample <= 0 {
		m.sample = engine.Duration(5 * time.Minute)
	}
	spec := sim.GroupSpec{Shape: cfg.Worker, MaxPrice: cfg.MaxPrice}
	m.elastic = m.newCluster(newPool(w, MLElasticOwner, spec), true, cfg.MaxWorkers)
	m.static = m.newCluster(newPool(w, MLStaticOwner, spec), false, cfg.StaticWorkers)
	w.Engine().After(0, engine.HandlerFunc(m.step))
	return m
}

func (m *mlBatch) newCluster(p *pool, elastic bool, want int) *cluster {
	c := &cluster{pool: p, elastic: elastic, want: want, perJob: max(m.cfg.WorkersPerJob, 1),
		left: make([]int64, len(m.jobs)), done: make([]engine.Time, len(m.jobs)), assigned: make([]int, len(m.jobs))}
	for i := range c.left {
		c.left[i] = -1
	}
	return c
}

// step runs every block: progress the last interval's work, admit
// arrivals, assign workers to jobs first come first served, rescale.
func (m *mlBatch) step(s *engine.Sim) {
	now := s.Now()
	dt := int64(now.Sub(m.last))
	for _, c := range []*cluster{m.elastic, m.static} {
		c.progress(m.last, dt)
		for c.arrived < len(m.jobs) && m.jobs[c.arrived].arrive <= now {
			c.left[c.arrived] = m.jobs[c.arrived].work
			c.arrived++
		}
		c.assign()
		c.rescale()
	}
	m.last = now
	if now >= m.nextRow {
		m.record(now)
		m.nextRow = now.Add(m.sample)
	}
	if m.elastic.pool.err == nil && m.static.pool.err == nil && now.Add(m.tick) <= m.endAt {
		s.After(m.tick, engine.HandlerFunc(m.step))
	}
}

// progress applies dt nanoseconds of the assignment made at from.
func (c *cluster) progress(from engine.Time, dt int64) {
	if dt <= 0 {
		return
	}
	c.leasedNS += int64(c.pool.leasedCount()) * dt
	for i, n := range c.assigned {
		if n == 0 {
			continue
		}
		capNS := int64(n) * dt
		if c.left[i] <= capNS {
			// Finished inside the interval: at from + ⌈left / n⌉.
			c.busyNS += c.left[i]
			c.done[i] = from.Add(engine.Duration((c.left[i] + int64(n) - 1) / int64(n)))
			c.left[i] = 0
			c.finished++
			c.assigned[i] = 0
			continue
		}
		c.left[i] -= capNS
		c.busyNS += capNS
	}
}

// assign gives the leased workers to the unfinished jobs in arrival order,
// each up to perJob.
func (c *cluster) assign() {
	free := c.pool.leasedCount()
	c.busyNow = 0
	for i := 0; i < c.arrived; i++ {
		c.assigned[i] = 0
		if c.left[i] <= 0 {
			continue
		}
		n := min(c.perJob, free)
		c.assigned[i] = n
		free -= n
		c.busyNow += n
	}
}

// rescale keeps the pool at the size the cluster wants: the static baseline
// always its static_workers; the elastic tier what its queued and running
// jobs can use, within max_workers (ordering ones count as coming).
func (c *cluster) rescale() {
	p := c.pool
	if !c.elastic {
		for len(p.groups) < c.want && p.err == nil {
			p.add(-1)
		}
		return
	}
	d := policy.MLDecide(c.state())
	for i := 0; i < d.Add && p.err == nil; i++ {
		p.add(-1)
	}
	gone := make([]*group, len(d.Remove))
	for k, i := range d.Remove {
		gone[k] = p.groups[i]
	}
	for _, g := range gone {
		p.remove(g)
	}
}

// state is what the elastic cluster shows core/policy.MLDecide.
func (c *cluster) state() policy.MLState {
	s := policy.MLState{WorkersPerJob: c.perJob, MaxWorkers: c.want, Busy: c.busyNow}
	for i := 0; i < c.arrived; i++ {
		if c.left[i] > 0 {
			s.Queued++
		}
	}
	for _, g := range c.pool.groups {
		s.Workers = append(s.Workers, policy.WorkerView{Leased: g.leased})
	}
	return s
}

func (m *mlBatch) record(now engine.Time) {
	h := m.w.Height()
	hours := float64(now) / float64(engine.Hour)
	queue := 0
	for i := 0; i < m.elastic.arrived; i++ {
		if m.elastic.left[i] > 0 {
			queue++
		}
	}
	e, st := m.elastic, m.static
	ec, sc := e.pool.costSoFar(h), st.pool.costSoFar(h)
	m.ts.hours = append(m.ts.hours, hours)
	m.ts.queue = append(m.ts.queue, float64(queue))
	m.ts.eLeased = append(m.ts.eLeased, float64(e.pool.leasedCount()))
	m.ts.eBusy = append(m.ts.eBusy, float64(e.busyNow))
	m.ts.sLeased = append(m.ts.sLeased, float64(st.pool.leasedCount()))
	m.ts.sBusy = append(m.ts.sBusy, float64(st.busyNow))
	m.ts.eCost = append(m.ts.eCost, ec)
	m.ts.sCost = append(m.ts.sCost, sc)
	m.rows = append(m.rows, []string{ff(hours, 4), fmt.Sprint(h), fmt.Sprint(e.arrived), fmt.Sprint(queue),
		fmt.Sprint(len(e.pool.groups)), fmt.Sprint(e.pool.leasedCount()), fmt.Sprint(e.busyNow), fmt.Sprint(e.finished), ff(ec, 6),
		fmt.Sprint(len(st.pool.groups)), fmt.Sprint(st.pool.leasedCount()), fmt.Sprint(st.busyNow), fmt.Sprint(st.finished), ff(sc, 6)})
}
