#!/bin/sh
# `dscan diff A.json B.json` (SPEC §5a): modules that moved into, out of or
# between the client and server lists, on results of real scans of a project
# edited between them; exit 0 none, 1 some, 2 bad input.
. tests/cli/lib.sh

p=$T_TMP/app
mkdir -p "$p/src"
printf "import './a';\nimport './b';\nimport './c';\nimport './d';\n" >"$p/src/worker.tsx"
printf "'use client';\nexport const A = 1;\n" >"$p/src/a.tsx"
printf "'use server';\nexport async function b() {}\n" >"$p/src/b.ts"
printf "'use client';\nexport const C = 1;\n" >"$p/src/c.tsx"
printf "export const D = 1;\n" >"$p/src/d.tsx"

"$DSCAN" scan "$p" --json >"$T_TMP/a.json" 2>/dev/null
check "baseline scan exits 0" 0 $?
"$DSCAN" scan "$p" --json >"$T_TMP/a2.json" 2>/dev/null

out=$("$DSCAN" diff "$T_TMP/a.json" "$T_TMP/a2.json"); rc=$?
check "same result: exit 0" 0 "$rc"
check "same result: says so" "no change" "$out"

# c moves client -> server, d becomes client (added), b loses its directive
# (removed from server), a stays.
printf "'use server';\nexport async function c() {}\n" >"$p/src/c.tsx"
printf "'use client';\nexport const D = 1;\n" >"$p/src/d.tsx"
printf "export async function b() {}\n" >"$p/src/b.ts"
"$DSCAN" scan "$p" --json >"$T_TMP/b.json" 2>/dev/null

out=$("$DSCAN" diff "$T_TMP/a.json" "$T_TMP/b.json"); rc=$?
check "changes: exit 1" 1 "$rc"
check "changes: one line each, by path, then a count" \
    "- server /src/b.ts
~ client -> server /src/c.tsx
+ client /src/d.tsx
3 changes: 1 added, 1 removed, 1 moved" "$out"

out=$("$DSCAN" diff "$T_TMP/b.json" "$T_TMP/a.json"); rc=$?
check "reversed: exit 1" 1 "$rc"
check_contains "reversed: the move goes back" "~ server -> client /src/c.tsx" "$out"

out=$("$DSCAN" diff "$T_TMP/a.json" "$T_TMP/b.json" --json); rc=$?
check "--json: exit 1" 1 "$rc"
check "--json: added, removed, moved" '{
  "added": [
    {"path": "/src/d.tsx", "list": "client"}
  ],
  "removed": [
    {"path": "/src/b.ts", "list": "server"}
  ],
  "moved": [
    {"path": "/src/c.tsx", "from": "client", "to": "server"}
  ]
}' "$out"
if command -v python3 >/dev/null 2>&1; then
    echo "$out" | python3 -c 'import json,sys; json.load(sys.stdin)'
    check "--json output parses" 0 $?
fi
out=$("$DSCAN" diff "$T_TMP/a.json" "$T_TMP/a2.json" --json); rc=$?
check "--json no change: exit 0" 0 "$rc"
check "--json no change: empty lists" '{
  "added": [],
  "removed": [],
  "moved": []
}' "$out"

# A result of another checkout of the same project compares by the lists'
# root-relative paths, whatever the roots; other keys are not needed.
printf '{"root": "/elsewhere", "client": ["/src/a.tsx", "/src/c.tsx"], "server": ["/src/b.ts"]}' >"$T_TMP/min.json"
out=$("$DSCAN" diff "$T_TMP/min.json" "$T_TMP/a.json"); rc=$?
check "minimal baseline with another root: exit 0" 0 "$rc"

# Bad input: exit 2, naming the file and the reason. Never 0.
out=$("$DSCAN" diff "$T_TMP/a.json" "$T_TMP/absent.json" 2>&1); rc=$?
check "missing file: exit 2" 2 "$rc"
check_contains "missing file is named" "cannot read '$T_TMP/absent.json'" "$out"
printf '{"client": ["/a"], "server": [' >"$T_TMP/trunc.json"
out=$("$DSCAN" diff "$T_TMP/trunc.json" "$T_TMP/a.json" 2>&1); rc=$?
check "truncated JSON: exit 2" 2 "$rc"
check_contains "truncated JSON is named" "cannot parse '$T_TMP/trunc.json'" "$out"
printf '{"client": ["/a"]}' >"$T_TMP/noserver.json"
out=$("$DSCAN" diff "$T_TMP/noserver.json" "$T_TMP/a.json" 2>&1); rc=$?
check "no server list: exit 2" 2 "$rc"
check_contains "no server list is said" '"server" must be a list of paths' "$out"
printf '{"client": ["/a", 3], "server": []}' >"$T_TMP/num.json"
out=$("$DSCAN" diff "$T_TMP/num.json" "$T_TMP/a.json" 2>&1); rc=$?
check "a number in a list: exit 2" 2 "$rc"
check_contains "the item is named" 'item 2 of "client" is not a path' "$out"
printf '[1, 2]' >"$T_TMP/arr.json"
"$DSCAN" diff "$T_TMP/arr.json" "$T_TMP/a.json" >/dev/null 2>&1
check "not an object: exit 2" 2 $?
"$DSCAN" diff "$T_TMP/a.json" >/dev/null 2>&1
check "one file: exit 2" 2 $?
"$DSCAN" diff "$T_TMP/a.json" "$T_TMP/a.json" "$T_TMP/a.json" >/dev/null 2>&1
check "three files: exit 2" 2 $?
"$DSCAN" diff "$T_TMP/a.json" "$T_TMP/a.json" --bogus >/dev/null 2>&1
check "unknown option: exit 2" 2 $?
out=$("$DSCAN" diff --help); rc=$?
check "diff --help exits 0" 0 "$rc"
check_contains "diff --help states the exit codes" "0 no change, 1 changes, 2 bad input" "$out"
out=$("$DSCAN" help 2>&1)
check_contains "dscan --help lists diff" "diff A.json B.json" "$out"

finish
