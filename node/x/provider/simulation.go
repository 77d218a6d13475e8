package provider

import (
	"fmt"
	"math/rand"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	"github.com/cosmos/cosmos-sdk/x/simulation"

	"github.com/akash-market/akash/node/x/provider/types"
)

var _ module.AppModuleSimulation = AppModule{}

// Operation weights: registrations and bonds dominate early; faults come
// from the market's lease closes, not from here.
const (
	weightCreate = 40
	weightUpdate = 10
	weightBond   = 40
	weightUnbond = 15
	weightDelete = 3
)

var simRegions = []string{"us-west", "us-east", "eu-central", "ap-south"}

// GenerateGenesisState draws an unbonding period of 1-50 blocks, a fault
// slash of 0-20% and the default reputation params.
func (AppModule) GenerateGenesisState(s *module.SimulationState) {
	g := types.DefaultGenesis()
	g.Params.StakeDenom = sdk.DefaultBondDenom
	g.Params.UnbondingPeriod = 1 + s.Rand.Int63n(50)
	g.Params.FaultSlashBps = uint32(s.Rand.Intn(2001))
	s.GenState[types.ModuleName] = s.Cdc.MustMarshalJSON(g)
}

// RegisterStoreDecoder decodes the records from the collections schema.
func (am AppModule) RegisterStoreDecoder(sdr simtypes.StoreDecoderRegistry) {
	sdr[types.StoreKey] = simtypes.NewStoreDecoderFuncFromCollectionsSchema(am.keeper.Schema)
}

// WeightedOperations: register, update, bond, unbond and delete providers
// from random simulated accounts (refusals are expected and not failures).
func (am AppModule) WeightedOperations(s module.SimulationState) []simtypes.WeightedOperation {
	return []simtypes.WeightedOperation{
		simulation.NewWeightedOperation(weightCreate, am.simRegister(s.TxConfig, false)),
		simulation.NewWeightedOperation(weightUpdate, am.simRegister(s.TxConfig, true)),
		simulation.NewWeightedOperation(weightBond, am.simStake(s.TxConfig, true)),
		simulation.NewWeightedOperation(weightUnbond, am.simStake(s.TxConfig, false)),
		simulation.NewWeightedOperation(weightDelete, am.simDelete(s.TxConfig)),
	}
}

func (am AppModule) deliver(txGen client.TxConfig, r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, acc simtypes.Account, msg sdk.Msg, spent sdk.Coins) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
	pc, _ := am.cdc.(*codec.ProtoCodec)
	return simulation.GenAndDeliverTxWithRandFees(simulation.OperationInput{
		R: r, App: app, TxGen: txGen, Cdc: pc, Msg: msg, CoinsSpentInMsg: spent,
		Context: ctx, SimAccount: acc, AccountKeeper: am.ak, Bankkeeper: am.bk, ModuleName: types.ModuleName,
	})
}

func (am AppModule) simRegister(txGen client.TxConfig, update bool) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		acc, _ := simtypes.RandomAcc(r, accs)
		owner := acc.Address.String()
		_, found, _ := am.keeper.Provider(ctx, owner)
		host := fmt.Sprintf("https://p%d.sim.example:%d", r.Intn(1000), 8443+r.Intn(10))
		attrs := []types.Attribute{{Key: "region", Value: simRegions[r.Intn(len(simRegions))]}, {Key: "tier", Value: fmt.Sprint(1 + r.Intn(3))}}
		if update {
			if !found {
				return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(&types.MsgUpdateProvider{}), "not registered"), nil, nil
			}
			return am.deliver(txGen, r, app, ctx, acc, &types.MsgUpdateProvider{Owner: owner, HostURI: host, Attributes: attrs}, nil)
		}
		if found {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(&types.MsgCreateProvider{}), "already registered"), nil, nil
		}
		return am.deliver(txGen, r, app, ctx, acc, &types.MsgCreateProvider{Owner: owner, HostURI: host, Attributes: attrs}, nil)
	}
}

func (am AppModule) simStake(txGen client.TxConfig, bond bool) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		acc, _ := simtypes.RandomAcc(r, accs)
		owner := acc.Address.String()
		p, _ := am.keeper.GetParams(ctx)
		if bond {
			msgType := sdk.MsgTypeURL(&types.MsgBondStake{})
			if _, found, _ := am.keeper.Provider(ctx, owner); !found {
				return simtypes.NoOpMsg(types.ModuleName, msgType, "not registered"), nil, nil
			}
			// At most a tenth of what is spendable, so fees still fit.
			max := am.bk.SpendableCoins(ctx, acc.Address).AmountOf(p.StakeDenom).QuoRaw(10)
			if !max.IsPositive() {
				return simtypes.NoOpMsg(types.ModuleName, msgType, "nothing to bond"), nil, nil
			}
			amt, err := simtypes.RandPositiveInt(r, max)
			if err != nil {
				return simtypes.NoOpMsg(types.ModuleName, msgType, err.Error()), nil, nil
			}
			c := sdk.NewCoin(p.StakeDenom, amt)
			return am.deliver(txGen, r, app, ctx, acc, &types.MsgBondStake{Provider: owner, Amount: c}, sdk.NewCoins(c))
		}
		msgType := sdk.MsgTypeURL(&types.MsgUnbondStake{})
		s, _ := am.keeper.Stake(ctx, owner)
		if !s.Bonded.IsPositive() {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "nothing bonded"), nil, nil
		}
		amt, err := simtypes.RandPositiveInt(r, s.Bonded)
		if err != nil {
			return simtypes.NoOpMsg(types.ModuleName, msgType, err.Error()), nil, nil
		}
		return am.deliver(txGen, r, app, ctx, acc, &types.MsgUnbondStake{Provider: owner, Amount: sdk.NewCoin(p.StakeDenom, math.MinInt(amt, s.Bonded))}, nil)
	}
}

func (am AppModule) simDelete(txGen client.TxConfig) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		acc, _ := simtypes.RandomAcc(r, accs)
		owner := acc.Address.String()
		msgType := sdk.MsgTypeURL(&types.MsgDeleteProvider{})
		if _, found, _ := am.keeper.Provider(ctx, owner); !found {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "not registered"), nil, nil
		}
		h, _ := am.keeper.History(ctx, owner)
		s, _ := am.keeper.Stake(ctx, owner)
		if h.Active() > 0 || s.Bonded.IsPositive() {
			return simtypes.NoOpMsg(types.ModuleName, msgType, "active leases or bonded stake"), nil, nil
		}
		return am.deliver(txGen, r, app, ctx, acc, &types.MsgDeleteProvider{Owner: owner}, nil)
	}
}
