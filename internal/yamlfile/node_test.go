package yamlfile

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestNodes(t *testing.T) {
	root, err := ParseOne("t.yaml", []byte("m: {a: 1}\nl: [1]\ne:\nt: ~\nn: null\nq: \"null\"\ns: web\nx: &x 1\ny: *x\n"), "test")
	if err != nil {
		t.Fatal(err)
	}
	val := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		val[root.Content[i].Value] = root.Content[i+1]
	}
	for _, c := range []struct {
		key  string
		null bool
		kind string
	}{
		{"m", false, "a mapping"},
		{"l", false, "a list"},
		{"e", true, "empty"},
		{"t", true, "empty"},
		{"n", true, "empty"},
		{"q", false, `the value "null"`},
		{"s", false, `the value "web"`},
		{"y", false, "an alias"},
	} {
		n := val[c.key]
		if got := IsNull(n); got != c.null {
			t.Errorf("%s: IsNull = %v, want %v", c.key, got, c.null)
		}
		if got := KindName(n); got != c.kind {
			t.Errorf("%s: KindName = %q, want %q", c.key, got, c.kind)
		}
	}
	if !IsNull(nil) || !IsNull(&yaml.Node{}) || KindName(nil) != "empty" || KindName(&yaml.Node{Kind: yaml.DocumentNode}) != "something else" {
		t.Error("nil and empty nodes")
	}
	if Join("", "a") != "a" || Join("a", "b") != "a.b" || Index("a.b", 3) != "a.b[3]" {
		t.Error("Join, Index")
	}
}
