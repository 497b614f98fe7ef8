/* The test harness: TEST() registers a function, CHECK* macros print both
 * sides of a failed comparison ("3 != 4" finds a bug faster than "check
 * failed"), and main() ends with the line CI reads: "N passed, N failed".
 * Tests run from the repository root; DSCAN_BIN names the dscan binary. */
#ifndef DS_TEST_HARNESS_H
#define DS_TEST_HARNESS_H

#include <inttypes.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dscan.h"

extern int harness_failed; /* checks failed in the running test */

void harness_register(const char *name, void (*fn)(void));

#define TEST(name)                                                 \
    static void test_##name(void);                                 \
    __attribute__((constructor)) static void register_##name(void) \
    {                                                              \
        harness_register(#name, test_##name);                      \
    }                                                              \
    static void test_##name(void)

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            harness_failed++;                                                        \
        }                                                                            \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                                         \
    do {                                                                                           \
        intmax_t a_ = (intmax_t)(a), b_ = (intmax_t)(b);                                           \
        if (a_ != b_) {                                                                            \
            fprintf(stderr, "%s:%d: %s == %s (%jd != %jd)\n", __FILE__, __LINE__, #a, #b, a_, b_); \
            harness_failed++;                                                                      \
        }                                                                                          \
    } while (0)

#define CHECK_EQ_STR(a, b)                                                                      \
    do {                                                                                        \
        const char *a_ = (a), *b_ = (b);                                                        \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                                \
            fprintf(stderr, "%s:%d: %s == %s (\"%s\" != \"%s\")\n", __FILE__, __LINE__, #a, #b, \
                    a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                    \
            harness_failed++;                                                                   \
        }                                                                                       \
    } while (0)

/* Sizes and counts: compared as uintmax_t, so a size_t above INTMAX_MAX (or
 * SIZE_MAX itself) is neither truncated nor printed negative. */
#define CHECK_EQ_SIZE(a, b)                                                                        \
    do {                                                                                           \
        uintmax_t a_ = (uintmax_t)(a), b_ = (uintmax_t)(b);                                        \
        if (a_ != b_) {                                                                            \
            fprintf(stderr, "%s:%d: %s == %s (%ju != %ju)\n", __FILE__, __LINE__, #a, #b, a_, b_); \
            harness_failed++;                                                                      \
        }                                                                                          \
    } while (0)

/* Status codes by name: "ENOMEM != OK" instead of "7 != 0". */
#define CHECK_EQ_STATUS(a, b)                                                           \
    do {                                                                                \
        enum dscan_status a_ = (enum dscan_status)(a), b_ = (enum dscan_status)(b);     \
        if (a_ != b_) {                                                                 \
            fprintf(stderr, "%s:%d: %s == %s (%s != %s)\n", __FILE__, __LINE__, #a, #b, \
                    dscan_status_name(a_), dscan_status_name(b_));                      \
            harness_failed++;                                                           \
        }                                                                               \
    } while (0)

/* An allocator that fails its fail_at-th call (malloc and realloc counted
 * together; 0 never fails), for the allocation-failure loops (SQLite's
 * faultsim, curl's -t): set fail_at = 1, 2, 3 … and reset count before each
 * run. Atomic, because a scan allocates from several threads. */
struct harness_failing {
    atomic_ulong count, fail_at;
};
struct dscan_allocator harness_failing_allocator(struct harness_failing *f);

/* A fresh empty directory under $TMPDIR (removed at exit unless
 * DSCAN_KEEP_TMP is set). The returned string lives until exit. */
const char *harness_tmpdir(void);
/* Writes `content` to dir/rel, creating parent directories. */
void harness_write(const char *dir, const char *rel, const char *content);
void harness_mkdirs(const char *path);
/* Runs a shell command; returns its exit status and, when out is not NULL,
 * its stdout (malloc'd, NUL-terminated). */
int harness_run(const char *cmd, char **out);
/* The dscan binary under test (DSCAN_BIN, default build/dscan). */
const char *harness_dscan(void);

#endif
