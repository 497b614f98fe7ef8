#!/usr/bin/env bash
# realapp-bench.sh [APPDIR] [RUNS]
#
# End to end: generate the default realapp (if APPDIR has no src/), install
# the harness and the app, then run the reference scan RUNS times (default 3)
# under measure.mjs. Writes APPDIR.ref.json (the scan result) and appends one
# JSON line per run to APPDIR.measure.jsonl.  APPDIR defaults to /tmp/realapp.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
APP="${1:-/tmp/realapp}"
RUNS="${2:-3}"

[ -d "$APP/src" ] || node "$HERE/../realapp/gen-realapp.mjs" "$APP"
"$HERE/setup.sh" "$APP" >/dev/null
for i in $(seq "$RUNS"); do
  node "$HERE/measure.mjs" --label "rwsdk-scan run $i" --out "$APP.measure.jsonl" -- \
    node "$HERE/rwsdk-scan.mjs" --root "$APP" > "$APP.ref.json"
  node -e 'const o=require(process.argv[1]);const s=o.stats;
    console.log(`run: client=${o.client.length} server=${o.server.length} scanMs=${s.wallMs} totalMs=${s.totalMs} treePeakRssKb=${s.peakRssKb} filesRead=${s.filesRead}`)' "$APP.ref.json"
done
tail -n "$RUNS" "$APP.measure.jsonl"
