package conv

import (
	"errors"
	"math/big"
	"os"
	"strings"
	"testing"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/akash-market/akash/core/manifest"
	"github.com/akash-market/akash/core/market"
	"github.com/akash-market/akash/core/money"
	dtypes "github.com/akash-market/akash/node/x/deployment/types"
)

// maxDec is the largest money.Dec: 2^256-1 atto-units.
const maxDec = "115792089237316195423570985008687907853269984665640564039457.584007913129639935"

func legacy(t *testing.T, s string) math.LegacyDec {
	t.Helper()
	d, err := math.LegacyNewDecFromStr(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDecFromLegacy(t *testing.T) {
	tooBig := new(big.Int).Lsh(big.NewInt(1), 256) // 2^256 atto-units
	cases := []struct {
		name string
		in   math.LegacyDec
		want string
		err  error
	}{
		{"zero", math.LegacyZeroDec(), "0.000000000000000000", nil},
		{"one atto", math.LegacyNewDecWithPrec(1, 18), "0.000000000000000001", nil},
		{"price", legacy(t, "250.5"), "250.500000000000000000", nil},
		{"all digits", legacy(t, "123456789.123456789012345678"), "123456789.123456789012345678", nil},
		{"max", math.LegacyNewDecFromBigIntWithPrec(new(big.Int).Sub(tooBig, big.NewInt(1)), 18), maxDec, nil},
		{"overflow", math.LegacyNewDecFromBigIntWithPrec(tooBig, 18), "", ErrOverflow},
		{"negative", legacy(t, "-0.000000000000000001"), "", ErrNegative},
		{"nil", math.LegacyDec{}, "", ErrNil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DecFromLegacy(c.in)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("err = %v, want %v", err, c.err)
				}
				return
			}
			if err != nil || got.String() != c.want {
				t.Fatalf("= %s, %v; want %s", got, err, c.want)
			}
			if back := LegacyFromDec(got); !back.Equal(c.in) {
				t.Fatalf("round trip: %s -> %s -> %s", c.in, got, back)
			}
		})
	}
}

func TestCoins(t *testing.T) {
	maxInt := math.NewIntFromBigInt(new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1)))
	cases := []struct {
		name string
		in   sdk.Coin
		want string
		err  error
	}{
		{"deposit", sdk.NewInt64Coin("uakt", 5_000_000), "5000000uakt", nil},
		{"zero", sdk.NewInt64Coin("uakt", 0), "0uakt", nil},
		{"ibc", sdk.Coin{Denom: "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", Amount: math.NewInt(7)}, "7ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", nil},
		// 2^256-1 whole units need 2^256 × 10^18 atto-units: more than a Dec holds.
		{"overflow", sdk.Coin{Denom: "uakt", Amount: maxInt}, "", ErrOverflow},
		{"negative", sdk.Coin{Denom: "uakt", Amount: math.NewInt(-1)}, "", ErrNegative},
		{"nil amount", sdk.Coin{Denom: "uakt"}, "", ErrNil},
		{"bad denom", sdk.Coin{Denom: "1x", Amount: math.NewInt(1)}, "", ErrDenom},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := CoinFromSDK(c.in)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("err = %v, want %v", err, c.err)
				}
				return
			}
			if err != nil || got.String() != c.want {
				t.Fatalf("= %s, %v; want %s", got, err, c.want)
			}
			back, err := SDKCoin(got)
			if err != nil || !back.Equal(c.in) {
				t.Fatalf("round trip: %s -> %s -> %s, %v", c.in, got, back, err)
			}
		})
	}
	if _, err := SDKCoin(money.Coin{Denom: "uakt", Amount: money.MustParseDec("1.5")}); !errors.Is(err, ErrFractional) {
		t.Fatalf("SDKCoin(1.5uakt) err = %v, want ErrFractional", err)
	}
	if _, err := SDKCoin(money.Coin{Denom: "", Amount: money.NewDec(1)}); !errors.Is(err, ErrDenom) {
		t.Fatalf("SDKCoin(empty denom) err = %v, want ErrDenom", err)
	}
}

func TestSplitWhole(t *testing.T) {
	for _, c := range []struct{ in, whole, rest string }{
		{"0", "0", "0"},
		{"0.999999999999999999", "0", "0.999999999999999999"},
		{"1", "1", "0"},
		{"12.5", "12", "0.5"},
		{maxDec, "115792089237316195423570985008687907853269984665640564039457", "0.584007913129639935"},
	} {
		d := money.MustParseDec(c.in)
		w, r := SplitWhole(d)
		if w.String() != c.whole || r.ShortString() != c.rest {
			t.Errorf("SplitWhole(%s) = %s, %s; want %s, %s", c.in, w, r.ShortString(), c.whole, c.rest)
		}
		wd, err := DecFromInt(w)
		if err != nil {
			t.Fatal(err)
		}
		if sum, err := wd.Add(r); err != nil || !sum.Equal(d) {
			t.Errorf("whole + rest = %s, %v; want %s", sum, err, d)
		}
	}
}

func TestDecCoin(t *testing.T) {
	in := sdk.DecCoin{Denom: "uakt", Amount: legacy(t, "0.000000000000000007")}
	c, err := CoinFromDecCoin(in)
	if err != nil || c.Amount.Atto() != "7" || c.Denom != "uakt" {
		t.Fatalf("= %v, %v", c, err)
	}
	if back := DecCoin(c); !back.Equal(in) {
		t.Fatalf("round trip %s -> %s", in, back)
	}
	for _, bad := range []sdk.DecCoin{
		{Denom: "uakt", Amount: legacy(t, "-1")},
		{Denom: "uakt"},
		{Denom: "", Amount: legacy(t, "1")},
	} {
		if _, err := CoinFromDecCoin(bad); err == nil {
			t.Errorf("CoinFromDecCoin(%#v) accepted", bad)
		}
	}
}

func TestIDs(t *testing.T) {
	d := market.DeploymentID{Owner: "akash1xyz", DSeq: 42}
	if got := DeploymentID(ProtoDeploymentID(d)); got != d {
		t.Fatalf("deployment id round trip: %v", got)
	}
	if p := ProtoDeploymentID(d); p.Owner != "akash1xyz" || p.Dseq != 42 {
		t.Fatalf("proto deployment id: %v", p)
	}
	g := market.GroupID{DeploymentID: d, GSeq: 3}
	if got := GroupID(ProtoGroupID(g)); got != g {
		t.Fatalf("group id round trip: %v", got)
	}
	if p := ProtoGroupID(g); p.Owner != "akash1xyz" || p.Dseq != 42 || p.Gseq != 3 {
		t.Fatalf("proto group id: %v", p)
	}
}

var groupCmp = []cmp.Option{
	cmpopts.EquateEmpty(),
	cmp.Comparer(func(a, b money.Dec) bool { return a.Equal(b) }),
}

func exampleGroups(t testing.TB) []manifest.Group {
	t.Helper()
	data, err := os.ReadFile("../../../core/manifest/testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Parse("example.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	gs := m.Groups()
	// Add what the example lacks so every field is exercised.
	gpu := manifest.Group{
		Name:         "gpu",
		Requirements: manifest.PlacementRequirements{SignedBy: manifest.SignedBy{AllOf: []string{"akash1a"}, AnyOf: []string{"akash1b", "akash1c"}}},
		Units: []manifest.ResourceUnit{{
			Profile: "ml",
			Resources: manifest.Resources{
				CPUMillis: 8000, MemoryBytes: 1 << 34,
				CPUAttributes: manifest.Attributes{{Key: "arch", Value: "amd64"}},
				GPU:           manifest.GPU{Units: 2, Attributes: manifest.Attributes{{Key: "vendor/nvidia/model/a100", Value: "true"}}},
				BandwidthBps:  1 << 20,
				Storage:       []manifest.StorageVolume{{Name: "default", Bytes: 1 << 30}},
			},
			Count: 3,
			Price: money.Coin{Denom: "uakt", Amount: money.MustParseDec("0.000000000000000001")},
		}},
		Services: []string{"train"},
		Exposes:  []manifest.Expose{{Service: "train", Port: 443, ExternalPort: 8443, Proto: "TCP", Global: true, Hosts: []string{"a.example", "b.example"}, IP: "ip1"}},
	}
	return append(gs, gpu)
}

func TestGroupRoundTrip(t *testing.T) {
	for _, g := range exampleGroups(t) {
		spec := GroupSpec(g)
		back, err := ManifestGroup(spec)
		if err != nil {
			t.Fatalf("group %s: %v", g.Name, err)
		}
		if d := cmp.Diff(g, back, groupCmp...); d != "" {
			t.Fatalf("group %s round trip (-want +got):\n%s", g.Name, d)
		}
		// Through the wire too: marshal, unmarshal, convert back.
		bz, err := spec.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		var wire dtypes.GroupSpec
		if err := wire.Unmarshal(bz); err != nil {
			t.Fatal(err)
		}
		back, err = ManifestGroup(wire)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(g, back, groupCmp...); d != "" {
			t.Fatalf("group %s wire round trip (-want +got):\n%s", g.Name, d)
		}
	}
	// The example's db group is priced 250.5 uakt: the fraction survives.
	spec := GroupSpec(exampleGroups(t)[0])
	if !strings.Contains(spec.String(), "uakt") {
		t.Fatalf("spec lost its denom: %s", spec.String())
	}
}

func TestManifestGroupRejectsBadPrice(t *testing.T) {
	spec := GroupSpec(exampleGroups(t)[0])
	spec.Resources[0].Price.Amount = legacy(t, "-1")
	_, err := ManifestGroup(spec)
	if !errors.Is(err, ErrNegative) || !strings.Contains(err.Error(), "resources[0]") {
		t.Fatalf("err = %v; want ErrNegative naming resources[0]", err)
	}
}

func FuzzDecCoin(f *testing.F) {
	for _, s := range []string{"0", "1.5", "0.000000000000000001", maxDec, "-3", "1e5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := math.LegacyNewDecFromStr(s)
		if err != nil {
			return
		}
		c, err := CoinFromDecCoin(sdk.DecCoin{Denom: "uakt", Amount: l})
		if err != nil {
			if l.IsNegative() || l.BigInt().BitLen() > 256 {
				return
			}
			t.Fatalf("%s rejected: %v", s, err)
		}
		if back := DecCoin(c); !back.Amount.Equal(l) {
			t.Fatalf("%s -> %s -> %s", s, c, back)
		}
		whole, rest := SplitWhole(c.Amount)
		if !LegacyFromDec(rest).Add(math.LegacyNewDecFromInt(whole)).Equal(l) {
			t.Fatalf("split %s = %s + %s", l, whole, rest)
		}
	})
}

func FuzzGroupSpec(f *testing.F) {
	for _, g := range exampleGroups(f) {
		spec := GroupSpec(g)
		bz, err := spec.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(bz)
	}
	f.Fuzz(func(t *testing.T, bz []byte) {
		var spec dtypes.GroupSpec
		if err := spec.Unmarshal(bz); err != nil {
			return
		}
		g, err := ManifestGroup(spec)
		if err != nil {
			return
		}
		g2, err := ManifestGroup(GroupSpec(g))
		if err != nil {
			t.Fatalf("converted group does not convert back: %v", err)
		}
		if d := cmp.Diff(g, g2, groupCmp...); d != "" {
			t.Fatalf("round trip (-first +second):\n%s", d)
		}
	})
}
