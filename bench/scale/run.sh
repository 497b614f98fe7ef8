#!/usr/bin/env bash
# bench/scale/run.sh [SIZE...]   SIZE: 1k 10k 100k (default: all three)
#
# How dscan's cost grows with the module graph: generates `dscan gen`
# projects of ~1k, ~10k and ~100k modules under $OUT, scans each RUNS times
# (after one warm-up run, so the page cache is warm), and prints wall time
# and peak RSS in total and per module, side by side with RedwoodSDK's own
# scan (bench/reference) on the sizes in REF_SIZES, in the same run.
# Writes bench/scale/results/table.md, rss.svg (RSS over time, both scanners,
# log scale) and rss-dscan.svg (dscan alone), with gnuplot.
#
# Environment: OUT (/tmp/dscan-bench-scale), RUNS (3), TICK_MS (10),
# REF_SIZES ("1k 10k"; "" for none, add 100k to try it), REF_TIMEOUT (600 s),
# REF_MAX_MB (8000: the reference is stopped past this, summed over its
# process tree, to spare the machine), KEEP=1 keeps the generated projects.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=${OUT:-/tmp/dscan-bench-scale}
RUNS=${RUNS:-3}
TICK_MS=${TICK_MS:-10}
REF_SIZES=${REF_SIZES-1k 10k}
REF_TIMEOUT=${REF_TIMEOUT:-600}
RESULTS=$ROOT/bench/scale/results
SIZES=${*:-1k 10k 100k}
DSCAN=$ROOT/build/dscan
REF=$ROOT/bench/reference

make -s >/dev/null
mkdir -p "$OUT" "$RESULTS"

# Options giving about 1k / 10k / 100k (module, environment) pairs: the icon
# barrel is reached from both sides, so each icon counts twice.
gen_args() {
    case $1 in
    1k) echo "--icons 300 --files 400 --directives 160 --detours 20" ;;
    10k) echo "--icons 3000 --files 4000 --directives 1600 --detours 200" ;;
    100k) echo "--icons 30000 --files 40000 --directives 16000 --detours 2000" ;;
    *) echo "unknown size '$1' (1k, 10k, 100k)" >&2; exit 2 ;;
    esac
}

json_num() { # FILE KEY: the first number after "KEY":
    tr -d ' \n' <"$1" | sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" | head -n 1
}
json_count() { # FILE KEY: number of strings in the list "KEY": [...]
    tr -d ' \n' <"$1" | sed -n "s/.*\"$2\":\[\([^]]*\)\].*/\1/p" | tr ',' '\n' | grep -c . || true
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# shellcheck source=bench/scale/ref.sh
. "$ROOT/bench/scale/ref.sh"
have_ref=0
if [ -n "$REF_SIZES" ]; then
    if ref_available; then
        have_ref=1
    else
        echo "note: bench/reference not installed (bench/reference/setup.sh); reference columns left empty" >&2
    fi
fi

rows=()
chart_files=()
chart_titles=()
prev_mod=0 prev_ms=0 prev_kb=0
growth=()
for size in $SIZES; do
    dir=$OUT/$size
    args=$(gen_args "$size")
    echo "== $size: dscan gen $dir $args" >&2
    # shellcheck disable=SC2086
    "$DSCAN" gen "$dir" $args --force --quiet

    "$DSCAN" scan "$dir" --json >/dev/null 2>&1 # warm-up: page cache
    : >"$OUT/$size.walls"
    : >"$OUT/$size.rss"
    for r in $(seq "$RUNS"); do
        t0=$(date +%s%N)
        /usr/bin/time -f '%M' -o "$OUT/$size.time" \
            "$DSCAN" scan "$dir" --json --stats --ticks="$TICK_MS" >"$OUT/$size.json" 2>"$OUT/$size.ticks"
        t1=$(date +%s%N)
        echo $(((t1 - t0) / 1000)) >>"$OUT/$size.walls"
        tail -n 1 "$OUT/$size.time" >>"$OUT/$size.rss"
    done
    wall_us=$(median <"$OUT/$size.walls")
    rss_kb=$(median <"$OUT/$size.rss")
    modules=$(json_num "$OUT/$size.json" modules)
    files=$(json_num "$OUT/$size.json" filesRead)
    dup=$(json_num "$OUT/$size.json" duplicateReads)
    want_c=$(json_count "$dir/dscan-gen.json" client)
    want_s=$(json_count "$dir/dscan-gen.json" server)
    got_c=$(json_count "$OUT/$size.json" client)
    got_s=$(json_count "$OUT/$size.json" server)
    found="$got_c/$got_s"
    [ "$got_c/$got_s" = "$want_c/$want_s" ] && found="$found (= planted)" || found="$found (planted $want_c/$want_s)"
    "$ROOT/bench/chart/series.sh" dscan "$OUT/$size.ticks" >"$OUT/dscan-$size.dat"
    chart_files+=("$OUT/dscan-$size.dat")
    chart_titles+=("dscan-$size")

    ref_ms="" ref_mb="" ref_note=""
    if [ $have_ref = 1 ] && [[ " $REF_SIZES " == *" $size "* ]]; then
        echo "== $size: reference (RedwoodSDK runDirectivesScan)" >&2
        run_reference "$dir" "$OUT/ref-$size"
        if [ "$REF_RC" = 0 ]; then
            ref_ms=$REF_WALL_MS
            ref_mb=$(awk -v k="$REF_PEAK_KB" 'BEGIN { printf "%.0f", k / 1024 }')
            ref_note="$(json_count "$OUT/ref-$size.json" client)/$(json_count "$OUT/ref-$size.json" server), $(json_num "$OUT/ref-$size.json" filesRead) files"
            "$ROOT/bench/chart/series.sh" measure "$OUT/ref-$size.series" >"$OUT/ref-$size.dat"
            chart_files+=("$OUT/ref-$size.dat")
            chart_titles+=("rwsdk-$size")
        else
            ref_note=$(ref_failure)
            if [ -s "$OUT/ref-$size.series" ]; then
                "$ROOT/bench/chart/series.sh" measure "$OUT/ref-$size.series" >"$OUT/ref-$size.dat"
                chart_files+=("$OUT/ref-$size.dat")
                chart_titles+=("rwsdk-$size-stopped")
            fi
        fi
    fi

    row=$(awk -v s="$size" -v m="$modules" -v f="$files" -v d="$dup" -v us="$wall_us" -v kb="$rss_kb" \
        -v found="$found" -v rms="$ref_ms" -v rmb="$ref_mb" -v rnote="$ref_note" 'BEGIN {
        ms = us / 1000; mb = kb / 1024
        line = sprintf("| %s | %d | %d | %d | %s | %.0f | %.1f | %.2f | %.2f |", s, m, f, d, found, ms, mb, us / m, kb / m)
        if (rms != "")
            line = line sprintf(" %.0f | %.0f | %s | %.0fx | %.0fx |", rms, rmb, rnote, rms / ms, rmb / mb)
        else
            line = line sprintf(" | | %s | | |", rnote)
        print line
    }')
    rows+=("$row")
    if [ "$prev_mod" != 0 ]; then
        growth+=("$(awk -v a="$prev_mod" -v b="$modules" -v ta="$prev_ms" -v tb="$wall_us" -v ka="$prev_kb" -v kb="$rss_kb" \
            -v from="$prev_size" -v to="$size" 'BEGIN {
            printf "- %s -> %s: x%.1f modules, x%.1f time, x%.1f peak RSS; each added module cost %.2f us and %.2f KB", from, to, b / a, tb / ta, kb / ka, (tb - ta) / (b - a), (kb - ka) / (b - a)
        }')")
    fi
    prev_mod=$modules prev_ms=$wall_us prev_kb=$rss_kb prev_size=$size
    if [ "${KEEP:-0}" != 1 ]; then rm -rf "$dir"; fi
done

svg=$RESULTS/rss.svg
titles="${chart_titles[*]}"
files="${chart_files[*]}"
dscan_files=$(printf '%s\n' "${chart_files[@]}" | grep '/dscan-[^/]*$' | tr '\n' ' ')
dscan_titles=$(printf '%s\n' "${chart_titles[@]}" | grep '^dscan-' | tr '\n' ' ')
if command -v gnuplot >/dev/null; then
    gnuplot -e "out='$svg'; files='$files'; titles='$titles'; logy=1; logx=1; heading='Resident memory while scanning dscan gen projects (dscan solid, RedwoodSDK dashed)'" \
        "$ROOT/bench/chart/rss.gp" || echo "note: chart failed" >&2
    gnuplot -e "out='$RESULTS/rss-dscan.svg'; files='$dscan_files'; titles='$dscan_titles'; heading='dscan alone: resident memory while scanning dscan gen projects'" \
        "$ROOT/bench/chart/rss.gp" || echo "note: chart failed" >&2
else
    echo "note: gnuplot missing (apt-get install gnuplot-nox); no chart" >&2
fi

{
    echo "Generated by \`bench/scale/run.sh $SIZES\` (RUNS=$RUNS, REF_SIZES=\"$REF_SIZES\", REF_TIMEOUT=$REF_TIMEOUT, REF_MAX_MB=${REF_MAX_MB:-8000}) on $(nproc) cores, $(uname -sr), $(date -u +%Y-%m-%d)."
    echo "dscan: median of $RUNS runs after a warm-up, wall time of the process, peak RSS from /usr/bin/time."
    echo "RedwoodSDK (rwsdk 1.7.3 runDirectivesScan via bench/reference): one run, process wall and peak RSS summed over node + esbuild (measure.mjs)."
    echo
    echo "| size | modules | files read | duplicate reads | client/server found | dscan wall ms | dscan peak RSS MB | µs/module | KB/module | rwsdk wall ms | rwsdk peak RSS MB | rwsdk client/server, files read | time rwsdk/dscan | RSS rwsdk/dscan |"
    echo "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Growth (linear when each added module costs about the same):"
    echo
    printf '%s\n' "${growth[@]}"
} | tee "$RESULTS/table.md"
echo >&2
echo "wrote $RESULTS/table.md, $svg and $RESULTS/rss-dscan.svg" >&2
