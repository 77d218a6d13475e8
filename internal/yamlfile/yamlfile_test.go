package yamlfile

import "testing"

func TestError(t *testing.T) {
	cases := []struct {
		e    Error
		want string
	}{
		{Error{File: "a.yaml", Line: 3, Column: 5, Path: "market.take_rate_bps", Problem: "is 20000", Hint: "at most 10000"},
			"a.yaml:3:5: market.take_rate_bps: is 20000; at most 10000"},
		{Error{File: "a.yaml", Set: "seed=x", Path: "seed", Problem: "not a number"}, "--set seed=x: seed: not a number"},
		{Error{File: "a.yaml", Problem: "is empty"}, "a.yaml: is empty"},
	}
	for _, c := range cases {
		if got := c.e.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

func TestAllowedHint(t *testing.T) {
	keys := []string{"duration", "market", "providers"}
	if got, want := AllowedHint("marke", "", keys), `did you mean "market"? keys allowed in the top level: duration, market, providers`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := AllowedHint("zzzzzz", "market", keys), "keys allowed in market: duration, market, providers"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestParseOne(t *testing.T) {
	for _, c := range []struct {
		in      string
		problem string
		line    int
	}{
		{"", "", 0},
		{"a: 1\n", "", 0},
		{"a: 1\n---\nb: 2\n", "has more than one YAML document", 2},
		{"a: [1\n", "is not valid YAML", 0},
	} {
		n, err := ParseOne("f.yaml", []byte(c.in), "scenario")
		switch {
		case c.problem == "" && (err != nil || n == nil):
			t.Errorf("%q: %v", c.in, err)
		case c.problem != "" && (err == nil || len(err.Problem) < len(c.problem) || err.Problem[:len(c.problem)] != c.problem):
			t.Errorf("%q: error %v, want %q", c.in, err, c.problem)
		case c.line != 0 && err.Line != c.line:
			t.Errorf("%q: line %d, want %d", c.in, err.Line, c.line)
		}
	}
}
