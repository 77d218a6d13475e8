package runtime

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/distribution/reference"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"

	"github.com/akash-market/akash/core/manifest"
)

// DefaultCapabilities are the capabilities a service may ask for
// (params.capabilities) when Options.Capabilities is empty: the set Docker
// grants a container by default. Every container starts with all
// capabilities dropped and gets back only what its service asked for.
var DefaultCapabilities = []string{
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
}

// LabelSecurity is on every container: the hardening it was created with,
// e.g. "nnp,caps=CHOWN+NET_BIND_SERVICE,ro". A running container whose label
// differs from the plan (made by an older driver, or before the service's
// capabilities changed) is replaced.
const LabelSecurity = "akash.security"

// ErrImageNotAllowed is wrapped by an error naming an image the provider's
// allow-list (Options.Images) does not hold.
var ErrImageNotAllowed = errors.New("image not in the provider's allow-list")

// harden sets a container's security options: no new privileges (setuid
// binaries cannot raise privileges), every capability dropped except the
// service's own, and a read-only root file system when the compute profile
// orders no ephemeral ("default") storage -- the tenant did not pay for a
// writable root, and its volumes (or a RAM volume) are where it writes.
func harden(host *container.HostConfig, labels map[string]string, svc manifest.Service, res manifest.Resources, allowed []string) error {
	for _, c := range svc.Capabilities {
		if !slices.Contains(allowed, c) {
			return fmt.Errorf("services.%s.params.capabilities: %s is not granted on this provider (a service may ask for %s)",
				svc.Name, c, strings.Join(allowed, ", "))
		}
	}
	host.SecurityOpt = []string{"no-new-privileges:true"}
	host.CapDrop = []string{"ALL"}
	host.CapAdd = append([]string(nil), svc.Capabilities...)
	host.ReadonlyRootfs = !slices.ContainsFunc(res.Storage, func(v manifest.StorageVolume) bool { return v.Name == "default" })
	label := "nnp,caps=" + strings.Join(svc.Capabilities, "+")
	if host.ReadonlyRootfs {
		label += ",ro"
	}
	labels[LabelSecurity] = label
	return nil
}

// checkCapabilities validates Options.Capabilities (names as core/manifest
// writes them) and returns the list, the default when empty.
func checkCapabilities(caps []string) ([]string, error) {
	if len(caps) == 0 {
		return DefaultCapabilities, nil
	}
	out := make([]string, 0, len(caps))
	for _, c := range caps {
		n, ok := manifest.CanonicalCapability(c)
		if !ok {
			return nil, fmt.Errorf("runtime: Options.Capabilities: %q is not a Linux capability (e.g. NET_BIND_SERVICE)", c)
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// imageRule is one entry of the allow-list.
type imageRule struct {
	entry  string
	id     string // "sha256:<hex>": the image ID
	digest string // "name@sha256:<hex>": a repo digest, normalized
	tagged string // "name:tag", normalized
	name   string // "name": any tag or digest of the repository
}

// parseImageRules checks Options.Images: each entry is an image ID
// ("sha256:<64 hex>"), a name with a digest ("ghcr.io/org/app@sha256:..."),
// a name with a tag ("nginx:1.25": that tag only) or a bare name ("nginx":
// any tag of it).
func parseImageRules(entries []string) ([]imageRule, error) {
	var rules []imageRule
	for _, e := range entries {
		r := imageRule{entry: e}
		if strings.HasPrefix(e, "sha256:") {
			if len(e) != len("sha256:")+64 || strings.Trim(e[len("sha256:"):], "0123456789abcdef") != "" {
				return nil, fmt.Errorf("runtime: Options.Images: %q: an image ID is sha256: and 64 lowercase hex digits", e)
			}
			r.id = e
			rules = append(rules, r)
			continue
		}
		named, err := reference.ParseNormalizedNamed(e)
		if err != nil {
			return nil, fmt.Errorf("runtime: Options.Images: %q: %v; write a name (nginx), name:tag (nginx:1.25), name@sha256:... or sha256:<image ID>", e, err)
		}
		switch x := named.(type) {
		case reference.Canonical:
			r.digest = x.String()
		case reference.NamedTagged:
			r.tagged = x.String()
		default:
			r.name = named.Name()
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// CheckImageAllowList reports the first entry of an image allow-list
// (Options.Images) that is not an image ID, name, name:tag or name@digest.
func CheckImageAllowList(entries []string) error {
	_, err := parseImageRules(entries)
	return err
}

// allows reports whether the image ref, as the engine knows it (ii), is on
// the allow-list. An empty list allows every image present.
func allows(rules []imageRule, ref string, ii image.InspectResponse) bool {
	if len(rules) == 0 {
		return true
	}
	named, err := reference.ParseNormalizedNamed(ref)
	var tagged, name string
	if err == nil {
		name = named.Name()
		if _, digested := named.(reference.Digested); !digested {
			tagged = reference.TagNameOnly(named).String()
		}
	}
	var digests []string
	for _, d := range ii.RepoDigests {
		if n, err := reference.ParseNormalizedNamed(d); err == nil {
			digests = append(digests, n.String())
		}
	}
	for _, r := range rules {
		switch {
		case r.id != "" && r.id == ii.ID,
			r.digest != "" && slices.Contains(digests, r.digest),
			r.tagged != "" && r.tagged == tagged,
			r.name != "" && r.name == name:
			return true
		}
	}
	return false
}

// ImageNotAllowedError names the images of a lease that the provider's
// allow-list refuses.
type ImageNotAllowedError struct {
	Lease   string
	Uses    []string // "image (service a)" for each refused image
	Allowed []string // the allow-list as configured
}

func (e *ImageNotAllowedError) Error() string {
	return fmt.Sprintf("lease %s: image(s) not allowed on this provider: %s; it runs only images matching %s (provider.yaml containers.images)",
		e.Lease, strings.Join(e.Uses, "; "), strings.Join(e.Allowed, ", "))
}

// Unwrap makes errors.Is(err, ErrImageNotAllowed) and ErrUnrunnable true.
func (e *ImageNotAllowedError) Unwrap() []error { return []error{ErrImageNotAllowed, ErrUnrunnable} }
