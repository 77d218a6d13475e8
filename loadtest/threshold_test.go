package loadtest

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseThreshold(t *testing.T) {
	for _, tc := range []struct {
		kind, in string
		ops      float64
		p99      time.Duration
		err      string
	}{
		{MinThroughput, "place=5e6", 5e6, 0, ""},
		{MinThroughput, "place=5M", 5e6, 0, ""},
		{MinThroughput, "close=500k", 5e5, 0, ""},
		{MinThroughput, "lease=2.5G", 2.5e9, 0, ""},
		{MinThroughput, " eligible = 1200 ", 1200, 0, ""},
		{MaxP99, "place=2us", 0, 2 * time.Microsecond, ""},
		{MaxP99, "place=2µs", 0, 2 * time.Microsecond, ""},
		{MaxP99, "close=1.5ms", 0, 1500 * time.Microsecond, ""},
		{MinThroughput, "place", 0, 0, "want PHASE=VALUE"},
		{MinThroughput, "=5M", 0, 0, "want PHASE=VALUE"},
		{MinThroughput, "bids=5M", 0, 0, `unknown phase "bids"`},
		{MinThroughput, "place=fast", 0, 0, "not a positive rate"},
		{MinThroughput, "place=-5", 0, 0, "not a positive rate"},
		{MinThroughput, "place=0", 0, 0, "not a positive rate"},
		{MaxP99, "place=2", 0, 0, "not a positive duration"},
		{MaxP99, "place=-1us", 0, 0, "not a positive duration"},
	} {
		th, err := ParseThreshold(tc.kind, tc.in)
		if tc.err != "" {
			if !errors.Is(err, ErrThreshold) || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s %q: error %v, want %q", tc.kind, tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || th.Ops != tc.ops || th.P99 != tc.p99 {
			t.Errorf("%s %q: got %+v, %v", tc.kind, tc.in, th, err)
		}
	}
}

func report(orders int, phases ...Phase) *Report {
	return &Report{Schema: Schema, Config: Config{Orders: orders}, Runs: []Run{{OpenOrders: orders, Phases: phases}}}
}

func phase(name string, ops float64, p99 int64) Phase {
	return Phase{Name: name, Ops: 100, OpsPerSec: ops, Latency: Latency{P99: p99}}
}

func TestCheck(t *testing.T) {
	r := report(1000, phase("place", 3.1e6, 2400), phase("close", 7e5, 1500))
	must := func(kind, s string) Threshold {
		th, err := ParseThreshold(kind, s)
		if err != nil {
			t.Fatal(err)
		}
		return th
	}
	for _, tc := range []struct {
		th   []Threshold
		want []string
	}{
		{[]Threshold{must(MinThroughput, "place=5M")}, []string{"place throughput 3.10M ops/s is below --min-throughput place=5M"}},
		{[]Threshold{must(MinThroughput, "place=3M")}, nil},
		{[]Threshold{must(MinThroughput, "place=3.1M")}, nil}, // equal passes
		{[]Threshold{must(MaxP99, "place=2us")}, []string{"place p99 2.4µs is above --max-p99 place=2us"}},
		{[]Threshold{must(MaxP99, "close=2us"), must(MaxP99, "place=3us")}, nil},
		{[]Threshold{must(MinThroughput, "close=1M"), must(MaxP99, "close=1us")}, []string{
			"close throughput 700k ops/s is below --min-throughput close=1M", "close p99 1.5µs is above --max-p99 close=1us"}},
	} {
		got, err := Check(r, tc.th)
		if err != nil {
			t.Fatal(err)
		}
		var msgs []string
		for _, b := range got {
			msgs = append(msgs, b.Message)
		}
		if strings.Join(msgs, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%v: got %q, want %q", tc.th, msgs, tc.want)
		}
	}
	if _, err := Check(r, []Threshold{must(MaxP99, "reveal=1ms")}); !errors.Is(err, ErrThreshold) {
		t.Errorf("a limit on a phase that did not run passed: %v", err)
	}
}

func TestCompare(t *testing.T) {
	base := report(1000, phase("place", 5e6, 1000), phase("close", 1e6, 2000))
	for _, tc := range []struct {
		name string
		cur  *Report
		pct  float64
		want []string // substrings, one per breach
	}{
		{"same", report(1000, phase("place", 5e6, 1000), phase("close", 1e6, 2000)), 10, nil},
		{"within margin", report(1000, phase("place", 4.6e6, 1090), phase("close", 0.91e6, 2190)), 10, nil},
		{"throughput drop", report(1000, phase("place", 4e6, 1000), phase("close", 1e6, 2000)), 10,
			[]string{"place throughput 4.00M ops/s is 20.0% below the baseline's 5.00M ops/s (--max-regression 10% allows 4.50M)"}},
		{"p99 rise", report(1000, phase("place", 5e6, 1000), phase("close", 1e6, 3000)), 10,
			[]string{"close p99 3µs is 50.0% above the baseline's 2µs (--max-regression 10% allows 2.2µs)"}},
		{"zero margin", report(1000, phase("place", 4.99e6, 1000), phase("close", 1e6, 2001)), 0,
			[]string{"place throughput", "close p99"}},
		{"better is fine", report(1000, phase("place", 9e6, 500), phase("close", 2e6, 100)), 0, nil},
		{"other scale is not compared", report(2000, phase("place", 1, 1e9)), 10, nil},
	} {
		got, notes := Compare(tc.cur, base, tc.pct)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d breaches %v, want %d", tc.name, len(got), got, len(tc.want))
			continue
		}
		for i, w := range tc.want {
			if !strings.Contains(got[i].Message, w) {
				t.Errorf("%s: %q lacks %q", tc.name, got[i].Message, w)
			}
		}
		if tc.name == "other scale is not compared" && !strings.Contains(strings.Join(notes, ";"), "no run at 2000") {
			t.Errorf("%s: notes %q do not say nothing was compared", tc.name, notes)
		}
	}
}
