#!/bin/bash
# tests/real/test_lex_oxc.sh — the lexer against a real parser on real code
# (issue 2). Installs tests/real/lex's packages (pinned by its
# package-lock.json: react-dom, lucide-react, Radix UI, date-fns, zod,
# recharts, TanStack, rwsdk with vite/esbuild/miniflare, motion, three,
# typescript …), lexes every .js/.mjs/.cjs/.jsx/.ts/.tsx/.mts/.cts file in
# them (declaration files excepted) with ds_lex (lex_many.c), parses each with
# oxc-parser, and compares the import lists and directive prologues file by
# file (compare.mjs says what each side counts), and the names of issue 15
# (what each import and re-export takes, local exports, pure barrels) with
# oxc-parser's module record. Every file must agree, or
# be listed in lex/known-differences.tsv with the side that is right and the
# case in tests/lex/ that pins it.
#
# Last result (README of tests/real/lex): see "agreement" there.
# Ends with "N passed, N failed".
set -uo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$REPO/tests/real/lex"
TMP="$(mktemp -d /tmp/dscan-lex-oxc.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
. "$REPO/tests/real/lib.sh"

(cd "$REPO" && make -s build/libdscan.a) || { ko "build libdscan.a"; finish; }
cc -O2 -std=c11 -D_GNU_SOURCE -I"$REPO/include" -I"$REPO/src" -o "$TMP/lex_many" \
    "$HERE/lex_many.c" "$REPO/build/libdscan.a" || { ko "build lex_many"; finish; }

# `npm install` with the committed lock (not `npm ci`: npm 11 rejects this
# lock for a Windows-only optional dependency of vite it leaves out); when
# node_modules is current it takes under a second.
(cd "$HERE" && npm install --no-audit --no-fund --loglevel=error >"$TMP/npm.log" 2>&1) ||
    { ko "npm install in tests/real/lex"; tail -20 "$TMP/npm.log"; finish; }
ok "packages installed"

find "$HERE/node_modules" -type f \( -name '*.js' -o -name '*.mjs' -o -name '*.cjs' -o -name '*.jsx' \
    -o -name '*.ts' -o -name '*.tsx' -o -name '*.mts' -o -name '*.cts' \) \
    ! -name '*.d.ts' ! -name '*.d.mts' ! -name '*.d.cts' \
    ! -path '*/node_modules/oxc-parser/*' ! -path '*/node_modules/@oxc-parser/*' \
    ! -path '*/node_modules/@oxc-project/*' ! -path '*/node_modules/es-module-lexer/*' |
    sort >"$TMP/files.txt"
n=$(wc -l <"$TMP/files.txt")
[ "$n" -gt 5000 ] && ok "$n files to compare" || ko "only $n files found"

"$TMP/lex_many" <"$TMP/files.txt" >"$TMP/dscan.jsonl" && ok "dscan lexed every file" || ko "lex_many"
grep -v '"problems":0' "$TMP/dscan.jsonl" | cut -c1-300 >"$TMP/problems.txt"
if [ -s "$TMP/problems.txt" ]; then
    ko "files with lexing problems: $(wc -l <"$TMP/problems.txt")"
    head -5 "$TMP/problems.txt"
else
    ok "no lexing problems in any file"
fi

# A plain scan lexes without names (DS_LEX_IMPORTS): the same imports,
# directives, problems and strays as the full lex, on every file.
if "$TMP/lex_many" --imports-only <"$TMP/files.txt" >"$TMP/imports-only.txt"; then
    ok "$(tail -1 "$TMP/imports-only.txt")"
else
    ko "imports-only lexing differs: $(tail -1 "$TMP/imports-only.txt")"
    head -5 "$TMP/imports-only.txt"
fi

# The portable (non-SSE2) scanning paths must give byte-identical results.
if cc -O2 -std=c11 -D_GNU_SOURCE -U__SSE2__ -I"$REPO/include" -I"$REPO/src" -c -o "$TMP/lex_nosse.o" \
    "$REPO/src/lex.c" &&
    cc -O2 -std=c11 -D_GNU_SOURCE -I"$REPO/include" -I"$REPO/src" -o "$TMP/lex_many_nosse" \
        "$HERE/lex_many.c" "$TMP/lex_nosse.o" "$REPO/build/libdscan.a" -lm -pthread &&
    "$TMP/lex_many_nosse" <"$TMP/files.txt" | cmp -s - "$TMP/dscan.jsonl"; then
    ok "the portable (non-SSE2) lexer gives the same results"
else
    ko "the portable (non-SSE2) lexer differs"
fi

if node "$REPO/tests/real/lex/compare.mjs" "$TMP/files.txt" "$TMP/dscan.jsonl" "$HERE/known-differences.tsv" >"$TMP/cmp.txt" 2>&1; then
    ok "every file agrees with oxc-parser (or is a known difference)"
else
    ko "files disagree with oxc-parser"
    grep -A2 '^DIFF' "$TMP/cmp.txt" | head -40
fi
# Names (issue 15): imports' and re-exports' names, local export names, the
# pure-barrel flag and module syntax, against oxc's module record. An export
# list the lexer marks unsure is left out of the export comparison and
# counted; it must stay rare.
read -r bad unsure < <(sed -n 's/^NAMESRESULT disagree=\([0-9]*\) unsure=\([0-9]*\)$/\1 \2/p' "$TMP/cmp.txt")
if [ "${bad:-1}" -eq 0 ]; then
    ok "names, exports and barrels agree with oxc-parser's module record on every file"
else
    ko "names disagree with oxc-parser on ${bad:-?} files"
    grep -A3 '^NAMES ' "$TMP/cmp.txt" | head -40
fi
[ "${unsure:-1000}" -le 20 ] && ok "export lists marked unsure: ${unsure:-?} (at most 20)" ||
    ko "export lists marked unsure: ${unsure:-?} (more than 20)"
grep -E '^(files|imports|directive|explained|names)' "$TMP/cmp.txt"
finish
