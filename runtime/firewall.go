package runtime

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/docker/docker/api/types/network"
)

// Isolation modes (Options.Isolation).
const (
	// IsolationIPTables (the default): the driver keeps its own rule per
	// lease bridge in the mangle table's FORWARD hook, installed before the
	// bridge exists: no new connection from any other interface reaches a
	// lease's network except through a published port. Docker's own
	// isolation rules lapse for a moment whenever any network is created
	// (Docker 20.10 deletes and re-inserts its FORWARD jumps); these do not,
	// because the engine never touches the mangle table. Needs iptables and
	// root on the Docker host.
	IsolationIPTables = "iptables"
	// IsolationDocker: Docker's own rules only (they lapse, see above).
	IsolationDocker = "docker"
)

// firewallChain is the driver's chain in the mangle table, jumped to first
// from FORWARD.
const firewallChain = "AKASH-ISOLATION"

// bridgeOption names a network's Linux bridge at creation.
const bridgeOption = "com.docker.network.bridge.name"

// bridgeName is the Linux bridge a lease network gets: "ak" and 13 hex
// digits of sha256(network name), 15 bytes (the kernel's limit), so the
// driver knows it -- and guards it -- before the network exists.
func bridgeName(networkName string) string {
	sum := sha256.Sum256([]byte(networkName))
	return "ak" + hex.EncodeToString(sum[:])[:13]
}

// bridgeOf is the bridge of a network the engine holds: the name it was
// created with, or Docker's default "br-<12 hex of its ID>".
func bridgeOf(n network.Summary) string {
	if b := n.Options[bridgeOption]; b != "" {
		return b
	}
	if len(n.ID) >= 12 {
		return "br-" + n.ID[:12]
	}
	return ""
}

// hostFirewall installs and removes the per-bridge rules with the iptables
// command. Each rule drops, on the way into the bridge, every packet that
// comes from another interface and belongs to no connection the bridge's
// side opened (ESTABLISHED, RELATED) nor to a published port (DNAT):
//
//	-A AKASH-ISOLATION -o <br> ! -i <br> -m conntrack ! --ctstate ESTABLISHED,RELATED,DNAT
//	   -m comment --comment akash:<provider>:<network> -j DROP
//
// Traffic within the bridge (a service network's members, a tunnel end)
// and out of it (egress) is left to Docker's rules.
type hostFirewall struct {
	iptables string // the command's path
	provider string
}

func newHostFirewall(ctx context.Context, provider string) (*hostFirewall, error) {
	path, err := exec.LookPath("iptables")
	if err != nil {
		return nil, fmt.Errorf("runtime: isolation %q needs the iptables command on the Docker host: %w; install it, or set Options.Isolation (provider.yaml containers.isolation) to %q and accept that Docker's own rules lapse while networks are created",
			IsolationIPTables, err, IsolationDocker)
	}
	f := &hostFirewall{iptables: path, provider: provider}
	if _, err := f.run(ctx, "-N", firewallChain); err != nil && !strings.Contains(err.Error(), "exists") {
		return nil, f.setupError(err)
	}
	if _, err := f.run(ctx, "-C", "FORWARD", "-j", firewallChain); err != nil {
		if _, err := f.run(ctx, "-I", "FORWARD", "1", "-j", firewallChain); err != nil {
			return nil, f.setupError(err)
		}
	}
	return f, nil
}

func (f *hostFirewall) setupError(err error) error {
	return fmt.Errorf("runtime: isolation %q: cannot set up chain %s in the mangle table: %w; run the daemon as root in the Docker host's network namespace, or set Options.Isolation (provider.yaml containers.isolation) to %q",
		IsolationIPTables, firewallChain, err, IsolationDocker)
}

// run runs iptables on the mangle table, waiting for the xtables lock.
func (f *hostFirewall) run(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, f.iptables, append([]string{"-w", "-t", "mangle"}, args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("iptables -t mangle %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(out.String()))
	}
	return out.String(), nil
}

func (f *hostFirewall) comment(networkName string) string {
	return "akash:" + f.provider + ":" + networkName
}

func (f *hostFirewall) rule(bridge, networkName string) []string {
	return []string{"-o", bridge, "!", "-i", bridge, "-m", "conntrack", "!", "--ctstate", "ESTABLISHED,RELATED,DNAT",
		"-m", "comment", "--comment", f.comment(networkName), "-j", "DROP"}
}

// guard installs the rule for a bridge (once).
func (f *hostFirewall) guard(ctx context.Context, bridge, networkName string) error {
	r := f.rule(bridge, networkName)
	if _, err := f.run(ctx, append([]string{"-C", firewallChain}, r...)...); err == nil {
		return nil
	}
	if _, err := f.run(ctx, append([]string{"-A", firewallChain}, r...)...); err != nil {
		return fmt.Errorf("runtime: guard network %s (bridge %s): %w", networkName, bridge, err)
	}
	return nil
}

// unguard removes a bridge's rule; a rule already gone is not an error.
func (f *hostFirewall) unguard(ctx context.Context, bridge, networkName string) error {
	r := f.rule(bridge, networkName)
	if _, err := f.run(ctx, append([]string{"-C", firewallChain}, r...)...); err != nil {
		return nil
	}
	if _, err := f.run(ctx, append([]string{"-D", firewallChain}, r...)...); err != nil {
		return fmt.Errorf("runtime: unguard network %s (bridge %s): %w", networkName, bridge, err)
	}
	return nil
}

// guarded lists this provider's rules: network name -> bridge.
func (f *hostFirewall) guarded(ctx context.Context) (map[string]string, error) {
	out, err := f.run(ctx, "-S", firewallChain)
	if err != nil {
		return nil, err
	}
	rules := map[string]string{}
	prefix := "akash:" + f.provider + ":"
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		var bridge, comment string
		for i := 0; i+1 < len(fields); i++ {
			switch fields[i] {
			case "-o":
				bridge = fields[i+1]
			case "--comment":
				comment = strings.Trim(fields[i+1], `"`)
			}
		}
		if name, ok := strings.CutPrefix(comment, prefix); ok && bridge != "" {
			rules[name] = bridge
		}
	}
	return rules, sc.Err()
}

// sweep removes this provider's rules whose network the engine no longer
// holds (a crash between removing a network and its rule).
func (f *hostFirewall) sweep(ctx context.Context, networks map[string]network.Summary) error {
	rules, err := f.guarded(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for name, bridge := range rules {
		if _, ok := networks[name]; !ok {
			errs = append(errs, f.unguard(ctx, bridge, name))
		}
	}
	return errors.Join(errs...)
}
