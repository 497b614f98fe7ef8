#!/bin/sh
# `dscan serve` (SPEC §5b): JSON requests on stdin, one JSON line per answer
# on stdout; the project is edited between requests; malformed requests get
# an error answer and the session goes on; EOF and close end it with exit 0.
. tests/cli/lib.sh

p=$T_TMP/app
mkdir -p "$p/src"
printf "import './a';\nimport './b';\n" >"$p/src/worker.tsx"
printf "'use client';\nexport const A = 1;\n" >"$p/src/a.tsx"
printf "export const B = 1;\n" >"$p/src/b.ts"

mkfifo "$T_TMP/in"
# The out file exists before the server starts: its shell opens it only after
# the fifo has a writer, and ask() may count its lines before that.
: >"$T_TMP/out"
"$DSCAN" serve "$p" <"$T_TMP/in" >"$T_TMP/out" 2>"$T_TMP/err" &
pid=$!
exec 3>"$T_TMP/in"

# ask LINE: sends one request and prints the answer (the out file's next
# line; $(ask) runs in a subshell, so the count comes from the file).
ask() {
    n=$(($(wc -l <"$T_TMP/out") + 1))
    printf '%s\n' "$1" >&3
    i=0
    while [ "$(wc -l <"$T_TMP/out")" -lt "$n" ] && [ $i -lt 500 ]; do
        sleep 0.01
        i=$((i + 1))
    done
    sed -n "${n}p" "$T_TMP/out"
}

out=$(ask '{"id":1,"op":"scan"}')
check_contains "scan answers with its id" '{"id":1,"ok":true' "$out"
check_contains "scan lists the client module" '"client":["/src/a.tsx"]' "$out"
check_contains "first scan: all added" '"delta":{"client":{"added":["/src/a.tsx"],"removed":[]}' "$out"

printf "'use server';\nexport const B = 1;\n" >"$p/src/b.ts"
out=$(ask "{\"id\":2,\"op\":\"update\",\"changed\":[\"$p/src/b.ts\"]}")
check_contains "update: b is a server module" '"server":["/src/b.ts"]' "$out"
check_contains "update: delta names b" '"server":{"added":["/src/b.ts"],"removed":[]}' "$out"
check_contains "update: one file read" '"filesRead":1,' "$out"

out=$(ask 'this is not json')
check_contains "malformed: error answer" '"ok":false,"error":"malformed request' "$out"
out=$(ask '{"id":"s","op":"explode"}')
check_contains "unknown op: error names it" "unknown op 'explode'" "$out"
out=$(ask '{"id":3,"op":"update","changed":"src/a.tsx"}')
check_contains "changed not an array: error" '"id":3,"ok":false' "$out"

rm "$p/src/a.tsx"
out=$(ask '{"id":4,"op":"update","removed":["src/a.tsx"]}')
check_contains "the session goes on after errors" '"id":4,"ok":true' "$out"
check_contains "removed file leaves the list" '"client":{"added":[],"removed":["/src/a.tsx"]}' "$out"
check_contains "and becomes unresolved" '"specifier":"./a","importer":"/src/worker.tsx","env":"worker"' "$out"

out=$(ask '{"id":5,"op":"update"}')
check_contains "nothing changed: nothing read" '"filesRead":0,' "$out"

out=$(ask '{"id":6,"op":"close"}')
check "close answers" '{"id":6,"ok":true}' "$out"
exec 3>&-
wait $pid
check "close: exit 0" 0 $?

# EOF ends it cleanly too; a bad root fails at start with exit 1.
printf '{"id":1,"op":"scan"}\n' | "$DSCAN" serve "$p" >/dev/null 2>&1
check "EOF: exit 0" 0 $?
"$DSCAN" serve "$T_TMP/nope" </dev/null >/dev/null 2>&1
check "missing root: exit 1" 1 $?
"$DSCAN" serve --bogus </dev/null >/dev/null 2>&1
check "unknown option: exit 2" 2 $?
finish
