/* Public API consistency (issue 10 item 5): every function that writes an
 * out parameter refuses a NULL one with DSCAN_EINVAL (or, for void
 * functions, does nothing); NULL options mean the defaults everywhere;
 * dscan_why without edges says why; the scan handle itself is counted by
 * the allocator and its memory limit. */
#include <pthread.h>
#include <stdlib.h>

#include "harness.h"
#include "scan.h"
#include "scan_int.h"
#include "sys_mem.h"

static struct ds_sys_mem *small_app(struct ds_alloc *a)
{
    struct ds_sys_mem *m;
    if (ds_sys_mem_new(a, &m) != DS_OK ||
        ds_sys_mem_file(m, "/app/src/worker.tsx", "import './b';\n") != DS_OK ||
        ds_sys_mem_file(m, "/app/src/b.tsx", "'use client';\n") != DS_OK)
        exit(2);
    return m;
}

TEST(api_null_out_is_einval)
{
    struct dscan_options opts = {.root = "."};
    struct dscan_error err;

    CHECK_EQ_INT(dscan_run(&opts, NULL, &err), DSCAN_EINVAL);
    CHECK(strstr(err.message, "no result pointer") != NULL);
    CHECK_EQ_INT(dscan_resolver_new(&opts, NULL, &err), DSCAN_EINVAL);
    CHECK(strstr(err.message, "no result pointer") != NULL);
    CHECK_EQ_INT(dscan_lex_file("Makefile", NULL, NULL, &err), DSCAN_EINVAL);
    CHECK(strstr(err.message, "no result pointer") != NULL);
    CHECK_EQ_INT(dscan_diff_files("a", "b", NULL, NULL, &err), DSCAN_EINVAL);
    struct dscan_resolver *r;
    CHECK_EQ_INT(dscan_resolver_new(NULL, &r, &err), DSCAN_OK);
    struct dscan_resolve_request req = {.specifier = "x", .importer = "a.js"};
    CHECK_EQ_INT(dscan_resolve(r, &req, NULL, &err), DSCAN_EINVAL);
    dscan_resolver_free(r);
    dscan_get_stats(NULL, NULL); // no crash
}

TEST(api_null_options_are_the_defaults)
{
    struct dscan_options zero = {0};
    struct dscan *a = NULL, *b = NULL;
    struct dscan_error ea, eb;

    // The tests run in the repository root: "." has no src/worker.* and no
    // directive file, so both say the same thing, not "no options".
    enum dscan_status sa = dscan_run(NULL, &a, &ea);
    enum dscan_status sb = dscan_run(&zero, &b, &eb);
    CHECK_EQ_INT(sa, sb);
    CHECK_EQ_STR(ea.message, eb.message);
    dscan_free(a);
    dscan_free(b);
}

TEST(api_why_without_edges_says_why)
{
    struct ds_alloc a;
    ds_alloc_init(&a, NULL, 0);
    struct ds_sys_mem *m = small_app(&a);
    struct dscan_options opts = {.root = "/app"};
    struct dscan *s = NULL;
    struct dscan_error err;

    CHECK_EQ_INT(ds_scan_run_sys(&opts, ds_sys_mem_sys(m), &s, &err), DSCAN_OK);
    const struct dscan_chain_step *steps;
    size_t n;
    CHECK_EQ_INT(dscan_why(s, "/src/b.tsx", &steps, &n), DSCAN_ENOEDGES);
    CHECK(strstr(dscan_status_message(DSCAN_ENOEDGES), "keep_edges") != NULL);
    CHECK_EQ_STR(dscan_status_name(DSCAN_ENOEDGES), "ENOEDGES");
    dscan_free(s);
    ds_sys_mem_free(m);
}

/* Counts live bytes; the scan's workers call it at once, hence the lock. */
struct counting {
    pthread_mutex_t lock;
    size_t live, peak;
};

static void count(struct counting *c, size_t was, size_t now)
{
    pthread_mutex_lock(&c->lock);
    c->live = c->live - was + now;
    if (c->live > c->peak)
        c->peak = c->live;
    pthread_mutex_unlock(&c->lock);
}

static void *c_malloc(void *ctx, size_t n)
{
    struct counting *c = ctx;
    size_t *p = malloc(n + 16);
    if (!p)
        return NULL;
    p[0] = n;
    count(c, 0, n);
    return (char *)p + 16;
}

static void *c_realloc(void *ctx, void *old, size_t n)
{
    struct counting *c = ctx;
    if (!old)
        return c_malloc(ctx, n);
    size_t *p = (size_t *)(void *)((char *)old - 16);
    size_t was = p[0];
    p = realloc(p, n + 16);
    if (!p)
        return NULL;
    p[0] = n;
    count(c, was, n);
    return (char *)p + 16;
}

static void c_free(void *ctx, void *ptr)
{
    struct counting *c = ctx;
    if (!ptr)
        return;
    size_t *p = (size_t *)(void *)((char *)ptr - 16);
    count(c, p[0], 0);
    free(p);
}

TEST(api_scan_handle_is_counted)
{
    struct ds_alloc a;
    ds_alloc_init(&a, NULL, 0);
    struct ds_sys_mem *m = small_app(&a);
    struct counting c = {.lock = PTHREAD_MUTEX_INITIALIZER};
    struct dscan_allocator al = {
        .ctx = &c, .malloc = c_malloc, .realloc = c_realloc, .free = c_free};
    struct dscan_options opts = {.root = "/app", .alloc = &al};
    struct dscan *s = NULL;
    struct dscan_error err;

    CHECK_EQ_INT(ds_scan_run_sys(&opts, ds_sys_mem_sys(m), &s, &err), DSCAN_OK);
    // The scan's own counter covers the handle (the user's allocator also
    // sees ds_alloc's small per-block headers).
    CHECK(atomic_load(&s->alloc.current) >= sizeof(struct dscan));
    CHECK(c.live >= atomic_load(&s->alloc.current));
    struct dscan_stats st;
    dscan_get_stats(s, &st);
    CHECK(st.peak_heap_bytes >= sizeof(struct dscan));
    dscan_free(s);
    CHECK_EQ_INT(c.live, 0);
    // A limit below the handle's own size refuses the scan at once.
    opts.memory_limit = sizeof(struct dscan) / 2;
    CHECK_EQ_INT(ds_scan_run_sys(&opts, ds_sys_mem_sys(m), &s, &err), DSCAN_ENOMEM);
    CHECK(s == NULL);
    CHECK_EQ_INT(c.live, 0);
    ds_sys_mem_free(m);
}
