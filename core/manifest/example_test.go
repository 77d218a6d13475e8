package manifest

import (
	_ "embed"
	"testing"

	"github.com/akash-market/akash/core/money"
)

//go:embed testdata/example.yaml
var exampleYAML []byte

func TestExample(t *testing.T) {
	m, err := Parse("example.yaml", exampleYAML)
	if err != nil {
		t.Fatal(err)
	}
	if w := m.Warnings(); len(w) != 0 {
		t.Fatalf("example has warnings:\n%v", w)
	}
	g := m.Groups()
	if len(g) != 2 || g[0].Name != "core" || g[1].Name != "edge" {
		t.Fatalf("groups %+v, want core and edge", g)
	}
	db, web := g[0].Units[0], g[1].Units[0]
	if db.Profile != "db" || db.Count != 1 || db.Resources.CPUMillis != 1000 || db.Resources.MemoryBytes != 2<<30 ||
		len(db.Resources.Storage) != 2 || db.Resources.Storage[1].Name != "data" || db.Resources.Storage[1].Bytes != 20<<30 ||
		attrValue(db.Resources.Storage[1].Attributes, "class") != "beta2" || db.Resources.Storage[0].Attributes != nil {
		t.Errorf("db unit %+v (volumes in the order written; the unnamed one has no attributes)", db)
	}
	if !db.Price.Amount.Equal(money.MustParseDec("250.5")) || db.Price.Denom != "uakt" {
		t.Errorf("db price %v", db.Price)
	}
	if web.Count != 2 || web.Resources.CPUMillis != 500 || web.Resources.BandwidthBps != 10<<20 {
		t.Errorf("web unit %+v", web)
	}
	if total, _ := g[1].MaxPrice(); !total.Amount.Equal(money.NewDec(200)) {
		t.Errorf("edge max price %v, want 200uakt", total)
	}
	top := m.Topology()
	if !top.Allows("web", "db", 5432, "tcp") {
		t.Error("web → db:5432 should be allowed")
	}
	for _, c := range []Connection{{"db", "web", 8080, "TCP"}, {"web", "db", 5432, "UDP"}, {"web", "db", 5433, "TCP"}, {"x", "db", 5432, "TCP"}} {
		if top.Allows(c.From, c.To, c.Port, c.Proto) {
			t.Errorf("%+v should be denied", c)
		}
	}
	if len(top.Global) != 1 || top.Global[0].Service != "web" || top.Global[0].ExternalPort != 80 {
		t.Errorf("global exposes %+v", top.Global)
	}
	svcs := m.Services()
	if len(svcs) != 2 || svcs[0].Name != "db" || svcs[0].Storage[0] != (StorageMount{"data", "/var/lib/postgresql/data", false}) {
		t.Errorf("services %+v", svcs)
	}
}
