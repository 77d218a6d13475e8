package policy

// MLState is what the ML batch tier sees at a check (whitepaper 5.2).
type MLState struct {
	// Queued is the jobs arrived and not finished (waiting or running).
	Queued int
	// WorkersPerJob is the most workers one job uses (at least 1).
	WorkersPerJob int
	// MaxWorkers bounds the pool.
	MaxWorkers int
	// Workers are the pool's groups alive now, oldest first: leased, or
	// still ordering (false), which count as coming capacity.
	Workers []WorkerView
	// Busy is how many leased workers run a job now.
	Busy int
}

// WorkerView is one worker group as the decision sees it.
type WorkerView struct {
	Leased bool
}

// MLDecision says how many workers to order and which to release.
type MLDecision struct {
	Add    int   // new worker groups to order
	Remove []int // indices into MLState.Workers, in the order released
}

// MLTarget is the pool size the queue can use: WorkersPerJob per queued
// job, within MaxWorkers.
func MLTarget(s MLState) int {
	per := max(s.WorkersPerJob, 1)
	need := 0
	for i := 0; i < s.Queued && need < s.MaxWorkers; i++ {
		need += per
	}
	return min(need, s.MaxWorkers)
}

// MLDecide is the ML batch tier's scaling rule, a pure function: grow the
// pool to MLTarget; above it, release still-ordering workers first, then
// idle leased ones, newest first. Busy workers are never released.
func MLDecide(s MLState) MLDecision {
	var d MLDecision
	target := MLTarget(s)
	n := len(s.Workers)
	if n < target {
		d.Add = target - n
		return d
	}
	excess := n - target
	for i := n - 1; i >= 0 && len(d.Remove) < excess; i-- {
		if !s.Workers[i].Leased {
			d.Remove = append(d.Remove, i)
		}
	}
	leased := 0
	for _, w := range s.Workers {
		if w.Leased {
			leased++
		}
	}
	idle := leased - s.Busy
	for i := n - 1; i >= 0 && len(d.Remove) < excess && idle > 0; i-- {
		if s.Workers[i].Leased {
			d.Remove = append(d.Remove, i)
			idle--
		}
	}
	return d
}
