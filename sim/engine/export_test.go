package engine

// QueuedItems returns how many items the queue holds, live and cancelled,
// so tests can check that cancelled events do not pile up.
func QueuedItems(s *Sim) int { return s.q.items }

// SetCompactMinDead changes the sweep threshold and returns a restore func.
func SetCompactMinDead(n int) func() {
	old := compactMinDead
	compactMinDead = n
	return func() { compactMinDead = old }
}

// Current returns the ID of the event whose handler is running (or ran
// last), so a trace of a run can record the sequence numbers it fired.
func Current(s *Sim) EventID { return s.current }
