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
    echo "0 0"
    awk '{ printf "%.3f %.2f\n", $1 / 1000, $2 / 1024 }' "$2"
    ;;
*)
    echo "usage: series.sh dscan|measure FILE" >&2
    exit 2
    ;;
esac
