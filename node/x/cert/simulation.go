package cert

import (
	"math/rand"
	"time"

	"cosmossdk.io/collections"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	"github.com/cosmos/cosmos-sdk/x/simulation"

	"github.com/akash-market/akash/node/x/cert/certgen"
	"github.com/akash-market/akash/node/x/cert/types"
)

var _ module.AppModuleSimulation = AppModule{}

// Operation weights: every participant publishes a root early; revocations are rare.
const (
	weightCreate = 50
	weightRevoke = 5
)

// GenerateGenesisState starts with no certificates (they need the block time).
func (AppModule) GenerateGenesisState(s *module.SimulationState) {
	s.GenState[types.ModuleName] = s.Cdc.MustMarshalJSON(types.DefaultGenesis())
}

// RegisterStoreDecoder decodes the records from the collections schema.
func (am AppModule) RegisterStoreDecoder(sdr simtypes.StoreDecoderRegistry) {
	sdr[types.StoreKey] = simtypes.NewStoreDecoderFuncFromCollectionsSchema(am.keeper.Schema)
}

// WeightedOperations: publish a root (Ed25519 from the simulation's random
// stream, so the state is the same on every run) and revoke one.
func (am AppModule) WeightedOperations(s module.SimulationState) []simtypes.WeightedOperation {
	return []simtypes.WeightedOperation{
		simulation.NewWeightedOperation(weightCreate, am.simCreate(s.TxConfig)),
		simulation.NewWeightedOperation(weightRevoke, am.simRevoke(s.TxConfig)),
	}
}

func (am AppModule) deliver(txGen client.TxConfig, r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, acc simtypes.Account, msg sdk.Msg) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
	pc, _ := am.cdc.(*codec.ProtoCodec)
	return simulation.GenAndDeliverTxWithRandFees(simulation.OperationInput{
		R: r, App: app, TxGen: txGen, Cdc: pc, Msg: msg, Context: ctx, SimAccount: acc, ModuleName: types.ModuleName,
		AccountKeeper: am.ak, Bankkeeper: am.bk,
	})
}

func (am AppModule) simCreate(txGen client.TxConfig) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		acc, _ := simtypes.RandomAcc(r, accs)
		var seed [32]byte
		r.Read(seed[:])
		root, err := certgen.GenerateDeterministic(seed, acc.Address.String(), ctx.BlockTime(), time.Duration(1+r.Intn(720))*time.Hour)
		if err != nil {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(&types.MsgCreateCertificate{}), err.Error()), nil, nil
		}
		return am.deliver(txGen, r, app, ctx, acc, &types.MsgCreateCertificate{Owner: acc.Address.String(), Cert: root.CertPEM, Pubkey: root.PubKeyPEM})
	}
}

func (am AppModule) simRevoke(txGen client.TxConfig) simtypes.Operation {
	return func(r *rand.Rand, app *baseapp.BaseApp, ctx sdk.Context, accs []simtypes.Account, _ string) (simtypes.OperationMsg, []simtypes.FutureOperation, error) {
		acc, _ := simtypes.RandomAcc(r, accs)
		owner := acc.Address.String()
		var valid []string
		_ = am.keeper.Certificates.Walk(ctx, nil, func(_ collections.Pair[string, string], c types.Certificate) (bool, error) {
			if c.Owner == owner && c.State == types.CertificateValid {
				valid = append(valid, c.Serial)
			}
			return false, nil
		})
		if len(valid) == 0 {
			return simtypes.NoOpMsg(types.ModuleName, sdk.MsgTypeURL(&types.MsgRevokeCertificate{}), "account has no valid certificate"), nil, nil
		}
		return am.deliver(txGen, r, app, ctx, acc, &types.MsgRevokeCertificate{Owner: owner, Serial: valid[r.Intn(len(valid))]})
	}
}
