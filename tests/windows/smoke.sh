#!/usr/bin/env bash
# Wine smoke suite (issue 13): builds codex-creds.exe for x86_64-pc-windows-gnu and runs it under
# Wine 8.0 in a private, throwaway WINEPREFIX: the file store, a malformed auth.json, Windows
# Credential Manager (`--store keyring`, Codex's account name) and its 2560-byte limit
# (`keyring` refuses with exit 7, `auto` falls back to auth.json in one line). Exit codes, files
# and output are checked exactly; no secret may appear where it was not asked for.
#
# Needs: cargo with the x86_64-pc-windows-gnu target (rustup target add x86_64-pc-windows-gnu),
# Debian packages gcc-mingw-w64-x86-64, wine and wine64 (8.0), and python3. No X display.
# Usage: tests/windows/smoke.sh [--unit]   (prints `wine smoke: N passed`; stops at the first
# failure). --unit also runs the library's unit tests under Wine in the same prefix.
set -euo pipefail
UNIT=false
[[ ${1:-} == --unit ]] && UNIT=true

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TARGET=x86_64-pc-windows-gnu
EXE_DIR=${CARGO_TARGET_DIR:-$ROOT/target}/$TARGET/debug
EXE=$EXE_DIR/codex-creds.exe
PASSED=0

fail() {
    printf 'wine smoke: FAILED after %d passed: %s\n' "$PASSED" "$1" >&2
    if [[ -n ${WORK:-} && -f $WORK/out ]]; then
        printf -- '--- exit code: %s\n--- stdout:\n%s\n--- stderr:\n%s\n' \
            "${RC:-?}" "$(cat "$WORK/out")" "$(cat "$WORK/err")" >&2
    fi
    exit 1
}
pass() { PASSED=$((PASSED + 1)); }

for tool in cargo wine wineserver x86_64-w64-mingw32-gcc python3; do
    command -v "$tool" >/dev/null ||
        fail "$tool is missing (apt-get install wine wine64 gcc-mingw-w64-x86-64 python3; rustup target add $TARGET)"
done

# Exit codes by name, from the one table (src/error.rs, `exit_code`).
code() { sed -n "s/^ *pub const $1: u8 = \([0-9]*\);.*/\1/p" "$ROOT/src/error.rs"; }
SUCCESS=$(code SUCCESS) NOT_LOGGED_IN=$(code NOT_LOGGED_IN) STORE=$(code STORE)
[[ $SUCCESS == 0 && -n $NOT_LOGGED_IN && -n $STORE ]] || fail "exit codes not found in src/error.rs"

# --- build ------------------------------------------------------------------------------------
(cd "$ROOT" && cargo build --quiet --locked --target "$TARGET") || fail "cargo build for $TARGET"
# Test aid, never shipped: Wine 8.0 lacks bcryptprimitives.dll!ProcessPrng (see processprng.c).
x86_64-w64-mingw32-gcc -shared -O2 -o "$EXE_DIR/bcryptprimitives.dll" \
    "$ROOT/tests/windows/processprng.c" -ladvapi32 || fail "building the ProcessPrng stand-in"

# --- a private Wine prefix, removed at the end ------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/codex-creds-wine.XXXXXX")
PREFIX=$WORK/prefix
cleanup() {
    WINEPREFIX=$PREFIX wineserver -k >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
# Only what Wine needs: nothing from the caller's shell (CODEX_HOME, API keys) leaks in.
WINE_ENV=(env -i "PATH=$PATH" "HOME=$HOME" "USER=${USER:-$(id -un)}" LANG=C NO_COLOR=1
    "WINEPREFIX=$PREFIX" WINEDEBUG=-all "WINEDLLOVERRIDES=mscoree,mshtml=")
"${WINE_ENV[@]}" wineboot -i >/dev/null 2>&1 || fail "creating the Wine prefix"

# unix_path 'C:\x': the Unix path of a Windows path inside the prefix.
unix_path() { "${WINE_ENV[@]}" winepath -u "$1" 2>/dev/null; }
PROFILE=$("${WINE_ENV[@]}" wine cmd /c 'echo %USERPROFILE%' 2>/dev/null | tr -d '\r')
[[ $PROFILE == C:\\* ]] || fail "USERPROFILE is '$PROFILE'"

# run [--stdin FILE] [--home 'C:\dir'] ARGS...: runs the .exe; sets RC, OUT, ERR.
run() {
    local input=/dev/null home=()
    while [[ $1 == --stdin || $1 == --home ]]; do
        if [[ $1 == --stdin ]]; then input=$2; else home=("CODEX_HOME=$2"); fi
        shift 2
    done
    set +e
    "${WINE_ENV[@]}" "${home[@]}" wine "$EXE" "$@" <"$input" >"$WORK/out" 2>"$WORK/err"
    RC=$?
    set -e
    OUT=$(tr -d '\r' <"$WORK/out")
    ERR=$(tr -d '\r' <"$WORK/err")
}
expect_rc() { [[ $RC == "$1" ]] || fail "$2: expected exit $1, got $RC"; pass; }
has() { [[ $1 == *"$2"* ]] || fail "$3: expected to find '$2'"; pass; }
lacks() { [[ $1 != *"$2"* ]] || fail "$3: '$2' must not appear"; pass; }
same_file() { cmp -s "$1" "$2" || fail "$3: $2 changed"; pass; }
# No secret in stdout or stderr, and no verbatim \\?\ path (one check).
clean() {
    local secret
    for secret in "${SECRETS[@]}"; do
        [[ "$OUT$ERR" != *"$secret"* ]] || fail "$1: a secret ($secret...) was printed"
    done
    lacks "$OUT$ERR" '\\?\' "$1 (verbatim path)"
}
# json EXPR: evaluates a Python expression over the parsed stdout `j`.
json() {
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' \
        "$WORK/out" "$1" || fail "status --json: expected $1"
    pass
}
# Codex's keyring account for a home: sha256 of std's verbatim canonical path (compute_store_key).
codex_account() { printf 'cli|%s' "$(printf '%s' "\\\\?\\$1" | sha256sum | cut -c1-16)"; }
# Credential Manager itself (Wine keeps it in the registry): the item Codex's names give.
cred_items() { "${WINE_ENV[@]}" wine reg query 'HKCU\Software\Wine\Credential Manager' 2>/dev/null | tr -d '\r'; }

KEY=sk-smoke-file-0123456789abcdef
RING_KEY=sk-smoke-ring-0123456789abcdef
SMALL_KEY=sk-smoke-small-0123456789abcdef
SECRETS=("$KEY" "$RING_KEY" "$SMALL_KEY" rt-smoke-secret eyJ)
printf '%s\n' "$KEY" >"$WORK/key"
printf '%s\n' "$RING_KEY" >"$WORK/ring-key"
printf '%s\n' "$SMALL_KEY" >"$WORK/small-key"

# --- file store in %USERPROFILE%\.codex (no CODEX_HOME), as Codex ------------------------------
HOME_WIN="$PROFILE\\.codex"
AUTH=$(unix_path "$HOME_WIN\\auth.json")
run --stdin "$WORK/key" login --with-api-key
expect_rc "$SUCCESS" "login --with-api-key"
has "$ERR" "$HOME_WIN\\auth.json" "login names the file"
clean "login"
[[ -f $AUTH ]] || fail "login: no $AUTH"
python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); sys.exit(a["OPENAI_API_KEY"]!=sys.argv[2])' \
    "$AUTH" "$KEY" || fail "auth.json does not hold the key"
pass

run status
expect_rc "$SUCCESS" "status"
has "$OUT" "sk-smoke" "status shows the masked key"
has "$OUT" "file ($HOME_WIN\\auth.json)" "status names the file"
clean "status"

run status --json
expect_rc "$SUCCESS" "status --json"
clean "status --json"
json 'j["logged_in"] is True and j["auth_mode"] == "apikey"'
json "j['codex_home'] == r'''$HOME_WIN'''"
json "j['store'] == {'mode': 'file', 'kind': 'file', 'location': r'''$HOME_WIN\\auth.json'''}"

run token
expect_rc "$SUCCESS" "token"
[[ $OUT == "$KEY" ]] || fail "token: expected exactly the key on stdout"
pass

run logout
expect_rc "$SUCCESS" "logout"
clean "logout"
[[ ! -e $AUTH ]] || fail "logout left $AUTH"
pass
run status
expect_rc "$NOT_LOGGED_IN" "status after logout"

# --- a malformed auth.json is refused and left byte for byte ----------------------------------
printf '{"auth_mode": "apikey", "OPENAI_API_KEY": "%s",\n' "$KEY" >"$AUTH"
cp "$AUTH" "$WORK/malformed"
for cmd in status token; do
    run "$cmd"
    expect_rc "$STORE" "$cmd with a malformed auth.json"
    has "$ERR" "$HOME_WIN\\auth.json is malformed" "$cmd names the file"
    clean "$cmd with a malformed auth.json"
    same_file "$WORK/malformed" "$AUTH" "$cmd with a malformed auth.json"
done
rm "$AUTH"

# --- Credential Manager (--store keyring), under Codex's account name -------------------------
ACCOUNT=$(codex_account "$HOME_WIN")
run --stdin "$WORK/ring-key" --store keyring login --with-api-key
expect_rc "$SUCCESS" "keyring login"
has "$ERR" "account \"$ACCOUNT\"" "keyring login: Codex's account for \\\\?\\$HOME_WIN"
clean "keyring login"
[[ ! -e $AUTH ]] || fail "keyring login wrote $AUTH"
pass
has "$(cred_items)" "Generic: $ACCOUNT.Codex Auth" "Credential Manager holds the item"

run --store keyring status --json
expect_rc "$SUCCESS" "keyring status --json"
clean "keyring status --json"
json "j['store']['kind'] == 'keyring' and '\"$ACCOUNT\"' in j['store']['location']"
json "j['codex_home'] == r'''$HOME_WIN'''"

run --store keyring token
expect_rc "$SUCCESS" "keyring token"
[[ $OUT == "$RING_KEY" ]] || fail "keyring token: expected exactly the key on stdout"
pass

run --store keyring logout
expect_rc "$SUCCESS" "keyring logout"
clean "keyring logout"
lacks "$(cred_items)" "$ACCOUNT" "keyring logout removes the item"
run --store keyring status
expect_rc "$NOT_LOGGED_IN" "keyring status after logout"

# --- the 2560-byte limit: a ChatGPT login does not fit ----------------------------------------
python3 - "$WORK/large.json" <<'EOF'
import base64, json, sys
b64 = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()
claims = {"email": "me@example.com", "exp": 4102444800,
          "https://api.openai.com/auth": {"chatgpt_plan_type": "plus", "chatgpt_user_id": "user-1",
              "chatgpt_account_id": "acct-1",
              "organizations": [{"id": f"org-{i}", "title": f"Org {i}"} for i in range(10)]}}
jwt = lambda c: b64({"alg": "RS256", "typ": "JWT"}) + "." + b64(c) + ".c2ln"
auth = {"auth_mode": "chatgpt", "OPENAI_API_KEY": None,
        "tokens": {"id_token": jwt(claims), "access_token": jwt(dict(claims, scp=["openid"])),
                   "refresh_token": "rt-smoke-secret-0123456789", "account_id": "acct-1"},
        "last_refresh": "2026-11-27T00:00:00Z"}
assert len(json.dumps(auth, separators=(",", ":")).encode("utf-16-le")) > 2560
json.dump(auth, open(sys.argv[1], "w"), indent=2)
EOF

# keyring mode: exit 7, naming the limit; auth.json untouched, nothing in the keyring.
BIG='C:\smoke\big'
mkdir -p "$(unix_path "$BIG")"
cp "$WORK/large.json" "$(unix_path "$BIG\\auth.json")"
run --home "$BIG" --store keyring migrate --to keyring
expect_rc "$STORE" "migrate --to keyring of a ChatGPT login"
has "$ERR" "2560 bytes" "the error names the limit"
has "$ERR" "--store file" "the error suggests the file store"
clean "migrate --to keyring"
same_file "$WORK/large.json" "$(unix_path "$BIG\\auth.json")" "migrate --to keyring"
lacks "$(cred_items)" "$(codex_account "$BIG")" "nothing was put in Credential Manager"

# auto mode: the switch to a ChatGPT account lands in auth.json with one warning line, and the
# older keyring item (which would be loaded first) is gone.
AUTO='C:\smoke\auto'
run --home "$AUTO" --stdin "$WORK/small-key" --store keyring login --with-api-key
expect_rc "$SUCCESS" "auto: keyring login of a small key"
run --home "$AUTO" --stdin "$WORK/large.json" --store file account import --name big -
expect_rc "$SUCCESS" "auto: account import"
run --home "$AUTO" --store auto account save small
expect_rc "$SUCCESS" "auto: account save"
run --home "$AUTO" --store auto account use big
expect_rc "$SUCCESS" "auto: account use of the ChatGPT login"
clean "auto: account use"
WARNINGS=$(grep -c 'warning' <<<"$ERR" || true)
[[ $WARNINGS == 1 ]] || fail "auto: expected one warning line, got $WARNINGS"
pass
has "$ERR" "warning: the credentials are too large for one OS keyring item (Windows Credential Manager holds at most 2560 bytes); auto mode: saved the credentials to $AUTO\\auth.json instead" "auto: the warning says why"
python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["tokens"] != json.load(open(sys.argv[2]))["tokens"])' \
    "$WORK/large.json" "$(unix_path "$AUTO\\auth.json")" || fail "auto: auth.json does not hold the ChatGPT login"
pass
run --home "$AUTO" --store auto status --json
expect_rc "$SUCCESS" "auto: status --json"
json "j['auth_mode'] == 'chatgpt' and j['store']['kind'] == 'file'"
run --home "$AUTO" --store keyring status
expect_rc "$NOT_LOGGED_IN" "auto: the outdated keyring item is gone"

printf 'wine smoke: %d passed\n' "$PASSED"

if $UNIT; then
    rm -f "$WORK/out" # a failure here is cargo's, printed above
    # The test binary lives in deps/, so the stand-in DLL goes there too.
    cp "$EXE_DIR/bcryptprimitives.dll" "$EXE_DIR/deps/"
    (cd "$ROOT" && env -i "PATH=$PATH" "HOME=$HOME" "USER=${USER:-$(id -un)}" LANG=C \
        ${CARGO_TARGET_DIR:+"CARGO_TARGET_DIR=$CARGO_TARGET_DIR"} \
        ${RUSTUP_HOME:+"RUSTUP_HOME=$RUSTUP_HOME"} ${CARGO_HOME:+"CARGO_HOME=$CARGO_HOME"} \
        "WINEPREFIX=$PREFIX" WINEDEBUG=-all "WINEDLLOVERRIDES=mscoree,mshtml=" \
        CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine \
        cargo test --quiet --locked --lib --target "$TARGET") || fail "unit tests under Wine"
fi
