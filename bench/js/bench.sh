#!/usr/bin/env bash
# bench/js/bench.sh [APPDIR] [RUNS] [--vite harness|app]
#
# RedwoodSDK's runDirectivesScan versus dscan's drop-in, through the same
# JavaScript call on the same real Vite environments (bench/js/run-scan.mjs),
# alternating the two, RUNS times each (default 5). Each run is one fresh
# node process under bench/reference/measure.mjs, so two numbers per run:
#   call:    the runDirectivesScan call alone — wall ms, and peak RSS summed
#            over node + its children (esbuild's service / the dscan binary)
#            while it runs, sampled every 5 ms (run-scan.mjs);
#   process: the whole process (Vite setup included) — wall ms and peak RSS
#            of the tree, sampled every 10 ms from outside (measure.mjs).
# Generates and installs the realapp when APPDIR (default /tmp/realapp) has
# no src/. Prints a table of medians; raw lines go to APPDIR.js-bench.jsonl.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
APP=/tmp/realapp
RUNS=5
VITE=harness
pos=()
while [ $# -gt 0 ]; do
    case "$1" in
    --vite) VITE="$2"; shift 2 ;;
    *) pos+=("$1"); shift ;;
    esac
done
[ ${#pos[@]} -ge 1 ] && APP="${pos[0]}"
[ ${#pos[@]} -ge 2 ] && RUNS="${pos[1]}"

[ -d "$APP/src" ] || node "$REPO/bench/realapp/gen-realapp.mjs" "$APP"
"$REPO/bench/reference/setup.sh" "$APP" >/dev/null
# The package's binary, built as `npm install` builds it.
[ -x "$REPO/npm/dscan/build/dscan" ] || node "$REPO/npm/dscan/scripts/build.mjs"

OUT="$APP.js-bench.jsonl"
: >"$OUT"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for i in $(seq "$RUNS"); do
    for impl in rwsdk dscan; do
        node "$REPO/bench/reference/measure.mjs" --out "$tmp/m.jsonl" --label "$impl" -- \
            node "$HERE/run-scan.mjs" --impl "$impl" --root "$APP" --vite "$VITE" >"$tmp/r.json"
        node -e '
            const fs = require("fs");
            const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
            const m = fs.readFileSync(process.argv[2], "utf8").trim().split("\n").map(JSON.parse).pop();
            console.log(JSON.stringify({ impl: r.impl, run: +process.argv[3], client: r.client.length, server: r.server.length,
              callMs: r.callMs, callPeakTreeRssKb: r.peakTreeRssKb, baselineTreeRssKb: r.baselineTreeRssKb,
              processMs: Math.round(m.wallMs), processPeakTreeRssKb: m.peakRssKb, vite: r.vite }));' \
            "$tmp/r.json" "$tmp/m.jsonl" "$i" >>"$OUT"
    done
done

node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
    const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
    const row = (impl) => {
      const l = lines.filter((x) => x.impl === impl);
      const k = (f) => med(l.map((x) => x[f]));
      return { impl, runs: l.length, client: l[0].client, server: l[0].server, callMs: k("callMs"),
        callPeakMB: (k("callPeakTreeRssKb") / 1024).toFixed(0), baselineMB: (k("baselineTreeRssKb") / 1024).toFixed(0),
        processMs: k("processMs"), processPeakMB: (k("processPeakTreeRssKb") / 1024).toFixed(0), vite: l[0].vite };
    };
    const rows = [row("rwsdk"), row("dscan")];
    console.log("| impl | runs | client | server | call ms | call peak tree MB | tree MB before call | process ms | process peak tree MB | vite |");
    console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const r of rows) console.log("| " + Object.values(r).join(" | ") + " |");
    const [a, b] = rows;
    console.log(`call: ${(a.callMs / b.callMs).toFixed(1)}x faster, peak tree RSS during the call ${(a.callPeakMB / b.callPeakMB).toFixed(1)}x lower (medians of ${a.runs})`);' "$OUT"
