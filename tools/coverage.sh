#!/bin/sh
# Line and branch coverage of src/*.c after `make VARIANT=coverage check`
# (gcov; objects and their .gcda counters under BUILD/obj/src). Prints one
# line per file, then the totals the README quotes.
# Usage: tools/coverage.sh BUILD_DIR
set -eu
dir=$1
obj=$dir/obj/src
out=$dir/coverage.txt
[ -d "$obj" ] || { echo "no $obj: run make coverage" >&2; exit 1; }
# -n: no .gcov files; -b: branch figures. gcov also reports the headers each
# file includes; only src/*.c are counted.
gcov -b -n -o "$obj" src/*.c 2>/dev/null | awk '
/^File / { f = $2; gsub(/\047/, "", f); keep = (f ~ /^src\/[^\/]*\.c$/); next }
!keep { next }
/^Lines executed:/ { split($2, a, ":"); p = a[2]; sub(/%/, "", p); n = $4; lf[f] = p; ln[f] = n; L += p * n / 100; LN += n }
/^Taken at least once:/ { split($4, a, ":"); p = a[2]; sub(/%/, "", p); n = $6; bf[f] = p; bn[f] = n; B += p * n / 100; BN += n }
/^(Calls executed|No calls)/ { keep = 0 } # a file ends; a last total line follows
END {
    for (f in lf) printf "%-28s lines %6.2f%% of %5d   branches %6.2f%% of %5d\n", f, lf[f], ln[f], bf[f], bn[f] | "sort"
    close("sort")
    printf "src/ total: lines %.1f%% (%d of %d), branches taken %.1f%% (%d of %d)\n", 100 * L / LN, L + 0.5, LN, 100 * B / BN, B + 0.5, BN
}' | tee "$out"
