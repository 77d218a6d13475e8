package types_test

import (
	"bytes"
	"crypto/sha256"
	"testing"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/address"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/tx/signing"
	"github.com/cosmos/gogoproto/proto"

	"github.com/akash-market/akash/node/x/deployment/types"
)

// sampleCreate fills every field of MsgCreateDeployment, nested ones included, with
// non-zero values so a field the generated code dropped would show in the round trip.
func sampleCreate(t *testing.T) *types.MsgCreateDeployment {
	t.Helper()
	owner := sdk.MustBech32ifyAddressBytes("akash", bytes.Repeat([]byte{7}, 20))
	sum := sha256.Sum256([]byte("manifest"))
	price := sdk.NewDecCoinFromDec("uakt", mustDec(t, "12.345678901234567891"))
	return &types.MsgCreateDeployment{
		Owner: owner,
		Dseq:  1 << 40,
		Groups: []types.GroupSpec{{
			Name: "westcoast",
			Requirements: types.PlacementRequirements{
				Attributes: []types.Attribute{{Key: "region", Value: "us-west"}},
				SignedBy:   types.SignedBy{AllOf: []string{"akash1auditor"}, AnyOf: []string{"a", "b"}},
			},
			Resources: []types.ResourceUnit{{
				CPUMillis:   1500,
				MemoryBytes: 512 << 20,
				Storage:     []types.Storage{{Name: "default", Bytes: 1 << 30}, {Name: "data", Bytes: 10 << 30}},
				GPUUnits:    2,
				Bandwidth:   125_000_000,
				Count:       3,
				Price:       price,
			}},
		}},
		Version: sum[:],
		Deposit: sdk.NewInt64Coin("uakt", 5_000_000),
	}
}

func mustDec(t *testing.T, s string) math.LegacyDec {
	t.Helper()
	d, err := math.LegacyNewDecFromStr(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestMsgCreateDeploymentRoundTrip: the generated gogoproto Marshal/Unmarshal (and the
// registry entry used by codecs and Any packing) keep every field, exactly.
func TestMsgCreateDeploymentRoundTrip(t *testing.T) {
	in := sampleCreate(t)
	bz, err := proto.Marshal(in)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var out types.MsgCreateDeployment
	if err := proto.Unmarshal(bz, &out); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	if !in.Equal(&out) {
		t.Fatalf("round trip changed the message:\n in: %v\nout: %v", in, &out)
	}
	if got := out.Groups[0].Resources[0].Price.Amount.String(); got != "12.345678901234567891" {
		t.Fatalf("price after round trip = %s, want 12.345678901234567891", got)
	}
	// Re-marshalling the decoded message gives the same bytes: the encoding is deterministic.
	bz2, err := proto.Marshal(&out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bz, bz2) {
		t.Fatal("second marshal differs from the first")
	}
	if name := proto.MessageName(in); name != "akash.deployment.v1.MsgCreateDeployment" {
		t.Fatalf("registered name = %q", name)
	}
}

// TestMsgSignerOption: the cosmos.msg.v1.signer option reaches the SDK, which finds the
// signer from the owner field; without it the SDK refuses to route the message.
func TestMsgSignerOption(t *testing.T) {
	reg, err := codectypes.NewInterfaceRegistryWithOptions(codectypes.InterfaceRegistryOptions{
		ProtoFiles: proto.HybridResolver,
		SigningOptions: signing.Options{
			AddressCodec:          address.NewBech32Codec("akash"),
			ValidatorAddressCodec: address.NewBech32Codec("akashvaloper"),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	cdc := codec.NewProtoCodec(reg)
	for _, msg := range []proto.Message{
		sampleCreate(t),
		&types.MsgCloseDeployment{Owner: sampleCreate(t).Owner, Dseq: 9},
	} {
		signers, _, err := cdc.GetMsgV1Signers(msg)
		if err != nil {
			t.Fatalf("%s: %v", proto.MessageName(msg), err)
		}
		if len(signers) != 1 || !bytes.Equal(signers[0], bytes.Repeat([]byte{7}, 20)) {
			t.Fatalf("%s: signers = %x, want the owner's 20 bytes", proto.MessageName(msg), signers)
		}
	}
}
