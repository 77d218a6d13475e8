package manifest

import (
	"errors"
	"slices"
	"testing"
)

func TestServiceCapabilities(t *testing.T) {
	doc := mutate(t, "    image: postgres:16\n", "    image: postgres:16\n    params:\n      capabilities: [cap_net_bind_service, CHOWN, NET_BIND_SERVICE]\n")
	m, err := Parse("caps.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"CHOWN", "NET_BIND_SERVICE"}
	if got := m.Services()[0].Capabilities; m.Services()[0].Name != "db" || !slices.Equal(got, want) {
		t.Fatalf("db capabilities %v, want %v (upper case, no CAP_, sorted, once)", got, want)
	}
	if got := m.Services()[1].Capabilities; got != nil {
		t.Fatalf("web asked for none, got %v", got)
	}
	// The canonical form keeps them and is itself the same manifest.
	c, err := Parse("canonical.json", m.Canonical())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Services()[0].Capabilities, want) || c.Version() != m.Version() {
		t.Fatalf("canonical round trip: %v, version equal %v", c.Services()[0].Capabilities, c.Version() == m.Version())
	}
	base, _ := Parse("base.yaml", []byte(baseSDL))
	if base.Version() == m.Version() {
		t.Fatal("asking for capabilities did not change the version")
	}

	doc = mutate(t, "    image: postgres:16\n", "    image: postgres:16\n    params:\n      capabilities: [NET_BIND_SERVICE, ALL]\n")
	_, err = Parse("bad.yaml", []byte(doc))
	var el ErrorList
	if !errors.As(err, &el) || len(el) != 1 || el[0].Path != "services.db.params.capabilities" || !errors.Is(el[0], ErrName) ||
		el[0].Problem != `"ALL" is not a Linux capability` {
		t.Fatalf("capability ALL: %v", err)
	}
}
