package provider_test

import (
	"fmt"
	"math/rand"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	"github.com/akash-market/akash/core/lease"
	"github.com/akash-market/akash/node/apptest"
	"github.com/akash-market/akash/node/x/cert"
	certtypes "github.com/akash-market/akash/node/x/cert/types"
	"github.com/akash-market/akash/node/x/provider"
	"github.com/akash-market/akash/node/x/provider/types"
)

// TestSimulationOps drives the provider and cert modules' weighted
// simulation operations on the real app for 60 blocks, with random lease
// opens and closes (what market reports, provider faults included), and
// checks both modules' invariants after every block. One seed, printed on
// failure.
func TestSimulationOps(t *testing.T) {
	const seed, blocks, opsPerBlock = 20261125, 40, 8
	c := apptest.NewChain(t, 12, 1_000_000_000)
	r := rand.New(rand.NewSource(seed))
	a := c.App
	state := module.SimulationState{TxConfig: a.TxConfig(), Cdc: a.AppCodec(), Rand: r}
	pm := provider.NewAppModule(a.AppCodec(), a.ProviderKeeper, a.AccountKeeper, a.BankKeeper)
	cm := cert.NewAppModule(a.AppCodec(), a.CertKeeper, a.AccountKeeper, a.BankKeeper)
	ops := append(pm.WeightedOperations(state), cm.WeightedOperations(state)...)
	total := 0
	for _, op := range ops {
		total += op.Weight()
	}
	var accs []simtypes.Account
	for _, acc := range c.Accounts {
		accs = append(accs, simtypes.Account{PrivKey: acc.Priv, PubKey: acc.Priv.PubKey(), Address: acc.Addr})
	}
	// Short unbonding and a real slash so releases and slashes happen.
	c.InBlock(func(ctx sdk.Context) error {
		p := types.DefaultParams()
		p.UnbondingPeriod, p.FaultSlashBps = 3, 1_000
		return a.ProviderKeeper.Params.Set(ctx, p)
	})
	byAddr := map[string]apptest.Account{}
	for _, acc := range c.Accounts {
		byAddr[acc.String()] = acc
	}
	ok, refused := map[string]int{}, map[string]int{}
	reasons := []lease.CloseReason{lease.ReasonTenantClosed, lease.ReasonProviderFault, lease.ReasonInsufficientFunds, lease.ReasonProviderClosed, lease.ReasonManifestTimeout}
	for b := 0; b < blocks; b++ {
		// The operations choose their messages on a scratch copy of the state
		// (see ScratchBlock); each message is then delivered as a signed tx
		// through FinalizeBlock, in its own block.
		var msgs []sdk.Msg
		c.ScratchBlock(func(ctx sdk.Context) error {
			for i := 0; i < opsPerBlock; i++ {
				pick := r.Intn(total)
				var op simtypes.WeightedOperation
				for _, op = range ops {
					if pick < op.Weight() {
						break
					}
					pick -= op.Weight()
				}
				om, _, err := op.Op()(r, a.BaseApp, ctx, accs, apptest.ChainID)
				if err != nil {
					return fmt.Errorf("seed %d: %s: %w", seed, om.Name, err)
				}
				if !om.OK {
					continue
				}
				m, err := decodeMsg(om.Name, om.Msg)
				if err != nil {
					return err
				}
				msgs = append(msgs, m)
			}
			return nil
		})
		for _, m := range msgs {
			signers, _, err := a.AppCodec().GetMsgV1Signers(m)
			if err != nil || len(signers) != 1 {
				t.Fatalf("signers of %T: %v", m, err)
			}
			res := c.Deliver(byAddr[sdk.AccAddress(signers[0]).String()], m)
			name := sdk.MsgTypeURL(m)
			switch {
			case res.Code == 0:
				ok[name]++
			case res.Codespace == "undefined":
				t.Fatalf("seed %d height %d: %s failed without a registered error: %s", seed, c.Height(), name, res.Log)
			default:
				refused[name]++
			}
		}
		// Market's side: a registered provider wins a lease or loses one.
		c.InBlock(func(ctx sdk.Context) error {
			acc := c.Accounts[r.Intn(len(c.Accounts))].String()
			if _, found, _ := a.ProviderKeeper.Provider(ctx, acc); found {
				if err := a.ProviderKeeper.LeaseOpened(ctx, acc); err != nil {
					return err
				}
			}
			if h, _ := a.ProviderKeeper.History(ctx, acc); h.Active() > 0 {
				return a.ProviderKeeper.LeaseClosed(ctx, acc, reasons[r.Intn(len(reasons))])
			}
			return nil
		})
		if err := a.ProviderKeeper.CheckStake(c.Ctx()); err != nil {
			t.Fatalf("seed %d height %d: provider invariant: %v", seed, c.Height(), err)
		}
		if err := a.CertKeeper.CheckCertificates(c.Ctx()); err != nil {
			t.Fatalf("seed %d height %d: cert invariant: %v", seed, c.Height(), err)
		}
	}
	// Every kind of operation succeeded at least once.
	for _, m := range []sdk.Msg{&types.MsgCreateProvider{}, &types.MsgUpdateProvider{}, &types.MsgBondStake{}, &types.MsgUnbondStake{}} {
		if ok[sdk.MsgTypeURL(m)] == 0 {
			t.Errorf("seed %d: no successful %s in %d blocks (%v)", seed, sdk.MsgTypeURL(m), blocks, ok)
		}
	}
	if ok["/akash.cert.v1.MsgCreateCertificate"] == 0 || ok["/akash.cert.v1.MsgRevokeCertificate"] == 0 {
		t.Errorf("seed %d: cert ops %v", seed, ok)
	}
	t.Logf("delivered: %v; refused with a registered error: %v", ok, refused)
	// Stake moved every way: released at maturity and slashed for faults.
	released, slashed := 0, 0
	_ = a.ProviderKeeper.Stakes.Walk(c.Ctx(), nil, func(_ string, s types.Stake) (bool, error) {
		released += int(s.Released.Int64())
		slashed += int(s.Slashed.Int64())
		return false, nil
	})
	if released == 0 || slashed == 0 {
		t.Errorf("seed %d: released %d, slashed %d; want both > 0", seed, released, slashed)
	}
}

func decodeMsg(typeURL string, bz []byte) (sdk.Msg, error) {
	var m interface {
		sdk.Msg
		Unmarshal([]byte) error
	}
	switch typeURL {
	case "/akash.provider.v1.MsgCreateProvider":
		m = &types.MsgCreateProvider{}
	case "/akash.provider.v1.MsgUpdateProvider":
		m = &types.MsgUpdateProvider{}
	case "/akash.provider.v1.MsgDeleteProvider":
		m = &types.MsgDeleteProvider{}
	case "/akash.provider.v1.MsgBondStake":
		m = &types.MsgBondStake{}
	case "/akash.provider.v1.MsgUnbondStake":
		m = &types.MsgUnbondStake{}
	case "/akash.cert.v1.MsgCreateCertificate":
		m = &certtypes.MsgCreateCertificate{}
	case "/akash.cert.v1.MsgRevokeCertificate":
		m = &certtypes.MsgRevokeCertificate{}
	default:
		return nil, fmt.Errorf("operation produced %s", typeURL)
	}
	return m, m.Unmarshal(bz)
}
