/* The persistent scanner's internal parts (SPEC §5b; the public interface is
 * dscan_session_* in include/dscan.h). session.c keeps the scan state between
 * scans: the path and specifier interners, each file's facts (directive flags
 * and imports, by path id), the resolver with its file-system caches, the
 * pre-scan candidates, and per (file, own environment) the imports as they
 * resolved. An update drops what the changed paths can affect and walks the
 * graph again from the roots over the stored edges. */
#ifndef DS_SESSION_H
#define DS_SESSION_H

#include "scan_int.h"

/* Answers given from outside (a Vite plugin container's resolveId) for
 * imports dscan left unresolved: (importer, specifier, env) -> target. */
struct ds_sess_override {
    uint32_t importer; /* path id */
    uint32_t target;   /* path id of the real file */
    struct ds_str spec;
    uint8_t env;
};

struct sess_unres {
    struct ds_str spec, reason; /* interned in the state's specs */
};

/* The imports of one file as they resolved in one environment. */
struct sess_edges {
    uint32_t *to; /* script files reached (path ids) */
    struct sess_unres *un;
    uint32_t n_to, n_un;
    bool valid;
};

struct walk_unres {
    struct ds_str spec, reason;
    uint32_t importer;
    uint8_t env;
};

struct sess_result {
    struct ds_arena arena;
    const char **client, **server;
    size_t n_client, n_server;
    struct dscan_unresolved *unresolved;
    size_t n_unresolved;
    const char **delta[2][2]; /* [list: 0 client, 1 server][0 removed, 1 added] */
    size_t n_delta[2][2];
};

struct dscan_session {
    struct ds_alloc alloc; /* the config's and the session's tables */
    const struct dscan_allocator *user;
    size_t memory_limit;
    struct ds_config *cfg;
    struct dscan *s; /* the scan state; NULL before the first scan */
    struct ds_pool_worker w;

    struct sess_edges *edges; /* by path id * 2 + own env */
    size_t edges_cap;
    uint32_t *seen; /* by path id * 2 + env: the walk generation that visited it */
    size_t seen_cap;
    uint32_t gen;
    uint32_t *queue;
    size_t queue_cap;
    uint32_t *cands; /* pre-scan candidates, real path ids */
    size_t n_cands, cands_cap;
    bool cands_valid;
    struct walk_unres *un;
    size_t n_un, un_cap;
    struct ds_sess_override *ovr;
    size_t n_ovr, ovr_cap;

    struct sess_result res[2];
    int cur; /* res[cur] is the last result */
    bool have_result;
    bool same;   /* the last call changed nothing: res[cur] stands, its delta is empty */
    bool failed; /* the last call failed: res[cur] is not the tree's result */
    struct dscan_stats stats;
    size_t modules, roots, resolve_calls;
    unsigned n_targeted; /* directory invalidations since the resolver was new */
};

/* session_result.c: the result of the walk just done becomes the current one,
 * with its delta against the one before. DS_ENOMEM only. */
DS_MUST_CHECK enum ds_status ds_session_build_result(struct dscan_session *ss);

#endif
