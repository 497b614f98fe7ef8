/* Which tsconfig applies to each importer when the config names none (SPEC
 * §2): Vite 8's `resolve.tsconfigPaths`, which is oxc-resolver's tsconfig
 * auto discovery inside Rolldown (checked against Vite 8 itself by
 * tests/real/test_tsconfig_vite8.sh):
 * - a file under node_modules uses none;
 * - from the importer's directory up to "/", each tsconfig.json found is
 *   asked whether it owns the file: one of its `references` (loaded with
 *   their `extends`, one level) whose include/files/exclude covers the
 *   file owns it, else the config itself when it covers it; the first
 *   owner wins. A file no config owns (a .js file without allowJs, a
 *   script outside `include`) uses none.
 * The rules for one config live here too, beside their use:
 * ds_tsconfig_includes (its include/files/exclude, through glob.c, and
 * TypeScript's extensions) and ds_tsconfig_applies_to (vite-tsconfig-paths'
 * extensions, for a configured tsconfig).
 * Each tsconfig.json and referenced config is loaded once (by real path)
 * at first need; what each directory holds, and the answer for its files by
 * extension (when no config decides by file name), are cached.
 *
 * Locking: one mutex around everything; loads happen under it (they are
 * few and small), and it is never held while taking another lock except
 * the diagnostics' own. */
#include <pthread.h>

#include "diag.h"
#include "glob.h"
#include "intern.h"
#include "path.h"
#include "sys.h"
#include "tsconfig.h"

struct cfg_ent {
    struct ds_tsconfig *tc;
    uint32_t *refs; /* cfg ids of its references, loaded with the entry */
    size_t n_refs;
    bool by_name; /* whether it owns a file may depend on more than its directory and extension */
};

/* Answers for the files of one directory, by extension: valid when no
 * config asked decides by file name (cfg_ent.by_name). */
#define N_MEMO 4
struct ext_memo {
    struct ds_str ext; /* after the basename's last '.'; "" and !dot: none */
    bool dot;
    uint32_t ans; /* cfg id + 1, or 0 */
};

struct dir_slot {
    bool known;
    uint32_t cfg; /* cfg id of dir/tsconfig.json, or DS_NO_ID */
    uint8_t n_memo;
    struct ext_memo memo[N_MEMO];
};

struct ds_tsconfig_set {
    struct ds_alloc *alloc;
    const struct ds_sys *sys;
    struct ds_diags *diags;
    pthread_mutex_t lock;
    struct ds_arena arena;
    struct ds_interner dirs;  /* directories asked about; slots by id */
    struct ds_interner paths; /* config files loaded; cfgs by id */
    struct dir_slot *slots;
    size_t n_slots, slots_cap;
    struct cfg_ent *cfgs;
    size_t n_cfgs, cfgs_cap;
};

enum ds_status ds_tsconfig_set_new(struct ds_alloc *alloc, const struct ds_sys *sys,
                                   struct ds_diags *diags, struct ds_tsconfig_set **out)
{
    struct ds_tsconfig_set *set = ds_alloc_calloc(alloc, 1, sizeof *set);
    if (!set)
        return DS_ENOMEM;
    set->alloc = alloc;
    set->sys = sys ? sys : ds_sys_default();
    set->diags = diags;
    ds_arena_init(&set->arena, alloc, 16 * 1024);
    ds_interner_init(&set->dirs, &set->arena);
    ds_interner_init(&set->paths, &set->arena);
    if (ds_mutex_init(&set->lock) != 0) {
        ds_arena_release(&set->arena);
        ds_alloc_free(alloc, set);
        return DS_ENOMEM;
    }
    *out = set;
    return DS_OK;
}

void ds_tsconfig_set_free(struct ds_tsconfig_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n_cfgs; i++) {
        ds_tsconfig_free(set->cfgs[i].tc);
        ds_alloc_free(set->alloc, set->cfgs[i].refs);
    }
    ds_alloc_free(set->alloc, set->cfgs);
    ds_alloc_free(set->alloc, set->slots);
    ds_interner_release(&set->dirs);
    ds_interner_release(&set->paths);
    ds_arena_release(&set->arena);
    pthread_mutex_destroy(&set->lock);
    ds_alloc_free(set->alloc, set);
}

static bool is_file(const struct ds_tsconfig_set *set, struct ds_str path)
{
    char buf[DS_MAX_PATH + 1];
    enum ds_sys_type t;
    return ds_str_to_cstr(path, buf, sizeof buf) &&
           set->sys->stat(set->sys->ctx, buf, true, &t) == 0 && t == DS_SYS_FILE;
}

static bool list_by_name(const struct ds_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (ds_glob_tsconfig_by_name(l->items[i]))
            return true;
    return false;
}

/* Whether the config's include/files/exclude may tell two files of one
 * directory with one extension apart. */
static bool names_matter(const struct ds_tsconfig *tc)
{
    return tc->files.n || list_by_name(&tc->include) || list_by_name(&tc->exclude);
}

/* The cfg id of config file `path` (absolute), loading it when new. */
static enum ds_status load_cfg(struct ds_tsconfig_set *set, struct ds_str path, uint32_t *id)
{
    // Ids must fit DS_TSCONFIG_SET_MAX (the resolver's cache key); a project
    // with more tsconfig files is refused the rest, with a diagnostic.
    if (ds_intern_find(&set->paths, path) == DS_NO_ID && set->paths.n >= DS_TSCONFIG_SET_MAX) {
        *id = DS_NO_ID;
        return ds_diag_add(set->diags, DSCAN_WARNING, "limit", path, 0, 0,
                           "cannot load '%.*s': more than %d tsconfig files", DS_STR_FMT(path),
                           DS_TSCONFIG_SET_MAX);
    }
    enum ds_status st = ds_intern(&set->paths, path, id);
    if (st != DS_OK)
        return st;
    if (*id < set->n_cfgs)
        return DS_OK;
    st = ds_alloc_grow(set->alloc, (void **)&set->cfgs, &set->cfgs_cap, *id + 1, sizeof *set->cfgs);
    if (st != DS_OK)
        return st;
    struct cfg_ent *e = &set->cfgs[*id];
    memset(e, 0, sizeof *e);
    st = ds_tsconfig_load_sys(set->alloc, set->sys, path, set->diags, &e->tc);
    if (st != DS_OK)
        return st;
    e->tc->tsc_paths = true;
    e->by_name = names_matter(e->tc);
    set->n_cfgs = *id + 1;
    return DS_OK;
}

/* The cfg id of dir/tsconfig.json with its references loaded, or DS_NO_ID. */
static enum ds_status slot_of(struct ds_tsconfig_set *set, struct ds_str dir, uint32_t *did)
{
    enum ds_status st = ds_intern(&set->dirs, dir, did);
    if (st != DS_OK)
        return st;
    if (*did >= set->n_slots) {
        st = ds_alloc_grow(set->alloc, (void **)&set->slots, &set->slots_cap, *did + 1,
                           sizeof *set->slots);
        if (st != DS_OK)
            return st;
        memset(&set->slots[set->n_slots], 0, (*did + 1 - set->n_slots) * sizeof *set->slots);
        set->n_slots = *did + 1;
    }
    return DS_OK;
}

static enum ds_status dir_cfg(struct ds_tsconfig_set *set, struct ds_str dir, uint32_t *out)
{
    uint32_t did;
    enum ds_status st = slot_of(set, dir, &did);
    if (st != DS_OK)
        return st;
    if (set->slots[did].known) {
        *out = set->slots[did].cfg;
        return DS_OK;
    }
    char buf[DS_MAX_PATH + 1];
    struct ds_str file;
    uint32_t id = DS_NO_ID;
    if (ds_path_join(dir, DS_STR("tsconfig.json"), buf, sizeof buf, &file) && is_file(set, file)) {
        st = load_cfg(set, file, &id);
        if (st != DS_OK)
            return st;
    }
    if (id != DS_NO_ID) {
        // A config loaded first as someone's reference has no refs loaded;
        // refs are loaded only for a tsconfig.json found by the walk.
        const struct ds_strlist *refs = &set->cfgs[id].tc->references;
        if (refs->n && !set->cfgs[id].refs) {
            uint32_t *r = ds_alloc_calloc(set->alloc, refs->n, sizeof *r);
            if (!r)
                return DS_ENOMEM;
            size_t n = 0;
            for (size_t i = 0; i < refs->n; i++) {
                uint32_t rid;
                if (!is_file(set, refs->items[i]))
                    continue;
                st = load_cfg(set, refs->items[i], &rid);
                if (st != DS_OK) {
                    ds_alloc_free(set->alloc, r);
                    return st;
                }
                if (rid != id && rid != DS_NO_ID)
                    r[n++] = rid;
            }
            set->cfgs[id].refs = r;
            set->cfgs[id].n_refs = n;
        }
    }
    set->slots[did].known = true;
    set->slots[did].cfg = id;
    *out = id;
    return DS_OK;
}

static bool in_node_modules(struct ds_str path)
{
    for (const char *p = path.ptr, *end = path.ptr + path.len;
         (p = memchr(p, '/', (size_t)(end - p))) != NULL; p++)
        if ((size_t)(end - p) >= 14 && memcmp(p, "/node_modules/", 14) == 0)
            return true;
    return false;
}

static bool has_ext(struct ds_str path, const char *const *exts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ds_str_ends_with(path, ds_str_cstr(exts[i])))
            return true;
    return false;
}

/* TypeScript's extensions, and those allowJs adds (TypeScript's own). */
static const char *const ts_exts[] = {".ts", ".tsx", ".mts", ".cts"};
static const char *const js_exts[] = {".js", ".jsx", ".mjs", ".cjs"};

static bool any_glob(const struct ds_tsconfig *tc, const struct ds_strlist *l, struct ds_str path)
{
    bool compiled = has_ext(path, ts_exts, DS_ARRAY_LEN(ts_exts)) ||
                    (tc->allow_js && has_ext(path, js_exts, DS_ARRAY_LEN(js_exts)));
    for (size_t i = 0; i < l->n; i++) {
        struct ds_str p = l->items[i];
        if (ds_str_eq(p, path))
            return true;
        // A pattern ending in '*' means "any file": TypeScript's extensions only.
        if (ds_str_ends_with(p, DS_STR("*")) && !compiled)
            continue;
        if (ds_glob_match(DS_GLOB_TSCONFIG, p, path))
            return true;
    }
    return false;
}

bool ds_tsconfig_includes(const struct ds_tsconfig *tc, struct ds_str path)
{
    for (size_t i = 0; i < tc->files.n; i++)
        if (ds_str_eq(tc->files.items[i], path))
            return true;
    struct ds_str base = ds_str_slice(path, ds_str_rfind(path, '/') + 1, path.len);
    if (ds_str_find(base, '.') == base.len ||
        (!tc->allow_js && has_ext(path, js_exts, DS_ARRAY_LEN(js_exts))))
        return false;
    bool in;
    if (tc->has_include) {
        in = any_glob(tc, &tc->include, path);
    } else if (tc->has_files) {
        in = false;
    } else {
        struct ds_str dir = ds_path_dirname(tc->path);
        in = ds_str_starts_with(path, dir) && path.len > dir.len &&
             (dir.len == 1 || path.ptr[dir.len] == '/') &&
             (has_ext(path, ts_exts, DS_ARRAY_LEN(ts_exts)) ||
              (tc->allow_js && has_ext(path, js_exts, DS_ARRAY_LEN(js_exts))));
    }
    return in && !any_glob(tc, &tc->exclude, path);
}

bool ds_tsconfig_applies_to(const struct ds_tsconfig *tc, struct ds_str importer)
{
    // vite-tsconfig-paths: allowJs lets more than TypeScript's own JS in.
    static const char *const vite_js_exts[] = {".js",  ".jsx",    ".mjs", ".cjs",
                                               ".mdx", ".svelte", ".vue", ".astro"};

    // vite-tsconfig-paths' default "exclude" keeps node_modules out.
    if (in_node_modules(importer))
        return false;
    if (has_ext(importer, ts_exts, DS_ARRAY_LEN(ts_exts)))
        return true;
    return tc->allow_js && has_ext(importer, vite_js_exts, DS_ARRAY_LEN(vite_js_exts));
}

/* The owner's cfg id of `importer` (not under node_modules), or DS_NO_ID. */
static enum ds_status owner(struct ds_tsconfig_set *set, struct ds_str importer, uint32_t *out,
                            bool *by_name)
{
    *out = DS_NO_ID;
    for (struct ds_str dir = ds_path_dirname(importer);; dir = ds_path_dirname(dir)) {
        uint32_t id;
        enum ds_status st = dir_cfg(set, dir, &id);
        if (st != DS_OK)
            return st;
        if (id != DS_NO_ID) {
            const struct cfg_ent *e = &set->cfgs[id];
            for (size_t i = 0; i < e->n_refs; i++) {
                *by_name |= set->cfgs[e->refs[i]].by_name;
                if (ds_tsconfig_includes(set->cfgs[e->refs[i]].tc, importer)) {
                    *out = e->refs[i];
                    return DS_OK;
                }
            }
            const struct ds_tsconfig *tc = e->tc;
            bool solution = tc->references.n && tc->has_files && !tc->files.n && tc->has_include &&
                            !tc->include.n;
            *by_name |= !solution && e->by_name;
            if (!solution && ds_tsconfig_includes(tc, importer)) {
                *out = id;
                return DS_OK;
            }
        }
        if (dir.len <= 1)
            return DS_OK;
    }
}

enum ds_status ds_tsconfig_set_find(struct ds_tsconfig_set *set, struct ds_str importer,
                                    const struct ds_tsconfig **out, uint32_t *id)
{
    enum ds_status st;
    uint32_t did, cfg = DS_NO_ID;
    bool by_name = false;

    *out = NULL;
    *id = 0;
    // A file under node_modules uses none: answered before the lock, the
    // directory's slot and its memo (most of a real app's modules are there).
    if (!importer.len || importer.ptr[0] != '/' || in_node_modules(importer))
        return DS_OK;
    struct ds_str base = ds_str_slice(importer, ds_str_rfind(importer, '/') + 1, importer.len);
    size_t dot = ds_str_rfind(base, '.');
    struct ext_memo key = {.dot = dot < base.len,
                           .ext =
                               ds_str_slice(base, dot < base.len ? dot + 1 : base.len, base.len)};
    pthread_mutex_lock(&set->lock);
    st = slot_of(set, ds_path_dirname(importer), &did);
    if (st != DS_OK)
        goto done;
    for (uint8_t i = 0; i < set->slots[did].n_memo; i++) {
        const struct ext_memo *m = &set->slots[did].memo[i];
        if (m->dot == key.dot && ds_str_eq(m->ext, key.ext)) {
            *id = m->ans;
            goto done;
        }
    }
    st = owner(set, importer, &cfg, &by_name);
    if (st != DS_OK)
        goto done;
    if (cfg != DS_NO_ID) {
        const struct ds_tsconfig *tc = set->cfgs[cfg].tc;
        if (tc->n_paths || tc->base_url.len)
            *id = cfg + 1;
    }
    // owner() may have added directories: the slot array may have moved.
    struct dir_slot *slot = &set->slots[did];
    if (!by_name && slot->n_memo < N_MEMO) {
        st = ds_arena_strdup(&set->arena, key.ext, &key.ext);
        if (st != DS_OK)
            goto done;
        key.ans = *id;
        slot->memo[slot->n_memo++] = key;
    }
done:
    if (st == DS_OK && *id)
        *out = set->cfgs[*id - 1].tc;
    pthread_mutex_unlock(&set->lock);
    return st;
}

void ds_tsconfig_set_forget_dir(struct ds_tsconfig_set *set, struct ds_str dir)
{
    pthread_mutex_lock(&set->lock);
    uint32_t did = ds_intern_find(&set->dirs, dir);
    if (did != DS_NO_ID && did < set->n_slots)
        set->slots[did].known = false;
    for (size_t i = 0; i < set->n_slots; i++)
        set->slots[i].n_memo = 0;
    pthread_mutex_unlock(&set->lock);
}

void ds_tsconfig_set_counts(struct ds_tsconfig_set *set, size_t *files, uint64_t *bytes)
{
    *files = 0;
    *bytes = 0;
    pthread_mutex_lock(&set->lock);
    for (size_t i = 0; i < set->n_cfgs; i++) {
        *files += set->cfgs[i].tc->files_read;
        *bytes += set->cfgs[i].tc->bytes_read;
    }
    pthread_mutex_unlock(&set->lock);
}
