#!/bin/sh
# --options-json FILE|- (issue 10 item 1): options of dscan.json's shape laid
# over the config file by the binary itself, key by key; each error names
# where it comes from (the options, or the user's own dscan.json).
. tests/cli/lib.sh

p=$T_TMP/app
mkdir -p "$p/src" "$p/app" "$p/node_modules/pkg"
printf "import './a';\nimport 'pkg';\n" >"$p/src/worker.ts"
printf "'use client';\n" >"$p/src/a.ts"
printf "'use server';\n" >"$p/app/s.ts"
printf '{"name":"pkg","exports":{"worker":"./w.js","default":"./d.js"}}' >"$p/node_modules/pkg/package.json"
printf "'use client';\n" >"$p/node_modules/pkg/w.js"
printf "'use server';\n" >"$p/node_modules/pkg/d.js"
# The user's file: JSONC, with a srcDir and the worker's conditions.
printf '// mine\n{"srcDir": "app", "environments": {"worker": {"conditions": ["worker"]}},}\n' >"$p/dscan.json"

lists() { "$DSCAN" scan "$p" --json "$@" | tr -d ' \n' | sed 's/"unresolved".*//'; }
check "config file alone" '{"root":"'"$p"'","client":["/node_modules/pkg/w.js","/src/a.ts"],"server":["/app/s.ts"],' "$(lists)"
# Options over the file: srcDir replaced, worker conditions replaced, and the
# client side untouched (per side, per list).
check "options over the file, from stdin" '{"root":"'"$p"'","client":["/src/a.ts"],"server":["/node_modules/pkg/d.js"],' \
    "$(echo '{"srcDir": "src", "environments": {"worker": {"conditions": []}}}' | lists --options-json -)"
printf '{"srcDir": "src"}' >"$T_TMP/o.json"
check "options from a file" '{"root":"'"$p"'","client":["/node_modules/pkg/w.js","/src/a.ts"],"server":[],' "$(lists --options-json "$T_TMP/o.json")"
# Command-line flags win over both.
check "flags over options" '{"root":"'"$p"'","client":["/node_modules/pkg/w.js","/src/a.ts"],"server":["/app/s.ts"],' \
    "$(echo '{"srcDir": "src"}' | lists --options-json - --src app)"
# An empty object changes nothing.
check "empty options" "$(lists)" "$(echo '{}' | lists --options-json -)"

# Errors name their source.
err=$(echo '{"srcDir": 3}' | "$DSCAN" scan "$p" --options-json - 2>&1 >/dev/null); rc=$?
check "bad options exit 1" 1 "$rc"
check "bad options are named" "dscan: invalid options '-': \"srcDir\" must be a non-empty string" "$err"
err=$(echo '{"srcDir": ' | "$DSCAN" scan "$p" --options-json - 2>&1 >/dev/null)
check_contains "unparsable options are named" "dscan: cannot parse options '-': " "$err"
err=$(echo '{"bogus": 1}' | "$DSCAN" scan "$p" --options-json - 2>&1 >/dev/null)
check "unknown option key" "dscan: invalid options '-': unknown key \"bogus\"" "$err"
err=$(echo '{"tsconfig": "nope.json"}' | "$DSCAN" scan "$p" --options-json - 2>&1 >/dev/null)
check "missing tsconfig from options names the options" "dscan: invalid options '-': \"tsconfig\" 'nope.json': '$p/nope.json': No such file or directory" "$err"
err=$("$DSCAN" scan "$p" --options-json "$T_TMP/absent.json" 2>&1 >/dev/null); rc=$?
check "unreadable options exit 1" 1 "$rc"
check "unreadable options are named" "dscan: cannot read options '$T_TMP/absent.json': No such file or directory" "$err"
# A bad dscan.json is reported as the user's own file, options or not.
printf '{"srcDir": "app",,}' >"$p/dscan.json"
err=$(echo '{"srcDir": "src"}' | "$DSCAN" scan "$p" --options-json - 2>&1 >/dev/null); rc=$?
check "bad dscan.json under options exits 1" 1 "$rc"
check_contains "bad dscan.json under options names it" "dscan: cannot parse config '$p/dscan.json': " "$err"
printf '{"srcDir": "srcc"}' >"$p/dscan.json"
err=$(echo '{"mode": "development"}' | "$DSCAN" scan "$p" --options-json - 2>&1 >/dev/null)
check "missing srcDir of dscan.json names dscan.json" "dscan: invalid config '$p/dscan.json': \"srcDir\" 'srcc': '$p/srcc': No such file or directory" "$err"
rm "$p/dscan.json"

# resolve takes them too.
out=$(echo '{"environments": {"worker": {"conditions": []}}}' | "$DSCAN" resolve pkg --from "$p/src/worker.ts" --root "$p" --options-json -)
check "resolve --options-json" "$p/node_modules/pkg/d.js" "$out"
check "resolve without" "$p/node_modules/pkg/w.js" "$("$DSCAN" resolve pkg --from "$p/src/worker.ts" --root "$p")"
finish
