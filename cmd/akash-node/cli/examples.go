package cli

import "github.com/spf13/cobra"

// examples fills the cobra Example of SDK-provided commands that ship without
// one, keyed by their path under the root. Commands we write set their own.
var examples = map[string]string{
	"init":                        "  akash-node init my-node --chain-id akash-local --default-denom uakt --home ~/.akash",
	"start":                       "  akash-node start --home ~/.akash --api.enable --grpc.address 127.0.0.1:9090",
	"status":                      "  akash-node status --node tcp://127.0.0.1:26657",
	"keys":                        "  akash-node keys add alice --keyring-backend test\n  akash-node keys list --keyring-backend test --output json",
	"genesis":                     "  akash-node genesis add-genesis-account alice 1000000000uakt --keyring-backend test",
	"genesis add-genesis-account": "  akash-node genesis add-genesis-account alice 1000000000uakt --keyring-backend test --home ~/.akash",
	"genesis gentx":               "  akash-node genesis gentx alice 100000000uakt --chain-id akash-local --keyring-backend test --home ~/.akash",
	"genesis collect-gentxs":      "  akash-node genesis collect-gentxs --home ~/.akash",
	"genesis validate":            "  akash-node genesis validate --home ~/.akash",
	"export":                      "  akash-node export --home ~/.akash > genesis-export.json",
}

// exampleFixes replace SDK examples that do not run as written against this
// tree (wrong command name, unknown flag, wrong arg count, placeholders a
// flag parser rejects); TestExamplesParse found each of them.
var exampleFixes = map[string]string{
	"genesis bulk-add-genesis-account": `  akash-node genesis bulk-add-genesis-account accounts.json --home ~/.akash
  # accounts.json: [{"address": "akash1...", "coins": [{"denom": "uakt", "amount": "100000000"}]}]
  # optional per account: "vesting_amt", "vesting_start", "vesting_end" (unix seconds)`,
	"prune": "  akash-node prune custom --pruning-keep-recent 100 --app-db-backend goleveldb --home ~/.akash",
	"query distribution rewards-by-validator":        "  akash-node query distribution rewards-by-validator akash1... akashvaloper1...",
	"query distribution validator-distribution-info": "  akash-node query distribution validator-distribution-info akashvaloper1...",
	"query evidence list":                            "  akash-node query evidence list --page-offset 50 --page-limit 50",
	"query gov proposals": `  akash-node query gov proposals --proposal-status voting-period
  akash-node query gov proposals --depositor akash1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5jepelx
  akash-node query gov proposals --voter akash1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5jepelx`,
	"tx consensus update-params-proposal": `  akash-node tx consensus update-params-proposal \
    '{"max_bytes":"22020096","max_gas":"-1"}' \
    '{"max_age_num_blocks":"100000","max_age_duration":"172800s","max_bytes":"1048576"}' \
    '{"pub_key_types":["ed25519"]}' '{}' --from alice --deposit 10000000uakt`,
}

// addExamples walks the tree once and sets Example where it is still empty,
// or replaces one listed in exampleFixes.
func addExamples(root *cobra.Command) {
	var walk func(c *cobra.Command, path string)
	walk = func(c *cobra.Command, path string) {
		if ex, ok := examples[path]; ok && c.Example == "" {
			c.Example = ex
		}
		if ex, ok := exampleFixes[path]; ok {
			c.Example = ex
		}
		for _, sub := range c.Commands() {
			p := sub.Name()
			if path != "" {
				p = path + " " + sub.Name()
			}
			walk(sub, p)
		}
	}
	walk(root, "")
}
