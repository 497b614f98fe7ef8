/* The scan (SPEC §4): from the entries and the pre-scan roots, visit every
 * reachable (module, environment) pair, read and lex each file once, resolve
 * its imports with its own environment's settings, and collect the modules
 * that say "use client" / "use server".
 *
 * How the work is split: a pool of workers takes items from one queue. An
 * item either visits a module (graph index) or looks at a pre-scan candidate
 * (path id). The first visit of a file reads it into the worker's scratch
 * arena, lexes it, and keeps only the derived facts (directive flags, the
 * specifiers with their kinds and positions) in the scan arena; the text is
 * dropped when the scratch arena is reset. A second visit of the same file
 * (the other environment, or a pre-scan root also imported) reuses those
 * facts, so each file is read at most once, and `duplicateReads` counts the
 * times that rule would have been broken (a per-file read counter, bumped
 * under the lock before every read).
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
 * What it does not do: resolve (resolve.c), lex (lex.c), parse config
 * (config.c), or print anything (cli/). */
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "graph.h"
#include "intern.h"
#include "lex.h"
#include "pool.h"
#include "prescan.h"
#include "proc.h"
#include "readfile.h"
#include "resolve.h"
#include "scan.h"

#define MAX_THREADS          8
#define MAX_EXPLICIT_THREADS 64
#define SCRATCH_BLOCK        (256u * 1024) /* files under 64 kB reuse the kept block */
#define MAX_PROBLEMS_SHOWN   8             /* lexer problems reported per file */

enum file_state { FILE_UNSEEN = 0, FILE_READING, FILE_DONE };

#define F_USE_CLIENT 1u
#define F_USE_SERVER 2u
#define F_READ_OK    4u /* counted in files_read */

enum item_kind { ITEM_VISIT = 0, ITEM_PRESCAN = 1 };

/* One specifier as the lexer found it; the bytes are interned in `specs`. */
struct imp {
    struct ds_str spec;
    uint32_t line, col;
    uint8_t kind; /* enum dscan_import_kind */
};

/* What survives of a file after its lex (SPEC §4.7), by path id. */
struct file_rec {
    struct imp *imports;
    uint32_t n_imports;
    uint16_t reads;
    uint8_t state; /* enum file_state */
    uint8_t flags; /* F_USE_* */
};

struct unres {
    struct ds_str spec;
    uint32_t importer;
    uint8_t env;
    const char *reason; /* copied into the scan arena */
};

struct dscan {
    struct ds_alloc alloc;
    const struct dscan_allocator *user; /* for the struct itself */
    struct ds_arena arena;              /* scan lifetime, under `lock` while walking */
    struct ds_arena paths_arena;        /* the path interner's, under paths_lock */
    struct ds_interner paths;
    struct ds_interner specs; /* under `lock` */
    pthread_mutex_t lock;
    pthread_cond_t file_done;
    pthread_mutex_t paths_lock;
    int n_sync; /* how many of lock, file_done, paths_lock exist */
    bool diags_ok;

    struct ds_config *cfg;
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
};

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

static double since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

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

bool ds_scan_skip_query(struct ds_str s)
{
    static const struct ds_str skip[] = {DS_STR("url"), DS_STR("raw"), DS_STR("worker"),
                                         DS_STR("sharedworker"), DS_STR("inline")};
    size_t q = ds_str_find(s, '?');

    if (q == s.len)
        return false;
    struct ds_str rest = ds_str_slice(s, q + 1, s.len);
    size_t hash = ds_str_find(rest, '#');
    rest.len = hash;
    while (rest.len > 0) {
        size_t amp = ds_str_find(rest, '&');
        struct ds_str param = ds_str_slice(rest, 0, amp);
        param.len = ds_str_find(param, '=');
        for (size_t i = 0; i < DS_ARRAY_LEN(skip); i++)
            if (ds_str_eq(param, skip[i]))
                return true;
        rest = amp == rest.len ? ds_str_slice(rest, rest.len, rest.len)
                               : ds_str_slice(rest, amp + 1, rest.len);
    }
    return false;
}

static struct ds_str path_of(struct dscan *s, uint32_t id)
{
    pthread_mutex_lock(&s->paths_lock);
    struct ds_str p = ds_intern_str(&s->paths, id);
    pthread_mutex_unlock(&s->paths_lock);
    return p;
}

/* Makes files[id] exist. Called with `lock` held. */
static enum ds_status file_slot(struct dscan *s, uint32_t id)
{
    size_t old = s->files_cap;
    enum ds_status st;

    if (id < s->files_cap)
        return DS_OK;
    st = ds_alloc_grow(&s->alloc, (void **)&s->files, &s->files_cap, (size_t)id + 1,
                       sizeof *s->files);
    if (st == DS_OK)
        memset(s->files + old, 0, (s->files_cap - old) * sizeof *s->files);
    return st;
}

/* ---- reading and lexing one file ----------------------------------------- */

/* Marks `id` read (with whatever facts we got) and wakes anyone waiting.
 * Called with `lock` held: the facts, the counters and the specifiers are
 * published under one acquisition per file. */
static void file_finish_locked(struct dscan *s, uint32_t id, struct imp *imports, uint32_t n,
                               uint8_t flags, uint64_t bytes)
{
    if (flags & F_READ_OK) {
        s->files_read++;
        s->bytes_read += bytes;
    }
    s->files[id].imports = imports;
    s->files[id].n_imports = n;
    s->files[id].flags = flags;
    s->files[id].state = FILE_DONE;
    pthread_cond_broadcast(&s->file_done);
}

/* Reads and lexes `path` (the real path of `id`), then publishes its facts.
 * The caller has set the file's state to FILE_READING. Only DS_ENOMEM fails;
 * a file that cannot be read or lexed becomes a diagnostic with no imports. */
static enum ds_status read_and_lex(struct dscan *s, struct ds_pool_worker *w, uint32_t id,
                                   struct ds_str path)
{
    char cpath[DS_MAX_PATH + 1];
    struct ds_str text;
    struct ds_read_error why;
    struct ds_lex_result lr;
    struct imp *imports = NULL;
    uint32_t n = 0;
    uint8_t flags = 0;
    uint64_t nbytes = 0;
    enum ds_status st;

    if (!ds_str_to_cstr(path, cpath, sizeof cpath)) {
        st = ds_diag_add(&s->diags, DSCAN_WARNING, "limit", path, 0, 0,
                         "cannot read '%.*s': path too long", DS_STR_FMT(path));
        goto out;
    }
    st = ds_read_file(cpath, DS_MAX_FILE_BYTES, &w->scratch, &text, &why);
    if (st == DS_ENOMEM)
        goto out;
    if (st != DS_OK) {
        st = ds_diag_add(&s->diags, DSCAN_WARNING, st == DS_ELIMIT ? "limit" : "read", path, 0, 0,
                         "cannot read '%s': %s", cpath, why.reason);
        goto out;
    }
    flags |= F_READ_OK; // counted when the facts are published
    nbytes = text.len;

    st = ds_lex(text.ptr, text.len, ds_lang_of_path(path), &w->scratch, &lr);
    if (st != DS_OK && st != DS_ENOMEM) {
        // The lexer promises only ENOMEM; anything else still costs one file,
        // never the scan (SPEC §4.8).
        st = ds_diag_add(&s->diags, DSCAN_WARNING, "parse", path, 0, 0, "cannot lex '%s': %s",
                         cpath, dscan_status_message((enum dscan_status)st));
        goto out;
    }
    if (st != DS_OK)
        goto out;
    for (size_t i = 0; i < lr.n_problems && i < MAX_PROBLEMS_SHOWN; i++) {
        unsigned line, col;
        ds_line_col(text.ptr, text.len, lr.problems[i].offset, &line, &col);
        st = ds_diag_add(&s->diags, DSCAN_WARNING, "parse", path, line, col,
                         "cannot parse '%s': %s at %u:%u", cpath, lr.problems[i].what, line, col);
        if (st != DS_OK)
            goto out;
    }
    if (lr.use_client)
        flags |= F_USE_CLIENT;
    if (lr.use_server)
        flags |= F_USE_SERVER;

    // MDX compiles to JSX that calls react/jsx-runtime (SPEC §4.4); add the
    // import unless the lexer already listed it.
    bool add_jsx = ds_lang_of_path(path) == DS_LANG_MDX;
    for (size_t i = 0; i < lr.n_imports && add_jsx; i++)
        if (ds_str_eq(lr.imports[i].specifier, DS_STR("react/jsx-runtime")))
            add_jsx = false;

    size_t total = lr.n_imports + (add_jsx ? 1 : 0);
    if (total > UINT32_MAX / 2) { // cannot happen below DS_MAX_FILE_BYTES; keep it a bound
        st = ds_diag_add(&s->diags, DSCAN_WARNING, "limit", path, 0, 0,
                         "not following the imports of '%s': too many", cpath);
        goto out;
    }
    // Positions first, outside the lock, in one pass: the imports come in
    // source order (if not, counting restarts from the top; still correct).
    uint32_t *pos = ds_arena_alloc(&w->scratch, (total ? total : 1) * 2 * sizeof *pos);
    if (!pos) {
        st = DS_ENOMEM;
        goto out;
    }
    uint32_t line = 1;
    size_t at = 0, line_start = 0;
    for (size_t i = 0; i < lr.n_imports; i++) {
        size_t off = lr.imports[i].offset;
        if (off > text.len)
            off = text.len;
        if (off < at) {
            at = 0;
            line = 1;
            line_start = 0;
        }
        // memchr from newline to newline: a byte loop here was 3 % of a
        // scan's instructions (callgrind, bench/realapp).
        while (at < off) {
            const char *nl = memchr(text.ptr + at, '\n', off - at);
            if (!nl) {
                at = off;
                break;
            }
            line++;
            at = (size_t)(nl - text.ptr) + 1;
            line_start = at;
        }
        pos[2 * i] = line;
        pos[2 * i + 1] = (uint32_t)(off - line_start) + 1;
    }

    pthread_mutex_lock(&s->lock);
    if (total)
        imports = ds_arena_alloc(&s->arena, total * sizeof *imports);
    if (total && !imports)
        st = DS_ENOMEM;
    for (size_t i = 0; i < lr.n_imports && st == DS_OK; i++) {
        uint32_t sid;
        st = ds_intern(&s->specs, lr.imports[i].specifier, &sid);
        if (st != DS_OK)
            break;
        imports[n++] = (struct imp){ds_intern_str(&s->specs, sid), pos[2 * i], pos[2 * i + 1],
                                    (uint8_t)lr.imports[i].kind};
    }
    if (st == DS_OK && add_jsx) {
        uint32_t sid;
        st = ds_intern(&s->specs, DS_STR("react/jsx-runtime"), &sid);
        if (st == DS_OK)
            imports[n++] = (struct imp){ds_intern_str(&s->specs, sid), 1, 1, DSCAN_IMPORT_STATIC};
    }
    goto publish; // still holding the lock

out:
    pthread_mutex_lock(&s->lock);
publish:
    if (st != DS_OK) {
        imports = NULL;
        n = 0;
        flags &= F_READ_OK;
    }
    // Publish even on failure: a worker may be waiting for this file.
    file_finish_locked(s, id, imports, n, flags, nbytes);
    pthread_mutex_unlock(&s->lock);
    return st;
}

/* Gets the facts of file `id`, reading it if nobody has. On DS_OK *rec is a
 * copy of the finished record (its imports array never moves). */
static enum ds_status file_facts(struct dscan *s, struct ds_pool_worker *w, uint32_t id,
                                 struct file_rec *rec)
{
    enum ds_status st;
    bool must_read = false;

    pthread_mutex_lock(&s->lock);
    st = file_slot(s, id);
    if (st != DS_OK) {
        pthread_mutex_unlock(&s->lock);
        return st;
    }
    // Another worker is reading it (the other environment, or a pre-scan
    // root also imported): wait for its facts instead of reading it again.
    while (s->files[id].state == FILE_READING)
        pthread_cond_wait(&s->file_done, &s->lock);
    if (s->files[id].state == FILE_UNSEEN) {
        s->files[id].state = FILE_READING;
        if (s->files[id].reads++ > 0)
            s->duplicate_reads++;
        must_read = true;
    }
    pthread_mutex_unlock(&s->lock);

    if (must_read) {
        st = read_and_lex(s, w, id, path_of(s, id));
        if (st != DS_OK)
            return st;
    }
    pthread_mutex_lock(&s->lock);
    *rec = s->files[id];
    pthread_mutex_unlock(&s->lock);
    return DS_OK;
}

/* ---- visiting ----------------------------------------------------------- */

/* New modules found while visiting one module, queued together when the
 * visit ends (or when full): one queue lock and one wake-up per batch. */
#define BATCH       64
#define VISIT_CHUNK 16 /* imports added to the graph under one lock */

struct batch {
    uint64_t items[BATCH];
    size_t n;
};

static enum ds_status flush(struct dscan *s, struct batch *b)
{
    enum ds_status st = b ? ds_pool_push_many(s->pool, b->items, b->n) : DS_OK;

    if (b)
        b->n = 0;
    return st;
}

/* Adds module (id, env) and queues it when new (through `b` when given);
 * `from` is the importer's module index or DS_NO_ID for a root. */
static enum ds_status visit(struct dscan *s, uint32_t id, enum dscan_env env, uint32_t from,
                            struct batch *b)
{
    uint32_t m;
    bool is_new;
    enum ds_status st;

    pthread_mutex_lock(&s->lock);
    st = ds_graph_add(&s->graph, id, env, &m, &is_new);
    if (st == DS_OK && from != DS_NO_ID)
        st = ds_graph_add_edge(&s->graph, from, m);
    if (st == DS_OK && from == DS_NO_ID && !s->graph.mods[m].is_root) {
        s->graph.mods[m].is_root = 1;
        s->n_roots++;
    }
    pthread_mutex_unlock(&s->lock);
    if (st != DS_OK || !is_new)
        return st;
    uint64_t item = ((uint64_t)ITEM_VISIT << 32) | m;
    if (!b)
        return ds_pool_push(s->pool, item);
    if (b->n == BATCH) {
        st = flush(s, b);
        if (st != DS_OK)
            return st;
    }
    b->items[b->n++] = item;
    return DS_OK;
}

/* Adds the modules (ids[i], env) that module `from` imports, in import
 * order, under one acquisition of `lock` (not one per import), and queues
 * the new ones in one push. */
static enum ds_status visit_many(struct dscan *s, const uint32_t *ids, size_t n, enum dscan_env env,
                                 uint32_t from, struct batch *b)
{
    enum ds_status st = DS_OK;

    if (n == 0)
        return DS_OK;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < n && st == DS_OK; i++) {
        uint32_t m;
        bool is_new;
        st = ds_graph_add(&s->graph, ids[i], env, &m, &is_new);
        if (st == DS_OK)
            st = ds_graph_add_edge(&s->graph, from, m);
        if (st == DS_OK && is_new) {
            if (b->n == BATCH) {
                // Pool lock under the scan lock: the documented order.
                st = flush(s, b);
                if (st != DS_OK)
                    break;
            }
            b->items[b->n++] = ((uint64_t)ITEM_VISIT << 32) | m;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return st;
}

static enum ds_status add_unresolved(struct dscan *s, struct ds_str spec, uint32_t importer,
                                     enum dscan_env env, const char *reason)
{
    enum ds_status st;
    struct ds_str why = {0};

    pthread_mutex_lock(&s->lock);
    st = ds_alloc_grow(&s->alloc, (void **)&s->unres, &s->cap_unres, s->n_unres + 1,
                       sizeof *s->unres);
    if (st == DS_OK)
        st = ds_arena_strdup(&s->arena, ds_str_cstr(reason ? reason : "not found"), &why);
    if (st == DS_OK)
        s->unres[s->n_unres++] = (struct unres){spec, importer, (uint8_t)env, why.ptr};
    pthread_mutex_unlock(&s->lock);
    return st;
}

#define READ_AHEAD_PEEK 64 /* queued items looked at for an unread file */

/* Reads and lexes the file of one queued item that nobody has read yet;
 * *did says whether there was one. The item stays queued: its visit later
 * finds the facts ready. Resets the worker's scratch arena, so the caller
 * must keep nothing there (run_visit keeps nothing there past file_facts). */
static enum ds_status read_ahead(struct dscan *s, struct ds_pool_worker *w, bool *did)
{
    uint64_t items[READ_AHEAD_PEEK];
    size_t n = ds_pool_peek(s->pool, items, READ_AHEAD_PEEK);
    uint32_t id = DS_NO_ID;

    *did = false;
    // One look at the queue and one at the files, however many items.
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < n && id == DS_NO_ID; i++) {
        uint32_t x = (uint32_t)items[i];
        if ((items[i] >> 32) == ITEM_VISIT)
            x = s->graph.mods[x].path_id;
        if (x >= s->files_cap || s->files[x].state == FILE_UNSEEN)
            id = x;
    }
    pthread_mutex_unlock(&s->lock);
    if (id == DS_NO_ID)
        return DS_OK;
    struct file_rec rec;
    enum ds_status st = file_facts(s, w, id, &rec);
    ds_arena_reset(&w->scratch);
    *did = true;
    return st;
}

/* ds_resolve, but while another worker holds the resolver for a cold
 * resolution, this one reads queued files instead of sleeping on its lock
 * (on a loaded machine the holder can be descheduled for milliseconds).
 * With one worker the lock is never busy, so -j 1 never reads ahead. */
static enum ds_status resolve_or_read_ahead(struct dscan *s, struct ds_pool_worker *w,
                                            struct ds_str importer, const struct imp *im,
                                            enum dscan_env env, struct ds_resolution *res)
{
    enum dscan_import_kind kind = (enum dscan_import_kind)im->kind;
    bool busy, did;
    enum ds_status st = ds_resolve_try(s->resolver, importer, im->spec, env, kind, res, &busy);

    while (st == DS_OK && busy) {
        st = read_ahead(s, w, &did);
        if (st != DS_OK)
            break;
        if (!did)
            return ds_resolve(s->resolver, importer, im->spec, env, kind, res);
        st = ds_resolve_try(s->resolver, importer, im->spec, env, kind, res, &busy);
    }
    return st;
}

static enum ds_status run_visit(struct dscan *s, struct ds_pool_worker *w, uint32_t m)
{
    struct ds_module mod;
    struct file_rec rec;
    struct batch b = {.n = 0};
    enum ds_status st;

    pthread_mutex_lock(&s->lock);
    mod = s->graph.mods[m];
    pthread_mutex_unlock(&s->lock);

    st = file_facts(s, w, mod.path_id, &rec);
    if (st != DS_OK)
        return st;
    // SPEC §4.2: the directive decides the module's own environment; "use
    // client" wins over "use server" (§4.3).
    enum dscan_env env = (rec.flags & F_USE_CLIENT)   ? DSCAN_ENV_CLIENT
                         : (rec.flags & F_USE_SERVER) ? DSCAN_ENV_WORKER
                                                      : (enum dscan_env)mod.env;
    struct ds_str importer = path_of(s, mod.path_id);
    // The scripts this module imports, added to the graph VISIT_CHUNK at a time.
    uint32_t found[VISIT_CHUNK];
    size_t n_found = 0;

    for (uint32_t i = 0; i < rec.n_imports; i++) {
        const struct imp *im = &rec.imports[i];
        struct ds_resolution res;

        if (ds_scan_skip_query(im->spec))
            continue;
        st = resolve_or_read_ahead(s, w, importer, im, env, &res);
        if (st == DS_ELIMIT) {
            st = ds_diag_add(&s->diags, DSCAN_WARNING, "limit", importer, im->line, im->col,
                             "cannot resolve '%.*s' from '%.*s': limit exceeded",
                             DS_STR_FMT(im->spec), DS_STR_FMT(importer));
            if (st != DS_OK)
                return st;
            continue;
        }
        if (st != DS_OK)
            return st;
        // A spelling that differs from the file on disk only in letter case
        // works on macOS and fails on Linux: warn as esbuild does, whether
        // the resolver then found the file or not.
        if (res.case_mismatch) {
            st = ds_diag_add(&s->diags, DSCAN_WARNING, "case", importer, im->line, im->col,
                             "import '%.*s' in '%.*s' differs in letter case from the file on "
                             "disk%s%s",
                             DS_STR_FMT(im->spec), DS_STR_FMT(importer),
                             res.kind == DS_RES_NOT_FOUND && res.reason ? ": " : "",
                             res.kind == DS_RES_NOT_FOUND && res.reason ? res.reason : "");
            if (st != DS_OK)
                return st;
        }
        switch (res.kind) {
        case DS_RES_FILE:
            // SPEC §4.5: assets (.css, .svg, .json …) are resolved but never read.
            if (!res.script)
                break;
            found[n_found++] = res.path_id;
            // A barrel (lucide-react: 1,637 re-exports) must not keep the
            // other workers idle until its last import is resolved: queue
            // what it found every VISIT_CHUNK imports.
            if (n_found == VISIT_CHUNK) {
                st = visit_many(s, found, n_found, env, m, &b);
                if (st == DS_OK)
                    st = flush(s, &b);
                n_found = 0;
            }
            break;
        case DS_RES_NOT_FOUND:
            st = add_unresolved(s, im->spec, mod.path_id, env, res.reason);
            break;
        case DS_RES_EMPTY:
        case DS_RES_EXTERNAL: break;
        }
        if (st != DS_OK)
            return st;
    }
    st = visit_many(s, found, n_found, env, m, &b);
    if (st != DS_OK)
        return st;
    return flush(s, &b);
}

/* A pre-scan candidate: a root if it has a directive, in the environment the
 * directive names (SPEC §4.1, §4.2). */
static enum ds_status run_prescan(struct dscan *s, struct ds_pool_worker *w, uint32_t id)
{
    struct file_rec rec;
    enum ds_status st = file_facts(s, w, id, &rec);

    if (st != DS_OK)
        return st;
    if (rec.flags & F_USE_CLIENT)
        return visit(s, id, DSCAN_ENV_CLIENT, DS_NO_ID, NULL);
    if (rec.flags & F_USE_SERVER)
        return visit(s, id, DSCAN_ENV_WORKER, DS_NO_ID, NULL);
    return DS_OK;
}

static enum ds_status run_item(void *ctx, struct ds_pool_worker *w, uint64_t item)
{
    struct dscan *s = ctx;
    uint32_t id = (uint32_t)item;

    if ((item >> 32) == ITEM_PRESCAN)
        return run_prescan(s, w, id);
    return run_visit(s, w, id);
}

static void emit(struct dscan *s, enum dscan_event_kind kind);

static enum ds_status on_candidate(void *ctx, struct ds_str path)
{
    struct dscan *s = ctx;
    uint32_t id;
    enum ds_status st;

    // The walk runs on the coordinating thread before it waits on the pool;
    // a big srcDir must not silence the ticks meanwhile.
    if (s->on_event && s->tick_ms && since(&s->t0) >= s->next_tick_s) {
        emit(s, DSCAN_EVENT_TICK);
        s->next_tick_s = since(&s->t0) + s->tick_ms / 1000.0;
    }
    st = ds_resolver_realpath(s->resolver, path, &id);

    // A dangling link or a file removed since readdir: nothing to scan.
    if (st == DS_ENOENT || st == DS_ELOOP)
        return DS_OK;
    if (st != DS_OK)
        return st;
    return ds_pool_push(s->pool, ((uint64_t)ITEM_PRESCAN << 32) | id);
}

/* ---- ticks -------------------------------------------------------------- */

static void emit(struct dscan *s, enum dscan_event_kind kind)
{
    struct dscan_event ev = {.kind = kind};
    struct ds_proc_mem mem;

    ds_proc_mem(&mem);
    ev.t_s = since(&s->t0);
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
    emit(ctx, DSCAN_EVENT_TICK);
}

/* ---- building the result ------------------------------------------------ */

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t sort_unique(const char **v, size_t n)
{
    size_t k = 0;

    qsort(v, n, sizeof *v, cmp_cstr);
    for (size_t i = 0; i < n; i++)
        if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
            v[k++] = v[i];
    return k;
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

static enum ds_status build_result(struct dscan *s)
{
    size_t n = s->graph.n;
    enum ds_status st = module_paths(s, &s->mod_path);

    if (st != DS_OK)
        return st;
    s->client = ds_arena_alloc(&s->arena, (n ? n : 1) * sizeof *s->client);
    s->server = ds_arena_alloc(&s->arena, (n ? n : 1) * sizeof *s->server);
    if (!s->client || !s->server)
        return DS_ENOMEM;
    // SPEC §3/§4.3: a file is in `client` if it says "use client",
    // in `server` if it says only "use server", whichever env reached it.
    for (size_t m = 0; m < n; m++) {
        uint8_t f = s->files[s->graph.mods[m].path_id].flags;
        if (f & F_USE_CLIENT)
            s->client[s->n_client++] = s->mod_path[m];
        else if (f & F_USE_SERVER)
            s->server[s->n_server++] = s->mod_path[m];
    }
    s->n_client = sort_unique(s->client, s->n_client);

    // Interned paths are NUL-terminated and outlive the result: no copies.
    s->read_list =
        ds_arena_alloc(&s->arena, (s->files_read ? s->files_read : 1) * sizeof *s->read_list);
    if (!s->read_list)
        return DS_ENOMEM;
    for (size_t id = 0; id < s->files_cap && s->n_read < s->files_read; id++)
        if (s->files[id].reads && s->files[id].flags & F_READ_OK)
            s->read_list[s->n_read++] = ds_intern_str(&s->paths, (uint32_t)id).ptr;
    s->n_read = sort_unique(s->read_list, s->n_read);
    s->n_server = sort_unique(s->server, s->n_server);

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
    qsort(s->unresolved, s->n_unres, sizeof *s->unresolved, cmp_unresolved);
    for (size_t i = 0; i < s->n_unres; i++)
        if (s->n_unresolved == 0 ||
            cmp_unresolved(&s->unresolved[s->n_unresolved - 1], &s->unresolved[i]) != 0)
            s->unresolved[s->n_unresolved++] = s->unresolved[i];

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

/* ---- the run ------------------------------------------------------------ */

static void scan_free(struct dscan *s)
{
    const struct dscan_allocator *user;

    if (!s)
        return;
    ds_pool_free(s->pool);
    ds_resolver_free(s->resolver);
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
    user = s->user;
    if (user)
        user->free(user->ctx, s);
    else
        free(s);
}

void dscan_free(struct dscan *scan)
{
    scan_free(scan);
}

static unsigned pick_threads(const struct dscan_options *opts)
{
    long n = opts->threads;

    // An explicit count is honoured up to the pool's own bound; the default
    // stops at 8, past which reading and lexing no longer get faster.
    if (n > 0)
        return n > MAX_EXPLICIT_THREADS ? MAX_EXPLICIT_THREADS : (unsigned)n;
    n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return n > MAX_THREADS ? MAX_THREADS : (unsigned)n;
}

/* Entries: the config's (explicit), else the first src/worker.* that exists. */
static enum ds_status add_entries(struct dscan *s, struct dscan_error *err)
{
    static const char *const defaults[] = {"src/worker.tsx", "src/worker.ts", "src/worker.jsx",
                                           "src/worker.js"};
    char buf[DS_MAX_PATH + 1];
    uint32_t id;
    enum ds_status st;

    for (size_t i = 0; i < s->cfg->entries.n; i++) {
        struct ds_str e = s->cfg->entries.items[i];
        st = ds_resolver_realpath(s->resolver, e, &id);
        if (st == DS_ENOENT || st == DS_ELOOP || st == DS_EIO) {
            const char *why = dscan_status_message((enum dscan_status)st);
            struct stat sb;
            // A FIFO or a directory given as the entry exists: say what it is
            // (hostile_fifo_as_entry_is_an_error_naming_it).
            if (st == DS_ENOENT && ds_str_to_cstr(e, buf, sizeof buf) && stat(buf, &sb) == 0)
                why = S_ISDIR(sb.st_mode) ? "is a directory" : "not a regular file";
            return ds_error_set(err, DS_ENOENT, 0, "cannot find entry '%.*s': %s", DS_STR_FMT(e),
                                why);
        }
        if (st != DS_OK)
            return st;
        st = visit(s, id, DSCAN_ENV_WORKER, DS_NO_ID, NULL);
        if (st != DS_OK)
            return st;
    }
    if (s->cfg->entries.n)
        return DS_OK;
    for (size_t i = 0; i < DS_ARRAY_LEN(defaults); i++) {
        int len = snprintf(buf, sizeof buf, "%.*s/%s", DS_STR_FMT(s->root), defaults[i]);
        if (len < 0 || (size_t)len >= sizeof buf)
            continue;
        st = ds_resolver_realpath(s->resolver, ds_str_make(buf, (size_t)len), &id);
        if (st == DS_ENOENT || st == DS_ELOOP || st == DS_EIO)
            continue;
        if (st != DS_OK)
            return st;
        return visit(s, id, DSCAN_ENV_WORKER, DS_NO_ID, NULL);
    }
    return DS_OK;
}

static enum ds_status oom(struct dscan_error *err, enum ds_status st)
{
    if (st == DS_ENOMEM)
        return ds_error_set(err, st, 0, "out of memory%s", "");
    return ds_error_set(err, st, 0, "scan failed: %s", dscan_status_message((enum dscan_status)st));
}

enum dscan_status dscan_run(const struct dscan_options *opts, struct dscan **out,
                            struct dscan_error *err)
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
    if (!opts || !out)
        return (enum dscan_status)ds_error_set(err, DS_EINVAL, 0, "dscan_run: %s",
                                               !opts ? "no options" : "no result pointer");
    *out = NULL;
    s = opts->alloc ? opts->alloc->malloc(opts->alloc->ctx, sizeof *s) : malloc(sizeof *s);
    if (!s)
        return (enum dscan_status)oom(err, DS_ENOMEM);
    memset(s, 0, sizeof *s);
    s->user = opts->alloc;
    clock_gettime(CLOCK_MONOTONIC, &s->t0);
    s->cpu0_ms = cpu_ms();
    ds_alloc_init(&s->alloc, opts->alloc, opts->memory_limit);
    ds_arena_init(&s->arena, &s->alloc, 64 * 1024);
    ds_arena_init(&s->paths_arena, &s->alloc, 64 * 1024);
    ds_interner_init(&s->paths, &s->paths_arena);
    ds_interner_init(&s->specs, &s->arena);
    ds_graph_init(&s->graph, &s->alloc, opts->keep_edges);
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

    st = ds_config_load(&s->alloc, opts, &s->cfg, err);
    // The loader names the file for a bad config, but leaves the message
    // empty when an allocation fails (hostile_oom_every_allocation_rich_project).
    if (st != DS_OK && st != DS_ENOMEM && err->message[0])
        goto fail_keep_msg;
    if (st != DS_OK)
        goto fail;
    s->root = s->cfg->root;
    st = ds_resolver_new(&s->alloc, s->cfg, &s->paths, &s->paths_lock, &s->diags, &s->resolver);
    if (st != DS_OK)
        goto fail;
    s->stats.threads = pick_threads(opts);
    st = ds_pool_new(&s->alloc, s->stats.threads, SCRATCH_BLOCK, run_item, s, &s->pool);
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
        st = ds_prescan_walk(&s->alloc, s->cfg->src_dir, &s->diags, on_candidate, s);
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
    st = build_result(s);
    if (st != DS_OK)
        goto fail;
    // The caches served their purpose; the result needs only the arenas.
    ds_resolver_free(s->resolver);
    s->resolver = NULL;

    ds_proc_mem(&mem);
    s->stats.modules = s->graph.n;
    s->stats.files_read = s->files_read;
    s->stats.bytes_read = s->bytes_read;
    s->stats.duplicate_reads = s->duplicate_reads;
    s->stats.resolve_calls = rstats.resolve_calls;
    s->stats.stat_calls = rstats.stat_calls;
    s->stats.diagnostics = s->n_diag;
    s->stats.paths_interned = s->paths.n;
    s->stats.wall_ms = since(&s->t0) * 1000.0;
    s->stats.cpu_ms = cpu_ms() - s->cpu0_ms;
    s->stats.peak_rss_kb = mem.peak_kb;
    s->stats.peak_heap_bytes = atomic_load(&s->alloc.peak);
    if (s->on_event)
        emit(s, DSCAN_EVENT_DONE);
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
    *out = s->stats;
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
    st = ds_graph_bfs(&s->graph, rank, &s->why_parent);
    ds_alloc_free(&s->alloc, r);
    ds_alloc_free(&s->alloc, rank);
    return st;
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
        return DSCAN_EINVAL;
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
        if (strlen(path) > DS_MAX_PATH || !realpath(path, real))
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
    for (uint32_t m = best; m != DS_NO_ID; m = s->why_parent[m])
        out[--i] = (struct dscan_chain_step){s->mod_path[m], (enum dscan_env)s->graph.mods[m].env};
    *steps = out;
    *n_steps = best_len;
    return DSCAN_OK;
}
