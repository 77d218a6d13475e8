package app

import (
	"fmt"
	"slices"

	appv1alpha1 "cosmossdk.io/api/cosmos/app/v1alpha1"
	authmodulev1 "cosmossdk.io/api/cosmos/auth/module/v1"
	"cosmossdk.io/depinject/appconfig"
	gogoproto "github.com/cosmos/gogoproto/proto"
)

// akashModuleOrder is the order of the market's own modules in every ordered
// list (begin/end block, init and export genesis). It is the one place that
// order is decided, and it matters in EndBlock: escrow first closes the
// accounts that run dry at this height (and the leases they pay), then market
// matches the orders whose bidding window closes at this height, so a new
// lease is never opened on an account that closed in the same block.
var akashModuleOrder = []string{"cert", "provider", "deployment", "escrow", "market"}

// akashModule is how one of our modules joins the app: mod_<name>.go calls
// registerAkashModule from an init function. Keeping each module's wiring in
// its own file lets the modules be added without touching config.go.
type akashModule struct {
	Name       string
	Config     gogoproto.Message // the module's depinject config (akash.<name>.module.v1.Module)
	BeginBlock bool
	EndBlock   bool
	// Account, when set, is the module account the module holds coins in.
	Account *authmodulev1.ModuleAccountPermission
	// Blocked marks Account as unable to receive coins by plain bank sends.
	Blocked bool
}

var akashModules = map[string]akashModule{}

func registerAkashModule(m akashModule) {
	if !slices.Contains(akashModuleOrder, m.Name) {
		panic(fmt.Sprintf("app: module %q is not in akashModuleOrder", m.Name))
	}
	if _, dup := akashModules[m.Name]; dup {
		panic(fmt.Sprintf("app: module %q registered twice", m.Name))
	}
	akashModules[m.Name] = m
}

type akashModuleList []akashModule

// registeredAkashModules returns the registered modules in akashModuleOrder.
func registeredAkashModules() akashModuleList {
	var l akashModuleList
	for _, name := range akashModuleOrder {
		if m, ok := akashModules[name]; ok {
			l = append(l, m)
		}
	}
	return l
}

func (l akashModuleList) names(keep func(akashModule) bool) []string {
	var out []string
	for _, m := range l {
		if keep == nil || keep(m) {
			out = append(out, m.Name)
		}
	}
	return out
}

func (l akashModuleList) configs() []*appv1alpha1.ModuleConfig {
	var out []*appv1alpha1.ModuleConfig
	for _, m := range l {
		out = append(out, &appv1alpha1.ModuleConfig{Name: m.Name, Config: appconfig.WrapAny(m.Config)})
	}
	return out
}

func (l akashModuleList) accountPerms() []*authmodulev1.ModuleAccountPermission {
	var out []*authmodulev1.ModuleAccountPermission
	for _, m := range l {
		if m.Account != nil {
			out = append(out, m.Account)
		}
	}
	return out
}

func (l akashModuleList) blockedAccounts() []string {
	var out []string
	for _, m := range l {
		if m.Account != nil && m.Blocked {
			out = append(out, m.Account.Account)
		}
	}
	return out
}
