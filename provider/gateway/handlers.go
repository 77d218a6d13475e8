package gateway

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
)

func (s *Server) fail(w http.ResponseWriter, code int, reason, msg string) {
	if reason != "" {
		s.cfg.Metrics.ManifestRejected(reason)
	}
	writeJSON(w, code, map[string]string{"error": msg})
}

// refused tells the backend, if it listens, why lease l's manifest was refused.
func (s *Server) refused(l market.LeaseID, why string) {
	if r, ok := s.cfg.Backend.(RefusalRecorder); ok {
		r.ManifestRefused(l, why)
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func deploymentID(r *http.Request) (market.DeploymentID, error) {
	dseq, err := strconv.ParseUint(r.PathValue("dseq"), 10, 64)
	if err != nil {
		return market.DeploymentID{}, fmt.Errorf("dseq %q is not an unsigned number", r.PathValue("dseq"))
	}
	return market.DeploymentID{Owner: r.PathValue("owner"), DSeq: dseq}, nil
}

func (s *Server) leaseID(r *http.Request) (market.LeaseID, error) {
	did, err := deploymentID(r)
	if err != nil {
		return market.LeaseID{}, err
	}
	gseq, err1 := strconv.ParseUint(r.PathValue("gseq"), 10, 32)
	oseq, err2 := strconv.ParseUint(r.PathValue("oseq"), 10, 32)
	if err1 != nil || err2 != nil {
		return market.LeaseID{}, fmt.Errorf("gseq %q and oseq %q must be unsigned numbers", r.PathValue("gseq"), r.PathValue("oseq"))
	}
	return market.LeaseID{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: did, GSeq: uint32(gseq)}, OSeq: uint32(oseq)}, Provider: s.cfg.Provider}, nil
}

// deployment loads the deployment and reports, for the caller: whether it is
// the tenant, whether it is a fellow provider (holds an active lease of it),
// and this provider's active leases of it. It writes the error response
// itself and returns ok=false when the request cannot go on.
func (s *Server) deployment(w http.ResponseWriter, r *http.Request, id market.DeploymentID, reason string) (d Deployment, ours []market.LeaseID, tenant, fellow, ok bool) {
	d, err := s.cfg.Chain.Deployment(r.Context(), id)
	if errors.Is(err, ErrNotFound) {
		s.fail(w, http.StatusNotFound, reason, fmt.Sprintf("deployment %s is not on chain; check owner and dseq", id))
		return d, nil, false, false, false
	}
	if err != nil {
		s.fail(w, http.StatusServiceUnavailable, reason, fmt.Sprintf("cannot read deployment %s from the chain: %v; retry", id, err))
		return d, nil, false, false, false
	}
	if !d.Active {
		s.fail(w, http.StatusGone, reason, fmt.Sprintf("deployment %s is closed", id))
		return d, nil, false, false, false
	}
	who := caller(r)
	tenant = who == id.Owner
	for _, l := range d.Leases {
		if l.Provider == s.cfg.Provider {
			ours = append(ours, l)
		}
		if l.Provider == who {
			fellow = true
		}
	}
	return d, ours, tenant, fellow, true
}

func (s *Server) putManifest(w http.ResponseWriter, r *http.Request) {
	id, err := deploymentID(r)
	if err != nil {
		s.fail(w, http.StatusBadRequest, "request", err.Error())
		return
	}
	d, ours, tenant, fellow, ok := s.deployment(w, r, id, "deployment")
	if !ok {
		return
	}
	if !tenant && !fellow {
		if code, err := s.manages(r, id); err != nil {
			reason := "forbidden"
			if code != http.StatusForbidden {
				reason = "chain"
			}
			s.fail(w, code, reason, fmt.Sprintf("account %s may not send the manifest of deployment %s: only its tenant %s, a provider holding one of its leases, or a management key acting through the tenant's grant may; %v", caller(r), id, id.Owner, err))
			return
		}
	}
	if len(ours) == 0 {
		s.fail(w, http.StatusNotFound, "no-lease", fmt.Sprintf("provider %s holds no active lease of deployment %s; send the manifest to the providers that won its orders", s.cfg.Provider, id))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxManifestBytes))
	if err != nil {
		s.fail(w, http.StatusRequestEntityTooLarge, "size", fmt.Sprintf("manifest body: %v (limit %d bytes)", err, s.cfg.MaxManifestBytes))
		return
	}
	m, err := manifest.Parse(fmt.Sprintf("manifest of %s", id), body)
	if err != nil {
		s.fail(w, http.StatusBadRequest, "parse", err.Error())
		return
	}
	if v := m.Version(); v != d.Version {
		for _, l := range ours {
			s.refused(l, fmt.Sprintf("manifest version %s differs from the version %s on chain", hex.EncodeToString(v[:6]), hex.EncodeToString(d.Version[:6])))
		}
		s.fail(w, http.StatusConflict, "version", fmt.Sprintf(
			"manifest version %s (sha256 of its canonical form) differs from deployment %s's version %s on chain; send the exact manifest the deployment was created or last updated with, or update the deployment first",
			hex.EncodeToString(v[:]), id, hex.EncodeToString(d.Version[:])))
		return
	}
	// The version binds the manifest to the deployment, not to what was
	// paid: the chain records a hash it cannot look into. So every lease
	// here runs only a group that fits what its order asked for.
	for _, l := range ours {
		if err := FitsLease(d, m, l); err != nil {
			code, reason := http.StatusUnprocessableEntity, "exceeds-order"
			if errors.Is(err, errNoOrderedGroup) {
				code, reason = http.StatusServiceUnavailable, "deployment"
			}
			if code == http.StatusUnprocessableEntity {
				s.refused(l, err.Error())
			}
			s.fail(w, code, reason, fmt.Sprintf("lease %s: %v", l, err))
			return
		}
	}
	// Run first, store after: a stored manifest is what a restarted daemon
	// runs and what fellow providers fetch, so one that cannot run here
	// (e.g. an image the engine lacks) is never kept.
	var deployed []string
	var failed error
	code := http.StatusInternalServerError
	for _, l := range ours {
		if err := s.cfg.Backend.Deploy(r.Context(), l, m); err != nil {
			if errors.Is(err, ErrUnrunnable) {
				code = http.StatusUnprocessableEntity // the Backend knows why
			}
			failed = errors.Join(failed, fmt.Errorf("lease %s: deploy failed: %w", l, err))
			continue
		}
		deployed = append(deployed, l.String())
	}
	if len(deployed) > 0 {
		if err := s.cfg.Store.Put(id, m.Canonical()); err != nil {
			s.fail(w, http.StatusInternalServerError, "store", fmt.Sprintf("provider deployed leases %v but could not store the manifest: %v; send it again", deployed, err))
			return
		}
	}
	if failed != nil {
		s.fail(w, code, "deploy", failed.Error())
		return
	}
	s.cfg.Metrics.ManifestAccepted()
	v := m.Version()
	writeJSON(w, http.StatusAccepted, map[string]any{
		"deployment": id.String(),
		"version":    hex.EncodeToString(v[:]),
		"leases":     deployed,
	})
}

func (s *Server) getManifest(w http.ResponseWriter, r *http.Request) {
	id, err := deploymentID(r)
	if err != nil {
		s.fail(w, http.StatusBadRequest, "", err.Error())
		return
	}
	_, ours, tenant, fellow, ok := s.deployment(w, r, id, "")
	if !ok {
		return
	}
	if !tenant && !fellow {
		s.fail(w, http.StatusForbidden, "", fmt.Sprintf("account %s is not a participant of deployment %s (tenant or provider of an active lease); nothing to share", caller(r), id))
		return
	}
	if len(ours) == 0 {
		s.fail(w, http.StatusNotFound, "", fmt.Sprintf("provider %s holds no active lease of deployment %s", s.cfg.Provider, id))
		return
	}
	b, err := s.cfg.Store.Get(id)
	if errors.Is(err, ErrNotFound) {
		s.fail(w, http.StatusNotFound, "", fmt.Sprintf("provider %s has not received the manifest of deployment %s yet; ask the tenant or another provider", s.cfg.Provider, id))
		return
	}
	if err != nil {
		s.fail(w, http.StatusInternalServerError, "", err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

// manages checks that the caller acts for deployment id's owner through a
// management grant (x/deployment's rule, dtypes.ManageGrant.ActsFor, on the
// owner's grant to the caller as the chain holds it now). It returns nil, or
// the status to answer (403 refused, 503 the chain did not answer) and why.
func (s *Server) manages(r *http.Request, id market.DeploymentID) (int, error) {
	if s.cfg.Grants == nil {
		return http.StatusForbidden, errors.New("this provider does not admit management keys (its gateway reads no grants)")
	}
	g, err := s.cfg.Grants.ManageGrant(r.Context(), id.Owner, caller(r))
	if err != nil {
		return http.StatusServiceUnavailable, fmt.Errorf("cannot read the management grant from the chain: %w; retry", err)
	}
	if err := g.ActsFor(id.Owner, caller(r), id.DSeq, s.cfg.Now()); err != nil {
		return http.StatusForbidden, err
	}
	return 0, nil
}

// lease checks a request for one of this provider's active leases: from the
// tenant, or (status only, manager true) a management key acting for it.
func (s *Server) lease(w http.ResponseWriter, r *http.Request, manager bool) (market.LeaseID, bool) {
	lid, err := s.leaseID(r)
	if err != nil {
		s.fail(w, http.StatusBadRequest, "", err.Error())
		return lid, false
	}
	_, ours, tenant, _, ok := s.deployment(w, r, lid.DeploymentID, "")
	if !ok {
		return lid, false
	}
	if !tenant {
		if !manager {
			s.fail(w, http.StatusForbidden, "", fmt.Sprintf("account %s is not the tenant of lease %s (tenant %s)", caller(r), lid, lid.Owner))
			return lid, false
		}
		if code, err := s.manages(r, lid.DeploymentID); err != nil {
			s.fail(w, code, "", fmt.Sprintf("account %s is not the tenant of lease %s (tenant %s) nor a management key acting through the tenant's grant: %v", caller(r), lid, lid.Owner, err))
			return lid, false
		}
	}
	for _, l := range ours {
		if l == lid {
			return lid, true
		}
	}
	s.fail(w, http.StatusNotFound, "", fmt.Sprintf("lease %s is not an active lease of provider %s", lid, s.cfg.Provider))
	return lid, false
}

func (s *Server) leaseStatus(w http.ResponseWriter, r *http.Request) {
	lid, ok := s.lease(w, r, true)
	if !ok {
		return
	}
	st, err := s.cfg.Backend.Status(r.Context(), lid)
	if errors.Is(err, ErrNotFound) {
		s.fail(w, http.StatusNotFound, "", fmt.Sprintf("lease %s has no workload yet: send its manifest (akash-node deploy send-manifest)", lid))
		return
	}
	if err != nil {
		s.fail(w, http.StatusInternalServerError, "", fmt.Sprintf("lease %s: status: %v", lid, err))
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) leaseLogs(w http.ResponseWriter, r *http.Request) {
	lid, ok := s.lease(w, r, false)
	if !ok {
		return
	}
	q := r.URL.Query()
	opt := LogOptions{Service: q.Get("service"), Follow: q.Get("follow") == "1" || q.Get("follow") == "true"}
	if t := q.Get("tail"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 {
			s.fail(w, http.StatusBadRequest, "", fmt.Sprintf("tail %q: want a number of lines >= 0", t))
			return
		}
		opt.Tail = n
	}
	rc, err := s.cfg.Backend.Logs(r.Context(), lid, opt)
	if errors.Is(err, ErrNotFound) {
		s.fail(w, http.StatusNotFound, "", fmt.Sprintf("lease %s has no containers (yet): %v", lid, err))
		return
	}
	if err != nil {
		s.fail(w, http.StatusInternalServerError, "", fmt.Sprintf("lease %s: logs: %v", lid, err))
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	rcw := http.NewResponseController(w)
	if opt.Follow {
		_ = rcw.Flush() // the client sees the stream open before the first line
	}
	buf := make([]byte, 32<<10)
	for {
		n, err := rc.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return
			}
			if opt.Follow {
				_ = rcw.Flush()
			}
		}
		if err != nil {
			return
		}
	}
}

// errNoOrderedGroup: the chain's view of the deployment lacks the lease's
// group, so the manifest cannot be checked (and is not run).
var errNoOrderedGroup = errors.New("the chain returned no ordered group for the lease")

// FitsLease checks that the manifest's group for lease l (the gseq-th, as
// the runtime picks it) is the leased group and asks for no more than it
// (manifest.FitsOrder against d.Groups). Whatever runs a manifest for a
// lease checks this first: the gateway for a tenant's upload, the daemon for
// a copy fetched from a fellow provider.
func FitsLease(d Deployment, m *manifest.Manifest, l market.LeaseID) error {
	if l.GSeq == 0 || int(l.GSeq) > len(d.Groups) {
		return fmt.Errorf("%w (gseq %d, %d group(s) known); retry", errNoOrderedGroup, l.GSeq, len(d.Groups))
	}
	groups := m.Groups()
	if int(l.GSeq) > len(groups) {
		return fmt.Errorf("%w: the lease is for gseq %d (group %q) but the manifest has %d group(s)",
			manifest.ErrExceedsOrder, l.GSeq, d.Groups[l.GSeq-1].Name, len(groups))
	}
	return manifest.FitsOrder(d.Groups[l.GSeq-1], groups[l.GSeq-1])
}
