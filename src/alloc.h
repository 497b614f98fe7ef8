/* The scan's counting allocator: every byte the library takes goes through
 * here, so the current and peak heap feed `stats`, a memory limit turns into
 * DS_ENOMEM, and tests plug a failing allocator into the same seam. */
#ifndef DS_ALLOC_H
#define DS_ALLOC_H

#include <stdatomic.h>

#include "common.h"

struct ds_alloc {
    const struct dscan_allocator *user; /* NULL: libc */
    size_t limit;                       /* 0: none */
    atomic_size_t current;              /* bytes handed out and not freed */
    atomic_size_t peak;
};

/* Thread-safe. `limit` 0 means none. */
void ds_alloc_init(struct ds_alloc *a, const struct dscan_allocator *user, size_t limit);

/* NULL when the underlying allocator fails or the limit would be passed. */
void *ds_alloc_malloc(struct ds_alloc *a, size_t size);
void *ds_alloc_calloc(struct ds_alloc *a, size_t n, size_t size);
/* On failure the old block is untouched and still owned by the caller. */
void *ds_alloc_realloc(struct ds_alloc *a, void *ptr, size_t size);
void ds_alloc_free(struct ds_alloc *a, void *ptr); /* NULL is a no-op */

/* Grows *items (an array of `elem`-byte elements with capacity *cap) to hold
 * at least `need` elements, doubling. DS_ENOMEM leaves it as it was. */
DS_MUST_CHECK enum ds_status ds_alloc_grow(struct ds_alloc *a, void **items, size_t *cap,
                                           size_t need, size_t elem);

#endif
