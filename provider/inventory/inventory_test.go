package inventory

import (
	"errors"
	"strings"
	"testing"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
)

func oid(n uint64) market.OrderID {
	return market.OrderID{GroupID: market.GroupID{DeploymentID: market.DeploymentID{Owner: "akash1tenant", DSeq: n}, GSeq: 1}, OSeq: 1}
}

func attrs(kv ...string) manifest.Attributes {
	var a manifest.Attributes
	for i := 0; i+1 < len(kv); i += 2 {
		a = append(a, manifest.Attribute{Key: kv[i], Value: kv[i+1]})
	}
	return a
}

func testPools() []Pool {
	return []Pool{
		{Name: "a100", Attributes: attrs("gpu-model", "a100"), Capacity: Resources{CPUMillis: 8000, MemoryBytes: 32 << 30, StorageBytes: 100 << 30, GPUUnits: 2, BandwidthBps: 1 << 30}},
		{Name: "general", Capacity: Resources{CPUMillis: 4000, MemoryBytes: 8 << 30, StorageBytes: 50 << 30, BandwidthBps: 1 << 30}},
	}
}

func TestNewRejectsBadPools(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pools []Pool
		want  string
	}{
		{"none", nil, "no pools"},
		{"empty name", []Pool{{}}, "pools[0]: empty name"},
		{"duplicate name", []Pool{{Name: "x"}, {Name: "x"}}, `name "x" used twice`},
		{"duplicate key", []Pool{{Name: "x", Attributes: attrs("k", "1", "k", "2")}}, `attribute "k" given twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.pools)
			if !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New: got %v, want ErrBadConfig containing %q", err, tc.want)
			}
		})
	}
}

func TestFit(t *testing.T) {
	for _, tc := range []struct {
		name     string
		required manifest.Attributes
		need     Resources
		pool     string // "" = no fit
		why      string
	}{
		{"small order takes the first pool", nil, Resources{CPUMillis: 1000}, "a100", ""},
		{"gpu model a100 only in a100 pool", attrs("gpu-model", "a100"), Resources{GPUUnits: 1}, "a100", ""},
		{"other gpu model refused by a100, general has no gpu", attrs("gpu-model", "h100"), Resources{GPUUnits: 1}, "", `pool "general": gpu needs 1, 0 free`},
		{"other gpu model, no gpu needed: general", attrs("gpu-model", "h100"), Resources{CPUMillis: 100}, "general", ""},
		{"unrelated key passes every pool", attrs("region", "eu"), Resources{CPUMillis: 100}, "a100", ""},
		{"too much cpu for any", nil, Resources{CPUMillis: 9000}, "", `pool "a100": cpu needs 9000, 8000 free`},
		{"memory names the dimension", nil, Resources{MemoryBytes: 33 << 30}, "", "memory needs"},
		{"storage", nil, Resources{StorageBytes: 101 << 30}, "", "storage needs"},
		{"bandwidth", nil, Resources{BandwidthBps: 2 << 30}, "", "bandwidth needs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv, err := New(testPools())
			if err != nil {
				t.Fatal(err)
			}
			i, err := inv.Fit(tc.required, tc.need)
			if tc.pool == "" {
				if !errors.Is(err, ErrNoRoom) || !strings.Contains(err.Error(), tc.why) {
					t.Fatalf("Fit: got pool %d err %v, want ErrNoRoom containing %q", i, err, tc.why)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fit: %v", err)
			}
			if got := inv.Usage()[i].Pool; got != tc.pool {
				t.Fatalf("Fit: pool %q, want %q", got, tc.pool)
			}
		})
	}
}

func TestFitNoPoolAccepts(t *testing.T) {
	inv, _ := New([]Pool{{Name: "a100", Attributes: attrs("gpu-model", "a100"), Capacity: Resources{GPUUnits: 1}}})
	_, err := inv.Fit(attrs("gpu-model", "h100"), Resources{})
	if err == nil || !strings.Contains(err.Error(), "no pool's attributes accept gpu-model=h100") {
		t.Fatalf("got %v", err)
	}
}

func TestLifecycle(t *testing.T) {
	inv, _ := New(testPools())
	need := Resources{CPUMillis: 3000, MemoryBytes: 4 << 30}
	h, err := inv.Reserve(oid(1), nil, need)
	if err != nil || h.Pool != "a100" || h.State != Reserved {
		t.Fatalf("Reserve: %+v %v", h, err)
	}
	if _, err := inv.Reserve(oid(1), nil, need); !errors.Is(err, ErrHeld) {
		t.Fatalf("second Reserve of the same order: %v, want ErrHeld", err)
	}
	if u := inv.Usage()[0]; u.Reserved != need || u.Free.CPUMillis != 5000 {
		t.Fatalf("after reserve: %+v", u)
	}
	if err := inv.Commit(oid(1)); err != nil {
		t.Fatal(err)
	}
	if err := inv.Commit(oid(1)); err != nil {
		t.Fatalf("repeated Commit must be a no-op: %v", err)
	}
	if u := inv.Usage()[0]; u.Reserved != (Resources{}) || u.Committed != need {
		t.Fatalf("after commit: %+v", u)
	}
	if r, c := inv.Holds(); r != 0 || c != 1 {
		t.Fatalf("Holds: %d reserved %d committed", r, c)
	}
	got, err := inv.Release(oid(1))
	if err != nil || got.Need != need || got.State != Committed {
		t.Fatalf("Release: %+v %v", got, err)
	}
	if _, err := inv.Release(oid(1)); !errors.Is(err, ErrNotHeld) {
		t.Fatalf("double Release: %v, want ErrNotHeld", err)
	}
	if err := inv.Commit(oid(2)); !errors.Is(err, ErrNotHeld) {
		t.Fatalf("Commit unknown: %v", err)
	}
	if u := inv.Usage()[0]; u.Free != u.Capacity {
		t.Fatalf("not back to full: %+v", u)
	}
}

func TestReserveSpillsToNextPool(t *testing.T) {
	inv, _ := New(testPools())
	if _, err := inv.Reserve(oid(1), nil, Resources{CPUMillis: 6000}); err != nil {
		t.Fatal(err)
	}
	h, err := inv.Reserve(oid(2), nil, Resources{CPUMillis: 3000})
	if err != nil || h.Pool != "general" {
		t.Fatalf("second reserve: %+v %v, want pool general", h, err)
	}
	if _, err := inv.Reserve(oid(3), nil, Resources{CPUMillis: 2500}); !errors.Is(err, ErrNoRoom) {
		t.Fatalf("third reserve: %v, want ErrNoRoom", err)
	}
}

func TestAdopt(t *testing.T) {
	inv, _ := New(testPools())
	h, err := inv.Adopt(oid(7), nil, Resources{CPUMillis: 1}, Committed)
	if err != nil || h.State != Reserved { // h is the reservation's snapshot
		t.Fatalf("%+v %v", h, err)
	}
	if got, _ := inv.Hold(oid(7)); got.State != Committed {
		t.Fatalf("adopted hold state %v, want committed", got.State)
	}
}
