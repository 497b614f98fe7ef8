#!/bin/bash
# tests/real/test_report_html.sh — the page of `dscan scan --report-html`
# (SPEC §5a) in headless Chromium (Debian's `chromium`, which .ci/run
# installs), driven by playwright-core from npm (tests/real/report, pinned by
# its package-lock.json): it loads with no console error and fetches nothing,
# the treemap, barrels table, filter and side buttons work, and a module's
# chain opens as `--why` gives it (tests/real/report/check-page.mjs).
#
#   DSCAN_REPORT_SHOT=FILE.png  also writes a screenshot (the README's
#                               docs/report-html.png comes from here)
#
# Ends with "N passed, N failed". Needs node >= 20, npm, make, cc, chromium.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
TMP="$(mktemp -d /tmp/dscan-report-html.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
. "$REPO/tests/real/lib.sh"

if ! (cd "$REPO" && make -s >"$TMP/make.log" 2>&1); then
    ko "make"; tail -n 20 "$TMP/make.log"; echo "$passed passed, $failed failed"; exit 1
fi
DSCAN="$REPO/build/dscan"
if [ ! -x "$CHROMIUM" ]; then
    ko "headless Chromium at $CHROMIUM (apt-get install chromium; .ci/run does)"
    echo "$passed passed, $failed failed"; exit 1
fi
cp "$REPO/tests/real/report/package.json" "$REPO/tests/real/report/package-lock.json" \
    "$REPO/tests/real/report/check-page.mjs" "$TMP/"
if (cd "$TMP" && npm ci --no-audit --no-fund --loglevel=error >"$TMP/npm.log" 2>&1); then
    ok "npm ci playwright-core (pinned)"
else
    ko "npm ci playwright-core"; tail -n 20 "$TMP/npm.log"; echo "$passed passed, $failed failed"; exit 1
fi

# A generated project of the original app's shape, smaller.
G="$TMP/gen"
"$DSCAN" gen "$G" --icons 400 --files 160 --directives 64 --quiet
"$DSCAN" scan "$G" --json --report --quiet >"$TMP/expect.json"
# One module with a chain through a package: the first @stress/ui client file.
mod=$(grep -o '"/node_modules/[^"]*@stress/ui/dist/[a-z]*\.js"' "$TMP/expect.json" | head -n 1 | tr -d '"')
"$DSCAN" scan "$G" --json --why "$mod" --quiet >"$TMP/why.json"
node -e '
  const fs = require("fs");
  const e = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  e.why = JSON.parse(fs.readFileSync(process.argv[2], "utf8")).why;
  fs.writeFileSync(process.argv[1], JSON.stringify(e));' "$TMP/expect.json" "$TMP/why.json"
if "$DSCAN" scan "$G" --report-html "$TMP/report.html" --quiet >/dev/null; then
    ok "dscan scan --report-html writes the page"
else
    ko "dscan scan --report-html"
fi

(cd "$TMP" && timeout 180 node check-page.mjs "$TMP/report.html" "$TMP/expect.json" ${DSCAN_REPORT_SHOT:+"$DSCAN_REPORT_SHOT"}) >"$TMP/page.log" 2>&1
st=$?
cat "$TMP/page.log"
p=$(grep -c '^ok ' "$TMP/page.log")
f=$(grep -c '^FAIL ' "$TMP/page.log")
passed=$((passed + p))
failed=$((failed + f))
[ "$st" -ne 0 ] && [ "$f" -eq 0 ] && ko "check-page.mjs exited $st"
[ "$p" -lt 15 ] && ko "check-page.mjs ran only $p checks"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
