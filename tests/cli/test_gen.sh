#!/bin/sh
# `dscan gen` (SPEC §6): determinism, OUTDIR safety, the project's structure,
# and validity: every import resolves, every file lexes, and a scan finds
# exactly the directive files the generator planted (dscan-gen.json).
. tests/cli/lib.sh

G=$T_TMP/gen
SMALL="--icons 40 --files 60 --directives 25 --entries 2 --detours 12"

# json_list FILE KEY: the strings of the last `"KEY": [ ... ]` in FILE, one a line.
json_list() {
    tr -d ' \n\t' <"$1" | sed -n "s/.*\"$2\":\[\([^]]*\)\].*/\1/p" | tr ',' '\n' | tr -d '"' | awk 'NF'
}

# ---- usage -----------------------------------------------------------------
out=$("$DSCAN" gen --help 2>&1)
check "gen --help exits 0" 0 $?
check_contains "gen --help lists --big-files" "--big-files N:MB" "$out"
"$DSCAN" gen >/dev/null 2>&1
check "missing OUTDIR is a usage error" 2 $?
"$DSCAN" gen "$G/u" --files 3 --directives 4 >/dev/null 2>&1
check "--directives > --files is a usage error" 2 $?
"$DSCAN" gen "$G/u" --bogus >/dev/null 2>&1
check "unknown option is a usage error" 2 $?
"$DSCAN" gen "$G/u" --big-files 5 >/dev/null 2>&1
check "--big-files without :MB is a usage error" 2 $?
"$DSCAN" gen "$G/u" --icons -1 >/dev/null 2>&1
check "negative count is a usage error" 2 $?
check "usage errors write nothing" "no" "$([ -e "$G/u" ] && echo yes || echo no)"

# ---- determinism -------------------------------------------------------------
"$DSCAN" gen "$G/a" --quiet >/dev/null
check "gen default exits 0" 0 $?
"$DSCAN" gen "$G/b" --quiet
diff -r --no-dereference "$G/a" "$G/b" >/dev/null
check "same options and seed, identical trees (default project)" 0 $?
"$DSCAN" gen "$G/c" $SMALL --big-files 2:1 --seed 7 --quiet
"$DSCAN" gen "$G/d" $SMALL --big-files=2:1 --seed=7 --quiet
diff -r --no-dereference "$G/c" "$G/d" >/dev/null
check "same options and seed, identical trees (small, big files, --opt=value)" 0 $?
"$DSCAN" gen "$G/e" $SMALL --big-files 2:1 --seed 8 --quiet
diff -r --no-dereference "$G/c" "$G/e" >/dev/null
check "another seed, other bytes" 1 $?

# ---- structure ----------------------------------------------------------------
a=$G/a
check "default: 1866 icon files" 1866 "$(ls "$a/node_modules/stress-icons/dist/esm/icons" | wc -l | tr -d ' ')"
check "default: barrel re-exports each icon" 1866 "$(grep -c "from './icons/" "$a/node_modules/stress-icons/dist/esm/stress-icons.js")"
n_src=$(find "$a/src" -type f | wc -l | tr -d ' ')
check "default: 626 app files + src/worker.tsx" 627 "$n_src"
n_dir=$(grep -rlE "^(\"use (client|server)\"|'use (client|server)')" "$a/src" | wc -l | tr -d ' ')
check "default: 268 app files start a line with a directive" 268 "$n_dir"
check "default: expected client files" 223 "$(json_list "$a/dscan-gen.json" client | wc -l | tr -d ' ')"
check "default: expected server files" 54 "$(json_list "$a/dscan-gen.json" server | wc -l | tr -d ' ')"
check "node_modules/react is a relative symlink into .pnpm" ".pnpm/react@19.1.0/node_modules/react" "$(readlink "$a/node_modules/react")"
check "pnpm sibling symlink for a dependency" "../../react@19.1.0/node_modules/react" \
    "$(readlink "$a/node_modules/.pnpm/stress-icons@0.544.0_react@19.1.0/node_modules/react")"
check "scoped package symlink" "../.pnpm/@stress+ui@2.3.1_react@19.1.0/node_modules/@stress/ui" "$(readlink "$a/node_modules/@stress/ui")"
outside=$(find "$a" -type l -exec sh -c 'cd "$(dirname "$1")" && realpath -m "$(readlink "$1")"' _ {} \; | grep -v "^$a/" | wc -l | tr -d ' ')
check "every symlink points inside OUTDIR" 0 "$outside"
broken=$(find -L "$a" -type l | wc -l | tr -d ' ')
check "no broken symlink" 0 "$broken"
missing=0
for p in $(json_list "$a/dscan-gen.json" client) $(json_list "$a/dscan-gen.json" server); do
    [ -f "$a$p" ] || missing=$((missing + 1))
done
check "every planted path exists" 0 "$missing"
check_contains "README says how it was generated" "dscan gen OUTDIR --icons 1866 --files 626 --directives 268" "$(cat "$a/README.md")"
check_contains "tsconfig has the @/* alias" '"@/*": ["./src/*"]' "$(cat "$a/tsconfig.json")"
check "imports use the @/ alias" yes "$(grep -rq 'from "@/' "$a/src" && echo yes)"
check "imports take .. detours" yes "$(grep -rqE 'from "[^"]*/([a-z-]+)/\.\./\1/' "$a/src" && echo yes)"
check "imports reach a file through the .pnpm store path" yes "$(grep -rq 'node_modules/.pnpm/@stress+ui' "$a/src" && echo yes)"

c=$G/c
check "--entries 2 lists three entries" '"entries": ["src/worker.tsx", "src/entry-1.tsx", "src/entry-2.tsx"]' "$(sed -n 2p "$c/dscan.json" | sed 's/^ *//')"
check "--big-files 2:1 writes 1 MiB files" "1048576 1048576" \
    "$(for f in "$c"/node_modules/stress-big/dist/chunk-000*.js; do wc -c <"$f" | tr -d ' '; done | tr '\n' ' ' | sed 's/ $//')"

"$DSCAN" gen "$G/np" $SMALL --no-pnpm --quiet
check "--no-pnpm: no symlinks" 0 "$(find "$G/np" -type l | wc -l | tr -d ' ')"
check_contains "--no-pnpm: planted package paths in plain node_modules" "/node_modules/@stress/ui/dist/button.js" "$(json_list "$G/np/dscan-gen.json" client)"

# ---- OUTDIR safety -------------------------------------------------------------
mkdir -p "$G/busy" "$G/elsewhere"
echo keep >"$G/busy/notes.txt"
echo precious >"$G/elsewhere/precious.txt"
"$DSCAN" gen "$G/busy" $SMALL >/dev/null 2>&1
check "non-empty OUTDIR refused" 1 $?
check "refusal writes nothing" "notes.txt" "$(ls "$G/busy")"
ln -s "$G/elsewhere" "$G/busy/src"
"$DSCAN" gen "$G/busy" $SMALL --force --quiet
check "--force writes into a non-empty OUTDIR" 0 $?
check "--force keeps files gen does not write" keep "$(cat "$G/busy/notes.txt")"
check "--force removes a symlink, not what it points to" precious "$(cat "$G/elsewhere/precious.txt")"
check "--force replaced the symlink with src/" yes "$([ -d "$G/busy/src" ] && [ ! -L "$G/busy/src" ] && echo yes)"
"$DSCAN" gen "$G/busy" $SMALL --force --quiet
"$DSCAN" gen "$G/fresh" $SMALL --quiet
rm "$G/busy/notes.txt"
diff -r --no-dereference "$G/busy" "$G/fresh" >/dev/null
check "--force over an old project gives the same tree as a fresh one" 0 $?

# ---- validity: every import resolves in both environments ---------------------
# (import lines of the generated JS/TS, not the big files' padding)
v=$G/c
find "$v/src" "$v/node_modules/.pnpm" -type f \( -name '*.js' -o -name '*.ts' -o -name '*.tsx' -o -name '*.cjs' \) \
    ! -name 'chunk-*' | sort >"$T_TMP/files"
: >"$T_TMP/batch"
while read -r f; do
    sed -nE "s/^(import|export)[^'\"]* from ['\"]([^'\"]+)['\"];?\$/\2/p; s/.*require\('([^']+)'\).*/\1/p" "$f" |
        while read -r s; do
            printf '%s\t%s\tworker\n%s\t%s\tclient\n' "$f" "$s" "$f" "$s"
        done >>"$T_TMP/batch"
done <"$T_TMP/files"
n_imports=$(wc -l <"$T_TMP/batch" | tr -d ' ')
check "found imports to resolve" yes "$([ "$n_imports" -gt 400 ] && echo yes)"
res=$("$DSCAN" resolve --batch "$T_TMP/batch" --root "$v" 2>&1)
check "resolve --batch ran" 0 $?
check "every generated import resolves in both environments" "" "$(printf '%s\n' "$res" | grep '^!' | head -5)"

# ---- validity: every file lexes, and the scan finds what was planted ----------
if "$DSCAN" lex "$v/src/worker.tsx" >/dev/null 2>&1; then
    bad=0
    while read -r f; do
        o=$("$DSCAN" lex "$f" 2>&1 >/dev/null) || bad=$((bad + 1))
        [ -z "$o" ] || { bad=$((bad + 1)); echo "$o" >&2; }
    done <"$T_TMP/files"
    check "every generated file lexes cleanly" 0 "$bad"
    big=$("$DSCAN" lex "$v/node_modules/stress-big/dist/chunk-0001.js")
    check_contains "big file: directive found" '"directives":["use client"]' "$big"
    check_contains "big file: the re-export after 1 MiB is found" '"./shared.js"' "$big"
else
    echo "note: dscan lex not built yet; lexing checks skipped" >&2
fi

# scan_matches DIR LABEL: the scan's client and server lists equal dscan-gen.json's.
scan_matches() {
    "$DSCAN" scan "$1" --json >"$T_TMP/scan.json" 2>"$T_TMP/scan.err"
    check "$2: scan exits 0" 0 $?
    json_list "$1/dscan-gen.json" client >"$T_TMP/want.client"
    json_list "$1/dscan-gen.json" server >"$T_TMP/want.server"
    json_list "$T_TMP/scan.json" client | sort >"$T_TMP/got.client"
    json_list "$T_TMP/scan.json" server | sort >"$T_TMP/got.server"
    check "$2: client files = planted" "" "$(diff "$T_TMP/want.client" "$T_TMP/got.client" | head -5)"
    check "$2: server files = planted" "" "$(diff "$T_TMP/want.server" "$T_TMP/got.server" | head -5)"
    check "$2: nothing unresolved" "" "$(json_list "$T_TMP/scan.json" unresolved | head -3)"
    check "$2: no duplicate reads" 0 "$(tr -d ' \n' <"$T_TMP/scan.json" | sed -n 's/.*"duplicateReads":\([0-9]*\).*/\1/p')"
}
if "$DSCAN" scan "$v" --json >/dev/null 2>&1; then
    scan_matches "$G/a" "default project"
    scan_matches "$G/c" "small project with entries and big files"
    scan_matches "$G/np" "--no-pnpm project"
    "$DSCAN" scan "$G/a" --json >"$T_TMP/scan.json" 2>/dev/null
    for side in onlyThroughWorker onlyThroughClient; do
        for p in $(json_list "$G/a/dscan-gen.json" $side); do
            check_contains "$side: $p" "\"$p\"" "$(cat "$T_TMP/scan.json")"
        done
    done
else
    echo "note: dscan scan not built yet; scan checks skipped" >&2
fi

finish
