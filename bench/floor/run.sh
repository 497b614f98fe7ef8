#!/bin/sh
# Compares dscan's scan with the floor: a minimal C program reading the same
# files (bench/floor/floor.c). Warm cache, best of ROUNDS, side by side in one
# run, wall and CPU time (on a shared machine CPU time is the steadier one).
#   bench/floor/run.sh ROOT [ROUNDS]      (needs `make` first)
# With BASE=/path/to/an/older/dscan, that binary is measured too, its rounds
# alternating with the current one's, and printed below it.
set -eu
root=${1:?usage: bench/floor/run.sh ROOT [ROUNDS]}
rounds=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
dscan=$top/build/dscan
floor=$top/build/bench/floor
mkdir -p "$top/build/bench"
cc -O2 -pthread -o "$floor" "$here/floor.c"
list=$(mktemp)
trap 'rm -f "$list"' EXIT
"$dscan" scan "$root" --quiet --list-files >"$list"
floor_line=$("$floor" "$rounds" <"$list")
floor_ms=$(echo "$floor_line" | sed 's/.* ms=\([0-9.]*\).*/\1/')
floor_cpu=$(echo "$floor_line" | sed 's/.*cpu_ms=\([0-9.]*\).*/\1/')
# The same reads shared by two threads of one process, as the scan's two
# workers share them: the kernel's file calls do not scale by two there.
floor2_line=$("$floor" "$rounds" 2 <"$list")
floor2_ms=$(echo "$floor2_line" | sed 's/.* ms=\([0-9.]*\).*/\1/')
floor2_cpu=$(echo "$floor2_line" | sed 's/.*cpu_ms=\([0-9.]*\).*/\1/')

base=${BASE:-}
once() { # "threads" [binary] -> "wall cpu" of one run
    out=$("${2:-$dscan}" scan "$root" --quiet --json $1)
    echo "$(echo "$out" | sed -n 's/.*"wallMs": \([0-9.]*\).*/\1/p')" \
        "$(echo "$out" | sed -n 's/.*"cpuMs": \([0-9.]*\).*/\1/p')"
}
min() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
pair() { # "threads" -> "wall cpu base_wall base_cpu": best of $rounds, runs alternating
    args=$1 nw= nc= bw= bc=
    for r in $(seq "$rounds"); do
        set -- $(once "$args")
        nw=$(min "$nw" "$1") nc=$(min "$nc" "$2")
        if [ -n "$base" ]; then
            set -- $(once "$args" "$base")
            bw=$(min "$bw" "$1") bc=$(min "$bc" "$2")
        fi
    done
    echo "$nw $nc ${bw:-0} ${bc:-0}"
}
set -- $(pair "")
d_ms=$1 d_cpu=$2 bd_ms=$3 bd_cpu=$4
set -- $(pair "-j 1")
j1_ms=$1 j1_cpu=$2 bj1_ms=$3 bj1_cpu=$4
ratio() { echo "scale=2; $1 / $2" | bc; }
echo "files read: $(wc -l <"$list")"
printf '%-36s %10s %10s %12s %12s\n' "" wall_ms cpu_ms wall/floor cpu/floor
printf '%-36s %10s %10s %12s %12s\n' "floor (1 thread, open+read only)" "$floor_ms" "$floor_cpu" 1 1
printf '%-36s %10s %10s %12s %12s\n' "floor, 2 threads of one process" "$floor2_ms" "$floor2_cpu" "$(ratio "$floor2_ms" "$floor_ms")" "$(ratio "$floor2_cpu" "$floor_cpu")"
printf '%-36s %10s %10s %12s %12s\n' "dscan scan (default threads)" "$d_ms" "$d_cpu" "$(ratio "$d_ms" "$floor_ms")" "$(ratio "$d_cpu" "$floor_cpu")"
printf '%-36s %10s %10s %12s %12s\n' "dscan scan -j 1" "$j1_ms" "$j1_cpu" "$(ratio "$j1_ms" "$floor_ms")" "$(ratio "$j1_cpu" "$floor_cpu")"
if [ -n "$base" ]; then
    printf '%-36s %10s %10s %12s %12s\n' "base: dscan scan (default threads)" "$bd_ms" "$bd_cpu" "$(ratio "$bd_ms" "$floor_ms")" "$(ratio "$bd_cpu" "$floor_cpu")"
    printf '%-36s %10s %10s %12s %12s\n' "base: dscan scan -j 1" "$bj1_ms" "$bj1_cpu" "$(ratio "$bj1_ms" "$floor_ms")" "$(ratio "$bj1_cpu" "$floor_cpu")"
fi
