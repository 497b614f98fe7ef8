/* The worker pool. One mutex guards the queues, the busy count and the
 * failure status; items run outside the lock. It does not order items
 * (each lane is a stack, which keeps the walk depth-first and the frontier
 * small): the scan sorts its results at the end, so order never shows.
 *
 * Two lanes, because a scan's two kinds of work share differently. A visit
 * (lane 0) resolves imports through the resolver's caches, and visits on
 * two threads at once spend more on the caches' locks and on waking each
 * other than they gain: on a 2-core machine a second symmetric worker made
 * a scan ~8 % faster, while one visiting thread beside one reading thread
 * (read and lex a file, lane 1: nothing shared but the queue) makes it a
 * third faster (bench/floor/README.md). So lane 0 runs on the first
 * `visitors` workers only, and every worker runs lane 1; a visitor takes
 * its own lane first and reads when it has nothing to visit.
 *
 * The caller of ds_pool_wait works too, as a visitor, instead of sleeping
 * until the others finish: every hand-off to a sleeping thread costs a
 * futex wake-up and a trip through the scheduler, and with one worker (-j 1)
 * there is then no thread and no hand-off at all.
 *
 * Lock order: the pool's lock is a leaf. Code holding the scan's lock may
 * push (scan lock -> pool lock); nothing takes another lock while holding
 * the pool's, and items never run with it held. */
#include <errno.h>
#include <time.h>
#if defined(__linux__)
#include <sched.h>
#endif

#include "pool.h"

/* The clock of the waiter's tick deadlines. Monotonic, so ticks do not jump
 * with the wall clock, where condition variables can wait on it; macOS has
 * no pthread_condattr_setclock, and its timed waits take wall-clock time. */
#if defined(__APPLE__)
#define POOL_CLOCK CLOCK_REALTIME
#else
#define POOL_CLOCK CLOCK_MONOTONIC
#endif

/* Where a worker starts. Linux often puts a new thread on its creator's CPU
 * and moves it only when the load balancer next looks: a 2-thread scan's
 * threads shared one CPU for the first milliseconds, ran on 1.6 CPUs instead
 * of 1.7 and took 6 % longer (bench/floor/README.md). So the creator pins
 * each new worker to a CPU of its own, its next ones in turn, and the worker
 * widens back to every CPU its creator may use as soon as it runs: a start,
 * not a home, so the scheduler still moves it off a CPU another process
 * keeps busy. (pthread_attr_setaffinity_np would place it before it runs,
 * but musl, which the npm package's binaries use, has no such call.) */
struct start_cpus {
#if defined(__linux__)
    cpu_set_t allowed; /* the creator's CPUs */
    int creator;       /* the CPU it ran on; -1: no placement */
#else
    int unused;
#endif
};

struct ds_pool {
    struct ds_alloc *alloc;
    pthread_mutex_t lock;
    pthread_cond_t work;            /* visitors sleep here: an item was queued, or the pool
                                     * drained, failed or is shutting down */
    pthread_cond_t reads;           /* readers sleep here: a lane-1 item was queued, or shutdown */
    uint64_t *items[DS_POOL_LANES]; /* stacks */
    size_t n[DS_POOL_LANES], cap[DS_POOL_LANES];
    unsigned readers_asleep; /* readers waiting on `reads` */
    unsigned busy;
    bool shutdown;
    enum ds_status failed;
    ds_pool_fn fn;
    void *ctx;
    unsigned n_threads, n_started; /* workers (the waiter included), threads started */
    unsigned visitors;             /* workers that run lane 0 (the waiter is one) */
    pthread_t threads[DS_POOL_MAX_THREADS];
    struct ds_pool_worker workers[DS_POOL_MAX_THREADS];
    struct start_cpus start;
};

#if defined(__linux__)
static void note_start_cpus(struct start_cpus *sc)
{
    sc->creator = -1;
    if (sched_getaffinity(0, sizeof sc->allowed, &sc->allowed) == 0 && CPU_COUNT(&sc->allowed) > 1)
        sc->creator = sched_getcpu();
}

/* Pins worker `index` to the index+1'th allowed CPU after the creator's.
 * A failure only leaves it where the kernel put it. */
static void pin_to_start_cpu(const struct start_cpus *sc, pthread_t thread, unsigned index)
{
    if (sc->creator < 0)
        return;
    cpu_set_t allowed = sc->allowed; // musl's CPU_ macros take no const set
    int skip = (int)index % (CPU_COUNT(&allowed) - 1), cpu = sc->creator;
    do {
        do
            cpu = (cpu + 1) % CPU_SETSIZE;
        while (!CPU_ISSET(cpu, &allowed));
    } while (cpu == sc->creator || skip-- > 0);
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    int ignored = pthread_setaffinity_np(thread, sizeof one, &one);
    DS_UNUSED(ignored);
}

/* Run by a worker once its creator has pinned it. */
static void leave_start_cpu(const struct start_cpus *sc)
{
    if (sc->creator < 0)
        return;
    int ignored = sched_setaffinity(0, sizeof sc->allowed, &sc->allowed);
    DS_UNUSED(ignored);
}
#else
static void note_start_cpus(struct start_cpus *sc)
{
    DS_UNUSED(sc);
}

static void pin_to_start_cpu(const struct start_cpus *sc, pthread_t thread, unsigned index)
{
    DS_UNUSED(sc);
    DS_UNUSED(thread);
    DS_UNUSED(index);
}

static void leave_start_cpu(const struct start_cpus *sc)
{
    DS_UNUSED(sc);
}
#endif

/* Worker w's next lane, or -1 when nothing it may run is queued (or the
 * pool failed). Called with the lock held. */
static int lane_for(const struct ds_pool *p, const struct ds_pool_worker *w)
{
    if (p->failed != DS_OK)
        return -1;
    if (w->visitor && p->n[0] != 0)
        return 0;
    return p->n[1] != 0 ? 1 : -1;
}

/* Pops one item of `lane` and runs it as worker w. Called and returns with
 * the lock held; the item itself runs unlocked. */
static void run_one(struct ds_pool *p, struct ds_pool_worker *w, int lane)
{
    uint64_t item = p->items[lane][--p->n[lane]];

    p->busy++;
    pthread_mutex_unlock(&p->lock);
    enum ds_status st = p->fn(p->ctx, w, item);
    ds_arena_reset(&w->scratch);
    pthread_mutex_lock(&p->lock);
    p->busy--;
    if (st != DS_OK && p->failed == DS_OK) {
        p->failed = st;
        p->n[0] = p->n[1] = 0; // nothing else runs once the scan has failed
    }
    // Drained (or failed): the waiter may be asleep on `work`.
    if (p->busy == 0 && ((p->n[0] == 0 && p->n[1] == 0) || p->failed != DS_OK))
        pthread_cond_broadcast(&p->work);
}

static void *worker_main(void *arg)
{
    struct ds_pool_worker *w = arg;
    struct ds_pool *p = w->pool;
    int lane;

    // Taken once ds_pool_new has pinned every worker.
    pthread_mutex_lock(&p->lock);
    leave_start_cpu(&p->start);
    for (;;) {
        while (!p->shutdown && (lane = lane_for(p, w)) < 0) {
            if (w->visitor) {
                pthread_cond_wait(&p->work, &p->lock);
                continue;
            }
            p->readers_asleep++;
            pthread_cond_wait(&p->reads, &p->lock);
            p->readers_asleep--;
        }
        if (p->shutdown)
            break;
        run_one(p, w, lane);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static void stop_and_join(struct ds_pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->shutdown = true;
    pthread_cond_broadcast(&p->work);
    pthread_cond_broadcast(&p->reads);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->n_started; i++)
        pthread_join(p->threads[i], NULL);
    p->n_started = 0;
}

enum ds_status ds_pool_new(struct ds_alloc *alloc, unsigned n_threads, unsigned visitors,
                           size_t scratch_block, ds_pool_fn fn, void *ctx, struct ds_pool **out)
{
    struct ds_pool *p;
    pthread_condattr_t attr;
    int inited = 0;

    if (n_threads == 0 || n_threads > DS_POOL_MAX_THREADS || visitors == 0 || visitors > n_threads)
        return DS_EINVAL;
    p = ds_alloc_calloc(alloc, 1, sizeof *p);
    if (!p)
        return DS_ENOMEM;
    p->alloc = alloc;
    p->fn = fn;
    p->ctx = ctx;
    p->n_threads = n_threads;
    p->visitors = visitors;
    if (ds_mutex_init(&p->lock) != 0)
        goto fail;
    inited = 1;
    if (pthread_condattr_init(&attr) != 0)
        goto fail;
#if !defined(__APPLE__)
    pthread_condattr_setclock(&attr, POOL_CLOCK);
#endif
    if (pthread_cond_init(&p->work, &attr) != 0) {
        pthread_condattr_destroy(&attr);
        goto fail;
    }
    pthread_condattr_destroy(&attr);
    if (pthread_cond_init(&p->reads, NULL) != 0) {
        pthread_cond_destroy(&p->work);
        goto fail;
    }
    inited = 2;
    for (unsigned i = 0; i < n_threads; i++) {
        p->workers[i].pool = p;
        p->workers[i].index = i;
        // The waiter (the last worker) and the first visitors-1 threads.
        p->workers[i].visitor = i + 1 == n_threads || i + 1 < visitors;
        ds_arena_init(&p->workers[i].scratch, alloc, scratch_block);
    }
    // The last worker is whoever calls ds_pool_wait.
    pthread_attr_t thread_attr;
    if (pthread_attr_init(&thread_attr) != 0)
        goto fail;
    int started = pthread_attr_setstacksize(&thread_attr, DS_POOL_STACK);
    note_start_cpus(&p->start);
    pthread_mutex_lock(&p->lock); // the workers wait for their start CPUs
    for (unsigned i = 0; i + 1 < n_threads && started == 0; i++) {
        started = pthread_create(&p->threads[i], &thread_attr, worker_main, &p->workers[i]);
        if (started == 0) {
            pin_to_start_cpu(&p->start, p->threads[i], i);
            p->n_started++;
        }
    }
    pthread_mutex_unlock(&p->lock);
    pthread_attr_destroy(&thread_attr);
    if (started != 0)
        goto fail;
    *out = p;
    return DS_OK;

fail:
    if (inited >= 2) {
        stop_and_join(p);
        for (unsigned i = 0; i < n_threads; i++)
            ds_arena_release(&p->workers[i].scratch);
        pthread_cond_destroy(&p->work);
        pthread_cond_destroy(&p->reads);
    }
    if (inited >= 1)
        pthread_mutex_destroy(&p->lock);
    ds_alloc_free(alloc, p);
    return DS_ENOMEM;
}

enum ds_status ds_pool_push(struct ds_pool *p, unsigned lane, uint64_t item)
{
    return ds_pool_push_many(p, lane, &item, 1);
}

enum ds_status ds_pool_push_many(struct ds_pool *p, unsigned lane, const uint64_t *items, size_t n)
{
    enum ds_status st;

    assert(lane < DS_POOL_LANES);
    if (n == 0)
        return DS_OK;
    pthread_mutex_lock(&p->lock);
    st = ds_alloc_grow(p->alloc, (void **)&p->items[lane], &p->cap[lane], p->n[lane] + n,
                       sizeof *p->items[lane]);
    if (st == DS_OK) {
        memcpy(p->items[lane] + p->n[lane], items, n * sizeof *items);
        p->n[lane] += n;
        // Reads go to a sleeping reader first, so visitors keep visiting.
        pthread_cond_t *wake = lane == 1 && p->readers_asleep ? &p->reads : &p->work;
        if (n == 1)
            pthread_cond_signal(wake);
        else
            pthread_cond_broadcast(wake);
    }
    pthread_mutex_unlock(&p->lock);
    return st;
}

void ds_pool_fail(struct ds_pool *p, enum ds_status status)
{
    pthread_mutex_lock(&p->lock);
    if (p->failed == DS_OK) {
        p->failed = status;
        p->n[0] = p->n[1] = 0;
    }
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
}

static void deadline_after(struct timespec *ts, unsigned ms)
{
    clock_gettime(POOL_CLOCK, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

static bool passed(const struct timespec *t)
{
    struct timespec now;

    clock_gettime(POOL_CLOCK, &now);
    return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

enum ds_status ds_pool_wait(struct ds_pool *p, unsigned tick_ms, ds_pool_tick_fn tick,
                            void *tick_ctx)
{
    struct ds_pool_worker *w = &p->workers[p->n_threads - 1];
    bool ticking = tick_ms && tick;
    struct timespec next;
    enum ds_status st;

    if (ticking)
        deadline_after(&next, tick_ms);
    pthread_mutex_lock(&p->lock);
    for (;;) {
        if (ticking && passed(&next)) {
            // The tick runs unlocked: it reads the scan's counters, which
            // take the scan's lock, and that lock comes before this one.
            pthread_mutex_unlock(&p->lock);
            tick(tick_ctx);
            deadline_after(&next, tick_ms);
            pthread_mutex_lock(&p->lock);
            continue;
        }
        int lane = lane_for(p, w);
        if (lane >= 0) {
            run_one(p, w, lane);
            continue;
        }
        if (p->busy == 0)
            break;
        if (ticking)
            pthread_cond_timedwait(&p->work, &p->lock, &next);
        else
            pthread_cond_wait(&p->work, &p->lock);
    }
    st = p->failed;
    pthread_mutex_unlock(&p->lock);
    return st;
}

void ds_pool_free(struct ds_pool *p)
{
    if (!p)
        return;
    stop_and_join(p);
    for (unsigned i = 0; i < p->n_threads; i++)
        ds_arena_release(&p->workers[i].scratch);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->reads);
    pthread_mutex_destroy(&p->lock);
    ds_alloc_free(p->alloc, p->items[0]);
    ds_alloc_free(p->alloc, p->items[1]);
    ds_alloc_free(p->alloc, p);
}
