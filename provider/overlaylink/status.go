package overlaylink

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"text/tabwriter"
	"time"

	"github.com/akash-market/akash/overlay/tunnel"
)

// StatsHandler serves GET /tunnels: every link's tunnel.Stats as a JSON
// array (what `akash-node provider tunnels` prints). A nil t (tunnels off)
// serves an empty list.
func StatsHandler(t *Tunnels) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		st := []tunnel.Stats{}
		if t != nil {
			st = append(st, t.Stats()...)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(st)
	})
}

// GetStats reads a daemon's /tunnels at addr (its --metrics-listen).
func GetStats(ctx context.Context, addr string) ([]tunnel.Stats, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/tunnels", nil)
	if err != nil {
		return nil, err
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("no provider daemon answers at %s (its --metrics-listen address): %w", addr, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s/tunnels: HTTP %d; is this a provider daemon with tunnels (akash-node provider run --tunnel-listen ...)?", addr, resp.StatusCode)
	}
	var st []tunnel.Stats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return nil, fmt.Errorf("%s/tunnels: %w", addr, err)
	}
	return st, nil
}

// PrintStats writes one line per link end: state, bytes, streams, errors.
func PrintStats(w io.Writer, st []tunnel.Stats) error {
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "LINK\tROLE\tPEER\tLOCAL\tSTATE\tSINCE\tBYTES OUT\tBYTES IN\tSTREAMS\tACTIVE\tERRORS\tREFUSED\tRECONNECTS\tLAST ERROR")
	for _, s := range st {
		since := "-"
		if !s.Since.IsZero() {
			since = s.Since.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", s.Link, s.Role, s.Peer, s.Local, s.State, since,
			s.BytesOut, s.BytesIn, s.Streams, s.ActiveStreams, s.Errors, s.Refused, s.Reconnects, s.LastError)
	}
	return tw.Flush()
}
