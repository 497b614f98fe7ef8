#!/bin/sh
# Runs each libFuzzer target in BUILD_DIR for SECONDS with its corpus and
# dictionary, and prints the executions each one made. Fails on a finding.
# Usage: tools/run-fuzz.sh BUILD_DIR SECONDS [RUNS [TARGET...]]
#   RUNS (0: no limit) stops a target after that many executions, whichever
#   of time and runs comes first; TARGETs (lex json …) narrow the set.
set -eu
dir=$1
secs=$2
runs=-1
[ "${3:-0}" -gt 0 ] && runs=$3
[ $# -ge 3 ] && shift 3 || shift $#
only=" $* "
status=0
for bin in "$dir"/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    target=${name#fuzz_}
    [ "$only" = "  " ] || case $only in *" $target "*) ;; *) continue ;; esac
    corpus=fuzz/corpus/$target
    work=$(mktemp -d)
    dict=""
    [ -f "fuzz/$target.dict" ] && dict="-dict=fuzz/$target.dict"
    # New inputs go to a scratch dir: the committed corpus changes only by hand.
    if "$bin" -max_total_time="$secs" -runs="$runs" -print_final_stats=1 -rss_limit_mb=2048 \
        -artifact_prefix="$work/" $dict "$work" "$corpus" >"$work/log" 2>&1; then
        execs=$(grep -E 'stat::number_of_executed_units' "$work/log" | awk '{print $2}')
        took=$(grep -E 'Done [0-9]+ runs in [0-9]+ second' "$work/log" | sed 's/.* in \([0-9]*\) second.*/\1/')
        echo "fuzz $target: ${execs:-?} executions in ${took:-$secs}s, no finding"
    else
        echo "fuzz $target: FINDING" >&2
        tail -n 40 "$work/log" >&2
        ls "$work" >&2
        status=1
    fi
    rm -rf "$work"
done
exit $status
