#!/bin/bash
# tests/real/test_precise_oracle.sh — precise mode (SPEC §4.10, issue 15)
# against a bundler, on real packages:
#   1. a mui-shaped app (tests/real/precise-mui/gen.mjs: @mui/icons-material,
#      @mui/material, @mantine/core installed with pnpm from the committed
#      lockfile): the precise client list is at most 1/10 of the default one
#      and holds every "use client" icon src/ imports by name;
#   2. the soundness oracle (precise-oracle.mjs): esbuild bundles the worker
#      graph (tree shaking on, the worker conditions) with every "use client"
#      module turned into a proxy of its exports; each proxy whose code
#      survives must be in dscan's precise list. Run on the mui app and on a
#      `dscan gen` project whose icons say "use client" (and on bench/realapp
#      when DSCAN_REALAPP=DIR names an installed one). The ratio precise /
#      oracle is printed, not checked: the precise list also holds the client
#      side's own imports, which the worker bundle never sees.
# Ends with "N passed, N failed". Needs node >= 20.19, npm, make, cc.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
TMP="$(mktemp -d /tmp/dscan-precise-real.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
. "$REPO/tests/real/lib.sh"
check() { if [ "$2" = "$3" ]; then ok "$1"; else ko "$1 (expected '$2', got '$3')"; fi; }

if ! (cd "$REPO" && make -s >"$TMP/make.log" 2>&1); then
    ko "make"; tail -n 20 "$TMP/make.log"; finish
fi
DSCAN="$REPO/build/dscan"

MUI="$TMP/mui"
if node "$REPO/tests/real/precise-mui/gen.mjs" "$MUI" >"$TMP/gen.log" 2>&1 &&
    bash "$REPO/bench/reference/setup.sh" "$MUI" >"$TMP/setup.log" 2>&1; then
    ok "mui app written and installed with pnpm (frozen lockfile)"
else
    ko "mui app install"; tail -n 20 "$TMP/gen.log" "$TMP/setup.log"; finish
fi

# oracle NAME ROOT PRECISE_JSON: esbuild's kept proxies ⊆ dscan's precise list.
oracle() {
    if ! node "$REPO/tests/real/precise-oracle.mjs" "$2" src/worker.tsx "$3" >"$TMP/oracle.json" 2>"$TMP/oracle.err"; then
        ko "$1: the oracle bundle builds"; head -n 12 "$TMP/oracle.err"; return
    fi
    node -e '
      const o = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      console.log(`${process.argv[2]}: esbuild keeps ${o.kept} of ${o.proxies} "use client" proxies; ` +
        `dscan --precise lists ${o.precise} client modules (ratio ${o.ratio}); missing ${o.missing.length}` +
        (o.missing.length ? ": " + o.missing.slice(0, 5).join(" ") : ""));
      if (o.starProxies.length) console.log(`  proxies with export * (names not listed): ${o.starProxies.join(" ")}`);
    ' "$TMP/oracle.json" "$1"
    check "$1: every proxy esbuild keeps is in the precise list" 0 \
        "$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).missing.length)' "$TMP/oracle.json")"
    check "$1: esbuild keeps some proxies" yes \
        "$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).kept > 0 ? "yes" : "no")' "$TMP/oracle.json")"
}

"$DSCAN" scan "$MUI" --json --quiet --stats >"$TMP/mui-default.json"
check "mui: default scan exits 0" 0 $?
"$DSCAN" scan "$MUI" --json --quiet --stats --precise >"$TMP/mui-precise.json"
check "mui: precise scan exits 0" 0 $?
node -e '
  const fs = require("fs");
  const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const p = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const names = fs.readFileSync(process.argv[3], "utf8").split("\n").filter(Boolean);
  const icon = (l) => new Set(l.filter((f) => /\/@mui\/icons-material\/[A-Za-z0-9]+\.mjs$/.test(f)).map((f) => f.replace(/.*\//, "").replace(/\.mjs$/, "")));
  const di = icon(d.client), pi = icon(p.client);
  const want = names.filter((n) => di.has(n)); // the imported icons that say "use client"
  const out = {
    default: d.client.length, precise: p.client.length, defaultIcons: di.size, preciseIcons: pi.size,
    imported: names.length, importedClient: want.length, missing: want.filter((n) => !pi.has(n)),
    extra: [...pi].filter((n) => !names.includes(n)),
    server: JSON.stringify(d.server) === JSON.stringify(p.server),
    subset: p.client.every((f) => d.client.includes(f)),
    wallDefault: d.stats.wallMs, wallPrecise: p.stats.wallMs,
  };
  fs.writeFileSync(process.argv[4], JSON.stringify(out));
  console.log(`mui: default ${out.default} client modules (${out.defaultIcons} icons), precise ${out.precise} (${out.preciseIcons} icons); ` +
    `${out.imported} icons imported by name, ${out.importedClient} of them "use client"; wall ${out.wallDefault} / ${out.wallPrecise} ms`);
' "$TMP/mui-default.json" "$TMP/mui-precise.json" "$MUI/ICONS.txt" "$TMP/mui.json"
field() { node -e 'const v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]]; console.log(Array.isArray(v) ? v.join(" ") : v)' "$TMP/mui.json" "$1"; }
check "mui: the default list holds the icon barrel (10,000+ modules)" yes "$([ "$(field default)" -gt 10000 ] && echo yes)"
check "mui: precise list <= 1/10 of the default" yes "$([ $(( $(field precise) * 10 )) -le "$(field default)" ] && echo yes)"
check "mui: every \"use client\" icon imported by name is listed" "" "$(field missing)"
check "mui: no icon listed that src/ does not import" "" "$(field extra)"
check "mui: at least 150 of the 157 imported icons say \"use client\"" yes "$([ "$(field importedClient)" -ge 150 ] && echo yes)"
check "mui: precise list within the default one" true "$(field subset)"
check "mui: server list as default" true "$(field server)"
oracle mui "$MUI" "$TMP/mui-precise.json"

G="$TMP/gen"
"$DSCAN" gen "$G" --quiet
for f in "$G"/node_modules/.pnpm/stress-icons@*/node_modules/stress-icons/dist/esm/icons/*.js; do
    { echo '"use client";'; cat "$f"; } >"$f.tmp" && mv "$f.tmp" "$f"
done
"$DSCAN" scan "$G" --json --quiet --precise >"$TMP/gen-precise.json"
check "gen: precise scan exits 0" 0 $?
oracle gen "$G" "$TMP/gen-precise.json"

if [ -n "${DSCAN_REALAPP:-}" ]; then
    "$DSCAN" scan "$DSCAN_REALAPP" --json --quiet --precise >"$TMP/real-precise.json"
    check "realapp: precise scan exits 0" 0 $?
    oracle realapp "$DSCAN_REALAPP" "$TMP/real-precise.json"
fi
finish
