#!/usr/bin/env bash
# Prints the absolute path of the Pulumi CLI the tests and the sandbox run (DESIGN §9), and
# nothing else on stdout:
#   - a `pulumi` on PATH of a supported version (its release bundles the Python language host);
#   - otherwise the one built from Go modules at the pinned release into .cache/pulumi-cli/,
#     built here on first use (several minutes; progress on stderr).
# The pinned version is the one in tools/pulumi-cli/go.mod; the Python language host beside it
# is tools/pulumi-language-python (its main.go says why it is built from there). Exit 1 with one line on stderr when no CLI can be had.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
tools="$root/tools"
pinned="$(sed -n 's|.*github.com/pulumi/pulumi/pkg/v3 \(v[0-9][0-9.]*\).*|\1|p' "$tools/pulumi-cli/go.mod" | head -n1)"
if [ -z "$pinned" ]; then
    printf 'pulumi-path: tools/pulumi-cli/go.mod names no version of github.com/pulumi/pulumi/pkg/v3\n' >&2
    exit 1
fi
minimum="${pinned#v}"
cache="$root/.cache/pulumi-cli/$pinned"

say() { printf 'pulumi-path: %s\n' "$*" >&2; }

version_ok() { # $1: a version like 3.259.0 or v3.259.0-dev; true when >= the pinned release
    local have="${1#v}"
    have="${have%%[-+]*}"
    [ "$(printf '%s\n%s\n' "$minimum" "$have" | sort -V | head -n1)" = "$minimum" ]
}

if [ -z "${ENTRA_CONSENT_BUILD_PULUMI:-}" ] && ambient="$(command -v pulumi 2>/dev/null)"; then
    ambient="$(readlink -f "$ambient")"
    if [ "$(dirname "$ambient")" != "$cache" ]; then
        have="$("$ambient" version 2>/dev/null || true)"
        if version_ok "$have"; then
            printf '%s\n' "$ambient"
            exit 0
        fi
        say "ignoring $ambient (version ${have:-unknown}; $pinned or newer is needed)"
    fi
fi

if [ -x "$cache/pulumi" ] && [ -x "$cache/pulumi-language-python" ] \
    && [ -f "$cache/pulumi-language-python-exec" ]; then
    printf '%s\n' "$cache/pulumi"
    exit 0
fi

if ! command -v go >/dev/null 2>&1; then
    say "no pulumi $pinned or newer on PATH and no Go toolchain to build it (install Go 1.25.11 or newer, or the Pulumi CLI)"
    exit 1
fi

start=$(date +%s)
say "building the Pulumi CLI $pinned from Go modules into $cache (first use only; several minutes)"
work="$cache.partial"
rm -rf "$work"
mkdir -p "$work"
ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$pinned"
if ! (cd "$tools/pulumi-cli" \
    && go build -ldflags "$ldflags" -o "$work/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) >&2; then
    say "building the CLI failed (go build in tools/pulumi-cli; is the Go module proxy reachable?)"
    exit 1
fi
say "CLI built in $(($(date +%s) - start)) s; now the Python language host"
if ! (cd "$tools/pulumi-language-python" \
    && go build -ldflags "-X main.Version=$minimum" -o "$work/pulumi-language-python" .) >&2; then
    say "building the Python language host failed (go build in tools/pulumi-language-python)"
    exit 1
fi
# The host runs programs through this shim, which it expects beside itself: the one of the
# pinned CLI release (the project's newer Python SDK, requirements.txt, accepts its arguments).
sdk_dir="$(cd "$tools/pulumi-cli" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
install -m 0755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$work/pulumi-language-python-exec"
rm -rf "$cache"
mv "$work" "$cache"
say "done in $(($(date +%s) - start)) s: $cache/pulumi ($("$cache/pulumi" version))"
printf '%s\n' "$cache/pulumi"
