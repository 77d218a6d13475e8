// Command akash-tunnel runs one provider's share of a deployment's overlay as
// a standalone process (package overlay/tunneld), and carries the small
// workload tools the overlay's container tests use (echo, pump, probe). The
// provider daemon runs the same tunnels in-process.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	if err := newRootCommand().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "akash-tunnel",
		Short: "Run a provider's mTLS tunnels for one deployment, and test workloads for them",
		Long: `akash-tunnel carries the connections a deployment's manifest allows between
services placed at different providers, each over mutual TLS with certificates
issued under the providers' on-chain roots. Nothing else gets a listener.`,
		Example: `  # Run provider A's tunnels from a JSON config (see docs/overlay.md)
  akash-tunnel run --config tunnel.json

  # Same, config in an environment variable (containers)
  AKASH_TUNNEL_CONFIG="$(cat tunnel.json)" akash-tunnel run

  # Show the tunnels of a running process
  akash-tunnel status --http 127.0.0.1:9100`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newRunCommand(), newStatusCommand(), newEchoCommand(), newPumpCommand(), newProbeCommand())
	return root
}
