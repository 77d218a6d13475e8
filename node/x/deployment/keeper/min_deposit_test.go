package keeper_test

import (
	"strings"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/node/apptest"
	"github.com/akash-market/akash/node/x/deployment/types"
)

// The chain's default minimum deposit is core's, and a deposit one unit
// below it is refused with both amounts named; the minimum itself passes.
func TestMinDepositIsCoresDefault(t *testing.T) {
	c := apptest.NewChain(t, 2, 100_000_000_000)
	tenant := c.Accounts[1]
	min := types.DefaultMinDeposit.Amount.Int64()
	if min != 500_000 {
		t.Fatalf("default min deposit %d; core/lease.DefaultMinDeposit is %s", min, lease.DefaultMinDeposit)
	}
	create := func(dseq uint64, amount int64) (uint32, string) {
		r := c.Deliver(tenant, &types.MsgCreateDeployment{Owner: tenant.String(), Dseq: dseq, Groups: []types.GroupSpec{spec("1")},
			Version: version("v"), Deposit: sdk.NewInt64Coin(denom, amount)})
		return r.Code, r.Log
	}
	if code, log := create(1, min-1); code == 0 || !strings.Contains(log, "deposit 499999 is below the minimum 500000") {
		t.Errorf("deposit min-1: code %d, log %q; want refused naming both amounts", code, log)
	}
	if code, log := create(2, min); code != 0 {
		t.Errorf("deposit of exactly the minimum refused: %s", log)
	}
}
