package sim

import (
	"encoding/json"
	"testing"
)

func TestSmallRunCompletes(t *testing.T) {
	res, err := Run(smallScenario(), Options{CheckEveryBlock: true})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(res.Summary, "", "  ")
	t.Logf("%s", b)
	if res.Summary.Orders.Matched == 0 {
		t.Fatalf("no order matched")
	}
}
