package manifestpeer

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/overlay"
	"github.com/akash-market/akash/overlay/tunnelcert"
)

// Route is the handler's path pattern (Go 1.22 ServeMux syntax).
const Route = "GET /v1/deployments/{owner}/{dseq}/manifest"

// EndpointPath is where a provider's gateway tells a fellow provider its
// overlay tunnel endpoint (provider/gateway serves it, provider/overlaylink's
// GatewayEndpoints asks it): GET, client certificate on chain, answer JSON
// {"provider": "akash1...", "endpoint": "host:port"}, 404 when the provider
// runs no tunnel endpoint. It lives here, next to Route, because both sides
// import this package and neither imports the other.
const EndpointPath = "/v1/overlay/endpoint"

// EndpointRoute is EndpointPath as a ServeMux pattern.
const EndpointRoute = "GET " + EndpointPath

// VersionHeader carries the body's manifest version (manifest.Version, hex).
const VersionHeader = "Akash-Manifest-Version"

// Handler serves the manifests this provider holds to lease participants.
// It must run behind a TLS listener that requests client certificates
// (ServerTLSConfig); it verifies them itself.
type Handler struct {
	Verifier tunnelcert.Verifier
	Chain    Chain
	Store    Store
}

// Register adds the handler's route to mux.
func (h Handler) Register(mux *http.ServeMux) { mux.Handle(Route, h) }

func (h Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	dseq, err := strconv.ParseUint(r.PathValue("dseq"), 10, 64)
	if err != nil || r.PathValue("owner") == "" {
		http.Error(w, fmt.Sprintf("path %s: want /v1/deployments/<owner>/<dseq>/manifest with a decimal dseq", r.URL.Path), http.StatusBadRequest)
		return
	}
	dep := overlay.DeploymentID{Owner: r.PathValue("owner"), DSeq: dseq}
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		http.Error(w, "a client certificate (your root on chain) is required", http.StatusUnauthorized)
		return
	}
	who, err := h.Verifier.VerifyParticipant(r.Context(), r.TLS.PeerCertificates)
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	ok, err := IsParticipant(r.Context(), h.Chain, dep, who)
	if err != nil {
		http.Error(w, fmt.Sprintf("deployment %s: reading its leases: %v", dep, err), http.StatusServiceUnavailable)
		return
	}
	if !ok {
		http.Error(w, fmt.Sprintf("%s is neither the owner of deployment %s nor a provider with an active lease on it", who, dep), http.StatusForbidden)
		return
	}
	data, held, err := h.Store.Manifest(r.Context(), dep)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if !held {
		http.Error(w, fmt.Sprintf("deployment %s: this provider holds no manifest for it (yet)", dep), http.StatusNotFound)
		return
	}
	m, err := manifest.Parse("stored manifest", data)
	if err != nil {
		http.Error(w, fmt.Sprintf("deployment %s: the stored manifest does not parse: %v", dep, err), http.StatusInternalServerError)
		return
	}
	v := m.Version()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set(VersionHeader, hex.EncodeToString(v[:]))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}
