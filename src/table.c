/* Open-addressing hash table of {hash, id} slots. No deletion: every user
 * (interner, caches, visited set) only grows during a scan. */
#include "table.h"

void ds_table_init(struct ds_table *t, struct ds_alloc *alloc)
{
    t->alloc = alloc;
    t->slots = NULL;
    t->cap = 0;
    t->count = 0;
}

void ds_table_release(struct ds_table *t)
{
    ds_alloc_free(t->alloc, t->slots);
    t->slots = NULL;
    t->cap = t->count = 0;
}

static void place(struct ds_table_slot *slots, uint32_t mask, uint32_t hash, uint32_t id)
{
    uint32_t i = hash & mask;
    while (slots[i].id != DS_NO_ID)
        i = (i + 1) & mask;
    slots[i].hash = hash;
    slots[i].id = id;
}

static enum ds_status grow(struct ds_table *t)
{
    if (t->cap >= (UINT32_C(1) << 31))
        return DS_ELIMIT;
    uint32_t cap = t->cap ? t->cap * 2 : 16;
    struct ds_table_slot *slots = ds_alloc_malloc(t->alloc, (size_t)cap * sizeof *slots);
    if (!slots)
        return DS_ENOMEM;
    for (uint32_t i = 0; i < cap; i++)
        slots[i].id = DS_NO_ID;
    for (uint32_t i = 0; i < t->cap; i++)
        if (t->slots[i].id != DS_NO_ID)
            place(slots, cap - 1, t->slots[i].hash, t->slots[i].id);
    ds_alloc_free(t->alloc, t->slots);
    t->slots = slots;
    t->cap = cap;
    return DS_OK;
}

enum ds_status ds_table_insert(struct ds_table *t, uint32_t hash, uint32_t id)
{
    assert(id != DS_NO_ID);
    if ((uint64_t)(t->count + 1) * 4 > (uint64_t)t->cap * 3) {
        enum ds_status st = grow(t);
        if (st != DS_OK)
            return st;
    }
    place(t->slots, t->cap - 1, hash, id);
    t->count++;
    return DS_OK;
}
