package deployment

import (
	"fmt"
	"math/rand"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	"github.com/cosmos/cosmos-sdk/x/simulation"

	"github.com/akash-market/akash/node/x/conv"
	"github.com/akash-market/akash/node/x/deployment/keeper"
	"github.com/akash-market/akash/node/x/deployment/types"
)

// Operation weights (out of the simulation's total): creating is the
// common case; deposits, updates and closes act on what creations made.
const (
	weightCreate  = 60
	weightDeposit = 30
	weightUpdate  = 10
	weightClose   = 20
	simDenom      = "uakt"
)

// GenerateGenesisState draws a minimum deposit between 1 and 1000 uakt.
func (AppModule) GenerateGenesisState(s *module.SimulationState) {
	g := types.GenesisState{Params: types.Params{MinDeposits: sdk.NewCoins(sdk.NewInt64Coin(simDenom, 1+s.Rand.Int63n(1000)))}}
	s.GenState[types.ModuleName] = s.Cdc.MustMarshalJSON(&g)
}

// WeightedOperations: create, deposit, update and close deployments.
func (am AppModule) WeightedOperations(s module.SimulationState) []simtypes.WeightedOperation {
	return []simtypes.WeightedOperation{
		simulation.NewWeightedOperation(weightCreate, am.simCreate(s.TxConfig)),
		simulation.NewWeightedOperation(weightDeposit, am.simDeposit(s.TxConfig)),
		simulation.NewWeightedOperation(weightUpdate, am.simUpdate(s.TxConfig)),
		simulation.NewWeightedOperation(weightClose, am.simClose(s.TxConfig)),
	}
}

// RandomGroupSpec is a valid group with 1-2 resource units priced in uakt,
// some prices fractional so escrow's carried dust is exercised.
func RandomGroupSpec(r *rand.Rand, name string) types.GroupSpec {
	g := types.GroupSpec{Name: name, Services: []string{name}}
	if r.Intn(2) == 0 {
		g.Requirements.Attributes = []types.Attribute{{Key: "region", Value: []string{"us-west", "eu-central"}[r.Intn(2)]}}
	}
	for i := 0; i < 1+r.Intn(2); i++ {
		price := math.LegacyNewDecWithPrec(1+r.Int63n(100_000), int64(r.Intn(4))) // 0.001 .. 100000 uakt
		g.Resources = append(g.Resources, types.ResourceUnit{
			Profile:     fmt.Sprintf("p%d", i),
			CPUMillis:   uint64(100 * (1 + r.Intn(40))),
			MemoryBytes: uint64(1+r.Intn(16)) << 28,
			Storage:     []types.Storage{{Name: "default", Bytes: uint64(1+r.Intn(64)) << 30}},
			Count:       uint32(1 + r.Intn(3)),
			Price:       sdk.NewDecCoinFromDec(simDenom, price),
		})
	}
	return g
}

// simTxConfig is the app's tx config (SimulationState.TxConfig).
type simTxConfig = client.TxConfig

func keeperKey(owner string, dseq uint64) keeper.DeploymentKey { return collections.Join(owner, dseq) }

func randVersion(r *rand.Rand) []byte {
	v := make([]byte, types.VersionLen)
	r.Read(v)
	return v
}

func (am AppModule) deliver(txGen simTxConfig, r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, acc simtypes.Account, msg sdk.Msg, spent sdk.Coins) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
	pc, _ := am.cdc.(*codec.ProtoCodec)
	return simulation.GenAndDeliverTxWithRandFees(simulation.OperationInput{
		R: r, App: app, TxGen: txGen, Cdc: pc, Msg: msg, CoinsSpentInMsg: spent,
		Context: ctx, SimAccount: acc, AccountKeeper: am.ak, Bankkeeper: am.bk, ModuleName: types.ModuleName,
	})
}

func (am AppModule) simCreate(txGen simTxConfig) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		acc, _ := simtypes.RandomAcc(r, accs)
		msgType := sdk.MsgTypeURL(&types.MsgCreateDeployment{})
		params, err := am.keeper.Params.Get(ctx)
		if err != nil {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "no params"), nil, err
		}
		min := params.MinDeposits.AmountOf(simDenom)
		spendable := am.bk.SpendableCoins(ctx, acc.Address).AmountOf(simDenom)
		// Keep half for fees and later deposits.
		room := spendable.QuoRaw(2).Sub(min)
		if !room.IsPositive() {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "owner cannot afford the minimum deposit"), nil, nil
		}
		deposit := min.Add(simtypes.RandomAmount(r, math.MinInt(room, math.NewInt(1_000_000_000))))
		msg := &types.MsgCreateDeployment{
			Owner:   acc.Address.String(),
			Dseq:    uint64(ctx.BlockHeight())*1000 + uint64(r.Intn(1000)),
			Version: randVersion(r),
			Deposit: sdk.NewCoin(simDenom, deposit),
			// Sealed half the time (the market's sealed_bids may override);
			// a quarter ask for some reputation.
			Sealed: r.Intn(2) == 0,
		}
		if r.Intn(4) == 0 {
			msg.MinReputation = uint32(r.Intn(5001))
		}
		for i := 0; i < 1+r.Intn(3); i++ {
			msg.Groups = append(msg.Groups, RandomGroupSpec(r, fmt.Sprintf("g%d", i)))
		}
		if has, _ := am.keeper.Deployments.Has(ctx, keeperKey(msg.Owner, msg.Dseq)); has {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "dseq taken"), nil, nil
		}
		return am.deliver(txGen, r, app, ctx, acc, msg, sdk.NewCoins(msg.Deposit))
	}
}

// randomActive picks an active deployment owned by one of accs.
func (am AppModule) randomActive(r *rand.Rand, ctx sdk.Context, accs []simtypes.Account) (types.Deployment, simtypes.Account, bool) {
	var ds []types.Deployment
	_ = am.keeper.Deployments.Walk(ctx, nil, func(_ keeper.DeploymentKey, d types.Deployment) (bool, error) {
		if d.State == types.DeploymentActive {
			ds = append(ds, d)
		}
		return len(ds) >= 200, nil
	})
	if len(ds) == 0 {
		return types.Deployment{}, simtypes.Account{}, false
	}
	d := ds[r.Intn(len(ds))]
	owner, err := sdk.AccAddressFromBech32(d.ID.Owner)
	if err != nil {
		return types.Deployment{}, simtypes.Account{}, false
	}
	acc, ok := simtypes.FindAccount(accs, owner)
	return d, acc, ok
}

func (am AppModule) simDeposit(txGen simTxConfig) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		msgType := sdk.MsgTypeURL(&types.MsgDepositDeployment{})
		d, _, ok := am.randomActive(r, ctx, accs)
		if !ok {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "no active deployment"), nil, nil
		}
		payer, _ := simtypes.RandomAcc(r, accs) // anyone may fund a deployment
		spendable := am.bk.SpendableCoins(ctx, payer.Address).AmountOf(simDenom)
		if spendable.LT(math.NewInt(4)) {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "payer has no uakt"), nil, nil
		}
		amt := math.NewInt(1).Add(simtypes.RandomAmount(r, math.MinInt(spendable.QuoRaw(4), math.NewInt(100_000_000))))
		msg := &types.MsgDepositDeployment{Owner: d.ID.Owner, Dseq: d.ID.Dseq, Amount: sdk.NewCoin(simDenom, amt), Depositor: payer.Address.String()}
		return am.deliver(txGen, r, app, ctx, payer, msg, sdk.NewCoins(msg.Amount))
	}
}

func (am AppModule) simUpdate(txGen simTxConfig) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		msgType := sdk.MsgTypeURL(&types.MsgUpdateDeployment{})
		d, owner, ok := am.randomActive(r, ctx, accs)
		if !ok {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "no active deployment of a sim account"), nil, nil
		}
		// A new version of the same groups: they fit the ordered ones.
		_, groups, err := am.keeper.Deployment(ctx, conv.DeploymentID(d.ID))
		if err != nil {
			return simtypes.NoOpMsg(types.ModuleName, msgType, err.Error()), nil, nil
		}
		msg := &types.MsgUpdateDeployment{Owner: d.ID.Owner, Dseq: d.ID.Dseq, Version: randVersion(r)}
		for _, g := range groups {
			msg.Groups = append(msg.Groups, g.Spec)
		}
		return am.deliver(txGen, r, app, ctx, owner, msg, nil)
	}
}

func (am AppModule) simClose(txGen simTxConfig) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		msgType := sdk.MsgTypeURL(&types.MsgCloseDeployment{})
		d, owner, ok := am.randomActive(r, ctx, accs)
		if !ok {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "no active deployment of a sim account"), nil, nil
		}
		msg := &types.MsgCloseDeployment{Owner: d.ID.Owner, Dseq: d.ID.Dseq}
		return am.deliver(txGen, r, app, ctx, owner, msg, nil)
	}
}
