package market

import (
	"testing"

	"github.com/akash-market/akash/core/manifest"
)

// A requirement set whose orders all closed keeps its bucket dormant: when
// it comes back (the usual case: one region's orders come and go) the
// index allocates nothing, and when another set needs room the dormant
// bucket is handed over and its old key forgotten.
func TestFillIndexDormantBuckets(t *testing.T) {
	var x fillIndex
	x.init()
	slots := make([]orderSlot, 4)
	east := Order{Requirements: manifest.PlacementRequirements{Attributes: []manifest.Attribute{{Key: "region", Value: "us-east"}}}}
	west := Order{Requirements: manifest.PlacementRequirements{Attributes: []manifest.Attribute{{Key: "region", Value: "eu-west"}}}}
	east.Resources.CPUMillis, west.Resources.CPUMillis = 1000, 1000

	pos, installed := x.add(0, &east)
	if !installed {
		t.Fatal("first order of a requirement set must install its bucket")
	}
	x.remove(0, pos, slots)

	allocs := testing.AllocsPerRun(100, func() {
		p, inst := x.add(0, &east)
		if inst {
			t.Fatal("a dormant bucket of the same set must be revived, not reinstalled")
		}
		x.remove(0, p, slots)
	})
	if allocs != 0 {
		t.Fatalf("re-adding a dormant requirement set allocates %.1f times, want 0", allocs)
	}

	pw, installed := x.add(1, &west)
	if !installed || pw.bucket != pos.bucket || len(x.buckets) != 1 {
		t.Fatalf("another set should take the dormant bucket: installed %v, bucket %d (dormant %d), %d buckets", installed, pw.bucket, pos.bucket, len(x.buckets))
	}
	if _, ok := x.byKey[string(appendRequirementKey(nil, &east.Requirements))]; ok {
		t.Fatal("the handed-over bucket's old key must be forgotten")
	}
	if got := x.buckets[pw.bucket].req.Attributes[0].Value; got != "eu-west" {
		t.Fatalf("handed-over bucket holds %q, want eu-west", got)
	}
	pe, installed := x.add(2, &east)
	if !installed || pe.bucket == pw.bucket || len(x.free) != 0 {
		t.Fatalf("east again needs its own new bucket: installed %v, bucket %d, free %v", installed, pe.bucket, x.free)
	}
}
