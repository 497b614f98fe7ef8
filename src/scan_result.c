/* The result of a finished walk (SPEC §3): the client and server lists,
 * the unresolved imports, the warnings and the files read, each sorted and
 * deduplicated so nothing depends on thread count or timing; the public
 * accessors; and dscan_why, whose chains come from a BFS over rank-sorted
 * edges (graph.c) for the same reason. */
#include <stdlib.h>

#include "scan_int.h"

const char *ds_scan_normalize(struct ds_arena *arena, struct ds_str root, struct ds_str path)
{
    struct ds_str out = path;
    struct ds_str copy;

    if (root.len == 1 && root.ptr[0] == '/')
        out = path;
    else if (ds_str_eq(path, root))
        out = DS_STR("/");
    else if (path.len > root.len && path.ptr[root.len] == '/' && ds_str_starts_with(path, root))
        out = ds_str_slice(path, root.len, path.len);
    if (ds_arena_strdup(arena, out, &copy) != DS_OK)
        return NULL;
    return copy.ptr;
}

static int cmp_str(const void *a, const void *b)
{
    return ds_str_cmp(*(const struct ds_str *)a, *(const struct ds_str *)b);
}

enum ds_status ds_scan_sort_paths(struct ds_alloc *alloc, const char **v, size_t *n)
{
    // Sorted as slices, their lengths taken once: the 4,521 paths bench/realapp
    // reads share ~80-byte prefixes, and strcmp over them, a byte at a time
    // in musl, was 5 % of a scan (after the last visit, on one thread).
    if (*n < 2)
        return DS_OK;
    struct ds_str *s = ds_alloc_malloc(alloc, *n * sizeof *s);
    size_t k = 0;

    if (!s)
        return DS_ENOMEM;
    for (size_t i = 0; i < *n; i++)
        s[i] = ds_str_cstr(v[i]);
    qsort(s, *n, sizeof *s, cmp_str);
    for (size_t i = 0; i < *n; i++)
        if (k == 0 || !ds_str_eq(s[k - 1], s[i]))
            s[k++] = s[i];
    for (size_t i = 0; i < k; i++)
        v[i] = s[i].ptr;
    *n = k;
    ds_alloc_free(alloc, s);
    return DS_OK;
}

static int cmp_unresolved(const void *a, const void *b)
{
    const struct dscan_unresolved *x = a, *y = b;
    int c = strcmp(x->importer, y->importer);
    if (!c)
        c = strcmp(x->specifier, y->specifier);
    if (!c)
        c = (int)x->env - (int)y->env;
    return c;
}

size_t ds_scan_sort_unresolved(struct dscan_unresolved *v, size_t n)
{
    size_t k = 0;

    qsort(v, n, sizeof *v, cmp_unresolved);
    for (size_t i = 0; i < n; i++)
        if (k == 0 || cmp_unresolved(&v[k - 1], &v[i]) != 0)
            v[k++] = v[i];
    return k;
}

static int cmp_diag(const void *a, const void *b)
{
    const struct dscan_diagnostic *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    if (!c)
        c = (x->line > y->line) - (x->line < y->line);
    if (!c)
        c = (x->col > y->col) - (x->col < y->col);
    if (!c)
        c = strcmp(x->code, y->code);
    if (!c)
        c = strcmp(x->message, y->message);
    return c;
}

struct ranked {
    const char *path;
    uint32_t env, mod;
};

static int cmp_ranked(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    if (!c)
        c = (int)x->env - (int)y->env;
    return c;
}

/* The normalized spelling of every path id the modules use, cached by id. */
static enum ds_status module_paths(struct dscan *s, const char ***out)
{
    size_t n = s->graph.n;
    const char **by_id = ds_alloc_calloc(&s->alloc, s->paths.n ? s->paths.n : 1, sizeof *by_id);
    const char **mp = ds_arena_alloc(&s->arena, (n ? n : 1) * sizeof *mp);

    if (!by_id || !mp) {
        ds_alloc_free(&s->alloc, by_id);
        return DS_ENOMEM;
    }
    for (size_t m = 0; m < n; m++) {
        uint32_t id = s->graph.mods[m].path_id;
        if (!by_id[id]) {
            by_id[id] = ds_scan_normalize(&s->arena, s->root, ds_intern_str(&s->paths, id));
            if (!by_id[id]) {
                ds_alloc_free(&s->alloc, by_id);
                return DS_ENOMEM;
            }
        }
        mp[m] = by_id[id];
    }
    ds_alloc_free(&s->alloc, by_id);
    *out = mp;
    return DS_OK;
}

enum ds_status ds_scan_build_result(struct dscan *s)
{
    size_t n = s->graph.n;
    enum ds_status st;

    // Every module's spelling is kept only where chains are asked for
    // (dscan_why and --report, which keep the edges); a plain scan spells
    // its directive modules only (389 of bench/realapp's 6,690).
    if (s->graph.keep_edges && (st = module_paths(s, &s->mod_path)) != DS_OK)
        return st;
    s->client = ds_arena_alloc(&s->arena, (n ? n : 1) * sizeof *s->client);
    s->server = ds_arena_alloc(&s->arena, (n ? n : 1) * sizeof *s->server);
    if (!s->client || !s->server)
        return DS_ENOMEM;
    if (s->precise && (st = ds_precise_walk(s)) != DS_OK)
        return st;
    // SPEC §3/§4.3: a file is in `client` if it says "use client",
    // in `server` if it says only "use server", whichever env reached it.
    for (size_t m = 0; m < n; m++) {
        uint8_t f = s->files[s->graph.mods[m].path_id].flags;
        if (s->live && !s->live[m])
            continue; // precise mode (SPEC §4.10) cannot reach it
        if (!(f & (F_USE_CLIENT | F_USE_SERVER)))
            continue;
        const char *p = s->mod_path
                            ? s->mod_path[m]
                            : ds_scan_normalize(&s->arena, s->root,
                                                ds_intern_str(&s->paths, s->graph.mods[m].path_id));
        if (!p)
            return DS_ENOMEM;
        if (f & F_USE_CLIENT)
            s->client[s->n_client++] = p;
        else
            s->server[s->n_server++] = p;
    }
    if ((st = ds_scan_sort_paths(&s->alloc, s->client, &s->n_client)) != DS_OK)
        return st;

    // Interned paths are NUL-terminated and outlive the result: no copies.
    s->read_list =
        ds_arena_alloc(&s->arena, (s->files_read ? s->files_read : 1) * sizeof *s->read_list);
    if (!s->read_list)
        return DS_ENOMEM;
    for (size_t id = 0; id < s->files_cap && s->n_read < s->files_read; id++)
        if (s->files[id].reads && s->files[id].flags & F_READ_OK)
            s->read_list[s->n_read++] = ds_intern_str(&s->paths, (uint32_t)id).ptr;
    if ((st = ds_scan_sort_paths(&s->alloc, s->read_list, &s->n_read)) != DS_OK ||
        (st = ds_scan_sort_paths(&s->alloc, s->server, &s->n_server)) != DS_OK)
        return st;

    s->unresolved =
        ds_arena_alloc(&s->arena, (s->n_unres ? s->n_unres : 1) * sizeof *s->unresolved);
    if (!s->unresolved)
        return DS_ENOMEM;
    for (size_t i = 0; i < s->n_unres; i++) {
        const struct unres *u = &s->unres[i];
        const char *imp =
            ds_scan_normalize(&s->arena, s->root, ds_intern_str(&s->paths, u->importer));
        if (!imp)
            return DS_ENOMEM;
        // Specifiers are NUL-terminated in the interner's arena.
        s->unresolved[i] =
            (struct dscan_unresolved){u->spec.ptr, imp, (enum dscan_env)u->env, u->reason};
    }
    s->n_unresolved = ds_scan_sort_unresolved(s->unresolved, s->n_unres);

    // Past the diagnostics' cap the rest are only counted: say so, or a tool
    // reading `warnings` would take a capped list for the whole story.
    if (s->diags.dropped) {
        size_t dropped = s->diags.dropped, max = s->diags.max++;
        if (ds_diag_add(&s->diags, DSCAN_WARNING, "limit", s->root, 0, 0,
                        "not listing warnings past the first %zu in '%.*s': %zu more", max,
                        DS_STR_FMT(s->root), dropped) != DS_OK)
            return DS_ENOMEM;
    }
    // The same warning can come from both environments' visits: keep one.
    s->diag_list = ds_arena_alloc(&s->arena, (s->diags.n ? s->diags.n : 1) * sizeof *s->diag_list);
    if (!s->diag_list)
        return DS_ENOMEM;
    if (s->diags.n)
        memcpy(s->diag_list, s->diags.items, s->diags.n * sizeof *s->diag_list);
    qsort(s->diag_list, s->diags.n, sizeof *s->diag_list, cmp_diag);
    for (size_t i = 0; i < s->diags.n; i++)
        if (s->n_diag == 0 || cmp_diag(&s->diag_list[s->n_diag - 1], &s->diag_list[i]) != 0)
            s->diag_list[s->n_diag++] = s->diag_list[i];
    return DS_OK;
}

/* ---- accessors ---------------------------------------------------------- */

const char *dscan_root(const struct dscan *s)
{
    return s->root.ptr;
}

size_t dscan_client_count(const struct dscan *s)
{
    return s->n_client;
}

const char *dscan_client_at(const struct dscan *s, size_t i)
{
    return i < s->n_client ? s->client[i] : NULL;
}

size_t dscan_server_count(const struct dscan *s)
{
    return s->n_server;
}

const char *dscan_server_at(const struct dscan *s, size_t i)
{
    return i < s->n_server ? s->server[i] : NULL;
}

size_t dscan_unresolved_count(const struct dscan *s)
{
    return s->n_unresolved;
}

const struct dscan_unresolved *dscan_unresolved_at(const struct dscan *s, size_t i)
{
    return i < s->n_unresolved ? &s->unresolved[i] : NULL;
}

size_t dscan_diagnostic_count(const struct dscan *s)
{
    return s->n_diag;
}

const struct dscan_diagnostic *dscan_diagnostic_at(const struct dscan *s, size_t i)
{
    return i < s->n_diag ? &s->diag_list[i] : NULL;
}

void dscan_get_stats(const struct dscan *s, struct dscan_stats *out)
{
    if (!out)
        return;
    *out = s ? s->stats : (struct dscan_stats){0};
}

size_t dscan_file_count(const struct dscan *s)
{
    return s->n_read;
}

const char *dscan_file_at(const struct dscan *s, size_t i)
{
    return i < s->n_read ? s->read_list[i] : NULL;
}

/* The module indexes whose spelling is `want`, worker first. */
static size_t find_modules(const struct dscan *s, const char *want, uint32_t found[2])
{
    size_t k = 0;

    for (size_t m = 0; m < s->graph.n && k < 2; m++)
        if (strcmp(s->mod_path[m], want) == 0)
            found[k++] = (uint32_t)m;
    if (k == 2 && s->graph.mods[found[0]].env > s->graph.mods[found[1]].env) {
        uint32_t t = found[0];
        found[0] = found[1];
        found[1] = t;
    }
    return k;
}

static enum ds_status ensure_bfs(struct dscan *s)
{
    struct ranked *r;
    uint32_t *rank;
    enum ds_status st;
    size_t n = s->graph.n;

    if (s->why_parent)
        return DS_OK;
    r = ds_alloc_malloc(&s->alloc, (n ? n : 1) * sizeof *r);
    rank = ds_alloc_malloc(&s->alloc, (n ? n : 1) * sizeof *rank);
    if (!r || !rank) {
        ds_alloc_free(&s->alloc, r);
        ds_alloc_free(&s->alloc, rank);
        return DS_ENOMEM;
    }
    for (size_t m = 0; m < n; m++)
        r[m] = (struct ranked){s->mod_path[m], s->graph.mods[m].env, (uint32_t)m};
    qsort(r, n, sizeof *r, cmp_ranked);
    for (size_t i = 0; i < n; i++)
        rank[r[i].mod] = (uint32_t)i;
    // Precise mode (SPEC §4.10): chains only through the edges its walk
    // followed, so a module it left out has none.
    struct ds_graph g = s->graph;
    struct ds_edge *kept = NULL;
    if (s->live_edge) {
        kept = ds_alloc_malloc(&s->alloc, (g.n_edges ? g.n_edges : 1) * sizeof *kept);
        if (!kept) {
            ds_alloc_free(&s->alloc, r);
            ds_alloc_free(&s->alloc, rank);
            return DS_ENOMEM;
        }
        g.n_edges = 0;
        for (size_t i = 0; i < s->graph.n_edges; i++)
            if (s->live_edge[i])
                kept[g.n_edges++] = s->graph.edges[i];
        g.edges = kept;
    }
    st = ds_graph_bfs(&g, rank, &s->why_parent);
    ds_alloc_free(&s->alloc, r);
    ds_alloc_free(&s->alloc, rank);
    if (st != DS_OK) {
        ds_alloc_free(&s->alloc, kept);
        return st;
    }
    // The import behind each chosen step, for --why's "specifier as
    // written": of the parent's imports that reach the module, the first in
    // source order (one file can import another twice, by two spellings).
    s->why_imp = ds_arena_alloc(&s->arena, (n ? n : 1) * sizeof *s->why_imp);
    if (!s->why_imp) {
        ds_alloc_free(&s->alloc, kept);
        return DS_ENOMEM;
    }
    for (size_t m = 0; m < n; m++)
        s->why_imp[m] = DS_NO_ID;
    for (size_t i = 0; i < g.n_edges; i++) {
        const struct ds_edge *e = &g.edges[i];
        if (s->why_parent && s->why_parent[e->to] == e->from && e->imp < s->why_imp[e->to])
            s->why_imp[e->to] = e->imp;
    }
    ds_alloc_free(&s->alloc, kept);
    return DS_OK;
}

enum dscan_status dscan_why(struct dscan *s, const char *path,
                            const struct dscan_chain_step **steps, size_t *n_steps)
{
    uint32_t found[2];
    size_t k;
    char real[DS_MAX_PATH + 1];
    enum ds_status st;

    if (!s || !path || !steps || !n_steps)
        return DSCAN_EINVAL;
    if (!s->graph.keep_edges)
        return DSCAN_ENOEDGES; // its message says to set keep_edges
    k = find_modules(s, path, found);
    if (k == 0 && path[0] != '/') {
        // "src/a.tsx": relative to the root, as the result lists are.
        const char *norm = ds_arena_printf(&s->arena, "/%s", path);
        if (!norm)
            return DSCAN_ENOMEM;
        k = find_modules(s, norm, found);
    }
    if (k == 0) {
        // An absolute or cwd-relative spelling, perhaps through a symlink.
        const char *norm;
        if (strlen(path) > DS_MAX_PATH ||
            s->cfg->sys->realpath(s->cfg->sys->ctx, path, real, sizeof real) != 0)
            return DSCAN_ENOTFOUND;
        norm = ds_scan_normalize(&s->arena, s->root, ds_str_cstr(real));
        if (!norm)
            return DSCAN_ENOMEM;
        k = find_modules(s, norm, found);
        if (k == 0)
            return DSCAN_ENOTFOUND;
    }
    st = ensure_bfs(s);
    if (st != DS_OK)
        return (enum dscan_status)st;

    // Of the file's two modules, the one with the shorter chain (worker on a tie).
    uint32_t best = DS_NO_ID;
    size_t best_len = SIZE_MAX;
    for (size_t i = 0; i < k; i++) {
        size_t len = 1;
        for (uint32_t m = found[i]; s->why_parent[m] != DS_NO_ID; m = s->why_parent[m])
            len++;
        if (!s->graph.mods[found[i]].is_root && len == 1)
            continue; // not reached from a root: cannot happen after a walk
        if (len < best_len) {
            best = found[i];
            best_len = len;
        }
    }
    if (best == DS_NO_ID)
        return DSCAN_ENOTFOUND;
    struct dscan_chain_step *out = ds_arena_alloc(&s->arena, best_len * sizeof *out);
    if (!out)
        return DSCAN_ENOMEM;
    size_t i = best_len;
    for (uint32_t m = best; m != DS_NO_ID; m = s->why_parent[m]) {
        uint32_t parent = s->why_parent[m], imp = s->why_imp[m];
        const struct file_rec *pf =
            parent == DS_NO_ID ? NULL : &s->files[s->graph.mods[parent].path_id];
        uint8_t root = s->graph.mods[m].is_root;
        out[--i] = (struct dscan_chain_step){
            .path = s->mod_path[m],
            .env = (enum dscan_env)s->graph.mods[m].env,
            // Interned specifiers are NUL-terminated.
            .specifier = pf && imp < pf->n_imports ? pf->imports[imp].spec.ptr : NULL,
            .line = pf && imp < pf->n_imports ? pf->imports[imp].line : 0,
            .root = parent != DS_NO_ID       ? DSCAN_ROOT_NONE
                    : root & DS_ROOT_ENTRY   ? DSCAN_ROOT_ENTRY
                    : root & DS_ROOT_PRESCAN ? DSCAN_ROOT_PRESCAN
                                             : DSCAN_ROOT_NONE};
    }
    *steps = out;
    *n_steps = best_len;
    return DSCAN_OK;
}
