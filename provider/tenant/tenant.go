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
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/cert/certgen"
	"github.com/akash-market/akash/node/x/conv"
	dcli "github.com/akash-market/akash/node/x/deployment/client/cli"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
	mtypes "github.com/akash-market/akash/node/x/market/types"
	ptypes "github.com/akash-market/akash/node/x/provider/types"
	"github.com/akash-market/akash/provider/chainclient"
	"github.com/akash-market/akash/provider/gateway"
	"github.com/akash-market/akash/provider/manager"
)

// ErrNoLease: an order of the deployment closed without a lease.
var ErrNoLease = errors.New("no lease")

// Client acts for one tenant account.
type Client struct {
	Chain   *chainclient.Client // signs as the tenant
	Account certgen.Account     // the tenant's certificate (on chain)
	Log     io.Writer           // progress lines; io.Discard for none
	Poll    time.Duration       // how often to poll the chain and providers (default 500ms)
	// KeepOnFailure leaves a deployment open when Create gives up before
	// its services run (by default Create closes it, refunding the deposit).
	KeepOnFailure bool
	// ManifestRetry bounds how long SendManifest keeps trying a provider
	// that does not answer or answers 5xx (backoff from 250ms doubling to
	// 4s; default 30s, and never past the context's deadline).
	ManifestRetry time.Duration
	// Picker chooses a bid for each order that waits for the tenant's pick
	// (the market's matching: tenant); nil: such an order is an error
	// (ErrPickNeeded) that lists its bids.
	Picker Picker
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
// dseq (0 = the current height); asks says whether its orders take sealed
// bids and the least reputation a bidder needs.
func (c *Client) Create(ctx context.Context, m *manifest.Manifest, deposit sdk.Coin, asks market.Asks, dseq uint64, timeout time.Duration) (Result, error) {
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
	msg := &dtypes.MsgCreateDeployment{Owner: did.Owner, Dseq: did.DSeq, Groups: groups, Version: v[:], Deposit: deposit,
		Sealed: asks.Sealed, MinReputation: uint32(asks.MinReputation)}
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
		return res, c.failed(ctx, did, err)
	}
	res.Timings.Match = time.Since(t0)
	t0 = time.Now()
	if err := c.SendManifest(wctx, did, m, leases); err != nil {
		return res, c.failed(ctx, did, err)
	}
	res.Timings.Manifest = time.Since(t0)
	t0 = time.Now()
	ready, err := c.WaitRunning(wctx, leases)
	res.Leases = ready
	res.Timings.Running = time.Since(t0)
	res.Timings.Total = time.Since(start)
	return res, err
}

// failed closes a deployment that could not start (no lease for a group, or
// the manifest could not be delivered), so its deposit is not left in escrow
// (docs/provider.md, "When deploy create gives up"); KeepOnFailure leaves it.
func (c *Client) failed(ctx context.Context, did market.DeploymentID, cause error) error {
	if c.KeepOnFailure {
		return fmt.Errorf("%w; the deployment stays open (--keep-on-failure): close it with akash-node deploy close %d to get the deposit back", cause, did.DSeq)
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := c.Close(cctx, did); err != nil {
		return fmt.Errorf("%w; closing the deployment failed too (%v): close it with akash-node deploy close %d to get the deposit back", cause, err, did.DSeq)
	}
	c.logf("deployment %s closed: the rest of its deposit returned", did)
	return fmt.Errorf("%w; deployment %s closed and the rest of its deposit returned", cause, did)
}

// WaitLeases waits until each of the deployment's n groups has an active
// lease. An order that closes unmatched ends the wait with the market's
// explanation (e.g. "no eligible bid among 2: 2 ineligible (price 2)").
func (c *Client) WaitLeases(ctx context.Context, did market.DeploymentID, n int) ([]market.LeaseID, error) {
	picked := map[string]bool{}
	for {
		active, err := c.leases(ctx, did, "active")
		if err != nil {
			return nil, err
		}
		var leases []market.LeaseID
		for _, l := range active {
			leases = append(leases, l.ID.ToCore())
		}
		if len(leases) >= n {
			slices.SortFunc(leases, func(a, b market.LeaseID) int { return int(a.GSeq) - int(b.GSeq) })
			for _, l := range leases {
				c.logf("lease %s", l)
			}
			return leases, nil
		}
		if err := c.pickAwaiting(ctx, did, picked); err != nil {
			return leases, err
		}
		if unmatched, err := c.orders(ctx, did, "unmatched"); err == nil && len(unmatched) > 0 {
			o := unmatched[0]
			return leases, fmt.Errorf("%w: order %s closed without a lease: %s (%s); raise the price in the manifest's placement pricing or relax its attributes, then create the deployment again", ErrNoLease, o.ID, o.CloseReason, o.CloseDetail)
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

// SendManifest PUTs the manifest to each lease's provider (once per
// provider). A provider that cannot be reached or answers 5xx is tried
// again with backoff for up to ManifestRetry; a 4xx refusal is final.
func (c *Client) SendManifest(ctx context.Context, did market.DeploymentID, m *manifest.Manifest, leases []market.LeaseID) error {
	sent := map[string]bool{}
	for _, l := range leases {
		if sent[l.Provider] {
			continue
		}
		sent[l.Provider] = true
		if err := c.putManifest(ctx, did, m, l); err != nil {
			return err
		}
	}
	return nil
}

func (c *Client) putManifest(ctx context.Context, did market.DeploymentID, m *manifest.Manifest, l market.LeaseID) error {
	host, cert, err := c.provider(ctx, l.Provider)
	if err != nil {
		return err
	}
	retry := c.ManifestRetry
	if retry == 0 {
		retry = 30 * time.Second
	}
	deadline := time.Now().Add(retry)
	u := fmt.Sprintf("%s/deployment/%s/%d/manifest", host, did.Owner, did.DSeq)
	hc := c.httpClient(cert)
	for wait, attempt := 250*time.Millisecond, 1; ; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPut, u, strings.NewReader(string(m.Canonical())))
		resp, err := hc.Do(req)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			switch {
			case resp.StatusCode == http.StatusAccepted:
				c.logf("manifest sent to %s (%s)", l.Provider, host)
				return nil
			case resp.StatusCode < 500:
				return fmt.Errorf("provider %s refused the manifest of lease %s: %s %s", l.Provider, l, resp.Status, gatewayError(body))
			}
			err = fmt.Errorf("%s %s", resp.Status, gatewayError(body))
		}
		if ctx.Err() != nil || time.Now().Add(wait).After(deadline) {
			return fmt.Errorf("send manifest to provider %s at %s: %d attempt(s) in %s, last: %w (send it again with akash-node deploy send-manifest %d <manifest.yaml>)",
				l.Provider, host, attempt, retry, err, did.DSeq)
		}
		c.logf("provider %s at %s: %v; trying again in %s", l.Provider, host, err, wait)
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(2*wait, 4*time.Second)
	}
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
	var err error
	d.Leases, err = c.leases(ctx, did, "")
	return d, err
}

// leases pages through the owner's leases in state ("" = any) and keeps the
// deployment's (the chain filters leases by owner, not by dseq).
func (c *Client) leases(ctx context.Context, did market.DeploymentID, state string) ([]mtypes.Lease, error) {
	var out []mtypes.Lease
	err := chainclient.Pages(func(page *query.PageRequest) (*query.PageResponse, error) {
		var lr mtypes.QueryLeasesResponse
		if err := c.Chain.Query(ctx, "/akash.market.v1.Query/Leases", 0, &mtypes.QueryLeasesRequest{Owner: did.Owner, State: state, Pagination: page}, &lr); err != nil {
			return nil, fmt.Errorf("leases of %s: %w", did.Owner, err)
		}
		for _, l := range lr.Leases {
			if l.ID.DSeq == did.DSeq {
				out = append(out, l)
			}
		}
		return lr.Pagination, nil
	})
	return out, err
}

// orders pages through the owner's orders in state and keeps the
// deployment's.
func (c *Client) orders(ctx context.Context, did market.DeploymentID, state string) ([]mtypes.Order, error) {
	var out []mtypes.Order
	err := chainclient.Pages(func(page *query.PageRequest) (*query.PageResponse, error) {
		var or mtypes.QueryOrdersResponse
		if err := c.Chain.Query(ctx, "/akash.market.v1.Query/Orders", 0, &mtypes.QueryOrdersRequest{Owner: did.Owner, State: state, Pagination: page}, &or); err != nil {
			return nil, fmt.Errorf("orders of %s: %w", did.Owner, err)
		}
		for _, o := range or.Orders {
			if o.ID.DSeq == did.DSeq {
				out = append(out, o)
			}
		}
		return or.Pagination, nil
	})
	return out, err
}

// Close closes the deployment (every lease, refund of the rest).
func (c *Client) Close(ctx context.Context, did market.DeploymentID) error {
	return c.Chain.Send(ctx, "close deployment "+did.String(), &dtypes.MsgCloseDeployment{Owner: did.Owner, Dseq: did.DSeq})
}

// Deposit adds funds to the deployment's escrow.
func (c *Client) Deposit(ctx context.Context, did market.DeploymentID, amount sdk.Coin) error {
	return c.Chain.Send(ctx, "deposit into "+did.String(), &dtypes.MsgDepositDeployment{Owner: did.Owner, Dseq: did.DSeq, Amount: amount, Depositor: c.owner()})
}

// ErrGroupsDiffer: an update's manifest changes the deployment's groups
// (resources, placement, prices), which the chain keeps for its life.
var ErrGroupsDiffer = errors.New("the manifest's groups differ from the deployment's")

// Update records a new manifest version on chain, sends the new manifest to
// the deployment's providers and waits until its services run again (their
// endpoints, with any new host port, are in the result). A manifest whose
// groups differ from the deployment's (a new price, more resources) is
// refused before anything is sent, with what differs.
func (c *Client) Update(ctx context.Context, did market.DeploymentID, m *manifest.Manifest) ([]LeaseResult, error) {
	var dr dtypes.QueryDeploymentResponse
	if err := c.Chain.Query(ctx, "/akash.deployment.v1.Query/Deployment", 0, &dtypes.QueryDeploymentRequest{Owner: did.Owner, Dseq: did.DSeq}, &dr); err != nil {
		return nil, fmt.Errorf("deployment %s: %w", did, err)
	}
	if err := dcli.SameGroups(dr.Groups, dcli.Specs(m)); err != nil {
		return nil, fmt.Errorf("%w: deployment %s: %v; the chain keeps a deployment's groups for its life: to change them, close it (akash-node deploy close %d) and create a new one", ErrGroupsDiffer, did, err, did.DSeq)
	}
	v := m.Version()
	if string(dr.Deployment.Version) == string(v[:]) {
		return nil, fmt.Errorf("deployment %s is already at version %x: nothing to update (to send the same manifest again: akash-node deploy send-manifest %d)", did, v[:6], did.DSeq)
	}
	if err := c.Chain.Send(ctx, "update deployment "+did.String(), &dtypes.MsgUpdateDeployment{Owner: did.Owner, Dseq: did.DSeq, Version: v[:], Groups: conv.GroupSpecs(m.Groups())}); err != nil {
		return nil, err
	}
	c.logf("deployment %s at version %x", did, v[:6])
	return c.Resend(ctx, did, m)
}

// Resend sends the manifest (which must be the deployment's version on
// chain) to the providers of the deployment's active leases and waits until
// its services run.
func (c *Client) Resend(ctx context.Context, did market.DeploymentID, m *manifest.Manifest) ([]LeaseResult, error) {
	d, err := c.Get(ctx, did)
	if err != nil {
		return nil, err
	}
	v := m.Version()
	if string(d.Deployment.Version) != string(v[:]) {
		return nil, fmt.Errorf("the manifest's version %x is not deployment %s's %x: send the manifest the deployment was created or updated with, or update it (akash-node deploy update %d <manifest.yaml>)",
			v[:6], did, d.Deployment.Version[:min(6, len(d.Deployment.Version))], did.DSeq)
	}
	var active []market.LeaseID
	for _, l := range d.Leases {
		if l.State == mtypes.LeaseActive {
			active = append(active, l.ID.ToCore())
		}
	}
	if len(active) == 0 {
		return nil, fmt.Errorf("deployment %s has no active lease to send the manifest to (see akash-node deploy status %d)", did, did.DSeq)
	}
	if err := c.SendManifest(ctx, did, m, active); err != nil {
		return nil, err
	}
	return c.WaitRunning(ctx, active)
}
