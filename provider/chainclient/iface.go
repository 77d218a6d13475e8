package chainclient

import (
	"github.com/akash-market/akash/overlay/tunnelcert"
	"github.com/akash-market/akash/provider/gateway"
	"github.com/akash-market/akash/provider/manager"
)

// The client serves the daemon, its gateway (deployments and management grants) and the overlay's certificate checks.
var (
	_ manager.ChainClient  = (*Client)(nil)
	_ gateway.Chain        = (*Client)(nil)
	_ gateway.Grants       = (*Client)(nil)
	_ tunnelcert.RootStore = (*Client)(nil)
)
