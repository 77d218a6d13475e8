package main

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/akash-market/akash/internal/yamlfile"
)

// envPrefix names the environment variables that set flags: AKASH_SIM_SEED
// for --seed, AKASH_SIM_TRACE_LIMIT for --trace-limit.
const envPrefix = "AKASH_SIM_"

// checkSettings refuses what viper would otherwise ignore in silence: a key
// of the --config file or an AKASH_SIM_* variable that is no flag of any
// command, and a value that does not parse as its flag's type (seed: abc
// would run with the scenario's seed). Keys of flags of other commands are
// allowed, so one config file can serve run and sweep; their values are
// checked when that command runs.
func checkSettings(cmd *cobra.Command, cfg string) error {
	known := allFlags(cmd.Root())
	var problems []string
	check := func(where, key, raw string, isList bool) {
		fl := cmd.Flags().Lookup(key)
		if fl == nil {
			if _, ok := known[key]; !ok {
				names := make([]string, 0, len(known))
				for k := range known {
					names = append(names, k)
				}
				slices.Sort(names)
				problems = append(problems, fmt.Sprintf("%s: unknown setting; %s", where, yamlfile.AllowedHint(key, "akash-sim", names)))
			}
			return
		}
		if isList && !strings.HasSuffix(fl.Value.Type(), "Array") && !strings.HasSuffix(fl.Value.Type(), "Slice") {
			problems = append(problems, fmt.Sprintf("%s: is a list, but --%s takes one %s", where, key, fl.Value.Type()))
			return
		}
		if err := parses(fl, raw); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %q is not a valid %s for --%s (%s)", where, raw, fl.Value.Type(), key, fl.Usage))
		}
	}
	if cfg != "" {
		cv := viper.New()
		cv.SetConfigFile(cfg)
		if err := cv.ReadInConfig(); err != nil {
			return &exitError{exitUsage, fmt.Sprintf("config %s: %v", cfg, err)}
		}
		keys := cv.AllKeys()
		slices.Sort(keys)
		for _, k := range keys {
			val := cv.Get(k)
			_, isList := val.([]any)
			check(fmt.Sprintf("config %s: key %s", cfg, k), k, fmt.Sprint(val), isList)
		}
	}
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, envPrefix) {
			env = append(env, kv)
		}
	}
	slices.Sort(env)
	for _, kv := range env {
		name, val, _ := strings.Cut(kv, "=")
		key := strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(name, envPrefix)), "_", "-")
		check("environment variable "+name, key, val, false)
	}
	if len(problems) > 0 {
		return &exitError{exitUsage, strings.Join(problems, "\n")}
	}
	return nil
}

// allFlags is every flag name of every command in the tree.
func allFlags(root *cobra.Command) map[string]bool {
	names := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) { names[f.Name] = true })
		c.PersistentFlags().VisitAll(func(f *pflag.Flag) { names[f.Name] = true })
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	delete(names, "help")
	return names
}

// parses says whether raw is a value fl's type accepts, on a fresh value of
// that type (fl itself is left alone).
func parses(fl *pflag.Flag, raw string) (err error) {
	switch fl.Value.Type() {
	case "string", "stringArray", "stringSlice":
		return nil
	}
	t := reflect.TypeOf(fl.Value)
	if t.Kind() != reflect.Pointer {
		return nil
	}
	fresh, ok := reflect.New(t.Elem()).Interface().(pflag.Value)
	if !ok {
		return nil
	}
	defer func() {
		if recover() != nil { // a value type that needs more than its zero value
			err = nil
		}
	}()
	return fresh.Set(raw)
}
