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
