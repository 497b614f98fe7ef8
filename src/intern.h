/* The interner: each distinct string (a real path, a specifier) is stored
 * once in an arena and named by a dense uint32_t id. Edges and caches hold
 * ids, so a path costs its bytes once per scan, and two spellings that
 * realpath to one file share one id. Not thread-safe: the owner locks. */
#ifndef DS_INTERN_H
#define DS_INTERN_H

#include "arena.h"
#include "table.h"

struct ds_interner {
    struct ds_arena *arena; /* where the bytes go; not owned */
    struct ds_table table;
    struct ds_str *strs; /* by id; each NUL-terminated in the arena */
    size_t n, cap;
};

void ds_interner_init(struct ds_interner *in, struct ds_arena *arena);
void ds_interner_release(struct ds_interner *in);

/* The id of `s`, adding it when new. */
DS_MUST_CHECK enum ds_status ds_intern(struct ds_interner *in, struct ds_str s, uint32_t *id_out);
/* The id of `s`, or DS_NO_ID when it was never interned. */
uint32_t ds_intern_find(const struct ds_interner *in, struct ds_str s);

static inline struct ds_str ds_intern_str(const struct ds_interner *in, uint32_t id)
{
    assert(id < in->n);
    return in->strs[id];
}

#endif
