package manage_test

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/authz"

	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/node/apptest"
	"github.com/akash-market/akash/node/x/conv"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
	"github.com/akash-market/akash/provider/manage"
)

// appChain is manage.Chain on the real app (node/apptest): the manager's
// messages go through authz MsgExec, one block each, as on a node.
type appChain struct {
	c               *apptest.Chain
	tenant, manager apptest.Account
	execs           int
	// assumeLeased reports every active deployment as leased: the app has
	// no providers, and the simulator's market leases a group well within
	// one check interval, so both modes see leased groups.
	assumeLeased bool
}

func (a *appChain) Height(context.Context) (int64, error) { return a.c.Height(), nil }

func (a *appChain) Grant(context.Context) (*dtypes.ManageDeploymentsAuthorization, error) {
	auth, _ := a.c.App.AuthzKeeper.GetAuthorization(a.c.Ctx(), a.manager.Addr, a.tenant.Addr, sdk.MsgTypeURL(&dtypes.MsgManageDeployment{}))
	if auth == nil {
		return nil, nil
	}
	return auth.(*dtypes.ManageDeploymentsAuthorization), nil
}

func (a *appChain) Deployment(_ context.Context, dseq uint64) (manage.Managed, error) {
	id := market.DeploymentID{Owner: a.tenant.String(), DSeq: dseq}
	d, groups, err := a.c.DeploymentKeeper().Deployment(a.c.Ctx(), id)
	if err != nil {
		return manage.Managed{}, err
	}
	m := manage.Managed{DSeq: dseq, Active: d.State == dtypes.DeploymentActive}
	if len(groups) > 0 {
		for _, at := range groups[0].Spec.Requirements.Attributes {
			if at.Key == dtypes.RegionKey {
				m.Region = at.Value
			}
		}
	}
	if m.Active && a.assumeLeased {
		m.Leases = []market.LeaseID{{OrderID: market.OrderID{GroupID: market.GroupID{DeploymentID: id, GSeq: 1}, OSeq: 1}, Provider: "sim"}}
	}
	if m.Active {
		acc, err := a.c.EscrowKeeper().Account(a.c.Ctx(), id)
		if err != nil {
			return m, err
		}
		m.Balance = conv.LegacyFromDec(acc.Balance)
	}
	return m, nil
}

func (a *appChain) Exec(_ context.Context, msg *dtypes.MsgManageDeployment) error {
	a.execs++
	exec := authz.NewMsgExec(a.manager.Addr, []sdk.Msg{msg})
	r := a.c.Deliver(a.manager, &exec)
	if r.Code != 0 {
		return &execError{log: r.Log}
	}
	return nil
}

type execError struct{ log string }

func (e *execError) Error() string { return e.log }
