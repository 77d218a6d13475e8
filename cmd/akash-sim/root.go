package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"
)

// exitError carries a process exit code through cobra's error return, so that
// commands stay testable (no os.Exit inside them).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// Exit codes: 1 = the input was judged bad (an invalid manifest or
// scenario) or the work failed, 2 = the command was used wrongly (unknown
// command or flag, bad flag value, wrong number of arguments, missing
// file), 3 = akash-sim itself failed (a bug: a panic, reported with its
// stack). A crash is never 2, so a script can tell its own mistakes from
// ours.
const (
	exitInvalid  = 1
	exitUsage    = 2
	exitInternal = 3
)

func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if strings.HasPrefix(err.Error(), "unknown command") {
		return exitUsage
	}
	return exitInvalid
}

// usageErrors makes cobra's own complaints (unknown flag, bad flag value,
// wrong number of arguments) usage errors, exit 2, in every command.
func usageErrors(c *cobra.Command) {
	c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &exitError{exitUsage, err.Error()} })
	if args := c.Args; args != nil {
		c.Args = func(cmd *cobra.Command, a []string) error {
			if err := args(cmd, a); err != nil {
				return &exitError{exitUsage, err.Error()}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		usageErrors(sub)
	}
}

// moreCommands lets each command file register its constructor from an init
// function, so commands can be added without editing this file.
var moreCommands []func(*viper.Viper) *cobra.Command

// newRootCommand builds the command tree. Configuration comes, in rising
// priority, from defaults, a config file (--config), AKASH_SIM_* environment
// variables and flags, all through one viper instance per invocation so that
// tests can run commands side by side.
func newRootCommand() *cobra.Command {
	v := viper.New()
	v.SetEnvPrefix("AKASH_SIM")
	v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
	v.AutomaticEnv()

	root := &cobra.Command{
		Use:   "akash-sim",
		Short: "Simulate and inspect the Akash spot market for cloud compute",
		Long: `akash-sim runs the Akash market's rules (the same core the chain uses)
without a chain: it inspects manifests (Akash SDL 2.0/2.1) and, as they land,
runs deterministic market simulations, sweeps and matcher load tests.`,
		Example: `  # Simulate the embedded default market and write a report to out/default
  akash-sim run

  # Inspect the embedded example manifest (no files needed)
  akash-sim manifest inspect

  # Validate real manifests; exit code 1 if any is invalid
  akash-sim manifest validate deploy.yaml other.yaml`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := v.BindPFlags(cmd.Flags()); err != nil {
				return err
			}
			cfg := v.GetString("config")
			if err := checkSettings(cmd, cfg); err != nil {
				return err
			}
			if cfg != "" {
				v.SetConfigFile(cfg)
				if err := v.ReadInConfig(); err != nil {
					return &exitError{exitUsage, fmt.Sprintf("config %s: %v", cfg, err)}
				}
			}
			return nil
		},
	}
	root.PersistentFlags().String("config", "", "config file (YAML, TOML or JSON) whose keys match the long flag names")
	if err := v.BindPFlag("config", root.PersistentFlags().Lookup("config")); err != nil {
		panic(err)
	}
	root.AddCommand(newRunCommand(v), newScenarioCommand(v), newManifestCommand(v))
	for _, add := range moreCommands {
		root.AddCommand(add(v))
	}
	usageErrors(root)
	return root
}
