/* String interner on top of ds_table; the strings themselves live in the
 * owner's arena and are never freed one by one. */
#include "intern.h"

void ds_interner_init(struct ds_interner *in, struct ds_arena *arena)
{
    in->arena = arena;
    ds_table_init(&in->table, arena->alloc);
    in->strs = NULL;
    in->n = in->cap = 0;
}

void ds_interner_release(struct ds_interner *in)
{
    ds_table_release(&in->table);
    ds_alloc_free(in->arena->alloc, in->strs);
    in->strs = NULL;
    in->n = in->cap = 0;
}

static bool same(const void *ctx, uint32_t id, const void *key)
{
    const struct ds_interner *in = ctx;
    return ds_str_eq(in->strs[id], *(const struct ds_str *)key);
}

uint32_t ds_intern_find(const struct ds_interner *in, struct ds_str s)
{
    return ds_table_find(&in->table, ds_str_hash(s), same, in, &s);
}

enum ds_status ds_intern(struct ds_interner *in, struct ds_str s, uint32_t *id_out)
{
    uint32_t hash = ds_str_hash(s);
    uint32_t id = ds_table_find(&in->table, hash, same, in, &s);
    enum ds_status st;

    if (id != DS_NO_ID) {
        *id_out = id;
        return DS_OK;
    }
    if (in->n >= DS_NO_ID - 1)
        return DS_ELIMIT;
    st = ds_alloc_grow(in->arena->alloc, (void **)&in->strs, &in->cap, in->n + 1, sizeof *in->strs);
    if (st != DS_OK)
        return st;
    struct ds_str copy;
    st = ds_arena_strdup(in->arena, s, &copy);
    if (st != DS_OK)
        return st;
    id = (uint32_t)in->n;
    st = ds_table_insert(&in->table, hash, id);
    if (st != DS_OK)
        return st; // the copy stays in the arena until the scan ends: harmless
    in->strs[in->n++] = copy;
    *id_out = id;
    return DS_OK;
}
