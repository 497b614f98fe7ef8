# Directive lint (SPEC §4.9, issue 14) through the command line: each warning
# once, in text (the file once, as the lists write it, with line:col) and in
# --json's warnings[] (code, file, line, col); near misses stay quiet.
. tests/cli/lib.sh

p=$T_TMP/lintapp
mkdir -p "$p/src"
printf "import './late';\nimport './Typo';\nimport './Both';\nimport './fine';\n" >"$p/src/worker.tsx"
printf "import './Both';\n\n'use client';\n" >"$p/src/late.tsx"
printf "'Use Client';\nexport {}\n" >"$p/src/Typo.tsx"
printf "'use client';\n'use server';\n" >"$p/src/Both.tsx"
printf "'use strict';\n'use asm';\nf();\n'not a directive';\nfunction g() { 'use server' }\n" >"$p/src/fine.tsx"

err=$("$DSCAN" scan "$p" 2>&1 >/dev/null)
check_contains "text misplaced" \
    "warning: /src/late.tsx:3:1: 'use client' after other code has no effect: a directive must come first [misplaced-directive]" "$err"
check_contains "text typo" \
    "warning: /src/Typo.tsx:1:1: 'Use Client' is not a directive: did you mean 'use client'? [directive-typo]" "$err"
check_contains "text conflicting" \
    "warning: /src/Both.tsx:2:1: 'use client' and 'use server' in one prologue: 'use client' wins [conflicting-directives]" "$err"
check "text: three warnings, each once" 3 "$(echo "$err" | grep -c '^warning: ')"
check "text: each names its file once" 0 "$(echo "$err" | grep -c 'tsx.*tsx')"
check "text: near misses quiet" 0 "$(echo "$err" | grep -c 'fine.tsx')"

json=$("$DSCAN" scan "$p" --json 2>/dev/null)
check_contains "json misplaced" '{"file": "/src/late.tsx", "path": "/src/late.tsx", "line": 3, "col": 1, "severity": "warning", "code": "misplaced-directive", "message": ' "$json"
check_contains "json typo" '{"file": "/src/Typo.tsx", "path": "/src/Typo.tsx", "line": 1, "col": 1, "severity": "warning", "code": "directive-typo", "message": ' "$json"
check_contains "json conflicting" '{"file": "/src/Both.tsx", "path": "/src/Both.tsx", "line": 2, "col": 1, "severity": "warning", "code": "conflicting-directives", "message": ' "$json"
check "json: three warnings" 3 "$(echo "$json" | grep -c '"code": "[a-z-]*directive')"
# The directives still decide as before: Both is client ("use client" wins),
# late and Typo are not.
check_contains "client list unchanged by the lint" '"client": ["/src/Both.tsx"]' "$(echo "$json" | tr -d '\n' | sed 's/  */ /g; s/\[ /[/g; s/ \]/]/g')"

q=$("$DSCAN" scan "$p" --quiet 2>&1 >/dev/null)
check "--quiet: no lint warnings" "" "$q"
finish
