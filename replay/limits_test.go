package replay

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/akash-market/akash/sim/trace"
)

// Limits refuse a trace while reading it, at the first record past a limit,
// naming the limit and the --set that makes a smaller run; within the limits
// the trace reads whole.
func TestLimitsRefuseWhileReading(t *testing.T) {
	_, tr := smallRun(t) // 6 providers, 40 deployments, 751 blocks
	var buf bytes.Buffer
	w := trace.NewWriter(&buf, 0)
	w.Write(&trace.Record{Kind: trace.KindHeader, Header: &tr.Header})
	for i := range tr.Records {
		w.Write(&tr.Records[i])
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		limits Limits
		want   string // "" reads whole
	}{
		{Limits{}, ""},
		{DefaultLimits, ""},
		{Limits{Providers: 6, Deployments: 40, Blocks: 751}, ""},
		{Limits{Providers: 5}, "small:17: the trace has at least 6 providers; a replay takes at most 5 (simulate fewer, e.g. akash-sim run SCENARIO --set providers[0].count=4"},
		{Limits{Deployments: 39}, "the trace has at least 40 deployments; a replay takes at most 39 (simulate fewer tenants or a shorter run"},
		{Limits{Blocks: 750}, "the trace has 751 blocks; a replay takes at most 750 (simulate a shorter run, e.g. akash-sim run SCENARIO --until 24h, or raise --max-blocks)"},
	} {
		got, err := c.limits.Read(bytes.NewReader(buf.Bytes()), "small")
		if c.want == "" {
			if err != nil || !got.Complete || len(got.Records) != len(tr.Records) {
				t.Errorf("%+v: %v; want the whole trace", c.limits, err)
			}
			continue
		}
		var le *LimitError
		if err == nil || !errors.As(err, &le) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v; want a LimitError with %q", c.limits, err, c.want)
		}
	}
}
