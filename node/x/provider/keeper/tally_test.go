package keeper_test

import (
	"encoding/json"
	"testing"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	v1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	"github.com/akash-market/akash/node/apptest"
	"github.com/akash-market/akash/node/x/provider/types"
)

// A governance proposal decided by provider stake: the only delegator (the
// validator's 1,000,000 uakt) votes no, a provider with 5,000,000 uakt bonded
// votes yes. With the SDK's default tally the proposal would be rejected;
// with provider stake in the tally it passes and its message (a provider
// params change) runs. A provider with no bonded stake adds nothing.
func TestProviderStakeVotesInGovernance(t *testing.T) {
	c := apptest.NewChainWithGenesis(t, 4, balance, func(gen map[string]json.RawMessage) {
		var g v1.GenesisState
		apptest.MustUnmarshalJSON(t, gen[govtypes.ModuleName], &g)
		voting, expedited := 30*time.Second, 18*time.Second
		g.Params.VotingPeriod, g.Params.ExpeditedVotingPeriod = &voting, &expedited
		gen[govtypes.ModuleName] = apptest.MustMarshalJSON(t, &g)
	})
	k := c.App.ProviderKeeper
	delegator, p, idle := c.Accounts[0], c.Accounts[1], c.Accounts[2]
	for _, a := range []apptest.Account{p, idle} {
		c.MustDeliver(a, &types.MsgCreateProvider{Owner: a.String(), HostURI: "https://p:8443"})
	}
	c.MustDeliver(p, &types.MsgBondStake{Provider: p.String(), Amount: uakt(5_000_000)})

	want := types.DefaultParams()
	want.FaultSlashBps = 1234
	gov := authtypes.NewModuleAddress(govtypes.ModuleName).String()
	params, err := c.App.GovKeeper.Params.Get(c.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	submit, err := v1.NewMsgSubmitProposal([]sdk.Msg{&types.MsgUpdateParams{Authority: gov, Params: want}},
		params.MinDeposit, delegator.String(), "", "slash more", "raise the provider-fault slash", false)
	if err != nil {
		t.Fatal(err)
	}
	c.MustDeliver(delegator, submit)
	id := uint64(1)
	c.MustDeliver(delegator, v1.NewMsgVote(delegator.Addr, id, v1.OptionNo, ""))
	c.MustDeliver(p, v1.NewMsgVote(p.Addr, id, v1.OptionYes, ""))
	c.MustDeliver(idle, v1.NewMsgVote(idle.Addr, id, v1.OptionYes, ""))

	// Blocks are 6 s apart; the 30 s voting period ends within 6 blocks.
	c.AdvanceTo(c.Height() + 7)
	prop, err := c.App.GovKeeper.Proposals.Get(c.Ctx(), id)
	if err != nil {
		t.Fatal(err)
	}
	tr := prop.FinalTallyResult
	if prop.Status != v1.StatusPassed {
		t.Fatalf("proposal %s (yes %s, no %s); provider stake should have carried it", prop.Status, tr.YesCount, tr.NoCount)
	}
	if tr.YesCount != "5000000" || tr.NoCount != "1000000" {
		t.Fatalf("tally yes %s no %s; want yes 5000000 (provider stake), no 1000000 (delegation)", tr.YesCount, tr.NoCount)
	}
	got, _ := k.GetParams(c.Ctx())
	if got.FaultSlashBps != 1234 {
		t.Fatalf("params after the proposal: %+v", got)
	}
	w, _ := k.StakeWeight(c.Ctx(), p.String())
	if w.BasisPoints() != 10_000 {
		t.Fatalf("weight %s", w)
	}
}
