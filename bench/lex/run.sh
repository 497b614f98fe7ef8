#!/bin/bash
# bench/lex/run.sh — lexing throughput, dscan side by side with the
# references, in one run, on the same files held in memory:
#   dscan (ds_lex) vs es-module-lexer (npm, wasm build) on .js/.mjs/.cjs
#   dscan (ds_lex) vs oxc-parser (npm, full parser) on .ts/.tsx
# The files are those of tests/real/lex's packages (react-dom, lucide-react,
# Radix UI, date-fns, zod, recharts, TanStack, rwsdk and its deps, three,
# typescript …), installed from tests/real/lex/package-lock.json.
#
#   bench/lex/run.sh [ROUNDS]        (default 5; the best round counts)
#   LEX_BENCH_OXC_JS=1 bench/lex/run.sh   also times oxc-parser on the .js set
#   LEX_BASE=REV bench/lex/run.sh   also times ds_lex as of git revision REV
#                                   (its src/lex.c, mdx.c, lex.h), alternating
#                                   with today's, to show a change's cost
# "dscan" is ds_lex with names (what --report, --precise and `dscan lex`
# ask for); "imports" is DS_LEX_IMPORTS, what a plain scan asks for.
#
# Prints MB/s for each tool and dscan's ratio. Results: bench/lex/README.md.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
PKG="$REPO/tests/real/lex"
ROUNDS="${1:-5}"
TMP="$(mktemp -d /tmp/dscan-bench-lex.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT

(cd "$REPO" && make -s build/libdscan.a)
(cd "$PKG" && npm install --no-audit --no-fund --loglevel=error >/dev/null) # the committed lock
cc -O2 -std=c11 -D_GNU_SOURCE -I"$REPO/include" -I"$REPO/src" -o "$TMP/bench_lex" \
    "$REPO/bench/lex/bench_lex.c" "$REPO/build/libdscan.a"
cc -O2 -std=c11 -D_GNU_SOURCE -DBENCH_IMPORTS_ONLY -I"$REPO/include" -I"$REPO/src" \
    -o "$TMP/bench_imports" "$REPO/bench/lex/bench_lex.c" "$REPO/build/libdscan.a"

find "$PKG/node_modules" -type f \( -name '*.js' -o -name '*.mjs' -o -name '*.cjs' \
    -o -name '*.ts' -o -name '*.tsx' \) ! -name '*.d.ts' ! -name '*.d.mts' ! -name '*.d.cts' \
    ! -path '*/@oxc-parser/*' ! -path '*/oxc-parser/*' ! -path '*/es-module-lexer/*' | sort >"$TMP/all.txt"

LEX_NODE_PATH="$PKG" node "$REPO/bench/lex/bench.mjs" "$TMP/all.txt" "$TMP" "$ROUNDS" | tee "$TMP/ref.txt"
if [ -n "${LEX_BASE:-}" ]; then
    mkdir -p "$TMP/base"
    for f in lex.c mdx.c lex.h; do git -C "$REPO" show "$LEX_BASE:src/$f" >"$TMP/base/$f"; done
    # The base's objects come first, so the archive's lex.o and mdx.o are not used.
    cc -O2 -std=c11 -D_GNU_SOURCE -I"$TMP/base" -I"$REPO/include" -I"$REPO/src" -o "$TMP/bench_base" \
        "$REPO/bench/lex/bench_lex.c" "$TMP/base/lex.c" "$TMP/base/mdx.c" "$REPO/build/libdscan.a" -lm -pthread
    # Alternating, twice each: the best of all rounds counts for each side.
    for set in js ts; do
        for turn in 1 2; do
            "$TMP/bench_base" "$ROUNDS" <"$TMP/$set.txt" | sed "s/^dscan /base $set /" >>"$TMP/base.txt"
            "$TMP/bench_lex" "$ROUNDS" <"$TMP/$set.txt" | sed "s/^dscan /now $set /" >>"$TMP/now.txt"
            "$TMP/bench_imports" "$ROUNDS" <"$TMP/$set.txt" | sed "s/^dscan /imports $set /" >>"$TMP/imports.txt"
        done
    done
    best() { grep "^$1 $2 " "$TMP/$1.txt" | sed 's/.*MBps=\([0-9.]*\).*/\1/' | sort -g | tail -1; }
    ratio() { awk -v n="$1" -v b="$2" 'BEGIN{printf "%.3f", n/b}'; }
    echo
    printf '%-6s %14s %14s %8s %14s %12s\n' set "base MB/s" "now MB/s" "now/base" "imports MB/s" "imports/base"
    for set in js ts; do
        b=$(best base $set)
        n=$(best now $set)
        i=$(best imports $set)
        printf '%-6s %14s %14s %7sx %14s %11sx\n' "$set" "$b" "$n" "$(ratio "$n" "$b")" "$i" "$(ratio "$i" "$b")"
    done
    echo
fi
echo "dscan js $("$TMP/bench_lex" "$ROUNDS" <"$TMP/js.txt" | cut -d' ' -f2-)" | tee "$TMP/dscan.txt"
echo "dscan ts $("$TMP/bench_lex" "$ROUNDS" <"$TMP/ts.txt" | cut -d' ' -f2-)" | tee -a "$TMP/dscan.txt"
echo "imports js $("$TMP/bench_imports" "$ROUNDS" <"$TMP/js.txt" | cut -d' ' -f2-)"
echo "imports ts $("$TMP/bench_imports" "$ROUNDS" <"$TMP/ts.txt" | cut -d' ' -f2-)"

mbps() { grep "^$1 $2 " "$TMP/ref.txt" "$TMP/dscan.txt" -h | sed 's/.*MBps=\([0-9.]*\).*/\1/'; }
echo
printf '%-6s %-22s %10s %10s %8s\n' set reference "ref MB/s" "dscan MB/s" ratio
rows=("js es-module-lexer" "ts oxc-parser")
[ -n "${LEX_BENCH_OXC_JS:-}" ] && rows+=("js oxc-parser")
for row in "${rows[@]}"; do
    set -- $row
    r=$(mbps "$2" "$1")
    d=$(mbps dscan "$1")
    printf '%-6s %-22s %10s %10s %7sx\n' "$1" "$2" "$r" "$d" "$(awk -v d="$d" -v r="$r" 'BEGIN{printf "%.1f", d/r}')"
done
