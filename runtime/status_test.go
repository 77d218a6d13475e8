package runtime

import (
	"testing"
	"time"
)

func TestJustRestarted(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 10, 0, time.UTC)
	cases := []struct {
		restarts int
		started  string
		want     bool
	}{
		{0, "2026-01-01T12:00:09.9Z", false}, // never restarted: ready as soon as it runs
		{3, "2026-01-01T12:00:09.5Z", true},  // restarted half a second ago
		{3, "2026-01-01T12:00:07Z", false},   // up for 3 s since its last restart
		{1, "garbage", true},
	}
	for _, tc := range cases {
		if got := justRestarted(tc.restarts, tc.started, now); got != tc.want {
			t.Errorf("justRestarted(%d, %q) = %v, want %v", tc.restarts, tc.started, got, tc.want)
		}
	}
}
