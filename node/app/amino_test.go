package app_test

import (
	"encoding/json"
	"strings"
	"testing"

	aminov1 "cosmossdk.io/api/amino"
	"cosmossdk.io/log/v2"
	dbm "github.com/cosmos/cosmos-db"
	gogoproto "github.com/cosmos/gogoproto/proto"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/akash-market/akash/node/app"
)

// maxAminoName is the longest amino name legacy.RegisterAminoMsg accepts
// (Ledger's limit); a longer one panics when the app is built.
const maxAminoName = 39

// TestAminoNames builds the app (node/app.New must not panic: a module
// registering a too-long amino name would) and checks every Msg it accepts:
// its amino.name option fits Ledger's 39 characters, ours all have one and
// use a distinct name, and where the Msg is also registered with the legacy
// amino codec the two names are equal. A mismatch would make amino-JSON sign
// bytes (x/tx, from the option) differ from the legacy codec's, so Ledger
// signatures would not verify.
func TestAminoNames(t *testing.T) {
	a, err := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{})
	if err != nil {
		t.Fatal(err)
	}
	reg := a.InterfaceRegistry()
	urls := reg.ListImplementations(sdk.MsgInterfaceProtoName)
	if len(urls) < 40 {
		t.Fatalf("only %d Msgs registered", len(urls))
	}
	owner := map[string]string{} // amino name -> type URL
	ours := 0
	for _, url := range urls {
		name := strings.TrimPrefix(url, "/")
		d, err := gogoproto.HybridResolver.FindDescriptorByName(protoreflect.FullName(name))
		if err != nil {
			t.Errorf("%s: no descriptor: %v", url, err)
			continue
		}
		amino, _ := proto.GetExtension(d.Options(), aminov1.E_Name).(string)
		akash := strings.HasPrefix(name, "akash.")
		if akash {
			ours++
			if amino == "" {
				t.Errorf("%s: no amino.name option (amino-JSON signing names the type by it)", url)
			}
		}
		if amino == "" {
			continue
		}
		if len(amino) > maxAminoName {
			t.Errorf("%s: amino name %q is %d characters, at most %d fit (Ledger)", url, amino, len(amino), maxAminoName)
		}
		if prev, dup := owner[amino]; dup {
			t.Errorf("amino name %q used by %s and %s", amino, prev, url)
		}
		owner[amino] = url

		if !akash {
			continue // the SDK's own Msgs: only the length (their Anys cannot be amino-encoded empty)
		}
		msg, err := reg.Resolve(url)
		if err != nil {
			t.Errorf("%s: %v", url, err)
			continue
		}
		legacy, registered := legacyName(a, msg)
		if !registered {
			t.Errorf("%s: not registered with the legacy amino codec (RegisterLegacyAminoCodec)", url)
		}
		if registered && legacy != amino {
			t.Errorf("%s: legacy amino registers %q, the proto option says %q", url, legacy, amino)
		}
	}
	// cert 2 + provider 6 + deployment 4 + market 7 (escrow has no Msgs).
	if ours < 19 {
		t.Errorf("only %d akash Msgs registered, want at least 19", ours)
	}
}

// legacyName is the type name the app's legacy amino codec writes for msg,
// if msg's type is registered with it.
func legacyName(a *app.App, msg gogoproto.Message) (string, bool) {
	bz, err := a.LegacyAmino().MarshalJSON(msg)
	if err != nil {
		return "", false
	}
	var wrapped struct {
		Type  string          `json:"type"`
		Value json.RawMessage `json:"value"`
	}
	if json.Unmarshal(bz, &wrapped) != nil || wrapped.Type == "" || wrapped.Value == nil {
		return "", false
	}
	return wrapped.Type, true
}
