package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/akash-market/akash/cmd/akash-node/cli"
)

// cliTestAddr is a valid bech32 account address: --from with
// --generate-only needs no key, so every case runs offline.
const cliTestAddr = "akash1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5jepelx"

// initHome makes a node home with `akash-node init`, so every case runs with
// the config.toml and app.toml a real user has (the server binds flags to
// their keys: a flag named like a config section breaks on a real home only).
func initHome(t *testing.T, bin string) string {
	t.Helper()
	home := t.TempDir()
	if out, err := exec.Command(bin, "init", "cli-test", "--chain-id", "akash-test", "--home", home).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	return home
}

// TestCLIBadInput runs the real binary on bad input for each of our
// transaction commands: it must exit non-zero, without a page of usage, and
// the error must name the input and say what would be right.
func TestCLIBadInput(t *testing.T) {
	bin := akashNodeBinary(t)
	home := initHome(t, bin)
	okSDL, err := os.ReadFile("../akash-sim/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, content string) string {
		p := filepath.Join(home, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("ok.yaml", string(okSDL))
	badYAML := write("bad-yaml.yaml", strings.Replace(string(okSDL), "  web:\n    image", "  web:\n   image", 1))
	badUnit := write("bad-unit.yaml", strings.Replace(string(okSDL), "size: 512Mi", "size: 512Zz", 1))
	badPEM := write("bad.pem", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n")
	notPEM := write("garbage.pem", "garbage\n")
	order := cliTestAddr + "/42/1/1"

	cases := []struct {
		name string
		args []string
		want []string // every one must be in the error
	}{
		{"SDL syntax", []string{"tx", "deployment", "create", badYAML, "--deposit", "5000000uakt", "--dseq", "1"},
			[]string{`bad-yaml.yaml:9:`, "not valid YAML", "indentation"}},
		{"SDL unit", []string{"tx", "deployment", "create", badUnit, "--deposit", "5000000uakt", "--dseq", "1"},
			[]string{"bad-unit.yaml:37:17", `"512Zz"`, "e.g. 512Mi"}},
		{"SDL missing", []string{"tx", "deployment", "create", filepath.Join(home, "nope.yaml"), "--dseq", "1"},
			[]string{"nope.yaml", "no such file"}},
		{"deposit without denom", []string{"tx", "deployment", "create", good, "--deposit", "5000000", "--dseq", "1"},
			[]string{`--deposit "5000000"`, "e.g. 5000000uakt"}},
		{"deposit amount", []string{"tx", "deployment", "deposit", "lots", "--dseq", "1"},
			[]string{`amount "lots"`, "e.g. 5000000uakt"}},
		{"deposit with a fraction", []string{"tx", "deployment", "create", good, "--deposit", "5000000.5uakt", "--dseq", "1"},
			[]string{`--deposit "5000000.5uakt"`, "has a fraction", "1 AKT = 1000000uakt"}},
		{"deposit with an exponent", []string{"tx", "deployment", "deposit", "1e40uakt", "--dseq", "1"},
			[]string{`amount "1e40uakt"`, "exponents are not accepted"}},
		{"no dseq", []string{"tx", "deployment", "close"},
			[]string{"--dseq", "required"}},
		{"order id parts", []string{"tx", "market", "bid", cliTestAddr + "/42/1", "--price", "10uakt"},
			[]string{cliTestAddr + "/42/1", "want owner/dseq/gseq/oseq", "got 3 parts"}},
		{"order id dseq", []string{"tx", "market", "bid", cliTestAddr + "/0/1/1", "--price", "10uakt"},
			[]string{`dseq "0"`, "at least 1"}},
		{"order id owner", []string{"tx", "market", "bid", "bob/42/1/1", "--price", "10uakt"},
			[]string{`owner "bob"`, "bech32 address"}},
		{"price word", []string{"tx", "market", "bid", order, "--price", "ten"},
			[]string{`--price "ten"`, "e.g. 10uakt"}},
		{"price without denom", []string{"tx", "market", "bid", order, "--price", "10"},
			[]string{`--price "10"`, "e.g. 10uakt"}},
		{"no price", []string{"tx", "market", "bid", order},
			[]string{"--price is required", "per block"}},
		{"bid deposit", []string{"tx", "market", "bid", order, "--price", "10uakt", "--deposit", "lots"},
			[]string{`--deposit "lots"`, "e.g. 5000000uakt"}},
		{"lease id", []string{"tx", "market", "close-lease", order},
			[]string{"lease id", "want owner/dseq/gseq/oseq/provider"}},
		{"close reason", []string{"tx", "market", "close-lease", order + "/" + cliTestAddr, "--reason", "bored"},
			[]string{`"bored"`, "tenant-closed", "provider-fault"}},
		{"salt", []string{"tx", "market", "commit", order, "--price", "10uakt", "--salt", "abc"},
			[]string{`--salt "abc"`, "64 hex digits"}},
		{"host uri scheme", []string{"tx", "provider", "create", "--host-uri", "http://p.example.com:8443"},
			[]string{`"http://p.example.com:8443"`, "https://", "mutual TLS"}},
		{"host uri garbage", []string{"tx", "provider", "create", "--host-uri", "notaurl"},
			[]string{`"notaurl"`, "want https://host"}},
		{"attribute form", []string{"tx", "provider", "create", "--host-uri", "https://p.example.com:8443", "--attr", "region"},
			[]string{`"region"`, "want key=value"}},
		{"attribute key", []string{"tx", "provider", "create", "--host-uri", "https://p.example.com:8443", "--attr", "1bad=x"},
			[]string{`1bad`, "start with a letter"}},
		{"not PEM", []string{"tx", "cert", "publish", notPEM},
			[]string{"garbage.pem", "PEM CERTIFICATE"}},
		{"bad certificate in PEM", []string{"tx", "cert", "publish", badPEM},
			[]string{"bad.pem", "certificate"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append(c.args, "--from", cliTestAddr, "--generate-only", "--chain-id", "akash-test", "--home", home)
			cmd := exec.Command(bin, args...)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() == 0 {
				t.Fatalf("akash-node %s: exit %v, want non-zero\nstdout: %s", strings.Join(c.args, " "), err, stdout.String())
			}
			msg := stderr.String()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			if strings.Contains(msg, "Usage:") {
				t.Errorf("usage printed on an input error (buries the message):\n%.300s", msg)
			}
			if stdout.Len() != 0 {
				t.Errorf("a tx was printed for bad input:\n%s", stdout.String())
			}
		})
	}
}

// TestFlagsDoNotShadowConfig: the server copies every config.toml/app.toml
// key (and section) into the flag of the same name when the flag is not
// given; a command flag named like one (market bid's --storage vs
// [storage]) fails on every real home with "invalid argument map[...]". No
// flag of our modules' commands may carry such a name.
func TestFlagsDoNotShadowConfig(t *testing.T) {
	home := initHome(t, akashNodeBinary(t))
	keys := map[string]string{}
	for _, f := range []string{"config.toml", "app.toml"} {
		v := viper.New()
		v.SetConfigFile(filepath.Join(home, "config", f))
		if err := v.ReadInConfig(); err != nil {
			t.Fatal(err)
		}
		for k := range v.AllSettings() {
			keys[k] = f
		}
	}
	if keys["storage"] == "" || keys["minimum-gas-prices"] == "" {
		t.Fatalf("config keys not read: %v", keys)
	}
	root, err := cli.NewRootCmd()
	if err != nil {
		t.Fatal(err)
	}
	var paths [][]string
	for _, m := range []string{"cert", "provider", "deployment", "escrow", "market"} {
		paths = append(paths, []string{"tx", m}, []string{"query", m})
	}
	paths = append(paths, []string{"provider"}, []string{"deploy"})
	var bad []string
	checked := 0
	for _, p := range paths {
		c, _, err := root.Find(p)
		if err != nil || c.Name() != p[len(p)-1] {
			continue // escrow has no tx commands
		}
		walkCommands(c, func(c *cobra.Command) {
			c.NonInheritedFlags().VisitAll(func(f *pflag.Flag) {
				checked++
				if file, ok := keys[f.Name]; ok {
					bad = append(bad, c.CommandPath()+" --"+f.Name+" (key of "+file+")")
				}
			})
		})
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("flags shadowed by the node config:\n  %s", strings.Join(bad, "\n  "))
	}
	if checked < 100 {
		t.Fatalf("only %d flags checked", checked)
	}
}

func walkCommands(c *cobra.Command, f func(*cobra.Command)) {
	f(c)
	for _, s := range c.Commands() {
		walkCommands(s, f)
	}
}

// TestDevnetBadFlags: a devnet flag that cannot work is refused before
// anything is written, with the flag named and no page of usage.
func TestDevnetBadFlags(t *testing.T) {
	bin := akashNodeBinary(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--host", "0.0.0.0"}, `--host "0.0.0.0"`},
		{[]string{"--validators", "21"}, "--validators 21"},
		{[]string{"--validators", "0"}, "--validators 0: give a positive value"},
		{[]string{"--block-time", "0s"}, "--block-time 0"},
		{[]string{"--ports-from", "80"}, "--ports-from 80"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			home := filepath.Join(t.TempDir(), "dn")
			// A flag wrongly accepted would start a devnet that runs until
			// killed: bound it.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, append([]string{"devnet", "--home", home}, c.args...)...)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() == 0 {
				t.Fatalf("devnet %v: exit %v, want non-zero", c.args, err)
			}
			if msg := stderr.String(); !strings.Contains(msg, c.want) || strings.Contains(msg, "Usage:") {
				t.Fatalf("devnet %v: want %q and no usage in:\n%s", c.args, c.want, msg)
			}
			if _, err := os.Stat(home); !os.IsNotExist(err) {
				t.Fatalf("devnet %v wrote %s before refusing", c.args, home)
			}
		})
	}
}
