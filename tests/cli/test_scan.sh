#!/bin/sh
# `dscan scan` from the outside: exit codes, messages, --json shape, --why,
# --ticks format, -j independence.
. tests/cli/lib.sh

p=$T_TMP/app
mkdir -p "$p/src/components" "$p/node_modules/lib"
printf "import './components/Button';\nimport './missing';\nimport 'lib';\n" >"$p/src/worker.tsx"
printf "'use client';\nimport { save } from '../actions';\n" >"$p/src/components/Button.tsx"
printf '"use server";\nexport async function save() {}\n' >"$p/src/actions.ts"
printf '{"name":"lib","main":"i.js"}' >"$p/node_modules/lib/package.json"
printf "'use client';\n" >"$p/node_modules/lib/i.js"

# Usage errors: exit 2, with the reason.
out=$("$DSCAN" scan --bogus 2>&1); rc=$?
check "bad flag exits 2" 2 "$rc"
check_contains "bad flag is named" "--bogus" "$out"
"$DSCAN" scan "$p" --mode staging >/dev/null 2>&1; check "bad mode exits 2" 2 $?
"$DSCAN" scan "$p" -j 0 >/dev/null 2>&1; check "-j 0 exits 2" 2 $?
"$DSCAN" scan "$p" --src src --no-prescan >/dev/null 2>&1; check "--src with --no-prescan exits 2" 2 $?
"$DSCAN" scan "$p" --entry >/dev/null 2>&1; check "--entry without value exits 2" 2 $?
"$DSCAN" scan "$p" "$p" >/dev/null 2>&1; check "two roots exit 2" 2 $?
out=$("$DSCAN" scan --help); check "help exits 0" 0 $?
check_contains "help shows usage" "usage: dscan scan" "$out"

# Scan failures: exit 1, naming the file.
out=$("$DSCAN" scan "$T_TMP/absent" 2>&1); rc=$?
check "missing root exits 1" 1 "$rc"
check_contains "missing root is named" "$T_TMP/absent" "$out"
out=$("$DSCAN" scan "$p" --entry src/nope.tsx 2>&1); rc=$?
check "missing entry exits 1" 1 "$rc"
check_contains "missing entry is named" "nope.tsx" "$out"
printf '{ "entries": 3 }' >"$T_TMP/bad.json"
out=$("$DSCAN" scan "$p" --config "$T_TMP/bad.json" 2>&1); rc=$?
check "bad config exits 1" 1 "$rc"
check_contains "bad config is named" "bad.json" "$out"

# Human output.
out=$("$DSCAN" scan "$p" 2>/dev/null); rc=$?
check "scan exits 0 with unresolved imports" 0 "$rc"
check_contains "human lists client" "  /src/components/Button.tsx" "$out"
check_contains "human lists package client by package-relative name" "  lib/i.js" "$out"
check_contains "human lists server" "  /src/actions.ts" "$out"
check_contains "human lists unresolved" "'./missing' from /src/worker.tsx (worker)" "$out"

# JSON output: SPEC §3 shape.
json=$("$DSCAN" scan "$p" --json --stats); rc=$?
check "json exits 0" 0 "$rc"
check_contains "json root" "\"root\": \"$p\"" "$json"
check_contains "json client" '"client": [
    "/node_modules/lib/i.js",
    "/src/components/Button.tsx"
  ]' "$json"
check_contains "json server" '"server": [
    "/src/actions.ts"
  ]' "$json"
check_contains "json unresolved" '{"specifier": "./missing", "importer": "/src/worker.tsx", "env": "worker"' "$json"
check_contains "json warnings" '"warnings": [' "$json"
for k in modules filesRead bytesRead duplicateReads resolveCalls statCalls wallMs peakRssKb peakHeapBytes threads; do
    check_contains "json stats.$k" "\"$k\": " "$json"
done
check_contains "json duplicateReads 0" '"duplicateReads": 0,' "$json"
check_contains "json filesRead" '"filesRead": 4,' "$json"
if command -v python3 >/dev/null 2>&1; then
    echo "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert set(d) >= {"root","client","server","unresolved","stats","warnings"}'
    check "json parses" 0 $?
fi

# Warnings: {file, line, col, code, message} (+ path, severity).
c=$T_TMP/casey
mkdir -p "$c/src"
printf "import './Button';\n" >"$c/src/worker.ts"
printf "'use client';\n" >"$c/src/button.tsx"
json=$("$DSCAN" scan "$c" --json)
check_contains "json case warning" "{\"file\": \"$c/src/worker.ts\", \"path\": \"$c/src/worker.ts\", \"line\": 1, \"col\": 8, \"severity\": \"warning\", \"code\": \"case\", \"message\": " "$json"
err=$("$DSCAN" scan "$c" 2>&1 >/dev/null)
check_contains "human case warning on stderr" "warning: import './Button' in '$c/src/worker.ts:1:8' differs" "$err"
check "human case warning names the file once" 1 "$(echo "$err" | grep -o "$c/src/worker.ts" | wc -l)"
check "quiet silences warnings" "" "$("$DSCAN" scan "$c" --quiet 2>&1 >/dev/null)"

# --src moves the pre-scan; --no-prescan turns it off.
mkdir -p "$p/lib"
printf "'use client';\n" >"$p/lib/Widget.tsx"
out=$("$DSCAN" scan "$p" --quiet --src lib)
check_contains "--src finds lib/" "  /lib/Widget.tsx" "$out"
case $out in *"/src/actions.ts"*) r=prescanned ;; *) r=not ;; esac
check "--src lib does not pre-scan src/ (actions still reached by import)" "prescanned" "$r"
out=$("$DSCAN" scan "$p" --quiet --no-prescan --json)
case $out in *Widget*) r=found ;; *) r=absent ;; esac
check "--no-prescan skips unreferenced directive files" "absent" "$r"
rm -r "$p/lib"

# -j does not change the result.
a=$("$DSCAN" scan "$p" --json -j 1 | grep -v -e wallMs -e peakRssKb -e peakHeapBytes -e '"threads"' -e '"stats"')
b=$("$DSCAN" scan "$p" --json -j 8 | grep -v -e wallMs -e peakRssKb -e peakHeapBytes -e '"threads"' -e '"stats"')
check "-j 1 and -j 8 agree" "$a" "$b"

# --why: a chain with environments.
out=$("$DSCAN" scan "$p" --quiet --no-prescan --why /node_modules/lib/i.js); rc=$?
check "why exits 0" 0 "$rc"
# SPEC §5a: only the chain, one line per step with importer, specifier, side.
check "why chain" "/node_modules/lib/i.js (client): reached from the entry /src/worker.tsx
  /src/worker.tsx (entry, worker side)
  /src/worker.tsx:3 imports 'lib' -> /node_modules/lib/i.js (worker side, \"use client\")" "$out"
out=$("$DSCAN" scan "$p" --quiet --no-prescan --why /src/actions.ts); rc=$?
check_contains "why crosses the boundary" "  /src/worker.tsx (entry, worker side)
  /src/worker.tsx:1 imports './components/Button' -> /src/components/Button.tsx (worker side, \"use client\")
  /src/components/Button.tsx:2 imports '../actions' -> /src/actions.ts (client side, \"use server\")" "$out"
out=$("$DSCAN" scan "$p" --quiet --why /src/nothing.ts 2>&1); rc=$?
check "why of an unreached file exits 1" 1 "$rc"
check_contains "why names the file" "/src/nothing.ts" "$out"
json=$("$DSCAN" scan "$p" --json --why "$p/node_modules/lib/i.js")
check_contains "why in json" '"why": [' "$json"

# --ticks: format on stderr, stdout untouched. A project big enough to take
# a few milliseconds.
big=$T_TMP/big
mkdir -p "$big/src"
i=0
imports=
while [ $i -lt 1500 ]; do
    printf "'use client';\nimport './f%d';\nexport const x = %d;\n" $((i + 1)) $i >"$big/src/f$i.ts"
    i=$((i + 1))
done
printf "export {};\n" >"$big/src/f1500.ts"
printf "import './f0';\n" >"$big/src/worker.ts"
"$DSCAN" scan "$big" --ticks=1 -j 1 >"$T_TMP/out" 2>"$T_TMP/err"; rc=$?
check "ticks exits 0" 0 "$rc"
bad=$(grep -v -E '^tick t=[0-9]+\.[0-9]{2}s rss=[0-9]+\.[0-9]MB peak=[0-9]+\.[0-9]MB modules=[0-9]+ files=[0-9]+ bytes=[0-9]+\.[0-9]MB$' "$T_TMP/err" | head -n 1)
check "every stderr line is a tick" "" "$bad"
ticks=$(grep -c '^tick ' "$T_TMP/err")
[ "$ticks" -ge 1 ] || ticks="none ($(cat "$T_TMP/err"))"
case $ticks in none*) check "at least one tick" "ticks" "$ticks" ;; *) check "at least one tick" 1 1 ;; esac
check_contains "ticks leave stdout alone" "client (1500):" "$(cat "$T_TMP/out")"
check "no progress when stderr is not a terminal" "" "$(grep -v '^tick ' "$T_TMP/err")"

finish
