package keeper

import (
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/node/x/cert/types"
)

// RegisterInvariants registers certificates-valid (deprecated SDK registry,
// still run by v0.55's simulation; CheckCertificates is the plain check).
//
//lint:ignore SA1019 see above
func RegisterInvariants(ir sdk.InvariantRegistry, k Keeper) {
	ir.RegisterRoute(types.ModuleName, "certificates-valid", func(ctx sdk.Context) (string, bool) {
		err := k.CheckCertificates(ctx)
		msg := "every certificate parses, names its owner and serial, and is valid or revoked"
		if err != nil {
			msg = err.Error()
		}
		//lint:ignore SA1019 see RegisterInvariants
		return sdk.FormatInvariant(types.ModuleName, "certificates-valid", msg), err != nil
	})
}
