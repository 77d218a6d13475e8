package cli

import (
	cmtcfg "github.com/cometbft/cometbft/config"

	serverconfig "github.com/cosmos/cosmos-sdk/server/config"

	"github.com/akash-market/akash/node/app"
)

// appConfigDefaults is what `init` writes to app.toml: REST (gRPC-gateway) and
// gRPC on, Prometheus metrics on, and a zero minimum gas price in uakt (the
// node refuses to start with none set). Operators raise the gas price there.
func appConfigDefaults() (string, any) {
	cfg := serverconfig.DefaultConfig()
	cfg.MinGasPrices = "0" + app.BondDenom
	cfg.API.Enable = true
	cfg.GRPC.Enable = true
	cfg.Telemetry.Enabled = true
	cfg.Telemetry.PrometheusRetentionTime = 60
	return serverconfig.DefaultConfigTemplate, cfg
}

// cometConfigDefaults is what `init` writes to config.toml: CometBFT's
// defaults with its Prometheus endpoint on.
func cometConfigDefaults() *cmtcfg.Config {
	cfg := cmtcfg.DefaultConfig()
	cfg.Instrumentation.Prometheus = true
	return cfg
}
