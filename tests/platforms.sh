#!/usr/bin/env bash
# The platform checks that run after the Linux suite (README's test command, and so CI):
#   1. macOS: `cargo check` and `cargo clippy -D warnings` for both Apple targets (no linking:
#      no Apple SDK is needed, and on macOS reqwest uses the system TLS, so no C is built);
#   2. Windows: clippy for x86_64-pc-windows-gnu, then the Wine smoke suite on the real .exe;
#   3. with --static only: the static musl build links, is static, and runs (a full build for one
#      more target, about 4 minutes on 2 cores, so CI leaves it to tests/bench/bench.py's users).
# tests/setup.sh installs the targets and Debian packages these need.
set -euo pipefail
cd "$(dirname "$0")/.."
STATIC=false
[[ ${1:-} == --static ]] && STATIC=true

step() { printf '\n== %s\n' "$*" >&2; SECONDS_AT_STEP=$SECONDS; }
done_step() { printf '== done in %ss\n' "$((SECONDS - SECONDS_AT_STEP))" >&2; }

for target in x86_64-apple-darwin aarch64-apple-darwin; do
  step "macOS ($target): cargo clippy --all-targets -D warnings, cargo check"
  cargo clippy --locked --quiet --all-targets --target "$target" -- -D warnings
  cargo check --locked --quiet --target "$target"
  done_step
done

step "Windows (x86_64-pc-windows-gnu): cargo clippy --all-targets -D warnings"
cargo clippy --locked --quiet --all-targets --target x86_64-pc-windows-gnu -- -D warnings
done_step

step "Windows: the .exe and the unit tests under Wine (tests/windows/smoke.sh --unit)"
./tests/windows/smoke.sh --unit
done_step

if ! $STATIC; then
  echo "platforms: macOS checks and Windows under Wine passed (the static build: --static)" >&2
  exit 0
fi
step "static Linux (x86_64-unknown-linux-musl): builds, links statically, runs"
cargo build --locked --quiet --target x86_64-unknown-linux-musl
static=target/x86_64-unknown-linux-musl/debug/codex-creds
if readelf -d "$static" | grep -q NEEDED; then
  echo "platforms: $static needs shared libraries:" >&2
  readelf -d "$static" | grep NEEDED >&2
  exit 1
fi
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
printf 'sk-static-0123456789abcdefghij\n' | CODEX_HOME=$home "$static" login --with-api-key >/dev/null 2>&1
mode=$(CODEX_HOME=$home "$static" status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["auth_mode"])')
[ "$mode" = apikey ] || { echo "platforms: static status --json said auth_mode=$mode" >&2; exit 1; }
CODEX_HOME=$home "$static" logout >/dev/null 2>&1
set +e; CODEX_HOME=$home "$static" status >/dev/null 2>&1; code=$?; set -e
[ "$code" = 3 ] || { echo "platforms: static status after logout exited $code, expected 3" >&2; exit 1; }
done_step

echo "platforms: macOS checks, Windows under Wine and the static Linux build all passed" >&2
