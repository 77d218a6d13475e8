package cli

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/version"
)

// setVersion fills the SDK's version variables (printed by `version --long`
// and the node's /abci_info) from the build when -ldflags did not: the
// module version and the VCS commit Go records in every binary.
func setVersion() {
	if version.Name == "" {
		version.Name = "akash"
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return
	}
	if version.Version == "" {
		version.Version = bi.Main.Version // "(devel)" for a build from a checkout
	}
	if version.Commit == "" {
		rev, modified := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if rev != "" && modified {
			rev += "-modified"
		}
		version.Commit = rev
	}
	if version.BuildTags == "" {
		version.BuildTags = fmt.Sprintf("go=%s", bi.GoVersion)
	}
}

// versionLine is what `akash-node version` prints: name, version, commit.
func versionLine() string {
	commit := version.Commit
	if commit == "" {
		commit = "unknown (built without VCS information)"
	}
	return fmt.Sprintf("%s %s commit %s", version.AppName, version.Version, commit)
}

// fixVersionCmd makes the short form of `version` name the binary and its
// commit, not only a version string that is empty for builds without
// -ldflags; --long keeps the SDK's full report.
func fixVersionCmd(root *cobra.Command) {
	for _, c := range root.Commands() {
		if c.Name() != "version" {
			continue
		}
		long := c.RunE
		c.Short = "Print the binary's name, version and commit (--long: dependencies too)"
		c.Example = "  akash-node version\n  akash-node version --long -o json"
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if l, _ := cmd.Flags().GetBool("long"); l {
				return long(cmd, args)
			}
			fmt.Fprintln(cmd.OutOrStdout(), versionLine())
			return nil
		}
	}
}
