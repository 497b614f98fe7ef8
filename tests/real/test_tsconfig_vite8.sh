#!/bin/bash
# tests/real/test_tsconfig_vite8.sh — tsconfig per importer (SPEC §2, issue
# 16) against Vite 8 itself: `resolve.tsconfigPaths: true`, which Vite 8
# resolves natively in Rolldown with oxc-resolver's tsconfig discovery.
#
#   1. Installs vite 8 (tests/real/tsconfig-vite8, pinned by its
#      package-lock.json) into a temporary directory.
#   2. Writes a monorepo-shaped tree (tsconfig-vite8/fixture.sh): a root
#      config extending a base, a solution-style app whose references each
#      own part of src/ (include with a glob), packages with their own
#      tsconfig (extends of a relative file and of a package's file, paths
#      relative to the declaring config or to an inheriting baseUrl,
#      allowJs, exclude, files, glob patterns), files no config owns, and
#      files inside node_modules.
#   3. Resolves each (importer, specifier) pair in both environments with
#      Vite 8 (tsconfig-vite8/resolve.mjs) and with `build/dscan resolve
#      --batch` (no `tsconfig` configured), and compares: the same path, or
#      both unresolved. Both modes: the fixture's `moded` package also
#      checks that the mode's condition applies only through the worker's
#      "development|production" entry (SPEC §4.6), as in Vite.
# Ends with "N passed, N failed".
set -uo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$REPO/tests/real/tsconfig-vite8"
TMP="$(mktemp -d /tmp/dscan-tsconfig-vite8.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
. "$REPO/tests/real/lib.sh"

DSCAN="$REPO/build/dscan"
(cd "$REPO" && make -s >/dev/null) || { ko "build dscan"; finish; }

mkdir -p "$TMP/ref"
cp "$HERE/package.json" "$HERE/package-lock.json" "$HERE/resolve.mjs" "$TMP/ref/"
# `npm ci` may reject this lock in a fresh clone (vite 8's Windows-only
# optional dependency; see test_resolve_oxc.sh): `npm install --no-save`
# installs the same locked versions.
(cd "$TMP/ref" && { npm ci --no-audit --no-fund --loglevel=error ||
    npm install --no-save --no-audit --no-fund --loglevel=error; } >"$TMP/npm.log" 2>&1) ||
    { ko "npm ci vite 8"; tail -20 "$TMP/npm.log"; finish; }
v=$(node -e "console.log(require('$TMP/ref/node_modules/vite/package.json').version)")
case "$v" in 8.*) ok "vite $v installed" ;; *) ko "vite 8 installed (got '$v')"; finish ;; esac

APP="$TMP/app"
mkdir -p "$APP"
APP="$(cd "$APP" && pwd -P)"
bash "$HERE/fixture.sh" "$APP" >"$TMP/pairs.tsv" || { ko "write the fixture"; finish; }
awk -F'\t' -v D="$APP" '{print D"/"$1"\t"$2"\tworker\timport"; print D"/"$1"\t"$2"\tclient\timport"}' \
    "$TMP/pairs.tsv" >"$TMP/req.tsv"
n=$(wc -l <"$TMP/req.tsv")

for mode in production development; do
(cd "$TMP/ref" && node resolve.mjs "$APP" "$TMP/req.tsv" $mode) >"$TMP/vite.txt" 2>"$TMP/vite.log" ||
    { ko "vite 8 resolves the pairs ($mode)"; tail -20 "$TMP/vite.log"; finish; }
"$DSCAN" resolve --batch "$TMP/req.tsv" --root "$APP" --mode $mode >"$TMP/dscan.txt" 2>"$TMP/dscan.log" ||
    { ko "dscan resolve --batch"; tail -5 "$TMP/dscan.log"; finish; }
[ "$(wc -l <"$TMP/vite.txt")" -eq "$n" ] && [ "$(wc -l <"$TMP/dscan.txt")" -eq "$n" ] ||
    { ko "one answer per request ($n)"; finish; }

# A reference that resolves nothing would agree with a resolver that does
# nothing: Vite must find most pairs (the rest are the unowned files).
found=$(grep -vc '^!' "$TMP/vite.txt")
[ "$found" -ge $((n * 2 / 3)) ] && ok "$mode: vite 8 resolves $found of $n requests" ||
    ko "$mode: vite 8 resolves most requests (only $found of $n)"

paste "$TMP/req.tsv" "$TMP/vite.txt" "$TMP/dscan.txt" >"$TMP/both.tsv"
while IFS=$'\t' read -r imp spec env _kind vite mine; do
    name="$mode: ${imp#"$APP"/} '$spec' ($env)"
    if [ "${vite:0:1}" = "!" ] && [ "${mine:0:1}" = "!" ]; then
        ok "$name: unresolved in both"
    elif [ "$vite" = "$mine" ]; then
        ok "$name -> ${vite#"$APP"/}"
    else
        ko "$name: vite ${vite#"$APP"/}, dscan ${mine#"$APP"/}"
    fi
done <"$TMP/both.tsv"
done
finish
