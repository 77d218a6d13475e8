package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
)

// planFormat is bumped when plan.json's meaning changes.
const planFormat = 1

// Plan is a resolved sweep spec: everything its runs and its aggregate depend
// on. It is stored as DIR/plan.json, and its Hash guards DIR against being
// reused by another spec.
type Plan struct {
	Format      int    `json:"format"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Scenario is the base scenario as the spec names it (a shipped name or
	// a file path); ScenarioSHA256 is the hash of its text, so editing the
	// file makes a different plan.
	Scenario       string `json:"scenario"`
	ScenarioSHA256 string `json:"scenario_sha256"`
	// Until is the simulated time of every run ("" = the scenario's duration).
	Until string `json:"until,omitempty"`
	// Set holds the overrides every point starts from ("path=value").
	Set []string `json:"set,omitempty"`
	// Params are the swept keys (--set paths) in the spec's order.
	Params []string `json:"parameters"`
	Points []Point  `json:"points"`
	// Replicates is the number of runs per point; Seeds[r] is replicate r's
	// seed, the same at every point (common random numbers).
	Replicates int      `json:"replicates"`
	Seed       uint64   `json:"seed"`
	Seeds      []uint64 `json:"replicate_seeds"`
	Metrics    []string `json:"metrics"`
	// Hash is the SHA-256 of the plan's canonical JSON without this field.
	Hash string `json:"plan_sha256"`

	// source is the base scenario's YAML text, sourceName the name its
	// errors are reported under.
	source     []byte
	sourceName string
}

// Point is one combination of parameter values.
type Point struct {
	ID string `json:"id"`
	// Values are parallel to Plan.Params: the value as YAML ("200",
	// "undercut", "{us-east: 1}"); "" when this point leaves the key at the
	// base scenario's value (possible only in a points list).
	Values []string `json:"values"`
}

// RunID names one run: a point and a replicate.
type RunID struct {
	Point     int // index into Plan.Points
	Replicate int
}

// Runs lists every run of the plan in its canonical order, (point,
// replicate); run k of this list is the k in "k mod n" of sharding.
func (p *Plan) Runs() []RunID {
	runs := make([]RunID, 0, len(p.Points)*p.Replicates)
	for i := range p.Points {
		for r := 0; r < p.Replicates; r++ {
			runs = append(runs, RunID{Point: i, Replicate: r})
		}
	}
	return runs
}

// Index is the run's position in Runs.
func (p *Plan) Index(id RunID) int { return id.Point*p.Replicates + id.Replicate }

// Name is the run's path under DIR/runs, e.g. "p003/07".
func (p *Plan) RunName(id RunID) string {
	return p.Points[id.Point].ID + "/" + p.replicateName(id.Replicate)
}

// RunDir is the run's report directory under dir.
func (p *Plan) RunDir(dir string, id RunID) string {
	return filepath.Join(dir, "runs", p.Points[id.Point].ID, p.replicateName(id.Replicate))
}

func (p *Plan) replicateName(r int) string {
	return fmt.Sprintf("%0*d", max(2, digits(p.Replicates-1)), r)
}

// Overrides are the --set strings of a point: the spec's set, then the
// point's own values.
func (p *Plan) Overrides(point int) []string {
	out := append([]string(nil), p.Set...)
	for j, v := range p.Points[point].Values {
		if v != "" {
			out = append(out, p.Params[j]+"="+v)
		}
	}
	return out
}

// Label describes a point for people: "market.take_rate_bps=200, …".
func (p *Plan) Label(point int) string {
	var parts []string
	for j, v := range p.Points[point].Values {
		if v != "" {
			parts = append(parts, p.Params[j]+"="+v)
		}
	}
	if len(parts) == 0 {
		return "base scenario"
	}
	return strings.Join(parts, ", ")
}

// ReplicateSeed is the seed of replicate r (0-based) of a sweep whose base
// seed is base: the (r+1)-th output of a SplitMix64 generator started at
// base. Every point uses the same seeds (common random numbers). SplitMix64
// spreads neighbouring base seeds far apart, so sweeps with base seeds 1 and
// 2 share no replicate. A zero output, which the simulator would read as
// "the scenario's own seed", becomes 1.
func ReplicateSeed(base uint64, r int) uint64 {
	z := base + uint64(r+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	if z == 0 {
		return 1
	}
	return z
}

// seal fills the derived fields and the hash.
func (p *Plan) seal() {
	p.Format = planFormat
	p.Seeds = make([]uint64, p.Replicates)
	for r := range p.Seeds {
		p.Seeds[r] = ReplicateSeed(p.Seed, r)
	}
	width := max(3, digits(len(p.Points)-1))
	for i := range p.Points {
		p.Points[i].ID = fmt.Sprintf("p%0*d", width, i)
	}
	sum := sha256.Sum256(p.canonical())
	p.Hash = hex.EncodeToString(sum[:])
}

// canonical is the plan's JSON without its hash: what the hash covers.
func (p *Plan) canonical() []byte {
	c := *p
	c.Hash = ""
	b, err := json.Marshal(&c)
	if err != nil {
		panic("sweep: a plan is plain data and always encodes: " + err.Error())
	}
	return b
}

// encode is plan.json's bytes.
func (p *Plan) encode() []byte {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		panic("sweep: a plan is plain data and always encodes: " + err.Error())
	}
	return append(b, '\n')
}

func digits(n int) int {
	d := 1
	for n >= 10 {
		n /= 10
		d++
	}
	return d
}
