#!/bin/sh
# Precise mode (SPEC §4.10) from the command line, on hand-made barrels:
# named, `export *`, `export * as`, sideEffects true / false / an array of
# globs, "use client" as a proxy in the worker only, a module with code
# between a barrel and its targets, cycles of `export *`, CommonJS behind
# `export *`, and the imports that use every name (namespace, import(),
# require()). Every "use client" file planted is in the default list; the
# precise list drops exactly the ones the rule allows. Then a `dscan gen`
# project whose icons say "use client" (as @mui/icons-material's do): the
# precise list holds exactly the icons src/ imports by name or by path.
. tests/cli/lib.sh

P=$T_TMP/app
mk() { # mk PATH: writes stdin to $P/PATH
    mkdir -p "$(dirname "$P/$1")"
    cat >"$P/$1"
}
nm=node_modules

printf '{"name":"app","private":true}\n' | mk package.json
mk src/worker.tsx <<'EOF'
import { A } from "named";
import { X } from "star";
import { NS } from "staras";
import { A2 } from "named2";
import { Island } from "./Island";
import { C2 } from "cyc";
import * as All from "nsall";
import { fromPure, O } from "outer";
import { M } from "cjsstar";
const lazy = () => import("dyn");
const legacy = require("req");
export default { A, X, NS, A2, Island, C2, All, fromPure, O, M, lazy, legacy };
EOF
mk src/Island.tsx <<'EOF'
"use client";
import { Used } from "sef-false";
import { UsedT } from "sef-true";
import { Keep } from "sef-arr";
import { A2 } from "named2";
export function Island() { return [Used, UsedT, Keep, A2]; }
EOF

client() { # client NAME EXPORTS...: a "use client" module exporting each name
    f=$1
    shift
    {
        echo '"use client";'
        for n in "$@"; do echo "export const $n = 1;"; done
    } | mk "$f"
}
pkg() { # pkg NAME [EXTRA_JSON]
    printf '{"name":"%s","version":"1.0.0","type":"module","main":"index.js"%s}\n' "$1" "${2:-}" | mk "$nm/$1/package.json"
}

# 1. named re-exports: only A's file in the worker ("use client" is a proxy there).
pkg named
printf 'export { A } from "./a.js";\nexport { B } from "./b.js";\nexport { default as C } from "./c.js";\n' | mk $nm/named/index.js
client $nm/named/a.js A
client $nm/named/b.js B
printf '"use client";\nexport default 1;\n' | mk $nm/named/c.js
# 2. export *: only the star source that exports X.
pkg star
printf 'export * from "./x.js";\nexport * from "./y.js";\n' | mk $nm/star/index.js
client $nm/star/x.js X
client $nm/star/y.js Y
# 3. export * as: NS uses every name of ns.js (p and q), Other is dropped.
pkg staras
printf 'export * as NS from "./ns.js";\nexport * as Other from "./other.js";\n' | mk $nm/staras/index.js
printf 'export { P } from "./p.js";\nexport { Q } from "./q.js";\n' | mk $nm/staras/ns.js
client $nm/staras/p.js P
client $nm/staras/q.js Q
client $nm/staras/other.js Other
# 4. the same barrel also reached from a "use client" island: in the client
#    environment b2 is real code with possible side effects, so it stays.
pkg named2
printf 'export { A2 } from "./a2.js";\nexport { B2 } from "./b2.js";\n' | mk $nm/named2/index.js
client $nm/named2/a2.js A2
client $nm/named2/b2.js B2
# 5. sideEffects false: the unused one is dropped in the client environment too.
pkg sef-false ',"sideEffects":false'
printf 'export { Used } from "./used.js";\nexport { Unused } from "./unused.js";\n' | mk $nm/sef-false/index.js
client $nm/sef-false/used.js Used
client $nm/sef-false/unused.js Unused
# 6. sideEffects true: kept.
pkg sef-true ',"sideEffects":true'
printf 'export { UsedT } from "./used.js";\nexport { UnusedT } from "./unused.js";\n' | mk $nm/sef-true/index.js
client $nm/sef-true/used.js UsedT
client $nm/sef-true/unused.js UnusedT
# 7. sideEffects as globs: effect.js matches ./dist/effect.js, polyfill.js
#    matches the slash-less "*.poly*.js" anywhere; drop.js matches nothing.
pkg sef-arr ',"sideEffects":["./dist/effect.js","*.poly*.js"]'
printf 'export { Keep } from "./dist/keep.js";\nexport { Effect } from "./dist/effect.js";\nexport { Drop } from "./dist/drop.js";\nexport { Poly } from "./dist/deep/x.polyfill.js";\n' | mk $nm/sef-arr/index.js
client $nm/sef-arr/dist/keep.js Keep
client $nm/sef-arr/dist/effect.js Effect
client $nm/sef-arr/dist/drop.js Drop
client $nm/sef-arr/dist/deep/x.polyfill.js Poly
# 8. cycles of export *: index -> b -> index; C2 lives behind b.
pkg cyc
printf 'export * from "./b.js";\nexport * from "./c1.js";\n' | mk $nm/cyc/index.js
printf 'export * from "./index.js";\nexport * from "./c2.js";\n' | mk $nm/cyc/b.js
client $nm/cyc/c1.js C1
client $nm/cyc/c2.js C2
# 9. a namespace import, import() and require() use every name.
pkg nsall
printf 'export { N1 } from "./n1.js";\nexport { N2 } from "./n2.js";\n' | mk $nm/nsall/index.js
client $nm/nsall/n1.js N1
client $nm/nsall/n2.js N2
pkg dyn
printf 'export { D1 } from "./d1.js";\n' | mk $nm/dyn/index.js
client $nm/dyn/d1.js D1
pkg req
printf 'export { R1 } from "./r1.js";\n' | mk $nm/req/index.js
client $nm/req/r1.js R1
# 10. a barrel whose unused target has code (not a pure barrel, no
#     sideEffects field): it is followed, with its plain imports; an unused
#     pure barrel in between is walked through and its proxy target dropped.
pkg outer
printf 'export { O } from "./o.js";\nexport { fromImpure } from "./impure.js";\nexport { fromPure } from "./pure.js";\nexport { Z } from "./inner.js";\n' | mk $nm/outer/index.js
client $nm/outer/o.js O
printf 'import "./effect-client.js";\nglobalThis.x = 1;\nexport const fromImpure = 1;\n' | mk $nm/outer/impure.js
client $nm/outer/effect-client.js E
printf 'export const fromPure = 1;\n' | mk $nm/outer/pure.js
printf 'export { Z } from "./z.js";\nexport { W } from "./w.js";\n' | mk $nm/outer/inner.js
client $nm/outer/z.js Z
client $nm/outer/w.js W
# 11. export * of CommonJS passes any name (its exports are not known).
pkg cjsstar
printf 'export * from "./legacy.cjs";\nexport * from "./modern.js";\nexport * from "./other.js";\n' | mk $nm/cjsstar/index.js
printf '"use client";\nmodule.exports = { L: 1 };\n' | mk $nm/cjsstar/legacy.cjs
client $nm/cjsstar/modern.js M
client $nm/cjsstar/other.js Other

"$DSCAN" scan "$P" --no-prescan --json --quiet >"$T_TMP/d.json"
check "default scan exits 0" 0 $?
"$DSCAN" scan "$P" --no-prescan --json --quiet --precise >"$T_TMP/p.json"
check "precise scan exits 0" 0 $?

lst() { # lst FILE KEY: the list, one per line
    python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))[sys.argv[2]]))' "$1" "$2"
}
all_client=$(cd "$P" && find . -type f \( -name '*.js' -o -name '*.cjs' -o -name '*.tsx' \) -exec grep -l '^"use client"' {} + | sed 's|^\.||' | sort | tr '\n' ' ')
check "default: every planted \"use client\" file" "$all_client" "$(lst "$T_TMP/d.json" client | tr '\n' ' ')"

want="/$nm/cjsstar/legacy.cjs
/$nm/cjsstar/modern.js
/$nm/cyc/c2.js
/$nm/dyn/d1.js
/$nm/named/a.js
/$nm/named2/a2.js
/$nm/named2/b2.js
/$nm/nsall/n1.js
/$nm/nsall/n2.js
/$nm/outer/effect-client.js
/$nm/outer/o.js
/$nm/req/r1.js
/$nm/sef-arr/dist/deep/x.polyfill.js
/$nm/sef-arr/dist/effect.js
/$nm/sef-arr/dist/keep.js
/$nm/sef-false/used.js
/$nm/sef-true/unused.js
/$nm/sef-true/used.js
/$nm/star/x.js
/$nm/staras/p.js
/$nm/staras/q.js
/src/Island.tsx"
got=$(lst "$T_TMP/p.json" client)
check "precise: exactly the modules SPEC 4.10 keeps" "$want" "$got"
for f in named/b.js named/c.js star/y.js staras/other.js sef-false/unused.js sef-arr/dist/drop.js \
    cyc/c1.js outer/z.js outer/w.js cjsstar/other.js; do
    case "
$got
" in
    *"
/$nm/$f
"*) check "precise drops $f" dropped kept ;;
    *) check "precise drops $f" dropped dropped ;;
    esac
done
check "precise: server list as default" "$(lst "$T_TMP/d.json" server)" "$(lst "$T_TMP/p.json" server)"
check "precise: unresolved as default" "$(lst "$T_TMP/d.json" unresolved)" "$(lst "$T_TMP/p.json" unresolved)"

# --why follows only the edges the precise walk kept: a dropped module has
# no chain there (it has one in the default scan), a kept one goes through
# its barrel.
out=$("$DSCAN" scan "$P" --no-prescan --quiet --why node_modules/named/b.js)
check_contains "default --why: b.js is reached through the barrel" "named/index.js" "$out"
out=$("$DSCAN" scan "$P" --no-prescan --quiet --precise --why node_modules/named/b.js)
check_contains "precise --why: b.js is not reached" "not reached" "$out"
out=$("$DSCAN" scan "$P" --no-prescan --quiet --precise --why node_modules/named/a.js)
check_contains "precise --why: a.js through the barrel" "named/index.js" "$out"

# The config key and --options-json give the same lists as --precise.
printf '{"precise": true}\n' >"$T_TMP/precise.json"
"$DSCAN" scan "$P" --no-prescan --json --quiet --config "$T_TMP/precise.json" >"$T_TMP/c.json"
check "config \"precise\": true = --precise" "$got" "$(lst "$T_TMP/c.json" client)"
echo '{"precise": true}' | "$DSCAN" scan "$P" --no-prescan --json --quiet --options-json - >"$T_TMP/o.json"
check "--options-json {\"precise\": true} = --precise" "$got" "$(lst "$T_TMP/o.json" client)"
printf '{"precise": 1}\n' >"$T_TMP/bad.json"
msg=$("$DSCAN" scan "$P" --no-prescan --config "$T_TMP/bad.json" 2>&1)
check "a non-boolean precise is a config error (exit 1)" 1 $?
check_contains "the error names the key" "precise" "$msg"
msg=$(echo '{"id":1,"type":"scan"}' | "$DSCAN" serve "$P" --no-prescan --config "$T_TMP/precise.json" 2>&1)
check_contains "serve says precise mode is not supported there" "precise mode is not supported" "$msg"

# A dscan gen project whose icons say "use client": default lists them all,
# precise only those src/ imports (by name from the barrel, or by path).
G=$T_TMP/gen
"$DSCAN" gen "$G" --icons 400 --files 150 --directives 60 --detours 12 --quiet
check "gen exits 0" 0 $?
icons_dir=$(echo "$G"/node_modules/.pnpm/stress-icons@*/node_modules/stress-icons/dist/esm)
for f in "$icons_dir"/icons/*.js; do
    { echo '"use client";'; cat "$f"; } >"$f.tmp" && mv "$f.tmp" "$f"
done
"$DSCAN" scan "$G" --json --quiet >"$T_TMP/gd.json"
"$DSCAN" scan "$G" --json --quiet --precise >"$T_TMP/gp.json"
check "gen default: every icon listed" 400 "$(lst "$T_TMP/gd.json" client | grep -c '/stress-icons/dist/esm/icons/')"
expected=$(python3 - "$G" "$icons_dir/stress-icons.js" <<'EOF'
import os, re, sys
root, barrel = sys.argv[1], sys.argv[2]
names, files = set(), set()
for d, _, fs in os.walk(os.path.join(root, "src")):
    for f in fs:
        t = open(os.path.join(d, f)).read()
        for m in re.finditer(r'import\s*\{([^}]*)\}\s*from\s*"stress-icons"', t):
            names.update(n.strip().split(" as ")[0].strip() for n in m.group(1).split(","))
        files.update(m.group(1) + ".js" for m in re.finditer(r'from\s*"stress-icons/icons/([^"]+)"', t))
for line in open(barrel):
    m = re.match(r"export \{(.*)\} from '\./icons/([^']+)'", line)
    if m and any(x.strip().split(" as ")[1] in names for x in m.group(1).split(",")):
        files.add(m.group(2))
print(len(names))
print("\n".join(sorted(files)))
EOF
)
n_names=$(echo "$expected" | head -n 1)
check "gen: src imports icons by name" yes "$([ "$n_names" -gt 20 ] && echo yes)"
check "gen precise: exactly the icons imported by name or path" "$(echo "$expected" | tail -n +2)" \
    "$(lst "$T_TMP/gp.json" client | grep '/stress-icons/dist/esm/icons/' | sed 's|.*/||' | sort)"
check "gen precise: the other client files as default" \
    "$(lst "$T_TMP/gd.json" client | grep -v '/stress-icons/dist/esm/icons/')" \
    "$(lst "$T_TMP/gp.json" client | grep -v '/stress-icons/dist/esm/icons/')"
finish
