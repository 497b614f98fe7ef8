#!/bin/bash
# bench/resolve/run.sh [APPDIR] — resolutions per second, cold and warm, on
# the request list of the differential test (every import and require found
# in a realistic pnpm-installed app, in both environments): dscan versus
# oxc-resolver and enhanced-resolve, in one run, with the ratios.
#
#   cold: the first pass over the list on a fresh resolver (empty caches,
#         warm page cache); warm: the mean of the next REPEAT-1 passes on the
#         same resolver. dscan runs in-process (`dscan resolve --batch`, C);
#         the references run in Node through their public sync APIs.
#
# APPDIR (or DSCAN_RESOLVE_APP) reuses an installed app; without it the app
# is installed as tests/real/test_resolve_oxc.sh does. REPEAT (default 5).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$REPO/tests/real/resolve"
REPEAT="${REPEAT:-5}"
TMP="$(mktemp -d /tmp/dscan-bench-resolve.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT

{ [ -x "$REPO/build/dscan" ] && [ -f "$REPO/build/libdscan.a" ]; } || (cd "$REPO" && make -s)
if [ ! "$HERE/node_modules/.package-lock.json" -nt "$HERE/package-lock.json" ]; then
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi
APP="${1:-${DSCAN_RESOLVE_APP:-}}"
if [ -z "$APP" ]; then
    APP="$TMP/app"
    mkdir -p "$APP/src"
    cp "$REPO"/bench/realapp/template/{package.json,pnpm-lock.yaml,pnpm-workspace.yaml} "$APP/"
    (cd "$APP" && "$HERE/node_modules/.bin/pnpm" install --frozen-lockfile --reporter=silent)
fi
cc -O2 -I"$REPO/include" -o "$TMP/lexpairs" "$HERE/lexpairs.c" "$REPO/build/libdscan.a" -lpthread -lm
LEXPAIRS="$TMP/lexpairs" node "$HERE/collect.mjs" "$APP" 2>/dev/null >"$TMP/pairs.tsv"
awk -F'\t' '{print $1"\t"$2"\tworker\t"$3; print $1"\t"$2"\tclient\t"$3}' "$TMP/pairs.tsv" >"$TMP/req.tsv"

"$REPO/build/dscan" resolve --batch "$TMP/req.tsv" --root "$APP" --repeat "$REPEAT" 2>"$TMP/t.dscan" >/dev/null
node "$HERE/refresolve.mjs" oxc "$TMP/req.tsv" --repeat "$REPEAT" --quiet 2>"$TMP/t.oxc"
node "$HERE/refresolve.mjs" enhanced "$TMP/req.tsv" --repeat "$REPEAT" --quiet 2>"$TMP/t.enh"

rate() { sed -n "s/.*$2 [0-9.]* ms (\([0-9]*\)\/s).*/\1/p" "$1"; }
dc=$(rate "$TMP/t.dscan" cold); dw=$(rate "$TMP/t.dscan" warm)
oc=$(rate "$TMP/t.oxc" cold); ow=$(rate "$TMP/t.oxc" warm)
ec=$(rate "$TMP/t.enh" cold); ew=$(rate "$TMP/t.enh" warm)
n=$(wc -l <"$TMP/req.tsv")
printf 'requests: %s (importer, specifier, env, kind), %s passes\n\n' "$n" "$REPEAT"
printf '%-18s %14s %14s\n' resolver 'cold res/s' 'warm res/s'
printf '%-18s %14s %14s\n' dscan "$dc" "$dw" oxc-resolver "$oc" "$ow" enhanced-resolve "$ec" "$ew"
echo
awk -v dc="$dc" -v dw="$dw" -v oc="$oc" -v ow="$ow" -v ec="$ec" -v ew="$ew" 'BEGIN {
    printf "dscan / oxc-resolver:     cold %.2fx  warm %.2fx  (goal: warm >= 3x)\n", dc / oc, dw / ow
    printf "dscan / enhanced-resolve: cold %.2fx  warm %.2fx\n", dc / ec, dw / ew
}'
