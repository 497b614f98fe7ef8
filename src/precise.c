/* Precise mode (SPEC §4.10): which modules of the finished walk a running
 * app can reference. The default walk has already resolved every import
 * and kept the module graph's edges and each file's names (report.h's
 * ds_report_facts); this walk goes over that graph again from the roots,
 * carrying the names each module is asked for, and marks the modules it
 * reaches in s->live. The result lists keep only those.
 *
 * A module m is visited with a set of names R (or "all"). Its edges ask:
 *   - import() and require(), and any edge of a file without names: all;
 *   - a static import outside a pure barrel: the names it imports, and it
 *     is always followed (only re-exports and a pure barrel's edges can be
 *     dropped);
 *   - `export {a as b} from t`: a when b is in R; `export * as ns from t`:
 *     all when ns is in R; `export * from t`: the names of R that t exports
 *     (all of R when t passes names it does not list: its own `export *`,
 *     an export list the lexer could not read, CommonJS);
 *   - in a pure barrel, `import {x as y} from t` asks x when an `export {y
 *     as z}` exports z and z is in R.
 * An edge that asks nothing is dropped only when its target cannot have
 * side effects that matter: reached in the worker environment and saying
 * "use client" (a reference proxy there), or its package.json `sideEffects`
 * is false or an array of globs none of which matches it. Any other such
 * edge is followed with the empty set, which is the pure-barrel clause
 * taken exactly: a pure barrel visited with nothing asked follows only
 * those of its edges that cannot be dropped. A module listed in the result
 * ("use client" / "use server") is loaded whole by its side of the app, so
 * it is walked with all names; a pure barrel reached only with nothing
 * asked is walked but not listed (a bundler keeps none of it).
 *
 * Memory: name sets are sorted arrays of ids of the scan's specifier
 * interner (where the lexer's names were interned), one per module, and a
 * module is walked again only when its set grew, so the walk ends after at
 * most (modules x names) visits. No recursion: one work queue. */
#include <stdlib.h>

#include "glob.h"
#include "json.h"
#include "names.h"
#include "path.h"
#include "scan_int.h"

/* The `sideEffects` of one package.json. */
enum sef_kind { SEF_YES = 0, SEF_FALSE, SEF_GLOBS };

struct sef {
    uint8_t kind;      /* enum sef_kind */
    struct ds_str dir; /* the package's directory (SEF_GLOBS) */
    struct ds_str *globs;
    uint32_t n_globs;
};

struct pw {
    struct dscan *s;
    struct ds_alloc *alloc;
    size_t n;        /* modules */
    uint32_t *first; /* CSR: out-edges of m are e[first[m] .. first[m + 1]) */
    struct ds_edge *e;
    uint32_t *orig; /* e[k] is s->graph.edges[orig[k]] */
    struct ds_names *req;
    uint8_t *reached, *queued;
    uint32_t *queue; /* ring of n entries */
    struct ds_names ask;
    uint32_t star, empty; /* ids of "*" and "" (DS_NO_ID when never interned) */
    /* sideEffects by directory (interned), computed when first needed */
    struct ds_arena sef_arena;
    struct ds_arena tmp; /* one package.json's text and tree at a time */
    struct ds_interner dirs;
    int32_t *dir_sef; /* by dir id: index into sefs, -1 none, -2 unknown */
    size_t dir_cap;
    struct sef *sefs;
    size_t n_sefs, cap_sefs;
    int8_t *file_free; /* by path id: 1 side-effect free, 0 not, -1 unknown */
    size_t file_cap;
};

/* ---- sideEffects ----------------------------------------------------------- */

/* Does the package's sideEffects array match file `path`? Each pattern is
 * read as webpack and esbuild read it (glob.h, DS_GLOB_SIDE_EFFECTS), and
 * one it cannot read counts as a match: keeping the file is always sound. */
static bool globs_match(const struct sef *x, struct ds_str path)
{
    if (path.len <= x->dir.len || path.ptr[x->dir.len] != '/' || path.len > DS_MAX_PATH)
        return true;
    struct ds_str rel = ds_str_slice(path, x->dir.len + 1, path.len);
    for (uint32_t i = 0; i < x->n_globs; i++)
        if (ds_glob_match(DS_GLOB_SIDE_EFFECTS, x->globs[i], rel))
            return true;
    return false;
}

/* Reads dir/package.json into a struct sef; *found whether there is one. */
static enum ds_status read_sef(struct pw *w, struct ds_str dir, struct ds_arena *tmp, bool *found,
                               struct sef *out)
{
    struct ds_str text;
    struct ds_json *doc;
    struct ds_json_error jerr;
    enum ds_status st;

    *found = false;
    *out = (struct sef){.kind = SEF_YES};
    st = ds_sys_read_in(w->s->cfg->sys, dir, DS_STR("package.json"), DS_MAX_JSON_BYTES, tmp, &text);
    if (st != DS_OK || !text.ptr)
        return st;
    *found = true; // a malformed one still ends the search, as in the resolver
    st = ds_json_parse(text, DS_JSON_STRICT, tmp, &doc, &jerr);
    if (st == DS_ENOMEM)
        return st;
    if (st != DS_OK)
        return DS_OK;
    const struct ds_json *v = ds_json_get(doc, DS_STR("sideEffects"));
    if (v && v->type == DS_JSON_FALSE) {
        out->kind = SEF_FALSE;
    } else if (v && v->type == DS_JSON_ARRAY) {
        out->kind = SEF_GLOBS;
        if (ds_arena_strdup(&w->sef_arena, dir, &out->dir) != DS_OK)
            return DS_ENOMEM;
        out->globs = ds_arena_alloc(&w->sef_arena, (v->n ? v->n : 1) * sizeof *out->globs);
        if (!out->globs)
            return DS_ENOMEM;
        for (uint32_t i = 0; i < v->n; i++) {
            if (v->u.items[i].type != DS_JSON_STRING) {
                out->kind = SEF_YES; // not the documented shape: assume side effects
                break;
            }
            if (ds_arena_strdup(&w->sef_arena, v->u.items[i].u.str, &out->globs[out->n_globs++]) !=
                DS_OK)
                return DS_ENOMEM;
        }
    }
    return DS_OK;
}

/* The sideEffects entry of the nearest package.json above `dir`, or -1. */
static enum ds_status sef_of_dir(struct pw *w, struct ds_str dir, struct ds_arena *tmp,
                                 int32_t *out)
{
    uint32_t walked[256];
    size_t n_walked = 0;
    int32_t found = -1;
    enum ds_status st;

    for (;;) {
        uint32_t id;
        st = ds_intern(&w->dirs, dir, &id);
        if (st != DS_OK)
            return st;
        if (id >= w->dir_cap) {
            size_t old = w->dir_cap;
            st = ds_alloc_grow(w->alloc, (void **)&w->dir_sef, &w->dir_cap, (size_t)id + 1,
                               sizeof *w->dir_sef);
            if (st != DS_OK)
                return st;
            for (size_t k = old; k < w->dir_cap; k++)
                w->dir_sef[k] = -2;
        }
        if (w->dir_sef[id] != -2) {
            found = w->dir_sef[id];
            break;
        }
        if (n_walked < sizeof walked / sizeof *walked)
            walked[n_walked++] = id;
        bool there;
        struct sef x;
        ds_arena_reset(tmp);
        st = read_sef(w, dir, tmp, &there, &x);
        if (st != DS_OK)
            return st;
        if (there) {
            st = ds_alloc_grow(w->alloc, (void **)&w->sefs, &w->cap_sefs, w->n_sefs + 1,
                               sizeof *w->sefs);
            if (st != DS_OK)
                return st;
            w->sefs[w->n_sefs] = x;
            found = (int32_t)w->n_sefs++;
            break;
        }
        size_t slash = ds_str_rfind(dir, '/');
        if (slash == dir.len || dir.len <= 1)
            break;
        dir = ds_str_slice(dir, 0, slash ? slash : 1);
    }
    for (size_t k = 0; k < n_walked; k++)
        w->dir_sef[walked[k]] = found;
    *out = found;
    return DS_OK;
}

/* Is file `id` side-effect free by its package.json (SPEC §4.10)? */
static enum ds_status side_effect_free(struct pw *w, uint32_t id, bool *out)
{
    enum ds_status st;
    int32_t k;

    if (id >= w->file_cap) {
        size_t old = w->file_cap;
        st = ds_alloc_grow(w->alloc, (void **)&w->file_free, &w->file_cap, (size_t)id + 1,
                           sizeof *w->file_free);
        if (st != DS_OK)
            return st;
        memset(w->file_free + old, -1, w->file_cap - old);
    }
    if (w->file_free[id] >= 0) {
        *out = w->file_free[id] == 1;
        return DS_OK;
    }
    struct ds_str path = ds_intern_str(&w->s->paths, id);
    size_t slash = ds_str_rfind(path, '/');
    if (slash == path.len) {
        *out = false;
        return DS_OK;
    }
    st = sef_of_dir(w, ds_str_slice(path, 0, slash ? slash : 1), &w->tmp, &k);
    if (st != DS_OK)
        return st;
    *out = k >= 0 && (w->sefs[k].kind == SEF_FALSE ||
                      (w->sefs[k].kind == SEF_GLOBS && !globs_match(&w->sefs[k], path)));
    w->file_free[id] = *out ? 1 : 0;
    return DS_OK;
}

/* ---- the walk ------------------------------------------------------------- */

static const struct ds_report_facts *facts_of(const struct pw *w, uint32_t m)
{
    return w->s->files[w->s->graph.mods[m].path_id].facts;
}

static const struct file_rec *rec_of(const struct pw *w, uint32_t m)
{
    return &w->s->files[w->s->graph.mods[m].path_id];
}

/* Does module t pass on names it does not list (its own plain `export *`,
 * exports the lexer could not read whole, CommonJS, or no names at all)? */
static bool passes_any(const struct pw *w, uint32_t t)
{
    const struct ds_report_facts *tx = facts_of(w, t);
    const struct file_rec *r = rec_of(w, t);

    if (!tx || tx->exports_unsure || !tx->module_syntax)
        return true;
    for (uint32_t i = 0; i < r->n_imports; i++) {
        if (r->imports[i].kind != DSCAN_IMPORT_REEXPORT)
            continue;
        for (uint32_t k = tx->imp_first[i]; k < tx->imp_first[i + 1]; k++)
            if (tx->imported[k] == w->star && tx->local[k] == w->empty)
                return true;
    }
    return false;
}

/* Does module t export `name`, from its own scope or by a named re-export? */
static bool exports_name(const struct pw *w, uint32_t t, uint32_t name)
{
    const struct ds_report_facts *tx = facts_of(w, t);
    const struct file_rec *r = rec_of(w, t);

    for (uint32_t j = 0; j < tx->n_exports; j++)
        if (tx->export_name[j] == name)
            return true;
    for (uint32_t i = 0; i < r->n_imports; i++) {
        if (r->imports[i].kind != DSCAN_IMPORT_REEXPORT)
            continue;
        for (uint32_t k = tx->imp_first[i]; k < tx->imp_first[i + 1]; k++)
            if (tx->local[k] == name)
                return true;
    }
    return false;
}

/* What edge e of module m (walked with R) asks of its target, in w->ask;
 * *must when it is followed even asking nothing. */
static enum ds_status edge_ask(struct pw *w, uint32_t m, const struct ds_edge *e,
                               const struct ds_names *R, bool *must)
{
    const struct file_rec *r = rec_of(w, m);
    const struct ds_report_facts *fx = facts_of(w, m);
    const struct imp *im = e->imp < r->n_imports ? &r->imports[e->imp] : NULL;
    struct ds_names *ask = &w->ask;
    bool grew = false;

    ask->n = 0;
    ask->all = false;
    *must = false;
    if (!im || !fx || im->kind == DSCAN_IMPORT_DYNAMIC || im->kind == DSCAN_IMPORT_REQUIRE) {
        ask->all = true; // SPEC §4.10: import() and require() use every name
        return DS_OK;
    }
    uint32_t a = fx->imp_first[e->imp], b = fx->imp_first[e->imp + 1];
    if (im->kind == DSCAN_IMPORT_STATIC && (!fx->barrel || R->all || fx->exports_unsure)) {
        // Outside a pure barrel an import is always followed; a pure barrel
        // asked for everything (or whose export list the lexer could not
        // read whole) asks everything its imports name.
        *must = !fx->barrel;
        for (uint32_t k = a; k < b; k++) {
            if (fx->imported[k] == w->star)
                ask->all = true;
            else if (ds_names_add(w->alloc, ask, fx->imported[k], &grew) != DS_OK)
                return DS_ENOMEM;
        }
        return DS_OK;
    }
    for (uint32_t k = a; k < b; k++) {
        uint32_t imported = fx->imported[k], local = fx->local[k];
        bool wanted = false;
        if (im->kind == DSCAN_IMPORT_STATIC) {
            // Pure barrel: `import {x as y} from './t'; export {y as z}`
            // asks x of t when z was asked.
            for (uint32_t j = 0; j < fx->n_exports && !wanted; j++)
                wanted = fx->export_local[j] == local && ds_names_has(R, fx->export_name[j]);
        } else if (imported == w->star && local == w->empty) {
            // `export * from './t'`: what was asked, as far as t gives it.
            if (R->all || passes_any(w, e->to)) {
                if (ds_names_merge(w->alloc, ask, R, &grew) != DS_OK)
                    return DS_ENOMEM;
                continue;
            }
            for (uint32_t j = 0; j < R->n; j++)
                if (exports_name(w, e->to, R->v[j]) &&
                    ds_names_add(w->alloc, ask, R->v[j], &grew) != DS_OK)
                    return DS_ENOMEM;
            continue;
        } else {
            wanted = ds_names_has(R, local); // `export {x as y} from`, `export * as y from`
        }
        if (!wanted)
            continue;
        if (imported == w->star)
            ask->all = true;
        else if (ds_names_add(w->alloc, ask, imported, &grew) != DS_OK)
            return DS_ENOMEM;
    }
    return DS_OK;
}

/* A module listed in the result is loaded whole on its side of the app. */
static bool listed_whole(const struct pw *w, uint32_t m)
{
    return (rec_of(w, m)->flags & (F_USE_CLIENT | F_USE_SERVER)) != 0;
}

/* Reaches module t asking `ask` (used: through an edge that asked something
 * or must be followed; else only because it may have side effects). */
static enum ds_status reach(struct pw *w, uint32_t t, const struct ds_names *ask, bool used,
                            size_t *tail)
{
    bool grew = false;
    const struct ds_report_facts *tx = facts_of(w, t);
    bool pure = tx && tx->barrel;

    if (!w->reached[t])
        grew = true;
    // A pure barrel reached for nothing is walked for its kept edges but
    // not listed: a bundler keeps none of its own code.
    uint8_t mark = used || !pure ? 2 : 1;
    if (w->reached[t] < mark) {
        w->reached[t] = mark;
        grew = true;
    }
    if (w->reached[t] == 2 && listed_whole(w, t) && !w->req[t].all) {
        w->req[t].all = true;
        grew = true;
    }
    if (ds_names_merge(w->alloc, &w->req[t], ask, &grew) != DS_OK)
        return DS_ENOMEM;
    if (grew && !w->queued[t]) {
        w->queued[t] = 1;
        w->queue[*tail % w->n] = t;
        (*tail)++;
    }
    return DS_OK;
}

/* May the edge to t, asking nothing, be dropped? */
static enum ds_status droppable(struct pw *w, uint32_t t, bool *out)
{
    const struct ds_module *mt = &w->s->graph.mods[t];

    // In the worker a "use client" module is a reference proxy.
    if (mt->env == DSCAN_ENV_WORKER && (w->s->files[mt->path_id].flags & F_USE_CLIENT)) {
        *out = true;
        return DS_OK;
    }
    return side_effect_free(w, mt->path_id, out);
}

static enum ds_status build_edges(struct pw *w)
{
    const struct ds_graph *g = &w->s->graph;
    uint32_t *cursor;

    w->first = ds_alloc_calloc(w->alloc, w->n + 1, sizeof *w->first);
    w->e = ds_alloc_malloc(w->alloc, (g->n_edges ? g->n_edges : 1) * sizeof *w->e);
    w->orig = ds_alloc_malloc(w->alloc, (g->n_edges ? g->n_edges : 1) * sizeof *w->orig);
    cursor = ds_alloc_malloc(w->alloc, (w->n ? w->n : 1) * sizeof *cursor);
    if (!w->first || !w->e || !w->orig || !cursor) {
        ds_alloc_free(w->alloc, cursor);
        return DS_ENOMEM;
    }
    for (size_t i = 0; i < g->n_edges; i++)
        w->first[g->edges[i].from + 1]++;
    for (size_t m = 0; m < w->n; m++) {
        w->first[m + 1] += w->first[m];
        cursor[m] = w->first[m];
    }
    for (size_t i = 0; i < g->n_edges; i++) {
        w->orig[cursor[g->edges[i].from]] = (uint32_t)i;
        w->e[cursor[g->edges[i].from]++] = g->edges[i];
    }
    ds_alloc_free(w->alloc, cursor);
    return DS_OK;
}

static enum ds_status run(struct pw *w)
{
    struct dscan *s = w->s;
    size_t head = 0, tail = 0;
    struct ds_names all = {.all = true};
    enum ds_status st = DS_OK;

    for (uint32_t m = 0; m < w->n; m++)
        if (s->graph.mods[m].is_root && (st = reach(w, m, &all, true, &tail)) != DS_OK)
            return st;
    while (head < tail) {
        uint32_t m = w->queue[head % w->n];
        head++;
        w->queued[m] = 0;
        // Walk with a copy of R: reaching m again (a cycle) may grow it.
        struct ds_names R = w->req[m];
        struct ds_names snap = {.all = R.all};
        bool grew = false;
        if (!R.all && R.n && ds_names_merge(w->alloc, &snap, &R, &grew) != DS_OK)
            return DS_ENOMEM;
        for (uint32_t k = w->first[m]; k < w->first[m + 1] && st == DS_OK; k++) {
            const struct ds_edge *e = &w->e[k];
            bool must, drop = false;
            st = edge_ask(w, m, e, &snap, &must);
            if (st != DS_OK)
                break;
            bool used = must || w->ask.all || w->ask.n;
            if (!used)
                st = droppable(w, e->to, &drop);
            if (st == DS_OK && !drop) {
                s->live_edge[w->orig[k]] = 1; // --why's chains use only these
                st = reach(w, e->to, &w->ask, used, &tail);
            }
        }
        ds_alloc_free(w->alloc, snap.v);
        if (st != DS_OK)
            return st;
    }
    return DS_OK;
}

enum ds_status ds_precise_walk(struct dscan *s)
{
    struct pw w = {.s = s, .alloc = &s->alloc, .n = s->graph.n};
    enum ds_status st;
    size_t n = w.n ? w.n : 1;

    w.star = ds_intern_find(&s->specs, DS_STR("*"));
    w.empty = ds_intern_find(&s->specs, DS_STR(""));
    ds_arena_init(&w.sef_arena, w.alloc, 16 * 1024);
    ds_interner_init(&w.dirs, &w.sef_arena);
    ds_arena_init(&w.tmp, w.alloc, 16 * 1024);
    s->live = ds_arena_alloc(&s->arena, n);
    s->live_edge = ds_arena_zalloc(&s->arena, s->graph.n_edges ? s->graph.n_edges : 1);
    w.req = ds_alloc_calloc(w.alloc, n, sizeof *w.req);
    w.reached = ds_alloc_calloc(w.alloc, n, 1);
    w.queued = ds_alloc_calloc(w.alloc, n, 1);
    w.queue = ds_alloc_malloc(w.alloc, n * sizeof *w.queue);
    st = s->live && s->live_edge && w.req && w.reached && w.queued && w.queue ? build_edges(&w)
                                                                              : DS_ENOMEM;
    if (st == DS_OK)
        st = run(&w);
    if (st == DS_OK)
        for (size_t m = 0; m < w.n; m++)
            s->live[m] = w.reached[m] == 2;
    if (w.req)
        for (size_t m = 0; m < w.n; m++)
            ds_alloc_free(w.alloc, w.req[m].v);
    ds_alloc_free(w.alloc, w.req);
    ds_alloc_free(w.alloc, w.reached);
    ds_alloc_free(w.alloc, w.queued);
    ds_alloc_free(w.alloc, w.queue);
    ds_alloc_free(w.alloc, w.first);
    ds_alloc_free(w.alloc, w.e);
    ds_alloc_free(w.alloc, w.orig);
    ds_alloc_free(w.alloc, w.ask.v);
    ds_alloc_free(w.alloc, w.dir_sef);
    ds_alloc_free(w.alloc, w.sefs);
    ds_alloc_free(w.alloc, w.file_free);
    ds_interner_release(&w.dirs);
    ds_arena_release(&w.sef_arena);
    ds_arena_release(&w.tmp);
    return st;
}
