/* The persistent scanner (SPEC §5b): the scan state kept between scans, and
 * updates that re-read only the changed files.
 *
 * What is kept (all in one internal struct dscan, scan_int.h, plus the
 * session's own tables):
 *   - the path and specifier interners: ids stay stable for the session;
 *   - each file's facts (directive flags, imports), by path id;
 *   - the resolver with its fs caches (listings, real paths, package.json,
 *     tsconfig) and its result cache;
 *   - the pre-scan candidates (real path ids of the script files under srcDir);
 *   - per (path id, own environment) the imports as they resolved: the
 *     script files they reach and the unresolved ones ("stored edges").
 *
 * An update, for each changed or removed path: drops that file's facts (it is
 * read and lexed again when the walk reaches it) and its stored edges. When
 * the change can alter how anything resolves or what the pre-scan finds — a
 * file added or removed (its directory's listing changes), a .json file
 * (package.json, tsconfig), a symlink, a path that is not a regular file we
 * already read — the resolver and its caches are rebuilt, all stored edges
 * dropped and srcDir walked again; facts of unchanged files stay. Then the
 * graph is walked again from the roots, single-threaded: a module whose
 * edges are stored costs no resolution, so an edit of one ordinary file
 * costs one read, one lex and that file's resolutions.
 *
 * Not thread-safe: one thread uses a session at a time (dscan.h). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lang.h"
#include "path.h"
#include "prescan.h"
#include "proc.h"
#include "session.h"
#include "sys.h"
#include "specifier.h"

/* ---- the scan state ----------------------------------------------------- */

static void state_free(struct dscan_session *ss)
{
    struct dscan *s = ss->s;

    if (!s)
        return;
    for (size_t i = 0; i < ss->edges_cap; i++) {
        ds_alloc_free(&ss->alloc, ss->edges[i].to);
        ds_alloc_free(&ss->alloc, ss->edges[i].un);
        ss->edges[i] = (struct sess_edges){0};
    }
    ds_arena_release(&ss->w.scratch);
    s->cfg = NULL; // the session's
    dscan_free(s);
    ss->s = NULL;
    ss->n_cands = 0;
    ss->cands_valid = false;
    ss->n_ovr = 0;
}

/* A new resolver (fresh fs caches) and no stored edges or candidates. */
static enum ds_status drop_resolutions(struct dscan_session *ss)
{
    struct dscan *s = ss->s;

    for (size_t i = 0; i < ss->edges_cap; i++) {
        ds_alloc_free(&ss->alloc, ss->edges[i].to);
        ds_alloc_free(&ss->alloc, ss->edges[i].un);
        ss->edges[i] = (struct sess_edges){0};
    }
    ss->cands_valid = false;
    ss->n_cands = 0;
    ss->n_targeted = 0;
    ds_resolver_free(s->resolver);
    s->resolver = NULL;
    return ds_resolver_new(&s->alloc, s->cfg, &s->paths, &s->paths_lock, &s->diags, &s->resolver);
}

static void drop_edges_of(struct dscan_session *ss, uint32_t id)
{
    for (size_t k = 0; k < 2; k++) {
        size_t i = (size_t)id * 2 + k;
        if (i >= ss->edges_cap)
            return;
        ds_alloc_free(&ss->alloc, ss->edges[i].to);
        ds_alloc_free(&ss->alloc, ss->edges[i].un);
        ss->edges[i] = (struct sess_edges){0};
    }
}

/* Forgets the facts of file `id`: the walk reads it again. */
static void drop_facts_of(struct dscan_session *ss, uint32_t id)
{
    struct dscan *s = ss->s;

    if (id == DS_NO_ID)
        return;
    if (id < s->files_cap)
        s->files[id] = (struct file_rec){0};
    drop_edges_of(ss, id);
}

/* ---- growing the tables ------------------------------------------------- */

static enum ds_status grow_ids(struct dscan_session *ss)
{
    size_t need = ss->s->paths.n * 2 + 2, old;
    enum ds_status st;

    if (need > ss->edges_cap) {
        old = ss->edges_cap;
        st =
            ds_alloc_grow(&ss->alloc, (void **)&ss->edges, &ss->edges_cap, need, sizeof *ss->edges);
        if (st != DS_OK)
            return st;
        memset(ss->edges + old, 0, (ss->edges_cap - old) * sizeof *ss->edges);
    }
    if (need > ss->seen_cap) {
        old = ss->seen_cap;
        st = ds_alloc_grow(&ss->alloc, (void **)&ss->seen, &ss->seen_cap, need, sizeof *ss->seen);
        if (st != DS_OK)
            return st;
        memset(ss->seen + old, 0, (ss->seen_cap - old) * sizeof *ss->seen);
    }
    if (need > ss->queue_cap)
        return ds_alloc_grow(&ss->alloc, (void **)&ss->queue, &ss->queue_cap, need,
                             sizeof *ss->queue);
    return DS_OK;
}

/* ---- the walk ----------------------------------------------------------- */

static enum ds_status facts(struct dscan_session *ss, uint32_t id, struct file_rec *rec)
{
    enum ds_status st = ds_scan_file_facts(ss->s, &ss->w, id, rec);

    ds_arena_reset(&ss->w.scratch);
    return st;
}

/* Queues (id, env) unless this walk has seen it. */
static enum ds_status visit(struct dscan_session *ss, uint32_t id, enum dscan_env env, size_t *tail)
{
    enum ds_status st = grow_ids(ss);
    size_t k = (size_t)id * 2 + env;

    if (st != DS_OK)
        return st;
    if (ss->seen[k] == ss->gen)
        return DS_OK;
    ss->seen[k] = ss->gen;
    ss->modules++;
    ss->queue[(*tail)++] = (uint32_t)k;
    return DS_OK;
}

static const struct ds_sess_override *find_override(const struct dscan_session *ss, uint32_t id,
                                                    struct ds_str spec, enum dscan_env env)
{
    for (size_t i = 0; i < ss->n_ovr; i++)
        if (ss->ovr[i].importer == id && ss->ovr[i].env == env && ds_str_eq(ss->ovr[i].spec, spec))
            return &ss->ovr[i];
    return NULL;
}

static enum ds_status intern_spec(struct dscan *s, struct ds_str in, struct ds_str *out)
{
    uint32_t sid;
    enum ds_status st = ds_intern(&s->specs, in, &sid);

    if (st == DS_OK)
        *out = ds_intern_str(&s->specs, sid);
    return st;
}

/* Resolves the imports of file `id` in `env` and stores them. */
static enum ds_status resolve_edges(struct dscan_session *ss, uint32_t id, enum dscan_env env,
                                    const struct file_rec *rec, struct sess_edges *e)
{
    struct dscan *s = ss->s;
    struct ds_str importer = ds_scan_path_of(s, id);
    enum ds_status st = DS_OK;

    *e = (struct sess_edges){0};
    if (rec->n_imports) {
        e->to = ds_alloc_malloc(&ss->alloc, rec->n_imports * sizeof *e->to);
        e->un = ds_alloc_malloc(&ss->alloc, rec->n_imports * sizeof *e->un);
        if (!e->to || !e->un)
            st = DS_ENOMEM;
    }
    for (uint32_t i = 0; i < rec->n_imports && st == DS_OK; i++) {
        const struct imp *im = &rec->imports[i];
        struct ds_resolution res;

        if (ds_spec_skip_query(im->spec))
            continue;
        ss->resolve_calls++;
        st = ds_resolve(s->resolver, importer, im->spec, env, (enum dscan_import_kind)im->kind,
                        &res);
        if (st == DS_ELIMIT) {
            st = DS_OK;
            continue;
        }
        if (st != DS_OK)
            break;
        if (res.kind == DS_RES_FILE && res.script) {
            e->to[e->n_to++] = res.path_id;
        } else if (res.kind == DS_RES_NOT_FOUND) {
            const struct ds_sess_override *o = find_override(ss, id, im->spec, env);
            struct sess_unres u = {im->spec, {0}};
            if (o) {
                e->to[e->n_to++] = o->target;
                continue;
            }
            // The reason lives as long as the resolver, which an update may replace.
            st = intern_spec(s, ds_str_cstr(res.reason ? res.reason : "not found"), &u.reason);
            if (st == DS_OK)
                e->un[e->n_un++] = u;
        }
    }
    if (st != DS_OK) {
        ds_alloc_free(&ss->alloc, e->to);
        ds_alloc_free(&ss->alloc, e->un);
        *e = (struct sess_edges){0};
        return st;
    }
    e->valid = true;
    return DS_OK;
}

static enum ds_status add_unres(struct dscan_session *ss, const struct sess_unres *u, uint32_t id,
                                enum dscan_env env)
{
    enum ds_status st =
        ds_alloc_grow(&ss->alloc, (void **)&ss->un, &ss->un_cap, ss->n_un + 1, sizeof *ss->un);

    if (st == DS_OK)
        ss->un[ss->n_un++] = (struct walk_unres){u->spec, u->reason, id, (uint8_t)env};
    return st;
}

static enum ds_status on_candidate(void *ctx, struct ds_str path)
{
    struct dscan_session *ss = ctx;
    uint32_t id;
    enum ds_status st = ds_resolver_realpath(ss->s->resolver, path, &id);

    // A dangling link or a file removed since readdir: nothing to scan.
    if (st == DS_ENOENT || st == DS_ELOOP)
        return DS_OK;
    if (st != DS_OK)
        return st;
    st = ds_alloc_grow(&ss->alloc, (void **)&ss->cands, &ss->cands_cap, ss->n_cands + 1,
                       sizeof *ss->cands);
    if (st == DS_OK)
        ss->cands[ss->n_cands++] = id;
    return st;
}

/* The entries, as dscan_run's add_entries finds them. */
static enum ds_status add_entries(struct dscan_session *ss, size_t *tail, struct dscan_error *err)
{
    struct dscan *s = ss->s;
    uint32_t id;

    for (size_t i = 0; i < ss->cfg->entries.n; i++) {
        struct ds_str e = ss->cfg->entries.items[i];
        enum ds_status st = ds_resolver_realpath(s->resolver, e, &id);
        if (st == DS_ENOENT || st == DS_ELOOP || st == DS_EIO)
            return ds_error_set(err, DS_ENOENT, 0, "cannot find entry '%.*s': %s", DS_STR_FMT(e),
                                dscan_status_message((enum dscan_status)st));
        if (st != DS_OK)
            return st;
        ss->roots++;
        st = visit(ss, id, DSCAN_ENV_WORKER, tail);
        if (st != DS_OK)
            return st;
    }
    return DS_OK;
}

static enum ds_status walk(struct dscan_session *ss, struct dscan_error *err)
{
    struct dscan *s = ss->s;
    size_t head = 0, tail = 0;
    enum ds_status st;

    ss->gen++;
    if (ss->gen == 0) { // wrapped: forget every mark
        memset(ss->seen, 0, ss->seen_cap * sizeof *ss->seen);
        ss->gen = 1;
    }
    ss->modules = ss->roots = ss->n_un = 0;
    st = add_entries(ss, &tail, err);
    if (st != DS_OK)
        return st;
    if (ss->cfg->prescan && !ss->cands_valid) {
        ss->n_cands = 0;
        st =
            ds_prescan_walk(&s->alloc, ss->cfg->sys, ss->cfg->src_dir, &s->diags, on_candidate, ss);
        if (st != DS_OK)
            return st;
        ss->cands_valid = true;
    }
    for (size_t i = 0; i < ss->n_cands; i++) {
        struct file_rec rec;
        st = facts(ss, ss->cands[i], &rec);
        if (st != DS_OK)
            return st;
        if (rec.flags & (F_USE_CLIENT | F_USE_SERVER)) {
            ss->roots++;
            st = visit(ss, ss->cands[i],
                       rec.flags & F_USE_CLIENT ? DSCAN_ENV_CLIENT : DSCAN_ENV_WORKER, &tail);
            if (st != DS_OK)
                return st;
        }
    }
    while (head < tail) {
        uint32_t k = ss->queue[head++], id = k / 2;
        struct file_rec rec;
        st = facts(ss, id, &rec);
        if (st != DS_OK)
            return st;
        enum dscan_env env = (rec.flags & F_USE_CLIENT)   ? DSCAN_ENV_CLIENT
                             : (rec.flags & F_USE_SERVER) ? DSCAN_ENV_WORKER
                                                          : (enum dscan_env)(k & 1);
        st = grow_ids(ss);
        if (st != DS_OK)
            return st;
        size_t ek = (size_t)id * 2 + env;
        if (!ss->edges[ek].valid) {
            struct sess_edges e;
            st = resolve_edges(ss, id, env, &rec, &e);
            if (st != DS_OK)
                return st;
            st = grow_ids(ss); // resolving interned new paths
            if (st != DS_OK) {
                ds_alloc_free(&ss->alloc, e.to);
                ds_alloc_free(&ss->alloc, e.un);
                return st;
            }
            ss->edges[ek] = e;
        }
        const struct sess_edges *e = &ss->edges[ek];
        for (uint32_t i = 0; i < e->n_to; i++) {
            st = visit(ss, e->to[i], env, &tail);
            if (st != DS_OK)
                return st;
        }
        for (uint32_t i = 0; i < e->n_un; i++) {
            st = add_unres(ss, &e->un[i], id, env);
            if (st != DS_OK)
                return st;
        }
    }
    if (ss->roots == 0)
        return ds_error_set(
            err, DS_ENOENT, 0,
            "nothing to scan in '%.*s': no entry given, no src/worker.{tsx,ts,jsx,js}, "
            "and no directive file under '%.*s'",
            DS_STR_FMT(ss->cfg->root), DS_STR_FMT(ss->cfg->src_dir));
    return DS_OK;
}

/* ---- one call ----------------------------------------------------------- */

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static enum dscan_status finish(struct dscan_session *ss, enum ds_status st, double t0,
                                size_t files0, uint64_t bytes0, struct dscan_error *err)
{
    struct ds_proc_mem mem;

    if (st == DS_OK)
        st = ds_session_build_result(ss);
    ss->failed = st != DS_OK;
    if (st != DS_OK) {
        if (!err->message[0])
            ds_error_set(err, st, 0, "scan failed: %s",
                         dscan_status_message((enum dscan_status)st));
        return (enum dscan_status)st;
    }
    ds_proc_mem(&mem);
    ss->stats = (struct dscan_stats){0};
    ss->stats.modules = ss->modules;
    ss->stats.files_read = ss->s->files_read - files0;
    ss->stats.bytes_read = ss->s->bytes_read - bytes0;
    ss->stats.resolve_calls = ss->resolve_calls;
    ss->stats.paths_interned = ss->s->paths.n;
    ss->stats.wall_ms = now_ms() - t0;
    ss->stats.peak_rss_kb = mem.peak_kb;
    ss->stats.peak_heap_bytes = atomic_load(&ss->s->alloc.peak) + atomic_load(&ss->alloc.peak);
    ss->stats.threads = 1;
    return DSCAN_OK;
}

static void clear_err(struct dscan_error *err)
{
    err->status = DSCAN_OK;
    err->sys_errno = 0;
    err->message[0] = '\0';
}

enum dscan_status dscan_session_open(const struct dscan_options *opts, struct dscan_session **out,
                                     struct dscan_error *err)
{
    struct dscan_error local;
    struct dscan_session *ss;
    enum ds_status st;

    if (!err)
        err = &local;
    clear_err(err);
    if (!opts || !out)
        return (enum dscan_status)ds_error_set(err, DS_EINVAL, 0, "dscan_session_open: %s",
                                               !opts ? "no options" : "no result pointer");
    *out = NULL;
    ss = opts->alloc ? opts->alloc->malloc(opts->alloc->ctx, sizeof *ss) : malloc(sizeof *ss);
    if (!ss)
        return (enum dscan_status)ds_error_set(err, DS_ENOMEM, 0, "out of memory%s", "");
    memset(ss, 0, sizeof *ss);
    ss->user = opts->alloc;
    ss->memory_limit = opts->memory_limit;
    ds_alloc_init(&ss->alloc, opts->alloc, opts->memory_limit);
    for (int i = 0; i < 2; i++)
        ds_arena_init(&ss->res[i].arena, &ss->alloc, 16 * 1024);
    st = ds_config_load(&ss->alloc, opts, &ss->cfg, err);
    if (st != DS_OK) {
        if (!err->message[0])
            ds_error_set(err, st, 0, "out of memory%s", "");
        dscan_session_close(ss);
        return (enum dscan_status)st;
    }
    // Precise mode (SPEC §4.10) walks the whole finished graph by name; the
    // session's incremental walk does not carry names yet.
    if (ss->cfg->precise) {
        ds_error_set(err, DS_EINVAL, 0,
                     "precise mode is not supported by the persistent scanner (dscan serve, "
                     "createScanner) yet; use dscan scan --precise%s",
                     "");
        dscan_session_close(ss);
        return DSCAN_EINVAL;
    }
    *out = ss;
    return DSCAN_OK;
}

void dscan_session_close(struct dscan_session *ss)
{
    const struct dscan_allocator *user;

    if (!ss)
        return;
    state_free(ss);
    ds_config_free(ss->cfg);
    ds_alloc_free(&ss->alloc, ss->edges);
    ds_alloc_free(&ss->alloc, ss->seen);
    ds_alloc_free(&ss->alloc, ss->queue);
    ds_alloc_free(&ss->alloc, ss->cands);
    ds_alloc_free(&ss->alloc, ss->un);
    ds_alloc_free(&ss->alloc, ss->ovr);
    for (int i = 0; i < 2; i++)
        ds_arena_release(&ss->res[i].arena);
    user = ss->user;
    if (user)
        user->free(user->ctx, ss);
    else
        free(ss);
}

enum dscan_status dscan_session_scan(struct dscan_session *ss, struct dscan_error *err)
{
    struct dscan_error local;
    double t0 = now_ms();
    enum ds_status st;

    if (!err)
        err = &local;
    clear_err(err);
    if (!ss)
        return DSCAN_EINVAL;
    state_free(ss);
    ss->resolve_calls = 0;
    // A parallel scan (dscan_run's) reads and lexes every file and warms the
    // resolver; the session keeps both, and its own walk then stores the
    // edges from cached resolutions.
    struct dscan_options o = {0};
    o.alloc = ss->user;
    o.memory_limit = ss->memory_limit;
    st = ds_scan_run_kept(&o, ss->cfg, &ss->s, err);
    if (st == DS_OK)
        ds_arena_init(&ss->w.scratch, &ss->s->alloc, SCRATCH_BLOCK);
    if (st == DS_OK)
        st = walk(ss, err);
    if (st != DS_OK) {
        // Keep no half-built state: the next call scans from scratch.
        enum dscan_status ret = finish(ss, st, t0, 0, 0, err);
        state_free(ss);
        return ret;
    }
    return finish(ss, st, t0, 0, 0, err);
}

/* What a change of one path can affect, least first. */
enum reach {
    R_CONTENT = 0, /* its own facts only */
    R_LISTING,     /* also its directory's listing (and package.json data):
                    * those directories are invalidated in the resolver */
    R_FULL,        /* anything: the resolver and its caches are rebuilt */
};

#define MAX_DIRTY_DIRS 64
#define MAX_TARGETED   4 /* directory invalidations before a new resolver */

struct dirty {
    enum reach reach;
    bool prescan; /* a path under srcDir: walk it again */
    size_t n_dirs;
    char dirs[MAX_DIRTY_DIRS][DS_MAX_PATH + 1];
};

static bool has_segment(struct ds_str path, const char *seg)
{
    size_t n = strlen(seg);
    for (size_t i = 0; i + n <= path.len; i++)
        if (memcmp(path.ptr + i, seg, n) == 0)
            return true;
    return false;
}

/* Marks real directory `dir` and its ancestors for invalidation: a new
 * directory changes its parent's listing too. */
static void dirty_dirs(struct dirty *d, struct ds_str dir)
{
    for (;;) {
        bool seen = false;
        for (size_t i = 0; i < d->n_dirs && !seen; i++)
            seen = strlen(d->dirs[i]) == dir.len && !memcmp(d->dirs[i], dir.ptr, dir.len);
        if (!seen) {
            if (d->n_dirs == MAX_DIRTY_DIRS ||
                !ds_str_to_cstr(dir, d->dirs[d->n_dirs], DS_MAX_PATH + 1)) {
                d->reach = R_FULL;
                return;
            }
            d->n_dirs++;
        }
        if (dir.len <= 1)
            return;
        dir = ds_path_dirname(dir);
    }
}

/* How far a change of `path` (absolute, normal) reaches. Only an existing
 * regular file (not a link) that this session has already read under that
 * very path, not a package.json and not inside node_modules (Vite's
 * browser-entry check reads package files), keeps to its own facts. An added
 * or removed file, a package.json, a node_modules file: its directory's
 * listing and package data. Anything else (another .json: tsconfig and what
 * it extends; a symlink or directory; a path whose directory is gone): all. */
static enum reach reach_of(struct dscan_session *ss, struct ds_str path, uint32_t id, bool removed)
{
    struct dscan *s = ss->s;
    char c[DS_MAX_PATH + 1];
    enum ds_sys_type t = DS_SYS_NONE;
    bool is_pkg = ds_str_ends_with(path, DS_STR("/package.json"));

    if ((ds_str_ends_with(path, DS_STR(".json")) && !is_pkg) ||
        ds_str_find(path, '\0') != path.len || !ds_str_to_cstr(path, c, sizeof c))
        return R_FULL;
    int e = ss->cfg->sys->stat(ss->cfg->sys->ctx, c, false, &t);
    if (e == 0 && t != DS_SYS_FILE)
        return R_FULL; // a symlink, a directory, a FIFO
    if (!removed && e == 0 && !is_pkg && id != DS_NO_ID && id < s->files_cap &&
        s->files[id].state == FILE_DONE && !has_segment(path, "/node_modules/"))
        return R_CONTENT;
    return R_LISTING;
}

/* Drops what `path` (as the caller spelled it) can affect and notes what
 * must be invalidated in *d. */
static enum ds_status invalidate(struct dscan_session *ss, const char *path, bool removed,
                                 struct dirty *d)
{
    struct dscan *s = ss->s;
    char buf[DS_MAX_PATH + 1], real[PATH_MAX + 1];
    struct ds_str norm;
    uint32_t id;

    if (!ds_path_join(ss->cfg->root, ds_str_cstr(path), buf, sizeof buf, &norm)) {
        d->reach = R_FULL;
        return DS_OK;
    }
    pthread_mutex_lock(&s->paths_lock);
    id = ds_intern_find(&s->paths, norm);
    pthread_mutex_unlock(&s->paths_lock);
    // Before the facts go: reach_of reads them.
    enum reach r = reach_of(ss, norm, id, removed);
    drop_facts_of(ss, id);
    // Reached through a link (node_modules/x -> .pnpm/...): its real path too.
    if (ss->cfg->sys->realpath(ss->cfg->sys->ctx, buf, real, sizeof real) == 0) {
        pthread_mutex_lock(&s->paths_lock);
        uint32_t rid = ds_intern_find(&s->paths, ds_str_cstr(real));
        pthread_mutex_unlock(&s->paths_lock);
        if (rid != id) {
            r = R_FULL;
            drop_facts_of(ss, rid);
        }
    }
    if (ss->cfg->prescan && ds_str_starts_with(norm, ss->cfg->src_dir) &&
        (norm.len == ss->cfg->src_dir.len || norm.ptr[ss->cfg->src_dir.len] == '/'))
        d->prescan = true;
    if (r == R_LISTING) {
        // The directory's real path: its listing is what changed.
        char dir[DS_MAX_PATH + 1], rdir[PATH_MAX + 1];
        struct ds_str parent = ds_path_dirname(norm);
        if (!ds_str_to_cstr(parent, dir, sizeof dir) ||
            ss->cfg->sys->realpath(ss->cfg->sys->ctx, dir, rdir, sizeof rdir) != 0)
            r = R_FULL;
        else
            dirty_dirs(d, ds_str_cstr(rdir));
    }
    if (r > d->reach)
        d->reach = r;
    return DS_OK;
}

/* Applies *d: the resolver forgets the dirty directories (or is rebuilt),
 * stored edges go, the pre-scan runs again when srcDir changed. */
static enum ds_status apply_dirty(struct dscan_session *ss, const struct dirty *d)
{
    enum ds_status st = DS_OK;

    if (d->reach == R_CONTENT)
        return DS_OK;
    // Invalidated listings stay in the resolver's arenas until it is freed
    // (fs.h): past a few, a new resolver keeps memory flat (on bench/realapp
    // ~0.4 MB each; a rebuild costs ~1.3x a targeted update).
    if (d->reach == R_FULL || ++ss->n_targeted > MAX_TARGETED)
        return drop_resolutions(ss);
    for (size_t i = 0; i < d->n_dirs && st == DS_OK; i++)
        st = ds_resolver_invalidate_dir(ss->s->resolver, ds_str_cstr(d->dirs[i]));
    // The resolver's result cache is gone; answers stored here came from it.
    for (size_t i = 0; i < ss->edges_cap; i++) {
        ds_alloc_free(&ss->alloc, ss->edges[i].to);
        ds_alloc_free(&ss->alloc, ss->edges[i].un);
        ss->edges[i] = (struct sess_edges){0};
    }
    if (d->prescan)
        ss->cands_valid = false;
    return st;
}

enum dscan_status dscan_session_update(struct dscan_session *ss, const char *const *changed,
                                       size_t n_changed, const char *const *removed,
                                       size_t n_removed, struct dscan_error *err)
{
    struct dscan_error local;
    double t0 = now_ms();
    struct dirty *d;
    enum ds_status st = DS_OK;
    size_t files0;
    uint64_t bytes0;

    if (!err)
        err = &local;
    clear_err(err);
    if (!ss || (n_changed && !changed) || (n_removed && !removed))
        return DSCAN_EINVAL;
    if (!ss->s)
        return dscan_session_scan(ss, err);
    files0 = ss->s->files_read;
    bytes0 = ss->s->bytes_read;
    ss->resolve_calls = 0;
    if (n_changed + n_removed == 0 && ss->have_result && !ss->failed) {
        // Nothing changed on disk, so the graph stands: no walk.
        ss->same = true;
        ss->stats.files_read = 0;
        ss->stats.bytes_read = 0;
        ss->stats.resolve_calls = 0;
        ss->stats.wall_ms = now_ms() - t0;
        return DSCAN_OK;
    }
    d = ds_alloc_calloc(&ss->alloc, 1, sizeof *d);
    if (!d)
        return finish(ss, DS_ENOMEM, t0, files0, bytes0, err);
    for (size_t i = 0; i < n_changed && st == DS_OK; i++)
        if (changed[i])
            st = invalidate(ss, changed[i], false, d);
    for (size_t i = 0; i < n_removed && st == DS_OK; i++)
        if (removed[i])
            st = invalidate(ss, removed[i], true, d);
    if (st == DS_OK)
        st = apply_dirty(ss, d);
    ds_alloc_free(&ss->alloc, d);
    if (st == DS_OK)
        st = walk(ss, err);
    return finish(ss, st, t0, files0, bytes0, err);
}

enum dscan_status dscan_session_resolved(struct dscan_session *ss,
                                         const struct dscan_session_resolved *items, size_t n,
                                         size_t *n_new, struct dscan_error *err)
{
    struct dscan_error local;
    double t0 = now_ms();
    size_t added = 0;
    enum ds_status st = DS_OK;
    size_t files0;
    uint64_t bytes0;

    if (!err)
        err = &local;
    clear_err(err);
    if (n_new)
        *n_new = 0;
    if (!ss || (n && !items))
        return DSCAN_EINVAL;
    if (!ss->s)
        return (enum dscan_status)ds_error_set(err, DS_EINVAL, 0, "%s",
                                               "dscan_session_resolved: no scan yet");
    struct dscan *s = ss->s;
    files0 = s->files_read;
    bytes0 = s->bytes_read;
    ss->resolve_calls = 0;
    for (size_t i = 0; i < n && st == DS_OK; i++) {
        const struct dscan_session_resolved *it = &items[i];
        char buf[DS_MAX_PATH + 1];
        struct ds_str norm, spec;
        uint32_t imp, target;

        if (!it->specifier || !it->importer || !it->path || it->path[0] != '/' ||
            (unsigned)it->env >= DSCAN_N_ENVS)
            continue;
        // The importer as the result lists spell it: "/src/a.tsx" is under ROOT.
        if (!ds_path_join(ss->cfg->root, ds_str_cstr(it->importer + (it->importer[0] == '/')), buf,
                          sizeof buf, &norm))
            continue;
        pthread_mutex_lock(&s->paths_lock);
        imp = ds_intern_find(&s->paths, norm);
        pthread_mutex_unlock(&s->paths_lock);
        if (imp == DS_NO_ID) {
            pthread_mutex_lock(&s->paths_lock);
            imp = ds_intern_find(&s->paths, ds_str_cstr(it->importer));
            pthread_mutex_unlock(&s->paths_lock);
        }
        if (imp == DS_NO_ID)
            continue;
        st = ds_resolver_realpath(s->resolver, ds_str_cstr(it->path), &target);
        if (st != DS_OK) {
            st = st == DS_ENOMEM ? st : DS_OK;
            continue;
        }
        if (!ds_lang_is_script(ds_intern_str(&s->paths, target)) ||
            find_override(ss, imp, ds_str_cstr(it->specifier), it->env))
            continue;
        st = intern_spec(s, ds_str_cstr(it->specifier), &spec);
        if (st == DS_OK)
            st = ds_alloc_grow(&ss->alloc, (void **)&ss->ovr, &ss->ovr_cap, ss->n_ovr + 1,
                               sizeof *ss->ovr);
        if (st != DS_OK)
            break;
        ss->ovr[ss->n_ovr++] = (struct ds_sess_override){imp, target, spec, (uint8_t)it->env};
        drop_edges_of(ss, imp);
        added++;
    }
    if (n_new)
        *n_new = added;
    if (st == DS_OK)
        st = walk(ss, err);
    return finish(ss, st, t0, files0, bytes0, err);
}
