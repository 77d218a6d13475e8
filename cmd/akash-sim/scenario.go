package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/akash-market/akash/scenarios"
)

func newScenarioCommand(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scenario",
		Short: "Write, list, show and check simulation scenarios",
		Long: `A scenario is a YAML file: the market's parameters, regions, tenant classes
(demand) and provider classes (supply), and optionally the whitepaper's
self-managing deployments. docs/scenarios.md lists every key, its unit and
default. Keys left out take their defaults.`,
		Example: `  akash-sim scenario init my-market.yaml    # a commented template with every key
  akash-sim scenario list                   # the shipped scenarios
  akash-sim scenario show churn > churn.yaml
  akash-sim scenario validate my-market.yaml`,
	}
	cmd.AddCommand(
		&cobra.Command{
			Use:   "init FILE",
			Short: "Write a commented template listing every key with its unit and default",
			Example: `  akash-sim scenario init my-market.yaml
  akash-sim run my-market.yaml`,
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				f, err := os.OpenFile(args[0], os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
				if err != nil {
					return &exitError{exitUsage, fmt.Sprintf("scenario init: %v (it never overwrites a file)", err)}
				}
				if _, err := f.Write(scenarios.Template()); err != nil {
					f.Close()
					return err
				}
				if err := f.Close(); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "wrote %s; edit it, then: akash-sim run %s\n", args[0], args[0])
				return nil
			},
		},
		&cobra.Command{
			Use:     "list",
			Short:   "List the shipped scenarios",
			Example: `  akash-sim scenario list`,
			Args:    cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				for _, name := range scenarios.Shipped() {
					sc, err := scenarios.Open(name)
					if err != nil {
						return err
					}
					fmt.Fprintf(cmd.OutOrStdout(), "%-22s %s\n", name, firstLine(sc.Description))
				}
				return nil
			},
		},
		&cobra.Command{
			Use:     "show NAME",
			Short:   "Print a shipped scenario's file",
			Example: `  akash-sim scenario show baseline > baseline.yaml`,
			Args:    cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				src, err := scenarios.Source(args[0])
				if err != nil {
					return &exitError{exitUsage, err.Error()}
				}
				_, err = cmd.OutOrStdout().Write(src)
				return err
			},
		},
		&cobra.Command{
			Use:   "validate SCENARIO...",
			Short: "Check scenarios as run would; every problem with file:line:column and what is allowed",
			Long: `validate applies exactly the checks 'akash-sim run' applies before it
starts: the file (or shipped scenario) with its --set overrides, every key,
the trace files it names, that every demand shape can be served by some
provider class, and that the run fits in this machine's memory.`,
			Example: `  akash-sim scenario validate my-market.yaml
  akash-sim scenario validate large churn     # shipped scenarios, by name
  akash-sim scenario validate my-market.yaml --set market.take_rate_bps=20000`,
			Args: cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				bad := 0
				for _, file := range args {
					sc, _, err := loadScenario([]string{file}, v.GetStringSlice("set"), cmd.ErrOrStderr())
					if err == nil {
						err = fitsInMemory(sc)
					}
					if err != nil {
						bad++
						fmt.Fprintln(cmd.ErrOrStderr(), err)
						continue
					}
					fmt.Fprintf(cmd.OutOrStdout(), "%s: ok\n", file)
				}
				if bad > 0 {
					return &exitError{exitInvalid, fmt.Sprintf("%d of %d scenarios invalid", bad, len(args))}
				}
				return nil
			},
		},
	)
	cmd.PersistentFlags().StringArray("set", nil, "override a key before validating, e.g. --set market.take_rate_bps=500")
	return cmd
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}
