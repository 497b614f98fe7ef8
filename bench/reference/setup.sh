#!/usr/bin/env bash
# setup.sh [APPDIR...]
#
# Installs the reference harness (rwsdk, vite, vite-tsconfig-paths, esbuild,
# pnpm) from the committed package-lock.json with `npm ci`, then installs each
# APPDIR (e.g. one written by bench/realapp/gen-realapp.mjs) with the pnpm
# from that install and the app's committed pnpm-lock.yaml, frozen, so the
# paths under node_modules/.pnpm are the same on every machine.
# Needs only node >= 20.19 and npm with the npm registry reachable.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"

# npm ci wipes and reinstalls (~15 s): skip it when node_modules is newer
# than the lockfile (npm writes node_modules/.package-lock.json last).
if [ ! "$HERE/node_modules/.package-lock.json" -nt "$HERE/package-lock.json" ]; then
  (cd "$HERE" && npm ci --no-audit --no-fund)
fi
PNPM="$HERE/node_modules/.bin/pnpm"

for app in "$@"; do
  [ -f "$app/pnpm-lock.yaml" ] || { echo "setup.sh: $app/pnpm-lock.yaml missing" >&2; exit 1; }
  (cd "$app" && "$PNPM" install --frozen-lockfile --reporter=append-only)
done
