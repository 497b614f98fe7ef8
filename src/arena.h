/* Bump allocator: everything taken from one arena is freed together. The
 * scan arena holds what lives as long as the scan (interned paths, modules,
 * results); each worker's scratch arena holds one file and is reset after it. */
#ifndef DS_ARENA_H
#define DS_ARENA_H

#include "alloc.h"
#include "str.h"

struct ds_arena_block;

struct ds_arena {
    struct ds_alloc *alloc;
    struct ds_arena_block *head;  /* newest block first */
    struct ds_arena_block *spare; /* the largest block a reset freed, kept for reuse */
    size_t block_size;            /* default size of a fresh block */
    size_t used;                  /* bytes handed out since the last reset */
};

/* Caller-owned storage; no allocation until the first ds_arena_alloc. */
void ds_arena_init(struct ds_arena *arena, struct ds_alloc *alloc, size_t block_size);
/* Frees every block. The arena may be reused after init. */
void ds_arena_release(struct ds_arena *arena);
/* Frees all but the first block and empties it: cheap reuse per file. The
 * largest other block (up to ARENA_SPARE_MAX) is kept as a spare for the
 * next one needed. */
void ds_arena_reset(struct ds_arena *arena);

/* 16-byte aligned, uninitialised; NULL when out of memory. */
void *ds_arena_alloc(struct ds_arena *arena, size_t size);
void *ds_arena_zalloc(struct ds_arena *arena, size_t size);
/* A NUL-terminated copy (the NUL is not counted in the returned len). */
DS_MUST_CHECK enum ds_status ds_arena_strdup(struct ds_arena *arena, struct ds_str s,
                                             struct ds_str *out);
/* printf into the arena; NUL-terminated. NULL when out of memory. */
char *ds_arena_printf(struct ds_arena *arena, const char *fmt, ...) DS_PRINTF(2, 3);

#endif
