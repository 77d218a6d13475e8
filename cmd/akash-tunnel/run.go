package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/akash-market/akash/overlay/tunneld"
	"github.com/spf13/cobra"
)

const configEnv = "AKASH_TUNNEL_CONFIG"

func newRunCommand() *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Open the tunnel endpoint and this provider's tunnels, serve /metrics and /tunnels",
		Example: `  akash-tunnel run --config tunnel.json
  AKASH_TUNNEL_CONFIG="$(cat tunnel.json)" akash-tunnel run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var data []byte
			switch {
			case file != "":
				b, err := os.ReadFile(file)
				if err != nil {
					return fmt.Errorf("--config: %w", err)
				}
				data = b
			case os.Getenv(configEnv) != "":
				data = []byte(os.Getenv(configEnv))
			default:
				return fmt.Errorf("no configuration: pass --config FILE or set %s to the JSON", configEnv)
			}
			cfg, err := tunneld.ParseConfig(data)
			if err != nil {
				return err
			}
			p, err := tunneld.Start(cfg)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "akash-tunnel: provider %s, endpoint %s, %d client tunnels, http %s\n",
				cfg.Self, p.Endpoint.Addr(), len(p.Set.Tunnels()), p.HTTPAddr())
			for _, t := range p.Set.Tunnels() {
				fmt.Fprintf(cmd.OutOrStdout(), "akash-tunnel: %s listening on %s\n", t.Link(), t.Addr())
			}
			sig := make(chan os.Signal, 1)
			signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
			<-sig
			return p.Close()
		},
	}
	cmd.Flags().StringVar(&file, "config", "", "JSON config file (default: $"+configEnv+")")
	return cmd
}
