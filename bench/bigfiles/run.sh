#!/usr/bin/env bash
# bench/bigfiles/run.sh
#
# Big files in the graph: the default `dscan gen` project plus BIG (500:10,
# i.e. 500 reachable files of 10 MiB, 5 GiB in all: the size that crashed the
# original scan). dscan must finish with a peak RSS of at most 64 MB: it reads
# each file once and keeps none (SPEC §4.7). The reference keeps every file's
# text, so it runs on the smaller shapes of REF_BIG (10:10 and 50:10)
# instead, stopped past REF_MAX_MB: at 5 GiB it would need far more than this
# shared machine has. dscan runs on REF_BIG too, for the ratios. Writes bench/bigfiles/results/table.md and rss.svg.
#
# Environment: OUT (/tmp/dscan-bench-bigfiles), BIG (500:10), REF_BIG
# ("10:10 50:10"; "" for none), REF_TIMEOUT (600 s), REF_MAX_MB (8000), TICK_MS (50). Needs BIG's size free
# in OUT's filesystem; the projects are removed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=${OUT:-/tmp/dscan-bench-bigfiles}
BIG=${BIG:-500:10}
REF_BIG=${REF_BIG-10:10 50:10}
REF_TIMEOUT=${REF_TIMEOUT:-600}
TICK_MS=${TICK_MS:-50}
RESULTS=$ROOT/bench/bigfiles/results
DSCAN=$ROOT/build/dscan
REF=$ROOT/bench/reference
LIMIT_MB=64

# shellcheck source=bench/scale/ref.sh
. "$ROOT/bench/scale/ref.sh"
make -s >/dev/null
mkdir -p "$OUT" "$RESULTS"
trap 'rm -rf "$OUT"/p-*' EXIT

need_mb=$((${BIG%%:*} * ${BIG##*:} + 200))
free_mb=$(df -Pm "$OUT" | awk 'NR == 2 { print $4 }')
if [ "$free_mb" -lt $((need_mb + 1024)) ]; then
    echo "bigfiles: $OUT has $free_mb MB free; $BIG needs $need_mb MB plus 1 GB to spare" >&2
    exit 1
fi

json_num() { tr -d ' \n' <"$1" | sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" | head -n 1; }
json_count() { tr -d ' \n' <"$1" | sed -n "s/.*\"$2\":\[\([^]]*\)\].*/\1/p" | tr ',' '\n' | grep -c . || true; }

rows=()
ratio=""
chart_files=()
chart_titles=()

# run_dscan SHAPE: generate, scan once to warm the page cache, scan measured.
run_dscan() {
    local shape=$1 tag=${1/:/x} dir=$OUT/p-${1/:/x}
    echo "== dscan gen $dir --big-files $shape" >&2
    local g0 g1
    g0=$(date +%s%N)
    "$DSCAN" gen "$dir" --big-files "$shape" --force --quiet
    g1=$(date +%s%N)
    "$DSCAN" scan "$dir" --json >/dev/null 2>&1
    local t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$OUT/$tag.time" \
        "$DSCAN" scan "$dir" --json --stats --ticks="$TICK_MS" >"$OUT/$tag.json" 2>"$OUT/$tag.ticks"
    t1=$(date +%s%N)
    local kb ms mb want got bytes verdict
    kb=$(tail -n 1 "$OUT/$tag.time")
    ms=$(((t1 - t0) / 1000000))
    mb=$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')
    bytes=$(json_num "$OUT/$tag.json" bytesRead)
    want="$(json_count "$dir/dscan-gen.json" client)/$(json_count "$dir/dscan-gen.json" server)"
    got="$(json_count "$OUT/$tag.json" client)/$(json_count "$OUT/$tag.json" server)"
    [ "$want" = "$got" ] && got="$got (= planted)" || got="$got (planted $want)"
    LAST_MS=$ms LAST_KB=$kb
    verdict=$(awk -v k="$kb" -v l=$LIMIT_MB 'BEGIN { print (k / 1024 <= l ? "yes" : "NO") }')
    rows+=("| dscan | $shape | $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1048576 }') | $(json_num "$OUT/$tag.json" filesRead) | $got | $ms | $mb | $verdict |")
    "$ROOT/bench/chart/series.sh" dscan "$OUT/$tag.ticks" >"$OUT/dscan-$tag.dat"
    chart_files+=("$OUT/dscan-$tag.dat")
    chart_titles+=("dscan-$tag")
    echo "   generated in $(((g1 - g0) / 1000000)) ms; scanned in $ms ms, peak RSS $mb MB" >&2
}

run_ref() {
    local shape=$1 tag=${1/:/x} dir=$OUT/p-${1/:/x}
    echo "== reference on $dir" >&2
    run_reference "$dir" "$OUT/ref-$tag"
    if [ "$REF_RC" != 0 ]; then
        rows+=("| rwsdk | $shape | | | $(ref_failure) | | | |")
        if [ -s "$OUT/ref-$tag.series" ]; then
            "$ROOT/bench/chart/series.sh" measure "$OUT/ref-$tag.series" >"$OUT/ref-$tag.dat"
            chart_files+=("$OUT/ref-$tag.dat")
            chart_titles+=("rwsdk-$tag-stopped")
        fi
        return
    fi
    local mb
    mb=$(awk -v k="$REF_PEAK_KB" 'BEGIN { printf "%.0f", k / 1024 }')
    ratio="$ratio$(awk -v rm="$REF_WALL_MS" -v rk="$REF_PEAK_KB" -v dm="$LAST_MS" -v dk="$LAST_KB" -v s="$shape" \
        'BEGIN { printf "At %s, RedwoodSDK took %.0fx the time and %.0fx the peak memory of dscan. ", s, rm / dm, rk / dk }')"
    rows+=("| rwsdk | $shape | $(awk -v b="$(json_num "$OUT/ref-$tag.json" bytesRead)" 'BEGIN { printf "%.0f", b / 1048576 }') | $(json_num "$OUT/ref-$tag.json" filesRead) | $(json_count "$OUT/ref-$tag.json" client)/$(json_count "$OUT/ref-$tag.json" server) | ${REF_WALL_MS%.*} | $mb | |")
    "$ROOT/bench/chart/series.sh" measure "$OUT/ref-$tag.series" >"$OUT/ref-$tag.dat"
    chart_files+=("$OUT/ref-$tag.dat")
    chart_titles+=("rwsdk-$tag")
}

run_dscan "$BIG"
rm -rf "$OUT/p-${BIG/:/x}"
for shape in $REF_BIG; do
    run_dscan "$shape"
    if ref_available; then
        run_ref "$shape"
    else
        echo "note: bench/reference not installed (bench/reference/setup.sh); no reference run" >&2
    fi
    rm -rf "$OUT/p-${shape/:/x}"
done

svg=$RESULTS/rss.svg
if command -v gnuplot >/dev/null; then
    gnuplot -e "out='$svg'; files='${chart_files[*]}'; titles='${chart_titles[*]}'; logy=1; logx=1; heading='Resident memory with big files in the graph (NxMiB; dscan solid, RedwoodSDK dashed)'" \
        "$ROOT/bench/chart/rss.gp" || echo "note: chart failed" >&2
fi

{
    echo "Generated by \`bench/bigfiles/run.sh\` (BIG=$BIG, REF_BIG=\"$REF_BIG\", REF_TIMEOUT=$REF_TIMEOUT, REF_MAX_MB=${REF_MAX_MB:-8000}) on $(nproc) cores, $(uname -sr), $(date -u +%Y-%m-%d)."
    echo "Project: the default \`dscan gen\` app plus \`--big-files N:MB\` (stress-big: N reachable chunk files of MB MiB; odd ones say \"use client\")."
    echo "dscan: one measured run after a warm-up, peak RSS from /usr/bin/time. rwsdk: peak RSS summed over node + esbuild (measure.mjs)."
    echo
    echo "| scanner | big files | MiB read | files read | client/server found | wall ms | peak RSS MB | ≤ $LIMIT_MB MB |"
    echo "| --- | --- | ---: | ---: | --- | ---: | ---: | --- |"
    printf '%s\n' "${rows[@]}"
    if [ -n "$ratio" ]; then
        echo
        echo "$ratio"
    fi
} | tee "$RESULTS/table.md"
echo "wrote $RESULTS/table.md and $svg" >&2
