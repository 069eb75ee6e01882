#!/usr/bin/env bash
# Runs golangci-lint with .golangci.yml over the module (bench/ is a module of its own and is
# not linted). Installs the pinned version when the one on PATH is missing or another.
set -euo pipefail

GOLANGCI_LINT_VERSION=v2.15.0

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$(go env GOPATH)/bin:$PATH"

if ! golangci-lint version 2>/dev/null | grep -q "version ${GOLANGCI_LINT_VERSION#v} "; then
	go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$GOLANGCI_LINT_VERSION"
fi
golangci-lint config verify
golangci-lint run ./...
