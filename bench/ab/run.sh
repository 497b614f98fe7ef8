#!/bin/sh
# Two dscan binaries on one project, their runs in alternating blocks so a
# busy machine slows both alike: mean process wall time, CPU time and CPUs
# used per block (perf stat -r RUNS), then the means over all blocks.
#   bench/ab/run.sh A_BINARY B_BINARY ROOT [BLOCKS] [RUNS] [-- SCAN_ARGS...]
# e.g. the npm package's binary against the glibc build:
#   make && make npm-dist
#   bench/ab/run.sh build/cross/linux-x64/dscan build/dscan /tmp/core-realapp 5 20
# Needs perf (Debian: linux-perf). Nothing is written into ROOT.
set -eu
a=${1:?usage: bench/ab/run.sh A B ROOT [BLOCKS] [RUNS] [-- SCAN_ARGS...]}
b=${2:?usage: bench/ab/run.sh A B ROOT [BLOCKS] [RUNS] [-- SCAN_ARGS...]}
root=${3:?usage: bench/ab/run.sh A B ROOT [BLOCKS] [RUNS] [-- SCAN_ARGS...]}
blocks=${4:-5}
runs=${5:-20}
shift $(($# < 5 ? $# : 5))
[ "${1:-}" = "--" ] && shift
command -v perf >/dev/null || { echo "bench/ab/run.sh needs perf (linux-perf)" >&2; exit 1; }
out=$(mktemp)
stat=$(mktemp)
trap 'rm -f "$out" "$stat"' EXIT
for i in $(seq "$blocks"); do
    for side in A B; do
        bin=$a
        [ "$side" = B ] && bin=$b
        perf stat -o "$stat" -e task-clock -r "$runs" "$bin" scan "$root" --quiet "$@" >/dev/null
        wall=$(sed -n 's/^ *\([0-9.]*\) +- .* seconds time elapsed.*/\1/p' "$stat")
        cpu=$(sed -n 's/^ *\([0-9.,]*\) msec task-clock.*/\1/p' "$stat" | tr -d ,)
        cpus=$(sed -n 's/.*# *\([0-9.]*\) CPUs utilized.*/\1/p' "$stat")
        echo "$side $(echo "$wall * 1000" | bc -l) $cpu $cpus" | tee -a "$out"
    done
done
awk -v a="$a" -v b="$b" '{w[$1]+=$2; c[$1]+=$3; u[$1]+=$4; n[$1]++}
    END {
        printf "A %s: wall %.1f ms, cpu %.1f ms, %.2f CPUs (mean of %d blocks)\n", a, w["A"]/n["A"], c["A"]/n["A"], u["A"]/n["A"], n["A"]
        printf "B %s: wall %.1f ms, cpu %.1f ms, %.2f CPUs\n", b, w["B"]/n["B"], c["B"]/n["B"], u["B"]/n["B"]
        printf "A/B wall: %.2f\n", (w["A"]/n["A"]) / (w["B"]/n["B"])
    }' "$out"
