/* The one hash table: open addressing, linear probing, power-of-two
 * capacity, grown at 3/4 load. Slots hold {hash, id}; the keys live
 * elsewhere (an arena, an array indexed by id) and are compared through a
 * callback, so one implementation backs the interner and every cache. */
#ifndef DS_TABLE_H
#define DS_TABLE_H

#include "alloc.h"

struct ds_table_slot {
    uint32_t hash;
    uint32_t id; /* DS_NO_ID: empty */
};

struct ds_table {
    struct ds_alloc *alloc;
    struct ds_table_slot *slots;
    uint32_t cap; /* 0 or a power of two */
    uint32_t count;
};

/* Does the entry `id` have the key `key`? */
typedef bool (*ds_table_eq_fn)(const void *ctx, uint32_t id, const void *key);

void ds_table_init(struct ds_table *t, struct ds_alloc *alloc);
void ds_table_release(struct ds_table *t);

/* The id stored under `hash` whose key equals `key`, or DS_NO_ID. Inline,
 * as ds_table_next: each user's `eq` is then inlined into its probe loop
 * (the interner's and the result cache's lookups run per import). */
static inline uint32_t ds_table_find(const struct ds_table *t, uint32_t hash, ds_table_eq_fn eq,
                                     const void *ctx, const void *key)
{
    if (!t->cap)
        return DS_NO_ID;
    uint32_t mask = t->cap - 1;
    for (uint32_t i = hash & mask;; i = (i + 1) & mask) {
        const struct ds_table_slot *s = &t->slots[i];
        if (s->id == DS_NO_ID)
            return DS_NO_ID;
        if (s->hash == hash && eq(ctx, s->id, key))
            return s->id;
    }
}

/* The ids stored under `hash`, one per call in probe order, for a caller
 * that weighs several candidates in one walk; DS_NO_ID after the last.
 * *pos is the walk's cursor: 0 before the first call. */
static inline uint32_t ds_table_next(const struct ds_table *t, uint32_t hash, uint32_t *pos)
{
    if (!t->cap)
        return DS_NO_ID;
    uint32_t mask = t->cap - 1;
    // The table is never full: the walk meets an empty slot.
    for (uint32_t i = (hash + *pos) & mask;; i = (i + 1) & mask) {
        const struct ds_table_slot *s = &t->slots[i];
        if (s->id == DS_NO_ID)
            return DS_NO_ID;
        (*pos)++;
        if (s->hash == hash)
            return s->id;
    }
}

/* Adds `id` under `hash`; the caller has checked it is not there. A failed
 * grow leaves the table intact and returns DS_ENOMEM. */
DS_MUST_CHECK enum ds_status ds_table_insert(struct ds_table *t, uint32_t hash, uint32_t id);

#endif
