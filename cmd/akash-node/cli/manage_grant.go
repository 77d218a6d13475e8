package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"

	dtypes "github.com/akash-market/akash/node/x/deployment/types"
)

// The deployment management grant (docs/tiers.md): `tx authz grant MANAGER
// manage-deployments ...` builds a ManageDeploymentsAuthorization; `tx authz
// revoke MANAGER manage-deployments` revokes it. The SDK's grant command keeps
// every other authorization type; its --spend-limit and --expiration are
// shared.

// ManageGrantType is the authorization type argument of `tx authz grant`.
const ManageGrantType = "manage-deployments"

const (
	flagMaxPrice       = "max-price"
	flagMaxDeployments = "max-deployments"
	flagRegions        = "regions"
	flagActions        = "actions"
)

func addManageGrant(root *cobra.Command) error {
	grant, err := findCmd(root, "tx", "authz", "grant")
	if err != nil {
		return err
	}
	revoke, err := findCmd(root, "tx", "authz", "revoke")
	if err != nil {
		return err
	}
	grant.Use = strings.Replace(grant.Use, `"send"`, `"manage-deployments"|"send"`, 1)
	grant.Example = `  akash-node tx authz grant akash1manager... manage-deployments --spend-limit 50000000uakt \
    --max-price 1000uakt --max-deployments 4 --regions us-east,eu-west \
    --expiration 1893456000 --from tenant
  akash-node tx authz grant akash1manager... manage-deployments --actions deposit --spend-limit 5000000uakt \
    --max-price 1uakt --max-deployments 1 --from tenant`
	grant.Flags().String(flagMaxPrice, "", "manage-deployments: the most one group may bid per block (price × count summed over its resources), e.g. 1000uakt")
	grant.Flags().Uint32(flagMaxDeployments, 0, "manage-deployments: the most deployments the grant may keep live at once")
	grant.Flags().StringSlice(flagRegions, nil, "manage-deployments: regions a group may require (attribute region=...); empty allows any")
	grant.Flags().StringSlice(flagActions, nil, "manage-deployments: allowed actions among create,close,deposit,update (default all)")
	sdkGrant := grant.RunE
	grant.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) != 2 || args[1] != ManageGrantType {
			return sdkGrant(cmd, args)
		}
		return runManageGrant(cmd, args[0])
	}
	revoke.Example += "\n  akash-node tx authz revoke akash1manager... manage-deployments --from tenant"
	sdkRevoke := revoke.RunE
	revoke.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 2 && args[1] == ManageGrantType {
			args = []string{args[0], sdk.MsgTypeURL(&dtypes.MsgManageDeployment{})}
		}
		return sdkRevoke(cmd, args)
	}
	return nil
}

// ManageGrantFromFlags reads the grant's bounds; errors name the flag and what would be right.
func ManageGrantFromFlags(spend, maxPrice string, maxDeployments uint32, regions, actions []string) (*dtypes.ManageDeploymentsAuthorization, error) {
	if spend == "" {
		return nil, fmt.Errorf("--spend-limit: missing; give the most the manager may deposit in total, e.g. 50000000uakt")
	}
	s, err := sdk.ParseCoinNormalized(spend)
	if err != nil || !s.IsPositive() {
		return nil, fmt.Errorf("--spend-limit %q: want one positive amount, e.g. 50000000uakt", spend)
	}
	if maxPrice == "" {
		return nil, fmt.Errorf("--max-price: missing; give the most one group may bid per block, e.g. 1000uakt")
	}
	p, err := sdk.ParseDecCoin(maxPrice)
	if err != nil || !p.IsPositive() {
		return nil, fmt.Errorf("--max-price %q: want one positive price per block, e.g. 1000uakt or 0.5uakt", maxPrice)
	}
	if maxDeployments == 0 {
		return nil, fmt.Errorf("--max-deployments: missing or 0; give the most deployments the manager may keep live, e.g. 4")
	}
	a := dtypes.NewManageDeploymentsAuthorization(nil, s, p, maxDeployments, regions)
	if len(actions) > 0 {
		a.Allowed = actions
	}
	if err := a.ValidateBasic(); err != nil {
		return nil, fmt.Errorf("--%s", err.Error())
	}
	return a, nil
}

func runManageGrant(cmd *cobra.Command, grantee string) error {
	cctx, err := client.GetClientTxContext(cmd)
	if err != nil {
		return err
	}
	to, err := sdk.AccAddressFromBech32(grantee)
	if err != nil {
		return fmt.Errorf("grantee %q: %v; want the management key's akash1... address", grantee, err)
	}
	if to.Equals(cctx.GetFromAddress()) {
		return fmt.Errorf("grantee %s is --from itself; grant a separate management key", grantee)
	}
	f := cmd.Flags()
	spend, _ := f.GetString("spend-limit")
	price, _ := f.GetString(flagMaxPrice)
	n, _ := f.GetUint32(flagMaxDeployments)
	regions, _ := f.GetStringSlice(flagRegions)
	actions, _ := f.GetStringSlice(flagActions)
	a, err := ManageGrantFromFlags(spend, price, n, regions, actions)
	if err != nil {
		return err
	}
	exp, err := f.GetInt64("expiration")
	if err != nil {
		return err
	}
	var expiry *time.Time
	if exp != 0 {
		t := unixTime(exp)
		expiry = &t
	}
	msg, err := authz.NewMsgGrant(cctx.GetFromAddress(), to, a, expiry)
	if err != nil {
		return err
	}
	return tx.GenerateOrBroadcastTxCLI(cctx, f, msg)
}

func unixTime(s int64) time.Time { return time.Unix(s, 0).UTC() }
