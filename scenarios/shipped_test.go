package scenarios

import (
	"errors"
	"strings"
	"testing"
)

// TestShipped loads and validates every shipped scenario and checks that
// each one says, in its leading comment, what question it answers.
func TestShipped(t *testing.T) {
	names := Shipped()
	for _, want := range []string{"default", "baseline", "pricing-cost-plus", "pricing-undercut", "pricing-utilisation",
		"pricing-random-band", "pricing-mixed", "churn", "sealed-bids", "delivery-network", "ml-batch", "large"} {
		if !strings.Contains(" "+strings.Join(names, " ")+" ", " "+want+" ") {
			t.Errorf("scenario %q is not shipped (have %v)", want, names)
		}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			sc, err := Open(name)
			if err != nil {
				t.Fatal(err)
			}
			if sc.Name != name {
				t.Errorf("name: %q, want the file's name %q", sc.Name, name)
			}
			if sc.Description == "" {
				t.Error("no description")
			}
			if err := Validate(sc); err != nil {
				t.Fatal(err)
			}
			src, _ := Source(name)
			if !strings.HasPrefix(string(src), "#") || !strings.Contains(string(src), "Question:") {
				t.Error("the file does not open with a comment saying what question it answers (\"Question: …\")")
			}
		})
	}
}

func TestShippedShapes(t *testing.T) {
	large, err := Open("large")
	if err != nil {
		t.Fatal(err)
	}
	providers := 0
	for _, p := range large.Providers {
		providers += p.Count
	}
	hours := float64(large.Duration) / 3.6e12
	orders := 0.0
	for _, tc := range large.Tenants {
		orders += tc.Arrival.RatePerHour * hours
	}
	if providers != 10_000 || orders < 950_000 || orders > 1_100_000 {
		t.Errorf("large: %d providers, %.0f expected orders; want 10,000 and about 1,000,000", providers, orders)
	}
	for _, name := range []string{"pricing-cost-plus", "pricing-undercut", "pricing-utilisation", "pricing-random-band"} {
		sc, err := Open(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range sc.Providers {
			if want := strings.TrimPrefix(name, "pricing-"); p.Pricing.Kind != want {
				t.Errorf("%s: providers %q use %q", name, p.Name, p.Pricing.Kind)
			}
		}
	}
	if sc, _ := Open("delivery-network"); sc == nil || sc.Tiers.DeliveryNetwork == nil {
		t.Error("delivery-network has no delivery_network tier")
	}
	if sc, _ := Open("ml-batch"); sc == nil || sc.Tiers.MLBatch == nil {
		t.Error("ml-batch has no ml_batch tier")
	}
	if sc, _ := Open("sealed-bids"); sc == nil || sc.Tenants[1].SealedShare != 1 {
		t.Error("sealed-bids has no sealed tenant class")
	}
}

func TestDefault(t *testing.T) {
	sc := Default()
	if sc.Name != DefaultName || sc.Duration <= 0 {
		t.Fatalf("Default() = %+v", sc)
	}
	other := Default()
	other.Providers[0].Count++
	if Default().Providers[0].Count == other.Providers[0].Count {
		t.Error("Default() returns a shared value; callers could change each other's scenario")
	}
}

func TestOpenUnknown(t *testing.T) {
	_, err := Open("nope")
	if !errors.Is(err, ErrUnknownScenario) || !strings.Contains(err.Error(), "baseline") {
		t.Fatalf("Open(nope) = %v; want ErrUnknownScenario listing the shipped ones", err)
	}
	sc, err := Open("churn.yaml", "duration=1h")
	if err != nil || sc.Duration.Sim() != 3600e9 {
		t.Fatalf("Open with .yaml and an override: %v %v", sc, err)
	}
}
