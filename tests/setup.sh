#!/usr/bin/env bash
# Installs the real components the test suite starts (idempotent; fast when already installed):
#   - gnome-keyring, dbus, secret-tool (Debian packages): a real Secret Service for keyring tests;
#   - curl (Debian): the fake browser of the login tests;
#   - the Codex CLI 0.169.0 and oidc-provider (npm, into tests/harness/node_modules);
#   - for tests/platforms.sh: clippy, the rustup targets for Windows (x86_64-pc-windows-gnu), macOS
#     (x86_64/aarch64-apple-darwin) and static Linux (x86_64-unknown-linux-musl), and Debian's
#     mingw-w64 C compiler and linker, Wine 8 and musl-tools.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need_apt=()
command -v gnome-keyring-daemon >/dev/null || need_apt+=(gnome-keyring)
command -v dbus-daemon >/dev/null || need_apt+=(dbus dbus-daemon dbus-bin)
command -v dbus-send >/dev/null || need_apt+=(dbus-bin)
command -v secret-tool >/dev/null || need_apt+=(libsecret-tools)
command -v curl >/dev/null || need_apt+=(curl ca-certificates)  # the fake browser follows redirects
command -v x86_64-w64-mingw32-gcc >/dev/null || need_apt+=(gcc-mingw-w64-x86-64)
command -v wine >/dev/null && [ -x /usr/lib/wine/wine64 ] || need_apt+=(wine wine64)
command -v musl-gcc >/dev/null || need_apt+=(musl-tools)  # aws-lc-sys's C, for the static build
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} (apt)" >&2
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

harness=tests/harness
if ! cmp -s "$harness/package-lock.json" "$harness/node_modules/.package-lock.json.installed" 2>/dev/null; then
  echo "setup: installing the npm test harness (Codex CLI, oidc-provider)" >&2
  npm ci --prefix "$harness" --no-audit --no-fund --loglevel=error
  cp "$harness/package-lock.json" "$harness/node_modules/.package-lock.json.installed"
fi

# Cross targets: `rustup target add` is a no-op when a target is already installed.
targets=(x86_64-pc-windows-gnu x86_64-apple-darwin aarch64-apple-darwin x86_64-unknown-linux-musl)
installed=$(rustup target list --installed)
missing=()
for target in "${targets[@]}"; do
  grep -qx "$target" <<<"$installed" || missing+=("$target")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: adding rustup targets ${missing[*]}" >&2
  rustup target add "${missing[@]}"
fi
cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
