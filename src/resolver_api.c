/* The public resolver (dscan_resolver_*, dscan_resolve): a config, an
 * interner for real paths and a diagnostics list around one ds_resolver.
 * It turns results into the public shapes and failures into messages; it
 * does no resolution of its own. One handle is used by one thread at a time
 * (the returned path lives until the next call). */
#include <unistd.h>

#include "fs.h"
#include "resolve.h"

struct dscan_resolver {
    struct ds_alloc alloc;
    struct ds_config *cfg;
    struct ds_arena arena; /* interned paths, per-call strings */
    struct ds_interner paths;
    pthread_mutex_t paths_lock;
    struct ds_diags diags;
    bool diags_ok, lock_ok;
    struct ds_resolver *r;
    char path[DS_MAX_PATH + 1]; /* the last FILE result */
    /* The last importer as given and as resolved: callers resolve all the
     * imports of one file in a row, so this skips the realpath lookup. */
    char last_in[DS_MAX_PATH + 1], last_out[DS_MAX_PATH + 1];
    size_t last_out_len;
};

void dscan_resolver_free(struct dscan_resolver *dr)
{
    if (!dr)
        return;
    ds_resolver_free(dr->r);
    if (dr->diags_ok)
        ds_diags_release(&dr->diags);
    if (dr->lock_ok)
        pthread_mutex_destroy(&dr->paths_lock);
    ds_interner_release(&dr->paths);
    ds_arena_release(&dr->arena);
    ds_config_free(dr->cfg);
    struct ds_alloc alloc = dr->alloc;
    ds_alloc_free(&alloc, dr);
}

enum dscan_status dscan_resolver_new(const struct dscan_options *opts, struct dscan_resolver **out,
                                     struct dscan_error *err)
{
    struct ds_alloc alloc;
    struct dscan_options none = {0};
    enum ds_status st;

    if (!out)
        return (enum dscan_status)ds_error_set(err, DS_EINVAL, 0,
                                               "dscan_resolver_new: no result pointer");
    *out = NULL;
    if (!opts)
        opts = &none;
    ds_alloc_init(&alloc, opts->alloc, opts->memory_limit);
    struct dscan_resolver *dr = ds_alloc_calloc(&alloc, 1, sizeof *dr);
    if (!dr)
        return (enum dscan_status)ds_error_set(err, DS_ENOMEM, 0, "out of memory");
    dr->alloc = alloc;
    // The handle's allocator lives in the handle; everything below uses it.
    ds_arena_init(&dr->arena, &dr->alloc, 64 * 1024);
    ds_interner_init(&dr->paths, &dr->arena);
    st = ds_config_load(&dr->alloc, opts, &dr->cfg, err);
    if (st != DS_OK)
        goto fail_quiet;
    if (pthread_mutex_init(&dr->paths_lock, NULL) != 0) {
        st = DS_ENOMEM;
        goto fail;
    }
    dr->lock_ok = true;
    st = ds_diags_init(&dr->diags, &dr->alloc);
    if (st != DS_OK)
        goto fail;
    dr->diags_ok = true;
    st = ds_resolver_new(&dr->alloc, dr->cfg, &dr->paths, &dr->paths_lock, &dr->diags, &dr->r);
    if (st != DS_OK)
        goto fail;
    *out = dr;
    return DSCAN_OK;
fail:
    ds_error_set(err, st, 0, "cannot open a resolver: %s",
                 dscan_status_message((enum dscan_status)st));
fail_quiet:
    dscan_resolver_free(dr);
    return (enum dscan_status)st;
}

/* The importer as an absolute real path when it exists, else normalised. */
static enum ds_status importer_path(struct dscan_resolver *dr, const char *importer, char *buf,
                                    size_t cap, struct ds_str *out)
{
    char cwd[DS_MAX_PATH + 1], abs[DS_MAX_PATH + 1];
    struct ds_str a;
    uint32_t id;

    if (importer[0] != '/') {
        if (!getcwd(cwd, sizeof cwd))
            return DS_EINVAL;
    } else {
        cwd[0] = '/';
        cwd[1] = '\0';
    }
    if (!ds_path_join(ds_str_cstr(cwd), ds_str_cstr(importer), abs, sizeof abs, &a))
        return DS_ELIMIT;
    enum ds_status st = ds_resolver_realpath(dr->r, a, &id);
    if (st == DS_OK) {
        pthread_mutex_lock(&dr->paths_lock);
        a = ds_intern_str(&dr->paths, id);
        pthread_mutex_unlock(&dr->paths_lock);
    } else if (st == DS_ENOMEM) {
        return st;
    }
    if (!ds_str_to_cstr(a, buf, cap))
        return DS_ELIMIT;
    *out = ds_str_make(buf, a.len);
    return DS_OK;
}

enum dscan_status dscan_resolve(struct dscan_resolver *dr, const struct dscan_resolve_request *req,
                                struct dscan_resolved *out, struct dscan_error *err)
{
    char imp[DS_MAX_PATH + 1];
    struct ds_str importer;
    struct ds_resolution res;
    struct ds_strlist conds = {0}, *cp = NULL;
    enum ds_status st;

    if (!dr || !req || !req->specifier || !req->importer || !out ||
        (unsigned)req->env >= DSCAN_N_ENVS)
        return (enum dscan_status)ds_error_set(err, DS_EINVAL, 0, "invalid resolve request");
    if (dr->last_out_len && req->importer[0] == '/' && !strcmp(req->importer, dr->last_in)) {
        memcpy(imp, dr->last_out, dr->last_out_len + 1);
        importer = ds_str_make(imp, dr->last_out_len);
        st = DS_OK;
    } else {
        st = importer_path(dr, req->importer, imp, sizeof imp, &importer);
        size_t n = strlen(req->importer);
        if (st == DS_OK && n < sizeof dr->last_in) {
            memcpy(dr->last_in, req->importer, n + 1);
            memcpy(dr->last_out, imp, importer.len + 1);
            dr->last_out_len = importer.len;
        }
    }
    if (st != DS_OK)
        return (enum dscan_status)ds_error_set(err, st, 0, "bad importer '%s': %s", req->importer,
                                               dscan_status_message((enum dscan_status)st));
    if (req->conditions.set) {
        conds.items = ds_alloc_calloc(&dr->alloc, req->conditions.n + 1, sizeof *conds.items);
        if (!conds.items)
            return (enum dscan_status)ds_error_set(err, DS_ENOMEM, 0, "out of memory");
        for (size_t i = 0; i < req->conditions.n; i++)
            conds.items[i] = ds_str_cstr(req->conditions.items[i]);
        conds.n = req->conditions.n;
        cp = &conds;
    }
    st = ds_resolve_with(dr->r, importer, ds_str_cstr(req->specifier), req->env, req->kind, cp,
                         &res);
    ds_alloc_free(&dr->alloc, conds.items);
    if (st != DS_OK)
        return (enum dscan_status)ds_error_set(err, st, 0, "cannot resolve '%s' from '%s': %s",
                                               req->specifier, imp,
                                               dscan_status_message((enum dscan_status)st));
    switch (res.kind) {
    case DS_RES_FILE: {
        pthread_mutex_lock(&dr->paths_lock);
        struct ds_str p = ds_intern_str(&dr->paths, res.path_id);
        bool ok = ds_str_to_cstr(p, dr->path, sizeof dr->path);
        pthread_mutex_unlock(&dr->paths_lock);
        if (!ok)
            return (enum dscan_status)ds_error_set(err, DS_ELIMIT, 0,
                                                   "cannot resolve '%s': resolved path longer "
                                                   "than %d bytes",
                                                   req->specifier, DS_MAX_PATH);
        *out = (struct dscan_resolved){DSCAN_RESOLVED_FILE, dr->path};
        return DSCAN_OK;
    }
    case DS_RES_EMPTY: *out = (struct dscan_resolved){DSCAN_RESOLVED_EMPTY, NULL}; return DSCAN_OK;
    case DS_RES_EXTERNAL:
        *out = (struct dscan_resolved){DSCAN_RESOLVED_EXTERNAL, NULL};
        return DSCAN_OK;
    default:
        return (enum dscan_status)ds_error_set(err, res.symlink_loop ? DS_ELOOP : DS_ENOTFOUND, 0,
                                               "cannot resolve '%s' from '%s': %s", req->specifier,
                                               imp, res.reason ? res.reason : "not found");
    }
}

size_t dscan_resolver_diagnostic_count(const struct dscan_resolver *dr)
{
    if (!dr)
        return 0;
    /* The lock is not part of what the caller sees as const (C has no
     * `mutable`); through uintptr_t so -Wcast-qual flags only unmeant casts. */
    pthread_mutex_t *lock = (pthread_mutex_t *)(uintptr_t)&dr->diags.lock;
    pthread_mutex_lock(lock);
    size_t n = dr->diags.n;
    pthread_mutex_unlock(lock);
    return n;
}

const struct dscan_diagnostic *dscan_resolver_diagnostic_at(const struct dscan_resolver *dr,
                                                            size_t i)
{
    if (!dr || i >= dscan_resolver_diagnostic_count(dr))
        return NULL;
    return &dr->diags.items[i];
}
