#!/usr/bin/env bash
# Runs every fuzz target for a short, bounded time, one after another, and fails on the first
# crash. A crash leaves its input under the package's testdata/fuzz/<FuzzName>/, where plain
# `go test` replays it from then on. FUZZTIME overrides the time per target (default 10s).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
fuzztime=${FUZZTIME:-10s}

# package target
targets=(
	". FuzzNewAPIError"
	". FuzzUserJSON"
	". FuzzSessionJSON"
	"./auth FuzzVerify"
	"./auth FuzzVerifySigned"
	"./user FuzzListParamsQuery"
)

for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	printf '\n==> fuzz %s %s for %s\n' "$pkg" "$name" "$fuzztime"
	go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg"
done
printf '\n==> fuzz: %d targets, no crash\n' "${#targets[@]}"
