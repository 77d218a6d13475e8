#!/usr/bin/env bash
# Runs every fuzz target in the repository for FUZZTIME (default 10s) each.
#
# A target fails when `go test -fuzz` fails AND it wrote a new failing input
# under testdata/fuzz/<Target>/, or when the failure is anything other than
# the known Go fuzz-coordinator race: with a duration -fuzztime, Go 1.26 can
# report "context deadline exceeded" at the deadline with no crasher at all
# (golang/go#75804, fixed in Go 1.27; seen here on loaded 2-core machines).
# Count budgets (-fuzztime Nx) would avoid the race, but our targets differ
# ~1000x in speed, so one count cannot fit all.
set -uo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-10s}
status=0
flakes=0
for f in $(grep -rl --include='*_test.go' '^func Fuzz' . | sort); do
  dir=$(dirname "$f")
  for t in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //'); do
    echo "fuzz $dir $t ($FUZZTIME)"
    corpus="$dir/testdata/fuzz/$t"
    before=$(ls "$corpus" 2>/dev/null | sort)
    out=$(mktemp)
    if $GO test -run '^$' -fuzz "^$t\$" -fuzztime "$FUZZTIME" "./$dir" 2>&1 | tee "$out"; then
      rm -f "$out"; continue
    fi
    after=$(ls "$corpus" 2>/dev/null | sort)
    if [ "$before" = "$after" ] && grep -q 'context deadline exceeded' "$out" && ! grep -q 'Failing input written' "$out"; then
      echo "fuzz $dir $t: ignored 'context deadline exceeded' with no failing input (Go fuzz coordinator race, golang/go#75804)"
      flakes=$((flakes + 1))
    else
      echo "fuzz $dir $t: FAILED (see the failing input under $corpus)"
      status=1
    fi
    rm -f "$out"
  done
done
echo "fuzz: done; $flakes coordinator-race flake(s) ignored"
exit $status
