/* The module graph of one scan: a module is a (path_id, env) pair, where
 * path_id names a real path in the scan's interner and env the environment
 * the file was reached in. The visited set is a ds_table over those pairs, so
 * one file reached through many path strings is one module per environment.
 * Edges are kept only when asked (for --why), as 8 bytes each. */
#ifndef DS_GRAPH_H
#define DS_GRAPH_H

#include "table.h"

struct ds_module {
    uint32_t path_id;
    uint8_t env;     /* enum dscan_env it was reached in */
    uint8_t is_root; /* DS_ROOT_ENTRY | DS_ROOT_PRESCAN bits, 0 when not a root */
};

#define DS_ROOT_ENTRY   1u
#define DS_ROOT_PRESCAN 2u

struct ds_edge {
    uint32_t from, to; /* module indexes */
    uint32_t imp;      /* which import of from's file (--why's specifier, the report's names) */
};

struct ds_graph {
    struct ds_alloc *alloc;
    struct ds_table visited; /* (path_id, env) -> module index */
    struct ds_module *mods;
    size_t n, cap;
    bool keep_edges;
    struct ds_edge *edges;
    size_t n_edges, cap_edges;
};

/* Not thread-safe: the scan holds its lock around every call. */
void ds_graph_init(struct ds_graph *g, struct ds_alloc *alloc, bool keep_edges);
void ds_graph_release(struct ds_graph *g);

/* The module (path_id, env), added when new: *idx its index, *is_new whether
 * this call added it. DS_ENOMEM leaves the graph as it was. */
DS_MUST_CHECK enum ds_status ds_graph_add(struct ds_graph *g, uint32_t path_id, enum dscan_env env,
                                          uint32_t *idx, bool *is_new);

/* The module (path_id, env) or DS_NO_ID. */
uint32_t ds_graph_find(const struct ds_graph *g, uint32_t path_id, enum dscan_env env);

/* Records import number `imp` of from's file, from -> to; a no-op unless keep_edges. */
DS_MUST_CHECK enum ds_status ds_graph_add_edge(struct ds_graph *g, uint32_t from, uint32_t to,
                                               uint32_t imp);

/* Shortest paths from the roots, for --why, made independent of the order
 * the parallel walk found things in: `rank[m]` is module m's position in a
 * total order the caller fixes (sorted path, then env). A BFS runs over the
 * edges in rank order from the roots in rank order, so the chosen chain is the
 * same for every thread count. On DS_OK *parent_out (n modules, allocated
 * through the graph's allocator, caller frees with ds_alloc_free) holds each
 * module's predecessor, DS_NO_ID for roots and unreached modules. */
DS_MUST_CHECK enum ds_status ds_graph_bfs(const struct ds_graph *g, const uint32_t *rank,
                                          uint32_t **parent_out);

#endif
