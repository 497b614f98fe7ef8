#!/bin/sh
# Reports on a scan (SPEC §5a) from the command line: --report (JSON and
# text) on a `dscan gen` project against what the generator planted and what
# the tree holds, --why FILE|PACKAGE (only the chain, exit codes, FILE
# relative to ROOT from anywhere), and --report-html (one self-contained
# page, in sync with its source). tests/real/test_report_html.sh loads the
# page in headless Chromium.
. tests/cli/lib.sh

G=$T_TMP/gen
"$DSCAN" gen "$G" --icons 300 --files 120 --directives 50 --detours 12 --quiet
check "gen exits 0" 0 $?
store=$G/node_modules/.pnpm

# pkg_field JSON NAME FIELD: the number FIELD of package NAME's line.
pkg_field() {
    grep "{\"name\": \"$2\"," "$1" | sed -n "s/.*\"$3\": \\([0-9]*\\).*/\\1/p"
}
# count FILES...: how many exist.
count() { ls "$@" 2>/dev/null | wc -l | tr -d ' '; }

"$DSCAN" scan "$G" --json --report --quiet >"$T_TMP/r.json"
check "scan --json --report exits 0" 0 $?
files_read=$(sed -n 's/.*"filesRead": \([0-9]*\).*/\1/p' "$T_TMP/r.json")
sum=$(grep '{"name": ' "$T_TMP/r.json" | sed -n 's/.*"files": \([0-9]*\).*/\1/p' | awk '{s += $1} END {print s}')
check "package files add up to filesRead" "$files_read" "$sum"
pkgs=$(grep -c '{"name": ' "$T_TMP/r.json")
check "one entry per package read: the app and the generator's five (no stress-big)" 6 "$pkgs"

# Per package, what the tree holds. stress-icons: the barrel, 4 shared
# files and every icon (its CommonJS build is never read).
icons=$(count "$store"/stress-icons@*/node_modules/stress-icons/dist/esm/icons/*.js)
check "the generator planted 300 icons" 300 "$icons"
check "stress-icons: files = icons + barrel + 4 shared" $((icons + 5)) "$(pkg_field "$T_TMP/r.json" stress-icons files)"
check "stress-icons: files = every .js of its esm build" \
    "$(find "$store"/stress-icons@*/node_modules/stress-icons/dist/esm -name '*.js' | wc -l | tr -d ' ')" \
    "$(pkg_field "$T_TMP/r.json" stress-icons files)"
check "stress-icons: each file in both environments" $((2 * (icons + 5))) "$(pkg_field "$T_TMP/r.json" stress-icons modules)"
app_files=$(find "$G/src" -type f | wc -l | tr -d ' ')
check "(app): every file under src (all pre-scanned)" "$app_files" "$(pkg_field "$T_TMP/r.json" '(app)' files)"
check "(app): its client files are the planted ones under src" \
    "$(tr -d ' \n' <"$G/dscan-gen.json" | sed 's/.*"client":\[\([^]]*\)\].*/\1/' | tr ',' '\n' | grep -c '^"/src/')" \
    "$(pkg_field "$T_TMP/r.json" '(app)' client)"
check "(app): its server files are the planted ones under src" \
    "$(tr -d ' \n' <"$G/dscan-gen.json" | sed 's/.*"server":\[\([^]]*\)\].*/\1/' | tr ',' '\n' | grep -c '^"/src/')" \
    "$(pkg_field "$T_TMP/r.json" '(app)' server)"
react_files=$(pkg_field "$T_TMP/r.json" react files)
check "react: files read = its .js files the conditions pick (not none)" "yes" "$([ "${react_files:-0}" -ge 1 ] && echo yes)"
bytes=$(pkg_field "$T_TMP/r.json" stress-icons bytes)
disk=$(cat "$store"/stress-icons@*/node_modules/stress-icons/dist/esm/*.js \
    "$store"/stress-icons@*/node_modules/stress-icons/dist/esm/shared/src/*.js \
    "$store"/stress-icons@*/node_modules/stress-icons/dist/esm/icons/*.js | wc -c | tr -d ' ')
check "stress-icons: bytes = the bytes of those files on disk" "$disk" "$bytes"
check "packages sorted by files, largest first" \
    "$(grep '{"name": ' "$T_TMP/r.json" | sed -n 's/.*"files": \([0-9]*\).*/\1/p' | sort -rn | tr '\n' ' ')" \
    "$(grep '{"name": ' "$T_TMP/r.json" | sed -n 's/.*"files": \([0-9]*\).*/\1/p' | tr '\n' ' ')"

# The icon barrel: reached = every icon + the 4 shared files + react's files.
barrel=$(grep '{"file": ' "$T_TMP/r.json")
check_contains "one barrel: the icon package's index" \
    'stress-icons/dist/esm/stress-icons.js", "package": "stress-icons"' "$barrel"
check "barrel reached = icons + 4 shared + react's files" $((icons + 4 + react_files)) \
    "$(echo "$barrel" | sed -n 's/.*"reached": \([0-9]*\).*/\1/p')"
importers=$(grep -rlE "from ['\"]stress-icons['\"]" "$G/src" | wc -l | tr -d ' ')
check "barrel importers = the app files importing it by name" "$importers" \
    "$(echo "$barrel" | sed -n 's/.*"importers": \([0-9]*\).*/\1/p')"

# The names the app imports from the barrel, by name (SPEC §5a importedNames),
# and what precise mode needs through it: the icon behind each name (each
# icon is exported under three names; the app uses one), the 4 shared files
# and react's.
names=$(grep -rhoE "import \{[^}]*\} from ['\"]stress-icons['\"]" "$G/src" |
    sed -E 's/import \{//; s/\} from.*//' | tr ',' '\n' | tr -d ' ' | awk 'NF' | LC_ALL=C sort -u)
got=$(echo "$barrel" | sed -n 's/.*"importedNames": \[\([^]]*\)\].*/\1/p' | tr ',' '\n' | tr -d ' "' | awk 'NF')
check "barrel importedNames = the names the app imports from it" "$names" "$got"
n_names=$(echo "$names" | wc -l | tr -d ' ')
check "barrel needed = one icon per name + 4 shared + react's files" $((n_names + 4 + react_files)) \
    "$(echo "$barrel" | sed -n 's/.*"needed": \([0-9]*\).*/\1/p')"

# Text tables after the summary.
out=$("$DSCAN" scan "$G" --report --quiet)
check "scan --report exits 0" 0 $?
check_contains "text: packages table" "packages (6, by files read; $files_read files in all):" "$out"
check_contains "text: icon package row" "stress-icons@0.544.0" "$out"
check_contains "text: barrels table" "barrels (1: modules whose re-exports reach 50 files or more):" "$out"
out=$("$DSCAN" scan "$G" --json --quiet)
case $out in *'"report"'*) check "no report key without --report" absent present ;; *) check "no report key without --report" absent absent ;; esac

# ---- --why ---------------------------------------------------------------------
p=$T_TMP/app
mkdir -p "$p/src/components" "$p/node_modules/lib" "$p/node_modules/unused"
printf "import './components/Button';\nimport 'lib';\n" >"$p/src/worker.tsx"
printf "'use client';\nimport { save } from '../actions';\n" >"$p/src/components/Button.tsx"
printf '"use server";\nexport async function save() {}\n' >"$p/src/actions.ts"
printf "'use client';\nexport const Orphan = 1;\n" >"$p/src/orphan.tsx"
printf "export const Unused = 1;\n" >"$p/src/unused.ts"
printf '{"name":"lib","version":"1.2.3","main":"i.js"}' >"$p/node_modules/lib/package.json"
printf "'use client';\nimport './j.js';\n" >"$p/node_modules/lib/i.js"
printf "'use client';\nexport default 1;\n" >"$p/node_modules/lib/j.js"
printf '{"name":"unused"}' >"$p/node_modules/unused/package.json"

# --no-prescan: actions.ts under src would be a pre-scan root itself.
out=$("$DSCAN" scan "$p" --no-prescan --why src/actions.ts); rc=$?
check "why FILE exits 0" 0 "$rc"
check "why FILE prints only the chain: importer, specifier as written, side" \
    "/src/actions.ts (server): reached from the entry /src/worker.tsx
  /src/worker.tsx (entry, worker side)
  /src/worker.tsx:1 imports './components/Button' -> /src/components/Button.tsx (worker side, \"use client\")
  /src/components/Button.tsx:2 imports '../actions' -> /src/actions.ts (client side, \"use server\")" "$out"
out=$(cd / && "$DSCAN" scan "$p" --no-prescan --why src/actions.ts); rc=$?
check "why FILE relative to ROOT from another directory" 0 "$rc"
check_contains "  ... gives the same chain" "/src/components/Button.tsx:2 imports '../actions'" "$out"
out=$(cd "$p/src" && "$DSCAN" scan .. --no-prescan --why src/actions.ts); rc=$?
check_contains "why FILE relative to ROOT, not to the cwd" "reached from the entry /src/worker.tsx" "$out"
out=$("$DSCAN" scan "$p" --why src/actions.ts); rc=$?
check "why of a pre-scan root exits 0" 0 "$rc"
check "why says it is a pre-scan root" "/src/actions.ts: a pre-scan root (a directive file under srcDir) itself
  /src/actions.ts (pre-scan root, worker side, \"use server\")" "$out"
out=$("$DSCAN" scan "$p" --why src/components/Button.tsx --no-prescan); rc=$?
check_contains "why names an entry as such" "  /src/worker.tsx (entry, worker side)" "$out"
out=$("$DSCAN" scan "$p" --why src/unused.ts 2>&1); rc=$?
check "why of an existing file the scan did not reach: exit 0" 0 "$rc"
check "  ... one line saying so" "src/unused.ts: not reached by the scan (no import chain from an entry or a pre-scan root leads to it)" "$out"
out=$("$DSCAN" scan "$p" --why src/nothing.ts 2>&1); rc=$?
check "why of a file that does not exist: exit 1" 1 "$rc"
check_contains "  ... saying no such file" "cannot explain 'src/nothing.ts': no such file" "$out"
out=$("$DSCAN" scan "$p" --why lib); rc=$?
check "why PACKAGE exits 0" 0 "$rc"
check_contains "why PACKAGE: a chain for each of its listed modules (i.js)" \
    "/node_modules/lib/i.js (client): reached from the entry /src/worker.tsx" "$out"
check_contains "why PACKAGE: ... and j.js, through i.js" \
    "/node_modules/lib/i.js:2 imports './j.js' -> /node_modules/lib/j.js (client side, \"use client\")" "$out"
# A package read but not listed: why it is read at all, through its file
# nearest a root (lib2 is imported by lib's j.js only).
mkdir -p "$p/node_modules/lib2"
printf '{"name":"lib2","version":"0.1.0","main":"k.js"}' >"$p/node_modules/lib2/package.json"
printf "export const k = 1;\n" >"$p/node_modules/lib2/k.js"
printf "'use client';\nimport 'lib2';\nexport default 1;\n" >"$p/node_modules/lib/j.js"
out=$("$DSCAN" scan "$p" --why lib2); rc=$?
check "why of a package read but not listed: exit 0" 0 "$rc"
check "  ... says so, then the chain to its nearest file" \
    "lib2: 1 files read, none of them in the client or server list; its file nearest a root:
/node_modules/lib2/k.js: reached from the entry /src/worker.tsx
  /src/worker.tsx (entry, worker side)
  /src/worker.tsx:2 imports 'lib' -> /node_modules/lib/i.js (worker side, \"use client\")
  /node_modules/lib/i.js:2 imports './j.js' -> /node_modules/lib/j.js (client side, \"use client\")
  /node_modules/lib/j.js:2 imports 'lib2' -> /node_modules/lib2/k.js (client side)" "$out"
out=$("$DSCAN" scan "$p" --why unused); rc=$?
check "why of an installed package the scan did not read: exit 0" 0 "$rc"
check "  ... one line" "unused: not reached by the scan (no file of this package was read)" "$out"
out=$("$DSCAN" scan "$p" --why left-pad 2>&1); rc=$?
check "why of a name that is neither: exit 1" 1 "$rc"
json=$("$DSCAN" scan "$p" --json --no-prescan --why src/actions.ts)
check_contains "why in --json: the steps with importer and specifier" \
    '{"path": "/src/components/Button.tsx", "env": "worker", "importer": "/src/worker.tsx", "specifier": "./components/Button", "line": 1}' "$json"
check_contains "why in --json: the root kind" '"reached": true, "root": "entry"' "$json"
json=$("$DSCAN" scan "$p" --json --why src/unused.ts)
check_contains "why in --json of an unreached file" '{"module": "src/unused.ts", "reached": false, "steps": []}' "$json"

# ---- --report-html ---------------------------------------------------------
html=$T_TMP/report.html
out=$("$DSCAN" scan "$G" --report-html "$html" --quiet); rc=$?
check "--report-html exits 0" 0 "$rc"
check_contains "--report-html says where the page is" "report: $html" "$out"
check "the page exists" yes "$([ -s "$html" ] && echo yes)"
check_contains "the page holds the data" '"name": "stress-icons"' "$(cat "$html")"
ext=$(grep -oiE '(src|href)="[a-z]+:|url\(|https?://[^"'"'"' )]*|@import' "$html" | grep -v '^http://www.w3.org/2000/svg$' || true)
check "the page refers to nothing outside itself" "" "$ext"
check "no '</' inside the data" 0 "$(sed -n '/id="dscan-data"/,/^<\/script>/p' "$html" | sed '1d;$d' | grep -c '</')"
"$DSCAN" scan "$G" --report-html "$T_TMP/no/such/dir/r.html" --quiet >/dev/null 2>"$T_TMP/err"
check "an unwritable page: exit 1" 1 $?
check_contains "  ... naming it" "cannot write '$T_TMP/no/such/dir/r.html'" "$(cat "$T_TMP/err")"
if [ -f tools/embed-page.sh ]; then
    sh tools/embed-page.sh | cmp -s - cli/report_page.c
    check "cli/report_page.c is tools/embed-page.sh's output of cli/report_page.html" 0 $?
fi

finish
