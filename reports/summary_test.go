package reports

import (
	"testing"
)

func TestFlattenSummary(t *testing.T) {
	type inner struct {
		B float64 `json:"b"`
		A string  `json:"a"`
	}
	v := struct {
		Seed    uint64            `json:"seed"`
		Ratio   float64           `json:"ratio"`
		Money   string            `json:"money"`
		Tags    []string          `json:"tags"`
		Long    []int             `json:"long"`
		Nested  inner             `json:"nested"`
		Objs    []inner           `json:"objs"`
		ByName  map[string]int    `json:"by_name"`
		Empty   map[string]string `json:"empty"`
		Nothing *int              `json:"nothing"`
	}{
		Seed: 7, Ratio: 0.8333333333333334, Money: "12.500000000000000000",
		Tags: []string{"a", "b"}, Long: make([]int, 17),
		Nested: inner{B: 1e-7, A: "x"}, Objs: []inner{{B: 2, A: "y"}},
		ByName: map[string]int{"zeta": 1, "alpha": 2}, Empty: map[string]string{},
	}
	data, err := encodeSummary(v)
	if err != nil {
		t.Fatal(err)
	}
	secs, err := flattenSummary(data)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ sec, key, val, exact string }
	var got []row
	for _, s := range secs {
		for _, r := range s.Rows {
			got = append(got, row{s.Name, r.Key, r.Value, r.Exact})
		}
	}
	want := []row{
		{"overview", "seed", "7", ""},
		{"overview", "ratio", "0.833333", "0.8333333333333334"},
		{"overview", "money", "12.5", "12.500000000000000000"},
		{"overview", "tags", "a, b", ""},
		{"overview", "long", "[17 items; see summary.json]", ""},
		{"overview", "empty", "{}", ""},
		{"overview", "nothing", "null", ""},
		{"nested", "b", "1e-07", "1e-7"},
		{"nested", "a", "x", ""},
		{"objs", "[0].b", "2", ""},
		{"objs", "[0].a", "y", ""},
		{"by_name", "alpha", "2", ""}, // encoding/json sorts map keys
		{"by_name", "zeta", "1", ""},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestFormatFloat(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{0, "0"}, {1, "1"}, {0.1, "0.1"}, {2.0 / 3, "0.666667"}, {123456.789, "123457"},
		{1234.5678, "1234.57"}, {-0.00012345678, "-0.000123457"}, {1e-5, "1e-05"}, {2e15, "2e+15"},
		{99999999999999, "99999999999999"},
	} {
		if got := formatFloat(tc.in); got != tc.want {
			t.Errorf("formatFloat(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTicks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		lo, hi float64
		n      int
		want   []string
	}{
		{"hours", 0, 4.99, 6, []string{"0", "1", "2", "3", "4"}},
		{"percent", 0, 20, 6, []string{"0", "5", "10", "15", "20"}},
		{"unit", 0, 1, 5, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
		{"quarters", 0, 1, 4, []string{"0.00", "0.25", "0.50", "0.75", "1.00"}},
		{"seconds", 0, 86400, 6, []string{"0", "20k", "40k", "60k", "80k"}},
		{"price", 67.3, 146.2, 5, []string{"80", "100", "120", "140"}},
		{"millions", 0, 2.6e6, 5, []string{"0", "0.5M", "1.0M", "1.5M", "2.0M", "2.5M"}},
		{"negative", -1.5, 1.5, 6, []string{"-1.5", "-1.0", "-0.5", "0.0", "0.5", "1.0", "1.5"}},
		{"tiny", 0, 5e-5, 5, []string{"0", "1e-05", "2e-05", "3e-05", "4e-05", "5e-05"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, tk := range (niceTicks{n: tc.n}).Ticks(tc.lo, tc.hi) {
				if !tk.IsMinor() {
					got = append(got, tk.Label)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("labels = %q, want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("labels = %q, want %q", got, tc.want)
				}
			}
		})
	}
}
