package cli_test

import (
	"strings"
	"testing"

	"github.com/akash-market/akash/node/x/provider/client/cli"
	"github.com/akash-market/akash/node/x/provider/types"
)

func TestParseAttributes(t *testing.T) {
	got, err := cli.ParseAttributes([]string{"region=us-west", " tier = 1", "path=a=b"})
	if err != nil {
		t.Fatal(err)
	}
	want := []types.Attribute{{Key: "region", Value: "us-west"}, {Key: "tier", Value: "1"}, {Key: "path", Value: "a=b"}}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("attr %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, bad := range []string{"region", "=x", ""} {
		if _, err := cli.ParseAttributes([]string{bad}); err == nil || !strings.Contains(err.Error(), "want key=value") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
