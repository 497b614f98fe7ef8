# Pass/fail counting for the tests/real scripts: source it after setting
# REPO; `ok NAME`, `ko NAME`, and `finish` (prints "N passed, N failed" and
# exits, non-zero when one failed) unless the script needs its own.
passed=0
failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
ko() { echo "FAIL $1"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
