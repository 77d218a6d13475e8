package manifest_test

import (
	"testing"

	"github.com/akash-market/akash/core/manifest"
)

func TestValidAttributeKey(t *testing.T) {
	cases := []struct {
		key string
		ok  bool
	}{
		{"region", true},
		{"tier", true},
		{"capabilities/storage/1/class", true},
		{"host.name-2_x", true},
		{"gpu*", true},
		{"ab", true},
		{"a", false},         // too short
		{"1region", false},   // must start with a letter
		{"region us", false}, // space
		{"region=", false},   // '=' separates key and value on the CLI
		{"", false},          // empty
		{"re*gion", false},   // '*' only last
		{"ab\n", false},      // no trailing newline
	}
	long := "a"
	for len(long) < 128 {
		long += "b"
	}
	cases = append(cases, struct {
		key string
		ok  bool
	}{long, true}, struct {
		key string
		ok  bool
	}{long + "c", false})
	for _, c := range cases {
		if got := manifest.ValidAttributeKey(c.key); got != c.ok {
			t.Errorf("ValidAttributeKey(%q) = %v, want %v", c.key, got, c.ok)
		}
	}
}

func TestCompareAttributes(t *testing.T) {
	cases := []struct {
		a, b manifest.Attribute
		want int
	}{
		{manifest.Attribute{"region", "us-west"}, manifest.Attribute{"region", "us-west"}, 0},
		{manifest.Attribute{"region", "eu"}, manifest.Attribute{"region", "us"}, -1}, // same key: by value
		{manifest.Attribute{"tier", "a"}, manifest.Attribute{"region", "z"}, 1},      // key first
		{manifest.Attribute{"gpu", "z"}, manifest.Attribute{"region", "a"}, -1},
	}
	for _, c := range cases {
		if got := manifest.CompareAttributes(c.a, c.b); got != c.want {
			t.Errorf("CompareAttributes(%v, %v) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
