#!/bin/bash
# tests/real/test_report_realapp.sh — `--report` (SPEC §5a) on a real app:
# bench/realapp written by gen-realapp.mjs and installed with pnpm from its
# committed lockfile (bench/reference/setup.sh), as tests/real/test_npm.sh
# does. The package totals must add up to filesRead and to the lists; the
# lucide-react row must count exactly the files of lucide-react the scan read
# (--list-files), and its barrel must be there. Prints the cost of --report
# (bench/report/run.sh, 5 runs; a number, not a check).
#
#   DSCAN_REALAPP=DIR  reuse an installed realapp instead of installing one
#
# Ends with "N passed, N failed". Needs node >= 20.19, npm, make, cc.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
TMP="$(mktemp -d /tmp/dscan-report-real.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
. "$REPO/tests/real/lib.sh"
check() { if [ "$2" = "$3" ]; then ok "$1"; else ko "$1 (expected '$2', got '$3')"; fi; }

if ! (cd "$REPO" && make -s >"$TMP/make.log" 2>&1); then
    ko "make"; tail -n 20 "$TMP/make.log"; echo "$passed passed, $failed failed"; exit 1
fi
DSCAN="$REPO/build/dscan"

APP=${DSCAN_REALAPP:-}
if [ -z "$APP" ]; then
    APP="$TMP/realapp"
    if node "$REPO/bench/realapp/gen-realapp.mjs" "$APP" >"$TMP/gen.log" 2>&1 &&
        bash "$REPO/bench/reference/setup.sh" "$APP" >"$TMP/setup.log" 2>&1; then
        ok "realapp written and installed with pnpm (frozen lockfile)"
    else
        ko "realapp install"; tail -n 20 "$TMP/gen.log" "$TMP/setup.log"
        echo "$passed passed, $failed failed"; exit 1
    fi
fi

"$DSCAN" scan "$APP" --json --report --quiet >"$TMP/r.json"
check "scan --json --report exits 0" 0 $?
"$DSCAN" scan "$APP" --list-files --quiet >"$TMP/files.txt"
node -e '
  const fs = require("fs");
  const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const files = fs.readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean);
  const p = r.report.packages, sum = (k) => p.reduce((s, x) => s + x[k], 0);
  const lucide = p.find((x) => x.name === "lucide-react");
  const lucideFiles = files.filter((f) => /\/lucide-react@[^/]*\/node_modules\/lucide-react\//.test(f)).length;
  const barrel = r.report.barrels.find((b) => b.file.endsWith("/lucide-react/dist/esm/lucide-react.js"));
  const out = {
    sumFiles: sum("files"), filesRead: r.stats.filesRead,
    sumBytes: sum("bytes"), bytesRead: r.stats.bytesRead,
    sumClient: sum("client"), client: r.client.length,
    sumServer: sum("server"), server: r.server.length,
    listed: files.length,
    lucide: lucide ? lucide.files : -1, lucideFiles,
    app: p.some((x) => x.name === "(app)"), none: p.some((x) => x.name === "(none)"),
    sorted: p.every((x, i) => i === 0 || p[i - 1].files >= x.files),
    barrel: barrel ? barrel.reached : -1, barrelNeeded: barrel ? barrel.needed : -1,
    share: lucide ? (100 * lucide.files / r.stats.filesRead).toFixed(1) : "",
  };
  fs.writeFileSync(process.argv[3], Object.entries(out).map(([k, v]) => `${k}=${v}`).join("\n") + "\n");
' "$TMP/r.json" "$TMP/files.txt" "$TMP/facts"
get() { sed -n "s/^$1=//p" "$TMP/facts"; }
check "package files add up to filesRead" "$(get filesRead)" "$(get sumFiles)"
check "package bytes add up to bytesRead" "$(get bytesRead)" "$(get sumBytes)"
check "package client counts add up to the client list" "$(get client)" "$(get sumClient)"
check "package server counts add up to the server list" "$(get server)" "$(get sumServer)"
check "filesRead is the files --list-files lists" "$(get filesRead)" "$(get listed)"
check "lucide-react: the files of lucide-react the scan read" "$(get lucideFiles)" "$(get lucide)"
check "the app's own files are (app)" true "$(get app)"
check "every file read belongs to a package (no (none))" false "$(get none)"
check "packages sorted by files, largest first" true "$(get sorted)"
check "the lucide-react barrel reaches at least its files minus itself" yes \
    "$([ "$(get barrel)" -ge $(($(get lucide) - 1)) ] && echo yes)"
# The names the app imports from lucide-react (one-line imports, as the
# realapp writes them), against the barrel's importedNames.
want=$(grep -rhoE "^import \{[^}]*\} from ['\"]lucide-react['\"]" "$APP/src" |
    sed -E 's/import \{//; s/\} from.*//' | tr ',' '\n' | sed -E 's/ as .*//' | tr -d ' ' | awk 'NF' | LC_ALL=C sort -u)
got=$(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const b = r.report.barrels.find((x) => x.file.endsWith("/lucide-react/dist/esm/lucide-react.js"));
  console.log((b ? b.importedNames : []).join("\n"));' "$TMP/r.json")
check "the lucide-react barrel's importedNames are the names src/ imports from it" "$want" "$got"
check "precise mode needs fewer files than the barrel reaches" yes \
    "$([ "$(get barrelNeeded)" -lt "$(get barrel)" ] && [ "$(get barrelNeeded)" -ge "$(echo "$want" | wc -l)" ] && echo yes)"
echo "     lucide-react: $(get lucide) of $(get filesRead) files ($(get share) %); its barrel reaches $(get barrel), precise mode would need $(get barrelNeeded)"

out=$("$DSCAN" scan "$APP" --why lucide-react); rc=$?
check "--why lucide-react exits 0" 0 "$rc"
check "--why lucide-react: read, none listed, then the chain to its nearest file" \
    "lucide-react: $(get lucide) files read, none of them in the client or server list; its file nearest a root:" \
    "$(echo "$out" | head -n 1)"
check "  ... which ends with an import of 'lucide-react' as written" yes \
    "$(echo "$out" | tail -n 1 | grep -q "imports 'lucide-react' -> /node_modules/.pnpm/lucide-react@" && echo yes)"

"$DSCAN" scan "$APP" --report-html "$TMP/page.html" --quiet >/dev/null
check "--report-html on the real app exits 0" 0 $?

echo "--- cost of --report (bench/report/run.sh, 5 runs; not a check)"
DSCAN="$DSCAN" sh "$REPO/bench/report/run.sh" "$APP" 5

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
