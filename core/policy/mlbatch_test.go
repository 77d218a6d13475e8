package policy_test

import (
	"slices"
	"testing"

	"github.com/akash-market/akash/core/policy"
)

func TestMLDecide(t *testing.T) {
	L, O := policy.WorkerView{Leased: true}, policy.WorkerView{}
	for _, tc := range []struct {
		name   string
		s      policy.MLState
		add    int
		remove []int
		target int
	}{
		{"empty queue, empty pool", policy.MLState{WorkersPerJob: 2, MaxWorkers: 8}, 0, nil, 0},
		{"queue rises: order per job", policy.MLState{Queued: 3, WorkersPerJob: 2, MaxWorkers: 8}, 6, nil, 6},
		{"max workers caps", policy.MLState{Queued: 9, WorkersPerJob: 2, MaxWorkers: 5}, 5, nil, 5},
		{"ordering ones count as coming", policy.MLState{Queued: 2, WorkersPerJob: 1, MaxWorkers: 8, Workers: []policy.WorkerView{L, O}}, 0, nil, 2},
		{"drained: ordering first, then idle newest first", policy.MLState{Queued: 0, WorkersPerJob: 1, MaxWorkers: 8,
			Workers: []policy.WorkerView{L, L, O, L}}, 0, []int{2, 3, 1, 0}, 0},
		{"busy workers stay", policy.MLState{Queued: 1, WorkersPerJob: 1, MaxWorkers: 8, Busy: 3,
			Workers: []policy.WorkerView{L, L, L}}, 0, nil, 1},
		{"one busy of three, one job: two idle go", policy.MLState{Queued: 1, WorkersPerJob: 1, MaxWorkers: 8, Busy: 1,
			Workers: []policy.WorkerView{L, L, L}}, 0, []int{2, 1}, 1},
		{"workers per job 0 means 1", policy.MLState{Queued: 2, MaxWorkers: 8}, 2, nil, 2},
	} {
		d := policy.MLDecide(tc.s)
		if d.Add != tc.add || !slices.Equal(d.Remove, tc.remove) || policy.MLTarget(tc.s) != tc.target {
			t.Errorf("%s: add %d remove %v target %d; want %d %v %d", tc.name, d.Add, d.Remove, policy.MLTarget(tc.s), tc.add, tc.remove, tc.target)
		}
	}
}
