/* Barrels (SPEC §5a): modules whose re-exports reach 50 files or more, with
 * the names imported from them and how many files precise mode (SPEC §4.10)
 * would reach through them.
 *
 * Everything here works on the file graph: the scan's modules are (file,
 * environment) pairs, and a barrel is a file, so edges of both environments
 * are merged. Three walks, all iterative (no recursion on input depth):
 *
 *   reached  plain reachability from the barrel's re-export edges (all of a
 *            pure barrel's edges), then every edge;
 *   names    one walk from the roots that follows every edge (default mode)
 *            and carries the names each edge asks of its target: `import {a}`
 *            asks "a", `export {a as b} from` passes "a" on when "b" was
 *            asked, `export *` passes on what was asked, a namespace import,
 *            `import()` and `require()` ask "*" (all). A barrel's
 *            importedNames are what this walk asked of it;
 *   needed   the same rules from the barrel with those names, but an edge
 *            that carries no asked name is dropped when its target cannot
 *            have side effects that matter: its package says "sideEffects":
 *            false, it says "use client", or it is itself a pure barrel.
 *            This is SPEC §4.10's rule taken per file, not per environment
 *            ("use client" is droppable only in the worker environment
 *            there), and a pure barrel target counts as droppable without
 *            checking its own edges: an estimate, said so in the README.
 *
 * Sets of names are sorted arrays of name ids (ids of the scan's specifier
 * interner, where the names were interned when the files were lexed), plus
 * an "all" flag. A walk revisits a file only when its set grew, so it ends
 * after at most (files x names) visits; stamps let the per-barrel walks
 * reuse one set of arrays without clearing them. */
#include <stdlib.h>

#include "report.h"
#include "names.h"
#include "scan_int.h"

#define BARREL_MIN_REACHED 50 /* SPEC §5a */

struct fedge {
    uint32_t to;  /* file index */
    uint32_t imp; /* import index in the importing file */
};

struct rg {
    struct dscan *s;
    struct ds_alloc *alloc;
    size_t n;                /* files */
    const uint32_t *path_of; /* file index -> path id */
    uint32_t *first;         /* CSR: out-edges of f are e[first[f] .. first[f + 1]) */
    struct fedge *e;
    uint32_t *importers; /* by file: distinct importing files */
    uint8_t *droppable;  /* by file: SPEC §4.10's "cannot have side effects that matter" */
    uint8_t *sensitive;  /* by file: what it passes on depends on what it is asked
                            (re-exports, or a pure barrel); others are walked once */
    uint32_t star;       /* name id of "*", DS_NO_ID when no file used it */
    uint32_t empty;      /* name id of "", for `export * from` */
    /* walk state */
    uint32_t stamp;
    uint32_t *seen;       /* == stamp: reached in this walk */
    uint8_t *queued;      /* by file, this walk */
    struct ds_names *req; /* by file: names asked of it in this walk */
    uint32_t *queue;      /* ring of n entries */
    struct ds_names tmp;
};

static const struct ds_report_facts *facts_of(const struct rg *g, uint32_t f)
{
    return g->s->files[g->path_of[f]].facts;
}

static const struct imp *imp_of(const struct rg *g, uint32_t f, uint32_t i)
{
    const struct file_rec *r = &g->s->files[g->path_of[f]];
    return i < r->n_imports ? &r->imports[i] : NULL;
}

/* ---- the file graph -------------------------------------------------- */

static int cmp_fedge(const void *a, const void *b)
{
    const struct fedge *x = a, *y = b;
    if (x->imp != y->imp)
        return x->imp < y->imp ? -1 : 1;
    return (x->to > y->to) - (x->to < y->to);
}

static bool fedge_sorted(const struct fedge *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (cmp_fedge(&v[i - 1], &v[i]) > 0)
            return false;
    return true;
}

/* The file graph in CSR form, each file's edges sorted by (import, target)
 * and unique. No global sort (it was a third of the report's time on
 * bench/realapp): edges are bucketed by importing module, where each visit
 * appended them in import order, and a file's (at most two) modules'
 * buckets are merged. */
static enum ds_status build(struct rg *g, const struct ds_report *r, const uint32_t *file_of_path,
                            const uint32_t *path_of_file, size_t n_files)
{
    struct dscan *s = g->s;
    const struct ds_graph *gr = &s->graph;
    size_t ne = gr->n_edges, nm = gr->n, k = 0;
    uint32_t *mfirst = NULL, *cursor = NULL, *last_from = NULL;
    struct fedge *em = NULL;
    enum ds_status st = DS_OK;

    g->n = n_files;
    g->path_of = path_of_file;
    mfirst = ds_alloc_calloc(g->alloc, nm + 1, sizeof *mfirst);
    cursor = ds_alloc_malloc(g->alloc, (nm ? nm : 1) * sizeof *cursor);
    em = ds_alloc_malloc(g->alloc, (ne ? ne : 1) * sizeof *em);
    last_from = ds_alloc_malloc(g->alloc, (n_files ? n_files : 1) * sizeof *last_from);
    g->e = ds_alloc_malloc(g->alloc, (ne ? ne : 1) * sizeof *g->e);
    g->first = ds_alloc_calloc(g->alloc, n_files + 1, sizeof *g->first);
    g->importers = ds_alloc_calloc(g->alloc, n_files ? n_files : 1, sizeof *g->importers);
    g->droppable = ds_alloc_calloc(g->alloc, n_files ? n_files : 1, 1);
    g->sensitive = ds_alloc_calloc(g->alloc, n_files ? n_files : 1, 1);
    if (!g->sensitive || !mfirst || !cursor || !em || !last_from || !g->e || !g->first ||
        !g->importers || !g->droppable) {
        st = DS_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < ne; i++)
        mfirst[gr->edges[i].from + 1]++;
    for (size_t m = 0; m < nm; m++) {
        mfirst[m + 1] += mfirst[m];
        cursor[m] = mfirst[m];
    }
    for (size_t i = 0; i < ne; i++) {
        const struct ds_edge *x = &gr->edges[i];
        em[cursor[x->from]++] = (struct fedge){file_of_path[gr->mods[x->to].path_id], x->imp};
    }
    for (size_t m = 0; m < nm; m++)
        if (!fedge_sorted(em + mfirst[m], mfirst[m + 1] - mfirst[m]))
            qsort(em + mfirst[m], mfirst[m + 1] - mfirst[m], sizeof *em, cmp_fedge);
    for (size_t f = 0; f < n_files; f++)
        last_from[f] = DS_NO_ID;
    for (uint32_t f = 0; f < n_files; f++) {
        uint32_t mw = ds_graph_find(gr, path_of_file[f], DSCAN_ENV_WORKER);
        uint32_t mc = ds_graph_find(gr, path_of_file[f], DSCAN_ENV_CLIENT);
        size_t a = mw == DS_NO_ID ? 0 : mfirst[mw], ae = mw == DS_NO_ID ? 0 : mfirst[mw + 1];
        size_t b = mc == DS_NO_ID ? 0 : mfirst[mc], be = mc == DS_NO_ID ? 0 : mfirst[mc + 1];
        g->first[f] = (uint32_t)k;
        while (a < ae || b < be) {
            int c = a == ae ? 1 : b == be ? -1 : cmp_fedge(&em[a], &em[b]);
            struct fedge x = c <= 0 ? em[a] : em[b];
            if (c <= 0)
                a++;
            if (c >= 0)
                b++;
            if (k > g->first[f] && cmp_fedge(&g->e[k - 1], &x) == 0)
                continue;
            g->e[k++] = x;
            // Importers: distinct files other than itself.
            if (x.to != f && last_from[x.to] != f) {
                last_from[x.to] = f;
                g->importers[x.to]++;
            }
        }
    }
    g->first[n_files] = (uint32_t)k;
    for (size_t f = 0; f < n_files; f++) {
        const struct file_rec *fr = &s->files[path_of_file[f]];
        uint32_t p = r->file_pkg ? r->file_pkg[f] : DS_NO_ID;
        bool sef = p != DS_NO_ID && r->side_effect_free[p];
        g->droppable[f] = sef || (fr->flags & F_USE_CLIENT) || (fr->facts && fr->facts->barrel);
        g->sensitive[f] = !fr->facts || fr->facts->barrel;
        for (uint32_t j = g->first[f]; j < g->first[f + 1] && !g->sensitive[f]; j++) {
            const struct imp *im = imp_of(g, (uint32_t)f, g->e[j].imp);
            g->sensitive[f] = !im || im->kind == DSCAN_IMPORT_REEXPORT;
        }
    }
out:
    ds_alloc_free(g->alloc, mfirst);
    ds_alloc_free(g->alloc, cursor);
    ds_alloc_free(g->alloc, em);
    ds_alloc_free(g->alloc, last_from);
    return st;
}

/* ---- walks ----------------------------------------------------------- */

static void walk_begin(struct rg *g)
{
    g->stamp++;
    memset(g->queued, 0, g->n);
}

/* Reaches f in this walk, asking `ask` of it; queues it when new or grown. */
static enum ds_status reach(struct rg *g, uint32_t f, const struct ds_names *ask, size_t *head,
                            size_t *tail)
{
    bool grew = false;

    if (g->seen[f] != g->stamp) {
        g->seen[f] = g->stamp;
        g->req[f].n = 0;
        g->req[f].all = false;
        grew = true;
    } else if (!g->sensitive[f]) {
        return DS_OK; // its edges ask the same whatever it is asked
    }
    if (g->sensitive[f] && ds_names_merge(g->alloc, &g->req[f], ask, &grew) != DS_OK)
        return DS_ENOMEM;
    if (grew && !g->queued[f]) {
        g->queued[f] = 1;
        g->queue[*tail % g->n] = f;
        (*tail)++;
    }
    (void)head;
    return DS_OK;
}

/* Does file t pass on names it does not list (a plain `export *`, exports
 * the lexer could not read whole, or no facts)? */
static bool passes_any(const struct rg *g, uint32_t t)
{
    const struct ds_report_facts *tx = facts_of(g, t);
    uint32_t n_imp = g->s->files[g->path_of[t]].n_imports;

    if (!tx || tx->exports_unsure)
        return true;
    for (uint32_t i = 0; i < n_imp; i++) {
        if (imp_of(g, t, i)->kind != DSCAN_IMPORT_REEXPORT)
            continue;
        for (uint32_t k = tx->imp_first[i]; k < tx->imp_first[i + 1]; k++)
            if (tx->imported[k] == g->star && tx->local[k] == g->empty)
                return true;
    }
    return false;
}

/* Does file t export `name`, from its own scope or by a named re-export? */
static bool exports_name(const struct rg *g, uint32_t t, uint32_t name)
{
    const struct ds_report_facts *tx = facts_of(g, t);
    uint32_t n_imp = g->s->files[g->path_of[t]].n_imports;

    for (uint32_t j = 0; j < tx->n_exports; j++)
        if (tx->export_name[j] == name)
            return true;
    for (uint32_t i = 0; i < n_imp; i++) {
        if (imp_of(g, t, i)->kind != DSCAN_IMPORT_REEXPORT)
            continue;
        for (uint32_t k = tx->imp_first[i]; k < tx->imp_first[i + 1]; k++)
            if (tx->local[k] == name)
                return true;
    }
    return false;
}

/* Is an edge to `t` asked of, given what `f` was asked? `ask` gets the
 * names to ask of t. `first` limits f's edges to its re-exports (a barrel's
 * own walk starts through them). */
static enum ds_status edge_ask(struct rg *g, uint32_t f, const struct fedge *e, bool precise,
                               struct ds_names *ask, bool *follow)
{
    const struct imp *im = imp_of(g, f, e->imp);
    const struct ds_report_facts *fx = facts_of(g, f);
    const struct ds_names *R = &g->req[f];
    bool grew = false;

    ask->n = 0;
    ask->all = false;
    *follow = true;
    if (!im)
        return DS_OK;
    if (im->kind == DSCAN_IMPORT_DYNAMIC || im->kind == DSCAN_IMPORT_REQUIRE || !fx) {
        ask->all = true; // SPEC §4.10: import() and require() use every name
        return DS_OK;
    }
    uint32_t a = fx->imp_first[e->imp], b = fx->imp_first[e->imp + 1];
    if (im->kind == DSCAN_IMPORT_STATIC && !(fx->barrel && !R->all)) {
        // An import outside a pure barrel is always followed (SPEC §4.10:
        // only re-export edges and a pure barrel's edges can be dropped).
        for (uint32_t k = a; k < b; k++) {
            if (fx->imported[k] == g->star)
                ask->all = true;
            else if (ds_names_add(g->alloc, ask, fx->imported[k], &grew) != DS_OK)
                return DS_ENOMEM;
        }
        return DS_OK;
    }
    for (uint32_t k = a; k < b; k++) {
        uint32_t imported = fx->imported[k], local = fx->local[k];
        bool wanted;
        if (im->kind == DSCAN_IMPORT_STATIC) {
            // In a pure barrel: `import {x as y} from './t'; export {y as z}`
            // asks x of t when z was asked.
            wanted = false;
            for (uint32_t j = 0; j < fx->n_exports && !wanted; j++)
                wanted = fx->export_local[j] == local && ds_names_has(R, fx->export_name[j]);
        } else if (imported == g->star && local == g->empty) {
            // `export * from './t'` passes on what was asked, as far as t
            // can give it (`default` never goes through `export *`).
            if (R->all || passes_any(g, e->to)) {
                if (ds_names_merge(g->alloc, ask, R, &grew) != DS_OK)
                    return DS_ENOMEM;
                continue;
            }
            for (uint32_t j = 0; j < R->n; j++)
                if (exports_name(g, e->to, R->v[j]) &&
                    ds_names_add(g->alloc, ask, R->v[j], &grew) != DS_OK)
                    return DS_ENOMEM;
            continue;
        } else {
            wanted = ds_names_has(R, local); // `export {x as y}`, `export * as y`
        }
        if (!wanted)
            continue;
        if (imported == g->star)
            ask->all = true;
        else if (ds_names_add(g->alloc, ask, imported, &grew) != DS_OK)
            return DS_ENOMEM;
    }
    if (!ask->all && ask->n == 0)
        *follow = !precise || !g->droppable[e->to];
    return DS_OK;
}

/* One walk from `starts` (asking `start_ask` of each), following every
 * edge (precise false) or dropping unasked droppable ones. `first_reexports`:
 * the start files' own edges are limited to their re-exports. Returns the
 * number of files reached besides the starts in *count. */
static enum ds_status walk(struct rg *g, const uint32_t *starts, size_t n_starts,
                           const struct ds_names *start_ask, bool precise, bool first_reexports,
                           size_t *count)
{
    size_t head = 0, tail = 0, reached = 0;
    enum ds_status st;

    walk_begin(g);
    for (size_t i = 0; i < n_starts; i++) {
        st = reach(g, starts[i], start_ask, &head, &tail);
        if (st != DS_OK)
            return st;
    }
    while (head < tail) {
        uint32_t f = g->queue[head % g->n];
        head++;
        g->queued[f] = 0;
        bool is_start = false;
        for (size_t i = 0; first_reexports && i < n_starts; i++)
            is_start |= starts[i] == f;
        for (uint32_t k = g->first[f]; k < g->first[f + 1]; k++) {
            const struct fedge *e = &g->e[k];
            bool follow;
            if (is_start) {
                const struct imp *im = imp_of(g, f, e->imp);
                const struct ds_report_facts *fx = facts_of(g, f);
                bool pure = fx && fx->barrel;
                if (!im || (im->kind != DSCAN_IMPORT_REEXPORT && !pure))
                    continue;
            }
            // From a file whose edges do not depend on what it was asked,
            // every edge is followed; to a file that passes nothing on,
            // what is asked does not matter: only reaching it does.
            if (!g->sensitive[f] && !g->sensitive[e->to]) {
                if (g->seen[e->to] == g->stamp)
                    continue;
                g->tmp.n = 0;
                g->tmp.all = false;
            } else {
                st = edge_ask(g, f, e, precise, &g->tmp, &follow);
                if (st != DS_OK)
                    return st;
                if (!follow)
                    continue;
            }
            if (g->seen[e->to] != g->stamp)
                reached++;
            st = reach(g, e->to, &g->tmp, &head, &tail);
            if (st != DS_OK)
                return st;
        }
    }
    *count = reached;
    return DS_OK;
}

/* Plain reachability through f's re-exports: the `reached` column. */
static size_t reach_count(struct rg *g, uint32_t f, uint32_t *stack)
{
    const struct ds_report_facts *fx = facts_of(g, f);
    bool pure = fx && fx->barrel;
    size_t top = 0, count = 0;

    g->stamp++;
    g->seen[f] = g->stamp;
    for (uint32_t k = g->first[f]; k < g->first[f + 1]; k++) {
        const struct imp *im = imp_of(g, f, g->e[k].imp);
        uint32_t t = g->e[k].to;
        if (!im || (im->kind != DSCAN_IMPORT_REEXPORT && !pure) || g->seen[t] == g->stamp)
            continue;
        g->seen[t] = g->stamp;
        stack[top++] = t;
        count++;
    }
    while (top) {
        uint32_t x = stack[--top];
        for (uint32_t k = g->first[x]; k < g->first[x + 1]; k++) {
            uint32_t t = g->e[k].to;
            if (g->seen[t] == g->stamp)
                continue;
            g->seen[t] = g->stamp;
            stack[top++] = t;
            count++;
        }
    }
    return count;
}

/* For each package, its file fewest imports away from a root (the first
 * in path order on a tie): what `--why PACKAGE` explains when none of the
 * package's modules is in the lists ("why is lucide-react read at all?"). */
static enum ds_status nearest(struct rg *g, struct ds_report *r, const uint32_t *roots,
                              size_t n_roots)
{
    struct dscan *s = g->s;
    uint32_t *dist = ds_alloc_malloc(g->alloc, (g->n ? g->n : 1) * sizeof *dist);
    uint32_t *best = ds_alloc_malloc(g->alloc, (r->n_packages ? r->n_packages : 1) * sizeof *best);
    size_t head = 0, tail = 0;
    enum ds_status st = DS_OK;

    r->pkg_nearest =
        ds_arena_zalloc(&s->arena, (r->n_packages ? r->n_packages : 1) * sizeof(char *));
    if (!dist || !best || !r->pkg_nearest) {
        st = DS_ENOMEM;
        goto out;
    }
    for (size_t f = 0; f < g->n; f++)
        dist[f] = DS_NO_ID;
    for (size_t i = 0; i < n_roots; i++)
        if (dist[roots[i]] == DS_NO_ID) {
            dist[roots[i]] = 0;
            g->queue[tail++] = roots[i];
        }
    while (head < tail) {
        uint32_t f = g->queue[head++];
        for (uint32_t k = g->first[f]; k < g->first[f + 1]; k++)
            if (dist[g->e[k].to] == DS_NO_ID) {
                dist[g->e[k].to] = dist[f] + 1;
                g->queue[tail++] = g->e[k].to;
            }
    }
    for (size_t p = 0; p < r->n_packages; p++)
        best[p] = DS_NO_ID;
    for (uint32_t f = 0; f < g->n; f++) {
        uint32_t p = r->file_pkg ? r->file_pkg[f] : DS_NO_ID;
        if (p == DS_NO_ID || dist[f] == DS_NO_ID)
            continue;
        uint32_t b = best[p];
        if (b == DS_NO_ID || dist[f] < dist[b] ||
            (dist[f] == dist[b] && strcmp(ds_intern_str(&s->paths, g->path_of[f]).ptr,
                                          ds_intern_str(&s->paths, g->path_of[b]).ptr) < 0))
            best[p] = f;
    }
    for (size_t p = 0; p < r->n_packages; p++) {
        if (best[p] == DS_NO_ID)
            continue;
        r->pkg_nearest[p] =
            ds_scan_normalize(&s->arena, s->root, ds_intern_str(&s->paths, g->path_of[best[p]]));
        if (!r->pkg_nearest[p]) {
            st = DS_ENOMEM;
            break;
        }
    }
out:
    ds_alloc_free(g->alloc, dist);
    ds_alloc_free(g->alloc, best);
    return st;
}

static int cmp_barrel(const void *a, const void *b)
{
    const struct dscan_barrel *x = a, *y = b;
    if (x->reached != y->reached)
        return x->reached > y->reached ? -1 : 1;
    return strcmp(x->path, y->path);
}

static int cmp_cstrp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

enum ds_status ds_report_barrels(struct ds_report *r, struct dscan *s, const uint32_t *file_of_path,
                                 const uint32_t *path_of_file, size_t n_files)
{
    struct rg g = {.s = s, .alloc = &s->alloc, .star = DS_NO_ID, .empty = DS_NO_ID};
    uint32_t *stack = NULL, *roots = NULL, *cands = NULL;
    size_t n_roots = 0, n_cands = 0;
    struct ds_names *asked = NULL; /* by candidate: what the default walk asked */
    enum ds_status st;

    g.star = ds_intern_find(&s->specs, DS_STR("*"));
    g.empty = ds_intern_find(&s->specs, DS_STR(""));
    st = build(&g, r, file_of_path, path_of_file, n_files);
    if (st != DS_OK)
        goto out;
    size_t nf = n_files ? n_files : 1;
    g.seen = ds_alloc_calloc(g.alloc, nf, sizeof *g.seen);
    g.queued = ds_alloc_calloc(g.alloc, nf, 1);
    g.req = ds_alloc_calloc(g.alloc, nf, sizeof *g.req);
    g.queue = ds_alloc_malloc(g.alloc, nf * sizeof *g.queue);
    stack = ds_alloc_malloc(g.alloc, nf * sizeof *stack);
    roots = ds_alloc_malloc(g.alloc, nf * sizeof *roots);
    cands = ds_alloc_malloc(g.alloc, nf * sizeof *cands);
    if (!g.seen || !g.queued || !g.req || !g.queue || !stack || !roots || !cands) {
        st = DS_ENOMEM;
        goto out;
    }

    // Roots: entries and pre-scan roots, as files.
    for (size_t m = 0; m < s->graph.n; m++)
        if (s->graph.mods[m].is_root)
            roots[n_roots++] = file_of_path[s->graph.mods[m].path_id];
    st = nearest(&g, r, roots, n_roots);
    if (st != DS_OK)
        goto out;

    // Candidates: files whose re-exports reach 50 files or more.
    for (uint32_t f = 0; f < n_files; f++) {
        const struct ds_report_facts *fx = facts_of(&g, f);
        bool any = false;
        for (uint32_t k = g.first[f]; k < g.first[f + 1] && !any; k++) {
            const struct imp *im = imp_of(&g, f, g.e[k].imp);
            any = im && (im->kind == DSCAN_IMPORT_REEXPORT || (fx && fx->barrel));
        }
        if (any && g.first[f + 1] - g.first[f] > 0 &&
            reach_count(&g, f, stack) >= BARREL_MIN_REACHED)
            cands[n_cands++] = f;
    }
    r->barrels = ds_arena_alloc(&s->arena, (n_cands ? n_cands : 1) * sizeof *r->barrels);
    asked = ds_alloc_calloc(g.alloc, n_cands ? n_cands : 1, sizeof *asked);
    if (!r->barrels || !asked) {
        st = DS_ENOMEM;
        goto out;
    }
    if (n_cands == 0)
        goto out;

    // The names walk: from every root, in default mode.
    struct ds_names all = {.all = true};
    size_t ignored;
    st = walk(&g, roots, n_roots, &all, false, false, &ignored);
    if (st != DS_OK)
        goto out;
    for (size_t i = 0; i < n_cands; i++) {
        bool grew = false;
        if (g.seen[cands[i]] == g.stamp)
            st = ds_names_merge(g.alloc, &asked[i], &g.req[cands[i]], &grew);
        if (st != DS_OK)
            goto out;
    }

    for (size_t i = 0; i < n_cands; i++) {
        uint32_t f = cands[i];
        struct dscan_barrel *b = &r->barrels[i];
        size_t needed = 0;
        st = walk(&g, &f, 1, &asked[i], true, true, &needed);
        if (st != DS_OK)
            goto out;
        const char *spelling =
            ds_scan_normalize(&s->arena, s->root, ds_intern_str(&s->paths, path_of_file[f]));
        if (!spelling) {
            st = DS_ENOMEM;
            goto out;
        }
        *b = (struct dscan_barrel){
            .path = spelling,
            .package = r->file_pkg && r->file_pkg[f] != DS_NO_ID ? r->file_pkg[f] : SIZE_MAX,
            .reached = reach_count(&g, f, stack),
            .needed = needed,
            .importers = g.importers[f]};
        size_t nn = asked[i].all ? 1 : asked[i].n;
        const char **names = ds_arena_alloc(&s->arena, (nn ? nn : 1) * sizeof *names);
        if (!names) {
            st = DS_ENOMEM;
            goto out;
        }
        if (asked[i].all)
            names[0] = "*";
        for (uint32_t k = 0; !asked[i].all && k < asked[i].n; k++)
            names[k] = ds_intern_str(&s->specs, asked[i].v[k]).ptr;
        qsort(names, nn, sizeof *names, cmp_cstrp);
        b->imported_names = names;
        b->n_imported_names = nn;
    }
    qsort(r->barrels, n_cands, sizeof *r->barrels, cmp_barrel);
    r->n_barrels = n_cands;
out:
    if (g.req)
        for (size_t f = 0; f < n_files; f++)
            ds_alloc_free(g.alloc, g.req[f].v);
    if (asked)
        for (size_t i = 0; i < n_cands; i++)
            ds_alloc_free(g.alloc, asked[i].v);
    ds_alloc_free(g.alloc, asked);
    ds_alloc_free(g.alloc, g.tmp.v);
    ds_alloc_free(g.alloc, g.req);
    ds_alloc_free(g.alloc, g.seen);
    ds_alloc_free(g.alloc, g.queued);
    ds_alloc_free(g.alloc, g.queue);
    ds_alloc_free(g.alloc, g.first);
    ds_alloc_free(g.alloc, g.e);
    ds_alloc_free(g.alloc, g.importers);
    ds_alloc_free(g.alloc, g.droppable);
    ds_alloc_free(g.alloc, g.sensitive);
    ds_alloc_free(g.alloc, stack);
    ds_alloc_free(g.alloc, roots);
    ds_alloc_free(g.alloc, cands);
    return st;
}
