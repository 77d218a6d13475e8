package overlaylink

import (
	"context"
	"fmt"
	"strings"

	"github.com/akash-market/akash/core/market"
	ptypes "github.com/akash-market/akash/node/x/provider/types"
	"github.com/akash-market/akash/provider/gateway"
	gogoproto "github.com/cosmos/gogoproto/proto"
)

// Querier is the chain client's generic gRPC query over CometBFT
// (chainclient.Client.Query) plus its gateway view.
type Querier interface {
	gateway.Chain
	Query(ctx context.Context, method string, height int64, req, resp gogoproto.Message) error
}

// Registry implements Chain over the chain client: deployments as the
// gateway reads them, host URIs from the provider module.
type Registry struct{ Querier }

// Deployment implements gateway.Chain.
func (r Registry) Deployment(ctx context.Context, id market.DeploymentID) (gateway.Deployment, error) {
	return r.Querier.Deployment(ctx, id)
}

// HostURI implements Chain.
func (r Registry) HostURI(ctx context.Context, provider string) (string, error) {
	var resp ptypes.QueryProviderResponse
	if err := r.Query(ctx, "/akash.provider.v1.Query/Provider", 0, &ptypes.QueryProviderRequest{Owner: provider}, &resp); err != nil {
		return "", fmt.Errorf("provider %s in the registry: %w", provider, err)
	}
	uri := strings.TrimRight(resp.Provider.HostURI, "/")
	if uri == "" {
		return "", fmt.Errorf("provider %s registered no host URI", provider)
	}
	return uri, nil
}
