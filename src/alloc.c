/* Counting allocator. Each block carries a 16-byte header with its size, so
 * free() can keep `current` exact without asking the user allocator. It does
 * no pooling of its own: the arenas above it do that. */
#include <stdlib.h>

#include "alloc.h"

#define HEADER 16 /* keeps max_align_t alignment for what follows */

void ds_alloc_init(struct ds_alloc *a, const struct dscan_allocator *user, size_t limit)
{
    a->user = user;
    a->limit = limit;
    atomic_init(&a->current, 0);
    atomic_init(&a->peak, 0);
}

static bool take(struct ds_alloc *a, size_t size)
{
    size_t now = atomic_fetch_add(&a->current, size) + size;

    if (a->limit && now > a->limit) {
        atomic_fetch_sub(&a->current, size);
        return false;
    }
    size_t peak = atomic_load(&a->peak);
    while (now > peak && !atomic_compare_exchange_weak(&a->peak, &peak, now))
        ;
    return true;
}

void *ds_alloc_malloc(struct ds_alloc *a, size_t size)
{
    if (size > SIZE_MAX - HEADER || !take(a, size))
        return NULL;
    unsigned char *p =
        a->user ? a->user->malloc(a->user->ctx, size + HEADER) : malloc(size + HEADER);
    if (!p) {
        atomic_fetch_sub(&a->current, size);
        return NULL;
    }
    memcpy(p, &size, sizeof size);
    return p + HEADER;
}

void *ds_alloc_calloc(struct ds_alloc *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = ds_alloc_malloc(a, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *ds_alloc_realloc(struct ds_alloc *a, void *ptr, size_t size)
{
    if (!ptr)
        return ds_alloc_malloc(a, size);
    unsigned char *base = (unsigned char *)ptr - HEADER;
    size_t old;
    memcpy(&old, base, sizeof old);
    if (size > SIZE_MAX - HEADER)
        return NULL;
    if (size > old && !take(a, size - old))
        return NULL;
    unsigned char *p = a->user ? a->user->realloc(a->user->ctx, base, size + HEADER)
                               : realloc(base, size + HEADER);
    if (!p) {
        if (size > old)
            atomic_fetch_sub(&a->current, size - old);
        return NULL;
    }
    if (size < old)
        atomic_fetch_sub(&a->current, old - size);
    memcpy(p, &size, sizeof size);
    return p + HEADER;
}

void ds_alloc_free(struct ds_alloc *a, void *ptr)
{
    if (!ptr)
        return;
    unsigned char *base = (unsigned char *)ptr - HEADER;
    size_t size;
    memcpy(&size, base, sizeof size);
    atomic_fetch_sub(&a->current, size);
    if (a->user)
        a->user->free(a->user->ctx, base);
    else
        free(base);
}

enum ds_status ds_alloc_grow(struct ds_alloc *a, void **items, size_t *cap, size_t need,
                             size_t elem)
{
    if (need <= *cap)
        return DS_OK;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2 / elem)
            return DS_ENOMEM;
        n *= 2;
    }
    void *p = ds_alloc_realloc(a, *items, n * elem);
    if (!p)
        return DS_ENOMEM;
    *items = p;
    *cap = n;
    return DS_OK;
}
