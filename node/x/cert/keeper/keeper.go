// Package keeper stores participants' root certificates by (owner, serial)
// and their state (valid, revoked).
package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	corestore "cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/node/x/cert/types"
)

// Keeper is the cert module's keeper.
type Keeper struct {
	Schema       collections.Schema
	Certificates collections.Map[collections.Pair[string, string], types.Certificate]
}

// NewKeeper builds the keeper over store.
func NewKeeper(cdc codec.BinaryCodec, store corestore.KVStoreService) Keeper {
	sb := collections.NewSchemaBuilder(store)
	k := Keeper{
		Certificates: collections.NewMap(sb, types.CertificatesPrefix, "certificates",
			collections.PairKeyCodec(collections.StringKey, collections.StringKey), codec.CollValue[types.Certificate](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(fmt.Sprintf("cert keeper: building the store schema: %v", err))
	}
	k.Schema = schema
	return k
}

// Get returns one certificate.
func (k Keeper) Get(ctx context.Context, owner, serial string) (types.Certificate, bool, error) {
	c, err := k.Certificates.Get(ctx, collections.Join(owner, serial))
	if errors.Is(err, collections.ErrNotFound) {
		return types.Certificate{}, false, nil
	}
	return c, err == nil, err
}

// Create publishes owner's certificate after the stateless checks
// (types.ParseCertificate), the block-time validity window and the serial's
// uniqueness per owner (a revoked serial stays taken).
func (k Keeper) Create(ctx context.Context, owner string, certPEM, pubkeyPEM []byte) (string, error) {
	x, err := types.ParseCertificate(owner, certPEM, pubkeyPEM)
	if err != nil {
		return "", err
	}
	sctx := sdk.UnwrapSDKContext(ctx)
	if err := types.CheckValidAt(x, sctx.BlockTime()); err != nil {
		return "", err
	}
	serial := x.SerialNumber.String()
	if old, found, err := k.Get(ctx, owner, serial); err != nil {
		return "", err
	} else if found {
		return "", errorsmod.Wrapf(types.ErrCertificateExists, "owner %s serial %s (%s since height %d); generate a new certificate", owner, serial, old.State, old.CreatedAt)
	}
	c := types.Certificate{Owner: owner, Serial: serial, State: types.CertificateValid, Cert: certPEM, Pubkey: pubkeyPEM, CreatedAt: sctx.BlockHeight()}
	if err := k.Certificates.Set(ctx, collections.Join(owner, serial), c); err != nil {
		return "", err
	}
	sctx.EventManager().EmitEvent(sdk.NewEvent("certificate_created",
		sdk.NewAttribute(sdk.AttributeKeyModule, types.ModuleName), sdk.NewAttribute("owner", owner), sdk.NewAttribute("serial", serial)))
	return serial, nil
}

// Revoke marks owner's certificate revoked at this height; peers stop
// trusting it (and what was issued under it) from then on.
func (k Keeper) Revoke(ctx context.Context, owner, serial string) error {
	c, found, err := k.Get(ctx, owner, serial)
	if err != nil {
		return err
	}
	if !found {
		return errorsmod.Wrapf(types.ErrCertificateNotFound, "owner %s serial %s; `query cert certificates --owner %s` lists them", owner, serial, owner)
	}
	if c.State == types.CertificateRevoked {
		return errorsmod.Wrapf(types.ErrCertificateRevoked, "owner %s serial %s at height %d", owner, serial, c.RevokedAt)
	}
	sctx := sdk.UnwrapSDKContext(ctx)
	c.State, c.RevokedAt = types.CertificateRevoked, sctx.BlockHeight()
	if err := k.Certificates.Set(ctx, collections.Join(owner, serial), c); err != nil {
		return err
	}
	sctx.EventManager().EmitEvent(sdk.NewEvent("certificate_revoked",
		sdk.NewAttribute(sdk.AttributeKeyModule, types.ModuleName), sdk.NewAttribute("owner", owner), sdk.NewAttribute("serial", serial)))
	return nil
}
