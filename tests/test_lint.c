/* Directive lint (SPEC §4.9, issue 14): the classification of src/lint.c on
 * what ds_lex reports, its near misses, and the warnings a whole scan gives
 * (once each, with the file as the lists write it). */
#include <stdlib.h>

#include "harness.h"
#include "lex.h"
#include "lint.h"

/* Lints `src` (as .tsx) into found[]; returns how many. */
static size_t lint(const char *src, struct ds_lint_finding *found, struct ds_arena *scratch)
{
    size_t len = strlen(src);
    char *buf = ds_arena_alloc(scratch, len + DS_LEX_PAD);
    struct ds_lex_result r;

    CHECK(buf != NULL);
    if (!buf)
        return 0;
    memcpy(buf, src, len);
    memset(buf + len, 0, DS_LEX_PAD);
    CHECK_EQ_STATUS(ds_lex(buf, len, DS_LANG_TSX, scratch, &r), DS_OK);
    return ds_lint_directives(&r, found);
}

/* The codes found in src, as "code@offset code@offset …". */
static const char *codes(const char *src, char *out, size_t size)
{
    struct ds_alloc alloc;
    struct ds_arena scratch;
    struct ds_lint_finding found[DS_LINT_MAX];

    ds_alloc_init(&alloc, NULL, 0);
    ds_arena_init(&scratch, &alloc, 0);
    size_t n = lint(src, found, &scratch);
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s@%u", i ? " " : "", ds_lint_code_name(found[i].code),
                 (unsigned)found[i].offset);
    }
    ds_arena_release(&scratch);
    return out;
}

#define CHECK_LINT(src, want)                              \
    do {                                                   \
        char got_[256];                                    \
        CHECK_EQ_STR(codes(src, got_, sizeof got_), want); \
    } while (0)

TEST(lint_each_kind)
{
    CHECK_LINT("import a from 'a';\n\"use client\";\n", "misplaced-directive@19");
    CHECK_LINT("foo()\n'use server'\nbar()", "misplaced-directive@6");
    CHECK_LINT("\"use client\";\n\"use server\";\n", "conflicting-directives@14");
    CHECK_LINT("'use server'; 'use client'", "conflicting-directives@14");
    CHECK_LINT("'use-client';\nexport {}", "directive-typo@0");
    CHECK_LINT("\"use clinet\"", "directive-typo@0");
    CHECK_LINT("\"Use Client\"", "directive-typo@0");
    CHECK_LINT("'use_server'", "directive-typo@0");
    CHECK_LINT("'USE SERVER'", "directive-typo@0");
    CHECK_LINT("'use  client'", "directive-typo@0");
    CHECK_LINT("'use client '", "directive-typo@0");
    CHECK_LINT("'use serve'", "directive-typo@0");
    CHECK_LINT("'use clients'", "directive-typo@0");
    CHECK_LINT("'usec lient'", "directive-typo@0");
    // A misspelt directive after code is a misplaced one too.
    CHECK_LINT("x();\n'Use Client'", "misplaced-directive@5");
    // Several in one file, in source order; each once.
    CHECK_LINT("'use strict'; 'use-server'; 'use client'; 'use server'\nf();\n'use client'",
               "directive-typo@14 conflicting-directives@42 misplaced-directive@60");
}

TEST(lint_near_misses_are_quiet)
{
    CHECK_LINT("'use strict';\n'use asm';\nexport {}", "");
    CHECK_LINT("'use client'; 'use strict'", "");
    CHECK_LINT("'use cache'; 'use memo'; 'use no memo'; 'use step'; 'use workflow'", "");
    CHECK_LINT("'Use Strict'", ""); // not a misspelt "use server"
    CHECK_LINT("'use stric'", "");  // nor is a misspelt "use strict"
    // A directive in a function body is a function's directive.
    CHECK_LINT("export async function act() {\n  'use server';\n}\n", "");
    CHECK_LINT("const act = async () => { 'use server' }", "");
    CHECK_LINT("if (x) { 'use client' }", "");
    // A string statement after code that is not directive-like.
    CHECK_LINT("f();\n'hello world';\n'use this';\n'lorem ipsum'", "");
    // Strings that are operands, arguments, keys or cases, not statements.
    CHECK_LINT("x = 'use client';\nf('use client', ['use client']);\n"
               "switch (y) { case 'use client': break }\n'use client'.length;\n"
               "'use client' + 1;\nconst o = {'use client': 1};\n`use client`;\n",
               "");
    // In JSX text and attributes.
    CHECK_LINT("const e = <p title='use client'>use client</p>;", "");
    // In a comment.
    CHECK_LINT("f();\n// 'use client'\n/* \"use server\" */", "");
}

/* The scan's warnings: each once (a file visited in both environments is
 * read once), code, path as the lists write it, line:col of the string. */
TEST(lint_scan_warns_once_with_list_paths)
{
    const char *dir = harness_tmpdir();
    harness_write(dir, "src/worker.tsx",
                  "import './late';\nimport './Typo';\nimport './Both';\nimport './fine';\n"
                  "import { act } from './actions';\n");
    // Reached from the worker and, through Both ("use client"), from the client.
    harness_write(dir, "src/late.tsx", "import x from 'react';\n\n  'use client';\nexport {}\n");
    harness_write(dir, "src/Typo.tsx", "// a component\n'use-client';\nexport {}\n");
    harness_write(dir, "src/Both.tsx", "'use client';\n'use server';\nimport './late';\n");
    harness_write(dir, "src/fine.tsx",
                  "'use strict';\nf();\n'just a string';\nfunction g() { 'use server' }\n");
    harness_write(dir, "src/actions.ts", "'use server';\nexport async function act() {}\n");
    harness_write(dir, "node_modules/react/package.json", "{\"name\":\"react\",\"main\":\"i.js\"}");
    harness_write(dir, "node_modules/react/i.js", "module.exports = {};\n");

    struct dscan_options opts = {.root = dir, .threads = 2};
    struct dscan *scan = NULL;
    struct dscan_error err = {0};
    CHECK_EQ_STATUS(dscan_run(&opts, &scan, &err), DSCAN_OK);
    if (!scan)
        return;
    const char *want[][3] = {
        {"/src/late.tsx", "3:3", "misplaced-directive"},
        {"/src/Typo.tsx", "2:1", "directive-typo"},
        {"/src/Both.tsx", "2:1", "conflicting-directives"},
    };
    size_t seen[3] = {0};
    for (size_t i = 0; i < dscan_diagnostic_count(scan); i++) {
        const struct dscan_diagnostic *d = dscan_diagnostic_at(scan, i);
        char pos[32];
        bool known = false;
        snprintf(pos, sizeof pos, "%u:%u", d->line, d->col);
        for (size_t k = 0; k < 3; k++) {
            if (strcmp(d->code, want[k][2]) != 0)
                continue;
            known = true;
            seen[k]++;
            CHECK_EQ_STR(d->path, want[k][0]);
            CHECK_EQ_STR(pos, want[k][1]);
            CHECK(d->severity == DSCAN_WARNING);
            // The message does not repeat the file: the path field has it.
            CHECK(strstr(d->message, "src/") == NULL);
        }
        if (!known)
            fprintf(stderr, "unexpected diagnostic: %s %s %s\n", d->code, d->path, d->message);
        CHECK(known);
    }
    for (size_t k = 0; k < 3; k++)
        CHECK_EQ_SIZE(seen[k], 1);
    dscan_free(scan);
}
