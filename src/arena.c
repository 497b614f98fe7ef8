/* Bump allocator over the counting allocator. Large requests get a block of
 * their own, so one big file does not make every later block big. It does not
 * free individual allocations. */
#include <stdarg.h>
#include <stdio.h>

#include "arena.h"

struct ds_arena_block {
    struct ds_arena_block *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

#define ALIGN 16

/* A reset keeps one more block than the first, up to this size: a scratch
 * arena that outgrows its block for every package.json over 16 kB or every
 * file over 64 kB took a fresh block and freed it again each time, and
 * musl's allocator (the npm package's static binaries) returns such blocks
 * to the kernel at once, each munmap a TLB shootdown on the other CPU (with
 * fs_list.c's listing buffers and the JSON parser's frames: 674 mmap/munmap
 * pairs per bench/realapp scan, 238 after). */
#define ARENA_SPARE_MAX (1024u * 1024)

void ds_arena_init(struct ds_arena *arena, struct ds_alloc *alloc, size_t block_size)
{
    arena->alloc = alloc;
    arena->head = NULL;
    arena->spare = NULL;
    arena->block_size = block_size ? block_size : 64 * 1024;
    arena->used = 0;
}

void ds_arena_release(struct ds_arena *arena)
{
    struct ds_arena_block *b = arena->head;

    while (b) {
        struct ds_arena_block *next = b->next;
        ds_alloc_free(arena->alloc, b);
        b = next;
    }
    ds_alloc_free(arena->alloc, arena->spare);
    arena->head = NULL;
    arena->spare = NULL;
    arena->used = 0;
}

/* Frees b, or keeps it as the spare if it is the largest so far. */
static void drop_block(struct ds_arena *arena, struct ds_arena_block *b)
{
    if (b->size > ARENA_SPARE_MAX || (arena->spare && arena->spare->size >= b->size)) {
        ds_alloc_free(arena->alloc, b);
        return;
    }
    ds_alloc_free(arena->alloc, arena->spare);
    arena->spare = b;
}

void ds_arena_reset(struct ds_arena *arena)
{
    struct ds_arena_block *keep = arena->head;

    if (!keep)
        return;
    // Keep the oldest block (the default-sized one); drop the rest, which are
    // either overflow or one-off blocks for large files.
    while (keep->next) {
        struct ds_arena_block *b = keep;
        keep = keep->next;
        drop_block(arena, b);
    }
    if (keep->size > arena->block_size) {
        drop_block(arena, keep);
        keep = NULL;
    } else {
        keep->used = 0;
    }
    arena->head = keep;
    arena->used = 0;
}

void *ds_arena_alloc(struct ds_arena *arena, size_t size)
{
    size_t need = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    struct ds_arena_block *b = arena->head;

    if (need < size)
        return NULL;
    if (!b || b->size - b->used < need) {
        bool one_off = need > arena->block_size / 4;
        size_t bsize = one_off ? need : arena->block_size;
        if (bsize > SIZE_MAX - sizeof *b)
            return NULL;
        struct ds_arena_block *nb = arena->spare;
        if (nb && nb->size >= bsize) {
            arena->spare = NULL;
            bsize = nb->size;
        } else if (!(nb = ds_alloc_malloc(arena->alloc, sizeof *nb + bsize))) {
            return NULL;
        }
        nb->size = bsize;
        nb->used = 0;
        if (b && one_off) {
            // A one-off big block goes behind the current one, so the space
            // left in the current block is still used by small requests.
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            arena->head = nb;
        }
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    arena->used += need;
    return p;
}

void *ds_arena_zalloc(struct ds_arena *arena, size_t size)
{
    void *p = ds_arena_alloc(arena, size);
    if (p)
        memset(p, 0, size);
    return p;
}

enum ds_status ds_arena_strdup(struct ds_arena *arena, struct ds_str s, struct ds_str *out)
{
    char *p = ds_arena_alloc(arena, s.len + 1);
    if (!p)
        return DS_ENOMEM;
    ds_copy(p, s.ptr, s.len);
    p[s.len] = '\0';
    *out = ds_str_make(p, s.len);
    return DS_OK;
}

char *ds_arena_printf(struct ds_arena *arena, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = ds_arena_alloc(arena, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
