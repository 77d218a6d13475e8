package manage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	dtypes "github.com/akash-market/akash/node/x/deployment/types"
)

// Run checks the grant, then steps every CheckEvery until ctx ends or the
// grant is gone (revoked or expired: ErrNoGrant). Other errors of a step
// (a refused message, a node that does not answer) are logged and the next
// step tries again from the chain's state.
func (m *Manager) Run(ctx context.Context) error {
	if err := m.Start(ctx); err != nil {
		return err
	}
	t := time.NewTicker(m.Cfg.CheckEvery)
	defer t.Stop()
	for {
		st, err := m.Step(ctx)
		switch {
		case errors.Is(err, ErrNoGrant):
			return err
		case err != nil && ctx.Err() == nil:
			m.logf("step: %v", err)
		case err == nil && len(st.Added)+len(st.Removed)+len(st.Forgot)+len(st.TopUps) > 0:
			m.logf("%s", st)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Status is what /status shows and `manage status` prints.
type Status struct {
	Policy  string                                 `json:"policy"`
	Owner   string                                 `json:"owner"`
	Grant   *dtypes.ManageDeploymentsAuthorization `json:"grant,omitempty"`
	Last    Step                                   `json:"last_step"`
	Steps   uint64                                 `json:"steps"`
	Created uint64                                 `json:"created"`
	Closed  uint64                                 `json:"closed"`
	TopUps  uint64                                 `json:"top_ups"`
	Refused uint64                                 `json:"refused"`
	Errors  uint64                                 `json:"errors"`
}

// Status is the manager's view now.
func (m *Manager) Status() Status {
	m.mu.Lock()
	defer m.mu.Unlock()
	return Status{Policy: m.Policy, Owner: m.Owner, Grant: m.grant, Last: m.last, Steps: m.counts.steps, Created: m.counts.created,
		Closed: m.counts.closed, TopUps: m.counts.topups, Refused: m.counts.refused, Errors: m.counts.errors}
}

// Handler serves /metrics (Prometheus text format) and /status (JSON).
func (m *Manager) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/status", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(m.Status())
	})
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, _ *http.Request) {
		s := m.Status()
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		counter := func(name, help string, v uint64) {
			fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
		}
		counter("akash_manage_steps_total", "decision steps run", s.Steps)
		counter("akash_manage_deployments_created_total", "deployments created through the grant", s.Created)
		counter("akash_manage_deployments_closed_total", "deployments closed through the grant", s.Closed)
		counter("akash_manage_topups_total", "escrow top-ups through the grant", s.TopUps)
		counter("akash_manage_refused_total", "messages the chain refused as outside the grant", s.Refused)
		counter("akash_manage_step_errors_total", "steps that failed", s.Errors)
		fmt.Fprintf(w, "# HELP akash_manage_groups live managed deployments at the last step\n# TYPE akash_manage_groups gauge\nakash_manage_groups %d\n",
			len(s.Last.Groups)+len(s.Last.Added)-len(s.Last.Removed))
		if s.Grant != nil {
			fmt.Fprintf(w, "# HELP akash_manage_spend_left what the grant may still spend\n# TYPE akash_manage_spend_left gauge\nakash_manage_spend_left{denom=%q} %s\n",
				s.Grant.SpendLeft.Denom, s.Grant.SpendLeft.Amount)
		}
	})
	return mux
}
