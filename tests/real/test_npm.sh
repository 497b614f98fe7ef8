#!/bin/bash
# tests/real/test_npm.sh — the npm package (npm/dscan) as its users get it.
#
#   1. `npm install <repo>/npm/dscan` into a temporary project: there is no
#      install script and no prebuilt platform package (none is published),
#      so the first use builds the C core from the repository with make + cc;
#      the binary must run.
#   2. `npm pack` + install of the tarball in another project: the sources
#      travel inside the package (native/), as on a machine without the repo,
#      and build at first use. (Prebuilt packages: tests/real/test_install.sh.)
#   3. `node --test` on npm/dscan/test/*.test.mjs (API, options mapping,
#      errors, path format, real scans).
#   4. Real Vite: the realapp (bench/realapp) installed with pnpm, and a
#      `dscan gen` project; worker and client environments built as rwsdk's
#      plugin does, RedwoodSDK's own runDirectivesScan and dscan's drop-in
#      called on each (bench/js/run-scan.mjs), client and server sets
#      compared (bench/js/compare-vite.mjs), and the drop-in's sets checked
#      against `dscan scan --json`.
#
# Ends with "N passed, N failed". Needs node >= 20.19, npm with the npm
# registry, make and cc. DSCAN_NPM_APP=DIR reuses an installed realapp.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
PKG="$REPO/npm/dscan"
TMP="$(mktemp -d /tmp/dscan-npm-test.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
. "$REPO/tests/real/lib.sh"
npmq() { npm --no-audit --no-fund --loglevel=error "$@"; }

# ---- 1. install from the repository path
mkdir -p "$TMP/proj"
echo '{"name":"dscan-npm-test","private":true,"type":"module"}' >"$TMP/proj/package.json"
if (cd "$TMP/proj" && npmq install "$PKG" && npx --no-install dscan --version) >"$TMP/install.log" 2>&1 &&
    "$TMP/proj/node_modules/dscan/build/dscan" --version >/dev/null 2>&1; then
    ok "npm install <repo>/npm/dscan; the first use builds and runs the binary"
else
    ko "npm install <repo>/npm/dscan"; tail -n 20 "$TMP/install.log"
fi
INSTALLED="$TMP/proj/node_modules/dscan"

# The package's JavaScript API, typed entry and bin from the consumer's side.
if (cd "$TMP/proj" && node --input-type=module -e '
    import * as d from "dscan";
    for (const f of ["scanDirectives", "runDirectivesScan", "viteToDscanOptions"])
      if (typeof d[f] !== "function") throw new Error(f + " missing");' &&
    test -f "$INSTALLED/index.d.ts" && npx --no-install dscan --version >/dev/null) >"$TMP/api.log" 2>&1; then
    ok "import \"dscan\" exports the API; npx dscan runs"
else
    ko "import \"dscan\""; cat "$TMP/api.log"
fi

# ---- 2. npm pack, install the tarball (sources embedded under native/)
mkdir -p "$TMP/packed"
echo '{"name":"dscan-npm-pack-test","private":true}' >"$TMP/packed/package.json"
if tgz=$(cd "$PKG" && npm pack --silent --pack-destination "$TMP" 2>"$TMP/pack.log" | tail -1) &&
    tar -tzf "$TMP/$tgz" >"$TMP/pack.list" && grep -q '^package/native/src/scan.c$' "$TMP/pack.list" &&
    (cd "$TMP/packed" && npmq install "$TMP/$tgz" && npx --no-install dscan --version) >>"$TMP/pack.log" 2>&1 &&
    [ ! -L "$TMP/packed/node_modules/dscan" ] &&
    "$TMP/packed/node_modules/dscan/build/dscan" --version >/dev/null 2>&1; then
    ok "npm pack + install of the tarball; the first use builds from the embedded sources"
else
    ko "npm pack + install"; tail -n 20 "$TMP/pack.log"
fi
[ -d "$PKG/native" ] && ko "npm pack left $PKG/native behind"

# ---- 3. node --test on the package's tests (run against the installed package)
if node --test "$INSTALLED"/test/*.test.mjs >"$TMP/node-test.log" 2>&1; then st=0; else st=$?; fi
p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$TMP/node-test.log" | tail -1)
f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$TMP/node-test.log" | tail -1)
if [ -z "$p" ] || [ -z "$f" ]; then
    ko "node --test npm/dscan/test (no result lines, exit $st)"; tail -n 30 "$TMP/node-test.log"
else
    echo "node --test npm/dscan/test: # pass $p, # fail $f"
    passed=$((passed + p))
    failed=$((failed + f))
    [ "$f" -gt 0 ] && grep -E -A15 '^not ok|^    not ok' "$TMP/node-test.log" | head -80
    [ "$st" -ne 0 ] && [ "$f" -eq 0 ] && ko "node --test exited $st"
fi

# ---- 4. real Vite: RedwoodSDK's runDirectivesScan vs the drop-in, on the
# realapp (real npm packages, pnpm) and on a `dscan gen` project (synthetic
# stress shapes; rwsdk loads esbuild through the project's own vite, so the
# harness's vite is linked into it).
compare_app() { # name, app dir
    local name=$1 app=$2 RS="$REPO/bench/js/run-scan.mjs"
    if node "$RS" --impl rwsdk --root "$app" >"$TMP/$name.rwsdk.json" 2>"$TMP/$name.rwsdk.err" &&
        node "$RS" --impl dscan --root "$app" --dscan-pkg "$INSTALLED" >"$TMP/$name.dscan.json" 2>"$TMP/$name.dscan.err"; then
        ok "$name: both runDirectivesScan calls complete on real Vite environments"
        if node "$REPO/bench/js/compare-vite.mjs" "$TMP/$name.rwsdk.json" "$TMP/$name.dscan.json" \
            --dscan "$INSTALLED/build/dscan" --allow "$REPO/bench/js/explained.json" >"$TMP/$name.compare.log" 2>&1; then
            ok "$name: drop-in sets equal RedwoodSDK's (or each difference explained)"
        else
            ko "$name: drop-in sets vs RedwoodSDK's"
        fi
        sed "s/^/    /" "$TMP/$name.compare.log"
        # The drop-in fills the Sets exactly as the CLI scan of the same app.
        "$INSTALLED/build/dscan" scan "$app" --json >"$TMP/$name.cli.json" 2>"$TMP/$name.cli.err"
        if node -e '
            const [a, b] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")));
            const same = (x, y) => JSON.stringify(x) === JSON.stringify(y);
            if (!same(a.client, b.client) || !same(a.server, b.server)) process.exit(1);' \
            "$TMP/$name.dscan.json" "$TMP/$name.cli.json" 2>>"$TMP/$name.cli.err"; then
            ok "$name: drop-in result equals \`dscan scan --json\` on the same app"
        else
            ko "$name: drop-in result vs \`dscan scan --json\`"; cat "$TMP/$name.cli.err"
        fi
    else
        ko "$name: runDirectivesScan calls on real Vite environments"
        tail -n 20 "$TMP/$name.rwsdk.err" "$TMP/$name.dscan.err"
    fi
}

APP="${DSCAN_NPM_APP:-}"
if [ -z "$APP" ]; then
    APP="$TMP/realapp"
    node "$REPO/bench/realapp/gen-realapp.mjs" "$APP" >"$TMP/gen.log" 2>&1 || { ko "gen-realapp"; cat "$TMP/gen.log"; }
fi
if bash "$REPO/bench/reference/setup.sh" "$APP" >"$TMP/setup.log" 2>&1; then
    compare_app realapp "$APP"
    if "$INSTALLED/build/dscan" gen "$TMP/gen" >"$TMP/gen.log" 2>&1; then
        ln -s "$REPO/bench/reference/node_modules/vite" "$TMP/gen/node_modules/vite"
        compare_app gen "$TMP/gen"
    else
        ko "dscan gen"; cat "$TMP/gen.log"
    fi
    # index.d.ts against real Vite types (the app's Vite 8 and the harness's
    # Vite 7), compiled with the app's TypeScript from the consumer project.
    TSC="$APP/node_modules/.bin/tsc"
    for v in "app:$APP/node_modules/vite" "harness:$REPO/bench/reference/node_modules/vite"; do
        rm -rf "$TMP/proj/node_modules/vite" "$TMP/proj/types"
        ln -s "${v#*:}" "$TMP/proj/node_modules/vite"
        cp -r "$PKG/test/types" "$TMP/proj/types"
        if (cd "$TMP/proj" && "$TSC" --noEmit --strict --skipLibCheck --module nodenext --moduleResolution nodenext \
            --target es2022 types/use.mts types/vite.mts) >"$TMP/tsc.log" 2>&1; then
            ok "index.d.ts type-checks against Vite's own types (${v%%:*} vite)"
        else
            ko "index.d.ts vs Vite's types (${v%%:*} vite)"; cat "$TMP/tsc.log"
        fi
    done
    rm -rf "$TMP/proj/node_modules/vite" "$TMP/proj/types"

    # Two of RedwoodSDK's known defects (bench/reference/README.md), planted:
    # the differences must appear, and be the explained ones (bench/js/explained.json).
    D="$TMP/defects"
    mkdir -p "$D/src" "$D/node_modules/unused-pkg" "$D/node_modules/dotted.lib"
    printf '{"name":"defects","private":true,"type":"module"}\n' >"$D/package.json"
    printf 'import { A } from "./A";\nexport default A;\n' >"$D/src/worker.tsx"
    printf '"use client";\nimport { unused } from "unused-pkg";\nimport { used } from "dotted.lib";\nexport const A = used;\n' >"$D/src/A.tsx"
    printf '{"name":"unused-pkg","main":"index.js"}\n' >"$D/node_modules/unused-pkg/package.json"
    printf '"use client";\nexport const unused = 1;\n' >"$D/node_modules/unused-pkg/index.js"
    printf '{"name":"dotted.lib","main":"index.js"}\n' >"$D/node_modules/dotted.lib/package.json"
    printf '"use client";\nexport const used = 1;\n' >"$D/node_modules/dotted.lib/index.js"
    ln -s "$REPO/bench/reference/node_modules/vite" "$D/node_modules/vite"
    compare_app defects "$D"
    if grep -q '^  + /node_modules/unused-pkg/index.js  (explained' "$TMP/defects.compare.log" &&
        grep -q '^  + /node_modules/dotted.lib/index.js  (explained' "$TMP/defects.compare.log"; then
        ok "defects: the planted reference defects show up as explained differences"
    else
        ko "defects: planted reference defects not seen as expected"
    fi
else
    ko "bench/reference/setup.sh (npm ci + pnpm install of the realapp)"; tail -n 20 "$TMP/setup.log"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
