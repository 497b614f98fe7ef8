# Sourced by bench/scale/run.sh and bench/bigfiles/run.sh: runs RedwoodSDK's
# own directive scan (bench/reference) on a `dscan gen` project under
# measure.mjs, with a time limit and a memory limit, so a shape that would
# exhaust this shared machine is stopped and reported instead.
#
#   run_reference DIR OUTPREFIX
#
# Needs REF (bench/reference), REF_TIMEOUT (s), REF_MAX_MB. Sets REF_RC (0
# done, 124 timeout, 137 over REF_MAX_MB, else the scan's exit status),
# REF_WALL_MS, REF_PEAK_KB (over node + esbuild, also for a stopped run:
# how long it ran and how high it went), REF_STOPPED_KB; writes
# OUTPREFIX.json (result), .measure (measure.mjs line), .series ("ms kB").

ref_available() { [ -d "$REF/node_modules/rwsdk" ] && [ -d "$REF/node_modules/vite" ]; }

# Sum of VmRSS (kB) over a process and all its descendants.
tree_rss_kb() {
    local pid=$1 sum kid
    sum=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    sum=${sum:-0}
    for kid in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
        sum=$((sum + $(tree_rss_kb "$kid")))
    done
    echo "$sum"
}

run_reference() {
    local dir=$1 out=$2 limit_kb=$((${REF_MAX_MB:-8000} * 1024)) pid kb
    REF_OUT=$out
    rm -f "$out.measure" "$out.series" "$out.json" "$out.stopped"
    # rwsdk loads esbuild through the project's own vite.
    [ -e "$dir/node_modules/vite" ] || ln -s "$REF/node_modules/vite" "$dir/node_modules/vite"
    timeout "${REF_TIMEOUT:-600}" node "$REF/measure.mjs" --interval 20 --series "$out.series" \
        --out "$out.measure" --label "$(basename "$out")" -- \
        node "$REF/rwsdk-scan.mjs" --root "$dir" >"$out.json" 2>"$out.err" &
    pid=$!
    REF_STOPPED_KB=0
    while kill -0 "$pid" 2>/dev/null; do
        kb=$(tree_rss_kb "$pid")
        if [ "$kb" -gt "$limit_kb" ]; then
            echo "$kb" >"$out.stopped"
            kill -TERM "$pid" 2>/dev/null # timeout passes it on to measure.mjs, and that to the scan
            break
        fi
        sleep 0.2
    done
    REF_RC=0
    wait "$pid" || REF_RC=$? # the callers run under set -e
    rm -f "$dir/node_modules/vite"
    if [ -f "$out.stopped" ]; then
        REF_RC=137
        REF_STOPPED_KB=$(cat "$out.stopped")
    fi
    # measure.mjs writes its line and series when the scan ends, stopped or
    # not: a stopped run still says how long it ran and how high it went.
    REF_WALL_MS="" REF_PEAK_KB=""
    if [ -s "$out.measure" ]; then
        REF_WALL_MS=$(tr -d ' \n' <"$out.measure" | sed -n 's/.*"wallMs":\([0-9.]*\).*/\1/p')
        REF_PEAK_KB=$(tr -d ' \n' <"$out.measure" | sed -n 's/.*"peakRssKb":\([0-9]*\).*/\1/p')
    fi
}

# A table cell saying why the reference has no numbers.
ref_failure() {
    case $REF_RC in
    124) echo "did not finish in ${REF_TIMEOUT:-600} s (peak $((${REF_PEAK_KB:-0} / 1024)) MB so far)" ;;
    137) echo "stopped at $((REF_STOPPED_KB / 1024)) MB (over REF_MAX_MB=${REF_MAX_MB:-8000})" ;;
    *)
        if grep -q 'heap out of memory' "$REF_OUT.err" 2>/dev/null; then
            echo "crashed: JavaScript heap out of memory"
        else
            echo "failed (exit $REF_RC, $(grep -m1 -o 'Error[^:]*: [^\n]*' "$REF_OUT.err" 2>/dev/null | cut -c1-80))"
        fi
        ;;
    esac
}
