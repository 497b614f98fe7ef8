# `dscan lex`: the JSON of SPEC §1 (and the keys issue 15 adds after them), byte
# for byte, and its errors.
. tests/cli/lib.sh

printf '"use client";\nimport React from "react";\nexport * from "./b";\nimport("c");\nrequire("d");\n' >"$T_TMP/a.tsx"
out=$("$DSCAN" lex "$T_TMP/a.tsx")
check "lex json" '{"directives":["use client"],"imports":[{"specifier":"react","kind":"static"},{"specifier":"./b","kind":"reexport"},{"specifier":"c","kind":"dynamic"},{"specifier":"d","kind":"require"}],"importNames":[[{"imported":"default","local":"React"}],[{"imported":"*","local":""}],[],[]],"exports":[],"barrel":false,"moduleSyntax":true,"exportsUnsure":false}' "$out"

printf 'const x = 1;\n' >"$T_TMP/empty.js"
check "lex nothing" '{"directives":[],"imports":[],"importNames":[],"exports":[],"barrel":false,"moduleSyntax":false,"exportsUnsure":false}' "$("$DSCAN" lex "$T_TMP/empty.js")"

printf 'import "q\\"\\\\\\n";\n' >"$T_TMP/esc.js"
check "lex escapes json" '{"directives":[],"imports":[{"specifier":"q\"\\\n","kind":"static"}],"importNames":[[]],"exports":[],"barrel":true,"moduleSyntax":true,"exportsUnsure":false}' "$("$DSCAN" lex "$T_TMP/esc.js")"

printf '# T\n\nimport X from "./x.js"\n' >"$T_TMP/doc.mdx"
check "lex mdx" '{"directives":[],"imports":[{"specifier":"react/jsx-runtime","kind":"static"},{"specifier":"./x.js","kind":"static"}],"importNames":[[{"imported":"jsx","local":"jsx"},{"imported":"jsxs","local":"jsxs"},{"imported":"Fragment","local":"Fragment"}],[{"imported":"default","local":"X"}]],"exports":[],"barrel":false,"moduleSyntax":true,"exportsUnsure":false}' "$("$DSCAN" lex "$T_TMP/doc.mdx")"

err=$("$DSCAN" lex "$T_TMP/missing.js" 2>&1 >/dev/null)
check "lex missing exit" 1 "$("$DSCAN" lex "$T_TMP/missing.js" >/dev/null 2>&1; echo $?)"
check "lex missing message" "dscan: cannot read '$T_TMP/missing.js': No such file or directory" "$err"

err=$("$DSCAN" lex "$T_TMP" 2>&1 >/dev/null)
check_contains "lex directory" "cannot read '$T_TMP': is a directory" "$err"

check "lex usage exit" 2 "$("$DSCAN" lex >/dev/null 2>&1; echo $?)"
check "lex two files" 2 "$("$DSCAN" lex a b >/dev/null 2>&1; echo $?)"

printf 'import a from "a";\nconst s = "open\n' >"$T_TMP/bad.js"
out=$("$DSCAN" lex "$T_TMP/bad.js" 2>"$T_TMP/err")
check "lex bad file still json" '{"directives":[],"imports":[{"specifier":"a","kind":"static"}],"importNames":[[{"imported":"default","local":"a"}]],"exports":[],"barrel":false,"moduleSyntax":true,"exportsUnsure":false}' "$out"
check_contains "lex bad file warning" "unterminated string at 2:11" "$(cat "$T_TMP/err")"

# The README's example says what it prints; keep it true.
check "lex example" '{"directives":["use client"],"imports":[{"specifier":"react","kind":"static"},{"specifier":"./Button","kind":"static"},{"specifier":"./icons","kind":"reexport"},{"specifier":"./Chart","kind":"dynamic"}],"importNames":[[{"imported":"lazy","local":"lazy"},{"imported":"useState","local":"useState"}],[{"imported":"Button","local":"Button"}],[{"imported":"*","local":""}],[]],"exports":[{"name":"default","local":"Hello"}],"barrel":false,"moduleSyntax":true,"exportsUnsure":false}' "$("$DSCAN" lex examples/hello.tsx)"

# Past DS_MAX_FILE_BYTES (64 MiB) a file is refused, not read (a sparse file
# costs no disk).
truncate -s 65M "$T_TMP/huge.js"
check "lex huge exit" 1 "$("$DSCAN" lex "$T_TMP/huge.js" >/dev/null 2>&1; echo $?)"
check_contains "lex huge message" "cannot read '$T_TMP/huge.js': file too large" "$("$DSCAN" lex "$T_TMP/huge.js" 2>&1)"

finish
