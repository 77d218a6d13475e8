package cli

import (
	"strings"
	"testing"
)

func TestManageGrantFromFlags(t *testing.T) {
	for _, tc := range []struct {
		name, spend, price string
		n                  uint32
		regions, actions   []string
		err                string
	}{
		{"ok", "50000000uakt", "1000uakt", 4, []string{"us-east"}, nil, ""},
		{"fractional price", "5uakt", "0.5uakt", 1, nil, []string{"deposit"}, ""},
		{"no spend", "", "1uakt", 1, nil, nil, "--spend-limit: missing"},
		{"two coins", "5uakt,3stake", "1uakt", 1, nil, nil, `--spend-limit "5uakt,3stake": want one positive amount`},
		{"zero price", "5uakt", "0uakt", 1, nil, nil, `--max-price "0uakt": want one positive price`},
		{"no count", "5uakt", "1uakt", 0, nil, nil, "--max-deployments: missing or 0"},
		{"bad action", "5uakt", "1uakt", 1, nil, []string{"destroy"}, `--actions: "destroy" is not an action; want some of create, close, deposit, update`},
		{"empty region", "5uakt", "1uakt", 1, []string{""}, nil, "--regions: an empty region"},
	} {
		a, err := ManageGrantFromFlags(tc.spend, tc.price, tc.n, tc.regions, tc.actions)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.err)):
			t.Errorf("%s: error %v; want it to start %q", tc.name, err, tc.err)
		case tc.err == "" && a.SpendLeft.String() != tc.spend:
			t.Errorf("%s: spend left %s, want %s", tc.name, a.SpendLeft, tc.spend)
		}
	}
}

func TestManageRunEnvFallback(t *testing.T) {
	t.Setenv("AKASH_POLICY", "ml-batch")
	t.Setenv("AKASH_GRANTER", "akash1env")
	t.Setenv("AKASH_NODE", "tcp://172.17.0.1:26657")
	cmd := manageRunCmd()
	if err := cmd.Flags().Parse([]string{"--granter", "akash1flag"}); err != nil {
		t.Fatal(err)
	}
	if err := envFallback(cmd, "policy", "config", "granter", "node", "chain-id"); err != nil {
		t.Fatal(err)
	}
	get := func(name string) string { v, _ := cmd.Flags().GetString(name); return v }
	if get("policy") != "ml-batch" || get("granter") != "akash1flag" || get("config") != "manage.yaml" || get("node") != "tcp://172.17.0.1:26657" || cmd.Flags().Changed("chain-id") {
		t.Fatalf("policy %q granter %q config %q node %q; want the env's policy and node, the flag's granter, the default config", get("policy"), get("granter"), get("config"), get("node"))
	}
}
