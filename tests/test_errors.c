/* struct dscan_error holds 512 bytes, and a path may hold 4,096: the reason
 * must survive, so the path is shortened, not the message's end (issue 16). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "diag.h"
#include "harness.h"

static char *long_path(size_t len, char fill)
{
    char *p = malloc(len + 1);
    for (size_t i = 0; i < len; i++)
        p[i] = i % 100 == 0 ? '/' : fill;
    memcpy(p + len - 9, "/file.tsx", 9);
    p[len] = '\0';
    return p;
}

TEST(error_long_path_keeps_reason)
{
    struct dscan_error err = {0};
    char *p = long_path(4000, 'a');

    ds_error_set(&err, DS_ECONFIG, 0, "cannot read config '%s': %s at %u:%u", p,
                 "expected ',' or '}'", 3u, 7u);
    CHECK(strlen(err.message) < sizeof err.message);
    size_t n = strlen(err.message);
    const char *tail = "/file.tsx': expected ',' or '}' at 3:7";
    CHECK(n > strlen(tail) && !strcmp(err.message + n - strlen(tail), tail));
    CHECK(!strncmp(err.message, "cannot read config '/aaaa", 25));
    CHECK(strstr(err.message, "...") != NULL);
    CHECK_EQ_STATUS(err.status, DSCAN_ECONFIG);

    // Two long paths: both are shortened, the reason stays.
    char *q = long_path(4000, 'b');
    ds_error_set(&err, DS_ENOTFOUND, 0, "cannot resolve '%s' from '%s': %s", q, p, "no such file");
    n = strlen(err.message);
    CHECK(n < sizeof err.message);
    tail = "/file.tsx': no such file";
    CHECK(n > strlen(tail) && !strcmp(err.message + n - strlen(tail), tail));
    CHECK(strstr(err.message, "' from '") != NULL);

    // A short message is kept as it is.
    ds_error_set(&err, DS_ENOENT, 0, "cannot scan '%s': %s", "/x", "No such file or directory");
    CHECK_EQ_STR(err.message, "cannot scan '/x': No such file or directory");

    // Multi-byte characters are not split.
    char *u = malloc(4000 * 2 + 1);
    for (size_t i = 0; i < 4000; i++)
        memcpy(u + 2 * i, "\xc3\xa9", 2);
    u[8000] = '\0';
    ds_error_set(&err, DS_EIO, 0, "cannot read '%s': %s", u, "Permission denied");
    n = strlen(err.message);
    CHECK(n < sizeof err.message);
    for (size_t i = 0; i + 1 < n; i++)
        if ((unsigned char)err.message[i] == 0xc3)
            CHECK((unsigned char)err.message[i + 1] == 0xa9);
    CHECK(strstr(err.message, "': Permission denied") != NULL);
    free(u);
    free(q);
    free(p);
}

TEST(error_long_root_through_the_api)
{
    // A missing ROOT of ~4,000 bytes: the message still says why.
    char *p = long_path(4000, 'c');
    struct dscan_options opts = {.root = p};
    struct dscan *s = NULL;
    struct dscan_error err = {0};

    CHECK(dscan_run(&opts, &s, &err) != DSCAN_OK);
    CHECK(s == NULL);
    size_t n = strlen(err.message);
    const char *why = strerror(ENAMETOOLONG);
    const char *why2 = strerror(ENOENT);
    CHECK((n > strlen(why) && !strcmp(err.message + n - strlen(why), why)) ||
          (n > strlen(why2) && !strcmp(err.message + n - strlen(why2), why2)));
    CHECK(!strncmp(err.message, "cannot scan '/ccc", 17));
    free(p);
}
