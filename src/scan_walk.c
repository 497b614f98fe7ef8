/* The scan's work items (scan_int.h): visiting a module resolves its
 * imports in the module's own environment (SPEC §4.2: a directive decides
 * it) and adds the scripts found to the graph, queueing the new modules;
 * reading a file publishes its facts and queues the visits that waited for
 * them; a pre-scan candidate becomes a root when its file has a directive.
 * A module's visit is queued only once its file's facts are in, so a
 * visiting thread never waits for a read. */
#include "scan_int.h"
#include "specifier.h"

#define VISIT_CHUNK 16 /* imports added to the graph under one lock */

static enum ds_status flush(struct dscan *s, struct batch *b)
{
    enum ds_status st = DS_OK;

    for (unsigned lane = 0; lane < DS_POOL_LANES && st == DS_OK; lane++) {
        st = ds_pool_push_many(s->pool, lane, b->items[lane], b->n[lane]);
        b->n[lane] = 0;
    }
    return st;
}

/* Room for one more module's items in `b`, flushing it if need be.
 * Called with `lock` held (pool lock under the scan lock: the documented
 * order). */
static enum ds_status room(struct dscan *s, struct batch *b)
{
    if (b->n[LANE_VISIT] < BATCH && b->n[LANE_READ] < BATCH)
        return DS_OK;
    return flush(s, b);
}

/* Adds root module (id, env) of kind `root` (DS_ROOT_*) and queues it when
 * new. */
static enum ds_status visit(struct dscan *s, uint32_t id, enum dscan_env env, uint8_t root)
{
    struct batch b = {0};
    uint32_t m;
    bool is_new;
    enum ds_status st;

    pthread_mutex_lock(&s->lock);
    st = ds_graph_add(&s->graph, id, env, &m, &is_new);
    if (st == DS_OK && !s->graph.mods[m].is_root)
        s->n_roots++;
    if (st == DS_OK)
        s->graph.mods[m].is_root |= root;
    if (st == DS_OK && is_new)
        st = ds_scan_queue_module(s, m, id, &b);
    if (st == DS_OK)
        st = flush(s, &b);
    pthread_mutex_unlock(&s->lock);
    return st;
}

/* Adds the modules (ids[i], env) that module `from` imports (imports number
 * imps[i] of its file), in import order, under one acquisition of `lock`
 * (not one per import), and queues the new ones in one push per lane. */
static enum ds_status visit_many(struct dscan *s, const uint32_t *ids, const uint32_t *imps,
                                 size_t n, enum dscan_env env, uint32_t from, struct batch *b)
{
    enum ds_status st = DS_OK;

    if (n == 0)
        return DS_OK;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < n && st == DS_OK; i++) {
        uint32_t m;
        bool is_new;
        st = ds_graph_add(&s->graph, ids[i], env, &m, &is_new);
        if (st == DS_OK)
            st = ds_graph_add_edge(&s->graph, from, m, imps[i]);
        if (st == DS_OK && is_new)
            st = room(s, b);
        if (st == DS_OK && is_new)
            st = ds_scan_queue_module(s, m, ids[i], b);
    }
    pthread_mutex_unlock(&s->lock);
    return st;
}

static enum ds_status add_unresolved(struct dscan *s, struct ds_str spec, uint32_t importer,
                                     enum dscan_env env, const char *reason)
{
    enum ds_status st;
    struct ds_str why = {0};

    pthread_mutex_lock(&s->lock);
    st = ds_alloc_grow(&s->alloc, (void **)&s->unres, &s->cap_unres, s->n_unres + 1,
                       sizeof *s->unres);
    if (st == DS_OK)
        st = ds_arena_strdup(&s->arena, ds_str_cstr(reason ? reason : "not found"), &why);
    if (st == DS_OK)
        s->unres[s->n_unres++] = (struct unres){spec, importer, (uint8_t)env, why.ptr};
    pthread_mutex_unlock(&s->lock);
    return st;
}

/* One module's visit in progress: the scripts it imports, added to the
 * graph VISIT_CHUNK at a time, and the new modules to queue. */
struct visiting {
    uint32_t m;
    struct ds_importer from;
    uint32_t path_id;
    uint32_t found[VISIT_CHUNK], found_imp[VISIT_CHUNK];
    size_t n_found;
    struct batch b;
};

/* Takes the answer `res` for import number `i`, `im`, of the module. */
static enum ds_status take(struct dscan *s, struct visiting *v, uint32_t i, const struct imp *im,
                           const struct ds_resolution *res)
{
    enum ds_status st = DS_OK;

    // A spelling that differs from the file on disk only in letter case
    // works on macOS and fails on Linux: warn as esbuild does, whether
    // the resolver then found the file or not.
    if (res->case_mismatch) {
        st = ds_diag_add(&s->diags, DSCAN_WARNING, "case", v->from.path, im->line, im->col,
                         "import '%.*s' in '%.*s' differs in letter case from the file on "
                         "disk%s%s",
                         DS_STR_FMT(im->spec), DS_STR_FMT(v->from.path),
                         res->kind == DS_RES_NOT_FOUND && res->reason ? ": " : "",
                         res->kind == DS_RES_NOT_FOUND && res->reason ? res->reason : "");
        if (st != DS_OK)
            return st;
    }
    switch (res->kind) {
    case DS_RES_FILE:
        // SPEC §4.5: assets (.css, .svg, .json …) are resolved but never read.
        if (!res->script)
            break;
        v->found_imp[v->n_found] = i;
        v->found[v->n_found++] = res->path_id;
        // A barrel (lucide-react: 1,637 re-exports) must not keep the
        // other workers idle until its last import is resolved: queue
        // what it found every VISIT_CHUNK imports.
        if (v->n_found == VISIT_CHUNK) {
            st = visit_many(s, v->found, v->found_imp, v->n_found, v->from.env, v->m, &v->b);
            if (st == DS_OK)
                st = flush(s, &v->b);
            v->n_found = 0;
        }
        break;
    case DS_RES_NOT_FOUND:
        st = add_unresolved(s, im->spec, v->path_id, v->from.env, res->reason);
        break;
    case DS_RES_EMPTY:
    case DS_RES_EXTERNAL: break;
    }
    return st;
}

#define ASK_CHUNK 64 /* imports whose cached answers are read under one lock */

/* Resolves imports [from, to) of the module (at most ASK_CHUNK): the
 * answers the resolver knows in one call, then the others one by one. */
static enum ds_status resolve_chunk(struct dscan *s, struct visiting *v, const struct file_rec *rec,
                                    uint32_t from, uint32_t to)
{
    struct ds_resolve_ask asks[ASK_CHUNK];
    struct ds_resolution res[ASK_CHUNK];
    bool known[ASK_CHUNK];
    uint32_t which[ASK_CHUNK];
    size_t n = 0;
    enum ds_status st;

    for (uint32_t i = from; i < to; i++) {
        const struct imp *im = &rec->imports[i];
        if (ds_spec_skip_query(im->spec))
            continue;
        asks[n] = (struct ds_resolve_ask){im->spec, (enum dscan_import_kind)im->kind};
        which[n++] = i;
    }
    st = ds_resolve_known(s->resolver, &v->from, asks, n, res, known);
    for (size_t k = 0; k < n && st == DS_OK; k++) {
        const struct imp *im = &rec->imports[which[k]];
        if (!known[k])
            st = ds_resolve_unknown(s->resolver, &v->from, im->spec,
                                    (enum dscan_import_kind)im->kind, &res[k]);
        if (st == DS_ELIMIT) {
            st = ds_diag_add(&s->diags, DSCAN_WARNING, "limit", v->from.path, im->line, im->col,
                             "cannot resolve '%.*s' from '%.*s': limit exceeded",
                             DS_STR_FMT(im->spec), DS_STR_FMT(v->from.path));
            continue;
        }
        if (st == DS_OK)
            st = take(s, v, which[k], im, &res[k]);
    }
    return st;
}

static enum ds_status run_visit(struct dscan *s, struct ds_pool_worker *w, uint32_t m)
{
    struct ds_module mod;
    struct file_rec rec;
    struct visiting v = {.m = m};
    enum ds_status st;

    pthread_mutex_lock(&s->lock);
    mod = s->graph.mods[m];
    pthread_mutex_unlock(&s->lock);

    st = ds_scan_file_facts(s, w, mod.path_id, &rec);
    if (st != DS_OK || !rec.n_imports)
        return st;
    v.path_id = mod.path_id;
    // SPEC §4.2: the directive decides the module's own environment; "use
    // client" wins over "use server" (§4.3).
    enum dscan_env env = (rec.flags & F_USE_CLIENT)   ? DSCAN_ENV_CLIENT
                         : (rec.flags & F_USE_SERVER) ? DSCAN_ENV_WORKER
                                                      : (enum dscan_env)mod.env;
    struct ds_str importer = ds_scan_path_of(s, mod.path_id);
    st = ds_importer_init(s->resolver, importer, env, &v.from);
    if (st == DS_ELIMIT)
        return ds_diag_add(&s->diags, DSCAN_WARNING, "limit", importer, 0, 0,
                           "cannot resolve the imports of '%.*s': limit exceeded",
                           DS_STR_FMT(importer));
    for (uint32_t i = 0; i < rec.n_imports && st == DS_OK; i += ASK_CHUNK)
        st = resolve_chunk(s, &v, &rec, i,
                           rec.n_imports - i < ASK_CHUNK ? rec.n_imports : i + ASK_CHUNK);
    if (st == DS_OK)
        st = visit_many(s, v.found, v.found_imp, v.n_found, env, m, &v.b);
    if (st != DS_OK)
        return st;
    return flush(s, &v.b);
}

/* A pre-scan candidate: a root if it has a directive, in the environment the
 * directive names (SPEC §4.1, §4.2). */
static enum ds_status run_prescan(struct dscan *s, struct ds_pool_worker *w, uint32_t id)
{
    struct file_rec rec;
    enum ds_status st = ds_scan_file_facts(s, w, id, &rec);

    if (st != DS_OK)
        return st;
    if (rec.flags & F_USE_CLIENT)
        return ds_scan_add_root(s, id, DSCAN_ENV_CLIENT, DS_ROOT_PRESCAN);
    if (rec.flags & F_USE_SERVER)
        return ds_scan_add_root(s, id, DSCAN_ENV_WORKER, DS_ROOT_PRESCAN);
    return DS_OK;
}

enum ds_status ds_scan_run_item(void *ctx, struct ds_pool_worker *w, uint64_t item)
{
    struct dscan *s = ctx;
    uint32_t id = (uint32_t)item;

    switch ((enum item_kind)(item >> 32)) {
    case ITEM_PRESCAN: return run_prescan(s, w, id);
    case ITEM_READ: {
        struct file_rec rec;
        return ds_scan_file_facts(s, w, id, &rec);
    }
    case ITEM_VISIT: break;
    }
    return run_visit(s, w, id);
}

enum ds_status ds_scan_add_root(struct dscan *s, uint32_t id, enum dscan_env env, uint8_t root)
{
    return visit(s, id, env, root);
}
