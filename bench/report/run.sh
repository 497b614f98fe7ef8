#!/bin/sh
# bench/report/run.sh ROOT [RUNS]: what --report costs over a plain scan.
# Runs `dscan scan ROOT --json --quiet` and the same with --report (and
# with --report-html) alternately RUNS times each (default 21), one after
# the other so a busy machine slows both alike, and prints the median wall
# time of each whole process and the ratios. No assertion: numbers for the
# README (SPEC §5a asks for <= 10 % more than a plain scan).
set -eu
root=$1
runs=${2:-21}
dscan=${DSCAN:-$(cd "$(dirname "$0")/../.." && pwd)/build/dscan}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run NAME command...: appends the wall microseconds of the whole process
# to $tmp/NAME and the scan's own CPU ms (stats.cpuMs) to $tmp/NAME.cpu.
run() {
    name=$1
    shift
    t0=$(date +%s%N)
    "$@" >"$tmp/out"
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000)) >>"$tmp/$name"
    sed -n 's/.*"cpuMs": \([0-9.]*\).*/\1/p' "$tmp/out" | awk '{print $1 * 1000}' >>"$tmp/$name.cpu"
}
median() { sort -n "$1" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)] / 1000}'; }

"$dscan" scan "$root" --json --quiet >/dev/null # warm the page cache
i=0
while [ "$i" -lt "$runs" ]; do
    run plain "$dscan" scan "$root" --json --quiet
    run report "$dscan" scan "$root" --json --quiet --report
    run html "$dscan" scan "$root" --json --quiet --report-html "$tmp/page.html"
    i=$((i + 1))
done
p=$(median "$tmp/plain")
r=$(median "$tmp/report")
h=$(median "$tmp/html")
files=$("$dscan" scan "$root" --json --quiet | sed -n 's/.*"filesRead": \([0-9]*\).*/\1/p')
pc=$(median "$tmp/plain.cpu")
rc=$(median "$tmp/report.cpu")
pct() { echo "$1 $2" | awk '{printf "%+.1f %%", ($1 / $2 - 1) * 100}'; }
echo "root: $root ($files files read), $runs runs each, medians in ms"
echo "                wall (whole process)     scan CPU (stats.cpuMs, report included)"
echo "plain scan:     $p                       $pc"
echo "--report:       $r ($(pct "$r" "$p"))    $rc ($(pct "$rc" "$pc"))"
echo "--report-html:  $h ($(pct "$h" "$p"))   (the page is written after the scan)"
