package daemon

import (
	"path/filepath"
	"testing"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/provider/gateway"
)

// TestAdoptOldManifests: an upgrade copies the shared store of earlier
// versions into the provider's own store once, and never over a store that
// already holds manifests.
func TestAdoptOldManifests(t *testing.T) {
	home := t.TempDir()
	old, err := gateway.NewDirStore(filepath.Join(home, "provider", "manifests"))
	if err != nil {
		t.Fatal(err)
	}
	a := market.DeploymentID{Owner: "akash1tenant", DSeq: 1}
	b := market.DeploymentID{Owner: "akash1tenant", DSeq: 2}
	_ = old.Put(a, []byte("A"))
	_ = old.Put(b, []byte("B"))
	mine, err := gateway.NewDirStore(filepath.Join(home, "provider", "akash1prov", "manifests"))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := adoptOldManifests(old.Dir, mine); err != nil || n != 2 {
		t.Fatalf("first start: copied %d, %v; want 2", n, err)
	}
	if got, err := mine.Get(b); err != nil || string(got) != "B" {
		t.Fatalf("copy of %s: %q %v", b, got, err)
	}
	_ = mine.Delete(a) // the reconcile dropped a deployment not served here
	if n, err := adoptOldManifests(old.Dir, mine); err != nil || n != 0 {
		t.Fatalf("second start: copied %d, %v; want 0 (the store is in use)", n, err)
	}
	if _, err := mine.Get(a); err == nil {
		t.Fatal("a dropped manifest came back")
	}
	if n, err := adoptOldManifests(filepath.Join(home, "nothing"), mine); err != nil || n != 0 {
		t.Fatalf("no old store: %d %v", n, err)
	}
}
