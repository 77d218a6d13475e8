# Everyday targets. `make test` is the test command README names and CI runs.
GO        ?= go
FUZZTIME  ?= 10s
PKGS      ?= ./...
STATICCHECK ?= v0.8.2
# No cgo anywhere: the binaries ship in FROM scratch images (the provider
# daemon's container, the test workloads), and tests that build them then
# share one build cache with everything else instead of compiling the SDK a
# second time with other settings.
export CGO_ENABLED ?= 0

.PHONY: all build akash-node test test-norace test-short test-race bench fuzz lint fmt ci proto proto-check

all: lint test

build:
	$(GO) build ./...

## akash-node: the binary in build/, stamped with its version and commit
## (`akash-node version` prints them)
VERSION_PKG := github.com/cosmos/cosmos-sdk/version
akash-node:
	$(GO) build -ldflags "-X $(VERSION_PKG).Version=$$(git describe --tags --always --dirty 2>/dev/null || echo dev) -X $(VERSION_PKG).Commit=$$(git rev-parse HEAD 2>/dev/null)" -o build/akash-node ./cmd/akash-node

## test: every test, once: the packages whose tests start goroutines under
## the race detector (test-race), everything else without it (test-norace).
## Both run, and make test fails if either does.
test:
	@status=0; \
	  $(MAKE) --no-print-directory test-norace || status=1; \
	  $(MAKE) --no-print-directory test-race || status=1; \
	  exit $$status

## test-short: skip the slow property runs (no race detector)
test-short:
	$(GO) test -short -count=1 $(PKGS)

## The race detector's packages (among PKGS): the overlay, the provider
## daemon, the runtime, the app. make test runs them here only, so each test
## runs once; the lists are written here only.
## provider/e2e is left out (test-norace runs it): what it tests runs in
## akash-node processes built without the detector.
## node/app runs its tests one at a time: the SDK's ante.NewDeductFeeDecorator
## writes the global ante.FeeRecipientModule each time an app is built, so
## the app simulation's seeds, run in parallel, race on it in the SDK itself.
## The detector needs cgo and a C compiler: cgo is on for these builds only,
## so they do not share the cache of the cgo-free ones.
RACE_PKGS        ?= ./overlay/... ./provider/... ./runtime/...
RACE_SERIAL_PKGS ?= ./node/app/...
## Tests that cross the line (package:test). RACE_ALSO run under the detector
## too: sim/engine runs in test-norace (an engine starts no goroutine, and its
## model and queueing-theory tests take about 18 times as long under the
## detector), but its engines-on-parallel-goroutines test is for the detector.
## NORACE_ALSO run without it too: they skip under it (a memory measurement).
RACE_ALSO   ?= ./sim/engine:TestReplicatesInParallelShareNothing
NORACE_ALSO ?= ./overlay/tunnel:TestIdleTunnelMemory
race_list   = $(GO) list $(RACE_PKGS) | grep -v '/provider/e2e$$'
serial_list = $(GO) list $(RACE_SERIAL_PKGS)
# $(call also,ENV,LIST,FLAGS): go test FLAGS, with ENV, each package:test of LIST among PKGS
also = for x in $(2); do \
	    p=$$($(GO) list $${x%%:*}); \
	    if $(GO) list $(PKGS) | grep -qxF "$$p"; then $(1) $(GO) test $(3) -count=1 -run "^$${x\#*:}$$" "$$p"; fi; \
	  done

## test-norace: every package of PKGS but the race detector's
test-norace:
	@set -e; skip=$$($(race_list); $(serial_list)); \
	  pkgs=$$($(GO) list $(PKGS) | grep -vxF "$$skip" || true); \
	  if [ -n "$$pkgs" ]; then $(GO) test -count=1 $$pkgs; fi; \
	  $(call also,,$(NORACE_ALSO),)

## test-race: the race detector's packages of PKGS, under the detector
test-race:
	@set -e; \
	  cc_ok() { command -v "$$(CGO_ENABLED=1 $(GO) env CC)" >/dev/null || { \
	    echo "make test-race: the race detector needs a C compiler ($$(CGO_ENABLED=1 $(GO) env CC)) and none is on PATH; install one (apt-get install gcc)" >&2; exit 1; }; }; \
	  race=$$($(GO) list $(PKGS) | grep -xF "$$($(race_list))" || true); \
	  serial=$$($(GO) list $(PKGS) | grep -xF "$$($(serial_list))" || true); \
	  if [ -n "$$race" ]; then cc_ok; CGO_ENABLED=1 $(GO) test -race -count=1 $$race; fi; \
	  if [ -n "$$serial" ]; then cc_ok; CGO_ENABLED=1 $(GO) test -race -count=1 -parallel 1 $$serial; fi; \
	  $(call also,cc_ok; CGO_ENABLED=1,$(RACE_ALSO),-race)

## bench: benchmarks of the hot paths, one core, with allocations
bench:
	$(GO) test -run '^$$' -bench . -benchmem -cpu 1 $(PKGS)

## fuzz: run every fuzz target for FUZZTIME each (make fuzz FUZZTIME=2m)
fuzz:
	@GO=$(GO) FUZZTIME=$(FUZZTIME) bash .ci/fuzz-all.sh

## lint: formatting, go vet and staticcheck
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '\.pb\.go$$' || true)); \
	  if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK) $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

## ci: what .ci/run executes
ci: lint test
	$(MAKE) fuzz FUZZTIME=5s

## proto: regenerate node/x/*/types/*.pb.go and *.pb.gw.go from proto/ (buf v1.75.0,
## protoc-gen-gocosmos and grpc-gateway v1 go-installed into build/bin; imports from GOMODCACHE)
proto:
	./proto/generate.sh

## proto-check: regenerate into a temp dir and fail if the committed generated code differs
proto-check:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	  ./proto/generate.sh $$tmp; \
	  status=0; \
	  for f in $$(cd $$tmp && find . -name '*.go' | sort); do \
	    cmp -s $$tmp/$$f $$f || { echo "stale: $$f (run make proto)"; status=1; }; \
	  done; \
	  for f in $$(git ls-files 'node/*.pb.go' 'node/*.pb.gw.go'); do \
	    [ -f $$tmp/$$f ] || { echo "no longer generated: $$f"; status=1; }; \
	  done; \
	  exit $$status
