# Shell test helpers for the dscan command line. Source it, call `check`,
# end with `finish`. DSCAN is the binary under test.
DSCAN=${DSCAN_BIN:-build/dscan}
case $DSCAN in /*) ;; *) DSCAN=$(pwd)/$DSCAN ;; esac
T_PASSED=0
T_FAILED=0
T_TMP=$(mktemp -d)
T_TMP=$(cd "$T_TMP" && pwd -P)
trap 'chmod -R u+rwx "$T_TMP" 2>/dev/null; rm -rf "$T_TMP"' EXIT

# check NAME EXPECTED ACTUAL
check() {
    if [ "$2" = "$3" ]; then
        T_PASSED=$((T_PASSED + 1))
    else
        T_FAILED=$((T_FAILED + 1))
        printf 'FAIL %s\n  expected: %s\n  actual:   %s\n' "$1" "$2" "$3" >&2
    fi
}

# check_contains NAME NEEDLE HAYSTACK
check_contains() {
    case $3 in
    *"$2"*) T_PASSED=$((T_PASSED + 1)) ;;
    *)
        T_FAILED=$((T_FAILED + 1))
        printf 'FAIL %s\n  expected to contain: %s\n  actual: %s\n' "$1" "$2" "$3" >&2
        ;;
    esac
}

finish() {
    echo "$T_PASSED passed, $T_FAILED failed"
    [ "$T_FAILED" -eq 0 ]
}
