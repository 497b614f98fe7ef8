/* The scan (SPEC §4): from the entries and the pre-scan roots, visit every
 * reachable (module, environment) pair, read and lex each file once, resolve
 * its imports with its own environment's settings, and collect the modules
 * that say "use client" / "use server".
 *
 * How the work is split: a pool of workers takes items from two lanes
 * (pool.h). Lane 1 reads: an item reads a file (path id) or looks at a
 * pre-scan candidate; reading puts the file in the worker's scratch arena,
 * lexes it, and keeps only the derived facts (directive flags, the
 * specifiers with their kinds and positions) in the scan arena; the text is
 * dropped when the scratch arena is reset. Lane 0 visits: an item resolves
 * the imports of a module (graph index) whose file's facts are in. A new
 * module whose file is not read yet waits on the file's record, and the
 * read queues its visit; a second module of the same file (the other
 * environment, or a pre-scan root also imported) reuses the facts, so each
 * file is read at most once, and `duplicateReads` counts the times that
 * rule would have been broken (a per-file read counter, bumped under the
 * lock before every read). Visits run on half the workers (one of two):
 * the resolver then has one thread, and needs no peeks (resolve.c).
 *
 * Results are sorted at the end, so they do not depend on thread count or
 * timing; --why chains come from a BFS over rank-sorted edges after the walk
 * (graph.c) for the same reason.
 *
 * Locks. `lock` guards the graph, the file records, the specifier interner,
 * the scan arena, the unresolved list and the counters; `file_done` is its
 * condvar (a worker waits there while another reads the file it needs).
 * `paths_lock` guards the path interner, shared with the resolver.
 * Order: lock -> paths_lock -> pool lock; the resolver takes paths_lock on
 * its own, so ds_resolve is never called with `lock` held, and the diagnostics
 * list's lock is a leaf. Path bytes live in an arena that never moves, so a
 * string fetched under paths_lock stays valid after it is released.
 *
 * This file runs a scan (dscan_run); the per-file facts are scan_facts.c,
 * the work items scan_walk.c, the result and dscan_why scan_result.c
 * (scan_int.h). What it does not do: resolve (resolve.c), lex (lex.c),
 * parse config (config.c), or print anything (cli/). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "prescan.h"
#include "proc.h"
#include "scan_int.h"

/* ---- small helpers ------------------------------------------------------ */

/* CPU time of the process so far: on a loaded machine wall time mostly
 * measures the neighbours, this measures the scan. */
static double cpu_ms(void)
{
    struct rusage ru;

    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

double ds_scan_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static enum ds_status on_candidate(void *ctx, struct ds_str path)
{
    struct dscan *s = ctx;
    uint32_t id;
    enum ds_status st;

    // The walk runs on the coordinating thread before it waits on the pool;
    // a big srcDir must not silence the ticks meanwhile.
    if (s->on_event && s->tick_ms && ds_scan_since(&s->t0) >= s->next_tick_s) {
        ds_scan_emit(s, DSCAN_EVENT_TICK);
        s->next_tick_s = ds_scan_since(&s->t0) + s->tick_ms / 1000.0;
    }
    st = ds_resolver_realpath(s->resolver, path, &id);

    // A dangling link or a file removed since readdir: nothing to scan.
    if (st == DS_ENOENT || st == DS_ELOOP)
        return DS_OK;
    if (st != DS_OK)
        return st;
    return ds_pool_push(s->pool, LANE_READ, ((uint64_t)ITEM_PRESCAN << 32) | id);
}

/* ---- ticks -------------------------------------------------------------- */

void ds_scan_emit(struct dscan *s, enum dscan_event_kind kind)
{
    struct dscan_event ev = {.kind = kind};
    struct ds_proc_mem mem;

    ds_proc_mem(&mem);
    ev.t_s = ds_scan_since(&s->t0);
    ev.rss_kb = mem.rss_kb;
    ev.peak_rss_kb = mem.peak_kb;
    ev.heap_bytes = atomic_load(&s->alloc.current);
    pthread_mutex_lock(&s->lock);
    ev.modules = s->graph.n;
    ev.files_read = s->files_read;
    ev.bytes_read = s->bytes_read;
    pthread_mutex_unlock(&s->lock);
    s->on_event(s->event_ctx, &ev);
}

static void on_tick(void *ctx)
{
    ds_scan_emit(ctx, DSCAN_EVENT_TICK);
}

/* ---- the run ------------------------------------------------------------ */

static void scan_free(struct dscan *s)
{
    struct ds_alloc alloc;

    if (!s)
        return;
    ds_pool_free(s->pool);
    ds_resolver_free(s->resolver);
    if (!s->cfg_borrowed)
        ds_config_free(s->cfg);
    ds_alloc_free(&s->alloc, s->why_parent);
    ds_alloc_free(&s->alloc, s->files);
    ds_alloc_free(&s->alloc, s->unres);
    ds_graph_release(&s->graph);
    if (s->diags_ok)
        ds_diags_release(&s->diags);
    ds_interner_release(&s->specs);
    ds_interner_release(&s->paths);
    ds_arena_release(&s->paths_arena);
    ds_arena_release(&s->arena);
    if (s->n_sync >= 3)
        pthread_mutex_destroy(&s->paths_lock);
    if (s->n_sync >= 2)
        pthread_cond_destroy(&s->file_done);
    if (s->n_sync >= 1)
        pthread_mutex_destroy(&s->lock);
    // Freed through a copy of its allocator: the one inside it goes with it.
    ds_alloc_init(&alloc, s->alloc.user, 0);
    atomic_store(&alloc.current, atomic_load(&s->alloc.current));
    ds_alloc_free(&alloc, s);
}

void dscan_free(struct dscan *scan)
{
    scan_free(scan);
}

/* The entries: the config's, which already picked the first src/worker.*
 * that exists when none was given (config.c owns the defaults). */
static enum ds_status add_entries(struct dscan *s, struct dscan_error *err)
{
    char buf[DS_MAX_PATH + 1];
    uint32_t id;
    enum ds_status st;

    for (size_t i = 0; i < s->cfg->entries.n; i++) {
        struct ds_str e = s->cfg->entries.items[i];
        st = ds_resolver_realpath(s->resolver, e, &id);
        if (st == DS_ENOENT || st == DS_ELOOP || st == DS_EIO) {
            const char *why = dscan_status_message((enum dscan_status)st);
            enum ds_sys_type t;
            // A FIFO or a directory given as the entry exists: say what it is
            // (hostile_fifo_as_entry_is_an_error_naming_it).
            if (st == DS_ENOENT && ds_str_to_cstr(e, buf, sizeof buf) &&
                s->cfg->sys->stat(s->cfg->sys->ctx, buf, true, &t) == 0)
                why = t == DS_SYS_DIR ? "is a directory" : "not a regular file";
            return ds_error_set(err, DS_ENOENT, 0, "cannot find entry '%.*s': %s", DS_STR_FMT(e),
                                why);
        }
        if (st != DS_OK)
            return st;
        st = ds_scan_add_root(s, id, DSCAN_ENV_WORKER, DS_ROOT_ENTRY);
        if (st != DS_OK)
            return st;
    }
    return DS_OK;
}

static enum ds_status oom(struct dscan_error *err, enum ds_status st)
{
    if (st == DS_ENOMEM)
        return ds_error_set(err, st, 0, "out of memory%s", "");
    return ds_error_set(err, st, 0, "scan failed: %s", dscan_status_message((enum dscan_status)st));
}

static const struct dscan_options default_options;

enum dscan_status dscan_run(const struct dscan_options *opts, struct dscan **out,
                            struct dscan_error *err)
{
    return ds_scan_run_sys(opts, NULL, out, err);
}

static enum dscan_status run(const struct dscan_options *opts, const struct ds_sys *sys,
                             struct ds_config *cfg, struct dscan **out, struct dscan_error *err);

enum dscan_status ds_scan_run_sys(const struct dscan_options *opts, const struct ds_sys *sys,
                                  struct dscan **out, struct dscan_error *err)
{
    return run(opts, sys, NULL, out, err);
}

enum ds_status ds_scan_run_kept(const struct dscan_options *opts, struct ds_config *cfg,
                                struct dscan **out, struct dscan_error *err)
{
    return (enum ds_status)run(opts, NULL, cfg, out, err);
}

/* With `cfg` (the session's), the config is not loaded and the resolver is
 * kept. */
static enum dscan_status run(const struct dscan_options *opts, const struct ds_sys *sys,
                             struct ds_config *cfg, struct dscan **out, struct dscan_error *err)
{
    struct dscan *s;
    enum ds_status st;
    struct dscan_error local;
    struct ds_resolver_stats rstats;
    struct ds_proc_mem mem;

    if (!err)
        err = &local;
    err->status = DSCAN_OK;
    err->sys_errno = 0;
    err->message[0] = '\0';
    if (!out)
        return (enum dscan_status)ds_error_set(err, DS_EINVAL, 0, "dscan_run: no result pointer");
    *out = NULL;
    // NULL options are the defaults, as everywhere in the API.
    if (!opts)
        opts = &default_options;
    // The handle itself is counted (and limited) like every other byte.
    struct ds_alloc boot;
    ds_alloc_init(&boot, opts->alloc, opts->memory_limit);
    s = ds_alloc_malloc(&boot, sizeof *s);
    if (!s)
        return (enum dscan_status)oom(err, DS_ENOMEM);
    memset(s, 0, sizeof *s);
    clock_gettime(CLOCK_MONOTONIC, &s->t0);
    s->cpu0_ms = cpu_ms();
    ds_alloc_init(&s->alloc, opts->alloc, opts->memory_limit);
    atomic_store(&s->alloc.current, atomic_load(&boot.current));
    atomic_store(&s->alloc.peak, atomic_load(&boot.peak));
    ds_arena_init(&s->arena, &s->alloc, 64 * 1024);
    ds_arena_init(&s->paths_arena, &s->alloc, 64 * 1024);
    ds_interner_init(&s->paths, &s->paths_arena);
    ds_interner_init(&s->specs, &s->arena);
    // The report walks the graph (SPEC §5a): it needs the edges.
    ds_graph_init(&s->graph, &s->alloc, opts->keep_edges || opts->report);
    s->want_report = opts->report;
    if (ds_mutex_init(&s->lock) != 0)
        goto nomem;
    s->n_sync = 1;
    if (pthread_cond_init(&s->file_done, NULL) != 0)
        goto nomem;
    s->n_sync = 2;
    if (ds_mutex_init(&s->paths_lock) != 0)
        goto nomem;
    s->n_sync = 3;
    if (ds_diags_init(&s->diags, &s->alloc) != DS_OK)
        goto nomem;
    s->diags_ok = true;

    s->cfg = cfg;
    s->cfg_borrowed = cfg != NULL;
    st = cfg ? DS_OK : ds_config_load_sys(&s->alloc, opts, sys, &s->cfg, err);
    // The loader names the file for a bad config, but leaves the message
    // empty when an allocation fails (hostile_oom_every_allocation_rich_project).
    if (st != DS_OK && st != DS_ENOMEM && err->message[0])
        goto fail_keep_msg;
    if (st != DS_OK)
        goto fail;
    s->root = s->cfg->root;
    // Precise mode (SPEC §4.10) walks the finished graph again by name: it
    // needs the edges and the lexer's names.
    s->precise = s->cfg->precise;
    if (s->precise)
        s->graph.keep_edges = true;
    st = ds_resolver_new(&s->alloc, s->cfg, &s->paths, &s->paths_lock, &s->diags, &s->resolver);
    if (st != DS_OK)
        goto fail;
    s->stats.threads = s->cfg->threads;
    // Visits on at most half the workers, reads on all (pool.c says why):
    // with two, one visiting and one reading thread.
    unsigned visitors = s->stats.threads / 2 ? s->stats.threads / 2 : 1;
    ds_resolver_set_resolvers(s->resolver, visitors);
    st = ds_pool_new(&s->alloc, s->stats.threads, visitors, SCRATCH_BLOCK, ds_scan_run_item, s,
                     &s->pool);
    if (st != DS_OK)
        goto fail;
    s->on_event = opts->on_event;
    s->event_ctx = opts->event_ctx;
    s->tick_ms = opts->tick_ms;
    s->next_tick_s = opts->tick_ms / 1000.0;

    st = add_entries(s, err);
    if (st != DS_OK) {
        ds_pool_fail(s->pool, st);
        if (st != DS_ENOMEM && err->message[0])
            goto fail_keep_msg;
        goto fail;
    }
    // Workers start on the entries while this thread walks srcDir.
    if (s->cfg->prescan) {
        st = ds_prescan_walk(&s->alloc, s->cfg->sys, s->cfg->src_dir, &s->diags, on_candidate, s);
        if (st != DS_OK) {
            // Let running items finish before the pool is freed; the walk's
            // status is the one to report.
            ds_pool_fail(s->pool, st);
            enum ds_status ignored = ds_pool_wait(s->pool, 0, NULL, NULL);
            DS_UNUSED(ignored);
            goto fail;
        }
    }
    st = ds_pool_wait(s->pool, s->on_event ? opts->tick_ms : 0, on_tick, s);
    if (st != DS_OK)
        goto fail;
    ds_pool_free(s->pool);
    s->pool = NULL;
    if (s->n_roots == 0) {
        st = ds_error_set(
            err, DS_ENOENT, 0,
            "nothing to scan in '%.*s': no entry given, no src/worker.{tsx,ts,jsx,js}, "
            "and no directive file under '%.*s'",
            DS_STR_FMT(s->root), DS_STR_FMT(s->cfg->src_dir));
        goto fail_keep_msg;
    }

    ds_resolver_get_stats(s->resolver, &rstats);
    st = ds_scan_build_result(s);
    if (st == DS_OK && s->want_report)
        st = ds_report_build(s, &s->report);
    if (st != DS_OK)
        goto fail;
    // The caches served their purpose; the result needs only the arenas.
    if (!cfg) {
        ds_resolver_free(s->resolver);
        s->resolver = NULL;
    }

    ds_proc_mem(&mem);
    s->stats.modules = s->graph.n;
    s->stats.files_read = s->files_read;
    s->stats.bytes_read = s->bytes_read;
    s->stats.duplicate_reads = s->duplicate_reads;
    s->stats.resolve_calls = rstats.resolve_calls;
    s->stats.stat_calls = rstats.stat_calls;
    s->stats.diagnostics = s->n_diag;
    s->stats.paths_interned = s->paths.n;
    s->stats.wall_ms = ds_scan_since(&s->t0) * 1000.0;
    s->stats.cpu_ms = cpu_ms() - s->cpu0_ms;
    s->stats.peak_rss_kb = mem.peak_kb;
    s->stats.peak_heap_bytes = atomic_load(&s->alloc.peak);
    if (s->on_event)
        ds_scan_emit(s, DSCAN_EVENT_DONE);
    *out = s;
    return DSCAN_OK;

nomem:
    st = DS_ENOMEM;
fail:
    oom(err, st);
fail_keep_msg:
    scan_free(s);
    return (enum dscan_status)st;
}
