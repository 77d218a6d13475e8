package devnet

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
)

// PrintInfo writes how to reach the devnet: endpoints per validator, chain
// id, keyring, funded keys and example commands for each key. bin is how the
// user invokes akash-node (for the examples).
func PrintInfo(w io.Writer, m *Manifest, bin string) {
	fmt.Fprintf(w, "akash devnet %q is up: %d validator(s), block time %s\n", m.ChainID, len(m.Validators), m.BlockTime)
	fmt.Fprintf(w, "  home     %s\n", m.Home)
	fmt.Fprintf(w, "  keyring  %s (backend test; mnemonics in %s)\n", filepath.Join(m.Home, "keyring-test"), filepath.Join(m.Home, "keys"))
	fmt.Fprintf(w, "  client   %s (chain-id, node and keyring for every command run with --home %s)\n\n",
		filepath.Join(m.Home, "config", "client.toml"), m.Home)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  validator\tRPC\tREST\tgRPC\tP2P\tmetrics\tlog")
	for i, v := range m.Validators {
		h := m.Host
		fmt.Fprintf(tw, "  %s\thttp://%s:%d\thttp://%s:%d\t%s:%d\t%s:%d\thttp://%s:%d/metrics\t%s\n",
			v.Name, h, v.Ports.RPC, h, v.Ports.REST, h, v.Ports.GRPC, h, v.Ports.P2P, h, v.Ports.Prometheus, LogPath(m, i))
	}
	tw.Flush()

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  key\taddress\tfunded with")
	for _, v := range m.Validators {
		fmt.Fprintf(tw, "  %s\t%s\t%s (validator operator)\n", v.Name, v.Operator, m.Fund)
	}
	for _, k := range m.Keys {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", k.Name, k.Address, m.Fund)
	}
	tw.Flush()

	cli := fmt.Sprintf("%s --home %s", bin, m.Home)
	fmt.Fprintf(w, "\nTry:\n  %s status\n", cli)
	for i, k := range m.Keys {
		to := m.Validators[0].Operator
		if len(m.Keys) > 1 {
			to = m.Keys[(i+1)%len(m.Keys)].Address
		}
		fmt.Fprintf(w, "  %s query bank balances %s\n", cli, k.Address)
		fmt.Fprintf(w, "  %s tx bank send %s %s 1000uakt --fees 5000uakt --yes\n", cli, k.Name, to)
	}
	fmt.Fprintf(w, "  %s devnet load --txs 5000 --kind send     # measure committed tx/s\n", cli)
	fmt.Fprintf(w, "\nCtrl-C (SIGINT) or SIGTERM stops every validator; the same command restarts from the saved state; --reset starts over.\n")
}

// Summary is a one-line description of an existing devnet, for "restarting ..." messages.
func Summary(m *Manifest) string {
	var keys []string
	for _, k := range m.Keys {
		keys = append(keys, k.Name)
	}
	return fmt.Sprintf("chain %s, %d validator(s), keys %s, created %s",
		m.ChainID, len(m.Validators), strings.Join(keys, ","), m.Created.Format("2006-01-02 15:04:05Z"))
}
