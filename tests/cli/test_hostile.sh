#!/bin/sh
# Hostile files through the command line (issue 6): one project holding a
# FIFO, a socket-less device link, a link loop, a dangling link, a 200 MB
# sparse file, NUL bytes, non-UTF-8 names and a broken package.json. The scan
# must exit 0 within a bounded time, print one warning per bad file on stderr
# in one style ("warning: cannot … 'FILE': REASON"), list the same warnings
# in the `warnings` array of --json (and then print none on stderr) (valid JSON even for non-UTF-8 names),
# and still find the ordinary directive files. tests/test_hostile.c has one
# test per case through the library; this checks what a tool reading the
# output sees.
. tests/cli/lib.sh

p=$T_TMP/app
mkdir -p "$p/src" "$p/node_modules/broken" "$p/node_modules/deep"
printf "import './ok';\nimport './fifo.js';\nimport './zero';\nimport './self.js';\nimport './huge.js';\nimport 'broken';\nimport 'deep';\nimport './bin';\nimport './after';\n" >"$p/src/worker.tsx"
printf "'use client';\nexport const Ok = 1;\n" >"$p/src/ok.tsx"
printf "'use server';\nexport async function act() {}\n" >"$p/src/after.ts"
mkfifo "$p/src/fifo.js"
ln -s /dev/zero "$p/src/zero.js"
ln -s self.js "$p/src/self.js"
ln -s gone.js "$p/src/dangling.js"
printf "'use client';\n" >"$p/src/huge.js"
truncate -s 200M "$p/src/huge.js"
printf "'use client';\n\000\377\376\000import './ok';\n" >"$p/src/bin.tsx"
printf "'use client';\n" >"$p/src/caf$(printf '\351').tsx"
printf '{"name": "broken",' >"$p/node_modules/broken/package.json"
printf "'use client';\n" >"$p/node_modules/broken/index.js"
awk 'BEGIN { printf "{\"exports\":"; for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; printf "}" }' \
    >"$p/node_modules/deep/package.json"
printf "'use client';\n" >"$p/node_modules/deep/index.js"

# `timeout` guards against the hangs this test is about (a FIFO open or an
# endless read of /dev/zero would never return).
json=$(timeout 60 "$DSCAN" scan "$p" --json 2>"$T_TMP/err")
check "scan --json of a hostile project exits 0" 0 $?
# With --json the warnings are in the output, not on stderr.
check "scan --json keeps stderr quiet" "" "$(cat "$T_TMP/err")"
timeout 60 "$DSCAN" scan "$p" >"$T_TMP/out" 2>"$T_TMP/err"
check "scan of a hostile project exits 0" 0 $?
err=$(cat "$T_TMP/err")
# strerror(ELOOP) is "Too many levels of symbolic links" in glibc and macOS,
# "Symbolic link loop" in musl (the static linux-* binaries of make npm-dist).
loop="Too many levels of symbolic links"
case $err in *"src/self.js': Symbolic link loop"*) loop="Symbolic link loop" ;; esac
for f in "src/fifo.js': not a regular file" "src/zero.js': not a regular file" \
    "src/self.js': $loop" "src/dangling.js': No such file or directory" \
    "src/huge.js': file too large" "node_modules/broken/package.json': " \
    "node_modules/deep/package.json': "; do
    check_contains "stderr warns: $f" "$f" "$err"
    check_contains "--json warns: $f" "$f" "$json"
done
# Every warning line has the one shape: "warning: " then, optionally,
# FILE:LINE:COL: , then the message naming a quoted file and the reason.
bad=$(echo "$err" | grep -v "^warning: \(.*:[0-9]*:[0-9]*: \)\?[a-z][a-z ]* '[^']*'.*: .* \[[a-z]*\]$" || true)
check "every warning line has the house shape" "" "$bad"
check_contains "ok.tsx still found" '"/src/ok.tsx"' "$json"
check_contains "after.ts still found" '"/src/after.ts"' "$json"
check_contains "NUL-laden bin.tsx found" '"/src/bin.tsx"' "$json"
check_contains "Latin-1 name found, written as U+FFFD" '"/src/caf\ufffd.tsx"' "$json"
check_contains "broken package still resolves to its index" '"/node_modules/broken/index.js"' "$json"
if command -v python3 >/dev/null 2>&1; then
    n=$(echo "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
ws = d["warnings"]
assert all(set(w) >= {"file", "line", "col", "code", "message"} for w in ws)
assert all(w["file"] and w["file"] in w["message"] for w in ws if w["code"] in ("read", "limit"))
print(len(ws))')
    check "--json is valid and every read warning names its file" 0 $?
    check "warnings array counts every warning line" "$(echo "$err" | grep -c '^warning: ')" "$n"
else
    echo "skip: python3 not found, JSON validity not checked"
fi

check_contains "human output lists ok.tsx" "/src/ok.tsx" "$(cat "$T_TMP/out")"
q=$(timeout 60 "$DSCAN" scan "$p" --quiet 2>&1 >/dev/null)
check "--quiet prints no warnings" "" "$q"
# lex and resolve print warnings in the same shape as scan, once each, and
# name the file once (issue 14).
printf 'import "a\n' >"$T_TMP/u.js"
n=$("$DSCAN" lex "$T_TMP/u.js" 2>&1 >/dev/null |
    grep -c "^warning: cannot lex '[^']*/u.js': unterminated string at 1:8 \[parse\]$")
check "lex: one warning per problem, in scan's shape" 1 "$n"
w=$("$DSCAN" resolve broken --from "$p/src/worker.tsx" --root "$p" 2>&1 >/dev/null)
check_contains "resolve: package.json warning in scan's shape" \
    "warning: cannot parse '$p/node_modules/broken/package.json': " "$w"
[ -n "${DSCAN_TEST_VERBOSE:-}" ] && echo "$err" >&2
finish
