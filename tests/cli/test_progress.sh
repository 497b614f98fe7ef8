#!/bin/sh
# The progress line on a terminal (issue 16): escape sequences only where the
# terminal understands them, and never left on the screen, not even after
# Ctrl-C or a kill. DSCAN_PROGRESS_AFTER_MS=0 shows it from the first tick
# (every ms) instead of after half a second, so a short scan has one.
. tests/cli/lib.sh

if ! command -v python3 >/dev/null 2>&1; then
    echo "skip: python3 not found (needed for a pseudo-terminal)"
    finish
    exit
fi
g=$T_TMP/gen
"$DSCAN" gen "$g" --quiet --files 3000 --directives 300 --icons 5000 >/dev/null || exit 1
run() { # TERM, signal or "", scan arguments...
    t=$1 s=$2
    shift 2
    TERM=$t DSCAN_PROGRESS_AFTER_MS=0 python3 tests/cli/pty_run.py ${s:+--signal $s} -- "$DSCAN" scan "$@"
}
ESC=$(printf '\033')

out=$(run xterm "" "$g" -j1)
check "progress: scan exits 0" "exit 0" "$(printf '%s\n' "$out" | tail -n 1)"
check_contains "progress: the line erases itself with ESC[K" '\r\x1b[Kdscan: scanning: ' "$out"
check_contains "progress: erased at the end" "\\r\\x1b[K'" "$(printf '%s\n' "$out" | head -n 1)"

out=$(run dumb "" "$g" -j1)
check "progress TERM=dumb: exits 0" "exit 0" "$(printf '%s\n' "$out" | tail -n 1)"
check_contains "progress TERM=dumb: a plain line" "b'\\rdscan: scanning: " "$out"
case $out in *x1b*) check "progress TERM=dumb: no escape sequence" "" "$out" ;; *) check "progress TERM=dumb: no escape sequence" 1 1 ;; esac
first=$(printf '%s\n' "$out" | head -n 1)
case $first in *"     \\r'") check "progress TERM=dumb: erased with spaces" 1 1 ;; *) check "progress TERM=dumb: erased with spaces" "...spaces\\r'" "$first" ;; esac

for s in SIGINT SIGTERM; do
    out=$(run xterm $s "$g" -j1)
    check "progress + $s: dies of it" "signal $s" "$(printf '%s\n' "$out" | tail -n 1)"
    check_contains "progress + $s: the line was shown" 'dscan: scanning: ' "$out"
    check_contains "progress + $s: the line is erased" "\\r\\x1b[K'" "$(printf '%s\n' "$out" | head -n 1)"
done
out=$(run dumb SIGINT "$g" -j1)
check "progress TERM=dumb + SIGINT: dies of it" "signal SIGINT" "$(printf '%s\n' "$out" | tail -n 1)"
first=$(printf '%s\n' "$out" | head -n 1)
case $first in *"     \\r'") check "progress TERM=dumb + SIGINT: erased with spaces" 1 1 ;; *) check "progress TERM=dumb + SIGINT: erased with spaces" "...spaces\\r'" "$first" ;; esac

# Not a terminal, --quiet or --ticks: no progress at all.
out=$(run xterm "" "$g" -j1 --quiet)
check "progress: none with --quiet" "b''" "$(printf '%s\n' "$out" | head -n 1)"
finish
