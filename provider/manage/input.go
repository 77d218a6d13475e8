package manage

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
)

// Sample is one gauge line of the Prometheus text format.
type Sample struct {
	Name   string
	Labels map[string]string
	Value  float64
}

// ParseMetrics reads the Prometheus text exposition format (the gauges a
// tenant's service exposes): "name{label="value",...} value [timestamp]"
// per line; comments (# HELP, # TYPE) and blank lines are skipped. Errors
// name the line.
func ParseMetrics(r io.Reader) ([]Sample, error) {
	var out []Sample
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		s, err := parseSample(line)
		if err != nil {
			return nil, fmt.Errorf("metrics line %d: %v; want name{label=\"value\"} number", n, err)
		}
		out = append(out, s)
	}
	return out, sc.Err()
}

func parseSample(line string) (Sample, error) {
	s := Sample{Labels: map[string]string{}}
	i := strings.IndexAny(line, "{ \t")
	if i <= 0 {
		return s, fmt.Errorf("%q: no value", line)
	}
	s.Name = line[:i]
	rest := line[i:]
	if rest[0] == '{' {
		end := -1
		inQuote := false
		for j := 1; j < len(rest); j++ {
			switch {
			case rest[j] == '\\' && inQuote:
				j++
			case rest[j] == '"':
				inQuote = !inQuote
			case rest[j] == '}' && !inQuote:
				end = j
			}
			if end >= 0 {
				break
			}
		}
		if end < 0 {
			return s, fmt.Errorf("%q: labels not closed with }", line)
		}
		if err := parseLabels(rest[1:end], s.Labels); err != nil {
			return s, err
		}
		rest = rest[end+1:]
	}
	f := strings.Fields(rest)
	if len(f) == 0 || len(f) > 2 {
		return s, fmt.Errorf("%q: want one value and at most a timestamp after the name", line)
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return s, fmt.Errorf("value %q: not a number", f[0])
	}
	s.Value = v
	return s, nil
}

func parseLabels(s string, into map[string]string) error {
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		eq := strings.IndexByte(s, '=')
		if eq <= 0 || eq+1 >= len(s) || s[eq+1] != '"' {
			return fmt.Errorf("label %q: want name=\"value\"", s)
		}
		name := strings.TrimSpace(s[:eq])
		var b strings.Builder
		j := eq + 2
		for ; j < len(s) && s[j] != '"'; j++ {
			if s[j] == '\\' && j+1 < len(s) {
				j++
				switch s[j] {
				case 'n':
					b.WriteByte('\n')
				default:
					b.WriteByte(s[j])
				}
				continue
			}
			b.WriteByte(s[j])
		}
		if j >= len(s) {
			return fmt.Errorf("label %s: value not closed with \"", name)
		}
		into[name] = b.String()
		s = strings.TrimPrefix(strings.TrimSpace(s[j+1:]), ",")
	}
	return nil
}

// Load is what one read of the input gives.
type Load struct {
	Users []int64 // by Config.Regions index, in 1/policy.UserScale of a user (delivery-network)
	Queue int     // jobs waiting or running (ml-batch)
}

// Source reads the load now.
type Source interface {
	Read(ctx context.Context) (Load, error)
}

// NewSource is the config's input: HTTP or file, read as Prometheus text.
func NewSource(c *Config) Source { return metricsSource{c: c} }

type metricsSource struct{ c *Config }

func (s metricsSource) Read(ctx context.Context) (Load, error) {
	var r io.ReadCloser
	where := s.c.Input.File
	if s.c.Input.URL != "" {
		where = s.c.Input.URL
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.c.Input.URL, nil)
		if err != nil {
			return Load{}, err
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return Load{}, fmt.Errorf("load input %s: %w", where, err)
		}
		if res.StatusCode != http.StatusOK {
			res.Body.Close()
			return Load{}, fmt.Errorf("load input %s: HTTP %s", where, res.Status)
		}
		r = res.Body
	} else {
		f, err := os.Open(s.c.Input.File)
		if err != nil {
			return Load{}, fmt.Errorf("load input: %w", err)
		}
		r = f
	}
	defer r.Close()
	samples, err := ParseMetrics(r)
	if err != nil {
		return Load{}, fmt.Errorf("load input %s: %w", where, err)
	}
	return s.c.LoadFrom(samples)
}

// LoadFrom picks the policy's gauges out of samples: the users gauge per
// region (regions not in the config are ignored; a configured region with no
// sample has 0 users; each sample is rounded to policy.UserScale, then
// summed) and the queue gauge (sum of its series).
func (c *Config) LoadFrom(samples []Sample) (Load, error) {
	l := Load{Users: make([]int64, len(c.Regions))}
	idx := map[string]int{}
	for i, r := range c.Regions {
		idx[r] = i
	}
	for _, s := range samples {
		switch s.Name {
		case c.Input.UsersMetric:
			if i, ok := idx[s.Labels[c.Input.RegionLabel]]; ok {
				if !(s.Value >= 0 && s.Value <= MaxUsers) {
					return l, fmt.Errorf("%s{%s=%q} = %v: users must be a number from 0 to 1e9", s.Name, c.Input.RegionLabel, s.Labels[c.Input.RegionLabel], s.Value)
				}
				l.Users[i] += UserUnits(s.Value)
			}
		case c.Input.QueueMetric:
			if s.Value < 0 || s.Value != s.Value {
				return l, fmt.Errorf("%s = %v: a queue length must be a number ≥ 0", s.Name, s.Value)
			}
			l.Queue += int(s.Value)
		}
	}
	return l, nil
}
