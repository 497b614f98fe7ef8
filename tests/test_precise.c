/* Precise mode (SPEC §4.10) through the library: the sideEffects globs
 * (`**`, `*`, `?`, slash-less patterns, syntax not read counted as a
 * match), the result equal for every thread count, and every allocation
 * of a precise scan failing in turn gives either the whole result or
 * DSCAN_ENOMEM. tests/cli/test_precise.sh checks the rule itself on
 * hand-made barrels and a dscan gen project. */
#include <stdlib.h>

#include "harness.h"

static void client(const char *dir, const char *rel, const char *name)
{
    char text[256];
    snprintf(text, sizeof text, "\"use client\";\nexport const %s = 1;\n", name);
    harness_write(dir, rel, text);
}

/* A worker importing one name from a barrel of "use client" modules inside
 * an island ("use client" modules are proxies in the worker, so the barrel
 * is reached in the client environment, where only sideEffects decides). */
static void write_globs(const char *dir)
{
    harness_write(dir, "package.json", "{\"name\":\"app\"}");
    harness_write(dir, "src/worker.tsx",
                  "import { Island } from './Island';\nexport { Island };\n");
    harness_write(dir, "src/Island.tsx",
                  "\"use client\";\nimport { Used } from 'g';\nimport { HU } from 'h';\n"
                  "export const Island = [Used, HU];\n");
    // A pattern this does not read (a class): every file counts as matched.
    harness_write(dir, "node_modules/h/package.json",
                  "{\"name\":\"h\",\"main\":\"index.js\",\"sideEffects\":[\"[ab].js\"]}");
    harness_write(dir, "node_modules/h/index.js",
                  "export { HU } from './u.js';\nexport { HX } from './x.js';\n");
    client(dir, "node_modules/h/u.js", "HU");
    client(dir, "node_modules/h/x.js", "HX");
    harness_write(dir, "node_modules/g/package.json",
                  "{\"name\":\"g\",\"main\":\"index.js\",\"sideEffects\":["
                  "\"./lib/**/reg-*.js\",\"?x.js\",\"src/a*/k.js\",\"{b,c}.js\",\"./lib/deep\"]}");
    harness_write(dir, "node_modules/g/index.js",
                  "export { Used } from './used.js';\n"
                  "export { R1 } from './lib/reg-one.js';\n"     // ./lib/**/reg-*.js, ** = nothing
                  "export { R2 } from './lib/a/b/reg-two.js';\n" // ** = a/b/
                  "export { R3 } from './lib/reg/other.js';\n"   // no: * stays in one segment
                  "export { X1 } from './deep/x/ax.js';\n"       // ?x.js anywhere
                  "export { X2 } from './abx.js';\n"             // no: ? is one character
                  "export { K } from './src/ab/k.js';\n"         // src/a*/k.js
                  "export { K2 } from './src/ab/c/k.js';\n"      // no: * does not cross /
                  "export { Br } from './b.js';\n"               // {b,c}.js
                  "export { Cc } from './c.js';\n"               // {b,c}.js
                  "export { Dd } from './d.js';\n"               // no
                  "export { D } from './lib/deep/d.js';\n"       // no: a directory is not a glob
                  "export { Gone } from './gone.js';\n");
    client(dir, "node_modules/g/used.js", "Used");
    client(dir, "node_modules/g/lib/reg-one.js", "R1");
    client(dir, "node_modules/g/lib/a/b/reg-two.js", "R2");
    client(dir, "node_modules/g/lib/reg/other.js", "R3");
    client(dir, "node_modules/g/deep/x/ax.js", "X1");
    client(dir, "node_modules/g/abx.js", "X2");
    client(dir, "node_modules/g/src/ab/k.js", "K");
    client(dir, "node_modules/g/src/ab/c/k.js", "K2");
    client(dir, "node_modules/g/b.js", "Br");
    client(dir, "node_modules/g/c.js", "Cc");
    client(dir, "node_modules/g/d.js", "Dd");
    client(dir, "node_modules/g/lib/deep/d.js", "D");
    client(dir, "node_modules/g/gone.js", "Gone");
}

static char *clients(const struct dscan *s)
{
    size_t cap = 1 << 14, len = 0;
    char *out = malloc(cap);

    if (!out)
        return NULL;
    out[0] = '\0';
    for (size_t i = 0; s && i < dscan_client_count(s); i++)
        len +=
            (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s\n", dscan_client_at(s, i));
    return out;
}

static struct dscan *run(const char *dir, bool precise, unsigned threads,
                         const struct dscan_allocator *a, enum dscan_status *st)
{
    struct dscan_options o = {
        .root = dir, .precise = precise, .threads = threads, .alloc = a, .no_prescan = true};
    struct dscan_error err = {0};
    struct dscan *s = NULL;

    *st = dscan_run(&o, &s, &err);
    return s;
}

static const char globs_want[] = "/node_modules/g/b.js\n"
                                 "/node_modules/g/c.js\n"
                                 "/node_modules/g/deep/x/ax.js\n"
                                 "/node_modules/g/lib/a/b/reg-two.js\n"
                                 "/node_modules/g/lib/reg-one.js\n"
                                 "/node_modules/g/src/ab/k.js\n"
                                 "/node_modules/g/used.js\n"
                                 "/node_modules/h/u.js\n"
                                 "/node_modules/h/x.js\n"
                                 "/src/Island.tsx\n";

TEST(precise_side_effects_globs)
{
    const char *dir = harness_tmpdir();
    enum dscan_status st;

    write_globs(dir);
    struct dscan *s = run(dir, false, 1, NULL, &st);
    CHECK_EQ_STATUS(st, DSCAN_OK);
    CHECK_EQ_SIZE(dscan_client_count(s), 16); // default: every file
    dscan_free(s);
    s = run(dir, true, 1, NULL, &st);
    CHECK_EQ_STATUS(st, DSCAN_OK);
    char *got = clients(s);
    CHECK_EQ_STR(got, globs_want);
    free(got);
    dscan_free(s);
}

TEST(precise_same_result_for_every_thread_count)
{
    const char *dir = harness_tmpdir();
    enum dscan_status st;

    write_globs(dir);
    for (unsigned t = 1; t <= 4; t++) {
        struct dscan *s = run(dir, true, t, NULL, &st);
        char *got = clients(s);
        CHECK_EQ_STATUS(st, DSCAN_OK);
        CHECK_EQ_STR(got, globs_want);
        free(got);
        dscan_free(s);
    }
}

TEST(precise_oom_every_allocation)
{
    const char *dir = harness_tmpdir();
    struct harness_failing f = {0};
    struct dscan_allocator a = harness_failing_allocator(&f);
    enum dscan_status st;
    unsigned long total, oom = 0;

    write_globs(dir);
    struct dscan *s = run(dir, true, 1, &a, &st);
    total = atomic_load(&f.count);
    CHECK_EQ_STATUS(st, DSCAN_OK);
    dscan_free(s);
    for (unsigned long k = 1; k <= total + 1; k++) {
        atomic_store(&f.count, 0);
        atomic_store(&f.fail_at, k);
        s = run(dir, true, 1, &a, &st);
        if (st == DSCAN_OK) {
            char *got = clients(s);
            CHECK_EQ_STR(got, globs_want);
            if (got && strcmp(got, globs_want) != 0)
                fprintf(stderr, "  at allocation %lu of %lu\n", k, total);
            free(got);
            dscan_free(s);
            continue;
        }
        oom++;
        CHECK_EQ_STATUS(st, DSCAN_ENOMEM);
        CHECK(s == NULL);
    }
    CHECK(oom > 0);
}
