/* Comparing two scan results (`dscan diff A.json B.json`, SPEC §5a): which
 * modules moved into, out of, or between the client and server lists. The
 * results are read as `dscan scan --json` (or the npm API's JSON.stringify of
 * its result) writes them; only "client" and "server" are looked at, so a
 * baseline kept from an older dscan with fewer keys still compares.
 *
 * Paths are compared as written: inside ROOT they are "/"-relative to each
 * result's own root, so two checkouts of one project compare cleanly.
 *
 * What it does not do: run scans, print, or judge whether a change is bad. */
#include <stdlib.h>

#include "diag.h"
#include "json.h"
#include "readfile.h"

/* A baseline of a very large app is a few MB; this only bounds hostile input. */
#define MAX_RESULT_BYTES (256u << 20)

struct dscan_diff {
    struct ds_alloc alloc;
    struct ds_arena arena;
    struct dscan_change *changes;
    size_t n;
};

/* One path of one result and the list it is in. */
struct entry {
    const char *path;
    enum dscan_list list;
};

static int cmp_entry(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    int c = strcmp(x->path, y->path);

    // A path in both lists (not something dscan writes): client first, so
    // it counts as client, as "use client" wins in a file (SPEC §4.3).
    return c ? c : (int)x->list - (int)y->list;
}

/* Reads `file` and collects its client and server paths, sorted, one entry
 * per path. */
static enum ds_status load(struct dscan_diff *d, const char *file, struct entry **out,
                           size_t *n_out, struct dscan_error *err)
{
    static const struct {
        const char *key;
        enum dscan_list list;
    } lists[] = {{"client", DSCAN_LIST_CLIENT}, {"server", DSCAN_LIST_SERVER}};
    struct ds_str text;
    struct ds_read_error why;
    struct ds_json *doc;
    struct ds_json_error jerr;
    struct entry *v;
    size_t n = 0, cap = 0;
    enum ds_status st;

    st = ds_read_file(file, MAX_RESULT_BYTES, &d->arena, &text, &why);
    if (st != DS_OK)
        return ds_error_set(err, st, why.sys_errno, "cannot read '%s': %s", file, why.reason);
    st = ds_json_parse(text, DS_JSON_STRICT, &d->arena, &doc, &jerr);
    if (st == DS_ENOMEM)
        return ds_error_set(err, st, 0, "cannot read '%s': out of memory", file);
    if (st != DS_OK)
        return ds_error_set(err, DS_EPARSE, 0, "cannot parse '%s': %s at %u:%u", file, jerr.what,
                            jerr.line, jerr.col);
    if (doc->type != DS_JSON_OBJECT)
        return ds_error_set(err, DS_EPARSE, 0,
                            "'%s' is not a dscan result: expected an object with \"client\" and "
                            "\"server\" lists",
                            file);
    for (size_t l = 0; l < DS_ARRAY_LEN(lists); l++) {
        const struct ds_json *a = ds_json_get(doc, ds_str_cstr(lists[l].key));
        if (!a || a->type != DS_JSON_ARRAY)
            return ds_error_set(err, DS_EPARSE, 0,
                                "'%s' is not a dscan result: \"%s\" must be a list of paths", file,
                                lists[l].key);
        cap += a->n;
    }
    v = ds_arena_alloc(&d->arena, (cap ? cap : 1) * sizeof *v);
    if (!v)
        return ds_error_set(err, DS_ENOMEM, 0, "cannot read '%s': out of memory", file);
    for (size_t l = 0; l < DS_ARRAY_LEN(lists); l++) {
        const struct ds_json *a = ds_json_get(doc, ds_str_cstr(lists[l].key));
        for (uint32_t i = 0; i < a->n; i++) {
            const struct ds_json *p = &a->u.items[i];
            // Strings are NUL-terminated in the arena; one with a NUL inside
            // could never be a path.
            if (p->type != DS_JSON_STRING || strlen(p->u.str.ptr) != p->u.str.len)
                return ds_error_set(err, DS_EPARSE, 0,
                                    "'%s' is not a dscan result: item %u of \"%s\" is not a path",
                                    file, i + 1, lists[l].key);
            v[n++] = (struct entry){p->u.str.ptr, lists[l].list};
        }
    }
    qsort(v, n, sizeof *v, cmp_entry);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || strcmp(v[k - 1].path, v[i].path) != 0)
            v[k++] = v[i];
    *out = v;
    *n_out = k;
    return DS_OK;
}

enum dscan_status dscan_diff_files(const char *a_file, const char *b_file,
                                   const struct dscan_allocator *alloc, struct dscan_diff **out,
                                   struct dscan_error *err)
{
    struct ds_alloc boot;
    struct dscan_diff *d;
    struct entry *a = NULL, *b = NULL;
    size_t na = 0, nb = 0, i = 0, j = 0;
    enum ds_status st;

    if (!out)
        return (enum dscan_status)ds_error_set(err, DS_EINVAL, 0,
                                               "dscan_diff_files: no result pointer");
    *out = NULL;
    if (!a_file || !b_file)
        return (enum dscan_status)ds_error_set(err, DS_EINVAL, 0, "dscan_diff_files: %s",
                                               "two result files are needed");
    ds_alloc_init(&boot, alloc, 0);
    d = ds_alloc_malloc(&boot, sizeof *d);
    if (!d)
        return (enum dscan_status)ds_error_set(err, DS_ENOMEM, 0, "out of memory%s", "");
    memset(d, 0, sizeof *d);
    ds_alloc_init(&d->alloc, alloc, 0);
    atomic_store(&d->alloc.current, atomic_load(&boot.current));
    ds_arena_init(&d->arena, &d->alloc, 64 * 1024);

    st = load(d, a_file, &a, &na, err);
    if (st == DS_OK)
        st = load(d, b_file, &b, &nb, err);
    if (st != DS_OK)
        goto fail;
    d->changes = ds_arena_alloc(&d->arena, (na + nb ? na + nb : 1) * sizeof *d->changes);
    if (!d->changes) {
        st = ds_error_set(err, DS_ENOMEM, 0, "out of memory%s", "");
        goto fail;
    }
    // Both sides are sorted and unique: one merge gives every path once.
    while (i < na || j < nb) {
        int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i].path, b[j].path);
        if (c < 0) {
            d->changes[d->n++] = (struct dscan_change){a[i].path, a[i].list, DSCAN_LIST_NONE};
            i++;
        } else if (c > 0) {
            d->changes[d->n++] = (struct dscan_change){b[j].path, DSCAN_LIST_NONE, b[j].list};
            j++;
        } else {
            if (a[i].list != b[j].list)
                d->changes[d->n++] = (struct dscan_change){a[i].path, a[i].list, b[j].list};
            i++;
            j++;
        }
    }
    *out = d;
    return DSCAN_OK;
fail:
    dscan_diff_free(d);
    return (enum dscan_status)st;
}

size_t dscan_diff_count(const struct dscan_diff *d)
{
    return d ? d->n : 0;
}

const struct dscan_change *dscan_diff_at(const struct dscan_diff *d, size_t i)
{
    return d && i < d->n ? &d->changes[i] : NULL;
}

void dscan_diff_free(struct dscan_diff *d)
{
    if (!d)
        return;
    ds_arena_release(&d->arena);
    struct ds_alloc a = d->alloc;
    ds_alloc_free(&a, d);
}

const char *dscan_list_name(enum dscan_list list)
{
    switch (list) {
    case DSCAN_LIST_CLIENT: return "client";
    case DSCAN_LIST_SERVER: return "server";
    case DSCAN_LIST_NONE: break;
    }
    return "none";
}
