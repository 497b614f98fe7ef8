#!/bin/bash
# Builds dscan_addon.node (the Node-API probe) without node-gyp: the library
# sources compiled with -fPIC into one shared object, Node-API headers from the
# npm package node-api-headers (bench/js: npm install). N-API symbols stay
# undefined and are bound by node when it loads the addon.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
INC="$HERE/../node_modules/node-api-headers/include"
[ -d "$INC" ] || (cd "$HERE/.." && npm install --no-audit --no-fund --loglevel=error)
OUT="${1:-$HERE/build}"
mkdir -p "$OUT"
${CC:-cc} -std=c11 -O2 -g -DNDEBUG -D_GNU_SOURCE -pthread -fPIC -shared \
    -I"$REPO/include" -I"$REPO/src" -I"$INC" \
    -o "$OUT/dscan_addon.node" "$HERE/dscan_addon.c" "$REPO"/src/*.c -lm
echo "$OUT/dscan_addon.node"
