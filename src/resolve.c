/* The resolver (SPEC §4.5, §4.6): specifier + importing file + environment ->
 * real path, following Vite's resolve plugin (tryFsResolve, tryNodeResolve,
 * resolvePackageEntry, resolveDeepImport, the browser field) with Node's
 * algorithms for `exports` / `imports` (pkg.c). The filesystem is seen
 * through fs.c's per-directory listings, so warm resolutions make no
 * syscalls, and every answer is cached by (importer directory, specifier,
 * environment, import/require).
 *
 * Where Vite and Node differ we follow Vite, and say so: a package is found
 * in node_modules only when it has a package.json; `exports` targets are
 * probed with extensions; `./x.js` falls back to `./x.ts` / `./x.tsx` for any
 * importer; a relative import of a package directory uses its exports; a
 * browser entry that is not ESM gives way to `module` (the one case where
 * the resolver reads a source file, once per package). Node builtins are
 * external even when a package of that name is installed (SPEC §4.5),
 * unless the importer's browser field remaps them on the client (Vite).
 *
 * Locking: `cache_lock` guards the result cache, so a warm resolution takes
 * only it, and a module's cached answers are read under one acquisition
 * (ds_resolve_known: a lock per import was the most contended line of a
 * 2-thread scan; a reader-writer lock instead cost 30 % of the wall time on
 * a 2-vCPU VM, its readers sleeping behind a waiting writer).
 *
 * A cold resolution is first a PEEK: under `gate` held to read, beside any
 * number of others, it runs Vite's steps on what the fs and package caches
 * already hold, writing nothing shared (fs.h, THE PEEK RULE). Once the
 * directories, links and package.json files of a part of the tree are
 * known, nearly every resolution there is a peek (bench/realapp: 8,038 of
 * 9,088 misses). Where a peek needs more (DS_EFILL), the resolution is done
 * again as a FILL, under `lock` and `gate` held to write: one fill at a
 * time, no peek meanwhile, except where fs.h's lock rule lets both go:
 * around directory listings, the lstat/readlink of a symlink met first and
 * file reads (the fs does it), and around a package.json parse
 * (resolve_pkg.c does it), so peeks and other fills run while one waits on
 * the kernel or parses. With one thread there is nothing to run beside, and
 * a miss is a fill at once. Hence a cold resolution keeps its temporaries
 * in a scratch arena of its own, a fill re-checks a package slot after each
 * call that may release the lock (a package.json is parsed into the cache
 * and reported once; the generation counter asserts it), and an answer is
 * published only if no other thread did (cache_add). Order: lock, then
 * gate, then cache_lock or the caller's `paths_lock`; never lock while
 * holding either of the last two, and never hold them across an fs call.
 *
 * This file holds the entry points, the result cache, the locking and the
 * lifecycle; Vite's steps are resolve_vite.c, the package.json cache
 * resolve_pkg.c, the specifier's own classes specifier.c (resolve_int.h).
 *
 * Nothing here recurses on input depth except the bounded steps of one
 * resolution (alias -> tsconfig -> imports -> bare package -> browser map),
 * each taken at most once. */
#include <stdatomic.h>
#include <stdio.h>

#include "lang.h"
#include "resolve_int.h"
#include "specifier.h"

struct cache_key {
    uint32_t dir_id;
    uint8_t env, req;
    uint16_t ts; /* which tsconfig's paths apply to the importer: 0 none (ds_importer_init) */
    struct ds_str spec;
    uint32_t spec_hash; /* ds_str_hash(spec), computed once per call */
};

static bool cache_eq(const void *ctx, uint32_t id, const void *key)
{
    const struct ds_resolver *r = ctx;
    const struct cache_key *k = key;
    const struct cache_ent *e = &r->ents[id];
    return e->dir_id == k->dir_id && e->env == k->env && e->req == k->req && e->ts == k->ts &&
           ds_str_eq(e->spec, k->spec);
}

/* Without the environment and import kind: a request and its ANY_ENV
 * form share a hash, so cache_get finds either in one walk. */
static uint32_t cache_hash(const struct cache_key *k)
{
    return ds_hash_mix(ds_hash_mix(k->spec_hash, k->dir_id), k->ts);
}

/* The result cache's lock; none for a resolver one thread owns. */
static void cache_lock(struct ds_resolver *r)
{
    if (!r->solo)
        pthread_mutex_lock(&r->cache_lock);
}

static void cache_unlock(struct ds_resolver *r)
{
    if (!r->solo)
        pthread_mutex_unlock(&r->cache_lock);
}

/* The id of importer directory `dir` in `cache_dirs`, and whether it is in
 * normal form (checked once per directory: every relative import joins it). */
static enum ds_status dir_key(struct ds_resolver *r, struct ds_str dir, uint32_t *out, bool *normal)
{
    enum ds_status st = DS_OK;

    cache_lock(r);
    if (dir.len && dir.len == r->last_dir_len && ds_mem_eq(dir.ptr, r->last_dir, dir.len)) {
        *out = r->last_dir_id;
    } else {
        size_t before = r->cache_dirs.n;
        st = ds_intern(&r->cache_dirs, dir, out);
        if (st == DS_OK && r->cache_dirs.n != before) {
            st = ds_alloc_grow(r->alloc, (void **)&r->cache_dir_normal, &r->cache_dir_normal_cap,
                               r->cache_dirs.n, sizeof *r->cache_dir_normal);
            if (st == DS_OK)
                r->cache_dir_normal[*out] = ds_path_is_normal(dir);
        }
        if (st == DS_OK && dir.len <= DS_MAX_PATH) {
            ds_copy(r->last_dir, dir.ptr, dir.len);
            r->last_dir_len = dir.len;
            r->last_dir_id = *out;
        }
    }
    if (st == DS_OK)
        *normal = r->cache_dir_normal[*out];
    cache_unlock(r);
    return st;
}

/* A scratch arena for one cold resolution: a free slot, else `own`. */
static struct ds_arena *take_scratch(struct ds_resolver *r, struct ds_arena *own, int *slot)
{
    for (int i = 0; i < N_SCRATCH; i++)
        if (!atomic_flag_test_and_set_explicit(&r->scratch_busy[i], memory_order_acquire)) {
            *slot = i;
            return &r->scratch[i];
        }
    *slot = -1;
    ds_arena_init(own, r->alloc, 64 * 1024);
    return own;
}

static void give_back_scratch(struct ds_resolver *r, struct ds_arena *scratch, int slot)
{
    if (slot < 0) {
        ds_arena_release(scratch);
        return;
    }
    ds_arena_reset(scratch);
    atomic_flag_clear_explicit(&r->scratch_busy[slot], memory_order_release);
}

/* One resolution on a miss, as a peek (`gate` held to read) or a fill
 * (`lock` and `gate` held to write); not cache_lock. A peek that cannot
 * answer, or would fail with a reason still to be written, is DS_EFILL. */
static enum ds_status resolve_uncached(struct ds_resolver *r, enum ds_fs_access how,
                                       const struct ds_importer *im, struct ds_str spec, bool req,
                                       const struct ds_pkg_conds *conds, struct ds_resolution *out,
                                       bool *env_free)
{
    bool found = false;
    enum ds_status st;
    struct ds_arena own;
    int slot;
    struct ds_arena *scratch = take_scratch(r, &own, &slot);

    *env_free = false;
    // Not zalloc: `out` is a DS_MAX_PATH buffer written before it is read,
    // and zeroing it on every miss was 13 % of a scan's instructions
    // (callgrind, bench/realapp).
    struct req *q = ds_arena_alloc(scratch, sizeof *q);

    if (!q) {
        st = DS_ENOMEM;
        goto done;
    }
    memset(q, 0, offsetof(struct req, out));
    q->out_path = (struct ds_str){0};
    q->r = r;
    q->how = how;
    q->scratch = scratch;
    q->conds =
        conds ? *conds : (struct ds_pkg_conds){r->conds[im->env][req], r->n_conds[im->env][req]};
    q->main_fields = &r->cfg->env[im->env].main_fields;
    q->browser = r->browser[im->env];
    q->require = req;
    q->importer_dir = im->dir;
    q->importer_dir_normal = im->dir_is_normal;
    q->tsconfig = im->tsconfig;
    st = ds_res_resolve_spec(q, spec, &found);
    if (st != DS_OK)
        goto done;
    if (found && q->external) {
        out->kind = DS_RES_EXTERNAL;
    } else if (found && q->empty) {
        out->kind = DS_RES_EMPTY;
    } else if (found) {
        out->kind = DS_RES_FILE;
        out->script = ds_lang_is_script(q->out_path);
        *env_free = !q->env_dep && !conds;
        pthread_mutex_lock(r->paths_lock);
        st = ds_intern(r->paths, q->out_path, &out->path_id);
        pthread_mutex_unlock(r->paths_lock);
    } else if (q->reason_unbuilt) {
        st = DS_EFILL;
    } else {
        out->symlink_loop = q->loop;
        out->case_mismatch = q->case_diff;
        out->reason = q->loop ? "symlink loop" : q->reason ? q->reason : "no such file";
    }
done:
    give_back_scratch(r, scratch, slot);
    return st;
}

/* The fill's locks (see the header); none for a resolver one thread owns
 * (ds_resolver_set_resolvers). */
static void fill_lock(struct ds_resolver *r)
{
    if (r->solo)
        return;
    pthread_mutex_lock(&r->lock);
    ds_rwlock_wrlock(&r->gate);
}

static void fill_unlock(struct ds_resolver *r)
{
    if (r->solo)
        return;
    pthread_rwlock_unlock(&r->gate);
    pthread_mutex_unlock(&r->lock);
}

/* Adds a result to the cache unless another thread did meanwhile.
 * Called with cache_lock held. */
static enum ds_status cache_add(struct ds_resolver *r, const struct cache_key *key, uint32_t hash,
                                const struct ds_resolution *res)
{
    struct ds_str kept;
    enum ds_status st;

    if (ds_table_find(&r->cache, hash, cache_eq, r, key) != DS_NO_ID)
        return DS_OK;
    st = ds_alloc_grow(r->alloc, (void **)&r->ents, &r->ents_cap, r->n_ents + 1, sizeof *r->ents);
    if (st == DS_OK)
        st = ds_arena_strdup(&r->cache_arena, key->spec, &kept);
    if (st == DS_OK)
        st = ds_table_insert(&r->cache, hash, (uint32_t)r->n_ents);
    if (st != DS_OK)
        return st;
    r->ents[r->n_ents++] = (struct cache_ent){key->dir_id, key->env, key->req, key->ts, kept, *res};
    return DS_OK;
}

/* Copies the conditions `in` into `out` (room for in->n) as Vite 6+ does
 * (resolve.ts, DEV_PROD_CONDITION): the entry "development|production"
 * stands for the mode's condition, and a list without it gets no mode
 * condition at all — RedwoodSDK's client environment ("browser", "module")
 * resolves a package's non-development build in `vite dev` too. Returns
 * the count. */
static size_t mode_conditions(const struct ds_config *cfg, const struct ds_strlist *in,
                              struct ds_str *out)
{
    for (size_t i = 0; i < in->n; i++)
        out[i] = !ds_str_eq(in->items[i], DS_STR("development|production")) ? in->items[i]
                 : cfg->production                                          ? DS_STR("production")
                                                                            : DS_STR("development");
    return in->n;
}

/* Environment-free answers are kept once, under this environment value
 * (and import kind 0): see publish. */
#define ANY_ENV DSCAN_N_ENVS

/* The cached answer for `key` (hash `hash`), else for the same request in
 * any environment; NULL when neither is cached. Both share the hash
 * (cache_hash): one walk of the table. Called with cache_lock held. */
static const struct ds_resolution *cache_get(struct ds_resolver *r, const struct cache_key *key,
                                             uint32_t hash)
{
    struct cache_key any = *key;
    uint32_t pos = 0, found_any = DS_NO_ID;

    any.env = ANY_ENV;
    any.req = 0;
    for (uint32_t id = ds_table_next(&r->cache, hash, &pos); id != DS_NO_ID;
         id = ds_table_next(&r->cache, hash, &pos)) {
        if (cache_eq(r, id, key))
            return &r->ents[id].res;
        if (found_any == DS_NO_ID && cache_eq(r, id, &any))
            found_any = id;
    }
    return found_any != DS_NO_ID ? &r->ents[found_any].res : NULL;
}

/* Keeps the answer of a cold resolution in the result cache. */
static enum ds_status publish(struct ds_resolver *r, const struct cache_key *key, uint32_t hash,
                              bool env_free, const struct ds_resolution *out)
{
    enum ds_status st;

    cache_lock(r);
    // A file found without conditions, main fields or a browser map is
    // the answer for the other environment and import kind too: it is
    // kept once, under ANY_ENV, so an icon barrel reached from both
    // sides costs one miss per icon, not two (bench/realapp: 12,844
    // misses -> 9,084), and no memory twice.
    if (env_free) {
        struct cache_key any = *key;
        any.env = ANY_ENV;
        any.req = 0;
        st = cache_add(r, &any, cache_hash(&any), out);
    } else {
        st = cache_add(r, key, hash, out);
    }
    cache_unlock(r);
    return st;
}

/* The answer to a request that never reaches the cache: an external
 * (SPEC §4.5) or an empty specifier. */
static bool answer_early(const struct ds_resolver *r, struct ds_str specifier, enum dscan_env env,
                         struct ds_resolution *out)
{
    *out = (struct ds_resolution){.kind = DS_RES_NOT_FOUND, .path_id = DS_NO_ID};
    if (ds_spec_is_external(&r->cfg->external, specifier) ||
        (ds_spec_is_builtin(specifier) && !r->browser[env])) {
        out->kind = DS_RES_EXTERNAL;
        return true;
    }
    if (!specifier.len) {
        out->reason = "empty specifier";
        return true;
    }
    return false;
}

enum ds_status ds_importer_init(struct ds_resolver *r, struct ds_str path, enum dscan_env env,
                                struct ds_importer *out)
{
    enum ds_status st;

    if (path.len > DS_MAX_PATH || (unsigned)env >= DSCAN_N_ENVS)
        return DS_ELIMIT;
    *out = (struct ds_importer){.path = path, .dir = ds_path_dirname(path), .env = env};
    // The tsconfig whose paths apply: the configured one as
    // vite-tsconfig-paths applied it (by extension, never under
    // node_modules); else the importer's own, as Vite 8 finds it.
    if (r->tsconfig) {
        if ((r->tsconfig->n_paths || r->tsconfig->base_url.len) &&
            ds_tsconfig_applies_to(r->tsconfig, path)) {
            out->tsconfig = r->tsconfig;
            out->ts_id = 1;
        }
    } else if (r->tsconfigs) {
        uint32_t id;
        st = ds_tsconfig_set_find(r->tsconfigs, path, &out->tsconfig, &id);
        if (st != DS_OK)
            return st;
        out->ts_id = (uint16_t)id; // at most DS_TSCONFIG_SET_MAX
    }
    return dir_key(r, out->dir, &out->dir_id, &out->dir_is_normal);
}

static struct cache_key key_of(const struct ds_importer *im, struct ds_str spec,
                               enum dscan_import_kind kind)
{
    return (struct cache_key){.dir_id = im->dir_id,
                              .env = (uint8_t)im->env,
                              .req = kind == DSCAN_IMPORT_REQUIRE,
                              .ts = im->ts_id,
                              .spec = spec,
                              .spec_hash = ds_str_hash(spec)};
}

enum ds_status ds_resolve_known(struct ds_resolver *r, const struct ds_importer *im,
                                const struct ds_resolve_ask *asks, size_t n,
                                struct ds_resolution *out, bool *known)
{
    size_t answered = 0, hits = 0;

    memset(known, 0, n * sizeof *known);
    for (size_t i = 0; i < n; i++)
        if (asks[i].specifier.len <= DS_MAX_PATH &&
            answer_early(r, asks[i].specifier, im->env, &out[i]))
            known[i] = true, answered++;
    cache_lock(r);
    for (size_t i = 0; i < n; i++) {
        if (known[i] || asks[i].specifier.len > DS_MAX_PATH)
            continue;
        struct cache_key key = key_of(im, asks[i].specifier, asks[i].kind);
        const struct ds_resolution *hit = cache_get(r, &key, cache_hash(&key));
        if (hit) {
            out[i] = *hit;
            known[i] = true;
            hits++;
        }
    }
    cache_unlock(r);
    atomic_fetch_add(&r->cache_hits, hits);
    atomic_fetch_add(&r->resolve_calls, answered + hits);
    return DS_OK;
}

/* A request answer_early could not answer: the cache, else a peek (with
 * more than one resolving thread) and a fill. Locking: see the header. A
 * hit takes only cache_lock; a miss peeks, then fills if it must, and takes
 * cache_lock again to publish its answer. */
static enum ds_status resolve_late(struct ds_resolver *r, const struct ds_importer *im,
                                   struct ds_str specifier, enum dscan_import_kind kind,
                                   struct ds_resolution *out)
{
    enum ds_status st;
    struct cache_key key = key_of(im, specifier, kind);
    uint32_t hash = cache_hash(&key);
    cache_lock(r);
    const struct ds_resolution *hit = cache_get(r, &key, hash);
    if (hit)
        *out = *hit;
    cache_unlock(r);
    if (hit) {
        atomic_fetch_add(&r->cache_hits, 1);
        return DS_OK;
    }

    bool env_free;
    // A peek first, beside other peeks. Alone (one resolving thread)
    // nothing runs beside it: a fill straight away spares the failed peeks'
    // work (+2.6 % instructions, bench/realapp).
    if (r->resolvers > 1) {
        pthread_rwlock_rdlock(&r->gate);
        st = resolve_uncached(r, DS_FS_PEEK, im, specifier, key.req, NULL, out, &env_free);
        pthread_rwlock_unlock(&r->gate);
        if (st == DS_OK)
            return publish(r, &key, hash, env_free, out);
        if (st != DS_EFILL)
            return st;
    }
    atomic_fetch_add(&r->fills, 1);
    fill_lock(r);
    // Another thread may have resolved it while this one waited for `lock`
    // (alone, none can have).
    if (!r->solo) {
        cache_lock(r);
        hit = cache_get(r, &key, hash);
        if (hit)
            *out = *hit;
        cache_unlock(r);
        if (hit) {
            fill_unlock(r);
            return DS_OK;
        }
    }
    st = resolve_uncached(r, DS_FS_FILL, im, specifier, key.req, NULL, out, &env_free);
    if (st == DS_OK)
        st = publish(r, &key, hash, env_free, out);
    fill_unlock(r);
    return st;
}

enum ds_status ds_resolve_one(struct ds_resolver *r, const struct ds_importer *im,
                              struct ds_str specifier, enum dscan_import_kind kind,
                              struct ds_resolution *out)
{
    if (specifier.len <= DS_MAX_PATH && answer_early(r, specifier, im->env, out)) {
        atomic_fetch_add(&r->resolve_calls, 1);
        return DS_OK;
    }
    return ds_resolve_unknown(r, im, specifier, kind, out);
}

enum ds_status ds_resolve_unknown(struct ds_resolver *r, const struct ds_importer *im,
                                  struct ds_str specifier, enum dscan_import_kind kind,
                                  struct ds_resolution *out)
{
    if (specifier.len > DS_MAX_PATH)
        return DS_ELIMIT;
    atomic_fetch_add(&r->resolve_calls, 1);
    *out = (struct ds_resolution){.kind = DS_RES_NOT_FOUND, .path_id = DS_NO_ID};
    return resolve_late(r, im, specifier, kind, out);
}

enum ds_status ds_resolve_with(struct ds_resolver *r, struct ds_str importer,
                               struct ds_str specifier, enum dscan_env env,
                               enum dscan_import_kind kind, const struct ds_strlist *conditions,
                               struct ds_resolution *out)
{
    struct ds_str items[64];
    struct ds_importer im;
    enum ds_status st;

    if (!conditions)
        return ds_resolve(r, importer, specifier, env, kind, out);
    if (specifier.len > DS_MAX_PATH || conditions->n + 1 > DS_ARRAY_LEN(items))
        return DS_ELIMIT;
    st = ds_importer_init(r, importer, env, &im);
    if (st != DS_OK)
        return st;
    atomic_fetch_add(&r->resolve_calls, 1);
    if (answer_early(r, specifier, env, out))
        return DS_OK;
    // The explicit list replaces the environment's, as given: a mode
    // condition only through its "development|production" entry; the
    // implicit import/require (and pkg.c's "default") stay (SPEC §1).
    size_t n = mode_conditions(r->cfg, conditions, items);
    bool req = kind == DSCAN_IMPORT_REQUIRE, ignored;
    items[n] = req ? DS_STR("require") : DS_STR("import");
    struct ds_pkg_conds c = {items, n + 1};
    fill_lock(r);
    st = resolve_uncached(r, DS_FS_FILL, &im, specifier, req, &c, out, &ignored);
    fill_unlock(r);
    return st;
}

enum ds_status ds_resolve(struct ds_resolver *r, struct ds_str importer, struct ds_str specifier,
                          enum dscan_env env, enum dscan_import_kind kind,
                          struct ds_resolution *out)
{
    struct ds_importer im;
    enum ds_status st = ds_importer_init(r, importer, env, &im);

    return st != DS_OK ? st : ds_resolve_one(r, &im, specifier, kind, out);
}

enum ds_status ds_resolver_is_file(struct ds_resolver *r, struct ds_str path, bool *out)
{
    enum ds_fs_type t;
    enum ds_status st;

    fill_lock(r);
    st = ds_fs_type(r->fs, DS_FS_FILL, path, &t);
    fill_unlock(r);
    if (st == DS_OK)
        *out = t == DS_FS_FILE;
    return st;
}

enum ds_status ds_resolver_realpath(struct ds_resolver *r, struct ds_str path, uint32_t *id_out)
{
    char in[DS_MAX_PATH + 1], buf[DS_MAX_PATH + 1];
    struct ds_str norm, real;
    enum ds_fs_type t;
    enum ds_status st;

    if (!path.len || path.ptr[0] != '/' || !ds_path_join(DS_STR("/"), path, in, sizeof in, &norm))
        return DS_EINVAL;
    fill_lock(r);
    st = ds_fs_type(r->fs, DS_FS_FILL, norm, &t);
    if (st == DS_OK && t == DS_FS_LOOP)
        st = DS_ELOOP;
    else if (st == DS_OK && t != DS_FS_FILE)
        st = DS_ENOENT;
    if (st == DS_OK)
        st = ds_fs_realpath(r->fs, DS_FS_FILL, norm, buf, sizeof buf, &real);
    if (st == DS_OK) {
        pthread_mutex_lock(r->paths_lock);
        st = ds_intern(r->paths, real, id_out);
        pthread_mutex_unlock(r->paths_lock);
    }
    fill_unlock(r);
    return st;
}

/* ---- lifecycle -------------------------------------------------------------- */

static enum ds_status add_field(struct ds_resolver *r, struct ds_str f)
{
    for (size_t i = 0; i < r->n_fields; i++)
        if (ds_str_eq(r->fields[i], f))
            return DS_OK;
    r->fields[r->n_fields++] = f;
    return DS_OK;
}

enum ds_status ds_resolver_new(struct ds_alloc *alloc, const struct ds_config *cfg,
                               struct ds_interner *paths, pthread_mutex_t *paths_lock,
                               struct ds_diags *diags, struct ds_resolver **out)
{
    struct ds_resolver *r = ds_alloc_calloc(alloc, 1, sizeof *r);
    enum ds_status st = DS_ENOMEM;

    if (!r)
        return DS_ENOMEM;
    r->alloc = alloc;
    r->cfg = cfg;
    r->resolvers = cfg->threads;
    r->paths = paths;
    r->paths_lock = paths_lock;
    r->diags = diags;
    ds_arena_init(&r->arena, alloc, 64 * 1024);
    for (int i = 0; i < N_SCRATCH; i++) {
        ds_arena_init(&r->scratch[i], alloc, 64 * 1024);
        atomic_flag_clear(&r->scratch_busy[i]);
    }
    ds_interner_init(&r->dirs, &r->arena);
    ds_arena_init(&r->cache_arena, alloc, 64 * 1024);
    ds_interner_init(&r->cache_dirs, &r->cache_arena);
    ds_table_init(&r->cache, alloc);
    if (ds_mutex_init(&r->lock) != 0) {
        ds_alloc_free(alloc, r);
        return DS_ENOMEM;
    }
    if (ds_mutex_init(&r->cache_lock) != 0) {
        pthread_mutex_destroy(&r->lock);
        ds_alloc_free(alloc, r);
        return DS_ENOMEM;
    }
    if (ds_rwlock_init(&r->gate) != 0) {
        pthread_mutex_destroy(&r->cache_lock);
        pthread_mutex_destroy(&r->lock);
        ds_alloc_free(alloc, r);
        return DS_ENOMEM;
    }
    st = ds_fs_new(alloc, cfg->sys, &r->fs);
    if (st == DS_OK)
        st = ds_fs_add_real_dir(r->fs, cfg->root); // a real path (config.c)
    if (st == DS_OK && cfg->tsconfig.len)
        st = ds_tsconfig_load_sys(alloc, cfg->sys, cfg->tsconfig, diags, &r->tsconfig);
    else if (st == DS_OK)
        st = ds_tsconfig_set_new(alloc, cfg->sys, diags, &r->tsconfigs);
    if (st == DS_OK)
        ds_fs_set_lock(r->fs, &r->lock, &r->gate); // every fill holds both
    if (st != DS_OK)
        goto fail;
    size_t nf = cfg->env[0].main_fields.n + cfg->env[1].main_fields.n;
    r->fields = ds_arena_alloc(&r->arena, (nf + 1) * sizeof *r->fields);
    if (!r->fields) {
        st = DS_ENOMEM;
        goto fail;
    }
    for (int e = 0; e < DSCAN_N_ENVS; e++) {
        for (size_t i = 0; i < cfg->env[e].main_fields.n; i++)
            st = add_field(r, cfg->env[e].main_fields.items[i]);
        r->browser[e] = ds_res_list_has(&cfg->env[e].main_fields, DS_STR("browser"));
    }
    // Conditions per (environment, import|require): the explicit list with
    // its mode entry picked, plus Vite's implicit import/require; "default"
    // is matched by pkg.c.
    for (int e = 0; e < DSCAN_N_ENVS; e++) {
        for (int k = 0; k < N_REQ; k++) {
            size_t n = cfg->env[e].conditions.n;
            struct ds_str *c = ds_arena_alloc(&r->arena, (n + 1) * sizeof *c);
            if (!c) {
                st = DS_ENOMEM;
                goto fail;
            }
            n = mode_conditions(cfg, &cfg->env[e].conditions, c);
            c[n] = k ? DS_STR("require") : DS_STR("import");
            r->conds[e][k] = c;
            r->n_conds[e][k] = n + 1;
        }
    }
    *out = r;
    return DS_OK;
fail:
    ds_resolver_free(r);
    return st;
}

void ds_resolver_free(struct ds_resolver *r)
{
    if (!r)
        return;
    ds_fs_free(r->fs);
    ds_tsconfig_free(r->tsconfig);
    ds_tsconfig_set_free(r->tsconfigs);
    ds_table_release(&r->cache);
    ds_alloc_free(r->alloc, r->ents);
    ds_alloc_free(r->alloc, r->pkgs);
    ds_alloc_free(r->alloc, r->cache_dir_normal);
    ds_interner_release(&r->dirs);
    ds_interner_release(&r->cache_dirs);
    ds_arena_release(&r->arena);
    for (int i = 0; i < N_SCRATCH; i++)
        ds_arena_release(&r->scratch[i]);
    ds_arena_release(&r->cache_arena);
    pthread_rwlock_destroy(&r->gate);
    pthread_mutex_destroy(&r->lock);
    pthread_mutex_destroy(&r->cache_lock);
    ds_alloc_free(r->alloc, r);
}

enum ds_status ds_resolver_invalidate_dir(struct ds_resolver *r, struct ds_str dir)
{
    enum ds_status st;

    fill_lock(r);
    cache_lock(r);
    st = ds_fs_invalidate_dir(r->fs, dir);
    // Every cached answer goes: one reached through `dir`, or through a
    // link into it, cannot be told from the others by its key.
    ds_table_release(&r->cache);
    ds_table_init(&r->cache, r->alloc);
    r->n_ents = 0;
    // The package.json of `dir` is looked for again; the nearest-package and
    // browser-entry answers of every directory are computed again (cheap:
    // each is one lookup once the slots are known).
    uint32_t id = ds_intern_find(&r->dirs, dir);
    if (id != DS_NO_ID && id < r->n_pkgs)
        r->pkgs[id] = (struct pkg_slot){.browser_esm = -1};
    for (size_t i = 0; i < r->n_pkgs; i++) {
        r->pkgs[i].nearest_known = false;
        r->pkgs[i].browser_esm = -1;
    }
    r->near_len = 0;
    cache_unlock(r);
    fill_unlock(r);
    // A tsconfig.json added to or removed from `dir` changes which config
    // owns the importers below it (the set's own lock, taken alone).
    if (r->tsconfigs)
        ds_tsconfig_set_forget_dir(r->tsconfigs, dir);
    return st;
}

void ds_resolver_set_resolvers(struct ds_resolver *r, unsigned n)
{
    r->resolvers = n;
    // One thread: no lock to take, and none for the fs to drop around its
    // system calls.
    r->solo = n == 1;
    ds_fs_set_lock(r->fs, r->solo ? NULL : &r->lock, r->solo ? NULL : &r->gate);
}

void ds_resolver_get_stats(struct ds_resolver *r, struct ds_resolver_stats *out)
{
    struct ds_fs_stats fs;

    fill_lock(r);
    cache_lock(r);
    ds_fs_get_stats(r->fs, &fs);
    out->resolve_calls = atomic_load(&r->resolve_calls);
    out->fills = atomic_load(&r->fills);
    out->cache_hits = atomic_load(&r->cache_hits);
    out->stat_calls = fs.syscalls;
    size_t ts_files = r->tsconfig ? r->tsconfig->files_read : 0;
    uint64_t ts_bytes = r->tsconfig ? r->tsconfig->bytes_read : 0;
    if (r->tsconfigs)
        ds_tsconfig_set_counts(r->tsconfigs, &ts_files, &ts_bytes);
    out->files_read = fs.files_read + ts_files;
    out->bytes_read = fs.bytes_read + ts_bytes;
    cache_unlock(r);
    fill_unlock(r);
}
