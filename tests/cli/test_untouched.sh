#!/bin/sh
# The scanned project stays untouched (issue 6, item 4). A `dscan gen`
# project with a pnpm store, plus a few hostile entries, is fingerprinted
# before and after every subcommand that reads it: names, types, modes,
# sizes, owners, link targets, mtimes and ctimes of every entry, and the
# content of every file. A write, a create, a delete, a chmod or a touch
# anywhere in the tree changes the fingerprint (ctime catches even a write
# that restores the old bytes and mtime).
#
# Then a read-only tree: `chmod -R a-w` (which does not stop root, so the
# fingerprint stays the real check there) and, where the kernel lets us, a
# read-only bind mount in a private mount namespace (`unshare -m` as root,
# `unshare -rm` otherwise), where any write fails with EROFS. Each scan must
# succeed with the same result as on the writable tree.
. tests/cli/lib.sh

p=$T_TMP/app
"$DSCAN" gen "$p" --icons 30 --files 40 --directives 12 --entries 2 --detours 5 --quiet
check "gen exits 0" 0 $?
# Hostile entries the scan must look at and leave alone.
mkfifo "$p/src/fifo.js"
ln -s nowhere.js "$p/src/dangling.js"
ln -s loop.js "$p/src/loop.js"
mkdir -p "$p/node_modules/broken"
printf '[' >"$p/node_modules/broken/package.json"
printf "import 'broken';\nimport './fifo.js';\n" >"$p/src/hostile.ts"
printf "'use client';\nimport './hostile';\n" >"$p/src/hostile-client.tsx"

fingerprint() {
    (
        cd "$1" || exit 1
        # %T@/%C@: mtime/ctime to the nanosecond; %l: link target.
        find . -printf '%p|%y|%m|%s|%U:%G|%T@|%C@|%l\n' | LC_ALL=C sort
        find . -type f -exec cksum {} + | LC_ALL=C sort
    )
}

before=$(fingerprint "$p")
check "fingerprint sees the tree" 1 "$(echo "$before" | grep -c '^./src/fifo.js|p|')"
# Let a stray write land in a later clock tick than the fingerprint.
sleep 0.05

work=$T_TMP/cwd
mkdir -p "$work"
ref=$(cd "$work" && "$DSCAN" scan "$p" --quiet)
check "scan exits 0" 0 $?
check_contains "scan finds the hostile client" "/src/hostile-client.tsx" "$ref"
warn=$("$DSCAN" scan "$p" 2>&1 >/dev/null)
check_contains "the FIFO is a warning" "src/fifo.js': not a regular file" "$warn"
check_contains "the broken package.json is a warning" "node_modules/broken/package.json'" "$warn"
(cd "$work" && "$DSCAN" scan "$p" --json --stats --why /src/hostile-client.tsx -j 1 >/dev/null 2>&1)
check "scan --json --stats --why exits 0" 0 $?
(cd "$p" && "$DSCAN" scan --json >/dev/null 2>&1)
check "scan from inside the project exits 0" 0 $?
(cd "$p" && "$DSCAN" scan . --no-prescan --ticks=1 --quiet >/dev/null 2>&1)
check "scan --no-prescan --ticks exits 0" 0 $?
"$DSCAN" resolve react --from "$p/src/worker.tsx" --root "$p" >/dev/null 2>&1
check "resolve exits 0" 0 $?
"$DSCAN" resolve broken --from "$p/src/worker.tsx" --root "$p" --env client >/dev/null 2>&1
"$DSCAN" lex "$p/src/worker.tsx" >/dev/null 2>&1
check "lex exits 0" 0 $?
"$DSCAN" lex "$p/src/fifo.js" >/dev/null 2>&1
check "lex of a FIFO fails, no hang" 1 $?

after=$(fingerprint "$p")
check "the tree is untouched (names, modes, sizes, mtimes, ctimes, contents)" "$before" "$after"
if [ "$before" != "$after" ]; then
    echo "$before" >"$T_TMP/before"
    echo "$after" >"$T_TMP/after"
    diff "$T_TMP/before" "$T_TMP/after" | head -n 20 >&2
fi
check "nothing written to the cwd" "" "$(ls -A "$work")"

# A read-only tree. chmod -R a-w first: the scan must not need write access.
chmod -R a-w "$p"
ro_before=$(fingerprint "$p")
out=$("$DSCAN" scan "$p" --quiet)
check "scan of a chmod a-w tree exits 0" 0 $?
check "same result on a chmod a-w tree" "$ref" "$out"
check "the chmod a-w tree is untouched" "$ro_before" "$(fingerprint "$p")"

# A read-only bind mount in a private mount namespace: writes fail (EROFS)
# even for root, so a scan that tried to write would show it.
if [ "$(id -u)" -eq 0 ]; then
    ns="unshare -m"
else
    ns="unshare -rm"
fi
# shellcheck disable=SC2016
probe='mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && ! touch "$1/probe" 2>/dev/null'
if command -v unshare >/dev/null 2>&1 && $ns sh -c "$probe" sh "$p" 2>/dev/null; then
    # shellcheck disable=SC2016
    out=$($ns sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"' \
        sh "$p" "$DSCAN" scan "$p" --quiet)
    check "scan in a read-only bind mount exits 0" 0 $?
    check "same result in a read-only bind mount" "$ref" "$out"
else
    echo "skip: read-only bind mount (no unshare, or mount namespaces not allowed here)"
fi
finish
