package main

import (
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/akash-market/akash/core/manifest"
)

//go:embed example.yaml
var exampleManifest []byte

// exampleName is how the embedded example is named in output and errors.
const exampleName = "<embedded example>"

func newManifestCommand(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "manifest",
		Short: "Validate, inspect and hash Akash SDL manifests",
		Long: `A manifest (Akash SDL, versions "2.0" and "2.1") describes services, their
compute profiles, placements and prices. Each placement compiles to a group,
and each group becomes one order on the market. The manifest's version hash
is what the chain records; providers check the manifest they receive against it.`,
		Example: `  akash-sim manifest inspect                 # the embedded example
  akash-sim manifest inspect deploy.yaml --output json
  akash-sim manifest validate *.yaml
  akash-sim manifest hash deploy.yaml
  akash-sim manifest example > deploy.yaml   # start from the example`,
	}
	cmd.AddCommand(newManifestValidateCommand(v), newManifestInspectCommand(v),
		newManifestHashCommand(v), newManifestExampleCommand())
	return cmd
}

func addOutputFlag(cmd *cobra.Command) {
	cmd.Flags().StringP("output", "o", "text", "output format: text or json")
}

func outputFormat(v *viper.Viper) (string, error) {
	switch f := v.GetString("output"); f {
	case "text", "json":
		return f, nil
	default:
		return "", &exitError{exitUsage, fmt.Sprintf("--output %q: want text or json", f)}
	}
}

// readManifestArg reads a manifest named on the command line: a path, "-" for
// standard input, or nothing for the embedded example.
func readManifestArg(cmd *cobra.Command, args []string) (name string, data []byte, err error) {
	if len(args) == 0 {
		return exampleName, exampleManifest, nil
	}
	name = args[0]
	if name == "-" {
		data, err = io.ReadAll(cmd.InOrStdin())
		return "<stdin>", data, err
	}
	data, err = os.ReadFile(name)
	if err != nil {
		return name, nil, &exitError{exitUsage, fmt.Sprintf("read manifest: %v", err)}
	}
	return name, data, nil
}

// parseManifestArg reads the output format and the manifest named by args
// (see readManifestArg) and parses it; a bad manifest is exit code 1.
func parseManifestArg(cmd *cobra.Command, v *viper.Viper, args []string) (format, name string, m *manifest.Manifest, err error) {
	if format, err = outputFormat(v); err != nil {
		return "", "", nil, err
	}
	name, data, err := readManifestArg(cmd, args)
	if err != nil {
		return "", "", nil, err
	}
	if m, err = manifest.Parse(name, data); err != nil {
		return "", "", nil, invalid(name, err)
	}
	return format, name, m, nil
}

// invalid turns a parse failure into exit code 1 with every problem listed.
func invalid(name string, err error) error {
	return &exitError{exitInvalid, fmt.Sprintf("%s is not a valid manifest:\n%v", name, err)}
}

func newManifestValidateCommand(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check manifests and report every problem with file:line:column",
		Long: `validate parses each file and reports all problems at once, each as
file:line:column: key.path: what is wrong; what would be right.
It exits 0 when every file is valid, 1 when any is not, 2 on a usage error.`,
		Example: `  akash-sim manifest validate deploy.yaml
  akash-sim manifest validate --output json ../shared/sdl-corpus/*.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := outputFormat(v)
			if err != nil {
				return err
			}
			type result struct {
				File    string                 `json:"file"`
				OK      bool                   `json:"ok"`
				Version string                 `json:"version,omitempty"`
				Errors  []*manifest.FieldError `json:"errors,omitempty"`
				Message string                 `json:"message,omitempty"`
			}
			var results []result
			bad := 0
			for _, name := range args {
				_, data, err := readManifestArg(cmd, []string{name})
				if err != nil {
					results = append(results, result{File: name, Message: err.Error()})
					bad++
					continue
				}
				m, err := manifest.Parse(name, data)
				if err != nil {
					bad++
					r := result{File: name, Message: err.Error()}
					var list manifest.ErrorList
					if errors.As(err, &list) {
						r.Errors = list
					}
					results = append(results, r)
					continue
				}
				ver := m.Version()
				results = append(results, result{File: name, OK: true, Version: hex.EncodeToString(ver[:])})
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(results); err != nil {
					return err
				}
			} else {
				for _, r := range results {
					if r.OK {
						fmt.Fprintf(out, "%s: ok (version %s)\n", r.File, r.Version)
					} else {
						fmt.Fprintf(cmd.ErrOrStderr(), "%s\n", r.Message)
					}
				}
			}
			if bad > 0 {
				return &exitError{exitInvalid, fmt.Sprintf("%d of %d manifests invalid", bad, len(args))}
			}
			return nil
		},
	}
	addOutputFlag(cmd)
	return cmd
}

func newManifestHashCommand(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "hash [FILE]",
		Short: "Print a manifest's version hash (Akash's manifest version)",
		Long: `hash prints the version the chain records for a manifest, computed as Akash
computes it: the sha256 of the manifest a provider receives (the groups of
services it runs, without prices or placement requirements) encoded as JSON
with object keys sorted (see docs/manifest.md). The same SDL file gives the
same version here and on Akash. Key order, comments, quoting and equivalent
units (1Gi = 1024Mi) do not change it; anything a provider runs does.
Without FILE it hashes the embedded example; "-" reads standard input.`,
		Example: `  akash-sim manifest hash deploy.yaml
  cat deploy.yaml | akash-sim manifest hash -
  akash-sim manifest hash deploy.yaml --hashed      # also print the JSON that is hashed
  akash-sim manifest hash deploy.yaml --canonical   # also print the canonical form`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, name, m, err := parseManifestArg(cmd, v, args)
			if err != nil {
				return err
			}
			ver := m.Version()
			out := cmd.OutOrStdout()
			if format == "json" {
				return json.NewEncoder(out).Encode(map[string]string{"file": name, "version": hex.EncodeToString(ver[:])})
			}
			fmt.Fprintln(out, hex.EncodeToString(ver[:]))
			if v.GetBool("hashed") {
				fmt.Fprintf(out, "%s\n", m.AkashManifest())
			}
			if v.GetBool("canonical") {
				fmt.Fprintf(out, "%s\n", m.Canonical())
			}
			return nil
		},
	}
	addOutputFlag(cmd)
	cmd.Flags().Bool("hashed", false, "also print the manifest JSON that is hashed (Akash's provider manifest, keys sorted)")
	cmd.Flags().Bool("canonical", false, "also print the canonical form (the manifest as sent to providers)")
	return cmd
}

func newManifestExampleCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "example",
		Short:   "Print the embedded example manifest",
		Example: `  akash-sim manifest example > deploy.yaml`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := cmd.OutOrStdout().Write(exampleManifest)
			return err
		},
	}
}
