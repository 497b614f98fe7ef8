#!/usr/bin/env bash
# bench/session/run.sh [APPDIR] [EDITS]
#
# The persistent scanner (SPEC §5b) on bench/realapp: makes the app as
# bench/reference/realapp-bench.sh does when APPDIR has no src/ (generate,
# then install with the committed pnpm lockfile), then runs bench.mjs: one
# `dscan serve` session, EDITS (default 300) one-file edits each followed by
# an update, as many empty updates, and 5 fresh scans for comparison, all in
# one run. Edited files are restored at the end. Needs node and build/dscan.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
APP="${1:-/tmp/realapp}"
EDITS="${2:-300}"
[ -d "$APP/src" ] || node "$HERE/../realapp/gen-realapp.mjs" "$APP"
[ -d "$APP/node_modules" ] || "$HERE/../reference/setup.sh" "$APP" >/dev/null
node "$HERE/bench.mjs" "$APP" "$EDITS" "$HERE/../../build/dscan"
