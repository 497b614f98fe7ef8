/* Test runner: runs every registered test (or those whose name contains
 * $DSCAN_TEST_FILTER) in registration order and prints the closing line. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

int harness_failed;

struct test {
    const char *name;
    void (*fn)(void);
};

static struct test tests[1024];
static int n_tests;
static char *tmpdirs[256];
static int n_tmpdirs;

void harness_register(const char *name, void (*fn)(void))
{
    if (n_tests < (int)(sizeof tests / sizeof tests[0]))
        tests[n_tests++] = (struct test){name, fn};
}

static void cleanup_tmpdirs(void)
{
    if (getenv("DSCAN_KEEP_TMP"))
        return;
    for (int i = 0; i < n_tmpdirs; i++) {
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", tmpdirs[i],
                 tmpdirs[i]);
        if (system(cmd) != 0)
            fprintf(stderr, "warning: cannot remove %s\n", tmpdirs[i]);
        free(tmpdirs[i]);
    }
}

static void *failing_malloc(void *ctx, size_t n)
{
    struct harness_failing *f = ctx;
    return atomic_fetch_add(&f->count, 1) + 1 == atomic_load(&f->fail_at) ? NULL : malloc(n);
}

static void *failing_realloc(void *ctx, void *p, size_t n)
{
    struct harness_failing *f = ctx;
    return atomic_fetch_add(&f->count, 1) + 1 == atomic_load(&f->fail_at) ? NULL : realloc(p, n);
}

static void failing_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

struct dscan_allocator harness_failing_allocator(struct harness_failing *f)
{
    return (struct dscan_allocator){failing_malloc, failing_realloc, failing_free, f};
}

const char *harness_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];

    snprintf(tmpl, sizeof tmpl, "%s/dscan-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpl)) {
        perror("mkdtemp");
        exit(2);
    }
    // Tests compare real paths: resolve /tmp itself in case it is a symlink.
    char *real = realpath(tmpl, NULL);
    if (!real || n_tmpdirs == (int)(sizeof tmpdirs / sizeof tmpdirs[0])) {
        fprintf(stderr, "cannot create a test directory\n");
        exit(2);
    }
    if (n_tmpdirs == 0)
        atexit(cleanup_tmpdirs);
    tmpdirs[n_tmpdirs++] = real;
    return real;
}

void harness_mkdirs(const char *path)
{
    char buf[4096];
    size_t len = strlen(path);

    if (len >= sizeof buf)
        exit(2);
    memcpy(buf, path, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
                fprintf(stderr, "mkdir %s: %s\n", buf, strerror(errno));
                exit(2);
            }
            buf[i] = c;
        }
    }
}

void harness_write(const char *dir, const char *rel, const char *content)
{
    char path[4096];

    snprintf(path, sizeof path, "%s/%s", dir, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    harness_mkdirs(path);
    *slash = '/';
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(content, 1, strlen(content), f) != strlen(content) || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
}

int harness_run(const char *cmd, char **out)
{
    FILE *p = popen(cmd, "r");
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);

    if (!p || !buf)
        exit(2);
    for (;;) {
        if (cap - len < 4096) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf)
                exit(2);
        }
        size_t n = fread(buf + len, 1, cap - len - 1, p);
        if (n == 0)
            break;
        len += n;
    }
    buf[len] = '\0';
    int status = pclose(p);
    if (out)
        *out = buf;
    else
        free(buf);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

const char *harness_dscan(void)
{
    const char *bin = getenv("DSCAN_BIN");
    return bin && *bin ? bin : "build/dscan";
}

int main(void)
{
    const char *filter = getenv("DSCAN_TEST_FILTER");
    int passed = 0, failed = 0;

    for (int i = 0; i < n_tests; i++) {
        if (filter && *filter && !strstr(tests[i].name, filter))
            continue;
        harness_failed = 0;
        tests[i].fn();
        if (harness_failed) {
            fprintf(stderr, "FAIL %s\n", tests[i].name);
            failed++;
        } else {
            passed++;
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
