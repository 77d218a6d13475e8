package manifest

import (
	"encoding/hex"
	"strconv"
)

// View is a manifest as `akash-sim manifest inspect` shows it (its
// --output json is this struct). Its "groups" key has the
// shape of Akash's reference tooling (the sdl-corpus expected.jsonl): numbers
// that can exceed 2^53 are decimal strings so no JSON reader loses precision.
type View struct {
	File     string        `json:"file"`
	Version  string        `json:"version"`
	Groups   []GroupView   `json:"groups"`
	Topology TopologyView  `json:"topology"`
	Services []ServiceView `json:"services"`
}

// GroupView is one group: its services, requirements, price ceiling and resources.
type GroupView struct {
	Name         string         `json:"name"`
	Services     []string       `json:"services"`
	Requirements []AttrView     `json:"requirements"`
	MaxPrice     string         `json:"max_price"`
	Resources    []ResourceView `json:"resources"`
	Exposes      []ExposeView   `json:"exposes"`
}

// AttrView is one placement requirement.
type AttrView struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// ResourceView is one resource unit; numbers that can exceed 2^53 are decimal strings.
type ResourceView struct {
	Profile      string        `json:"profile"`
	Count        uint32        `json:"count"`
	CPUMillis    string        `json:"cpu_millis"`
	MemoryBytes  string        `json:"memory_bytes"`
	Storage      []StorageView `json:"storage"`
	GPUUnits     string        `json:"gpu_units"`
	BandwidthBps string        `json:"bandwidth_bps"`
	PriceAmount  string        `json:"price_amount"`
	PriceDenom   string        `json:"price_denom"`
}

// StorageView is one storage volume of a resource unit.
type StorageView struct {
	Name  string `json:"name"`
	Bytes string `json:"bytes"`
}

// ExposeView is one exposed port.
type ExposeView struct {
	Service      string   `json:"service"`
	Port         uint32   `json:"port"`
	ExternalPort uint32   `json:"external_port"`
	Proto        string   `json:"proto"`
	Global       bool     `json:"global"`
	ToService    string   `json:"to_service"`
	Hosts        []string `json:"hosts"`
	IP           string   `json:"ip"`
}

// ConnectionView is one allowed connection between services.
type ConnectionView struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Port  uint32 `json:"port"`
	Proto string `json:"proto"`
}

// TopologyView is what may connect to what: everything not listed is denied.
type TopologyView struct {
	Allowed []ConnectionView `json:"allowed"`
	Global  []ExposeView     `json:"global"`
}

// ServiceView is one service and its image.
type ServiceView struct {
	Name  string `json:"name"`
	Image string `json:"image"`
}

func u64(n uint64) string { return strconv.FormatUint(n, 10) }

// NewView is m's view, named file: its groups, topology and services.
func NewView(name string, m *Manifest) (View, error) {
	ver := m.Version()
	view := View{File: name, Version: hex.EncodeToString(ver[:]), Groups: []GroupView{}}
	for _, g := range m.Groups() {
		max, err := g.MaxPrice()
		if err != nil {
			return View{}, err
		}
		gv := GroupView{Name: g.Name, Services: nonNil(g.Services), Requirements: []AttrView{},
			MaxPrice: max.String(), Resources: []ResourceView{}, Exposes: exposeViews(g.Exposes)}
		for _, a := range g.Requirements.Attributes {
			gv.Requirements = append(gv.Requirements, AttrView{a.Key, a.Value})
		}
		for _, u := range g.Units {
			rv := ResourceView{
				Profile: u.Profile, Count: u.Count,
				CPUMillis: u64(u.Resources.CPUMillis), MemoryBytes: u64(u.Resources.MemoryBytes),
				Storage: []StorageView{}, GPUUnits: u64(u.Resources.GPU.Units),
				BandwidthBps: u64(u.Resources.BandwidthBps),
				PriceAmount:  u.Price.Amount.String(), PriceDenom: u.Price.Denom,
			}
			for _, s := range u.Resources.Storage {
				rv.Storage = append(rv.Storage, StorageView{s.Name, u64(s.Bytes)})
			}
			gv.Resources = append(gv.Resources, rv)
		}
		view.Groups = append(view.Groups, gv)
	}
	topo := m.Topology()
	view.Topology = TopologyView{Allowed: []ConnectionView{}, Global: exposeViews(topo.Global)}
	for _, c := range topo.Allowed {
		view.Topology.Allowed = append(view.Topology.Allowed, ConnectionView{c.From, c.To, c.Port, c.Proto})
	}
	for _, s := range m.Services() {
		view.Services = append(view.Services, ServiceView{Name: s.Name, Image: s.Image})
	}
	return view, nil
}

func exposeViews(in []Expose) []ExposeView {
	out := []ExposeView{}
	for _, e := range in {
		out = append(out, ExposeView{e.Service, e.Port, e.ExternalPort, e.Proto, e.Global, e.ToService, nonNil(e.Hosts), e.IP})
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
