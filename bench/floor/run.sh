#!/bin/sh
# Compares dscan's scan time with the floor: a minimal C program reading the
# same files (bench/floor/floor.c). Both warm-cache, best of ROUNDS runs, side
# by side in one run.
#   bench/floor/run.sh ROOT [ROUNDS]      (needs `make` first)
set -eu
root=${1:?usage: bench/floor/run.sh ROOT [ROUNDS]}
rounds=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
dscan=$top/build/dscan
floor=$top/build/bench/floor
mkdir -p "$top/build/bench"
cc -O2 -o "$floor" "$here/floor.c"
list=$(mktemp)
trap 'rm -f "$list"' EXIT
"$dscan" scan "$root" --quiet --list-files >"$list"
floor_line=$("$floor" "$rounds" <"$list")
best=
for i in $(seq "$rounds"); do
    ms=$("$dscan" scan "$root" --quiet --json | sed -n 's/.*"wallMs": \([0-9.]*\).*/\1/p')
    if [ -z "$best" ] || [ "$(echo "$ms < $best" | bc)" = 1 ]; then best=$ms; fi
done
ms1=$("$dscan" scan "$root" --quiet --json -j 1 | sed -n 's/.*"wallMs": \([0-9.]*\).*/\1/p')
floor_ms=${floor_line##*ms=}
echo "floor (1 thread, open+read only): $floor_line"
echo "dscan scan (default threads):     ms=$best"
echo "dscan scan (-j 1):                ms=$ms1"
echo "ratio dscan/floor: $(echo "scale=2; $best / $floor_ms" | bc)  (-j 1: $(echo "scale=2; $ms1 / $floor_ms" | bc))"
