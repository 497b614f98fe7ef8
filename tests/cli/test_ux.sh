#!/bin/sh
# What a new user meets first (issue 16): write errors, help, usage errors,
# --ticks, readable lists, missing srcDir/tsconfig.
. tests/cli/lib.sh

p=$T_TMP/app
mkdir -p "$p/src"
printf "import './Button';\nimport '@radix-ui/react-accordion';\n" >"$p/src/worker.tsx"
printf "'use client';\nexport const B = 1;\n" >"$p/src/Button.tsx"
store="$p/node_modules/.pnpm/@radix-ui+react-accordion@1.3.1_react@18.3.1/node_modules/@radix-ui/react-accordion"
mkdir -p "$store/dist" "$p/node_modules/@radix-ui"
printf '{"name":"@radix-ui/react-accordion","version":"1.3.1","module":"dist/index.mjs"}' >"$store/package.json"
printf "'use client';\nexport const A = 1;\n" >"$store/dist/index.mjs"
ln -s "../.pnpm/@radix-ui+react-accordion@1.3.1_react@18.3.1/node_modules/@radix-ui/react-accordion" \
    "$p/node_modules/@radix-ui/react-accordion"

# Output lost to a full disk is an error (exit 1), for every command that prints.
if [ -w /dev/full ]; then
    err=$("$DSCAN" scan "$p" --json 2>&1 >/dev/full); rc=$?
    check "scan --json > /dev/full exits 1" 1 "$rc"
    check "scan --json > /dev/full says why" "dscan: write error: No space left on device" "$err"
    err=$("$DSCAN" scan "$p" 2>&1 >/dev/full); rc=$?
    check "scan > /dev/full exits 1" 1 "$rc"
    err=$("$DSCAN" lex "$p/src/worker.tsx" 2>&1 >/dev/full); rc=$?
    check "lex > /dev/full exits 1" 1 "$rc"
    check "lex > /dev/full says why" "dscan: write error: No space left on device" "$err"
    err=$("$DSCAN" resolve ./Button --from "$p/src/worker.tsx" 2>&1 >/dev/full); rc=$?
    check "resolve > /dev/full exits 1" 1 "$rc"
    check "resolve > /dev/full says why" "dscan: write error: No space left on device" "$err"
fi

# `dscan help scan` is `dscan scan --help`, which lists exit codes and keys.
h1=$("$DSCAN" help scan); rc=$?
check "help scan exits 0" 0 "$rc"
h2=$("$DSCAN" scan --help)
check "help scan = scan --help" "$h2" "$h1"
check_contains "scan --help lists exit codes" "Exit status: 0 the scan completed" "$h1"
for k in entries srcDir prescan mode environments extensions alias external tsconfig; do
    check_contains "scan --help lists dscan.json key $k" "\"$k\":" "$h1"
done
check_contains "help lex" "usage: dscan lex" "$("$DSCAN" help lex)"
"$DSCAN" help nope >/dev/null 2>&1; check "help of an unknown command exits 2" 2 $?

# Usage errors: one line, then where to look.
err=$("$DSCAN" scan --bogus 2>&1); rc=$?
check "usage error exits 2" 2 "$rc"
check "usage error: one line + see" "dscan: unknown option '--bogus' for 'scan'
see dscan scan --help" "$err"
err=$("$DSCAN" lex 2>&1)
check "lex usage error: one line + see" "dscan: lex: missing FILE
see dscan lex --help" "$err"
err=$("$DSCAN" resolve x 2>&1)
check "resolve usage error: one line + see" "dscan: resolve: missing --from IMPORTER
see dscan resolve --help" "$err"
err=$("$DSCAN" bogus 2>&1)
check "unknown command: one line + see" "dscan: unknown command 'bogus'
see dscan --help" "$err"

# --ticks 5 would scan a directory named 5: say how to write it.
err=$("$DSCAN" scan "$p" --ticks 5 2>&1); rc=$?
check "--ticks 5 exits 2" 2 "$rc"
check_contains "--ticks 5 hints --ticks=5" "write --ticks=5" "$err"
# ...unless a directory of that name exists: then it is the ROOT it names.
mkdir -p "$T_TMP/5/src"
printf "'use client';\n" >"$T_TMP/5/src/worker.ts"
out=$(cd "$T_TMP" && "$DSCAN" scan --ticks 5 2>/dev/null); rc=$?
check "--ticks 5 with a directory 5: scans it" 0 "$rc"
check_contains "--ticks 5 with a directory 5: its result" "client (1):" "$out"
# A scan shorter than the interval still ends with one tick: the final figures.
err=$("$DSCAN" scan "$p" --ticks=3600000 2>&1 >/dev/null)
check "--ticks: a last tick at the end" 1 "$(printf '%s\n' "$err" | grep -c '^tick t=.* modules=4 files=3 ')"

# Readable lists: the app's files first, packages by package-relative name.
out=$("$DSCAN" scan "$p" 2>/dev/null)
check "human client list: app first, then package@version/subpath" "client (2):
  /src/Button.tsx
  @radix-ui/react-accordion@1.3.1/dist/index.mjs" "$(printf '%s\n' "$out" | sed -n '/^client/,/^server/p' | sed '$d')"
json=$("$DSCAN" scan "$p" --json)
check_contains "--json keeps real paths" "\"/node_modules/.pnpm/@radix-ui+react-accordion@1.3.1_react@18.3.1/node_modules/@radix-ui/react-accordion/dist/index.mjs\"" "$json"
# Outside pnpm, the version comes from the package's package.json.
q=$T_TMP/flat
mkdir -p "$q/src" "$q/node_modules/lib/esm"
printf "import 'lib';\n" >"$q/src/worker.ts"
printf '{"name":"lib","version":"2.0.0","exports":{"import":"./esm/i.js"},"dependencies":{"x":{"version":"9"}}}' >"$q/node_modules/lib/package.json"
printf "'use client';\n" >"$q/node_modules/lib/esm/i.js"
check_contains "human list: flat node_modules version from package.json" "  lib@2.0.0/esm/i.js" "$("$DSCAN" scan "$q" 2>/dev/null)"

# A srcDir or tsconfig that was set and does not exist is an error naming it.
err=$("$DSCAN" scan "$p" --src srcc 2>&1 >/dev/null); rc=$?
check "--src missing exits 1" 1 "$rc"
check "--src missing is named" "dscan: srcDir 'srcc': '$p/srcc': No such file or directory" "$err"
c=$T_TMP/conf.json
printf '{"srcDir": "srcc"}' >"$c"
err=$("$DSCAN" scan "$p" --config "$c" 2>&1 >/dev/null); rc=$?
check "srcDir missing exits 1" 1 "$rc"
check "srcDir missing names the config and the key" "dscan: invalid config '$c': \"srcDir\" 'srcc': '$p/srcc': No such file or directory" "$err"
"$DSCAN" scan "$p" --config "$c" --no-prescan >/dev/null 2>&1
check "srcDir unused with --no-prescan: no error" 0 $?
printf '{"srcDir": "src/Button.tsx"}' >"$c"
err=$("$DSCAN" scan "$p" --config "$c" 2>&1 >/dev/null)
check_contains "srcDir a file: not a directory" "not a directory" "$err"
printf '{"tsconfig": "nope.json"}' >"$c"
err=$("$DSCAN" scan "$p" --config "$c" 2>&1 >/dev/null); rc=$?
check "tsconfig missing exits 1" 1 "$rc"
check "tsconfig missing names the config and the key" "dscan: invalid config '$c': \"tsconfig\" 'nope.json': '$p/nope.json': No such file or directory" "$err"
err=$("$DSCAN" resolve ./Button --from "$p/src/worker.tsx" --config "$c" 2>&1 >/dev/null); rc=$?
check "resolve: tsconfig missing exits 1" 1 "$rc"
check_contains "resolve: tsconfig missing is named" "\"tsconfig\" 'nope.json'" "$err"
"$DSCAN" scan "$p" >/dev/null 2>&1
check "no tsconfig.json and none set: fine" 0 $?

finish
