/* The resolver: specifier + importing file + environment -> real path of a
 * file, as Vite resolves it for that environment (SPEC §4.5, §4.6). It owns
 * the filesystem caches (directory entries, real paths, parsed package.json,
 * tsconfig) and a cache of (importer directory, specifier, env, kind) ->
 * result. It does not read or lex source files. */
#ifndef DS_RESOLVE_H
#define DS_RESOLVE_H

#include "config.h"
#include <pthread.h>

#include "intern.h"

struct ds_resolver;

enum ds_resolution_kind {
    DS_RES_FILE = 0,  /* path_id names the real path of an existing file */
    DS_RES_EMPTY,     /* browser field maps it to false: nothing to scan */
    DS_RES_EXTERNAL,  /* builtin, node:, virtual:, URL, configured external: not resolved */
    DS_RES_NOT_FOUND, /* reason says why */
};

struct ds_resolution {
    enum ds_resolution_kind kind;
    uint32_t path_id;   /* DS_RES_FILE: id in the interner given to ds_resolver_new */
    const char *reason; /* DS_RES_NOT_FOUND: static or arena text, lives as long as the resolver */
    /* DS_RES_NOT_FOUND: a file exists whose name differs from the
     * specifier's spelling only in letter case (works on macOS, fails on
     * Linux, as esbuild warns); reason names the file on disk. */
    bool case_mismatch;
    bool symlink_loop; /* DS_RES_NOT_FOUND: a symlink loop was met on the way */
    bool script;       /* DS_RES_FILE: a script by its extension (SPEC §4.5), so the scan
                        * needs not fetch the path to decide whether to read it */
};

/* Creates a resolver for `cfg` (not owned; must outlive it). Real paths are
 * interned into `paths` (not owned); the resolver takes `paths_lock` around
 * every use of it, so the scan may share the interner. Malformed
 * package.json / tsconfig files become diagnostics in `diags`. */
DS_MUST_CHECK enum ds_status ds_resolver_new(struct ds_alloc *alloc, const struct ds_config *cfg,
                                             struct ds_interner *paths, pthread_mutex_t *paths_lock,
                                             struct ds_diags *diags, struct ds_resolver **out);
void ds_resolver_free(struct ds_resolver *r);

/* Resolves `specifier` imported by the file `importer` (absolute real path)
 * in environment `env`. Only DS_ENOMEM (and DS_ELIMIT on absurd input) fail;
 * "not found" is a result. Thread-safe: many workers call it at once.
 *
 * DS_RES_EXTERNAL (never resolved, SPEC §4.5): "node:" ids (and Vite's other
 * runtime prefixes "bun:", "deno:", "npm:"), Node builtin names (even when
 * a package of that name is installed; on the client the importer's browser
 * field may still remap one, as Vite lets it), "virtual:" and
 * "\0" ids, http:, https:, //, data: URLs, the configured `external`
 * packages (and their subpaths), and any specifier whose query has a url,
 * raw, worker, sharedworker or inline parameter ("./a.svg?url",
 * "./w.js?worker&inline"): the scan need not filter these first. Other
 * queries and hashes are dropped before probing.
 *
 * Lock order: the resolver's own lock, then `paths_lock`; do not call this
 * while holding `paths_lock`. */
DS_MUST_CHECK enum ds_status ds_resolve(struct ds_resolver *r, struct ds_str importer,
                                        struct ds_str specifier, enum dscan_env env,
                                        enum dscan_import_kind kind, struct ds_resolution *out);

/* What every resolution from one importer shares, found once: its
 * directory's key in the result cache and the tsconfig whose paths apply
 * to it. The scan makes one per module it visits. */
struct ds_tsconfig;
struct ds_importer {
    struct ds_str path, dir; /* `path` is not copied: it must outlive the struct */
    enum dscan_env env;
    uint32_t dir_id;
    bool dir_is_normal;                 /* ds_path_is_normal(dir), known once per directory */
    const struct ds_tsconfig *tsconfig; /* NULL: no paths apply */
    uint16_t ts_id;
};

/* Fills *out for importer `path` (absolute real path) in environment
 * `env`. Only DS_ENOMEM and DS_ELIMIT (a path over DS_MAX_PATH) fail.
 * Thread-safe. */
DS_MUST_CHECK enum ds_status ds_importer_init(struct ds_resolver *r, struct ds_str path,
                                              enum dscan_env env, struct ds_importer *out);

/* ds_resolve from an importer made by ds_importer_init. */
DS_MUST_CHECK enum ds_status ds_resolve_one(struct ds_resolver *r, const struct ds_importer *im,
                                            struct ds_str specifier, enum dscan_import_kind kind,
                                            struct ds_resolution *out);

/* ds_resolve_one for a request ds_resolve_known has just left unknown: it
 * is neither external, builtin nor empty (that was asked), so it goes
 * straight to the cache (the same module may ask one specifier twice) and
 * on to a resolution. */
DS_MUST_CHECK enum ds_status ds_resolve_unknown(struct ds_resolver *r, const struct ds_importer *im,
                                                struct ds_str specifier,
                                                enum dscan_import_kind kind,
                                                struct ds_resolution *out);

/* One request of a batch (ds_resolve_known). */
struct ds_resolve_ask {
    struct ds_str specifier;
    enum dscan_import_kind kind;
};

/* The answers known without resolving to `n` requests from one importer:
 * the cached ones and the externals, read under one acquisition of the
 * result cache's lock (a module's imports come together; the lucide-react
 * barrel asks 1,637 at once). known[i] says whether out[i] is an answer;
 * ds_resolve_one answers the others. Each answer counts as one ds_resolve
 * call in the stats. Thread-safe; never fails. */
DS_MUST_CHECK enum ds_status ds_resolve_known(struct ds_resolver *r, const struct ds_importer *im,
                                              const struct ds_resolve_ask *asks, size_t n,
                                              struct ds_resolution *out, bool *known);

/* ds_resolve with the environment's explicit conditions replaced by
 * `conditions` (NULL: the environment's); import/require, default and the
 * mode's condition still apply (SPEC §1 `--conditions`). Not cached. */
DS_MUST_CHECK enum ds_status ds_resolve_with(struct ds_resolver *r, struct ds_str importer,
                                             struct ds_str specifier, enum dscan_env env,
                                             enum dscan_import_kind kind,
                                             const struct ds_strlist *conditions,
                                             struct ds_resolution *out);

/* Real path of `path` (an absolute path to a file), interned; DS_ENOENT when
 * it does not exist or is not a file, DS_ELOOP on a symlink loop.
 * Uses the resolver's real-path cache, so the scan's entries and pre-scan
 * files get the same ids as resolved imports. Thread-safe. */
DS_MUST_CHECK enum ds_status ds_resolver_realpath(struct ds_resolver *r, struct ds_str path,
                                                  uint32_t *id_out);

/* Is `path` (absolute, normalised) a file? From the directory listings the
 * resolver has cached, so no system call when its directory was listed
 * (the report asks it of package.json in every directory above the files
 * read). Only DS_ENOMEM fails. Thread-safe. */
DS_MUST_CHECK enum ds_status ds_resolver_is_file(struct ds_resolver *r, struct ds_str path,
                                                 bool *out);

struct ds_resolver_stats {
    size_t resolve_calls; /* ds_resolve calls */
    size_t cache_hits;
    size_t fills;      /* misses resolved under the lock: a peek could not answer them, or
                        * the resolver has one thread (resolve.c) */
    size_t stat_calls; /* stat/lstat/readlink/readdir syscalls made */
    size_t files_read; /* package.json, tsconfig.json */
    uint64_t bytes_read;
};
void ds_resolver_get_stats(struct ds_resolver *r, struct ds_resolver_stats *out);

/* How many threads may resolve at once (at creation: cfg->threads, with
 * every lock taken). Cold resolutions peek first (THE PEEK RULE, fs.h)
 * only when it is more than one. One is a promise: from now on one thread
 * at a time uses the resolver, and it takes no lock at all (the result
 * cache's, the fill's; the fs drops none around its system calls). The
 * scan sets it to its visitors (pool.h): one below 4 threads, where the
 * thread that runs dscan_run does every resolution, the pre-scan's
 * realpaths and the report's lookups. Call before resolving. */
void ds_resolver_set_resolvers(struct ds_resolver *r, unsigned n);

/* For a longer-lived resolver (a persistent scanner): the entries of the
 * real directory `dir` changed (a watcher said so). Drops what depends on
 * it: the fs cache's listing of `dir` and its path and link memos
 * (ds_fs_invalidate_dir), the package.json slot of `dir`, every
 * nearest-package and browser-entry answer, and the whole result cache.
 * Parsed package facts and old listings stay in the arenas until
 * ds_resolver_free. A resolution running meanwhile may still cache an
 * answer from before: call it between scans. A tsconfig.json added to or
 * removed from `dir` is seen (the per-importer choice is made again); a
 * tsconfig file already loaded is not re-read. Thread-safe. Only
 * DS_ENOMEM fails. */
DS_MUST_CHECK enum ds_status ds_resolver_invalidate_dir(struct ds_resolver *r, struct ds_str dir);

#endif
