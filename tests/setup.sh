#!/usr/bin/env bash
# Installs the real components the test suite starts (idempotent; fast when already installed):
#   - gnome-keyring, dbus, secret-tool (Debian packages): a real Secret Service for keyring tests;
#   - curl (Debian): the fake browser of the login tests;
#   - the Codex CLI 0.169.0 and oidc-provider (npm, into tests/harness/node_modules).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need_apt=()
command -v gnome-keyring-daemon >/dev/null || need_apt+=(gnome-keyring)
command -v dbus-daemon >/dev/null || need_apt+=(dbus dbus-daemon dbus-bin)
command -v dbus-send >/dev/null || need_apt+=(dbus-bin)
command -v secret-tool >/dev/null || need_apt+=(libsecret-tools)
command -v curl >/dev/null || need_apt+=(curl ca-certificates)  # the fake browser follows redirects
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
