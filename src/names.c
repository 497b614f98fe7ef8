/* Name sets (names.h): one home for the set precise mode and the report's
 * barrel walks both carry along re-export edges. */
#include <string.h>

#include "names.h"

/* Index of the first element >= id. */
static uint32_t lower_bound(const struct ds_names *x, uint32_t id)
{
    uint32_t lo = 0, hi = x->n;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (x->v[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool ds_names_has(const struct ds_names *x, uint32_t id)
{
    uint32_t at;

    if (x->all)
        return true;
    at = lower_bound(x, id);
    return at < x->n && x->v[at] == id;
}

enum ds_status ds_names_add(struct ds_alloc *a, struct ds_names *x, uint32_t id, bool *grew)
{
    size_t cap = x->cap;
    uint32_t at;

    if (x->all)
        return DS_OK;
    at = lower_bound(x, id);
    if (at < x->n && x->v[at] == id)
        return DS_OK;
    if (ds_alloc_grow(a, (void **)&x->v, &cap, (size_t)x->n + 1, sizeof *x->v) != DS_OK)
        return DS_ENOMEM;
    x->cap = (uint32_t)cap;
    memmove(x->v + at + 1, x->v + at, (x->n - at) * sizeof *x->v);
    x->v[at] = id;
    x->n++;
    *grew = true;
    return DS_OK;
}

enum ds_status ds_names_merge(struct ds_alloc *a, struct ds_names *into,
                              const struct ds_names *from, bool *grew)
{
    if (into->all)
        return DS_OK;
    if (from->all) {
        into->all = true;
        *grew = true;
        return DS_OK;
    }
    for (uint32_t i = 0; i < from->n; i++)
        if (ds_names_add(a, into, from->v[i], grew) != DS_OK)
            return DS_ENOMEM;
    return DS_OK;
}
