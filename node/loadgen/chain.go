package loadgen

import (
	"context"
	"fmt"
	"time"

	"github.com/cosmos/cosmos-sdk/client/tx"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
)

// account reads key's account number and sequence with an ABCI query (the
// RPC port is enough; no gRPC or REST needed).
func (r *Run) account(ctx context.Context, key cryptotypes.PrivKey) (Account, error) {
	a := Account{Key: key, Address: sdk.AccAddress(key.PubKey().Address())}
	req, err := (&authtypes.QueryAccountRequest{Address: a.Address.String()}).Marshal()
	if err != nil {
		return a, err
	}
	out, err := r.rpc.ABCIQuery(ctx, "/cosmos.auth.v1beta1.Query/Account", req)
	if err != nil {
		return a, fmt.Errorf("query account %s: %w", a.Address, err)
	}
	if out.Response.Code != 0 {
		return a, fmt.Errorf("query account %s: code %d: %s (is it funded?)", a.Address, out.Response.Code, out.Response.Log)
	}
	var resp authtypes.QueryAccountResponse
	if err := resp.Unmarshal(out.Response.Value); err != nil {
		return a, fmt.Errorf("query account %s: %w", a.Address, err)
	}
	var acc sdk.AccountI
	if err := r.enc.Codec.InterfaceRegistry().UnpackAny(resp.Account, &acc); err != nil {
		return a, fmt.Errorf("query account %s: %w", a.Address, err)
	}
	a.Number, a.Sequence = acc.GetAccountNumber(), acc.GetSequence()
	return a, nil
}

// sign builds and signs (SIGN_MODE_DIRECT) one tx of msgs from a at a's
// current sequence and returns its bytes.
func (r *Run) sign(a Account, msgs []sdk.Msg, gas uint64, fee sdk.Coins) ([]byte, error) {
	txc := r.enc.TxConfig
	b := txc.NewTxBuilder()
	if err := b.SetMsgs(msgs...); err != nil {
		return nil, err
	}
	b.SetGasLimit(gas)
	b.SetFeeAmount(fee)
	mode := signing.SignMode_SIGN_MODE_DIRECT
	// The signer infos (pubkey, mode, sequence) are part of the signed bytes
	// in direct mode, so they go in first with an empty signature.
	empty := signing.SignatureV2{PubKey: a.Key.PubKey(), Data: &signing.SingleSignatureData{SignMode: mode}, Sequence: a.Sequence}
	if err := b.SetSignatures(empty); err != nil {
		return nil, err
	}
	sd := authsigning.SignerData{
		Address: a.Address.String(), ChainID: r.cfg.ChainID,
		AccountNumber: a.Number, Sequence: a.Sequence, PubKey: a.Key.PubKey(),
	}
	sig, err := tx.SignWithPrivKey(context.Background(), mode, sd, b, a.Key, txc, a.Sequence)
	if err != nil {
		return nil, fmt.Errorf("loadgen: signing a tx of %s (seq %d): %w", a.Address, a.Sequence, err)
	}
	if err := b.SetSignatures(sig); err != nil {
		return nil, err
	}
	return txc.TxEncoder()(b.GetTx())
}

// waitTx polls the node until the tx with hash is in a block; an error when
// it fails there or does not appear within timeout.
func (r *Run) waitTx(ctx context.Context, hash []byte, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		res, err := r.rpc.Tx(ctx, hash, false)
		if err == nil {
			if res.TxResult.Code != 0 {
				return fmt.Errorf("tx %X failed in block %d: code %d: %s", hash, res.Height, res.TxResult.Code, res.TxResult.Log)
			}
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("tx %X not in a block after %s: %w", hash, timeout, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (r *Run) height(ctx context.Context) (int64, error) {
	st, err := r.rpc.Status(ctx)
	if err != nil {
		return 0, fmt.Errorf("loadgen: node status at %s: %w", r.cfg.RPC, err)
	}
	return st.SyncInfo.LatestBlockHeight, nil
}
