/* Tests of the scan's parts that need neither lexer nor resolver: the module
 * graph and its --why BFS, the worker pool, the pre-scan walk, /proc reading. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "graph.h"
#include "pool.h"
#include "lang.h"
#include "prescan.h"
#include "proc.h"
#include "sys.h"

TEST(graph_pairs_are_modules)
{
    struct ds_alloc a;
    struct ds_graph g;
    uint32_t i1, i2, i3;
    bool n1, n2, n3;

    ds_alloc_init(&a, NULL, 0);
    ds_graph_init(&g, &a, false);
    CHECK(ds_graph_add(&g, 7, DSCAN_ENV_WORKER, &i1, &n1) == DS_OK);
    CHECK(ds_graph_add(&g, 7, DSCAN_ENV_CLIENT, &i2, &n2) == DS_OK);
    CHECK(ds_graph_add(&g, 7, DSCAN_ENV_WORKER, &i3, &n3) == DS_OK);
    CHECK(n1 && n2 && !n3);
    CHECK(i1 != i2);
    CHECK_EQ_INT(i1, i3);
    CHECK_EQ_INT(g.n, 2);
    CHECK_EQ_INT(ds_graph_find(&g, 7, DSCAN_ENV_CLIENT), i2);
    CHECK_EQ_INT(ds_graph_find(&g, 8, DSCAN_ENV_CLIENT), DS_NO_ID);
    // Edges are free when not asked for.
    CHECK(ds_graph_add_edge(&g, i1, i2, 0) == DS_OK);
    CHECK_EQ_INT(g.n_edges, 0);
    ds_graph_release(&g);
    CHECK_EQ_INT(atomic_load(&a.current), 0);
}

TEST(graph_bfs_picks_the_lowest_ranked_shortest_chain)
{
    struct ds_alloc a;
    struct ds_graph g;
    uint32_t m[6];
    bool is_new;
    uint32_t *parent = NULL;

    ds_alloc_init(&a, NULL, 0);
    ds_graph_init(&g, &a, true);
    for (uint32_t i = 0; i < 6; i++)
        CHECK(ds_graph_add(&g, 100 + i, DSCAN_ENV_WORKER, &m[i], &is_new) == DS_OK);
    // root 0 -> 1 -> 3, root 0 -> 2 -> 3, 3 -> 4; 5 is a second root -> 4.
    g.mods[m[0]].is_root = 1;
    g.mods[m[5]].is_root = 1;
    uint32_t edges[][2] = {{0, 2}, {2, 3}, {0, 1}, {1, 3}, {3, 4}, {5, 4}, {3, 0}};
    for (size_t i = 0; i < DS_ARRAY_LEN(edges); i++)
        CHECK(ds_graph_add_edge(&g, m[edges[i][0]], m[edges[i][1]], (uint32_t)i) == DS_OK);
    // Ranks: module i has rank i, except 2 ranks before 1.
    uint32_t rank[6] = {0, 2, 1, 3, 4, 5};
    CHECK(ds_graph_bfs(&g, rank, &parent) == DS_OK);
    CHECK_EQ_INT(parent[m[0]], DS_NO_ID);
    CHECK_EQ_INT(parent[m[5]], DS_NO_ID);
    CHECK_EQ_INT(parent[m[3]], m[2]); // via the lower-ranked of two equal chains
    CHECK_EQ_INT(parent[m[4]], m[5]); // the root at distance 1 wins over 0->2->3->4
    ds_alloc_free(&a, parent);
    ds_graph_release(&g);
    CHECK_EQ_INT(atomic_load(&a.current), 0);
}

struct fanout {
    atomic_uint ran;
    atomic_ullong sum;
    struct ds_pool *pool;
    atomic_uint fail_at;
    atomic_uint lane0_off_visitor; /* lane-0 items a non-visitor ran: must stay 0 */
    atomic_uint wrong_role;        /* a worker whose visitor flag is not as documented */
    unsigned threads, visitors;    /* 0: not checked */
};

/* Each item n < 1000 pushes 2n+1 and 2n+2: a tree of 1000 + pushed leaves.
 * Item n sits in lane n % 3 == 0 ? 0 : 1. */
static unsigned lane_of(uint64_t item)
{
    return item % 3 == 0 ? 0 : 1;
}

static enum ds_status fan(void *ctx, struct ds_pool_worker *w, uint64_t item)
{
    struct fanout *f = ctx;
    unsigned n = atomic_fetch_add(&f->ran, 1) + 1;

    // The waiter (the last worker) and the first visitors-1 threads visit.
    if (f->visitors && w->visitor != (w->index + 1 == f->threads || w->index + 1 < f->visitors))
        atomic_fetch_add(&f->wrong_role, 1);
    if (lane_of(item) == 0 && !w->visitor)
        atomic_fetch_add(&f->lane0_off_visitor, 1);

    if (f->fail_at && n == f->fail_at)
        return DS_ELIMIT;
    // Use the scratch arena as a worker would for a file.
    char *p = ds_arena_alloc(&w->scratch, 100);
    if (!p)
        return DS_ENOMEM;
    memset(p, 1, 100);
    atomic_fetch_add(&f->sum, item);
    if (item < 1000) {
        // Odd items push one at a time, even ones as a batch: both paths run.
        if (item % 2) {
            enum ds_status st = ds_pool_push(f->pool, lane_of(2 * item + 1), 2 * item + 1);
            if (st == DS_OK)
                st = ds_pool_push(f->pool, lane_of(2 * item + 2), 2 * item + 2);
            return st;
        }
        enum ds_status st = DS_OK;
        for (uint64_t c = 2 * item + 1; c <= 2 * item + 2 && st == DS_OK; c++)
            st = ds_pool_push_many(f->pool, lane_of(c), &c, 1);
        return st;
    }
    return DS_OK;
}

static void count_tick(void *ctx)
{
    (*(int *)ctx)++;
}

TEST(pool_threads_run_every_item_once)
{
    for (unsigned threads = 1; threads <= 8; threads++) {
        for (unsigned visitors = 1; visitors <= threads; visitors += 2) {
            struct ds_alloc a;
            struct fanout f = {0};
            int ticks = 0;

            ds_alloc_init(&a, NULL, 0);
            f.threads = threads;
            f.visitors = visitors;
            CHECK(ds_pool_new(&a, threads, visitors, 4096, fan, &f, &f.pool) == DS_OK);
            CHECK(ds_pool_push(f.pool, 0, 0) == DS_OK);
            CHECK(ds_pool_wait(f.pool, 1, count_tick, &ticks) == DS_OK);
            // Items 0..2000: the tree rooted at 0 whose inner nodes are < 1000.
            CHECK_EQ_INT(atomic_load(&f.ran), 2001);
            CHECK_EQ_INT(atomic_load(&f.sum), 2000ull * 2001 / 2);
            // Lane 0 ran on visitors only; lane 1 on anyone.
            CHECK_EQ_INT(atomic_load(&f.lane0_off_visitor), 0);
            CHECK_EQ_INT(atomic_load(&f.wrong_role), 0);
            ds_pool_free(f.pool);
            CHECK_EQ_INT(atomic_load(&a.current), 0);
        }
    }
}

/* A reader (a worker that does not visit) takes lane 1 while the waiter is
 * busy: with 2 workers and 1 visitor, lane-1 items do not all wait for the
 * waiter. The waiter's first item (lane 0) blocks until a reader has run a
 * lane-1 item it queued. */
struct handoff {
    struct ds_pool *pool;
    atomic_uint reader_ran;
};

static enum ds_status handoff_item(void *ctx, struct ds_pool_worker *w, uint64_t item)
{
    struct handoff *h = ctx;

    if (item == 0) {
        enum ds_status st = ds_pool_push(h->pool, 1, 1);
        // Only a reader can run item 1 now: this (the only visitor) is busy.
        // Ten seconds without it is a pool that never hands lane 1 over.
        time_t give_up = time(NULL) + 10;
        while (st == DS_OK && !atomic_load(&h->reader_ran)) {
            if (time(NULL) > give_up)
                return DS_ELIMIT;
            sched_yield();
        }
        return st;
    }
    if (!w->visitor)
        atomic_store(&h->reader_ran, 1);
    return DS_OK;
}

TEST(pool_readers_run_lane_one_beside_the_visitor)
{
    struct ds_alloc a;
    struct handoff h = {0};

    ds_alloc_init(&a, NULL, 0);
    CHECK(ds_pool_new(&a, 2, 1, 4096, handoff_item, &h, &h.pool) == DS_OK);
    CHECK(ds_pool_push(h.pool, 0, 0) == DS_OK);
    CHECK_EQ_INT(ds_pool_wait(h.pool, 0, NULL, NULL), DS_OK);
    CHECK_EQ_INT(atomic_load(&h.reader_ran), 1);
    ds_pool_free(h.pool);
    CHECK_EQ_INT(atomic_load(&a.current), 0);
}

#if defined(__linux__)
/* What the workers other than the creator saw, item by item: the checks
 * below run on them, not on the thread that called ds_pool_new. */
struct where {
    cpu_set_t seen;
    atomic_uint mismatched, ran;
};

/* True for the creator (the only visitor), once a reader has run an item:
 * it leaves the items to the others, or the test would check nothing. */
static bool creator_waits_for_readers(const struct ds_pool_worker *w, struct where *wh)
{
    if (!w->visitor)
        return false;
    time_t give_up = time(NULL) + 10;
    while (!atomic_load(&wh->ran) && time(NULL) <= give_up)
        sched_yield();
    return true;
}

/* Runs `items` lane-1 items through fn on a pool of `threads` and checks that
 * readers ran some and none saw a mismatch. */
static void run_reader_items(ds_pool_fn fn, struct where *wh, unsigned threads, unsigned items)
{
    struct ds_alloc a;
    struct ds_pool *pool;

    ds_alloc_init(&a, NULL, 0);
    CHECK(ds_pool_new(&a, threads, 1, 4096, fn, wh, &pool) == DS_OK);
    for (uint64_t i = 0; i < items; i++)
        CHECK(ds_pool_push(pool, 1, i) == DS_OK);
    CHECK_EQ_INT(ds_pool_wait(pool, 0, NULL, NULL), DS_OK);
    ds_pool_free(pool);
    CHECK_EQ_INT(atomic_load(&wh->mismatched), 0);
    CHECK(atomic_load(&wh->ran) > 0);
    CHECK_EQ_INT(atomic_load(&a.current), 0);
}

/* A worker is pinned to a CPU of its own only to start there (pool.c): once
 * it runs items it may run on every CPU its creator may, and on no other. */
static enum ds_status record_cpus(void *ctx, struct ds_pool_worker *w, uint64_t item)
{
    struct where *wh = ctx;
    cpu_set_t mine;

    DS_UNUSED(item);
    if (creator_waits_for_readers(w, wh))
        return DS_OK;
    if (sched_getaffinity(0, sizeof mine, &mine) != 0 || !CPU_EQUAL(&mine, &wh->seen))
        atomic_fetch_add(&wh->mismatched, 1);
    atomic_fetch_add(&wh->ran, 1);
    return DS_OK;
}

static void run_on_cpus(const cpu_set_t *cpus, unsigned threads)
{
    struct where wh = {.seen = *cpus};

    CHECK(sched_setaffinity(0, sizeof *cpus, cpus) == 0);
    run_reader_items(record_cpus, &wh, threads, 64);
}

/* Workers get DS_POOL_STACK, not the C library's default (musl gives
 * 128 kB, less than a visit at -j 8 needs; glibc 8 MB). */
static enum ds_status record_stack(void *ctx, struct ds_pool_worker *w, uint64_t item)
{
    struct where *wh = ctx;
    pthread_attr_t attr;
    size_t size = 0;

    DS_UNUSED(item);
    if (creator_waits_for_readers(w, wh))
        return DS_OK;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        if (pthread_attr_getstacksize(&attr, &size) != 0 || size < DS_POOL_STACK ||
            size > DS_POOL_STACK + (64u << 10))
            atomic_fetch_add(&wh->mismatched, 1);
        pthread_attr_destroy(&attr);
    } else {
        atomic_fetch_add(&wh->mismatched, 1);
    }
    atomic_fetch_add(&wh->ran, 1);
    return DS_OK;
}

TEST(pool_workers_have_the_pools_stack_size)
{
    struct where wh = {0};

    run_reader_items(record_stack, &wh, 3, 16);
}

TEST(pool_workers_may_run_wherever_their_creator_may)
{
    cpu_set_t all, two;
    int n = 0;

    CHECK(sched_getaffinity(0, sizeof all, &all) == 0);
    run_on_cpus(&all, 2);
    run_on_cpus(&all, 5);
    // A creator allowed two CPUs (taskset -c 0,1 or a cgroup's cpuset).
    CPU_ZERO(&two);
    for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
        if (CPU_ISSET(c, &all)) {
            CPU_SET(c, &two);
            n++;
        }
    run_on_cpus(&two, 3);
    CHECK(sched_setaffinity(0, sizeof all, &all) == 0);
}
#endif

TEST(pool_threads_stop_on_first_failure)
{
    struct ds_alloc a;
    struct fanout f = {0};

    ds_alloc_init(&a, NULL, 0);
    atomic_store(&f.fail_at, 50);
    CHECK(ds_pool_new(&a, 4, 2, 4096, fan, &f, &f.pool) == DS_OK);
    CHECK(ds_pool_push(f.pool, 0, 0) == DS_OK);
    CHECK_EQ_INT(ds_pool_wait(f.pool, 0, NULL, NULL), DS_ELIMIT);
    CHECK(atomic_load(&f.ran) < 2001);
    ds_pool_free(f.pool);
    CHECK_EQ_INT(atomic_load(&a.current), 0);
}

TEST(pool_empty_wait_returns)
{
    struct ds_alloc a;
    struct fanout f = {0};

    ds_alloc_init(&a, NULL, 0);
    CHECK(ds_pool_new(&a, 2, 1, 4096, fan, &f, &f.pool) == DS_OK);
    CHECK_EQ_INT(ds_pool_wait(f.pool, 0, NULL, NULL), DS_OK);
    ds_pool_free(f.pool);
    CHECK(ds_pool_new(&a, 0, 1, 4096, fan, &f, &f.pool) == DS_EINVAL);
    CHECK(ds_pool_new(&a, 2, 0, 4096, fan, &f, &f.pool) == DS_EINVAL);
    CHECK(ds_pool_new(&a, 2, 3, 4096, fan, &f, &f.pool) == DS_EINVAL);
}

struct seen {
    char names[64][256];
    int n;
};

static enum ds_status collect(void *ctx, struct ds_str path)
{
    struct seen *s = ctx;
    if (s->n < 64) {
        CHECK(ds_str_to_cstr(path, s->names[s->n], sizeof s->names[s->n]));
        s->n++;
    }
    return DS_OK;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

TEST(prescan_walk_skips_dot_folders_and_node_modules)
{
    const char *dir = harness_tmpdir();
    char src[1024], cmd[4096];
    struct ds_alloc a;
    struct ds_diags d;
    struct seen s = {0};

    snprintf(src, sizeof src, "%s/src", dir);
    harness_write(dir, "src/a.tsx", "");
    harness_write(dir, "src/b.js", "");
    harness_write(dir, "src/c.css", "");
    harness_write(dir, "src/d.d.ts", "");
    harness_write(dir, "src/deep/e.mdx", "");
    harness_write(dir, "src/deep/er/f.cts", "");
    harness_write(dir, "src/.hidden/g.ts", "");
    harness_write(dir, "src/node_modules/x/h.js", "");
    harness_write(dir, "src/.ts", "");
    harness_write(dir, "outside.ts", "");
    snprintf(cmd, sizeof cmd,
             "ln -s ../outside.ts '%s/link.ts' && ln -s deep '%s/deeplink' && ln -s nowhere.ts "
             "'%s/dangling.ts'",
             src, src, src);
    CHECK_EQ_INT(harness_run(cmd, NULL), 0);

    ds_alloc_init(&a, NULL, 0);
    CHECK(ds_diags_init(&d, &a) == DS_OK);
    CHECK(ds_prescan_walk(&a, NULL, ds_str_cstr(src), &d, collect, &s) == DS_OK);
    qsort(s.names, (size_t)s.n, sizeof s.names[0], cmp_name);
    const char *want[] = {"/a.tsx",      "/b.js",          "/d.d.ts",
                          "/deep/e.mdx", "/deep/er/f.cts", "/link.ts"};
    CHECK_EQ_INT(s.n, DS_ARRAY_LEN(want));
    for (int i = 0; i < s.n && i < (int)DS_ARRAY_LEN(want); i++) {
        char full[1100];
        snprintf(full, sizeof full, "%s%s", src, want[i]);
        CHECK_EQ_STR(s.names[i], full);
    }
    // The dangling link is no root, but a warning names it (hostile_dangling_symlink).
    CHECK_EQ_INT(d.n, 1);
    CHECK(d.n == 1 && strstr(d.items[0].message, "dangling.ts': No such file"));

    // A missing srcDir is no error and no roots.
    s.n = 0;
    snprintf(src, sizeof src, "%s/nope", dir);
    CHECK(ds_prescan_walk(&a, NULL, ds_str_cstr(src), &d, collect, &s) == DS_OK);
    CHECK_EQ_INT(s.n, 0);
    ds_diags_release(&d);
    CHECK_EQ_INT(atomic_load(&a.current), 0);
}

TEST(prescan_walk_bounds_depth)
{
    const char *dir = harness_tmpdir();
    char rel[4096] = "src";
    struct ds_alloc a;
    struct ds_diags d;
    struct seen s = {0};
    char src[1024];

    size_t len = 3;
    for (int i = 0; i < DS_PRESCAN_MAX_DEPTH + 3; i++)
        len += (size_t)snprintf(rel + len, sizeof rel - len, "/d");
    snprintf(rel + len, sizeof rel - len, "/x.ts");
    harness_write(dir, rel, "");
    harness_write(dir, "src/top.ts", "");
    snprintf(src, sizeof src, "%s/src", dir);
    ds_alloc_init(&a, NULL, 0);
    CHECK(ds_diags_init(&d, &a) == DS_OK);
    CHECK(ds_prescan_walk(&a, NULL, ds_str_cstr(src), &d, collect, &s) == DS_OK);
    CHECK_EQ_INT(s.n, 1);
    CHECK_EQ_INT(d.n, 1);
    CHECK(d.n == 1 && strcmp(d.items[0].code, "limit") == 0);
    ds_diags_release(&d);
}

TEST(prescan_is_script)
{
    CHECK(ds_lang_is_script(DS_STR("/a/b.tsx")));
    CHECK(ds_lang_is_script(DS_STR("/a/b.mdx")));
    CHECK(ds_lang_is_script(DS_STR("x.cjs")));
    CHECK(!ds_lang_is_script(DS_STR("/a/b.css")));
    CHECK(!ds_lang_is_script(DS_STR("/a/b.json")));
    CHECK(!ds_lang_is_script(DS_STR("/a/.ts")));
    CHECK(!ds_lang_is_script(DS_STR("/a/b.ts/c")));
    CHECK(!ds_lang_is_script(DS_STR("/a/b.svg")));
}

TEST(proc_reads_status)
{
    static const char text[] = "Name:\tdscan\nVmHWM:\t  2048 kB\nVmRSS:\t    1024 kB\n";
    struct ds_proc_mem m;

    CHECK_EQ_INT(ds_proc_status_kb(text, sizeof text - 1, "VmRSS:"), 1024);
    CHECK_EQ_INT(ds_proc_status_kb(text, sizeof text - 1, "VmHWM:"), 2048);
    CHECK_EQ_INT(ds_proc_status_kb(text, sizeof text - 1, "VmSwap:"), 0);
    ds_proc_mem(&m);
    // The portable backend knows only the peak (getrusage), sys.h.
    CHECK(m.rss_kb > 0 || strcmp(ds_sys_default()->name, "linux") != 0);
    CHECK(m.peak_kb > 0 && m.peak_kb >= m.rss_kb);
}
