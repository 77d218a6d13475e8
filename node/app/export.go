package app

import (
	"encoding/json"
	"errors"
	"fmt"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	"github.com/cosmos/cosmos-sdk/x/staking"
)

// ErrZeroHeightExport is returned for `export --for-zero-height`, which needs
// the validator/distribution reset that a chain restart from genesis requires.
var ErrZeroHeightExport = errors.New("export --for-zero-height is not supported yet; export at the current height instead")

// ExportAppStateAndValidators dumps the state of every module (or only
// modulesToExport) at the loaded height, with the bonded validator set.
func (a *App) ExportAppStateAndValidators(forZeroHeight bool, _ []string, modulesToExport []string) (servertypes.ExportedApp, error) {
	if forZeroHeight {
		return servertypes.ExportedApp{}, ErrZeroHeightExport
	}
	ctx := a.NewContextLegacy(true, cmtproto.Header{Height: a.LastBlockHeight()})
	height := a.LastBlockHeight() + 1

	genState, err := a.ModuleManager.ExportGenesisForModules(ctx, a.appCodec, modulesToExport)
	if err != nil {
		return servertypes.ExportedApp{}, fmt.Errorf("app: export genesis at height %d: %w", height, err)
	}
	appState, err := json.MarshalIndent(genState, "", "  ")
	if err != nil {
		return servertypes.ExportedApp{}, fmt.Errorf("app: encode exported genesis: %w", err)
	}
	validators, err := staking.WriteValidators(ctx, a.StakingKeeper)
	if err != nil {
		return servertypes.ExportedApp{}, fmt.Errorf("app: export validators: %w", err)
	}
	return servertypes.ExportedApp{
		AppState:        appState,
		Validators:      validators,
		Height:          height,
		ConsensusParams: a.GetConsensusParams(ctx),
	}, nil
}
