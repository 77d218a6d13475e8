package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"text/tabwriter"
	"time"

	"github.com/akash-market/akash/overlay/tunnel"
	"github.com/spf13/cobra"
)

func newStatusCommand() *cobra.Command {
	var addr string
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "status",
		Short:   "List the tunnels of a running akash-tunnel: state, bytes, errors",
		Example: "  akash-tunnel status --http 127.0.0.1:9100\n  akash-tunnel status --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c := http.Client{Timeout: 3 * time.Second}
			resp, err := c.Get("http://" + addr + "/tunnels")
			if err != nil {
				return fmt.Errorf("no akash-tunnel answers at %s (is its config's http set to it?): %w", addr, err)
			}
			defer resp.Body.Close()
			var stats []tunnel.Stats
			if err := json.NewDecoder(resp.Body).Decode(&stats); err != nil {
				return fmt.Errorf("%s/tunnels: %w", addr, err)
			}
			if asJSON {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(stats)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 8, 2, ' ', 0)
			fmt.Fprintln(tw, "LINK\tROLE\tPEER\tLOCAL\tSTATE\tBYTES OUT\tBYTES IN\tSTREAMS\tERRORS\tREFUSED\tLAST ERROR")
			for _, s := range stats {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\n", s.Link, s.Role, s.Peer, s.Local, s.State,
					s.BytesOut, s.BytesIn, s.Streams, s.Errors, s.Refused, s.LastError)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&addr, "http", "127.0.0.1:9100", "the http address of the akash-tunnel process")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the stats as JSON")
	return cmd
}
