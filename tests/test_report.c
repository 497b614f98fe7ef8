/* Reports on a finished scan (SPEC §5a) through the library: dscan diff's
 * comparison. tests/cli/test_diff.sh and test_report.sh check the same
 * from the command line. */
#include <stdlib.h>

#include "harness.h"

static void write_results(const char *dir)
{
    harness_write(dir, "a.json",
                  "{\"root\": \"/x\", \"client\": [\"/src/a.tsx\", \"/src/c.tsx\"],\n"
                  " \"server\": [\"/src/b.ts\"], \"unresolved\": [], \"stats\": {}}");
    harness_write(dir, "b.json",
                  "{\"client\": [\"/src/a.tsx\", \"/src/d.tsx\"], \"server\": [\"/src/c.tsx\"]}");
}

TEST(diff_lists_added_removed_moved_by_path)
{
    const char *dir = harness_tmpdir();
    char a[4096], b[4096];
    struct dscan_diff *d = NULL;
    struct dscan_error err = {0};

    write_results(dir);
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(b, sizeof b, "%s/b.json", dir);
    CHECK_EQ_INT(dscan_diff_files(a, b, NULL, &d, &err), DSCAN_OK);
    CHECK_EQ_INT(dscan_diff_count(d), 3);
    if (dscan_diff_count(d) == 3) {
        CHECK_EQ_STR(dscan_diff_at(d, 0)->path, "/src/b.ts");
        CHECK_EQ_INT(dscan_diff_at(d, 0)->from, DSCAN_LIST_SERVER);
        CHECK_EQ_INT(dscan_diff_at(d, 0)->to, DSCAN_LIST_NONE);
        CHECK_EQ_STR(dscan_diff_at(d, 1)->path, "/src/c.tsx");
        CHECK_EQ_INT(dscan_diff_at(d, 1)->from, DSCAN_LIST_CLIENT);
        CHECK_EQ_INT(dscan_diff_at(d, 1)->to, DSCAN_LIST_SERVER);
        CHECK_EQ_STR(dscan_diff_at(d, 2)->path, "/src/d.tsx");
        CHECK_EQ_INT(dscan_diff_at(d, 2)->from, DSCAN_LIST_NONE);
        CHECK_EQ_INT(dscan_diff_at(d, 2)->to, DSCAN_LIST_CLIENT);
    }
    CHECK(dscan_diff_at(d, 3) == NULL);
    dscan_diff_free(d);
    dscan_diff_free(NULL);
}

TEST(diff_bad_input_is_an_error_naming_the_file)
{
    const char *dir = harness_tmpdir();
    char a[4096], bad[4096];
    struct dscan_diff *d = NULL;
    struct dscan_error err = {0};

    write_results(dir);
    harness_write(dir, "bad.json", "{\"client\": [\"/a\"], \"server\": {}}");
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(bad, sizeof bad, "%s/bad.json", dir);
    CHECK_EQ_INT(dscan_diff_files(a, bad, NULL, &d, &err), DSCAN_EPARSE);
    CHECK(d == NULL);
    CHECK(strstr(err.message, bad) != NULL);
    CHECK(strstr(err.message, "\"server\" must be a list") != NULL);
}

TEST(diff_oom_every_allocation)
{
    const char *dir = harness_tmpdir();
    char a[4096], b[4096];
    struct harness_failing f = {0};
    struct dscan_allocator alloc = harness_failing_allocator(&f);
    bool reached_success = false;

    write_results(dir);
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(b, sizeof b, "%s/b.json", dir);
    // Fail the 1st, 2nd … allocation; each failure is ENOMEM and leaks
    // nothing (LeakSanitizer under make asan); the loop must reach the run
    // that completes, or it stopped covering anything.
    for (unsigned long k = 1; k < 10000 && !reached_success; k++) {
        struct dscan_diff *d = NULL;
        struct dscan_error err = {0};
        atomic_store(&f.count, 0);
        atomic_store(&f.fail_at, k);
        enum dscan_status st = dscan_diff_files(a, b, &alloc, &d, &err);
        if (st == DSCAN_OK) {
            CHECK_EQ_INT(dscan_diff_count(d), 3);
            reached_success = atomic_load(&f.count) < k;
            dscan_diff_free(d);
            CHECK(reached_success);
            break;
        }
        CHECK_EQ_INT(st, DSCAN_ENOMEM);
        CHECK(d == NULL);
    }
    CHECK(reached_success);
}

/* A project with the app, one package with a nested name-less package.json
 * (as dist/esm/package.json files are), and a package outside any name. */
static const char *report_project(void)
{
    const char *dir = harness_tmpdir();

    harness_write(dir, "package.json", "{\"name\": \"my-app\", \"version\": \"1.0.0\"}");
    harness_write(dir, "src/worker.tsx", "import './ui';\nimport { a } from 'kit';\n");
    harness_write(dir, "src/ui.tsx", "'use client';\nimport { go } from './act';\n");
    harness_write(dir, "src/act.ts", "'use server';\nexport async function go() {}\n");
    harness_write(dir, "node_modules/kit/package.json",
                  "{\"name\": \"kit\", \"version\": \"3.1.0\", \"main\": \"dist/esm/index.js\"}");
    harness_write(dir, "node_modules/kit/dist/esm/package.json", "{\"type\": \"module\"}");
    harness_write(dir, "node_modules/kit/dist/esm/index.js",
                  "export { a } from './a.js';\nexport { b } from './b.js';\n");
    harness_write(dir, "node_modules/kit/dist/esm/a.js", "'use client';\nexport const a = 1;\n");
    harness_write(dir, "node_modules/kit/dist/esm/b.js", "export const b = 1;\n");
    return dir;
}

TEST(report_packages_lists_and_why_steps)
{
    const char *dir = report_project();
    struct dscan_options opts = {.root = dir, .report = true};
    struct dscan *scan = NULL;
    struct dscan_error err = {0};
    struct dscan_stats st;

    CHECK_EQ_INT(dscan_run(&opts, &scan, &err), DSCAN_OK);
    if (!scan)
        return;
    dscan_get_stats(scan, &st);
    CHECK_EQ_INT(dscan_package_count(scan), 2);
    const struct dscan_package *app = dscan_package_at(scan, 0), *kit = dscan_package_at(scan, 1);
    if (app && kit) {
        CHECK_EQ_STR(app->name, "(app)");
        CHECK_EQ_STR(app->version, "1.0.0");
        CHECK_EQ_INT(app->files, 3);
        CHECK_EQ_INT(app->client, 1);
        CHECK_EQ_INT(app->server, 1);
        // The nested dist/esm/package.json names nothing: kit's own counts.
        CHECK_EQ_STR(kit->name, "kit");
        CHECK_EQ_STR(kit->version, "3.1.0");
        CHECK_EQ_INT(kit->files, 3);
        CHECK_EQ_INT(kit->client, 1);
        CHECK_EQ_INT(app->files + kit->files, st.files_read);
    }
    CHECK(dscan_package_at(scan, 2) == NULL);
    // Each package's file nearest a root: kit's index (one import away);
    // the app's roots tie at 0, the first path wins.
    CHECK_EQ_STR(dscan_package_nearest(scan, 1), "/node_modules/kit/dist/esm/index.js");
    CHECK_EQ_STR(dscan_package_nearest(scan, 0), "/src/act.ts");
    CHECK(dscan_package_nearest(scan, 2) == NULL);
    // The lists' packages: client = [a.js (kit), ui.tsx (app)].
    CHECK_EQ_INT(dscan_client_count(scan), 2);
    CHECK_EQ_INT(dscan_client_package(scan, 0), 1);
    CHECK_EQ_INT(dscan_client_package(scan, 1), 0);
    CHECK_EQ_INT(dscan_server_package(scan, 0), 0);
    CHECK_EQ_INT(dscan_barrel_count(scan), 0); // 2 files is no fan-out

    const struct dscan_chain_step *steps;
    size_t n;
    CHECK_EQ_INT(dscan_why(scan, "/node_modules/kit/dist/esm/a.js", &steps, &n), DSCAN_OK);
    CHECK_EQ_INT(n, 3);
    if (n == 3) {
        CHECK_EQ_STR(steps[0].path, "/src/worker.tsx");
        CHECK_EQ_INT(steps[0].root, DSCAN_ROOT_ENTRY);
        CHECK(steps[0].specifier == NULL);
        CHECK_EQ_STR(steps[1].specifier, "kit");
        CHECK_EQ_INT(steps[1].line, 2);
        CHECK_EQ_INT(steps[1].root, DSCAN_ROOT_NONE);
        CHECK_EQ_STR(steps[2].specifier, "./a.js");
        CHECK_EQ_INT(steps[2].env, DSCAN_ENV_WORKER);
    }
    CHECK_EQ_INT(dscan_why(scan, "/src/act.ts", &steps, &n), DSCAN_OK);
    CHECK_EQ_INT(n, 1); // a pre-scan root is its own chain
    if (n == 1)
        CHECK_EQ_INT(steps[0].root, DSCAN_ROOT_PRESCAN);
    dscan_free(scan);
}

TEST(report_without_the_option_is_empty)
{
    const char *dir = report_project();
    struct dscan_options opts = {.root = dir};
    struct dscan *scan = NULL;

    CHECK_EQ_INT(dscan_run(&opts, &scan, NULL), DSCAN_OK);
    CHECK_EQ_INT(dscan_package_count(scan), 0);
    CHECK(dscan_package_at(scan, 0) == NULL);
    CHECK_EQ_INT(dscan_client_package(scan, 0), SIZE_MAX);
    CHECK(dscan_package_nearest(scan, 0) == NULL);
    CHECK_EQ_INT(dscan_barrel_count(scan), 0);
    dscan_free(scan);
}

TEST(report_oom_every_allocation)
{
    const char *dir = report_project();
    struct harness_failing f = {0};
    struct dscan_allocator alloc = harness_failing_allocator(&f);
    struct dscan_options opts = {.root = dir, .report = true, .threads = 1, .alloc = &alloc};
    bool reached_success = false;

    // Each failure is ENOMEM with no leak (LeakSanitizer in make asan), and
    // the loop must reach the run that completes.
    for (unsigned long k = 1; k < 100000 && !reached_success; k++) {
        struct dscan *scan = NULL;
        atomic_store(&f.count, 0);
        atomic_store(&f.fail_at, k);
        enum dscan_status st = dscan_run(&opts, &scan, NULL);
        if (st == DSCAN_OK) {
            reached_success = atomic_load(&f.count) < k;
            if (reached_success)
                CHECK_EQ_INT(dscan_package_count(scan), 2);
            dscan_free(scan);
            continue;
        }
        CHECK_EQ_INT(st, DSCAN_ENOMEM);
        CHECK(scan == NULL);
    }
    CHECK(reached_success);
}

TEST(report_package_manifests_of_every_shape)
{
    const char *dir = harness_tmpdir();
    struct dscan_options opts = {.root = dir, .report = true};
    struct dscan *scan = NULL;

    harness_write(dir, "src/worker.tsx", "import 'esc';\nimport 'brace';\nimport 'late';\n");
    // An escape in the name: read by the full parser.
    harness_write(dir, "node_modules/esc/package.json",
                  "{\"name\": \"@sc\\/esc\", \"version\": \"1.0.0\", \"main\": \"i.js\"}");
    harness_write(dir, "node_modules/esc/i.js", "export default 1;\n");
    // Brackets and quotes inside nested strings, name and version after them.
    harness_write(dir, "node_modules/brace/package.json",
                  "{\"exports\": {\".\": {\"import\": \"./i.js\", \"x\": \"}]{[\\\"\"}},\n"
                  " \"sideEffects\": [\"*.css\"], \"name\": \"brace\", \"version\": \"2.0.0\"}");
    harness_write(dir, "node_modules/brace/i.js", "export default 1;\n");
    // Duplicate keys: the last wins, as in JSON.parse.
    harness_write(dir, "node_modules/late/package.json",
                  "{\"name\": \"first\", \"main\": \"i.js\", \"version\": 3, \"name\": \"late\"}");
    harness_write(dir, "node_modules/late/i.js", "export default 1;\n");
    CHECK_EQ_INT(dscan_run(&opts, &scan, NULL), DSCAN_OK);
    if (!scan)
        return;
    bool esc = false, brace = false, late = false;
    for (size_t i = 0; i < dscan_package_count(scan); i++) {
        const struct dscan_package *p = dscan_package_at(scan, i);
        esc |= !strcmp(p->name, "@sc/esc") && !strcmp(p->version, "1.0.0");
        brace |= !strcmp(p->name, "brace") && !strcmp(p->version, "2.0.0");
        late |= !strcmp(p->name, "late") && !strcmp(p->version, "");
    }
    CHECK(esc);
    CHECK(brace);
    CHECK(late);
    CHECK_EQ_INT(dscan_package_count(scan), 4);
    dscan_free(scan);
}
