#!/bin/sh
# Builds the FROM scratch image of a static akash-sim.
#   deploy/build-image.sh                  # tags akash-sim:latest
#   IMAGE=registry.example/akash-sim:v1 VERSION=v1 deploy/build-image.sh
set -eu
cd "$(dirname "$0")/.."
IMAGE="${IMAGE:-akash-sim:latest}"
VERSION="${VERSION:-$(git describe --always --dirty 2>/dev/null || echo dev)}"
ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$VERSION" -o "$ctx/akash-sim" ./cmd/akash-sim
cp deploy/Dockerfile "$ctx/Dockerfile"
docker build -t "$IMAGE" "$ctx"
echo "built $IMAGE"
