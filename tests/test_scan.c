/* Tests of the whole scan (dscan_run) on small projects written to temp
 * directories: directive boundaries both ways, a package resolved to
 * different files per environment, pnpm symlinks and hard-linked copies,
 * letter case, cycles, queries, assets, builtins, type-only imports, MDX,
 * read-once accounting, thread-count independence, --why, and allocation
 * failure at every step. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "dscan.h"
#include "scan.h"
#include "specifier.h"
#include "sys.h"

/* ---- fixtures ------------------------------------------------------------ */

static void write_app(const char *dir)
{
    char cmd[8192];

    harness_write(dir, "src/worker.tsx",
                  "import { Page } from './Page';\n"
                  "import './styles.css';\n"
                  "import logo from './logo.svg?url';\n"
                  "import raw from './data.txt?raw';\n"
                  "import fs from 'node:fs';\n"
                  "import path from 'path';\n"
                  "import type { T } from '../other/TypesOnly';\n"
                  "import './missing';\n"
                  "import './gone.css';\n"
                  "import 'cond';\n"
                  "import './cycle-a';\n"
                  "import 'pk';\n"
                  "import '../node_modules/.pnpm/pk@1.0.0/node_modules/pk/index.js';\n"
                  "import './vendor/index.js';\n"
                  "import '../other/copy1/x.js';\n"
                  "import '../other/copy2/x.js';\n"
                  "import data from './data.json';\n"
                  "export default {};\n");
    harness_write(dir, "src/Page.tsx",
                  "import { Button } from './components/Button';\n"
                  "import Post from './content/post.mdx';\n"
                  "export const Page = () => null;\n");
    harness_write(dir, "src/components/Button.tsx",
                  "'use client';\n"
                  "import { save } from '../actions';\n"
                  "import 'cond';\n"
                  "import './icon.svg';\n"
                  "export const Button = () => null;\n");
    harness_write(dir, "src/components/icon.svg", "<svg/>");
    harness_write(dir, "src/styles.css", "body{}");
    harness_write(dir, "src/data.json", "{}");
    harness_write(dir, "src/actions.ts",
                  "\"use server\";\n"
                  "import 'cond2';\n"
                  "export async function save() {}\n");
    harness_write(dir, "src/cycle-a.ts", "import './cycle-b';\nexport const a = 1;\n");
    harness_write(dir, "src/cycle-b.ts", "'use server';\nimport './cycle-a';\n");
    harness_write(dir, "src/unused.ts", "export const unused = 1;\n");
    harness_write(dir, "src/content/post.mdx",
                  "import { Chart } from '../../other/Chart'\n\n# Post\n\n<Chart />\n\n"
                  "```js\nimport 'not-followed'\n```\n");
    harness_write(dir, "other/Chart.tsx", "'use client';\nexport const Chart = () => null;\n");
    harness_write(dir, "other/TypesOnly.tsx", "'use client';\nexport type T = number;\n");
    harness_write(dir, "other/copy1/x.js", "'use client';\nexport const x = 1;\n");

    harness_write(dir, "node_modules/react/package.json",
                  "{\"name\":\"react\",\"exports\":{\".\":\"./index.js\","
                  "\"./jsx-runtime\":\"./jsx-runtime.js\"}}");
    harness_write(dir, "node_modules/react/index.js", "export default {};\n");
    harness_write(dir, "node_modules/react/jsx-runtime.js", "export const jsx = 1;\n");
    // cond: different files per side; each pulls in its own client file.
    harness_write(dir, "node_modules/cond/package.json",
                  "{\"name\":\"cond\",\"exports\":{\".\":{\"react-server\":\"./server.js\","
                  "\"browser\":\"./browser.js\",\"default\":\"./browser.js\"}}}");
    harness_write(dir, "node_modules/cond/server.js", "import './server-client.js';\n");
    harness_write(dir, "node_modules/cond/server-client.js", "'use client';\n");
    harness_write(dir, "node_modules/cond/browser.js", "import './browser-client.js';\n");
    harness_write(dir, "node_modules/cond/browser-client.js", "'use client';\n");
    // cond2: only imported by a "use server" file reached from the client
    // side, so only its worker variant may appear.
    harness_write(dir, "node_modules/cond2/package.json",
                  "{\"name\":\"cond2\",\"exports\":{\".\":{\"workerd\":\"./w.js\","
                  "\"browser\":\"./b.js\"}}}");
    harness_write(dir, "node_modules/cond2/w.js", "import './w-client.js';\n");
    harness_write(dir, "node_modules/cond2/w-client.js", "'use client';\n");
    harness_write(dir, "node_modules/cond2/b.js", "import './b-client.js';\n");
    harness_write(dir, "node_modules/cond2/b-client.js", "'use client';\n");
    // pnpm: one file behind two symlinks and a direct path.
    harness_write(dir, "node_modules/.pnpm/pk@1.0.0/node_modules/pk/package.json",
                  "{\"name\":\"pk\",\"main\":\"index.js\"}");
    harness_write(dir, "node_modules/.pnpm/pk@1.0.0/node_modules/pk/index.js", "'use client';\n");
    snprintf(cmd, sizeof cmd,
             "cd '%s' && ln -s .pnpm/pk@1.0.0/node_modules/pk node_modules/pk && "
             "ln -s ../node_modules/.pnpm/pk@1.0.0/node_modules/pk src/vendor && "
             "ln other/copy1/x.js other/copy2-x.js && mkdir -p other/copy2 && "
             "mv other/copy2-x.js other/copy2/x.js",
             dir);
    CHECK_EQ_INT(harness_run(cmd, NULL), 0);
}

static const char *const app_client[] = {
    "/node_modules/.pnpm/pk@1.0.0/node_modules/pk/index.js",
    "/node_modules/cond/browser-client.js",
    "/node_modules/cond/server-client.js",
    "/node_modules/cond2/w-client.js",
    "/other/Chart.tsx",
    "/other/copy1/x.js",
    "/other/copy2/x.js",
    "/src/components/Button.tsx",
};
static const char *const app_server[] = {"/src/actions.ts", "/src/cycle-b.ts"};

/* Script files a correct scan reads: everything under src/ (pre-scan), and
 * what is reachable outside it. */
#define APP_FILES_READ 19

static void write_three(const char *dir)
{
    harness_write(dir, "src/worker.tsx", "import './a';\nimport './b';\nimport 'lib';\n");
    harness_write(dir, "src/a.tsx", "'use client';\nimport './shared';\n");
    harness_write(dir, "src/b.tsx", "'use client';\nimport './shared';\nimport './act';\n");
    harness_write(dir, "src/shared.ts", "export const s = 1;\n");
    harness_write(dir, "src/act.ts", "'use server';\nimport './missing';\n");
    harness_write(dir, "node_modules/lib/package.json", "{\"name\":\"lib\",\"main\":\"i.js\"}");
    harness_write(dir, "node_modules/lib/i.js", "'use client';\n");
}

/* One line per fact of a result, so two scans compare with strcmp. */
static char *describe(const struct dscan *scan)
{
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    struct dscan_stats st;

#define ADD(...) len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, __VA_ARGS__)
    for (size_t i = 0; i < dscan_client_count(scan); i++)
        ADD("client %s\n", dscan_client_at(scan, i));
    for (size_t i = 0; i < dscan_server_count(scan); i++)
        ADD("server %s\n", dscan_server_at(scan, i));
    for (size_t i = 0; i < dscan_unresolved_count(scan); i++) {
        const struct dscan_unresolved *u = dscan_unresolved_at(scan, i);
        ADD("unresolved %s %s %d\n", u->specifier, u->importer, (int)u->env);
    }
    for (size_t i = 0; i < dscan_diagnostic_count(scan); i++) {
        const struct dscan_diagnostic *d = dscan_diagnostic_at(scan, i);
        ADD("diag %s %u:%u %s %s\n", d->path, d->line, d->col, d->code, d->message);
    }
    dscan_get_stats(scan, &st);
    ADD("modules %zu files %zu bytes %llu dup %zu\n", st.modules, st.files_read,
        (unsigned long long)st.bytes_read, st.duplicate_reads);
#undef ADD
    return out;
}

static void check_list(const char *what, size_t n, const char *(*at)(const struct dscan *, size_t),
                       const struct dscan *scan, const char *const *want, size_t n_want)
{
    if (n != n_want) {
        fprintf(stderr, "%s: %zu entries, expected %zu\n", what, n, n_want);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "  got %s\n", at(scan, i));
        harness_failed++;
        return;
    }
    for (size_t i = 0; i < n; i++)
        CHECK_EQ_STR(at(scan, i), want[i]);
}

static struct dscan *scan_dir(const char *dir, unsigned threads, bool keep_edges)
{
    struct dscan_options opts = {.root = dir, .threads = threads, .keep_edges = keep_edges};
    struct dscan *scan = NULL;
    struct dscan_error err = {0};
    enum dscan_status st = dscan_run(&opts, &scan, &err);

    if (st != DSCAN_OK)
        fprintf(stderr, "dscan_run(%s): %s\n", dir, err.message);
    CHECK_EQ_INT(st, DSCAN_OK);
    return scan;
}

/* ---- the app ------------------------------------------------------------- */

TEST(scan_app_client_and_server_lists)
{
    const char *dir = harness_tmpdir();
    struct dscan *scan;

    write_app(dir);
    scan = scan_dir(dir, 2, false);
    if (!scan)
        return;
    // Directive boundary both ways: Button (client) imports actions ("use
    // server"), whose cond2 import resolves with worker conditions (w-client
    // present, b-client absent). cond reached from both sides gives both
    // variants. pk behind two symlinks is one entry; the hard-linked copies
    // at two real paths are two. TypesOnly (import type) is not followed.
    check_list("client", dscan_client_count(scan), dscan_client_at, scan, app_client,
               DS_ARRAY_LEN(app_client));
    check_list("server", dscan_server_count(scan), dscan_server_at, scan, app_server,
               DS_ARRAY_LEN(app_server));
    CHECK_EQ_STR(dscan_root(scan), dir);
    dscan_free(scan);
}

TEST(scan_app_unresolved_queries_builtins_assets)
{
    const char *dir = harness_tmpdir();
    struct dscan *scan;

    write_app(dir);
    scan = scan_dir(dir, 1, false);
    if (!scan)
        return;
    // ?url / ?raw of missing files, node:fs, path: neither scanned nor
    // unresolved. The missing script and the missing .css are unresolved.
    CHECK_EQ_INT(dscan_unresolved_count(scan), 2);
    if (dscan_unresolved_count(scan) == 2) {
        const struct dscan_unresolved *u0 = dscan_unresolved_at(scan, 0);
        const struct dscan_unresolved *u1 = dscan_unresolved_at(scan, 1);
        CHECK_EQ_STR(u0->specifier, "./gone.css");
        CHECK_EQ_STR(u0->importer, "/src/worker.tsx");
        CHECK_EQ_INT(u0->env, DSCAN_ENV_WORKER);
        CHECK_EQ_STR(u1->specifier, "./missing");
    }
    dscan_free(scan);
}

TEST(scan_app_reads_each_script_file_once)
{
    const char *dir = harness_tmpdir();
    struct dscan *scan;
    struct dscan_stats st;

    write_app(dir);
    scan = scan_dir(dir, 4, false);
    if (!scan)
        return;
    dscan_get_stats(scan, &st);
    CHECK_EQ_INT(st.duplicate_reads, 0);
    // Assets (.css .svg .json) are never read; neither is TypesOnly.
    CHECK_EQ_INT(st.files_read, APP_FILES_READ);
    CHECK_EQ_INT(dscan_file_count(scan), APP_FILES_READ);
    for (size_t i = 0; i < dscan_file_count(scan); i++) {
        const char *f = dscan_file_at(scan, i);
        CHECK(strstr(f, ".css") == NULL && strstr(f, ".svg") == NULL &&
              strstr(f, ".json") == NULL && strstr(f, "TypesOnly") == NULL);
        if (i)
            CHECK(strcmp(dscan_file_at(scan, i - 1), f) < 0);
    }
    CHECK(st.bytes_read > 0);
    CHECK(st.modules >= APP_FILES_READ - 1);
    CHECK(st.peak_heap_bytes > 0);
    CHECK(st.peak_rss_kb > 0);
    CHECK_EQ_INT(st.threads, 4);
    dscan_free(scan);
}

TEST(scan_threads_identical_results)
{
    const char *dir = harness_tmpdir();
    char *first = NULL;

    write_app(dir);
    for (unsigned j = 1; j <= 8; j++) {
        struct dscan *scan = scan_dir(dir, j, true);
        if (!scan)
            continue;
        char *d = describe(scan);
        const struct dscan_chain_step *steps;
        size_t n;
        CHECK_EQ_INT(dscan_why(scan, "/node_modules/cond/server-client.js", &steps, &n), DSCAN_OK);
        size_t len = strlen(d);
        for (size_t i = 0; i < n; i++)
            len += (size_t)snprintf(d + len, (1 << 16) - len, "why %s %d\n", steps[i].path,
                                    (int)steps[i].env);
        if (!first)
            first = d;
        else {
            CHECK_EQ_STR(d, first);
            free(d);
        }
        dscan_free(scan);
    }
    free(first);
}

TEST(scan_why_gives_a_shortest_chain)
{
    const char *dir = harness_tmpdir();
    struct dscan *scan;
    const struct dscan_chain_step *steps = NULL;
    size_t n = 0;
    char abs[2048];

    write_app(dir);
    scan = scan_dir(dir, 3, true);
    if (!scan)
        return;
    // actions.ts is a pre-scan root, so the chain starts there, not at the entry.
    CHECK_EQ_INT(dscan_why(scan, "/node_modules/cond2/w-client.js", &steps, &n), DSCAN_OK);
    CHECK_EQ_INT(n, 3);
    if (n == 3) {
        CHECK_EQ_STR(steps[0].path, "/src/actions.ts");
        CHECK_EQ_INT(steps[0].env, DSCAN_ENV_WORKER);
        CHECK_EQ_STR(steps[1].path, "/node_modules/cond2/w.js");
        CHECK_EQ_STR(steps[2].path, "/node_modules/cond2/w-client.js");
        CHECK_EQ_INT(steps[2].env, DSCAN_ENV_WORKER);
    }
    // Chart is only reachable from the entry through the MDX page.
    snprintf(abs, sizeof abs, "%s/other/Chart.tsx", dir);
    CHECK_EQ_INT(dscan_why(scan, abs, &steps, &n), DSCAN_OK);
    CHECK_EQ_INT(n, 4);
    if (n == 4) {
        CHECK_EQ_STR(steps[0].path, "/src/worker.tsx");
        CHECK_EQ_STR(steps[1].path, "/src/Page.tsx");
        CHECK_EQ_STR(steps[2].path, "/src/content/post.mdx");
        CHECK_EQ_STR(steps[3].path, "/other/Chart.tsx");
    }
    CHECK_EQ_INT(dscan_why(scan, "other/Chart.tsx", &steps, &n), DSCAN_OK);
    CHECK_EQ_INT(n, 4);
    CHECK_EQ_INT(dscan_why(scan, "/other/TypesOnly.tsx", &steps, &n), DSCAN_ENOTFOUND);
    dscan_free(scan);

    // Without keep_edges there is nothing to answer with.
    scan = scan_dir(dir, 1, false);
    if (scan)
        CHECK_EQ_INT(dscan_why(scan, "/src/actions.ts", &steps, &n), DSCAN_ENOEDGES);
    dscan_free(scan);
}

TEST(scan_mdx_pulls_jsx_runtime)
{
    const char *dir = harness_tmpdir();
    struct dscan *scan;
    bool found = false;

    write_app(dir);
    scan = scan_dir(dir, 1, false);
    if (!scan)
        return;
    for (size_t i = 0; i < dscan_file_count(scan); i++)
        if (strstr(dscan_file_at(scan, i), "/node_modules/react/jsx-runtime.js"))
            found = true;
    CHECK(found);
    for (size_t i = 0; i < dscan_unresolved_count(scan); i++)
        CHECK(strcmp(dscan_unresolved_at(scan, i)->specifier, "not-followed") != 0);
    dscan_free(scan);
}

TEST(scan_letter_case_mismatch_warns)
{
    const char *dir = harness_tmpdir();
    struct dscan *scan;
    size_t n_case = 0;

    harness_write(dir, "src/worker.ts", "import './Button';\nimport './other';\n");
    harness_write(dir, "src/button.tsx", "'use client';\n");
    harness_write(dir, "src/other.ts", "export {};\n");
    scan = scan_dir(dir, 1, false);
    if (!scan)
        return;
    for (size_t i = 0; i < dscan_diagnostic_count(scan); i++) {
        const struct dscan_diagnostic *d = dscan_diagnostic_at(scan, i);
        if (strcmp(d->code, "case") == 0) {
            n_case++;
            CHECK(strstr(d->path, "/src/worker.ts") != NULL);
            CHECK_EQ_INT(d->line, 1);
            CHECK_EQ_INT(d->col, 8);
            CHECK(strstr(d->message, "./Button") != NULL);
        }
    }
    CHECK_EQ_INT(n_case, 1);
    dscan_free(scan);
}

TEST(scan_entry_with_directive_and_both_envs)
{
    const char *dir = harness_tmpdir();
    struct dscan *scan;
    struct dscan_stats st;

    // shared.ts is reached from the worker entry and from a client file:
    // two modules, one read.
    harness_write(dir, "src/worker.ts", "import './shared';\nimport './c';\n");
    harness_write(dir, "src/c.tsx", "'use client';\nimport './shared';\n");
    harness_write(dir, "src/shared.ts", "import './s2';\n");
    harness_write(dir, "src/s2.ts", "export {};\n");
    scan = scan_dir(dir, 2, false);
    if (!scan)
        return;
    dscan_get_stats(scan, &st);
    CHECK_EQ_INT(st.files_read, 4);
    CHECK_EQ_INT(st.duplicate_reads, 0);
    // worker.ts, c (worker), c (client, pre-scan root), shared and s2 twice.
    CHECK_EQ_INT(st.modules, 7);
    CHECK_EQ_INT(dscan_client_count(scan), 1);
    dscan_free(scan);
}

/* ---- errors and bad input ------------------------------------------------ */

TEST(scan_missing_root_and_entry_fail_naming_them)
{
    const char *dir = harness_tmpdir();
    char root[1024];
    struct dscan *scan = (struct dscan *)1;
    struct dscan_error err = {0};
    const char *entries[] = {"src/nope.ts"};

    snprintf(root, sizeof root, "%s/absent", dir);
    struct dscan_options opts = {.root = root};
    CHECK(dscan_run(&opts, &scan, &err) != DSCAN_OK);
    CHECK(scan == NULL);
    CHECK(strstr(err.message, "absent") != NULL);

    harness_write(dir, "src/worker.ts", "export {};\n");
    opts.root = dir;
    opts.entries = (struct dscan_strings){entries, 1, true};
    scan = (struct dscan *)1;
    CHECK_EQ_INT(dscan_run(&opts, &scan, &err), DSCAN_ENOENT);
    CHECK(scan == NULL);
    CHECK(strstr(err.message, "nope.ts") != NULL);

    // Nothing to scan at all: no entry, no directive file.
    harness_write(dir, "empty/src/x.ts", "export {};\n");
    snprintf(root, sizeof root, "%s/empty", dir);
    struct dscan_options o2 = {.root = root};
    CHECK_EQ_INT(dscan_run(&o2, &scan, &err), DSCAN_ENOENT);
    CHECK(strstr(err.message, "nothing to scan") != NULL);
}

TEST(scan_bad_files_become_diagnostics)
{
    const char *dir = harness_tmpdir();
    struct dscan *scan;
    char cmd[4096];

    harness_write(dir, "src/worker.ts",
                  "import './unterminated';\nimport './binary';\nimport './unreadable';\n"
                  "import './loop';\nimport 'badpkg';\nimport './fifo.js';\n");
    harness_write(dir, "src/unterminated.ts",
                  "'use client';\nconst s = 'abc\nimport './x\n/* open");
    harness_write(dir, "src/binary.js", "\x01\x02\xff\xfe\x80 import \xc3(");
    harness_write(dir, "src/unreadable.ts", "export {};\n");
    harness_write(dir, "node_modules/badpkg/package.json", "{ not json");
    harness_write(dir, "node_modules/badpkg/index.js", "export {};\n");
    snprintf(cmd, sizeof cmd,
             "cd '%s/src' && chmod 000 unreadable.ts && ln -s loop.ts loop2.ts && "
             "ln -s loop2.ts loop.ts && mkfifo fifo.js",
             dir);
    CHECK_EQ_INT(harness_run(cmd, NULL), 0);
    scan = scan_dir(dir, 2, false);
    if (!scan)
        return;
    // The directive before the unterminated string still counts; every other
    // problem is a warning or an unresolved import, never a failed scan.
    CHECK_EQ_INT(dscan_client_count(scan), 1);
    CHECK(dscan_diagnostic_count(scan) + dscan_unresolved_count(scan) >= 2);
    dscan_free(scan);
}

/* ---- allocation failure ---------------------------------------------------- */

TEST(scan_oom_every_allocation)
{
    const char *dir = harness_tmpdir();
    struct harness_failing f;
    struct dscan_allocator alloc = harness_failing_allocator(&f);
    char *want = NULL;

    write_three(dir);
    {
        struct dscan *scan = scan_dir(dir, 2, true);
        if (!scan)
            return;
        want = describe(scan);
        dscan_free(scan);
    }
    atomic_init(&f.count, 0);
    atomic_init(&f.fail_at, 0);
    // The loop must end in a clean run (one that finished before its fault),
    // which proves every allocation before it was made to fail once.
    bool clean = false;
    unsigned long oom_runs = 0;
    for (unsigned long k = 1; k < 100000; k++) {
        struct dscan_options opts = {
            .root = dir, .alloc = &alloc, .threads = 2, .keep_edges = true};
        struct dscan *scan = (struct dscan *)1;
        struct dscan_error err = {0};

        atomic_store(&f.count, 0);
        atomic_store(&f.fail_at, k);
        enum dscan_status st = dscan_run(&opts, &scan, &err);
        if (st == DSCAN_OK) {
            char *got = describe(scan);
            CHECK_EQ_STR(got, want);
            free(got);
            dscan_free(scan);
            if (atomic_load(&f.count) < k) {
                clean = true;
                break; // finished before its fault: every step was tried
            }
            continue;
        }
        oom_runs++;
        CHECK_EQ_STATUS(st, DSCAN_ENOMEM);
        CHECK(scan == NULL);
        if (st != DSCAN_ENOMEM) {
            fprintf(stderr, "fail_at=%lu: %s\n", k, err.message);
            break;
        }
    }
    CHECK(clean);
    CHECK(oom_runs > 10);
    free(want);
}

TEST(scan_memory_limit_every_size)
{
    const char *dir = harness_tmpdir();
    struct dscan_stats st;
    char *want;
    size_t peak;

    write_three(dir);
    struct dscan *scan = scan_dir(dir, 1, false);
    if (!scan)
        return;
    want = describe(scan);
    dscan_get_stats(scan, &st);
    peak = st.peak_heap_bytes;
    dscan_free(scan);
    for (size_t limit = 1; limit < 2 * peak; limit += limit < 4096 ? 512 : peak / 64 + 1) {
        struct dscan_options opts = {.root = dir, .memory_limit = limit, .threads = 2};
        struct dscan_error err = {0};
        scan = (struct dscan *)1;
        enum dscan_status s = dscan_run(&opts, &scan, &err);
        if (s == DSCAN_OK) {
            char *got = describe(scan);
            CHECK_EQ_STR(got, want);
            free(got);
            dscan_free(scan);
        } else {
            CHECK_EQ_INT(s, DSCAN_ENOMEM);
            CHECK(scan == NULL);
        }
    }
    free(want);
}

/* ---- helpers --------------------------------------------------------------- */

TEST(scan_normalize_paths)
{
    struct ds_alloc a;
    struct ds_arena ar;

    ds_alloc_init(&a, NULL, 0);
    ds_arena_init(&ar, &a, 0);
    CHECK_EQ_STR(ds_scan_normalize(&ar, DS_STR("/p/app"), DS_STR("/p/app/src/a.tsx")),
                 "/src/a.tsx");
    CHECK_EQ_STR(ds_scan_normalize(&ar, DS_STR("/p/app"), DS_STR("/p/app2/x.js")), "/p/app2/x.js");
    CHECK_EQ_STR(ds_scan_normalize(&ar, DS_STR("/p/app"), DS_STR("/q/x.js")), "/q/x.js");
    CHECK_EQ_STR(ds_scan_normalize(&ar, DS_STR("/"), DS_STR("/q/x.js")), "/q/x.js");
    ds_arena_release(&ar);
}

TEST(scan_skip_query)
{
    CHECK(ds_spec_skip_query(DS_STR("./a.svg?url")));
    CHECK(ds_spec_skip_query(DS_STR("./a.txt?raw")));
    CHECK(ds_spec_skip_query(DS_STR("./w.js?worker&inline")));
    CHECK(ds_spec_skip_query(DS_STR("./w.js?sharedworker")));
    CHECK(ds_spec_skip_query(DS_STR("./a.css?inline")));
    CHECK(ds_spec_skip_query(DS_STR("./a.css?v=1&url")));
    CHECK(!ds_spec_skip_query(DS_STR("./a.js")));
    CHECK(!ds_spec_skip_query(DS_STR("./a.js?v=1")));
    CHECK(!ds_spec_skip_query(DS_STR("./a.js?urls")));
    CHECK(!ds_spec_skip_query(DS_STR("./a.js#url")));
}

TEST(scan_import_kinds_pick_import_or_require)
{
    const char *dir = harness_tmpdir();
    struct dscan *scan;

    // require() takes the "require" branch of exports, import()/export-from
    // the "import" one; each branch leads to its own client file.
    harness_write(dir, "src/worker.ts",
                  "const a = require('dual');\n"
                  "export { b } from 'dual2';\n"
                  "const c = () => import(`dual3`);\n");
    harness_write(
        dir, "node_modules/dual/package.json",
        "{\"name\":\"dual\",\"exports\":{\"import\":\"./esm.js\",\"require\":\"./cjs.cjs\"}}");
    harness_write(dir, "node_modules/dual/esm.js", "'use client';\n");
    harness_write(dir, "node_modules/dual/cjs.cjs", "'use client';\n");
    harness_write(
        dir, "node_modules/dual2/package.json",
        "{\"name\":\"dual2\",\"exports\":{\"require\":\"./cjs.cjs\",\"import\":\"./esm.js\"}}");
    harness_write(dir, "node_modules/dual2/esm.js", "'use client';\n");
    harness_write(dir, "node_modules/dual2/cjs.cjs", "'use client';\n");
    harness_write(
        dir, "node_modules/dual3/package.json",
        "{\"name\":\"dual3\",\"exports\":{\"require\":\"./cjs.cjs\",\"default\":\"./esm.js\"}}");
    harness_write(dir, "node_modules/dual3/esm.js", "'use client';\n");
    harness_write(dir, "node_modules/dual3/cjs.cjs", "'use client';\n");
    scan = scan_dir(dir, 2, false);
    if (!scan)
        return;
    static const char *const want[] = {"/node_modules/dual/cjs.cjs", "/node_modules/dual2/esm.js",
                                       "/node_modules/dual3/esm.js"};
    check_list("client", dscan_client_count(scan), dscan_client_at, scan, want, DS_ARRAY_LEN(want));
    dscan_free(scan);
}

struct events {
    int n_tick, n_done;
    double last_t;
    bool ordered;
    struct dscan_event done;
};

static void record_event(void *ctx, const struct dscan_event *ev)
{
    struct events *e = ctx;

    if (ev->t_s < e->last_t)
        e->ordered = false;
    e->last_t = ev->t_s;
    if (ev->kind == DSCAN_EVENT_TICK)
        e->n_tick++;
    else {
        e->n_done++;
        e->done = *ev;
    }
}

TEST(scan_events_end_with_done)
{
    const char *dir = harness_tmpdir();
    struct events e = {.ordered = true};
    struct dscan_options opts = {
        .root = dir, .on_event = record_event, .event_ctx = &e, .tick_ms = 1};
    struct dscan *scan = NULL;
    struct dscan_error err;
    struct dscan_stats st;

    write_app(dir);
    CHECK_EQ_INT(dscan_run(&opts, &scan, &err), DSCAN_OK);
    if (!scan)
        return;
    dscan_get_stats(scan, &st);
    CHECK_EQ_INT(e.n_done, 1);
    CHECK(e.ordered);
    CHECK_EQ_INT(e.done.modules, st.modules);
    CHECK_EQ_INT(e.done.files_read, st.files_read);
    CHECK_EQ_INT(e.done.bytes_read, st.bytes_read);
    // The portable backend knows only the peak (getrusage), sys.h.
    CHECK(e.done.peak_rss_kb > 0 && e.done.peak_rss_kb >= e.done.rss_kb);
    CHECK(e.done.rss_kb > 0 || strcmp(ds_sys_default()->name, "linux") != 0);
    dscan_free(scan);
}

TEST(scan_mode_and_config)
{
    const char *dir = harness_tmpdir();
    struct dscan *scan = NULL;
    struct dscan_error err;

    // dscan.json names the entry and srcDir; the mode picks the condition.
    harness_write(dir, "dscan.json", "{\"entries\": [\"app/main.ts\"], \"srcDir\": \"app\"}");
    harness_write(dir, "app/main.ts", "import 'moded';\n");
    harness_write(dir, "app/root.tsx", "'use server';\n");
    harness_write(dir, "src/ignored.tsx", "'use client';\n");
    harness_write(dir, "node_modules/moded/package.json",
                  "{\"name\":\"moded\",\"exports\":{\"development\":\"./dev.js\","
                  "\"production\":\"./prod.js\"}}");
    harness_write(dir, "node_modules/moded/dev.js", "'use client';\n");
    harness_write(dir, "node_modules/moded/prod.js", "'use client';\n");

    struct dscan_options opts = {.root = dir};
    CHECK_EQ_INT(dscan_run(&opts, &scan, &err), DSCAN_OK);
    if (scan) {
        CHECK_EQ_INT(dscan_client_count(scan), 1);
        CHECK_EQ_STR(dscan_client_at(scan, 0), "/node_modules/moded/prod.js");
        CHECK_EQ_INT(dscan_server_count(scan), 1);
        CHECK_EQ_STR(dscan_server_at(scan, 0), "/app/root.tsx");
        dscan_free(scan);
    }
    opts.mode = DSCAN_MODE_DEVELOPMENT;
    opts.no_prescan = true;
    CHECK_EQ_INT(dscan_run(&opts, &scan, &err), DSCAN_OK);
    if (scan) {
        CHECK_EQ_INT(dscan_client_count(scan), 1);
        CHECK_EQ_STR(dscan_client_at(scan, 0), "/node_modules/moded/dev.js");
        CHECK_EQ_INT(dscan_server_count(scan), 0);
        dscan_free(scan);
    }
}

struct concurrent {
    const char *dir;
    char *desc;
};

static void *run_one(void *arg)
{
    struct concurrent *c = arg;
    struct dscan_options opts = {.root = c->dir, .threads = 2};
    struct dscan *scan = NULL;
    struct dscan_error err;

    if (dscan_run(&opts, &scan, &err) == DSCAN_OK) {
        c->desc = describe(scan);
        dscan_free(scan);
    }
    return NULL;
}

TEST(scan_threads_concurrent_runs_share_nothing)
{
    // SPEC §5: no global state, so two scans at once in one process agree.
    const char *dir = harness_tmpdir();
    struct concurrent c[3] = {{dir, NULL}, {dir, NULL}, {dir, NULL}};
    pthread_t t[3];

    write_app(dir);
    for (int i = 0; i < 3; i++)
        CHECK_EQ_INT(pthread_create(&t[i], NULL, run_one, &c[i]), 0);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    CHECK(c[0].desc && c[1].desc && c[2].desc);
    if (c[0].desc && c[1].desc && c[2].desc) {
        CHECK_EQ_STR(c[0].desc, c[1].desc);
        CHECK_EQ_STR(c[0].desc, c[2].desc);
    }
    for (int i = 0; i < 3; i++)
        free(c[i].desc);
}
