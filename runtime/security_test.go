package runtime

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"

	"github.com/akash-market/akash/core/manifest"
)

// hardenedSpec: web asks for NET_BIND_SERVICE and has ephemeral storage;
// ro orders none (only a RAM volume), so its root is read-only.
func hardenedSpec(t testing.TB, d *Docker, image string, dseq uint64) LeaseSpec {
	t.Helper()
	src := fmt.Sprintf(`version: "2.0"
services:
  web:
    image: %[1]s
    expose:
      - port: 8080
        to: [{global: true}]
    params:
      capabilities: [NET_BIND_SERVICE]
  ro:
    image: %[1]s
    args: ["--listen", ":9090"]
    expose:
      - port: 9090
        to: [{global: true}]
    params:
      storage:
        tmp: {mount: /tmp}
profiles:
  compute:
    web:
      resources: {cpu: {units: 0.1}, memory: {size: 32Mi}, storage: {size: 64Mi}}
    ro:
      resources:
        cpu: {units: 0.1}
        memory: {size: 32Mi}
        storage:
          - {name: tmp, size: 8Mi, attributes: {class: ram}}
  placement:
    dc:
      pricing:
        web: {denom: uakt, amount: 1}
        ro: {denom: uakt, amount: 1}
deployment:
  web: {dc: {profile: web, count: 1}}
  ro: {dc: {profile: ro, count: 1}}
`, image)
	m, err := manifest.Parse("hardened.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return LeaseSpec{Lease: leaseFor(d, dseq), Manifest: m}
}

func inspect(t *testing.T, cli *client.Client, name string) container.InspectResponse {
	t.Helper()
	ci, err := cli.ContainerInspect(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return ci
}

// TestContainersAreHardened: every container runs with no-new-privileges,
// all capabilities dropped but its service's own, and a read-only root
// where the profile orders no ephemeral storage; both still serve.
func TestContainersAreHardened(t *testing.T) {
	t.Parallel()
	cli, img := engine(t)
	d := newDriver(t, cli)
	spec := hardenedSpec(t, d, img, 1)
	if _, err := d.Deploy(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
	st, _ := waitReady(t, d, spec.Lease, time.Now())
	for _, x := range []struct {
		service  string
		caps     []string
		readOnly bool
		label    string
	}{
		{"web", []string{"NET_BIND_SERVICE"}, false, "nnp,caps=NET_BIND_SERVICE"},
		{"ro", nil, true, "nnp,caps=,ro"},
	} {
		ci := inspect(t, cli, ContainerName(spec.Lease, x.service, 0))
		h := ci.HostConfig
		if !slices.Contains(h.SecurityOpt, "no-new-privileges:true") {
			t.Errorf("%s: SecurityOpt %v lacks no-new-privileges", x.service, h.SecurityOpt)
		}
		var added []string // the engine may write them CAP_NET_BIND_SERVICE
		for _, c := range h.CapAdd {
			added = append(added, strings.TrimPrefix(c, "CAP_"))
		}
		if !slices.Equal(h.CapDrop, []string{"ALL"}) || !slices.Equal(added, x.caps) {
			t.Errorf("%s: CapDrop %v CapAdd %v; want [ALL] and %v", x.service, h.CapDrop, h.CapAdd, x.caps)
		}
		if h.ReadonlyRootfs != x.readOnly {
			t.Errorf("%s: ReadonlyRootfs %v, want %v", x.service, h.ReadonlyRootfs, x.readOnly)
		}
		if got := ci.Config.Labels[LabelSecurity]; got != x.label {
			t.Errorf("%s: label %s=%q, want %q", x.service, LabelSecurity, got, x.label)
		}
	}
	for _, svc := range []string{"web", "ro"} {
		port := uint32(8080)
		if svc == "ro" {
			port = 9090
		}
		url := endpoint(t, st, svc, port) + "/healthz"
		deadline := time.Now().Add(15 * time.Second)
		for {
			code, _, err := fetch(url)
			if err == nil && code == 200 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s did not answer at %s: %d %v", svc, url, code, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	// A container made without these settings (an older driver) is
	// replaced by the next Deploy, not adopted.
	name := ContainerName(spec.Lease, "web", 0)
	ci := inspect(t, cli, name)
	if err := cli.ContainerRemove(context.Background(), name, container.RemoveOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	old := ci.Config
	old.Labels[LabelSecurity] = ""
	if _, err := cli.ContainerCreate(context.Background(), old, &container.HostConfig{}, nil, nil, name); err != nil {
		t.Fatal(err)
	}
	acts, err := d.Deploy(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if acts.Count(ActReplace, ObjContainer) != 1 || !strings.Contains(actionLines(acts), `security settings "" -> "nnp,caps=NET_BIND_SERVICE"`) {
		t.Fatalf("deploy over an unhardened container:\n%s", actionLines(acts))
	}
	if h := inspect(t, cli, name).HostConfig; !slices.Equal(h.CapDrop, []string{"ALL"}) {
		t.Fatalf("replacement CapDrop %v", h.CapDrop)
	}
}

// TestCapabilityNotGrantedCannotRun: a service asking for a capability the
// provider does not grant cannot run, with the reason; nothing is created.
func TestCapabilityNotGrantedCannotRun(t *testing.T) {
	t.Parallel()
	cli, img := engine(t)
	d, err := NewDocker(context.Background(), Options{Provider: "akash1rtprov" + randHex(4), Client: cli, Capabilities: []string{"CHOWN"}})
	if err != nil {
		t.Fatal(err)
	}
	spec := hardenedSpec(t, d, img, 2)
	_, err = d.Deploy(context.Background(), spec)
	if !errors.Is(err, ErrUnrunnable) || !strings.Contains(err.Error(), "services.web.params.capabilities: NET_BIND_SERVICE is not granted on this provider (a service may ask for CHOWN)") {
		t.Fatalf("deploy asking for NET_BIND_SERVICE where only CHOWN is granted: %v", err)
	}
	if err := d.Check(context.Background(), spec); !errors.Is(err, ErrUnrunnable) {
		t.Fatalf("Check: %v, want ErrUnrunnable", err)
	}
	if c, n, v := leftovers(t, cli, spec.Lease); c+n+v != 0 {
		t.Fatalf("created %d containers, %d networks, %d volumes", c, n, v)
	}
	if _, err := NewDocker(context.Background(), Options{Provider: "akash1x", Client: cli, Capabilities: []string{"CAP_FLY"}}); err == nil || !strings.Contains(err.Error(), `"CAP_FLY" is not a Linux capability`) {
		t.Fatalf("unknown capability in the options: %v", err)
	}
}

// TestImageAllowList: with an allow-list the provider runs only the images
// on it (by name, name:tag or image ID); any other is refused before
// anything is created, naming the image and the list.
func TestImageAllowList(t *testing.T) {
	t.Parallel()
	cli, img := engine(t)
	ii, err := cli.ImageInspect(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	repo := img[:strings.LastIndex(img, ":")]
	for _, tc := range []struct {
		name   string
		images []string
		ok     bool
	}{
		{"any image when empty", nil, true},
		{"by name, any tag", []string{"example.org/other", repo}, true},
		{"by name and tag", []string{img}, true},
		{"by image ID", []string{ii.ID}, true},
		{"another tag of the name", []string{repo + ":not-this-one"}, false},
		{"another name", []string{"example.org/other"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := NewDocker(context.Background(), Options{Provider: "akash1rtprov" + randHex(4), Client: cli, Images: tc.images})
			if err != nil {
				t.Fatal(err)
			}
			spec := hardenedSpec(t, d, img, 3)
			err = d.Check(context.Background(), spec)
			if tc.ok {
				if err != nil {
					t.Fatalf("allow-list %v refused %s: %v", tc.images, img, err)
				}
				return
			}
			if !errors.Is(err, ErrImageNotAllowed) || !errors.Is(err, ErrUnrunnable) ||
				!strings.Contains(err.Error(), img+" (service ro, web)") || !strings.Contains(err.Error(), strings.Join(tc.images, ", ")) {
				t.Fatalf("allow-list %v, image %s: %v", tc.images, img, err)
			}
			if _, err := d.Deploy(context.Background(), spec); !errors.Is(err, ErrImageNotAllowed) {
				t.Fatalf("Deploy: %v", err)
			}
			if c, n, v := leftovers(t, cli, spec.Lease); c+n+v != 0 {
				t.Fatalf("created %d containers, %d networks, %d volumes", c, n, v)
			}
		})
	}
	if _, err := NewDocker(context.Background(), Options{Provider: "akash1x", Client: cli, Images: []string{"sha256:xyz"}}); err == nil || !strings.Contains(err.Error(), "64 lowercase hex") {
		t.Fatalf("bad image ID in the allow-list: %v", err)
	}
}
