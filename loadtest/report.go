package loadtest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/akash-market/akash/internal/atomicfile"
)

// Schema names the JSON document's layout; it changes only when a field
// changes meaning or goes away (new fields may be added within a version).
const Schema = "akash-sim/loadtest/v1"

// Report is a load test's result and its JSON document (docs/loadtest.md).
type Report struct {
	Schema  string  `json:"schema"`
	Config  Config  `json:"config"`
	Machine Machine `json:"machine"`
	// Runs holds one entry for a plain run and one per open-order count in
	// a scaling run, in the order they ran.
	Runs []Run `json:"runs"`
}

// Run is the load at one scale.
type Run struct {
	OpenOrders int     `json:"open_orders"`
	Rounds     int     `json:"rounds"` // measured rounds (warm-up rounds excluded)
	Phases     []Phase `json:"phases"` // in run order; reveal only when some orders are sealed
	Counts     Counts  `json:"counts"`
	// Book is the order book's own memory with every bid of a round
	// resting (after the place phase): market.OrderBook.Memory.
	Book BookMemory `json:"book"`
	// Digest fingerprints the outcomes (each order's winner and price, and
	// the counts): equal for equal configs on every machine.
	Digest string `json:"outcome_digest"`
}

// BookMemory is the heap the order book's arrays hold (slots, bid entries,
// commitments, order table, close queue, fill index, verdict table; not the
// strings orders share with the caller) and per resting bid.
type BookMemory struct {
	Bytes       int64   `json:"bytes"`
	RestingBids int64   `json:"resting_bids"`
	BytesPerBid float64 `json:"bytes_per_bid"`
}

// Counts are what the book decided over the measured rounds.
type Counts struct {
	Bids       int64 `json:"bids"`      // placements and commitments
	Accepted   int64 `json:"accepted"`  // eligible at placement (or commitment)
	Rejected   int64 `json:"rejected"`  // ineligible at placement (or commitment)
	Eligible   int64 `json:"eligible"`  // Eligible() == true in the eligibility phase
	Revealed   int64 `json:"revealed"`  // reveals accepted with an eligible price
	Matched    int64 `json:"matched"`   // orders closed with a winner
	Unmatched  int64 `json:"unmatched"` // orders closed without one
	LeasesOpen int64 `json:"leases"`    // leases opened
}

// Phase is one measured step.
type Phase struct {
	Name           string  `json:"name"`
	Ops            int64   `json:"ops"`
	Seconds        float64 `json:"seconds"`
	OpsPerSec      float64 `json:"ops_per_sec"`
	NsPerOp        float64 `json:"ns_per_op"`
	Latency        Latency `json:"latency_ns"`
	Batch          int     `json:"batch"` // ops per timestamp pair: latencies are batch means
	AllocsPerOp    float64 `json:"allocs_per_op"`
	BytesPerOp     float64 `json:"bytes_per_op"`
	HeapInuseBytes uint64  `json:"heap_inuse_bytes"` // runtime HeapInuse after the phase (largest over rounds)
}

// Latency percentiles of per-op time in nanoseconds (batch means, see the
// package doc).
type Latency struct {
	P50  int64   `json:"p50"`
	P99  int64   `json:"p99"`
	P999 int64   `json:"p99_9"`
	Max  int64   `json:"max"`
	Mean float64 `json:"mean"`
}

// Machine is where the figures were measured.
type Machine struct {
	GoVersion  string `json:"go_version"`
	GOOS       string `json:"goos"`
	GOARCH     string `json:"goarch"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	NumCPU     int    `json:"num_cpu"`
	CPUModel   string `json:"cpu_model,omitempty"` // from /proc/cpuinfo when present
}

// ThisMachine describes the running process's machine.
func ThisMachine() Machine {
	return Machine{
		GoVersion:  runtime.Version(),
		GOOS:       runtime.GOOS,
		GOARCH:     runtime.GOARCH,
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		NumCPU:     runtime.NumCPU(),
		CPUModel:   cpuModel(),
	}
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, ok := strings.Cut(s.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// Phase returns the named phase of the run.
func (r *Run) Phase(name string) (Phase, bool) {
	for _, p := range r.Phases {
		if p.Name == name {
			return p, true
		}
	}
	return Phase{}, false
}

// Marshal is the report's JSON document, indented, with a final newline.
func (r *Report) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Save writes the report's JSON to path atomically: a temporary file in the
// same directory, synced, then renamed over path, so a reader (or a CI
// cache step) never sees half a baseline.
func Save(path string, r *Report) error {
	data, err := r.Marshal()
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	return nil
}

// Load reads a report saved by Save (or printed with --output json).
func Load(path string) (*Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Report
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: not a load test result: %w", path, err)
	}
	if r.Schema != Schema {
		return nil, fmt.Errorf("%s: schema %q, want %q (a result from another version; rerun to make a new baseline)", path, r.Schema, Schema)
	}
	return &r, nil
}
