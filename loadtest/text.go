package loadtest

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteText prints the report as tables: one per run, and for a scaling run
// a summary of the cost per op against the number of open orders.
func WriteText(w io.Writer, r *Report) error {
	c, m := r.Config, r.Machine
	fmt.Fprintf(w, "akash-sim loadtest: %d bids/order, mix %s, %.0f%% ineligible, %.0f%% sealed, pattern %s, lookup %s, seed %d\n",
		c.BidsPerOrder, c.Mix, 100*c.Ineligible, 100*c.Sealed, c.Pattern, c.Lookup, c.Seed)
	fmt.Fprintf(w, "machine: %s, %s/%s, GOMAXPROCS %d of %d CPUs, %s\n", m.GoVersion, m.GOOS, m.GOARCH, m.GOMAXPROCS, m.NumCPU, orUnknown(m.CPUModel))
	fmt.Fprintf(w, "latencies are means of batches of %d ops (see docs/loadtest.md)\n", c.Batch)
	for _, run := range r.Runs {
		k := run.Counts
		fmt.Fprintf(w, "\n%d open orders, %d measured round(s): %d bids (%d accepted, %d rejected), %d matched, %d unmatched, %d leases; digest %s\n",
			run.OpenOrders, run.Rounds, k.Bids, k.Accepted, k.Rejected, k.Matched, k.Unmatched, k.LeasesOpen, run.Digest)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "phase\tops\tops/s\tns/op\tp50\tp99\tp99.9\tmax\tallocs/op\tB/op\theap in use\t")
		for _, p := range run.Phases {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%.0f\t%s\t%s\t%s\t%s\t%.2f\t%.0f\t%s\t\n", p.Name, p.Ops, FormatRate(p.OpsPerSec), p.NsPerOp,
				dur(p.Latency.P50), dur(p.Latency.P99), dur(p.Latency.P999), dur(p.Latency.Max), p.AllocsPerOp, p.BytesPerOp, mib(p.HeapInuseBytes))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if b := run.Book; b.RestingBids > 0 {
			fmt.Fprintf(w, "book heap with every bid resting: %s for %d bids, %.1f B per bid (slots, bid entries, table, queue, index)\n",
				mib(uint64(b.Bytes)), b.RestingBids, b.BytesPerBid)
		}
	}
	if len(r.Runs) > 1 {
		fmt.Fprintln(w, "\ncost per op against open orders (x = relative to the smallest book)")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		head := []string{"open orders"}
		for _, p := range r.Runs[0].Phases {
			head = append(head, p.Name+" ns/op", "x")
		}
		fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
		first := r.Runs[0]
		for _, run := range r.Runs {
			row := []string{fmt.Sprint(run.OpenOrders)}
			for _, p := range first.Phases {
				q, _ := run.Phase(p.Name)
				ratio := 0.0
				if p.NsPerOp > 0 {
					ratio = q.NsPerOp / p.NsPerOp
				}
				row = append(row, fmt.Sprintf("%.0f", q.NsPerOp), fmt.Sprintf("%.2f", ratio))
			}
			fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func dur(ns int64) string { return time.Duration(ns).String() }

func mib(b uint64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func orUnknown(s string) string {
	if s == "" {
		return "cpu model unknown"
	}
	return s
}
