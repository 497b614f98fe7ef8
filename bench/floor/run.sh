#!/bin/sh
# Compares dscan's scan with the floor: a minimal C program reading the same
# files (bench/floor/floor.c). Warm cache, best of ROUNDS, side by side in one
# run, wall and CPU time (on a shared machine CPU time is the steadier one).
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
floor_ms=$(echo "$floor_line" | sed 's/.* ms=\([0-9.]*\).*/\1/')
floor_cpu=$(echo "$floor_line" | sed 's/.*cpu_ms=\([0-9.]*\).*/\1/')

best() { # threads -> "wall cpu" (best of $rounds each)
    w= c=
    for i in $(seq "$rounds"); do
        out=$("$dscan" scan "$root" --quiet --json $1)
        ms=$(echo "$out" | sed -n 's/.*"wallMs": \([0-9.]*\).*/\1/p')
        cpu=$(echo "$out" | sed -n 's/.*"cpuMs": \([0-9.]*\).*/\1/p')
        if [ -z "$w" ] || [ "$(echo "$ms < $w" | bc)" = 1 ]; then w=$ms; fi
        if [ -z "$c" ] || [ "$(echo "$cpu < $c" | bc)" = 1 ]; then c=$cpu; fi
    done
    echo "$w $c"
}
set -- $(best "")
d_ms=$1 d_cpu=$2
set -- $(best "-j 1")
j1_ms=$1 j1_cpu=$2
ratio() { echo "scale=2; $1 / $2" | bc; }
echo "files read: $(wc -l <"$list")"
printf '%-36s %10s %10s %12s %12s\n' "" wall_ms cpu_ms wall/floor cpu/floor
printf '%-36s %10s %10s %12s %12s\n' "floor (1 thread, open+read only)" "$floor_ms" "$floor_cpu" 1 1
printf '%-36s %10s %10s %12s %12s\n' "dscan scan (default threads)" "$d_ms" "$d_cpu" "$(ratio "$d_ms" "$floor_ms")" "$(ratio "$d_cpu" "$floor_cpu")"
printf '%-36s %10s %10s %12s %12s\n' "dscan scan -j 1" "$j1_ms" "$j1_cpu" "$(ratio "$j1_ms" "$floor_ms")" "$(ratio "$j1_cpu" "$floor_cpu")"
