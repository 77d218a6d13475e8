package app

import (
	"testing"

	dbm "github.com/cosmos/cosmos-db"
)

// TestGoLevelDBKeepsEmptyValues guards the go.mod replace of
// github.com/syndtr/goleveldb (the SDK's own go.mod pins the same commit, but
// a dependency's replace does not reach us). IAVL v1 stores an empty root as
// an empty value under s<version><nonce> for every version of a store that has
// no keys (authz, feegrant, evidence on a fresh chain). goleveldb after
// 2021-08 returns nil for an empty value, which IAVL reads as "no such root":
// every query then fails with "failed to load state at height N; version does
// not exist" and a restart fails to load those stores. See docs/chain.md.
func TestGoLevelDBKeepsEmptyValues(t *testing.T) {
	db, err := dbm.NewDB("application", dbm.GoLevelDBBackend, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	key := []byte("s\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x01")
	if err := db.Set(key, []byte{}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Get(key)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil {
		t.Fatalf("goleveldb Get of an empty value returned nil (reads as missing); " +
			"go.mod must keep: replace github.com/syndtr/goleveldb => github.com/syndtr/goleveldb v1.0.1-0.20210819022825-2ae1ddf74ef7")
	}
	has, err := db.Has(key)
	if err != nil || !has {
		t.Fatalf("Has = %v, %v after Set; want true", has, err)
	}
}
