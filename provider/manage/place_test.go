package manage_test

import (
	"strings"
	"testing"

	"github.com/akash-market/akash/provider/manage"
)

// TestPlaceIn: the placed manifest requires the region (added, or replacing
// the SDL's) and keeps the other attributes: the placement the provider
// compares with the order's.
func TestPlaceIn(t *testing.T) {
	withAttrs := strings.Replace(webSDL, "    dc:\n", "    dc:\n      attributes: {region: us-east, tier: \"2\"}\n", 1)
	for _, tc := range []struct {
		name, sdl string
		want      map[string]string
	}{
		{"no attributes", webSDL, map[string]string{"region": "eu-west"}},
		{"region replaced, tier kept", withAttrs, map[string]string{"region": "eu-west", "tier": "2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			west, err := manage.PlaceIn("web.yaml", []byte(tc.sdl), "eu-west")
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, a := range west.Groups()[0].Requirements.Attributes {
				got[a.Key] = a.Value
			}
			if len(got) != len(tc.want) {
				t.Fatalf("attributes %v, want %v", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Fatalf("attributes %v, want %v", got, tc.want)
				}
			}
		})
	}
	if _, err := manage.PlaceIn("web.yaml", []byte("version: \"2.0\"\n"), "us-east"); err == nil || !strings.Contains(err.Error(), "profiles.placement") {
		t.Fatalf("SDL without placements: %v", err)
	}
}
