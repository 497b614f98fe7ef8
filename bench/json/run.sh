#!/bin/sh
# Parses generated JSON documents of ~50 MB with dscan's reader and with
# Node's JSON.parse, side by side, in one run. Needs `make` first.
# Usage: bench/json/run.sh [MB]     (from the repository root)
set -eu
mb=${1:-50}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -std=c11 -D_GNU_SOURCE -Iinclude -Isrc -o "$out/parse" bench/json/parse.c build/libdscan.a -lm -pthread
node -e '
const fs = require("fs"); const mb = +process.argv[1], dir = process.argv[2];
const target = mb * 1e6;
// 1: a package-lock-like object of objects; 2: a flat array of numbers; 3: long escaped strings.
let parts = [], n = 0;
for (let i = 0; n < target; i++) { const s = JSON.stringify("pkg-" + i) + ":{\"version\":\"1.2." + i + "\",\"resolved\":\"https://r/x-" + i + ".tgz\",\"deps\":{\"a\":\"^1\",\"b\":[1,2.5,true,null]}}"; parts.push(s); n += s.length + 1; }
fs.writeFileSync(dir + "/objects.json", "{" + parts.join(",") + "}");
parts = []; n = 0;
for (let i = 0; n < target; i++) { const s = String(i % 1000) + "." + (i % 7); parts.push(s); n += s.length + 1; }
fs.writeFileSync(dir + "/numbers.json", "[" + parts.join(",") + "]");
parts = []; n = 0;
for (let i = 0; n < target; i++) { const s = JSON.stringify("caf\u00e9 \ud83d\ude00 \"q\" \\ \n".repeat(40)); parts.push(s); n += s.length + 1; }
fs.writeFileSync(dir + "/strings.json", "[" + parts.join(",") + "]");
' "$mb" "$out"
for f in objects numbers strings; do
    echo "== $f.json"
    "$out/parse" "$out/$f.json"
    node -e '
const fs = require("fs"); const t = fs.readFileSync(process.argv[1], "utf8");
const h0 = process.memoryUsage().heapUsed; const t0 = process.hrtime.bigint();
const v = JSON.parse(t); const t1 = process.hrtime.bigint();
console.log("node   ok         " + (Number(t1 - t0) / 1e6).toFixed(1).padStart(8) + " ms  heap " + ((process.memoryUsage().heapUsed - h0) / 1e6).toFixed(1).padStart(7) + " MB");
' "$out/$f.json"
done
