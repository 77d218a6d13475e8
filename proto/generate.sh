#!/bin/sh
# generate.sh [OUT]: regenerate the Go code of proto/akash/** into OUT (default:
# the repository root), as `make proto` does. Everything it needs comes from the
# Go module proxy: buf and the two plugins are `go install`ed at pinned versions
# into build/bin, and the imported .proto files (gogoproto, cosmos_proto, the
# SDK's cosmos/* and amino, google/api) are symlinked from GOMODCACHE into a buf
# workspace under build/proto. Nothing third-party is copied into the repository.
set -eu

BUF_VERSION=v1.75.0
GATEWAY_VERSION=v1.16.0 # grpc-gateway v1, as the Cosmos SDK uses

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT}
BUILD=$ROOT/build
BIN=$BUILD/bin
cd "$ROOT"

# The versions of the SDK, gogoproto and cosmos-proto are the ones go.mod resolves,
# so the generated code matches the runtime it is linked with.
modver() { go list -m -f '{{.Version}}' "$1"; }
moddir() { go mod download -json "$1@$(modver "$1")" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'; }
GOGO_VERSION=$(modver github.com/cosmos/gogoproto)
SDK_DIR=$(moddir github.com/cosmos/cosmos-sdk)
GOGO_DIR=$(moddir github.com/cosmos/gogoproto)
CPROTO_DIR=$(moddir github.com/cosmos/cosmos-proto)
GATEWAY_DIR=$(go mod download -json "github.com/grpc-ecosystem/grpc-gateway@$GATEWAY_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')

# install TOOL PKG VERSION: go install once per version (a stamp file records it).
install() {
  if [ ! -x "$BIN/$1" ] || [ "$(cat "$BIN/$1.version" 2>/dev/null)" != "$2@$3" ]; then
    echo "installing $2@$3" >&2
    GOBIN=$BIN go install "$2@$3"
    echo "$2@$3" > "$BIN/$1.version"
  fi
}
mkdir -p "$BIN"
install buf github.com/bufbuild/buf/cmd/buf "$BUF_VERSION"
install protoc-gen-gocosmos github.com/cosmos/gogoproto/protoc-gen-gocosmos "$GOGO_VERSION"
install protoc-gen-grpc-gateway github.com/grpc-ecosystem/grpc-gateway/protoc-gen-grpc-gateway "$GATEWAY_VERSION"

# The workspace: module "akash" is our proto/ tree, module "deps" the imports.
WS=$BUILD/proto
rm -rf "$WS"
mkdir -p "$WS/deps/google"
ln -s "$ROOT/proto" "$WS/akash"
ln -s "$GOGO_DIR/gogoproto" "$WS/deps/gogoproto"
ln -s "$CPROTO_DIR/proto/cosmos_proto" "$WS/deps/cosmos_proto"
ln -s "$SDK_DIR/proto/cosmos" "$WS/deps/cosmos"
ln -s "$SDK_DIR/proto/amino" "$WS/deps/amino"
ln -s "$GATEWAY_DIR/third_party/googleapis/google/api" "$WS/deps/google/api"
cat > "$WS/buf.yaml" <<YAML
version: v2
modules:
  - path: akash
  - path: deps
YAML

cd "$WS"
PATH=$BIN:$PATH buf generate --template "$ROOT/proto/buf.gen.gogo.yaml" akash

# The plugins write by Go import path; move the files to where the package lives.
SRC=$WS/gen/github.com/akash-market/akash
find "$SRC" -name '*.go' | while read -r f; do
  rel=${f#"$SRC"/}
  mkdir -p "$OUT/$(dirname "$rel")"
  case $f in
  # grpc-gateway v1's output uses golang/protobuf and grpc.Dial, both deprecated;
  # staticcheck's SA1019 reports that even in generated files, so say why once here.
  *.pb.gw.go) sed '2a\
\
//lint:file-ignore SA1019 grpc-gateway v1 (the generator the Cosmos SDK uses) emits deprecated golang/protobuf and grpc.Dial calls' "$f" > "$OUT/$rel" ;;
  *) cp "$f" "$OUT/$rel" ;;
  esac
done
rm -rf "$WS/gen"
