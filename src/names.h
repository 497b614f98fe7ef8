/* A set of interned name ids, as precise mode (SPEC §4.10) and the report's
 * barrel walks ask them of a module: either every name, or a sorted array.
 * Sets are small (the names one importer takes), so a sorted array with
 * binary search beats a hash table here. Not thread-safe; memory from the
 * given allocator, released with ds_alloc_free(a, set.v). */
#ifndef DS_NAMES_H
#define DS_NAMES_H

#include "alloc.h"

struct ds_names {
    uint32_t *v; /* sorted ids, v[0 .. n) */
    uint32_t n, cap;
    bool all; /* every name: v is not used */
};

bool ds_names_has(const struct ds_names *x, uint32_t id);

/* Adds id; *grew is set when it was not there. Only DS_ENOMEM fails, and
 * leaves the set as it was. */
DS_MUST_CHECK enum ds_status ds_names_add(struct ds_alloc *a, struct ds_names *x, uint32_t id,
                                          bool *grew);

/* into |= from; *grew is set when into gained a name. Only DS_ENOMEM fails. */
DS_MUST_CHECK enum ds_status ds_names_merge(struct ds_alloc *a, struct ds_names *into,
                                            const struct ds_names *from, bool *grew);

#endif
