package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/akash-market/akash/core/manifest"
)

func newManifestInspectCommand(v *viper.Viper) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "inspect [FILE]",
		Short: "Show what a manifest compiles to: groups, resources, prices, version, topology",
		Long: `inspect shows the orders a manifest would put on the market: one group per
placement with its resource units (cpu millis, memory and storage bytes, gpus,
count, price per block), the placement's required attributes, the version hash
and the connection topology (who may connect to whom; everything else is denied).
Without FILE it inspects the embedded example; "-" reads standard input.
It exits 1 when the manifest is invalid.`,
		Example: `  akash-sim manifest inspect
  akash-sim manifest inspect deploy.yaml
  akash-sim manifest inspect deploy.yaml --output json | jq '.groups[].resources'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, name, m, err := parseManifestArg(cmd, v, args)
			if err != nil {
				return err
			}
			view, err := manifest.NewView(name, m)
			if err != nil {
				return invalid(name, err)
			}
			if format == "json" {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(view)
			}
			return writeInspectText(cmd.OutOrStdout(), view)
		},
	}
	addOutputFlag(cmd)
	return cmd
}

func writeInspectText(w io.Writer, v manifest.View) error {
	fmt.Fprintf(w, "Manifest  %s\nVersion   %s\n", v.File, v.Version)
	for _, g := range v.Groups {
		reqs := make([]string, 0, len(g.Requirements))
		for _, a := range g.Requirements {
			reqs = append(reqs, a.Key+"="+a.Value)
		}
		fmt.Fprintf(w, "\nGroup %s  (services: %s; requires: %s; max price %s/block)\n",
			g.Name, strings.Join(g.Services, ", "), orNone(strings.Join(reqs, ", ")), g.MaxPrice)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  PROFILE\tCOUNT\tCPU\tMEMORY\tSTORAGE\tGPU\tPRICE/BLOCK (each)")
		for _, r := range g.Resources {
			vols := make([]string, 0, len(r.Storage))
			for _, s := range r.Storage {
				vols = append(vols, s.Name+"="+humanBytes(s.Bytes))
			}
			fmt.Fprintf(tw, "  %s\t%d\t%sm\t%s\t%s\t%s\t%s%s\n", r.Profile, r.Count, r.CPUMillis,
				humanBytes(r.MemoryBytes), strings.Join(vols, ","), r.GPUUnits, trimDec(r.PriceAmount), r.PriceDenom)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintln(w, "\nTopology (everything not listed is denied)")
	for _, e := range v.Topology.Global {
		as := e.ExternalPort
		if as == 0 {
			as = e.Port
		}
		fmt.Fprintf(w, "  internet -> %s:%d/%s (public port %d)\n", e.Service, e.Port, e.Proto, as)
	}
	for _, c := range v.Topology.Allowed {
		fmt.Fprintf(w, "  %s -> %s:%d/%s\n", c.From, c.To, c.Port, c.Proto)
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "nothing"
	}
	return s
}

// trimDec drops trailing fractional zeros: "100.000000000000000000" -> "100".
func trimDec(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// humanBytes writes a byte count in the largest binary unit that divides it
// exactly ("1Gi", "1536Mi"), so no precision is hidden from the reader.
func humanBytes(dec string) string {
	n, err := strconv.ParseUint(dec, 10, 64)
	if err != nil || n == 0 {
		return dec
	}
	units := []string{"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"}
	i := 0
	for i < len(units)-1 && n%1024 == 0 {
		n /= 1024
		i++
	}
	return strconv.FormatUint(n, 10) + units[i]
}
