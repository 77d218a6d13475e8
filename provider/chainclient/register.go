package chainclient

import (
	"context"
	"fmt"
	"slices"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/x/cert/certgen"
	certtypes "github.com/akash-market/akash/node/x/cert/types"
	ptypes "github.com/akash-market/akash/node/x/provider/types"
)

// Send signs msgs into one transaction from the client's key and waits for
// its block (for commands other than the daemon's own txs).
func (c *Client) Send(ctx context.Context, what string, msgs ...sdk.Msg) error {
	return c.send(ctx, what, msgs...)
}

// EnsureProvider registers the provider with host URI and attributes, or
// updates its registration when either changed. It reports what it did:
// "registered", "updated" or "unchanged".
func (c *Client) EnsureProvider(ctx context.Context, hostURI string, attrs manifest.Attributes) (string, error) {
	want := make([]ptypes.Attribute, len(attrs))
	for i, a := range attrs {
		want[i] = ptypes.Attribute{Key: a.Key, Value: a.Value}
	}
	var resp ptypes.QueryProviderResponse
	err := c.query(ctx, "/akash.provider.v1.Query/Provider", 0, &ptypes.QueryProviderRequest{Owner: c.cfg.Provider}, &resp)
	if IsNotFound(err) {
		if hostURI == "" {
			return "", fmt.Errorf("provider %s is not registered and host-uri is empty in the config; set host-uri: https://<public address>:8443", c.cfg.Provider)
		}
		if err := c.send(ctx, "register provider", &ptypes.MsgCreateProvider{Owner: c.cfg.Provider, HostURI: hostURI, Attributes: want}); err != nil {
			return "", err
		}
		return "registered", nil
	}
	if err != nil {
		return "", err
	}
	p := resp.Provider
	if (hostURI == "" || p.HostURI == hostURI) && slices.Equal(p.Attributes, want) {
		return "unchanged", nil
	}
	if hostURI == "" {
		hostURI = p.HostURI
	}
	if err := c.send(ctx, "update provider", &ptypes.MsgUpdateProvider{Owner: c.cfg.Provider, HostURI: hostURI, Attributes: want}); err != nil {
		return "", err
	}
	return "updated", nil
}

// Reputation is the provider's reputation as the chain computes it.
func (c *Client) Reputation(ctx context.Context) (market.Reputation, error) {
	var resp ptypes.QueryReputationResponse
	if err := c.query(ctx, "/akash.provider.v1.Query/Reputation", 0, &ptypes.QueryReputationRequest{Provider: c.cfg.Provider}, &resp); err != nil {
		return 0, err
	}
	return market.Reputation(resp.Reputation), nil
}

// PublishCert registers an account certificate in the cert module unless the
// chain already holds it.
func (c *Client) PublishCert(ctx context.Context, a certgen.Account) (published bool, err error) {
	if root, err := c.Root(ctx, c.cfg.Provider, a.X509.SerialNumber); err == nil && root.Cert != nil && root.Cert.Equal(a.X509) {
		if root.Revoked {
			return false, fmt.Errorf("certificate serial %s of %s was revoked on chain; make a new one", a.X509.SerialNumber, c.cfg.Provider)
		}
		return false, nil
	}
	pub, err := a.PubKeyPEM()
	if err != nil {
		return false, err
	}
	if err := c.send(ctx, "publish certificate", &certtypes.MsgCreateCertificate{Owner: c.cfg.Provider, Cert: a.CertPEM(), Pubkey: pub}); err != nil {
		return false, err
	}
	return true, nil
}

// EnsureStake bonds what is missing for the provider's bonded stake to reach
// want (it never unbonds: lowering the target is the operator's explicit
// `tx provider unbond-stake`). It reports the amount bonded now (zero when
// the stake already suffices).
func (c *Client) EnsureStake(ctx context.Context, want sdk.Coin) (sdk.Coin, error) {
	var resp ptypes.QueryStakeResponse
	err := c.query(ctx, "/akash.provider.v1.Query/Stake", 0, &ptypes.QueryStakeRequest{Provider: c.cfg.Provider}, &resp)
	bonded := sdkmath.ZeroInt()
	switch {
	case err == nil:
		if !resp.Stake.Bonded.IsNil() {
			bonded = resp.Stake.Bonded
		}
		if resp.Denom != "" && resp.Denom != want.Denom {
			return sdk.Coin{}, fmt.Errorf("stake is in %s on this chain, the config asks for %s", resp.Denom, want.Denom)
		}
	case IsNotFound(err):
	default:
		return sdk.Coin{}, err
	}
	if bonded.GTE(want.Amount) {
		return sdk.NewCoin(want.Denom, sdkmath.ZeroInt()), nil
	}
	add := sdk.NewCoin(want.Denom, want.Amount.Sub(bonded))
	if err := c.send(ctx, "bond stake "+add.String(), &ptypes.MsgBondStake{Provider: c.cfg.Provider, Amount: add}); err != nil {
		return sdk.Coin{}, err
	}
	return add, nil
}
