#!/bin/bash
# bench/install/measure.sh — install time and installed size of each dscan
# platform package, with esbuild's own platform packages as the anchor,
# measured the same way: for each platform, RUNS fresh projects, each
# `npm install` timed (wall, whole command), npm's --os/--cpu/--libc
# selecting the platform package; then the size on disk of the platform
# package's folder and of all node_modules.
#
#   bench/install/measure.sh [RUNS]        (default 3; needs build/npm from make npm-dist)
#
# dscan's packages come from the local tarballs (build/npm, through npm
# `overrides`: nothing is published); esbuild's from the npm registry, so
# its times include the registry's round trips (its tarballs are in npm's
# cache after the first run), and its install script (esbuild's
# postinstall checks its binary; dscan has none). Prints a Markdown table;
# medians.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
RUNS=${1:-3}
ESBUILD=0.28.2 # the version bench/reference pins
N="$REPO/build/npm"
V=$(node -p 'require(process.argv[1]).version' "$REPO/npm/dscan/package.json")
TMP="$(mktemp -d /tmp/dscan-install-bench.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
[ -f "$N/dscan-$V.tgz" ] || { echo "no $N/dscan-$V.tgz: run make npm-dist" >&2; exit 1; }

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# run_one KIND PLATFORM LIBC → prints "ms pkg_kb all_kb"
run_one() {
    local kind=$1 p=$2 libc=$3 d os=${2%%-*} cpu=${2#*-} t0 t1 pkgdir
    d=$(mktemp -d "$TMP/p.XXXXXX")
    if [ "$kind" = dscan ]; then
        local o="" sep="" q
        for q in linux-x64 linux-arm64 darwin-x64 darwin-arm64; do
            o="$o$sep\"@dscan/$q\": \"file:$N/dscan-$q-$V.tgz\""
            sep=", "
        done
        printf '{"name": "b", "private": true, "dependencies": {"dscan": "file:%s"}, "overrides": {%s}}\n' "$N/dscan-$V.tgz" "$o" >"$d/package.json"
        pkgdir="$d/node_modules/@dscan/$p"
    else
        printf '{"name": "b", "private": true, "dependencies": {"esbuild": "%s"}}\n' "$ESBUILD" >"$d/package.json"
        pkgdir="$d/node_modules/@esbuild/$p"
    fi
    t0=$(date +%s%N)
    (cd "$d" && npm install --no-audit --no-fund --loglevel=error --os="$os" --cpu="$cpu" ${libc:+--libc="$libc"} >/dev/null 2>&1)
    t1=$(date +%s%N)
    [ -d "$pkgdir" ] || { echo "run_one: $pkgdir not installed" >&2; exit 1; }
    echo "$(((t1 - t0) / 1000000)) $(du -sk "$pkgdir" | cut -f1) $(du -sk "$d/node_modules" | cut -f1)"
    rm -rf "$d"
}

echo "| package | tarball | installed (its folder, du -sk) | npm install (wall), median of $RUNS |"
echo "| --- | --- | --- | --- |"
for kind in dscan esbuild; do
    for p in linux-x64 linux-arm64 darwin-x64 darwin-arm64; do
        libc=
        case $p in linux-*) libc=glibc ;; esac
        if [ "$kind" = dscan ] && [ ! -f "$N/dscan-$p-$V.tgz" ]; then
            echo "| @dscan/$p $V | not built | | |"
            continue
        fi
        : >"$TMP/r"
        for _ in $(seq "$RUNS"); do run_one "$kind" "$p" "$libc" >>"$TMP/r"; done
        ms=$(cut -d' ' -f1 "$TMP/r" | median)
        pkg=$(cut -d' ' -f2 "$TMP/r" | median)
        all=$(cut -d' ' -f3 "$TMP/r" | median)
        if [ "$kind" = dscan ]; then
            tgz=$(du -k "$N/dscan-$p-$V.tgz" | cut -f1)
            name="@dscan/$p $V"
        else
            tgz=$(cd "$TMP" && npm pack --silent "@esbuild/$p@$ESBUILD" 2>/dev/null | tail -1)
            tgz=$(du -k "$TMP/$tgz" | cut -f1)
            name="@esbuild/$p $ESBUILD"
        fi
        echo "| $name | $tgz KB | $pkg KB | $ms ms |"
        # Whole node_modules only where the platform is this machine's:
        # esbuild's install script adds this machine's package to a foreign one.
        [ "$p" = "$(node -p 'process.platform + "-" + process.arch')" ] && echo "$kind $all" >>"$TMP/all"
    done
done
echo
echo "(whole node_modules for this machine's platform: $(awk '{printf "%s%s %s KB", s, $1, $2; s = ", "}' "$TMP/all"); main package dscan-$V.tgz: $(du -k "$N/dscan-$V.tgz" | cut -f1) KB; measured $(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg))"
