#!/bin/sh
# Runs each libFuzzer target in BUILD_DIR for SECONDS with its corpus and
# dictionary, and prints the executions each one made. Fails on a finding.
set -eu
dir=$1
secs=$2
status=0
for bin in "$dir"/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    target=${name#fuzz_}
    corpus=fuzz/corpus/$target
    work=$(mktemp -d)
    dict=""
    [ -f "fuzz/$target.dict" ] && dict="-dict=fuzz/$target.dict"
    # New inputs go to a scratch dir: the committed corpus changes only by hand.
    if "$bin" -max_total_time="$secs" -print_final_stats=1 -rss_limit_mb=2048 \
        -artifact_prefix="$work/" $dict "$work" "$corpus" >"$work/log" 2>&1; then
        execs=$(grep -E 'stat::number_of_executed_units' "$work/log" | awk '{print $2}')
        echo "fuzz $target: ${execs:-?} executions in ${secs}s, no finding"
    else
        echo "fuzz $target: FINDING" >&2
        tail -n 40 "$work/log" >&2
        ls "$work" >&2
        status=1
    fi
    rm -rf "$work"
done
exit $status
