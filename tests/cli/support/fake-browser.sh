#!/bin/sh
# A headless "browser" for login tests, given to codex-creds as BROWSER: it fetches the URL with
# curl, following redirects with a cookie jar (the issuer's interaction cookies), in the
# background so the CLI is never blocked, and exits 0 at once.
# FAKE_BROWSER_LOG, when set, gets one line per URL opened.
url="$1"
if [ -n "$FAKE_BROWSER_LOG" ]; then
    printf '%s\n' "$url" >> "$FAKE_BROWSER_LOG"
fi
(
    curl -sSL -b /dev/null -o /dev/null --max-time 60 "$url" >/dev/null 2>&1
) </dev/null >/dev/null 2>&1 &
exit 0
