// Package tunneld runs one provider's share of a deployment's overlay as a
// standalone process (the akash-tunnel binary): the tunnel endpoint, a
// client tunnel per link this provider starts, and an HTTP listener with
// /metrics (Prometheus) and /tunnels (JSON stats). The provider daemon will do
// the same in-process with roots from the chain; this package takes them from
// its configuration instead, which is what container tests and operators
// trying the overlay by hand need.
package tunneld

import (
	"bytes"
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/overlay"
	"github.com/akash-market/akash/overlay/tunnel"
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Config is the JSON configuration of one provider's tunnel process.
type Config struct {
	Self       string            `json:"self"`        // this provider's address
	RootCert   string            `json:"root_cert"`   // PEM: this provider's root, as on chain
	RootKey    string            `json:"root_key"`    // PEM (PKCS#8 or EC): its key
	ChainRoots []ChainRoot       `json:"chain_roots"` // the roots on chain that peers may use
	Endpoint   string            `json:"endpoint"`    // listen address for peers, e.g. ":8444"
	HTTP       string            `json:"http"`        // /metrics and /tunnels, e.g. "127.0.0.1:9100"; "" for none
	Peers      map[string]string `json:"peers"`       // provider address -> its endpoint host:port
	Deployment struct {
		Owner string `json:"owner"`
		DSeq  uint64 `json:"dseq"`
	} `json:"deployment"`
	Allowed    []manifest.Connection `json:"allowed"`     // the manifest's topology (Topology().Allowed)
	Placement  overlay.Placement     `json:"placement"`   // service -> provider address
	ListenHost string                `json:"listen_host"` // client tunnels listen on ListenHost:<port>; default 0.0.0.0
	// Listen and Target override, by "<to-service>:<port>", where a client
	// tunnel listens (default ListenHost:<port>) and where a served link's
	// workload answers (default <to-service>:<port>, its name in the lease
	// network).
	Listen     map[string]string `json:"listen"`
	Target     map[string]string `json:"target"`
	CertTTL    string            `json:"cert_ttl"`    // tunnel certificate lifetime, default 24h
	ProbeEvery string            `json:"probe_every"` // default 15s
	BackoffMax string            `json:"backoff_max"` // default 5s
	// DialTimeout bounds connect + handshake + answer to the peer and the
	// workload dial (default 5s); a blackholed peer is noticed after
	// probe_every + dial_timeout at most.
	DialTimeout string `json:"dial_timeout"`
}

// ChainRoot is one certificate registered on chain.
type ChainRoot struct {
	Owner   string `json:"owner"`
	Cert    string `json:"cert"` // PEM
	Revoked bool   `json:"revoked"`
}

// ParseConfig reads a JSON configuration, refusing unknown keys.
func ParseConfig(data []byte) (Config, error) {
	var c Config
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("tunneld: config: %w", err)
	}
	if c.Self == "" || c.RootCert == "" || c.RootKey == "" {
		return Config{}, errors.New("tunneld: config: self, root_cert and root_key are required")
	}
	return c, nil
}

// Process is a running tunnel process.
type Process struct {
	Endpoint *tunnel.Endpoint
	Set      *tunnel.Set
	http     *http.Server
	httpLn   net.Listener
}

// Start opens the endpoint, the tunnels and the HTTP listener.
func Start(cfg Config) (*Process, error) {
	root, key, err := parseRoot(cfg.RootCert, cfg.RootKey)
	if err != nil {
		return nil, err
	}
	roots := tunnelcert.NewMemRoots()
	for i, r := range cfg.ChainRoots {
		c, err := parseCert(r.Cert)
		if err != nil {
			return nil, fmt.Errorf("tunneld: config: chain_roots[%d] (%s): %w", i, r.Owner, err)
		}
		roots.Add(r.Owner, c)
		if r.Revoked {
			roots.Revoke(r.Owner, c.SerialNumber)
		}
	}
	ttl, err := durationOr(cfg.CertTTL, 24*time.Hour, "cert_ttl")
	if err != nil {
		return nil, err
	}
	probe, err := durationOr(cfg.ProbeEvery, 15*time.Second, "probe_every")
	if err != nil {
		return nil, err
	}
	boMax, err := durationOr(cfg.BackoffMax, 5*time.Second, "backoff_max")
	if err != nil {
		return nil, err
	}
	dialTimeout, err := durationOr(cfg.DialTimeout, 5*time.Second, "dial_timeout")
	if err != nil {
		return nil, err
	}
	topo := manifest.Topology{Allowed: cfg.Allowed}
	plan, err := overlay.PlanLinks(overlay.DeploymentID{Owner: cfg.Deployment.Owner, DSeq: cfg.Deployment.DSeq}, topo, cfg.Placement)
	if err != nil {
		return nil, err
	}
	verifier := tunnelcert.Verifier{Roots: roots}
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = ":8444"
	}
	ep, err := tunnel.Listen(endpoint, verifier, dialTimeout)
	if err != nil {
		return nil, err
	}
	host := cfg.ListenHost
	if host == "" {
		host = "0.0.0.0"
	}
	issuer := tunnelcert.Issuer{Provider: cfg.Self, Root: root, Key: key}
	set, err := tunnel.OpenSet(plan, ep, tunnel.Wiring{
		Self: cfg.Self,
		Listen: func(l overlay.Link) string {
			return orDefault(cfg.Listen, l, net.JoinHostPort(host, strconv.Itoa(int(l.Conn.Port))))
		},
		Target: func(l overlay.Link) string {
			return orDefault(cfg.Target, l, net.JoinHostPort(l.Conn.To, strconv.Itoa(int(l.Conn.Port))))
		},
		Peer: func(p string) (string, error) {
			if a, ok := cfg.Peers[p]; ok {
				return a, nil
			}
			return "", fmt.Errorf("no endpoint for provider %s in config peers", p)
		},
		Cert:     func(l overlay.Link) tunnel.CertSource { return &tunnelcert.Renewer{Issuer: issuer, Link: l, TTL: ttl} },
		Template: tunnel.Config{Verifier: verifier, DialTimeout: dialTimeout, ProbeEvery: probe, Backoff: tunnel.Backoff{Min: 100 * time.Millisecond, Max: boMax}},
	})
	if err != nil {
		ep.Close()
		return nil, err
	}
	p := &Process{Endpoint: ep, Set: set}
	if cfg.HTTP != "" {
		if err := p.serveHTTP(cfg.HTTP); err != nil {
			p.Close()
			return nil, err
		}
	}
	return p, nil
}

func (p *Process) serveHTTP(addr string) error {
	reg := prometheus.NewRegistry()
	reg.MustRegister(tunnel.Collector{Snapshot: p.Set.Stats})
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/tunnels", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.Encode(p.Set.Stats())
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("tunneld: http listen on %s: %w", addr, err)
	}
	p.httpLn = ln
	p.http = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go p.http.Serve(ln)
	return nil
}

// HTTPAddr is where /metrics and /tunnels answer ("" when off).
func (p *Process) HTTPAddr() string {
	if p.httpLn == nil {
		return ""
	}
	return p.httpLn.Addr().String()
}

// Close stops everything.
func (p *Process) Close() error {
	if p.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		p.http.Shutdown(ctx)
	}
	return errors.Join(p.Set.Close(), p.Endpoint.Close())
}

func orDefault(m map[string]string, l overlay.Link, def string) string {
	if a, ok := m[net.JoinHostPort(l.Conn.To, strconv.Itoa(int(l.Conn.Port)))]; ok {
		return a
	}
	return def
}

func parseRoot(certPEM, keyPEM string) (*x509.Certificate, crypto.Signer, error) {
	pair, err := tls.X509KeyPair([]byte(certPEM), []byte(keyPEM))
	if err != nil {
		return nil, nil, fmt.Errorf("tunneld: config: root_cert/root_key: %w", err)
	}
	signer, ok := pair.PrivateKey.(crypto.Signer)
	if !ok {
		return nil, nil, errors.New("tunneld: config: root_key cannot sign")
	}
	return pair.Leaf, signer, nil
}

func parseCert(s string) (*x509.Certificate, error) {
	b, _ := pem.Decode([]byte(s))
	if b == nil || b.Type != "CERTIFICATE" {
		return nil, errors.New("not a PEM CERTIFICATE block")
	}
	return x509.ParseCertificate(b.Bytes)
}

func durationOr(s string, def time.Duration, key string) (time.Duration, error) {
	if s == "" {
		return def, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("tunneld: config: %s %q: want a positive Go duration such as 30s", key, s)
	}
	return d, nil
}
