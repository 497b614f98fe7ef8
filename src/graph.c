/* Modules, the visited set and (optionally) edges. It stores ids only, never
 * path text, and knows nothing about files, directives or threads: the scan
 * serialises calls with its own lock (the graph has no lock of its own, so
 * there is no lock order to keep here).
 * What it does not do: decide environments or read anything. */
#include <stdlib.h>

#include "graph.h"

static uint32_t key_hash(uint32_t path_id, uint32_t env)
{
    return ds_hash_mix(ds_hash_mix(2166136261u, path_id), env);
}

struct key {
    uint32_t path_id, env;
};

static bool same(const void *ctx, uint32_t id, const void *k)
{
    const struct ds_graph *g = ctx;
    const struct key *key = k;
    return g->mods[id].path_id == key->path_id && g->mods[id].env == key->env;
}

void ds_graph_init(struct ds_graph *g, struct ds_alloc *alloc, bool keep_edges)
{
    memset(g, 0, sizeof *g);
    g->alloc = alloc;
    g->keep_edges = keep_edges;
    ds_table_init(&g->visited, alloc);
}

void ds_graph_release(struct ds_graph *g)
{
    ds_table_release(&g->visited);
    ds_alloc_free(g->alloc, g->mods);
    ds_alloc_free(g->alloc, g->edges);
    g->mods = NULL;
    g->edges = NULL;
    g->n = g->cap = g->n_edges = g->cap_edges = 0;
}

uint32_t ds_graph_find(const struct ds_graph *g, uint32_t path_id, enum dscan_env env)
{
    struct key k = {path_id, (uint32_t)env};
    return ds_table_find(&g->visited, key_hash(path_id, env), same, g, &k);
}

enum ds_status ds_graph_add(struct ds_graph *g, uint32_t path_id, enum dscan_env env, uint32_t *idx,
                            bool *is_new)
{
    uint32_t found = ds_graph_find(g, path_id, env);
    enum ds_status st;

    if (found != DS_NO_ID) {
        *idx = found;
        *is_new = false;
        return DS_OK;
    }
    if (g->n >= DS_NO_ID - 1)
        return DS_ELIMIT;
    st = ds_alloc_grow(g->alloc, (void **)&g->mods, &g->cap, g->n + 1, sizeof *g->mods);
    if (st != DS_OK)
        return st;
    // Insert before counting the module, so a failed insert leaves no trace.
    st = ds_table_insert(&g->visited, key_hash(path_id, env), (uint32_t)g->n);
    if (st != DS_OK)
        return st;
    g->mods[g->n] = (struct ds_module){.path_id = path_id, .env = (uint8_t)env};
    *idx = (uint32_t)g->n++;
    *is_new = true;
    return DS_OK;
}

enum ds_status ds_graph_add_edge(struct ds_graph *g, uint32_t from, uint32_t to, uint32_t imp)
{
    enum ds_status st;

    if (!g->keep_edges)
        return DS_OK;
    st = ds_alloc_grow(g->alloc, (void **)&g->edges, &g->cap_edges, g->n_edges + 1,
                       sizeof *g->edges);
    if (st != DS_OK)
        return st;
    g->edges[g->n_edges++] = (struct ds_edge){from, to, imp};
    return DS_OK;
}

static int cmp_edge(const void *a, const void *b)
{
    const struct ds_edge *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    return 0;
}

enum ds_status ds_graph_bfs(const struct ds_graph *g, const uint32_t *rank, uint32_t **parent_out)
{
    size_t n = g->n;
    struct ds_edge *e = NULL; // edges in rank space, sorted
    uint32_t *start = NULL;   // CSR: edges of rank r are e[start[r] .. start[r+1])
    uint32_t *by_rank = NULL; // module index of each rank
    uint32_t *parent = NULL;  // in rank space while searching
    uint32_t *queue = NULL;
    uint32_t *out = NULL;
    size_t ne = g->n_edges, head = 0, tail = 0;

    if (n == 0) {
        *parent_out = NULL;
        return DS_OK;
    }
    e = ds_alloc_malloc(g->alloc, (ne ? ne : 1) * sizeof *e);
    start = ds_alloc_calloc(g->alloc, n + 1, sizeof *start);
    by_rank = ds_alloc_malloc(g->alloc, n * sizeof *by_rank);
    parent = ds_alloc_malloc(g->alloc, n * sizeof *parent);
    queue = ds_alloc_malloc(g->alloc, n * sizeof *queue);
    out = ds_alloc_malloc(g->alloc, n * sizeof *out);
    if (!e || !start || !by_rank || !parent || !queue || !out)
        goto fail;
    for (size_t i = 0; i < ne; i++)
        e[i] = (struct ds_edge){rank[g->edges[i].from], rank[g->edges[i].to], g->edges[i].imp};
    qsort(e, ne, sizeof *e, cmp_edge);
    for (size_t i = 0; i < ne; i++)
        start[e[i].from + 1]++;
    for (size_t r = 0; r < n; r++)
        start[r + 1] += start[r];
    for (size_t m = 0; m < n; m++) {
        by_rank[rank[m]] = (uint32_t)m;
        parent[m] = DS_NO_ID;
    }
    // Roots first, in rank order: every root is at distance 0.
    for (size_t r = 0; r < n; r++) {
        if (g->mods[by_rank[r]].is_root) {
            parent[r] = (uint32_t)r; // marks "seen"; rewritten to DS_NO_ID below
            queue[tail++] = (uint32_t)r;
        }
    }
    while (head < tail) {
        uint32_t r = queue[head++];
        for (uint32_t i = start[r]; i < start[r + 1]; i++) {
            uint32_t t = e[i].to;
            if (parent[t] == DS_NO_ID) {
                parent[t] = r;
                queue[tail++] = t;
            }
        }
    }
    for (size_t r = 0; r < n; r++) {
        uint32_t m = by_rank[r];
        out[m] = (parent[r] == DS_NO_ID || parent[r] == r) ? DS_NO_ID : by_rank[parent[r]];
    }
    ds_alloc_free(g->alloc, e);
    ds_alloc_free(g->alloc, start);
    ds_alloc_free(g->alloc, by_rank);
    ds_alloc_free(g->alloc, parent);
    ds_alloc_free(g->alloc, queue);
    *parent_out = out;
    return DS_OK;

fail:
    ds_alloc_free(g->alloc, e);
    ds_alloc_free(g->alloc, start);
    ds_alloc_free(g->alloc, by_rank);
    ds_alloc_free(g->alloc, parent);
    ds_alloc_free(g->alloc, queue);
    ds_alloc_free(g->alloc, out);
    return DS_ENOMEM;
}
