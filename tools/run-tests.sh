#!/bin/sh
# Runs every test program of one build (C unit tests, corpus replays, shell
# tests of the CLI) and sums their "N passed, N failed" lines into one.
# Usage: tools/run-tests.sh BUILD_DIR   (DSCAN_TEST_FILTER narrows C tests)
set -u
dir=$1
export DSCAN_BIN="$dir/dscan"
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

tally() { # name, exit status; reads the program's output from $log
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "FAIL $1 (exit $2, no result line)"
        failed=$((failed + 1))
        return
    fi
    p=${line%% passed*}
    f=${line#*passed, }
    f=${f%% failed*}
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $1 (exit $2)"
        failed=$((failed + 1))
    fi
    printf '%-40s %s\n' "$1" "$line"
}

for t in "$dir"/tests/test_*; do
    [ -x "$t" ] || continue
    "$t" >"$log" 2>&1
    rc=$?
    [ $rc -ne 0 ] && cat "$log" >&2
    tally "$(basename "$t")" $rc
done

if [ -z "${DSCAN_TEST_FILTER:-}" ]; then
    for r in "$dir"/replay/fuzz_*; do
        [ -x "$r" ] || continue
        name=$(basename "$r")
        "$r" "fuzz/corpus/${name#fuzz_}" >"$log" 2>&1
        rc=$?
        [ $rc -ne 0 ] && cat "$log" >&2
        tally "replay/$name" $rc
    done
    for s in tests/cli/test_*.sh; do
        [ -f "$s" ] || continue
        sh "$s" >"$log" 2>&1
        rc=$?
        [ $rc -ne 0 ] && cat "$log" >&2
        tally "$(basename "$s")" $rc
    done
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
