// Package tenant is the tenant side of a deployment: create it on chain,
// wait for its leases, send the manifest to each winning provider over
// mutual TLS, wait until the services run and report their endpoints; and
// status, logs, update, deposit and close. `akash-node deploy ...` is a thin
// command over it.
package tenant

import (
	"context"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/conv"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
	mtypes "github.com/akash-market/akash/node/x/market/types"
	ptypes "github.com/akash-market/akash/node/x/provider/types"
	"github.com/akash-market/akash/provider/certs"
	"github.com/akash-market/akash/provider/chainclient"
	"github.com/akash-market/akash/provider/gateway"
	"github.com/akash-market/akash/provider/manager"
)

// Client acts for one tenant account.
type Client struct {
	Chain   *chainclient.Client // signs as the tenant
	Account certs.Account       // the tenant's certificate (on chain)
	Log     io.Writer           // progress lines; io.Discard for none
	Poll    time.Duration       // how often to poll the chain and providers (default 500ms)
}

func (c *Client) owner() string { return c.Chain.Signer() }

func (c *Client) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, format+"\n", args...)
	}
}

func (c *Client) poll() time.Duration {
	if c.Poll == 0 {
		return 500 * time.Millisecond
	}
	return c.Poll
}

// Result is what Create did.
type Result struct {
	Deployment market.DeploymentID
	Version    string
	Leases     []LeaseResult
	Timings    Timings
}

// LeaseResult is one lease of the deployment and where it runs.
type LeaseResult struct {
	Lease     market.LeaseID
	HostURI   string
	Price     string
	Endpoints []string
}

// Timings is where Create's time went.
type Timings struct {
	Cert, CreateTx, Match, Manifest, Running, Total time.Duration
}

func (t Timings) String() string {
	return fmt.Sprintf("total %s: certificate %s, create tx %s, waiting for the match %s, manifest %s, until running %s",
		t.Total.Round(time.Millisecond), t.Cert.Round(time.Millisecond), t.CreateTx.Round(time.Millisecond), t.Match.Round(time.Millisecond),
		t.Manifest.Round(time.Millisecond), t.Running.Round(time.Millisecond))
}

// Create runs the whole flow for manifest m with deposit, as deployment
// dseq (0 = the current height).
func (c *Client) Create(ctx context.Context, m *manifest.Manifest, deposit sdk.Coin, dseq uint64, timeout time.Duration) (Result, error) {
	var res Result
	start := time.Now()
	t0 := start
	if published, err := c.Chain.PublishCert(ctx, c.Account); err != nil {
		return res, fmt.Errorf("tenant certificate: %w", err)
	} else if published {
		c.logf("published certificate serial %s", c.Account.X509.SerialNumber)
	}
	res.Timings.Cert = time.Since(t0)
	if dseq == 0 {
		h, err := c.Chain.Height(ctx)
		if err != nil {
			return res, err
		}
		dseq = uint64(h)
	}
	did := market.DeploymentID{Owner: c.owner(), DSeq: dseq}
	res.Deployment = did
	v := m.Version()
	res.Version = hex.EncodeToString(v[:])
	groups := make([]dtypes.GroupSpec, len(m.Groups()))
	for i, g := range m.Groups() {
		groups[i] = conv.GroupSpec(g)
	}
	t0 = time.Now()
	msg := &dtypes.MsgCreateDeployment{Owner: did.Owner, Dseq: did.DSeq, Groups: groups, Version: v[:], Deposit: deposit}
	if err := c.Chain.Send(ctx, "create deployment "+did.String(), msg); err != nil {
		return res, err
	}
	res.Timings.CreateTx = time.Since(t0)
	c.logf("deployment %s created (version %s, %d group(s), deposit %s)", did, res.Version[:12], len(groups), deposit)

	t0 = time.Now()
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	leases, err := c.WaitLeases(wctx, did, len(groups))
	if err != nil {
		return res, err
	}
	res.Timings.Match = time.Since(t0)
	t0 = time.Now()
	if err := c.SendManifest(wctx, did, m, leases); err != nil {
		return res, err
	}
	res.Timings.Manifest = time.Since(t0)
	t0 = time.Now()
	ready, err := c.WaitRunning(wctx, leases)
	res.Leases = ready
	res.Timings.Running = time.Since(t0)
	res.Timings.Total = time.Since(start)
	return res, err
}

// WaitLeases waits until each of the deployment's n groups has an active
// lease. An order that closes unmatched ends the wait with the market's
// explanation (e.g. "no eligible bid among 2: 2 ineligible (price 2)").
func (c *Client) WaitLeases(ctx context.Context, did market.DeploymentID, n int) ([]market.LeaseID, error) {
	for {
		var lr mtypes.QueryLeasesResponse
		if err := c.Chain.Query(ctx, "/akash.market.v1.Query/Leases", 0, &mtypes.QueryLeasesRequest{Owner: did.Owner, State: "active"}, &lr); err != nil {
			return nil, err
		}
		var leases []market.LeaseID
		for _, l := range lr.Leases {
			if l.ID.DSeq == did.DSeq {
				leases = append(leases, l.ID.ToCore())
			}
		}
		if len(leases) >= n {
			slices.SortFunc(leases, func(a, b market.LeaseID) int { return int(a.GSeq) - int(b.GSeq) })
			for _, l := range leases {
				c.logf("lease %s", l)
			}
			return leases, nil
		}
		var or mtypes.QueryOrdersResponse
		if err := c.Chain.Query(ctx, "/akash.market.v1.Query/Orders", 0, &mtypes.QueryOrdersRequest{Owner: did.Owner, State: "unmatched"}, &or); err == nil {
			for _, o := range or.Orders {
				if o.ID.DSeq == did.DSeq {
					return leases, fmt.Errorf("order %s closed without a lease: %s (%s); raise the price in the manifest's placement pricing or relax its attributes, then update or recreate the deployment", o.ID, o.CloseReason, o.CloseDetail)
				}
			}
		}
		select {
		case <-ctx.Done():
			return leases, fmt.Errorf("deployment %s: %d of %d group(s) leased when the wait ended (%w); see akash-node query market orders --owner %s", did, len(leases), n, ctx.Err(), did.Owner)
		case <-time.After(c.poll()):
		}
	}
}

// provider looks up a provider's gateway URI and its certificate on chain.
func (c *Client) provider(ctx context.Context, addr string) (string, *x509.Certificate, error) {
	var pr ptypes.QueryProviderResponse
	if err := c.Chain.Query(ctx, "/akash.provider.v1.Query/Provider", 0, &ptypes.QueryProviderRequest{Owner: addr}, &pr); err != nil {
		return "", nil, fmt.Errorf("provider %s: %w", addr, err)
	}
	cert, err := c.Chain.ProviderCert(ctx, addr)
	if err != nil {
		return "", nil, err
	}
	return strings.TrimRight(pr.Provider.HostURI, "/"), cert, nil
}

// httpClient speaks mTLS as the tenant to one provider (its on-chain
// certificate pinned).
func (c *Client) httpClient(provider *x509.Certificate) *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: gateway.ClientTLSConfig(c.Account.TLS, provider)}}
}

// SendManifest PUTs the manifest to each lease's provider (once per provider).
func (c *Client) SendManifest(ctx context.Context, did market.DeploymentID, m *manifest.Manifest, leases []market.LeaseID) error {
	sent := map[string]bool{}
	for _, l := range leases {
		if sent[l.Provider] {
			continue
		}
		sent[l.Provider] = true
		host, cert, err := c.provider(ctx, l.Provider)
		if err != nil {
			return err
		}
		u := fmt.Sprintf("%s/deployment/%s/%d/manifest", host, did.Owner, did.DSeq)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPut, u, strings.NewReader(string(m.Canonical())))
		resp, err := c.httpClient(cert).Do(req)
		if err != nil {
			return fmt.Errorf("send manifest to provider %s at %s: %w", l.Provider, host, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			return fmt.Errorf("provider %s refused the manifest of lease %s: %s %s", l.Provider, l, resp.Status, gatewayError(body))
		}
		c.logf("manifest sent to %s (%s)", l.Provider, host)
	}
	return nil
}

func gatewayError(body []byte) string {
	var e struct{ Error string }
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		return e.Error
	}
	return strings.TrimSpace(string(body))
}

// LeaseStatus is the provider's status document (manager.LeaseStatus).
type LeaseStatus = manager.LeaseStatus

// Status asks a lease's provider for its status.
func (c *Client) Status(ctx context.Context, l market.LeaseID) (LeaseStatus, string, error) {
	var st LeaseStatus
	host, cert, err := c.provider(ctx, l.Provider)
	if err != nil {
		return st, "", err
	}
	u := fmt.Sprintf("%s/lease/%s/%d/%d/%d/status", host, l.Owner, l.DSeq, l.GSeq, l.OSeq)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := c.httpClient(cert).Do(req)
	if err != nil {
		return st, host, fmt.Errorf("status of lease %s from %s: %w", l, host, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return st, host, fmt.Errorf("status of lease %s: %s %s", l, resp.Status, gatewayError(body))
	}
	return st, host, json.Unmarshal(body, &st)
}

// WaitRunning polls each lease's status until every service is ready.
func (c *Client) WaitRunning(ctx context.Context, leases []market.LeaseID) ([]LeaseResult, error) {
	out := make([]LeaseResult, len(leases))
	for i, l := range leases {
		for {
			st, host, err := c.Status(ctx, l)
			if err == nil && st.Ready {
				out[i] = LeaseResult{Lease: l, HostURI: host}
				for _, s := range st.Services {
					for _, e := range s.Endpoints {
						out[i].Endpoints = append(out[i].Endpoints, fmt.Sprintf("%s %d/%s http://%s", s.Name, e.Port, e.Proto, e.Address()))
					}
				}
				break
			}
			select {
			case <-ctx.Done():
				if err == nil {
					err = fmt.Errorf("services not all running")
				}
				return out, fmt.Errorf("lease %s not running when the wait ended: %v; see akash-node deploy status/logs %d", l, err, l.DSeq)
			case <-time.After(c.poll()):
			}
		}
	}
	return out, nil
}

// LogOptions select logs.
type LogOptions = gateway.LogOptions

// Logs streams a lease's logs into w.
func (c *Client) Logs(ctx context.Context, l market.LeaseID, o LogOptions, w io.Writer) error {
	host, cert, err := c.provider(ctx, l.Provider)
	if err != nil {
		return err
	}
	q := url.Values{}
	if o.Follow {
		q.Set("follow", "1")
	}
	if o.Tail > 0 {
		q.Set("tail", fmt.Sprint(o.Tail))
	}
	if o.Service != "" {
		q.Set("service", o.Service)
	}
	u := fmt.Sprintf("%s/lease/%s/%d/%d/%d/logs?%s", host, l.Owner, l.DSeq, l.GSeq, l.OSeq, q.Encode())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := c.httpClient(cert).Do(req)
	if err != nil {
		return fmt.Errorf("logs of lease %s from %s: %w", l, host, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		body, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("logs of lease %s: %s %s", l, resp.Status, gatewayError(body))
	}
	_, err = io.Copy(w, resp.Body)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// Deployment is the chain's record of a deployment and its leases.
type Deployment struct {
	Deployment dtypes.Deployment
	Leases     []mtypes.Lease // active and closed
}

// Get reads the deployment and every lease it had.
func (c *Client) Get(ctx context.Context, did market.DeploymentID) (Deployment, error) {
	var d Deployment
	var dr dtypes.QueryDeploymentResponse
	if err := c.Chain.Query(ctx, "/akash.deployment.v1.Query/Deployment", 0, &dtypes.QueryDeploymentRequest{Owner: did.Owner, Dseq: did.DSeq}, &dr); err != nil {
		return d, fmt.Errorf("deployment %s: %w", did, err)
	}
	d.Deployment = dr.Deployment
	var lr mtypes.QueryLeasesResponse
	if err := c.Chain.Query(ctx, "/akash.market.v1.Query/Leases", 0, &mtypes.QueryLeasesRequest{Owner: did.Owner}, &lr); err != nil {
		return d, err
	}
	for _, l := range lr.Leases {
		if l.ID.DSeq == did.DSeq {
			d.Leases = append(d.Leases, l)
		}
	}
	return d, nil
}

// Close closes the deployment (every lease, refund of the rest).
func (c *Client) Close(ctx context.Context, did market.DeploymentID) error {
	return c.Chain.Send(ctx, "close deployment "+did.String(), &dtypes.MsgCloseDeployment{Owner: did.Owner, Dseq: did.DSeq})
}

// Deposit adds funds to the deployment's escrow.
func (c *Client) Deposit(ctx context.Context, did market.DeploymentID, amount sdk.Coin) error {
	return c.Chain.Send(ctx, "deposit into "+did.String(), &dtypes.MsgDepositDeployment{Owner: did.Owner, Dseq: did.DSeq, Amount: amount, Depositor: c.owner()})
}

// Update records a new manifest version on chain and sends the new manifest
// to the deployment's providers.
func (c *Client) Update(ctx context.Context, did market.DeploymentID, m *manifest.Manifest) error {
	v := m.Version()
	if err := c.Chain.Send(ctx, "update deployment "+did.String(), &dtypes.MsgUpdateDeployment{Owner: did.Owner, Dseq: did.DSeq, Version: v[:], Groups: conv.GroupSpecs(m.Groups())}); err != nil {
		return err
	}
	d, err := c.Get(ctx, did)
	if err != nil {
		return err
	}
	var active []market.LeaseID
	for _, l := range d.Leases {
		if l.State == mtypes.LeaseActive {
			active = append(active, l.ID.ToCore())
		}
	}
	return c.SendManifest(ctx, did, m, active)
}
