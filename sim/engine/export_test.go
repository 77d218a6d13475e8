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
