/* The resolver's parts, shared by its files (not a public interface):
 *   resolve.c        the entry points, the result cache, lifecycle, locking
 *   resolve_vite.c   Vite's algorithms: fs probes, package entries, deep
 *                    imports, node_modules lookup, browser field, imports,
 *                    tsconfig paths, alias, the letter-case check
 *   resolve_pkg.c    the package.json cache (one parse per directory) and
 *                    the nearest-package walk
 *   specifier.c      what a specifier is by its spelling
 * The lock rule is resolve.c's header comment and fs.h's. */
#ifndef DS_RESOLVE_INT_H
#define DS_RESOLVE_INT_H

#include <stdatomic.h>

#include "fs.h"
#include "pkg.h"
#include "resolve.h"
#include "table.h"
#include "tsconfig.h"

#define N_REQ 2 /* import, require */

/* Scratch arenas kept for cold resolutions, one per resolution at a time
 * (peeks run side by side); more at once than this use arenas of their own. */
#define N_SCRATCH 4

struct cache_ent {
    uint32_t dir_id; /* importer directory, in `dirs` */
    uint8_t env, req;
    uint16_t ts; /* tsconfig whose paths applied (resolve.c cache_key) */
    struct ds_str spec;
    struct ds_resolution res;
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

    pthread_mutex_t lock;  /* held by a fill: one at a time */
    pthread_rwlock_t gate; /* read by peeks, written by a fill (fs.h, THE PEEK RULE) */
    unsigned resolvers;    /* threads that may resolve at once (ds_resolver_set_resolvers) */
    bool solo;             /* set to one thread: no lock is taken at all */
    struct ds_fs *fs;
    struct ds_tsconfig *tsconfig;      /* the configured one (SPEC §2 "tsconfig"), or NULL */
    struct ds_tsconfig_set *tsconfigs; /* else: per importer, as Vite 8 finds it */
    struct ds_arena arena;             /* package facts, cache keys, reasons */
    /* Cold resolutions' temporaries: a slot is taken by the one that sets its
     * flag. */
    struct ds_arena scratch[N_SCRATCH];
    atomic_flag scratch_busy[N_SCRATCH];
    struct ds_interner dirs; /* importer directories and package directories */
    struct pkg_slot *pkgs;   /* by `dirs` id; the first n_pkgs are initialised */
    size_t n_pkgs, pkgs_cap;
    /* The last directory a fill found the nearest package of, and its
     * answer (ds_res_nearest_pkg): the misses of one importer ask about one
     * directory in a row, and a memcmp is cheaper than interning it again.
     * Written by fills only; near_len 0: none. */
    char near_dir[DS_MAX_PATH + 1];
    size_t near_len;
    uint32_t near_found;

    /* The result cache, under its own lock (resolve.c). */
    pthread_mutex_t cache_lock;
    struct ds_arena cache_arena;   /* specifiers and directories of the keys */
    struct ds_interner cache_dirs; /* importer directories */
    bool *cache_dir_normal;        /* by cache_dirs id: ds_path_is_normal of it */
    size_t cache_dir_normal_cap;
    /* The last importer directory interned (dir_key): modules are visited
     * directory by directory (an icon barrel's 1,500 files in a row), and a
     * memcmp is cheaper than hashing it again. Ids are never dropped. */
    char last_dir[DS_MAX_PATH + 1];
    size_t last_dir_len; /* 0: none */
    uint32_t last_dir_id;
    struct ds_table cache;
    struct cache_ent *ents;
    size_t n_ents, ents_cap;

    struct ds_str *fields; /* main fields of both environments, for ds_pkg_parse */
    size_t n_fields;
    bool browser[DSCAN_N_ENVS]; /* the environment's mainFields include "browser" */
    struct ds_str *conds[DSCAN_N_ENVS][N_REQ];
    size_t n_conds[DSCAN_N_ENVS][N_REQ];

    atomic_size_t resolve_calls;
    atomic_size_t fills; /* misses resolved under the lock (ds_resolver_stats) */
    atomic_size_t cache_hits;
    size_t pkg_reads;
    uint64_t pkg_bytes;
};

/* One resolution in progress. */
struct req {
    struct ds_resolver *r;
    enum ds_fs_access how;    /* DS_FS_PEEK: under `gate` only, nothing written (resolve.c) */
    struct ds_arena *scratch; /* this resolution's temporaries, owned by its thread */
    struct ds_pkg_conds conds;
    const struct ds_strlist *main_fields;
    bool browser;                       /* the environment's mainFields include "browser" */
    bool require;                       /* require(): the "require" condition */
    bool empty;                         /* browser field mapped it to false */
    bool loop;                          /* met a symlink loop */
    bool case_diff;                     /* a spelling that differs only in case exists */
    const struct ds_tsconfig *tsconfig; /* whose paths / baseUrl apply to the importer, or NULL */
    bool external;                      /* a Node builtin the browser field did not remap */
    bool env_dep;                       /* consulted conditions, main fields or a browser map */
    const char *reason;
    bool reason_unbuilt; /* a peek's failure, whose text a fill builds */
    struct ds_str importer_dir;
    bool importer_dir_normal; /* ds_path_is_normal(importer_dir), and of every dir above it */
    bool importer_pkg_done;   /* importer_pkg and importer_pkg_dir are known */
    const struct ds_pkg *importer_pkg;
    struct ds_str importer_pkg_dir;
    char out[DS_MAX_PATH + 1];
    struct ds_str out_path;
};

static inline bool ds_res_list_has(const struct ds_strlist *l, struct ds_str s)
{
    for (size_t i = 0; i < l->n; i++)
        if (ds_str_eq(l->items[i], s))
            return true;
    return false;
}

/* resolve_pkg.c. A fill holds the resolver's `lock`, may release it inside
 * fs calls (fs.h) and re-checks the slot after each; a peek answers from
 * known slots only (DS_EFILL otherwise) and writes none. */
DS_MUST_CHECK enum ds_status ds_res_get_pkg(struct req *q, struct ds_str dir,
                                            const struct ds_pkg **out, uint32_t *id_out);
/* The nearest package.json at or above `dir` (Vite's findNearestPackageData).
 * *pkg_dir points into the dirs interner. */
DS_MUST_CHECK enum ds_status ds_res_nearest_pkg(struct req *q, struct ds_str dir,
                                                const struct ds_pkg **out, struct ds_str *pkg_dir);

/* resolve_vite.c: one resolution of `spec` for request q; *found says
 * whether q->out_path (or q->empty / q->external) is the answer. */
DS_MUST_CHECK enum ds_status ds_res_resolve_spec(struct req *q, struct ds_str spec, bool *found);

#endif
