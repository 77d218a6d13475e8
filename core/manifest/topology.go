package manifest

import (
	"sort"
	"strings"
)

// Topology is the connection policy a manifest implies: a service may open a
// connection to another service's port only when the exposing service lists
// it under "to"; the internet reaches only global exposes. Everything else is
// denied. The overlay turns Allowed into one mTLS tunnel per entry.
type Topology struct {
	Allowed []Connection // sorted by From, To, Port, Proto; no duplicates
	Global  []Expose     // sorted like Group.Exposes
}

// Connection lets From open connections to To:Port over Proto.
type Connection struct {
	From  string
	To    string
	Port  uint32
	Proto string
}

func connLess(a, b Connection) bool {
	switch {
	case a.From != b.From:
		return a.From < b.From
	case a.To != b.To:
		return a.To < b.To
	case a.Port != b.Port:
		return a.Port < b.Port
	}
	return a.Proto < b.Proto
}

// Allows reports whether from may connect to to:port/proto (proto is
// case-insensitive). It is a binary search: no allocation.
func (t Topology) Allows(from, to string, port uint32, proto string) bool {
	c := Connection{From: from, To: to, Port: port, Proto: strings.ToUpper(proto)}
	i := sort.Search(len(t.Allowed), func(i int) bool { return !connLess(t.Allowed[i], c) })
	return i < len(t.Allowed) && t.Allowed[i] == c
}

func buildTopology(services []Service) Topology {
	var t Topology
	for _, s := range services {
		for _, e := range exposesOf(s) {
			if e.Global {
				t.Global = append(t.Global, e)
			}
			if e.ToService != "" {
				t.Allowed = append(t.Allowed, Connection{From: e.ToService, To: s.Name, Port: e.Port, Proto: e.Proto})
			}
		}
	}
	sort.Slice(t.Allowed, func(i, j int) bool { return connLess(t.Allowed[i], t.Allowed[j]) })
	out := t.Allowed[:0]
	for i, c := range t.Allowed {
		if i == 0 || c != t.Allowed[i-1] {
			out = append(out, c)
		}
	}
	t.Allowed = out
	sortExposes(t.Global)
	return t
}
