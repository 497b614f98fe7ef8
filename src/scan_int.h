/* The scan's parts, shared by its files (not a public interface):
 *   scan.c          dscan_run: set-up, entries, the pre-scan walk, the pool,
 *                   progress events, stats, teardown
 *   scan_facts.c    per-file facts: read and lex a file once, publish its
 *                   directive flags and imports (keyed by path id)
 *   scan_walk.c     the work items: visit a module (resolve its imports,
 *                   queue new modules), look at a pre-scan candidate
 *   scan_result.c   the sorted result lists, accessors, dscan_why
 * Locking is scan.c's header comment. */
#ifndef DS_SCAN_INT_H
#define DS_SCAN_INT_H

#include <time.h>

#include "config.h"
#include "diag.h"
#include "graph.h"
#include "intern.h"
#include "pool.h"
#include "report.h"
#include "resolve.h"
#include "scan.h"

#define SCRATCH_BLOCK      (256u * 1024) /* files under 64 kB reuse the kept block */
#define MAX_PROBLEMS_SHOWN 8             /* lexer problems reported per file */

enum file_state { FILE_UNSEEN = 0, FILE_READING, FILE_DONE };

#define F_USE_CLIENT 1u
#define F_USE_SERVER 2u
#define F_READ_OK    4u /* counted in files_read */

/* Work items and their pool lanes: visits (resolving) run on the visiting
 * workers only (one of two, pool.c), reads and pre-scan candidates (read
 * and lex a file) on every worker. */
enum item_kind { ITEM_VISIT = 0, ITEM_PRESCAN = 1, ITEM_READ = 2 };
#define LANE_VISIT 0u
#define LANE_READ  1u

/* One specifier as the lexer found it; the bytes are interned in `specs`. */
struct imp {
    struct ds_str spec;
    uint32_t line, col;
    uint8_t kind; /* enum dscan_import_kind */
};

/* What survives of a file after its lex (SPEC §4.7), by path id. */
struct file_rec {
    struct imp *imports;
    struct ds_report_facts *facts; /* names and exports, kept only for a report */
    uint32_t bytes;                /* bytes read (at most DS_MAX_FILE_BYTES) */
    uint32_t n_imports;
    uint32_t waiting[DSCAN_N_ENVS]; /* modules to visit once the facts are in */
    uint16_t reads;
    uint8_t state;     /* enum file_state */
    uint8_t flags;     /* F_USE_* */
    uint8_t n_waiting; /* of waiting[] */
    bool queued;       /* a read item is queued for it */
};

struct unres {
    struct ds_str spec;
    uint32_t importer;
    uint8_t env;
    const char *reason; /* copied into the scan arena */
};

struct dscan {
    struct ds_alloc alloc;       /* counts everything, this struct included */
    struct ds_arena arena;       /* scan lifetime, under `lock` while walking */
    struct ds_arena paths_arena; /* the path interner's, under paths_lock */
    struct ds_interner paths;
    struct ds_interner specs; /* under `lock` */
    pthread_mutex_t lock;
    pthread_cond_t file_done;
    pthread_mutex_t paths_lock;
    int n_sync; /* how many of lock, file_done, paths_lock exist */
    bool diags_ok;

    struct ds_config *cfg;
    bool cfg_borrowed; /* the session's (ds_scan_run_kept): not freed with the scan */
    struct ds_resolver *resolver;
    struct ds_pool *pool;
    struct ds_diags diags;
    struct ds_graph graph;
    struct file_rec *files; /* by path id */
    size_t files_cap;
    struct unres *unres;
    size_t n_unres, cap_unres;
    size_t files_read, duplicate_reads, n_roots;
    uint64_t bytes_read;

    void (*on_event)(void *ctx, const struct dscan_event *event);
    void *event_ctx;
    struct timespec t0;
    double cpu0_ms;
    unsigned tick_ms;
    double next_tick_s; /* when the walk should tick next (coordinating thread) */

    /* The finished result. */
    struct ds_str root;
    const char **client, **server;
    size_t n_client, n_server;
    struct dscan_unresolved *unresolved;
    size_t n_unresolved;
    struct dscan_diagnostic *diag_list;
    size_t n_diag;
    const char **read_list; /* real paths of the files read, sorted */
    size_t n_read;
    struct dscan_stats stats;
    const char **mod_path; /* module index -> result-list spelling (keep_edges only) */
    uint32_t *why_parent;  /* computed by the first dscan_why */
    uint32_t *why_imp;     /* module -> import of its parent's file that reaches it */
    bool want_report;      /* opts.report */
    bool precise;          /* SPEC §4.10 (cfg->precise): keeps names and edges */
    uint8_t *live;         /* precise: by module, 1 when precise mode reaches it */
    uint8_t *live_edge;    /* precise: by graph edge, 1 when the precise walk followed it */
    struct ds_report report;
};

/* scan_facts.c: the facts of file `id`, reading it if nobody has. On DS_OK
 * *rec is a copy of the finished record (its imports array never moves). */
DS_MUST_CHECK enum ds_status ds_scan_file_facts(struct dscan *s, struct ds_pool_worker *w,
                                                uint32_t id, struct file_rec *rec);
/* The path of id `id` (takes paths_lock; the bytes never move). */
struct ds_str ds_scan_path_of(struct dscan *s, uint32_t id);

/* Items to queue, gathered while `lock` is held and pushed in one go per
 * lane (scan_walk.c's flush). */
#define BATCH 64
struct batch {
    uint64_t items[DS_POOL_LANES][BATCH];
    size_t n[DS_POOL_LANES];
};

/* scan_facts.c: module m (of file path_id) is new. Its visit is added to
 * `b` when the file's facts are in; otherwise m waits for them (publish
 * queues the visit), and a read of the file is added to `b` unless one is
 * queued already. Called with `lock` held; `b` has room in both lanes. */
DS_MUST_CHECK enum ds_status ds_scan_queue_module(struct dscan *s, uint32_t m, uint32_t path_id,
                                                  struct batch *b);

/* scan_walk.c */
DS_MUST_CHECK enum ds_status ds_scan_run_item(void *ctx, struct ds_pool_worker *w, uint64_t item);
/* Adds root module (id, env) of kind `root` (DS_ROOT_ENTRY, DS_ROOT_PRESCAN)
 * and queues it when new. */
DS_MUST_CHECK enum ds_status ds_scan_add_root(struct dscan *s, uint32_t id, enum dscan_env env,
                                              uint8_t root);

/* scan.c: dscan_run with the config `cfg` already loaded (borrowed: it
 * outlives the scan) that keeps the resolver and its caches: the persistent
 * scanner (session.c) starts from a parallel scan and goes on with them. */
DS_MUST_CHECK enum ds_status ds_scan_run_kept(const struct dscan_options *opts,
                                              struct ds_config *cfg, struct dscan **out,
                                              struct dscan_error *err);

/* precise.c: s->live for the finished walk (SPEC §4.10). DS_ENOMEM only. */
DS_MUST_CHECK enum ds_status ds_precise_walk(struct dscan *s);

/* scan_result.c: the sorted lists of the finished walk (after the pool). */
DS_MUST_CHECK enum ds_status ds_scan_build_result(struct dscan *s);

/* The result lists' order (SPEC §3: byte-wise, no duplicates), shared with
 * the session's results: sorts v in place and sets *n to how many distinct
 * entries stay at its front. */
DS_MUST_CHECK enum ds_status ds_scan_sort_paths(struct ds_alloc *alloc, const char **v, size_t *n);
size_t ds_scan_sort_unresolved(struct dscan_unresolved *v, size_t n);

/* scan.c: seconds since the scan started; a progress event. */
double ds_scan_since(const struct timespec *t0);
void ds_scan_emit(struct dscan *s, enum dscan_event_kind kind);

#endif
