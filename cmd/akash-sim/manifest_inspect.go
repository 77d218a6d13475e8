package main

import (
	"encoding/hex"
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

// inspectView is `manifest inspect --output json`. Its "groups" key has the
// shape of Akash's reference tooling (the sdl-corpus expected.jsonl): numbers
// that can exceed 2^53 are decimal strings so no JSON reader loses precision.
type inspectView struct {
	File     string         `json:"file"`
	Version  string         `json:"version"`
	Groups   []groupView    `json:"groups"`
	Topology topologyView   `json:"topology"`
	Services []manifestSvcV `json:"services"`
}

type groupView struct {
	Name         string         `json:"name"`
	Services     []string       `json:"services"`
	Requirements []attrView     `json:"requirements"`
	MaxPrice     string         `json:"max_price"`
	Resources    []resourceView `json:"resources"`
	Exposes      []exposeView   `json:"exposes"`
}

type attrView struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type resourceView struct {
	Profile      string        `json:"profile"`
	Count        uint32        `json:"count"`
	CPUMillis    string        `json:"cpu_millis"`
	MemoryBytes  string        `json:"memory_bytes"`
	Storage      []storageView `json:"storage"`
	GPUUnits     string        `json:"gpu_units"`
	BandwidthBps string        `json:"bandwidth_bps"`
	PriceAmount  string        `json:"price_amount"`
	PriceDenom   string        `json:"price_denom"`
}

type storageView struct {
	Name  string `json:"name"`
	Bytes string `json:"bytes"`
}

type exposeView struct {
	Service      string   `json:"service"`
	Port         uint32   `json:"port"`
	ExternalPort uint32   `json:"external_port"`
	Proto        string   `json:"proto"`
	Global       bool     `json:"global"`
	ToService    string   `json:"to_service"`
	Hosts        []string `json:"hosts"`
	IP           string   `json:"ip"`
}

type connectionView struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Port  uint32 `json:"port"`
	Proto string `json:"proto"`
}

type topologyView struct {
	Allowed []connectionView `json:"allowed"`
	Global  []exposeView     `json:"global"`
}

type manifestSvcV struct {
	Name  string `json:"name"`
	Image string `json:"image"`
}

func u64(n uint64) string { return strconv.FormatUint(n, 10) }

func newInspectView(name string, m *manifest.Manifest) (inspectView, error) {
	ver := m.Version()
	view := inspectView{File: name, Version: hex.EncodeToString(ver[:]), Groups: []groupView{}}
	for _, g := range m.Groups() {
		max, err := g.MaxPrice()
		if err != nil {
			return inspectView{}, err
		}
		gv := groupView{Name: g.Name, Services: nonNil(g.Services), Requirements: []attrView{},
			MaxPrice: max.String(), Resources: []resourceView{}, Exposes: exposeViews(g.Exposes)}
		for _, a := range g.Requirements.Attributes {
			gv.Requirements = append(gv.Requirements, attrView{a.Key, a.Value})
		}
		for _, u := range g.Units {
			rv := resourceView{
				Profile: u.Profile, Count: u.Count,
				CPUMillis: u64(u.Resources.CPUMillis), MemoryBytes: u64(u.Resources.MemoryBytes),
				Storage: []storageView{}, GPUUnits: u64(u.Resources.GPU.Units),
				BandwidthBps: u64(u.Resources.BandwidthBps),
				PriceAmount:  u.Price.Amount.String(), PriceDenom: u.Price.Denom,
			}
			for _, s := range u.Resources.Storage {
				rv.Storage = append(rv.Storage, storageView{s.Name, u64(s.Bytes)})
			}
			gv.Resources = append(gv.Resources, rv)
		}
		view.Groups = append(view.Groups, gv)
	}
	topo := m.Topology()
	view.Topology = topologyView{Allowed: []connectionView{}, Global: exposeViews(topo.Global)}
	for _, c := range topo.Allowed {
		view.Topology.Allowed = append(view.Topology.Allowed, connectionView{c.From, c.To, c.Port, c.Proto})
	}
	for _, s := range m.Services() {
		view.Services = append(view.Services, manifestSvcV{Name: s.Name, Image: s.Image})
	}
	return view, nil
}

func exposeViews(in []manifest.Expose) []exposeView {
	out := []exposeView{}
	for _, e := range in {
		out = append(out, exposeView{e.Service, e.Port, e.ExternalPort, e.Proto, e.Global, e.ToService, nonNil(e.Hosts), e.IP})
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

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
			view, err := newInspectView(name, m)
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

func writeInspectText(w io.Writer, v inspectView) error {
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
