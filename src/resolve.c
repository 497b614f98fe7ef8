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
 * only it; `lock` guards the fs and package caches and is held by a cold
 * resolution, except that fs.c drops it around directory listings and file
 * reads (ds_fs_set_lock), so other cold resolutions run while one waits on
 * the kernel. Hence a cold resolution keeps its temporaries in its own
 * scratch arena, re-checks a package slot after each fs call that may drop
 * the lock (a package.json is parsed and reported once), and publishes its
 * answer only if no other thread did (cache_add). Order: lock, then
 * cache_lock or the caller's `paths_lock`; never lock while holding either,
 * and never hold either across an fs call.
 *
 * Nothing here recurses on input depth except the bounded steps of one
 * resolution (alias -> tsconfig -> imports -> bare package -> browser map),
 * each taken at most once. */
#include <stdatomic.h>
#include <stdio.h>

#include "fs.h"
#include "pkg.h"
#include "prescan.h"
#include "resolve.h"
#include "tsconfig.h"

/* Node's builtin modules (module.builtinModules of Node 22) that may be
 * imported without the node: prefix. */
static const struct ds_str builtins[] = {
    DS_STR("_http_agent"),
    DS_STR("_http_client"),
    DS_STR("_http_common"),
    DS_STR("_http_incoming"),
    DS_STR("_http_outgoing"),
    DS_STR("_http_server"),
    DS_STR("_stream_duplex"),
    DS_STR("_stream_passthrough"),
    DS_STR("_stream_readable"),
    DS_STR("_stream_transform"),
    DS_STR("_stream_wrap"),
    DS_STR("_stream_writable"),
    DS_STR("_tls_common"),
    DS_STR("_tls_wrap"),
    DS_STR("assert"),
    DS_STR("assert/strict"),
    DS_STR("async_hooks"),
    DS_STR("buffer"),
    DS_STR("child_process"),
    DS_STR("cluster"),
    DS_STR("console"),
    DS_STR("constants"),
    DS_STR("crypto"),
    DS_STR("dgram"),
    DS_STR("diagnostics_channel"),
    DS_STR("dns"),
    DS_STR("dns/promises"),
    DS_STR("domain"),
    DS_STR("events"),
    DS_STR("fs"),
    DS_STR("fs/promises"),
    DS_STR("http"),
    DS_STR("http2"),
    DS_STR("https"),
    DS_STR("inspector"),
    DS_STR("inspector/promises"),
    DS_STR("module"),
    DS_STR("net"),
    DS_STR("os"),
    DS_STR("path"),
    DS_STR("path/posix"),
    DS_STR("path/win32"),
    DS_STR("perf_hooks"),
    DS_STR("process"),
    DS_STR("punycode"),
    DS_STR("querystring"),
    DS_STR("readline"),
    DS_STR("readline/promises"),
    DS_STR("repl"),
    DS_STR("stream"),
    DS_STR("stream/consumers"),
    DS_STR("stream/promises"),
    DS_STR("stream/web"),
    DS_STR("string_decoder"),
    DS_STR("sys"),
    DS_STR("timers"),
    DS_STR("timers/promises"),
    DS_STR("tls"),
    DS_STR("trace_events"),
    DS_STR("tty"),
    DS_STR("url"),
    DS_STR("util"),
    DS_STR("util/types"),
    DS_STR("v8"),
    DS_STR("vm"),
    DS_STR("wasi"),
    DS_STR("worker_threads"),
    DS_STR("zlib"),
};

/* Query parameters whose imports the scan never follows (SPEC §4.5). */
static const char *const skip_queries[] = {"url", "raw", "worker", "sharedworker", "inline"};

#define N_REQ 2 /* import, require */

struct cache_ent {
    uint32_t dir_id; /* importer directory, in `dirs` */
    uint8_t env, req, ts;
    struct ds_str spec;
    struct ds_resolution res;
};

struct cache_key {
    uint32_t dir_id;
    uint8_t env, req, ts; /* ts: tsconfig paths apply to the importer (by its extension) */
    struct ds_str spec;
    uint32_t spec_hash; /* ds_str_hash(spec), computed once per call */
};

/* A package.json seen (or looked for) in one real directory. */
struct pkg_slot {
    bool known;         /* looked for */
    int8_t browser_esm; /* Vite's browser-entry check: -1 not done, 0 not ESM, 1 ESM */
    bool exists;        /* a package.json is there (possibly malformed: then facts are empty) */
    bool nearest_known;
    uint32_t nearest; /* `dirs` id of the nearest package directory at or above, or DS_NO_ID */
    /* In the arena, so callers may hold it while the slot array grows. */
    struct ds_pkg *pkg;
};

struct ds_resolver {
    struct ds_alloc *alloc;
    const struct ds_config *cfg;
    struct ds_interner *paths;
    pthread_mutex_t *paths_lock;
    struct ds_diags *diags;

    pthread_mutex_t lock;
    struct ds_fs *fs;
    struct ds_tsconfig *tsconfig; /* immutable once loaded */
    struct ds_arena arena;        /* package facts, cache keys, reasons */
    /* One cold resolution's temporaries, for the one that finds it free;
     * others (running while the fs drops `lock`) use an arena of their own. */
    struct ds_arena scratch;
    bool scratch_busy;
    struct ds_interner dirs;      /* importer directories and package directories */
    struct pkg_slot *pkgs;        /* by `dirs` id; the first n_pkgs are initialised */
    size_t n_pkgs, pkgs_cap;

    /* The result cache, under its own lock (see ds_resolve_with). */
    pthread_mutex_t cache_lock;
    struct ds_arena cache_arena;   /* specifiers and directories of the keys */
    struct ds_interner cache_dirs; /* importer directories */
    struct ds_table cache;
    struct cache_ent *ents;
    size_t n_ents, ents_cap;

    struct ds_str *fields; /* main fields of both environments, for ds_pkg_parse */
    size_t n_fields;
    struct ds_str *conds[DSCAN_N_ENVS][N_REQ];
    size_t n_conds[DSCAN_N_ENVS][N_REQ];

    /* The last importer directory and its id: the imports of one file come
     * in a row, and comparing is cheaper than hashing the path again. */
    struct ds_str last_dir;
    uint32_t last_dir_id;

    atomic_size_t resolve_calls;
    size_t cache_hits, pkg_reads;
    uint64_t pkg_bytes;
};

/* One resolution in progress. */
struct req {
    struct ds_resolver *r;
    struct ds_arena *scratch; /* this resolution's temporaries, owned by its thread */
    struct ds_pkg_conds conds;
    const struct ds_strlist *main_fields;
    bool browser;   /* the environment's mainFields include "browser" */
    bool require;   /* require(): the "require" condition */
    bool empty;     /* browser field mapped it to false */
    bool loop;      /* met a symlink loop */
    bool case_diff; /* a spelling that differs only in case exists */
    bool tsconfig;  /* tsconfig paths / baseUrl apply to this importer */
    bool external;  /* a Node builtin the browser field did not remap */
    bool env_dep;   /* consulted conditions, main fields or a browser map */
    const char *reason;
    struct ds_str importer_dir;
    char out[DS_MAX_PATH + 1];
    struct ds_str out_path;
};

/* ---- small helpers ----------------------------------------------------- */

static bool str_in(struct ds_str s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ds_str_eq(s, ds_str_cstr(list[i])))
            return true;
    return false;
}

static bool list_has(const struct ds_strlist *l, struct ds_str s)
{
    for (size_t i = 0; i < l->n; i++)
        if (ds_str_eq(l->items[i], s))
            return true;
    return false;
}

static bool is_relative(struct ds_str s)
{
    return ds_str_eq(s, DS_STR(".")) || ds_str_eq(s, DS_STR("..")) ||
           ds_str_starts_with(s, DS_STR("./")) || ds_str_starts_with(s, DS_STR("../"));
}

/* Vite's bareImportRE: a package name starts with a word character or '@'
 * and the specifier holds no "://". */
static bool is_bare(struct ds_str s)
{
    if (!s.len)
        return false;
    char c = s.ptr[0];
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '@';
    if (!word)
        return false;
    if (s.len >= 2 && s.ptr[1] == ':' && ((c | 32) >= 'a' && (c | 32) <= 'z'))
        return false; // a Windows drive letter
    for (size_t i = 0; i + 2 < s.len; i++)
        if (s.ptr[i] == ':' && s.ptr[i + 1] == '/' && s.ptr[i + 2] == '/')
            return false;
    return true;
}

/* Index of the first '?' or '#': where Vite's postfix starts. */
static size_t postfix_at(struct ds_str s)
{
    // Two memchr calls: paths here are long and rarely have either.
    size_t q = ds_str_find(s, '?');
    return ds_str_find(ds_str_slice(s, 0, q), '#');
}

static bool has_skip_query(struct ds_str s)
{
    size_t q = ds_str_find(s, '?');
    size_t i = q + 1;

    while (i <= s.len && q < s.len) {
        size_t end = i;
        while (end < s.len && s.ptr[end] != '&' && s.ptr[end] != '#')
            end++;
        struct ds_str param = ds_str_slice(s, i, end);
        param.len = ds_str_find(param, '=');
        if (str_in(param, skip_queries, DS_ARRAY_LEN(skip_queries)))
            return true;
        if (end >= s.len || s.ptr[end] == '#')
            break;
        i = end + 1;
    }
    return false;
}

static bool is_external(const struct ds_resolver *r, struct ds_str s)
{
    // Vite's nodeLikeBuiltins: node:, npm:, bun:, deno: ids are runtime modules.
    if (ds_str_starts_with(s, DS_STR("node:")) || ds_str_starts_with(s, DS_STR("bun:")) ||
        ds_str_starts_with(s, DS_STR("deno:")) || ds_str_starts_with(s, DS_STR("npm:")) ||
        ds_str_starts_with(s, DS_STR("virtual:")) || (s.len && s.ptr[0] == '\0') ||
        ds_str_starts_with(s, DS_STR("http:")) || ds_str_starts_with(s, DS_STR("https:")) ||
        ds_str_starts_with(s, DS_STR("//")) || ds_str_starts_with(s, DS_STR("data:")))
        return true;
    // A configured external names a package: the package and its subpaths.
    for (size_t i = 0; i < r->cfg->external.n; i++) {
        struct ds_str e = r->cfg->external.items[i];
        if (ds_str_eq(s, e) || (ds_str_starts_with(s, e) && s.len > e.len && s.ptr[e.len] == '/'))
            return true;
    }
    return has_skip_query(s);
}

static bool is_builtin(struct ds_str s)
{
    // Every name starts with [a-z_]: "./x", "@/x" and "@scope/x" (most calls)
    // skip the 68 comparisons.
    if (!s.len || !((s.ptr[0] >= 'a' && s.ptr[0] <= 'z') || s.ptr[0] == '_'))
        return false;
    for (size_t i = 0; i < DS_ARRAY_LEN(builtins); i++)
        if (ds_str_eq(s, builtins[i]))
            return true;
    return false;
}

static bool in_node_modules(struct ds_str path)
{
    static const struct ds_str nm = DS_STR("/node_modules/");
    for (size_t i = 0; i + nm.len <= path.len; i++)
        if (path.ptr[i] == '/' && memcmp(path.ptr + i, nm.ptr, nm.len) == 0)
            return true;
    return false;
}

static void fail(struct req *q, const char *reason)
{
    if (!q->reason)
        q->reason = reason;
}

/* The first failure's reason wins: it is the deepest one, and the outer
 * steps would only repeat "not found". Formats only when it will be kept.
 * A macro so the compiler checks each literal format against its slices. */
#define failf(q, fmt, a, b)                                                                   \
    do {                                                                                      \
        if (!(q)->reason) {                                                                   \
            (q)->reason = ds_arena_printf(&(q)->r->arena, fmt, DS_STR_FMT(a), DS_STR_FMT(b)); \
            if (!(q)->reason)                                                                 \
                (q)->reason = "cannot resolve";                                               \
        }                                                                                     \
    } while (0)

/* ---- filesystem probes (Vite's tryCleanFsResolve) --------------------- */

static enum ds_status type_of(struct req *q, struct ds_str path, enum ds_fs_type *t)
{
    enum ds_status st = ds_fs_type(q->r->fs, path, t);
    if (st == DS_OK && *t == DS_FS_LOOP)
        q->loop = true;
    return st;
}

/* Accepts `path` as the answer when it is a file. */
static enum ds_status try_file(struct req *q, struct ds_str path, bool *found)
{
    enum ds_fs_type t;
    enum ds_status st = type_of(q, path, &t);

    *found = false;
    if (st != DS_OK || t != DS_FS_FILE)
        return st;
    st = ds_fs_realpath(q->r->fs, path, q->out, sizeof q->out, &q->out_path);
    if (st == DS_ELOOP) {
        q->loop = true;
        return DS_OK;
    }
    if (st == DS_ENOENT || st == DS_ELIMIT)
        return DS_OK;
    if (st == DS_OK)
        *found = true;
    return st;
}

/* path + suffix, probed as a file. */
static enum ds_status try_suffix(struct req *q, struct ds_str path, struct ds_str suffix,
                                 bool *found)
{
    char buf[DS_MAX_PATH + 1];

    *found = false;
    if (path.len + suffix.len > DS_MAX_PATH)
        return DS_OK;
    memcpy(buf, path.ptr, path.len);
    memcpy(buf + path.len, suffix.ptr, suffix.len);
    return try_file(q, ds_str_make(buf, path.len + suffix.len), found);
}

static enum ds_status try_extensions(struct req *q, struct ds_str path, bool *found)
{
    enum ds_status st = DS_OK;

    *found = false;
    for (size_t i = 0; i < q->r->cfg->extensions.n && !*found && st == DS_OK; i++)
        st = try_suffix(q, path, q->r->cfg->extensions.items[i], found);
    return st;
}

static enum ds_status package_entry(struct req *q, struct ds_str dir, const struct ds_pkg *pkg,
                                    bool *found);
static enum ds_status get_pkg(struct req *q, struct ds_str dir, const struct ds_pkg **out);

/* Vite's tryCleanFsResolve: the file itself; then, when its directory exists,
 * the TypeScript sibling of a .js/.jsx/.mjs/.cjs name and the configured
 * extensions; then, for a directory, its package.json entry or index file. */
static enum ds_status clean_fs_resolve(struct req *q, struct ds_str file, bool try_index,
                                       bool skip_pkg, bool *found)
{
    enum ds_fs_type t, dt;
    enum ds_status st;

    *found = false;
    // "./dir/?v=1" loses its postfix after the join: "/…/dir/".
    while (file.len > 1 && file.ptr[file.len - 1] == '/')
        file.len--;
    st = type_of(q, file, &t);
    if (st != DS_OK)
        return st;
    if (t == DS_FS_FILE) {
        st = try_file(q, file, found);
        if (st != DS_OK || *found)
            return st;
    }
    st = type_of(q, ds_path_dirname(file), &dt);
    if (st != DS_OK)
        return st;
    if (dt == DS_FS_DIR) {
        size_t dot = ds_str_rfind(file, '.'), slash = ds_str_rfind(file, '/');
        if (dot < file.len && dot > slash) {
            struct ds_str ext = ds_str_slice(file, dot, file.len);
            struct ds_str stem = ds_str_slice(file, 0, dot);
            struct ds_str ts = ds_str_eq(ext, DS_STR(".js"))    ? DS_STR(".ts")
                               : ds_str_eq(ext, DS_STR(".jsx")) ? DS_STR(".tsx")
                               : ds_str_eq(ext, DS_STR(".mjs")) ? DS_STR(".mts")
                               : ds_str_eq(ext, DS_STR(".cjs")) ? DS_STR(".cts")
                                                                : DS_STR("");
            if (ts.len) {
                st = try_suffix(q, stem, ts, found);
                if (st == DS_OK && !*found && ds_str_eq(ext, DS_STR(".js")))
                    st = try_suffix(q, stem, DS_STR(".tsx"), found);
                if (st != DS_OK || *found)
                    return st;
            }
        }
        st = try_extensions(q, file, found);
        if (st != DS_OK || *found)
            return st;
    }
    if (try_index && t == DS_FS_DIR) {
        if (!skip_pkg) {
            const struct ds_pkg *pkg;
            st = get_pkg(q, file, &pkg);
            if (st != DS_OK)
                return st;
            // Vite catches a failed package entry here and goes on to index.
            if (pkg) {
                st = package_entry(q, file, pkg, found);
                if (st != DS_OK || *found)
                    return st;
            }
        }
        char buf[DS_MAX_PATH + 1];
        struct ds_str index;
        if (ds_path_join(file, DS_STR("index"), buf, sizeof buf, &index))
            return try_extensions(q, index, found);
    }
    return DS_OK;
}

/* Vite's tryFsResolve: a '#' inside a node_modules path may be part of the
 * file name (es5-ext ships `#/` folders), so that spelling is tried first;
 * otherwise the query and hash are dropped. */
static enum ds_status fs_resolve(struct req *q, struct ds_str path, bool try_index, bool skip_pkg,
                                 bool *found)
{
    size_t hash = ds_str_find(path, '#');
    enum ds_status st;

    *found = false;
    if (hash < path.len && in_node_modules(path)) {
        size_t query = ds_str_find(path, '?');
        if (query == path.len || query > hash) {
            st = clean_fs_resolve(q, ds_str_slice(path, 0, query), try_index, skip_pkg, found);
            if (st != DS_OK || *found)
                return st;
        }
    }
    return clean_fs_resolve(q, ds_str_slice(path, 0, postfix_at(path)), try_index, skip_pkg, found);
}

/* ---- package.json ------------------------------------------------------- */

static enum ds_status get_pkg(struct req *q, struct ds_str dir, const struct ds_pkg **out)
{
    struct ds_resolver *r = q->r;
    char buf[DS_MAX_PATH + 1];
    struct ds_str pj;
    enum ds_fs_type t;
    uint32_t id;
    enum ds_status st;

    *out = NULL;
    st = ds_intern(&r->dirs, dir, &id);
    if (st != DS_OK)
        return st;
    if (id >= r->n_pkgs) {
        st = ds_alloc_grow(r->alloc, (void **)&r->pkgs, &r->pkgs_cap, r->dirs.n, sizeof *r->pkgs);
        if (st != DS_OK)
            return st;
        memset(r->pkgs + r->n_pkgs, 0, (r->dirs.n - r->n_pkgs) * sizeof *r->pkgs);
        r->n_pkgs = r->dirs.n;
    }
    if (r->pkgs[id].known) {
        *out = r->pkgs[id].exists ? r->pkgs[id].pkg : NULL;
        return DS_OK;
    }
    r->pkgs[id] = (struct pkg_slot){.browser_esm = -1};
    if (!ds_path_join(dir, DS_STR("package.json"), buf, sizeof buf, &pj))
        goto known;
    st = ds_fs_type(r->fs, pj, &t);
    if (st != DS_OK)
        return st;
    // ds_fs_type and ds_fs_read may drop the lock: another thread may have
    // finished this slot meanwhile, and its answer stands.
    if (r->pkgs[id].known)
        goto known;
    if (t != DS_FS_FILE)
        goto known;
    struct ds_str text;
    const char *why;
    st = ds_fs_read(r->fs, pj, DS_MAX_JSON_BYTES, q->scratch, &text, &why);
    if (st == DS_ENOMEM)
        return st;
    r->pkg_reads++;
    if (r->pkgs[id].known)
        goto known; // read twice by a race: counted, not parsed or reported twice
    struct ds_pkg *pkg = ds_arena_zalloc(&r->arena, sizeof *pkg);
    if (!pkg)
        return DS_ENOMEM;
    if (st != DS_OK) {
        st = ds_diag_add(r->diags, DSCAN_WARNING, "read", pj, 0, 0, "cannot read '%.*s': %s",
                         DS_STR_FMT(pj), why);
        goto empty;
    }
    r->pkg_bytes += text.len;
    struct ds_json_error jerr = {0};
    st = ds_pkg_parse(text, r->fields, r->n_fields, &r->arena, q->scratch, pkg, &jerr);
    if (st == DS_ENOMEM)
        return st;
    if (st != DS_OK) {
        // SPEC §4.8: a malformed package.json is a warning; the package is
        // still there, as if it declared nothing.
        st = ds_diag_add(r->diags, DSCAN_WARNING, "parse", pj, jerr.line, jerr.col,
                         "cannot parse '%.*s': %s at %u:%u", DS_STR_FMT(pj),
                         jerr.what ? jerr.what : "invalid JSON", jerr.line, jerr.col);
        goto empty;
    }
    goto found;
empty:
    if (st != DS_OK)
        return st;
    *pkg = (struct ds_pkg){0};
    pkg->facts = ds_arena_zalloc(&r->arena, sizeof *pkg->facts);
    if (!pkg->facts)
        return DS_ENOMEM;
    pkg->facts->type = DS_JSON_OBJECT;
found:
    r->pkgs[id].exists = true;
    r->pkgs[id].pkg = pkg;
known:
    r->pkgs[id].known = true;
    *out = r->pkgs[id].exists ? r->pkgs[id].pkg : NULL;
    return DS_OK;
}

/* The nearest package.json at or above `dir` (Vite's findNearestPackageData).
 * *pkg_dir points into the dirs interner. */
static enum ds_status nearest_pkg(struct req *q, struct ds_str dir, const struct ds_pkg **out,
                                  struct ds_str *pkg_dir)
{
    struct ds_resolver *r = q->r;
    uint32_t walked[DS_MAX_PATH / 2 + 1], id, found = DS_NO_ID;
    size_t n = 0;
    const struct ds_pkg *pkg;
    enum ds_status st;

    *out = NULL;
    // Every directory walked through learns the answer, so the next file
    // anywhere below costs one lookup instead of a walk to the root.
    for (;;) {
        st = get_pkg(q, dir, &pkg);
        if (st != DS_OK)
            return st;
        id = ds_intern_find(&r->dirs, dir);
        if (r->pkgs[id].nearest_known) {
            found = r->pkgs[id].nearest;
            break;
        }
        if (pkg) {
            found = id;
            break;
        }
        if (n < DS_ARRAY_LEN(walked))
            walked[n++] = id;
        if (dir.len <= 1)
            break;
        dir = ds_path_dirname(dir);
    }
    for (size_t i = 0; i < n; i++) {
        r->pkgs[walked[i]].nearest = found;
        r->pkgs[walked[i]].nearest_known = true;
    }
    if (found != DS_NO_ID) {
        r->pkgs[found].nearest = found;
        r->pkgs[found].nearest_known = true;
        *out = r->pkgs[found].pkg;
        *pkg_dir = ds_intern_str(&r->dirs, found);
    }
    return DS_OK;
}

/* Vite's mapWithBrowserField: `path` ("./lib/a" or "pkg") against the keys of
 * the browser object, both normalised, also matching a key that adds ".js"
 * or "/index.js". NULL when no key matches. */
static const struct ds_json *browser_map(const struct ds_json *map, struct ds_str path)
{
    char pb[DS_MAX_PATH + 1], kb[DS_MAX_PATH + 1];
    struct ds_str p, k;

    if (!map || map->type != DS_JSON_OBJECT || !ds_path_join(DS_STR("/"), path, pb, sizeof pb, &p))
        return NULL;
    for (uint32_t i = 0; i < map->n; i++) {
        if (!ds_path_join(DS_STR("/"), map->u.members[i].key, kb, sizeof kb, &k))
            continue;
        if (ds_str_eq(p, k) ||
            (ds_str_ends_with(k, DS_STR(".js")) && ds_str_eq(ds_str_slice(k, 0, k.len - 3), p)) ||
            (ds_str_ends_with(k, DS_STR("/index.js")) &&
             ds_str_eq(ds_str_slice(k, 0, k.len - 9), p)))
            return &map->u.members[i].value;
    }
    return NULL;
}

static enum ds_status node_resolve(struct req *q, struct ds_str spec, bool *found);

/* Vite's tryResolveBrowserMapping, for the client: the importer's package
 * may remap a relative file (`path` absolute) or a bare id to another file,
 * another package, or false (an empty module). *hit says whether a key matched. */
static enum ds_status browser_mapping(struct req *q, struct ds_str id, bool is_file, bool *found)
{
    const struct ds_pkg *pkg;
    struct ds_str pkg_dir;
    char rel[DS_MAX_PATH + 3];
    enum ds_status st = nearest_pkg(q, q->importer_dir, &pkg, &pkg_dir);

    *found = false;
    if (st != DS_OK || !pkg || !pkg->browser || pkg->browser->type != DS_JSON_OBJECT)
        return st;
    struct ds_str key = id;
    if (is_file) {
        // "./" + path relative to the package directory.
        size_t base = pkg_dir.len == 1 ? 0 : pkg_dir.len;
        if (!ds_str_starts_with(id, pkg_dir) || id.len <= base || id.ptr[base] != '/')
            return DS_OK;
        size_t n = id.len - base - 1;
        if (n + 3 > sizeof rel)
            return DS_OK;
        rel[0] = '.';
        rel[1] = '/';
        memcpy(rel + 2, id.ptr + base + 1, n);
        key = ds_str_make(rel, n + 2);
    }
    const struct ds_json *v = browser_map(pkg->browser, key);
    if (!v)
        return DS_OK;
    if (v->type == DS_JSON_FALSE) {
        q->empty = true;
        *found = true;
        return DS_OK;
    }
    if (v->type != DS_JSON_STRING)
        return DS_OK;
    if (is_bare(v->u.str))
        return node_resolve(q, v->u.str, found);
    char buf[DS_MAX_PATH + 1];
    struct ds_str p;
    if (!ds_path_join(pkg_dir, v->u.str, buf, sizeof buf, &p))
        return DS_OK;
    return fs_resolve(q, p, true, false, found);
}

/* Vite's hasESMSyntax: an import/export statement or import.meta at the
 * start of a line or after ';' or whitespace. Only its shape matters: it
 * decides between a package's browser and module entries. */
static bool word_at(const char *p, const char *end, const char *w)
{
    size_t n = strlen(w);
    return (size_t)(end - p) >= n && memcmp(p, w, n) == 0 &&
           (p + n == end || !((p[n] | 32) >= 'a' && (p[n] | 32) <= 'z') || p[n] == '_');
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool has_esm_syntax(struct ds_str text)
{
    const char *s = text.ptr, *end = s + text.len;
    static const char *const decl[] = {"default", "class", "type", "function",
                                       "const",   "var",   "let",  "async"};

    for (const char *p = s; p < end; p++) {
        if (p > s && p[-1] != ';' && !is_space(p[-1]))
            continue;
        if (word_at(p, end, "import")) {
            const char *q = p + 6;
            if (q < end && q[0] == '.' && word_at(q + 1, end, "meta"))
                return true;
            const char *t = q;
            while (t < end && is_space(*t))
                t++;
            if (t < end && (*t == '\'' || *t == '"' || *t == '*' || *t == '{'))
                return true;
            // import[\s\w*,{}]*from
            while (q < end && (is_space(*q) || *q == '*' || *q == ',' || *q == '{' || *q == '}' ||
                               *q == '_' || *q == '$' || ((*q | 32) >= 'a' && (*q | 32) <= 'z') ||
                               (*q >= '0' && *q <= '9'))) {
                if (q[0] == 'f' && word_at(q, end, "from") && is_space(q[-1]))
                    return true;
                q++;
            }
        } else if (word_at(p, end, "export")) {
            const char *q = p + 6;
            while (q < end && is_space(*q))
                q++;
            if (q < end && (*q == '*' || *q == '{'))
                return true;
            for (size_t i = 0; i < DS_ARRAY_LEN(decl); i++)
                if (word_at(q, end, decl[i]))
                    return true;
        }
    }
    return false;
}

/* Vite's tryResolveBrowserEntry: when a package has both a browser entry and
 * a different module entry, the browser one is used only if it is ESM (some
 * packages point browser at a UMD build and module at browser ESM). Reads the
 * browser entry once per package. */
static enum ds_status browser_entry_is_esm(struct req *q, struct ds_str dir, struct ds_str entry,
                                           bool *esm)
{
    struct ds_resolver *r = q->r;
    uint32_t id = ds_intern_find(&r->dirs, dir);
    char buf[DS_MAX_PATH + 1];
    struct ds_str p, text;
    const char *why;
    bool found;
    enum ds_status st;

    *esm = true;
    if (id == DS_NO_ID || id >= r->n_pkgs)
        return DS_OK;
    if (r->pkgs[id].browser_esm >= 0) {
        *esm = r->pkgs[id].browser_esm;
        return DS_OK;
    }
    if (!ds_path_join(dir, entry, buf, sizeof buf, &p))
        return DS_OK;
    st = fs_resolve(q, p, true, false, &found);
    if (st != DS_OK || !found)
        return st; // Vite keeps the browser entry when it cannot be found
    st = ds_fs_read(r->fs, q->out_path, DS_MAX_FILE_BYTES, q->scratch, &text, &why);
    if (st == DS_ENOMEM)
        return st;
    r->pkgs[id].browser_esm = st != DS_OK || has_esm_syntax(text);
    *esm = r->pkgs[id].browser_esm;
    return DS_OK;
}

/* Vite's resolvePackageEntry: exports "." first; without exports the
 * environment's mainFields in order, then main, then index.js. */
static enum ds_status package_entry(struct req *q, struct ds_str dir, const struct ds_pkg *pkg,
                                    bool *found)
{
    char tb[DS_MAX_PATH + 1], buf[DS_MAX_PATH + 1];
    struct ds_str entry = {0}, p;
    enum ds_status st;

    *found = false;
    q->env_dep = true;
    if (pkg->exports) {
        enum ds_pkg_match m =
            ds_pkg_exports_match(pkg->exports, DS_STR("."), &q->conds, tb, sizeof tb, &entry);
        if (m != DS_PKG_FOUND) {
            failf(q, "no \"exports\" main entry in '%.*s/package.json' (%.*s)", dir,
                  ds_str_cstr(ds_pkg_match_name(m)));
            return DS_OK;
        }
    } else {
        for (size_t i = 0; i < q->main_fields->n && !entry.len; i++) {
            struct ds_str f = q->main_fields->items[i];
            if (ds_str_eq(f, DS_STR("browser"))) {
                const struct ds_json *b = pkg->browser;
                if (b && b->type == DS_JSON_STRING)
                    entry = b->u.str;
                else if (b)
                    b = ds_json_get(b, DS_STR(".")); // browser: {".": "./x.js"}
                if (!entry.len && b && b->type == DS_JSON_STRING)
                    entry = b->u.str;
                struct ds_str module = ds_pkg_string(pkg, DS_STR("module"));
                if (entry.len && !q->require && module.len && !ds_str_eq(module, entry) &&
                    list_has(q->main_fields, DS_STR("module"))) {
                    bool esm;
                    st = browser_entry_is_esm(q, dir, entry, &esm);
                    if (st != DS_OK)
                        return st;
                    if (!esm)
                        entry = module;
                }
            } else {
                entry = ds_pkg_string(pkg, f);
            }
        }
        if (!entry.len)
            entry = ds_pkg_string(pkg, DS_STR("main"));
    }
    static const struct ds_str defaults[] = {DS_STR("index.js"), DS_STR("index.json"),
                                             DS_STR("index.node")};
    size_t n = entry.len ? 1 : DS_ARRAY_LEN(defaults);
    for (size_t i = 0; i < n; i++) {
        struct ds_str e = entry.len ? entry : defaults[i];
        if (q->browser) {
            const struct ds_json *v = browser_map(pkg->browser, e);
            if (v && v->type == DS_JSON_STRING)
                e = v->u.str;
        }
        if (!ds_path_join(dir, e, buf, sizeof buf, &p))
            continue;
        st = fs_resolve(q, p, true, true, found);
        if (st != DS_OK || *found)
            return st;
    }
    failf(q, "cannot find the entry of package '%.*s'%.*s", dir, DS_STR(""));
    return DS_OK;
}

/* Vite's resolveDeepImport: `sub` is "./x" inside the package at `dir`. */
static enum ds_status deep_import(struct req *q, struct ds_str dir, const struct ds_pkg *pkg,
                                  struct ds_str sub, bool *found)
{
    char tb[DS_MAX_PATH + 1], buf[DS_MAX_PATH + 1], pb[DS_MAX_PATH + 1];
    struct ds_str rel = sub, p;

    *found = false;
    q->env_dep = true;
    size_t post = postfix_at(sub);
    struct ds_str file = ds_str_slice(sub, 0, post);
    if (pkg->exports) {
        struct ds_str target;
        enum ds_pkg_match m = DS_PKG_NOT_EXPORTED;
        // Vite: exports that are not an object (a string or an array) expose only ".".
        if (pkg->exports->type == DS_JSON_OBJECT)
            m = ds_pkg_exports_match(pkg->exports, file, &q->conds, tb, sizeof tb, &target);
        if (m != DS_PKG_FOUND) {
            failf(q, "package subpath '%.*s' is not exported by '%.*s/package.json'", file, dir);
            return DS_OK;
        }
        rel = target;
    } else if (q->browser) {
        const struct ds_json *v = browser_map(pkg->browser, file);
        if (v && v->type == DS_JSON_FALSE) {
            q->empty = true;
            *found = true;
            return DS_OK;
        }
        if (v && v->type == DS_JSON_STRING) {
            // The mapped file keeps the postfix the specifier had.
            if (v->u.str.len + (sub.len - post) >= sizeof pb)
                return DS_OK;
            memcpy(pb, v->u.str.ptr, v->u.str.len);
            memcpy(pb + v->u.str.len, sub.ptr + post, sub.len - post);
            rel = ds_str_make(pb, v->u.str.len + sub.len - post);
        }
    }
    if (!ds_path_join(dir, rel, buf, sizeof buf, &p))
        return DS_OK;
    // Vite tries index files only when the package has no exports.
    return fs_resolve(q, p, !pkg->exports, false, found);
}

/* Splits "pkg/sub" or "@scope/pkg/sub" into name and "./sub" (or "."). */
static bool split_package(struct ds_str spec, struct ds_str *name, struct ds_str *rest)
{
    size_t slash = ds_str_find(spec, '/');
    if (spec.len && spec.ptr[0] == '@') {
        if (slash == spec.len || slash + 1 == spec.len)
            return false;
        struct ds_str after = ds_str_slice(spec, slash + 1, spec.len);
        slash = slash + 1 + ds_str_find(after, '/');
    }
    *name = ds_str_slice(spec, 0, slash);
    *rest = ds_str_slice(spec, slash, spec.len); // "" or "/sub"
    if (!name->len || name->ptr[0] == '.' || ds_str_find(*name, '\\') < name->len ||
        ds_str_find(*name, '%') < name->len)
        return false;
    return true;
}

/* A package's main entry or a subpath of it, found at `dir`. */
static enum ds_status in_package(struct req *q, struct ds_str dir, const struct ds_pkg *pkg,
                                 struct ds_str rest, bool *found)
{
    char sb[DS_MAX_PATH + 2];

    if (!rest.len || ds_str_eq(rest, DS_STR("/")))
        return package_entry(q, dir, pkg, found);
    if (rest.len + 1 > sizeof sb - 1) {
        *found = false;
        return DS_OK;
    }
    sb[0] = '.';
    memcpy(sb + 1, rest.ptr, rest.len);
    return deep_import(q, dir, pkg, ds_str_make(sb, rest.len + 1), found);
}

/* Vite's tryNodeResolve, with Node's self-reference first: a package may
 * import itself by name when it has exports. */
static enum ds_status node_resolve(struct req *q, struct ds_str spec, bool *found)
{
    struct ds_str name, rest, pkg_dir;
    const struct ds_pkg *pkg;
    char buf[DS_MAX_PATH + 1];
    enum ds_status st;

    *found = false;
    q->env_dep = true;
    if (!split_package(spec, &name, &rest)) {
        fail(q, "invalid package name");
        return DS_OK;
    }
    // Vite's cleanUrl: a specifier without a subpath loses its postfix.
    if (!rest.len)
        name = ds_str_slice(name, 0, postfix_at(name));
    st = nearest_pkg(q, q->importer_dir, &pkg, &pkg_dir);
    if (st != DS_OK)
        return st;
    if (pkg && pkg->exports && ds_str_eq(pkg->name, name))
        return in_package(q, pkg_dir, pkg, rest, found);

    struct ds_str dir = q->importer_dir;
    for (;;) {
        size_t base = ds_str_rfind(dir, '/');
        bool skip = ds_str_eq(ds_str_slice(dir, base + 1, dir.len), DS_STR("node_modules"));
        if (!skip) {
            char nm[DS_MAX_PATH + 1];
            struct ds_str cand;
            if (ds_path_join(dir, DS_STR("node_modules"), nm, sizeof nm, &cand) &&
                ds_path_join(cand, name, buf, sizeof buf, &cand)) {
                enum ds_fs_type t;
                st = type_of(q, cand, &t);
                if (st != DS_OK)
                    return st;
                if (t == DS_FS_DIR) {
                    char real[DS_MAX_PATH + 1];
                    struct ds_str rd;
                    st = ds_fs_realpath(q->r->fs, cand, real, sizeof real, &rd);
                    if (st == DS_OK)
                        st = get_pkg(q, rd, &pkg);
                    else if (st == DS_ENOENT || st == DS_ELOOP || st == DS_ELIMIT)
                        st = DS_OK, pkg = NULL;
                    if (st != DS_OK)
                        return st;
                    // Vite: a package is a node_modules folder with a package.json.
                    if (pkg) {
                        uint32_t id = ds_intern_find(&q->r->dirs, rd);
                        return in_package(q, ds_intern_str(&q->r->dirs, id), pkg, rest, found);
                    }
                }
            }
        }
        if (dir.len <= 1)
            break;
        dir = ds_path_dirname(dir);
    }
    failf(q, "cannot find package '%.*s'%.*s", name, DS_STR(""));
    return DS_OK;
}

/* `#name`: the importer's package `imports` (Vite's resolveSubpathImports). */
static enum ds_status subpath_import(struct req *q, struct ds_str spec, bool *found)
{
    const struct ds_pkg *pkg;
    struct ds_str pkg_dir, target;
    char tb[DS_MAX_PATH + 1], buf[DS_MAX_PATH + 1];
    bool bare = false;
    enum ds_status st = nearest_pkg(q, q->importer_dir, &pkg, &pkg_dir);

    *found = false;
    q->env_dep = true;
    if (st != DS_OK)
        return st;
    // "#a?x": the postfix after the first character is not part of the key.
    size_t post = 1 + postfix_at(ds_str_slice(spec, 1, spec.len));
    struct ds_str key = ds_str_slice(spec, 0, post);
    enum ds_pkg_match m = ds_pkg_imports_match(pkg ? pkg->imports : NULL, key, &q->conds, tb,
                                               sizeof tb, &target, &bare);
    if (m != DS_PKG_FOUND) {
        fail(q, m == DS_PKG_NOT_EXPORTED ? "not defined by \"imports\" of the nearest package.json"
                                         : ds_pkg_match_name(m));
        return DS_OK;
    }
    if (bare)
        return node_resolve(q, target, found);
    struct ds_str p;
    if (!ds_path_join(pkg_dir, target, buf, sizeof buf, &p))
        return DS_OK;
    return fs_resolve(q, p, true, false, found);
}

/* A path (absolute, with any postfix): the browser map first, then the fs. */
static enum ds_status path_resolve(struct req *q, struct ds_str path, bool *found)
{
    const struct ds_pkg *pkg;
    struct ds_str pkg_dir;
    enum ds_status st;

    *found = false;
    // An environment whose mainFields include "browser" consults the
    // importer's browser map here; a file found without one is the same
    // answer in every environment (ds_resolve_with shares it).
    st = nearest_pkg(q, q->importer_dir, &pkg, &pkg_dir);
    if (st != DS_OK)
        return st;
    if (pkg && pkg->browser && pkg->browser->type == DS_JSON_OBJECT)
        q->env_dep = true;
    if (q->browser) {
        st = browser_mapping(q, ds_str_slice(path, 0, postfix_at(path)), true, found);
        if (st != DS_OK || *found)
            return st;
    }
    return fs_resolve(q, path, true, false, found);
}

/* When `path` failed, is there a spelling on disk that differs only in
 * case? The first component that does not exist is compared, letter case
 * folded, with its directory's listing (with the extensions, when it is the
 * last): "./Components/button" against components/Button.tsx. */
static enum ds_status check_case(struct req *q, struct ds_str path)
{
    char buf[DS_MAX_PATH + 1];
    struct ds_str hit = {0}, dir = DS_STR("/"), name = {0};
    enum ds_fs_type t = DS_FS_DIR;
    enum ds_status st = DS_OK;
    size_t i = 1;

    while (i < path.len && t == DS_FS_DIR) {
        size_t end = i;
        while (end < path.len && path.ptr[end] != '/')
            end++;
        dir = i == 1 ? DS_STR("/") : ds_str_slice(path, 0, i - 1);
        name = ds_str_slice(path, i, end);
        st = ds_fs_type(q->r->fs, ds_str_slice(path, 0, end), &t);
        if (st != DS_OK)
            return st;
        if (t != DS_FS_DIR || end == path.len)
            break;
        i = end + 1;
    }
    if (t != DS_FS_NONE || !name.len)
        return DS_OK;
    bool last = name.ptr + name.len == path.ptr + path.len;
    st = ds_fs_find_case(q->r->fs, dir, name, &hit);
    for (size_t k = 0; last && st == DS_OK && !hit.len && k < q->r->cfg->extensions.n; k++) {
        struct ds_str e = q->r->cfg->extensions.items[k];
        if (name.len + e.len >= sizeof buf)
            break;
        memcpy(buf, name.ptr, name.len);
        memcpy(buf + name.len, e.ptr, e.len);
        st = ds_fs_find_case(q->r->fs, dir, ds_str_make(buf, name.len + e.len), &hit);
    }
    if (st != DS_OK || !hit.len)
        return st;
    q->case_diff = true;
    q->reason = NULL; // the case mismatch says more than "no such file"
    failf(q, "letter case differs from the file on disk '%.*s/%.*s'", dir, hit);
    return DS_OK;
}

/* ---- one resolution ------------------------------------------------------ */

static enum ds_status resolve_spec(struct req *q, struct ds_str spec, bool *found)
{
    struct ds_resolver *r = q->r;
    char ab[DS_MAX_PATH + 1], buf[DS_MAX_PATH + 1];
    struct ds_str p;
    enum ds_status st;

    *found = false;
    // Alias first (Vite's alias plugin): the first rule that matches, once.
    for (size_t i = 0; i < r->cfg->n_alias; i++) {
        struct ds_str f = r->cfg->alias[i].find;
        if (ds_str_eq(spec, f) ||
            (ds_str_starts_with(spec, f) && spec.len > f.len && spec.ptr[f.len] == '/')) {
            struct ds_str rep = r->cfg->alias[i].replacement;
            if (rep.len + spec.len - f.len >= sizeof ab)
                return DS_OK;
            memcpy(ab, rep.ptr, rep.len);
            memcpy(ab + rep.len, spec.ptr + f.len, spec.len - f.len);
            spec = ds_str_make(ab, rep.len + spec.len - f.len);
            break;
        }
    }
    // tsconfig paths / baseUrl next (vite-tsconfig-paths runs before Vite's
    // resolver), for the project's own files only.
    if (q->tsconfig && !is_relative(spec) && !(spec.len && spec.ptr[0] == '/')) {
        struct ds_strlist cands;
        st = ds_tsconfig_match(r->tsconfig, spec, q->scratch, &cands);
        // A candidate is a path as TypeScript sees it: "#x" or "?x" in it is
        // part of a file name, not a postfix to drop (else baseUrl "." would
        // turn "#lib/x" into the project root's package entry).
        for (size_t i = 0; st == DS_OK && i < cands.n; i++) {
            struct ds_str c = cands.items[i];
            st = clean_fs_resolve(q, c, true, false, found);
            if (st == DS_OK && !*found && ds_str_find(c, '?') < c.len)
                st = clean_fs_resolve(q, ds_str_slice(c, 0, ds_str_find(c, '?')), true, false,
                                      found); // "~/a?v=1": a query, as Vite drops it
            if (st != DS_OK || *found)
                return st;
        }
        if (st != DS_OK)
            return st;
    }
    if (spec.len && spec.ptr[0] == '#')
        return subpath_import(q, spec, found);
    if (is_relative(spec)) {
        if (!ds_path_join(q->importer_dir, spec, buf, sizeof buf, &p)) {
            fail(q, "path too long");
            return DS_OK;
        }
        st = path_resolve(q, p, found);
        if (st == DS_OK && !*found && !q->loop)
            st = check_case(q, ds_str_slice(p, 0, postfix_at(p)));
        return st;
    }
    if (spec.len && spec.ptr[0] == '/') {
        // Vite: "/x" is first tried under the root, unless it already is there.
        struct ds_str root = r->cfg->root;
        if (!(ds_str_starts_with(spec, root) && spec.len > root.len && spec.ptr[root.len] == '/') &&
            ds_path_join(root, ds_str_slice(spec, 1, spec.len), buf, sizeof buf, &p)) {
            st = path_resolve(q, p, found);
            if (st != DS_OK || *found)
                return st;
        }
        if (!ds_path_join(DS_STR("/"), spec, buf, sizeof buf, &p))
            return DS_OK;
        st = path_resolve(q, p, found);
        if (st == DS_OK && !*found && !q->loop)
            st = check_case(q, ds_str_slice(p, 0, postfix_at(p)));
        return st;
    }
    if (!is_bare(spec)) {
        fail(q, "not a relative path, absolute path or package name");
        return DS_OK;
    }
    if (q->browser) {
        st = browser_mapping(q, spec, false, found);
        if (st != DS_OK || *found)
            return st;
    }
    // SPEC §4.5: a builtin is never resolved, unless (Vite, client) the
    // importer's browser field remapped it just above.
    if (is_builtin(spec)) {
        q->external = true;
        *found = true;
        return DS_OK;
    }
    return node_resolve(q, spec, found);
}

static bool cache_eq(const void *ctx, uint32_t id, const void *key)
{
    const struct ds_resolver *r = ctx;
    const struct cache_key *k = key;
    const struct cache_ent *e = &r->ents[id];
    return e->dir_id == k->dir_id && e->env == k->env && e->req == k->req && e->ts == k->ts &&
           ds_str_eq(e->spec, k->spec);
}

static uint32_t cache_hash(const struct cache_key *k)
{
    return ds_hash_mix(ds_hash_mix(k->spec_hash, k->dir_id),
                       (uint32_t)(k->env * 4 + k->req * 2 + k->ts));
}

/* The cache key of a request; the directory is interned in `cache_dirs`.
 * Called with cache_lock held. */
static enum ds_status make_key(struct ds_resolver *r, struct ds_str dir, struct cache_key *key)
{
    enum ds_status st;

    if (r->last_dir.ptr && ds_str_eq(dir, r->last_dir)) {
        key->dir_id = r->last_dir_id;
        return DS_OK;
    }
    st = ds_intern(&r->cache_dirs, dir, &key->dir_id);
    if (st != DS_OK)
        return st;
    r->last_dir = ds_intern_str(&r->cache_dirs, key->dir_id);
    r->last_dir_id = key->dir_id;
    return DS_OK;
}

/* One resolution on a miss. Called with `lock` held (not cache_lock). */
static enum ds_status resolve_uncached(struct ds_resolver *r, struct ds_str dir, struct ds_str spec,
                                       enum dscan_env env, bool req, bool ts,
                                       const struct ds_pkg_conds *conds, struct ds_resolution *out,
                                       bool *env_free)
{
    bool found = false;
    enum ds_status st;
    struct ds_arena own, *scratch = &r->scratch;

    *env_free = false;
    // Not zalloc: `out` is a DS_MAX_PATH buffer written before it is read,
    // and zeroing it on every miss was 13 % of a scan's instructions
    // (callgrind, bench/realapp).
    if (r->scratch_busy) {
        ds_arena_init(&own, r->alloc, 64 * 1024);
        scratch = &own;
    }
    r->scratch_busy = true;
    struct req *q = ds_arena_alloc(scratch, sizeof *q);

    if (!q) {
        st = DS_ENOMEM;
        goto done;
    }
    memset(q, 0, offsetof(struct req, out));
    q->out_path = (struct ds_str){0};
    q->r = r;
    q->scratch = scratch;
    q->conds = conds ? *conds : (struct ds_pkg_conds){r->conds[env][req], r->n_conds[env][req]};
    q->main_fields = &r->cfg->env[env].main_fields;
    q->browser = list_has(q->main_fields, DS_STR("browser"));
    q->require = req;
    q->importer_dir = dir;
    q->tsconfig = ts;
    st = resolve_spec(q, spec, &found);
    if (st != DS_OK)
        goto done;
    if (found && q->external) {
        out->kind = DS_RES_EXTERNAL;
    } else if (found && q->empty) {
        out->kind = DS_RES_EMPTY;
    } else if (found) {
        out->kind = DS_RES_FILE;
        out->script = ds_prescan_is_script(q->out_path);
        *env_free = !q->env_dep && !conds;
        pthread_mutex_lock(r->paths_lock);
        st = ds_intern(r->paths, q->out_path, &out->path_id);
        pthread_mutex_unlock(r->paths_lock);
    } else {
        out->symlink_loop = q->loop;
        out->case_mismatch = q->case_diff;
        out->reason = q->loop ? "symlink loop" : q->reason ? q->reason : "no such file";
    }
done:
    if (scratch == &r->scratch) {
        ds_arena_reset(scratch);
        r->scratch_busy = false;
    } else {
        ds_arena_release(scratch);
    }
    return st;
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

/* Environment-free answers are kept once, under this environment value
 * (and import kind 0): see resolve_impl. */
#define ANY_ENV DSCAN_N_ENVS

/* The cached answer for `key` (hash `hash`), or for the same request in
 * any environment; NULL when neither is cached. Called with cache_lock held. */
static const struct ds_resolution *cache_get(struct ds_resolver *r, const struct cache_key *key,
                                             uint32_t hash)
{
    struct cache_key any = *key;
    uint32_t id = ds_table_find(&r->cache, hash, cache_eq, r, key);

    if (id != DS_NO_ID)
        return &r->ents[id].res;
    any.env = ANY_ENV;
    any.req = 0;
    id = ds_table_find(&r->cache, cache_hash(&any), cache_eq, r, &any);
    return id != DS_NO_ID ? &r->ents[id].res : NULL;
}

/* Locking: a cache hit takes only cache_lock, so warm resolutions never wait
 * behind a cold one's syscalls; a miss resolves under `lock` (one cold
 * resolution at a time: the fs and package caches are not shared-safe) and
 * takes cache_lock again to publish its answer. */
static enum ds_status resolve_impl(struct ds_resolver *r, struct ds_str importer,
                                   struct ds_str specifier, enum dscan_env env,
                                   enum dscan_import_kind kind,
                                   const struct ds_strlist *conditions,
                                   struct ds_resolution *out, bool *busy)
{
    struct ds_str items[64];
    struct ds_pkg_conds c;
    struct cache_key key = {
        .env = (uint8_t)env, .req = kind == DSCAN_IMPORT_REQUIRE, .spec = specifier};
    uint32_t hash = 0;
    enum ds_status st = DS_OK;

    if (specifier.len > DS_MAX_PATH || importer.len > DS_MAX_PATH ||
        (unsigned)env >= DSCAN_N_ENVS || (conditions && conditions->n + 2 > DS_ARRAY_LEN(items)))
        return DS_ELIMIT;
    *out = (struct ds_resolution){.kind = DS_RES_NOT_FOUND, .path_id = DS_NO_ID};
    atomic_fetch_add(&r->resolve_calls, 1);
    if (is_external(r, specifier) ||
        (is_builtin(specifier) && !list_has(&r->cfg->env[env].main_fields, DS_STR("browser")))) {
        out->kind = DS_RES_EXTERNAL;
        return DS_OK;
    }
    if (!specifier.len) {
        out->reason = "empty specifier";
        return DS_OK;
    }
    struct ds_str dir = ds_path_dirname(importer);
    // vite-tsconfig-paths picks importers by extension and skips node_modules.
    key.ts = r->tsconfig && (r->tsconfig->n_paths || r->tsconfig->base_url.len) &&
             ds_tsconfig_applies_to(r->tsconfig, importer);
    if (conditions) {
        // The explicit list replaces the environment's; the implicit ones stay (SPEC §1).
        memcpy(items, conditions->items, conditions->n * sizeof *items);
        items[conditions->n] = key.req ? DS_STR("require") : DS_STR("import");
        items[conditions->n + 1] =
            r->cfg->production ? DS_STR("production") : DS_STR("development");
        c = (struct ds_pkg_conds){items, conditions->n + 2};
        bool ignored;
        pthread_mutex_lock(&r->lock);
        st = resolve_uncached(r, dir, specifier, env, key.req, key.ts, &c, out, &ignored);
        pthread_mutex_unlock(&r->lock);
        return st;
    }
    pthread_mutex_lock(&r->cache_lock);
    st = make_key(r, dir, &key);
    if (st == DS_OK) {
        key.spec_hash = ds_str_hash(specifier);
        hash = cache_hash(&key);
        const struct ds_resolution *hit = cache_get(r, &key, hash);
        if (hit) {
            r->cache_hits++;
            *out = *hit;
            pthread_mutex_unlock(&r->cache_lock);
            return DS_OK;
        }
    }
    pthread_mutex_unlock(&r->cache_lock);
    if (st != DS_OK)
        return st;

    if (busy && pthread_mutex_trylock(&r->lock) != 0) {
        // Not counted: the caller asks again.
        atomic_fetch_sub(&r->resolve_calls, 1);
        *busy = true;
        return DS_OK;
    }
    if (!busy)
        pthread_mutex_lock(&r->lock);
    // Another thread may have resolved it while this one waited for `lock`.
    pthread_mutex_lock(&r->cache_lock);
    const struct ds_resolution *hit = cache_get(r, &key, hash);
    if (hit)
        *out = *hit;
    pthread_mutex_unlock(&r->cache_lock);
    if (hit) {
        pthread_mutex_unlock(&r->lock);
        return DS_OK;
    }
    bool env_free;
    st = resolve_uncached(r, dir, specifier, env, key.req, key.ts, NULL, out, &env_free);
    if (st == DS_OK) {
        pthread_mutex_lock(&r->cache_lock);
        // A file found without conditions, main fields or a browser map is
        // the answer for the other environment and import kind too: it is
        // kept once, under ANY_ENV, so an icon barrel reached from both
        // sides costs one miss per icon, not two (bench/realapp: 12,844
        // misses -> 9,084, each under `lock`), and no memory twice.
        if (env_free) {
            struct cache_key any = key;
            any.env = ANY_ENV;
            any.req = 0;
            st = cache_add(r, &any, cache_hash(&any), out);
        } else {
            st = cache_add(r, &key, hash, out);
        }
        pthread_mutex_unlock(&r->cache_lock);
    }
    pthread_mutex_unlock(&r->lock);
    return st;
}

enum ds_status ds_resolve_with(struct ds_resolver *r, struct ds_str importer,
                               struct ds_str specifier, enum dscan_env env,
                               enum dscan_import_kind kind, const struct ds_strlist *conditions,
                               struct ds_resolution *out)
{
    return resolve_impl(r, importer, specifier, env, kind, conditions, out, NULL);
}

enum ds_status ds_resolve(struct ds_resolver *r, struct ds_str importer, struct ds_str specifier,
                          enum dscan_env env, enum dscan_import_kind kind,
                          struct ds_resolution *out)
{
    return resolve_impl(r, importer, specifier, env, kind, NULL, out, NULL);
}

enum ds_status ds_resolve_try(struct ds_resolver *r, struct ds_str importer,
                              struct ds_str specifier, enum dscan_env env,
                              enum dscan_import_kind kind, struct ds_resolution *out, bool *busy)
{
    *busy = false;
    return resolve_impl(r, importer, specifier, env, kind, NULL, out, busy);
}

enum ds_status ds_resolver_realpath(struct ds_resolver *r, struct ds_str path, uint32_t *id_out)
{
    char in[DS_MAX_PATH + 1], buf[DS_MAX_PATH + 1];
    struct ds_str norm, real;
    enum ds_fs_type t;
    enum ds_status st;

    if (!path.len || path.ptr[0] != '/' || !ds_path_join(DS_STR("/"), path, in, sizeof in, &norm))
        return DS_EINVAL;
    pthread_mutex_lock(&r->lock);
    st = ds_fs_type(r->fs, norm, &t);
    if (st == DS_OK && t == DS_FS_LOOP)
        st = DS_ELOOP;
    else if (st == DS_OK && t != DS_FS_FILE)
        st = DS_ENOENT;
    if (st == DS_OK)
        st = ds_fs_realpath(r->fs, norm, buf, sizeof buf, &real);
    if (st == DS_OK) {
        pthread_mutex_lock(r->paths_lock);
        st = ds_intern(r->paths, real, id_out);
        pthread_mutex_unlock(r->paths_lock);
    }
    pthread_mutex_unlock(&r->lock);
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
    r->paths = paths;
    r->paths_lock = paths_lock;
    r->diags = diags;
    ds_arena_init(&r->arena, alloc, 64 * 1024);
    ds_arena_init(&r->scratch, alloc, 64 * 1024);
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
    st = ds_fs_new(alloc, &r->fs);
    if (st == DS_OK)
        st = ds_fs_add_real_dir(r->fs, cfg->root); // a real path (config.c)
    if (st == DS_OK && cfg->tsconfig.len)
        st = ds_tsconfig_load(alloc, cfg->tsconfig, diags, &r->tsconfig);
    if (st == DS_OK)
        ds_fs_set_lock(r->fs, &r->lock); // every fs call below holds it
    if (st != DS_OK)
        goto fail;
    size_t nf = cfg->env[0].main_fields.n + cfg->env[1].main_fields.n;
    r->fields = ds_arena_alloc(&r->arena, (nf + 1) * sizeof *r->fields);
    if (!r->fields) {
        st = DS_ENOMEM;
        goto fail;
    }
    for (int e = 0; e < DSCAN_N_ENVS; e++)
        for (size_t i = 0; i < cfg->env[e].main_fields.n; i++)
            st = add_field(r, cfg->env[e].main_fields.items[i]);
    // Conditions per (environment, import|require): the explicit list plus
    // the implicit ones of Vite 6 (import/require, the mode's); "default" is
    // matched by pkg.c.
    for (int e = 0; e < DSCAN_N_ENVS; e++) {
        for (int k = 0; k < N_REQ; k++) {
            size_t n = cfg->env[e].conditions.n;
            struct ds_str *c = ds_arena_alloc(&r->arena, (n + 2) * sizeof *c);
            if (!c) {
                st = DS_ENOMEM;
                goto fail;
            }
            if (n)
                memcpy(c, cfg->env[e].conditions.items, n * sizeof *c);
            c[n] = k ? DS_STR("require") : DS_STR("import");
            c[n + 1] = cfg->production ? DS_STR("production") : DS_STR("development");
            r->conds[e][k] = c;
            r->n_conds[e][k] = n + 2;
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
    ds_table_release(&r->cache);
    ds_alloc_free(r->alloc, r->ents);
    ds_alloc_free(r->alloc, r->pkgs);
    ds_interner_release(&r->dirs);
    ds_interner_release(&r->cache_dirs);
    ds_arena_release(&r->arena);
    ds_arena_release(&r->scratch);
    ds_arena_release(&r->cache_arena);
    pthread_mutex_destroy(&r->lock);
    pthread_mutex_destroy(&r->cache_lock);
    ds_alloc_free(r->alloc, r);
}

void ds_resolver_get_stats(struct ds_resolver *r, struct ds_resolver_stats *out)
{
    struct ds_fs_stats fs;

    pthread_mutex_lock(&r->lock);
    pthread_mutex_lock(&r->cache_lock);
    ds_fs_get_stats(r->fs, &fs);
    out->resolve_calls = atomic_load(&r->resolve_calls);
    out->cache_hits = r->cache_hits;
    out->stat_calls = fs.syscalls;
    out->files_read = fs.files_read + (r->tsconfig ? r->tsconfig->files_read : 0);
    out->bytes_read = fs.bytes_read + (r->tsconfig ? r->tsconfig->bytes_read : 0);
    pthread_mutex_unlock(&r->cache_lock);
    pthread_mutex_unlock(&r->lock);
}
