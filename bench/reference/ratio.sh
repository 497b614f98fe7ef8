#!/usr/bin/env bash
# ratio.sh APPDIR [REF_RUNS] [DSCAN_RUNS_EACH]
#
# The headline ratio in one run: RedwoodSDK's scan (rwsdk-scan.mjs) and
# `dscan scan` on the same installed app, both under measure.mjs (process
# wall time and peak RSS of the whole process tree), their runs alternating
# so a busy machine slows both alike. Runs the reference REF_RUNS times
# (default 3) and dscan DSCAN_RUNS_EACH times after each (default 3), then
# prints both medians and the ratios. Both sides run warm: after each
# reference run (half a gigabyte of Node heap) one unmeasured dscan run
# brings the app's directories back into the kernel's caches first. Needs
# `setup.sh APPDIR` first (the harness's node_modules and the app's
# install) and `make` (build/dscan).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
TOP="$(cd "$HERE/../.." && pwd)"
APP="${1:?usage: ratio.sh APPDIR [REF_RUNS] [DSCAN_RUNS_EACH]}"
REF_RUNS="${2:-3}"
EACH="${3:-3}"
DSCAN="${DSCAN:-$TOP/build/dscan}"
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT

for i in $(seq "$REF_RUNS"); do
  node "$HERE/measure.mjs" --label ref --out "$OUT" -- \
    node "$HERE/rwsdk-scan.mjs" --root "$APP" > /dev/null
  "$DSCAN" scan "$APP" --json > /dev/null
  for j in $(seq "$EACH"); do
    node "$HERE/measure.mjs" --label dscan --out "$OUT" -- \
      "$DSCAN" scan "$APP" --json > /dev/null
  done
done
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const median = (v) => { v = [...v].sort((a, b) => a - b); const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2; };
const of = (label) => lines.filter((l) => l.label === label);
const bad = lines.filter((l) => l.exitCode !== 0);
if (bad.length) { console.error("a run failed:", JSON.stringify(bad[0])); process.exit(1); }
const r = of("ref"), d = of("dscan");
const rw = median(r.map((l) => l.wallMs)), dw = median(d.map((l) => l.wallMs));
const rm = median(r.map((l) => l.peakRssKb)), dm = median(d.map((l) => l.peakRssKb));
console.log(`reference: ${r.length} runs, wall median ${rw.toFixed(0)} ms, peak RSS median ${(rm / 1024).toFixed(0)} MB`);
console.log(`dscan:     ${d.length} runs, wall median ${dw.toFixed(1)} ms, peak RSS median ${(dm / 1024).toFixed(1)} MB`);
console.log(`ratio:     ${(rw / dw).toFixed(0)}x faster, ${(rm / dm).toFixed(0)}x less memory`);
' "$OUT"
