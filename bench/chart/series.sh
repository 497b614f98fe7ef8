#!/bin/sh
# series.sh dscan TICKS_FILE > OUT.dat   dscan's --ticks lines -> "seconds MB"
# series.sh measure SERIES_FILE > OUT.dat  measure.mjs --series ("ms kB") -> "seconds MB"
# A first "0 0" point anchors each line at the start.
set -eu
case $1 in
dscan)
    echo "0 0"
    sed -n 's/^tick t=\([0-9.]*\)s rss=\([0-9.]*\)MB.*/\1 \2/p' "$2"
    ;;
measure)
    # measure.mjs samples every 20 ms: a 10-minute run is 30,000 points.
    # Keep at most ~1,500 (each the highest RSS of its stretch) so the SVG
    # stays small and the peaks stay visible.
    echo "0 0"
    n=$(wc -l <"$2")
    awk -v step=$(((n + 1499) / 1500)) '
        { if ($2 > m) { m = $2; t = $1 } }
        NR % step == 0 { printf "%.3f %.2f\n", t / 1000, m / 1024; m = 0 }
        END { if (NR % step != 0) printf "%.3f %.2f\n", t / 1000, m / 1024 }' "$2"
    ;;
*)
    echo "usage: series.sh dscan|measure FILE" >&2
    exit 2
    ;;
esac
