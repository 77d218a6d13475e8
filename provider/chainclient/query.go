package chainclient

import (
	"context"
	"crypto/x509"
	"fmt"
	"math/big"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/cert/certgen"
	certtypes "github.com/akash-market/akash/node/x/cert/types"
	"github.com/akash-market/akash/node/x/conv"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
	mtypes "github.com/akash-market/akash/node/x/market/types"
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/akash-market/akash/provider/bidengine"
	"github.com/akash-market/akash/provider/gateway"
)

func rpcABCIQueryOptions(height int64) rpcclient.ABCIQueryOptions {
	return rpcclient.ABCIQueryOptions{Height: height}
}

// PageLimit is the page size of list queries (the chain's default is 100).
const PageLimit = 500

// Snapshot implements manager.ChainClient: open orders, this provider's open
// bids and its active leases, all read at one height.
func (c *Client) Snapshot(ctx context.Context) (bidengine.Snapshot, error) {
	h, err := c.height(ctx)
	if err != nil {
		return bidengine.Snapshot{}, err
	}
	snap := bidengine.Snapshot{Height: h}
	var next []byte
	for {
		var resp mtypes.QueryOrdersResponse
		if err := c.query(ctx, "/akash.market.v1.Query/Orders", h, &mtypes.QueryOrdersRequest{State: "open", Pagination: &query.PageRequest{Key: next, Limit: PageLimit}}, &resp); err != nil {
			return snap, err
		}
		for _, o := range resp.Orders {
			co, err := o.ToCore()
			if err != nil {
				return snap, fmt.Errorf("order %s from the chain: %w", o.ID, err)
			}
			snap.Orders = append(snap.Orders, co)
		}
		if next = nextKey(resp.Pagination); next == nil {
			break
		}
	}
	for _, state := range []string{"open", "sealed"} {
		next = nil
		for {
			var resp mtypes.QueryBidsResponse
			if err := c.query(ctx, "/akash.market.v1.Query/Bids", h, &mtypes.QueryBidsRequest{Provider: c.cfg.Provider, State: state, Pagination: &query.PageRequest{Key: next, Limit: PageLimit}}, &resp); err != nil {
				return snap, err
			}
			for _, b := range resp.Bids {
				snap.Bids = append(snap.Bids, b.ID.OrderID().ToCore())
				if state == "sealed" {
					snap.Sealed = append(snap.Sealed, b.ID.OrderID().ToCore())
				}
			}
			if next = nextKey(resp.Pagination); next == nil {
				break
			}
		}
	}
	next = nil
	for {
		var resp mtypes.QueryLeasesResponse
		if err := c.query(ctx, "/akash.market.v1.Query/Leases", h, &mtypes.QueryLeasesRequest{Provider: c.cfg.Provider, State: "active", Pagination: &query.PageRequest{Key: next, Limit: PageLimit}}, &resp); err != nil {
			return snap, err
		}
		for _, l := range resp.Leases {
			info, err := c.leaseInfo(ctx, h, l)
			if err != nil {
				return snap, err
			}
			snap.Leases = append(snap.Leases, info)
		}
		if next = nextKey(resp.Pagination); next == nil {
			break
		}
	}
	return snap, nil
}

// Pages runs a list query page by page (PageLimit entries each) until the
// last: fetch asks for the page at key and returns its page response.
func Pages(fetch func(page *query.PageRequest) (*query.PageResponse, error)) error {
	var key []byte
	for {
		resp, err := fetch(&query.PageRequest{Key: key, Limit: PageLimit})
		if err != nil {
			return err
		}
		if key = nextKey(resp); key == nil {
			return nil
		}
	}
}

func nextKey(p *query.PageResponse) []byte {
	if p == nil || len(p.NextKey) == 0 {
		return nil
	}
	return p.NextKey
}

// order reads one order (any state) at height h (0 = latest).
func (c *Client) order(ctx context.Context, h int64, id market.OrderID) (market.Order, error) {
	var resp mtypes.QueryOrderResponse
	req := &mtypes.QueryOrderRequest{Owner: id.Owner, Dseq: id.DSeq, Gseq: id.GSeq, Oseq: id.OSeq}
	if err := c.query(ctx, "/akash.market.v1.Query/Order", h, req, &resp); err != nil {
		return market.Order{}, err
	}
	return resp.Order.ToCore()
}

// leaseInfo completes a chain lease with its order's resources and
// placement attributes (what the inventory needs to hold it).
func (c *Client) leaseInfo(ctx context.Context, h int64, l mtypes.Lease) (bidengine.LeaseInfo, error) {
	id := l.ID.ToCore()
	o, err := c.order(ctx, h, id.OrderID)
	if err != nil {
		return bidengine.LeaseInfo{}, fmt.Errorf("order of lease %s: %w", id, err)
	}
	price, err := mtypes.DecCoinToCore(l.Price)
	if err != nil {
		return bidengine.LeaseInfo{}, fmt.Errorf("lease %s: %w", id, err)
	}
	return bidengine.LeaseInfo{ID: id, Price: price, Resources: o.Resources, Requirements: o.Requirements.Attributes, OpenedAt: l.OpenedAt}, nil
}

// Deployment implements gateway.Chain: the deployment's version and its
// active leases.
func (c *Client) Deployment(ctx context.Context, id market.DeploymentID) (gateway.Deployment, error) {
	var resp dtypes.QueryDeploymentResponse
	err := c.query(ctx, "/akash.deployment.v1.Query/Deployment", 0, &dtypes.QueryDeploymentRequest{Owner: id.Owner, Dseq: id.DSeq}, &resp)
	if IsNotFound(err) {
		return gateway.Deployment{}, fmt.Errorf("deployment %s: %w (%v)", id, gateway.ErrNotFound, err)
	}
	if err != nil {
		return gateway.Deployment{}, err
	}
	d := gateway.Deployment{ID: id, Active: resp.Deployment.State == dtypes.DeploymentActive}
	copy(d.Version[:], resp.Deployment.Version)
	if d.Groups, err = conv.OrderedGroups(resp.Groups); err != nil {
		return d, err
	}
	var next []byte
	for {
		var lr mtypes.QueryLeasesResponse
		if err := c.query(ctx, "/akash.market.v1.Query/Leases", 0, &mtypes.QueryLeasesRequest{Owner: id.Owner, State: "active", Pagination: &query.PageRequest{Key: next, Limit: PageLimit}}, &lr); err != nil {
			return d, err
		}
		for _, l := range lr.Leases {
			if l.ID.DSeq == id.DSeq {
				d.Leases = append(d.Leases, l.ID.ToCore())
			}
		}
		if next = nextKey(lr.Pagination); next == nil {
			break
		}
	}
	return d, nil
}

// Root implements tunnelcert.RootStore over the cert module: owner's
// certificate with serial, and whether it was revoked.
func (c *Client) Root(ctx context.Context, owner string, serial *big.Int) (tunnelcert.Root, error) {
	var resp certtypes.QueryCertificatesResponse
	if err := c.query(ctx, "/akash.cert.v1.Query/Certificates", 0, &certtypes.QueryCertificatesRequest{Owner: owner, Serial: serial.String()}, &resp); err != nil {
		return tunnelcert.Root{}, err
	}
	for _, cert := range resp.Certificates {
		if cert.Owner != owner || cert.Serial != serial.String() {
			continue
		}
		x, err := certgen.ParsePEM(cert.Cert)
		if err != nil {
			return tunnelcert.Root{}, fmt.Errorf("certificate %s of %s on chain: %w", serial, owner, err)
		}
		return tunnelcert.Root{Cert: x, Revoked: cert.State == certtypes.CertificateRevoked}, nil
	}
	return tunnelcert.Root{}, tunnelcert.ErrRootNotFound
}

// ProviderCert returns a provider's valid certificate on chain (the gateway's
// identity that tenants pin).
func (c *Client) ProviderCert(ctx context.Context, owner string) (*x509.Certificate, error) {
	var resp certtypes.QueryCertificatesResponse
	if err := c.query(ctx, "/akash.cert.v1.Query/Certificates", 0, &certtypes.QueryCertificatesRequest{Owner: owner, State: "valid"}, &resp); err != nil {
		return nil, err
	}
	for _, cert := range resp.Certificates {
		if x, err := certgen.ParsePEM(cert.Cert); err == nil {
			return x, nil
		}
	}
	return nil, fmt.Errorf("provider %s has no valid certificate on chain; it must publish one (akash-node provider cert create, or akash-node tx cert generate client + publish client)", owner)
}
