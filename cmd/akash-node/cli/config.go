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
	// The SDK marks its Prometheus telemetry deprecated in favour of
	// OpenTelemetry, but it is still what serves /metrics?format=prometheus,
	// which operators scrape today; move when the SDK drops it.
	//lint:ignore SA1019 still the SDK's Prometheus endpoint in v0.55
	cfg.Telemetry.Enabled = true
	//lint:ignore SA1019 see above
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
