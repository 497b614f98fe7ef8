#!/bin/bash
# tests/real/test_gen_reference.sh — `dscan gen` projects through a real
# bundler: RedwoodSDK's own runDirectivesScan (esbuild + Vite's resolver,
# bench/reference) must accept them and find exactly the client and server
# files the generator planted (dscan-gen.json), for the default project, a
# plain node_modules, extra entries, and big files.
#
# Ends with "N passed, N failed". Needs node >= 20.19 and npm with the npm
# registry (bench/reference/setup.sh installs rwsdk, vite and esbuild there).
set -uo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
REF="$REPO/bench/reference"
TMP="$(mktemp -d /tmp/dscan-gen-ref.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
. "$REPO/tests/real/lib.sh"

(cd "$REPO" && make -s >/dev/null) || { echo "make failed"; echo "0 passed, 1 failed"; exit 1; }
"$REF/setup.sh" >"$TMP/setup.log" 2>&1 || { tail -20 "$TMP/setup.log"; echo "0 passed, 1 failed"; exit 1; }
DSCAN="$REPO/build/dscan"

# case NAME GEN-OPTIONS... : generate, run the reference, compare.
case_() {
    local name=$1 dir=$TMP/$1
    shift
    if ! "$DSCAN" gen "$dir" "$@" --quiet; then
        ko "$name: dscan gen $*"
        return
    fi
    local entries=()
    for e in $(tr -d ' \n' <"$dir/dscan.json" | sed -n 's/.*"entries":\[\([^]]*\)\].*/\1/p' | tr ',' ' ' | tr -d '"'); do
        entries+=(--entry "$e")
    done
    # rwsdk loads esbuild through the project's own vite.
    ln -s "$REF/node_modules/vite" "$dir/node_modules/vite"
    if ! node "$REF/rwsdk-scan.mjs" --root "$dir" "${entries[@]}" >"$TMP/$name.ref.json" 2>"$TMP/$name.err"; then
        ko "$name: the reference scan failed"
        tail -5 "$TMP/$name.err"
        return
    fi
    node -e 'const g = require(process.argv[1]);
             process.stdout.write(JSON.stringify({root: "", client: g.expected.client, server: g.expected.server}))' \
        "$dir/dscan-gen.json" >"$TMP/$name.want.json"
    if node "$REF/compare.mjs" "$TMP/$name.want.json" "$TMP/$name.ref.json" >"$TMP/$name.cmp" 2>&1; then
        ok "$name: rwsdk finds exactly the planted files ($(grep -E '^(client|server):' "$TMP/$name.cmp" | sed 's/,.*//' | tr '\n' ' '))"
    else
        ko "$name: rwsdk's result differs from dscan-gen.json"
        head -20 "$TMP/$name.cmp"
    fi
}

case_ default
case_ no-pnpm --no-pnpm --icons 200 --files 120 --directives 50
case_ entries --icons 100 --files 150 --directives 60 --entries 3 --detours 40 --seed 3
case_ bigfiles --icons 100 --files 80 --directives 30 --big-files 4:2

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
