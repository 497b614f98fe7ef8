#!/bin/sh
# Shell tests of `dscan resolve` (SPEC §1): output, exit codes, options.
. tests/cli/lib.sh

P=$T_TMP/p
mkdir -p "$P/src" "$P/node_modules/pkg/dist" "$P/node_modules/.pnpm/l@1/node_modules/l"
echo 'export {}' >"$P/src/a.ts"
echo '{"name":"pkg","exports":{".":{"browser":"./dist/b.js","import":"./dist/m.mjs","require":"./dist/c.cjs"}}}' \
    >"$P/node_modules/pkg/package.json"
: >"$P/node_modules/pkg/dist/b.js"
: >"$P/node_modules/pkg/dist/m.mjs"
: >"$P/node_modules/pkg/dist/c.cjs"
echo '{"main":"i.js","browser":{"./i.js":false}}' >"$P/node_modules/.pnpm/l@1/node_modules/l/package.json"
: >"$P/node_modules/.pnpm/l@1/node_modules/l/i.js"
ln -s .pnpm/l@1/node_modules/l "$P/node_modules/l"

out=$(cd "$P" && "$DSCAN" resolve ./a --from src/index.ts); rc=$?
check "relative path" "0 $P/src/a.ts" "$rc $out"
out=$("$DSCAN" resolve ./a.js --from "$P/src/index.ts" --root "$P")
check "js to ts" "$P/src/a.ts" "$out"
out=$("$DSCAN" resolve pkg --from "$P/src/index.ts" --env worker --conditions '')
check "import condition, no explicit ones" "$P/node_modules/pkg/dist/m.mjs" "$out"
out=$("$DSCAN" resolve pkg --from "$P/src/index.ts" --conditions '' --kind require)
check "require condition" "$P/node_modules/pkg/dist/c.cjs" "$out"
out=$("$DSCAN" resolve pkg --from "$P/src/index.ts" --env client)
check "client env" "$P/node_modules/pkg/dist/b.js" "$out"
out=$("$DSCAN" resolve pkg --from "$P/src/index.ts" --conditions browser,module)
check "explicit conditions" "$P/node_modules/pkg/dist/b.js" "$out"
out=$("$DSCAN" resolve l --from "$P/src/index.ts")
check "symlink to real path" "$P/node_modules/.pnpm/l@1/node_modules/l/i.js" "$out"
out=$("$DSCAN" resolve l/i --from "$P/src/index.ts" --env client)
check "browser false" "empty:l/i" "$out"
out=$("$DSCAN" resolve node:fs --from "$P/src/index.ts"); rc=$?
check "builtin is external" "0 external:node:fs" "$rc $out"
out=$("$DSCAN" resolve ./logo.svg?url --from "$P/src/index.ts")
check "?url is external" "external:./logo.svg?url" "$out"

err=$("$DSCAN" resolve ./missing --from "$P/src/index.ts" 2>&1 >/dev/null); rc=$?
check "not found exits 1" 1 "$rc"
check_contains "not found names the specifier" "cannot resolve './missing'" "$err"
err=$("$DSCAN" resolve ./A --from "$P/src/index.ts" 2>&1 >/dev/null)
check_contains "case mismatch says so" "case" "$err"
check_contains "case mismatch names the file" "a.ts" "$err"

"$DSCAN" resolve ./a >/dev/null 2>&1; rc=$?
check "missing --from is a usage error" 2 "$rc"
"$DSCAN" resolve ./a --from x --env server >/dev/null 2>&1; rc=$?
check "bad --env is a usage error" 2 "$rc"
"$DSCAN" resolve ./a --from x --kind dynamic2 >/dev/null 2>&1; rc=$?
check "bad --kind is a usage error" 2 "$rc"
"$DSCAN" resolve ./a --from "$P/src/i.ts" --root "$T_TMP/nope" >/dev/null 2>&1; rc=$?
check "missing root fails" 1 "$rc"

printf '%s\t%s\t%s\t%s\n' "$P/src/index.ts" ./a worker import "$P/src/index.ts" pkg client import \
    "$P/src/index.ts" ./nope worker require >"$T_TMP/batch.tsv"
out=$("$DSCAN" resolve --batch "$T_TMP/batch.tsv" --repeat 3 2>"$T_TMP/batch.err" | tr '\n' ' ')
check_contains "batch answers" "$P/src/a.ts $P/node_modules/pkg/dist/b.js !cannot resolve './nope'" "$out"
check_contains "batch timing" "warm" "$(cat "$T_TMP/batch.err")"

finish
