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

// addExamples walks the tree once and sets Example where it is still empty.
func addExamples(root *cobra.Command) {
	var walk func(c *cobra.Command, path string)
	walk = func(c *cobra.Command, path string) {
		if ex, ok := examples[path]; ok && c.Example == "" {
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
