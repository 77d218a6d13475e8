package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/akash-market/akash/sim"
)

func init() { moreCommands = append(moreCommands, newExtensionsCommand) }

func newExtensionsCommand(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "extensions",
		Short: "List the pricing strategies, agents and metrics a scenario may name, with their keys and defaults",
		Long: `extensions lists every registered kind of each extension point: the pricing
strategies (providers[].pricing.strategy), provider agents (providers[].agent.kind),
tenant agents (tenants[].agent.kind) and metrics (metrics[].kind), each with the
keys it takes and their defaults as scenario text.

This binary knows the built-in kinds. Your own are registered from Go by your
own module (docs/simulator.md, Extensions; examples/custom-strategy), whose
command sees them as well.`,
		Example: `  # What can pricing.strategy be, and with which keys?
  akash-sim extensions

  # The same as JSON
  akash-sim extensions --output json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := outputFormat(v)
			if err != nil {
				return err
			}
			points := sim.Extensions()
			w := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(points)
			}
			for _, p := range points {
				fmt.Fprintf(w, "%s (%s)\n", p.What, p.Key)
				for _, k := range p.Kinds {
					fmt.Fprintf(w, "  %-14s %s\n  %-14s %s\n", k.Name, k.Doc, "", k.Defaults)
				}
			}
			return nil
		},
	}
	addOutputFlag(cmd)
	return cmd
}
