/* A fixed pool of workers around two work queues, "lanes" (libuv's
 * threadpool.c shape, split in two): items are 64-bit values the owner's
 * function understands, workers may push more items while they run, and
 * the pool is done when both lanes are empty and no worker is busy. Lane 0
 * runs on the first `visitors` workers only (pool.c says why), lane 1 on
 * every worker. Each worker owns a scratch arena that the
 * pool resets after every item. The thread that calls ds_pool_wait is one of
 * the workers: a pool of n runs n-1 threads, and a pool of 1 runs none. */
#ifndef DS_POOL_H
#define DS_POOL_H

#include <pthread.h>

/* Workers one pool can have (the waiter included). */
#define DS_POOL_MAX_THREADS 64

/* Every worker's stack. A visit keeps paths on the stack (4 kB buffers down
 * the resolver, 32 kB for a directory's getdents): at -j 8 on bench/realapp
 * a worker needed between 96 and 112 kB (gcc -O2), where musl gives a new
 * thread 128 kB and macOS 512 kB; glibc gives 8 MB (ulimit -s). Only the
 * pages a thread touches take memory. */
#define DS_POOL_STACK (4u << 20)
#define DS_POOL_LANES 2

#include "arena.h"

struct ds_pool;

struct ds_pool_worker {
    struct ds_pool *pool;
    struct ds_arena scratch; /* reset after every item */
    unsigned index;          /* 0 .. n_threads-1 */
    bool visitor;            /* runs lane 0 (first), as well as lane 1 */
};

/* Runs one item. A status other than DS_OK stops the pool: queued items are
 * dropped and ds_pool_wait returns the first such status. */
typedef enum ds_status (*ds_pool_fn)(void *ctx, struct ds_pool_worker *w, uint64_t item);

/* Called by ds_pool_wait on the waiting thread every tick_ms. */
typedef void (*ds_pool_tick_fn)(void *ctx);

/* Makes `n_threads` (1..64) workers: n_threads-1 threads that block until
 * items arrive, plus the caller of ds_pool_wait; `visitors` (1..n_threads)
 * of them run lane 0, the caller of ds_pool_wait always among them. Scratch
 * arenas take `scratch_block` bytes per block. DS_EINVAL for counts out of
 * range; DS_ENOMEM when memory or a thread cannot be had (nothing is left
 * running then). */
DS_MUST_CHECK enum ds_status ds_pool_new(struct ds_alloc *alloc, unsigned n_threads,
                                         unsigned visitors, size_t scratch_block, ds_pool_fn fn,
                                         void *ctx, struct ds_pool **out);

/* Queues one item in `lane` (0 or 1). Thread-safe; callable from workers
 * and from the owner before ds_pool_wait. DS_ENOMEM leaves the queue as it
 * was. */
DS_MUST_CHECK enum ds_status ds_pool_push(struct ds_pool *pool, unsigned lane, uint64_t item);

/* Queues `n` items under one lock acquisition and one wake-up: a visit that
 * finds many new modules costs the queue lock once, not once per module. */
DS_MUST_CHECK enum ds_status ds_pool_push_many(struct ds_pool *pool, unsigned lane,
                                               const uint64_t *items, size_t n);

/* Makes the pool stop as if an item had returned `status` (first one wins). */
void ds_pool_fail(struct ds_pool *pool, enum ds_status status);

/* Runs items on the calling thread, beside the pool's threads, until every
 * queued item (and every item they pushed) has run, or the pool failed.
 * Calls `tick` every `tick_ms` ms meanwhile (0: never), between items.
 * Returns DS_OK or the failing status. Call from one thread. */
DS_MUST_CHECK enum ds_status ds_pool_wait(struct ds_pool *pool, unsigned tick_ms,
                                          ds_pool_tick_fn tick, void *tick_ctx);

/* Stops and joins the workers, frees everything. NULL is a no-op. */
void ds_pool_free(struct ds_pool *pool);

#endif
