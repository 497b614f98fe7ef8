/* Per-file facts of the scan: the first visit of a file reads it into the
 * worker's scratch arena, lexes it, and keeps only the derived facts
 * (directive flags, the specifiers with their kinds and positions) in the
 * scan arena, by path id; the text is dropped when the scratch arena is
 * reset. A second visit (the other environment, or a pre-scan root also
 * imported) waits for or reuses those facts, so each file is read at most
 * once; `duplicate_reads` counts the times that rule would have been broken
 * (a per-file read counter, bumped under the lock before every read).
 *
 * Two steps per file: lex_file works outside every lock (read, lex, report
 * problems, compute positions); publish takes `lock` once to intern the
 * specifiers, store the record and wake the waiters — on success and on
 * failure alike, since a worker may be waiting for this file. */
#include "lang.h"
#include "lex.h"
#include "lines.h"
#include "lint.h"
#include "readfile.h"
#include "scan_int.h"

/* What lex_file found, in the worker's scratch arena. */
struct lexed {
    struct ds_lex_result lr;
    uint32_t *pos; /* line, col per import */
    uint8_t flags;
    uint64_t bytes;
    bool has_imports; /* lr and pos are valid */
};

struct ds_str ds_scan_path_of(struct dscan *s, uint32_t id)
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

/* Whether publish() keeps a file's names, exports and barrel flag: only
 * for a report (SPEC §5a) and precise mode (§4.10). */
static bool keeps_names(const struct dscan *s)
{
    return s->want_report || s->precise;
}

/* Reports the lexer's problems (the first MAX_PROBLEMS_SHOWN) and computes
 * each import's line and column, outside the lock. */
static enum ds_status positions(struct dscan *s, struct ds_pool_worker *w, struct ds_str path,
                                const char *cpath, struct ds_str text, struct lexed *lx)
{
    const struct ds_lex_result *lr = &lx->lr;
    struct ds_line_cursor cur;
    enum ds_status st;

    for (size_t i = 0; i < lr->n_problems && i < MAX_PROBLEMS_SHOWN; i++) {
        unsigned line, col;
        ds_line_col(text.ptr, text.len, lr->problems[i].offset, &line, &col);
        st = ds_diag_add(&s->diags, DSCAN_WARNING, "parse", path, line, col,
                         "cannot parse '%s': %s at %u:%u", cpath, lr->problems[i].what, line, col);
        if (st != DS_OK)
            return st;
    }
    if (lr->n_imports > UINT32_MAX / 2) // cannot happen below DS_MAX_FILE_BYTES; keep it a bound
        return ds_diag_add(&s->diags, DSCAN_WARNING, "limit", path, 0, 0,
                           "not following the imports of '%s': too many", cpath);
    lx->pos =
        ds_arena_alloc(&w->scratch, (lr->n_imports ? lr->n_imports : 1) * 2 * sizeof *lx->pos);
    if (!lx->pos)
        return DS_ENOMEM;
    // The imports come in source order, so one pass counts every newline once.
    ds_line_cursor_init(&cur, text.ptr, text.len);
    for (size_t i = 0; i < lr->n_imports; i++) {
        unsigned line, col;
        ds_line_cursor_at(&cur, lr->imports[i].offset, &line, &col);
        lx->pos[2 * i] = line;
        lx->pos[2 * i + 1] = col;
    }
    lx->has_imports = true;
    return DS_OK;
}

/* Reads and lexes `path`. Only DS_ENOMEM fails; a file that cannot be read
 * or lexed becomes a diagnostic and facts without imports. */
static enum ds_status lex_file(struct dscan *s, struct ds_pool_worker *w, struct ds_str path,
                               struct lexed *lx)
{
    char cpath[DS_MAX_PATH + 1];
    struct ds_str text;
    struct ds_read_error why;
    enum ds_status st;

    *lx = (struct lexed){0};
    if (!ds_str_to_cstr(path, cpath, sizeof cpath))
        return ds_diag_add(&s->diags, DSCAN_WARNING, "limit", path, 0, 0,
                           "cannot read '%.*s': path too long", DS_STR_FMT(path));
    st = s->cfg->sys->read_file(s->cfg->sys->ctx, cpath, DS_MAX_FILE_BYTES, &w->scratch, &text,
                                &why);
    if (st == DS_ENOMEM)
        return st;
    if (st != DS_OK)
        return ds_diag_add(&s->diags, DSCAN_WARNING, st == DS_ELIMIT ? "limit" : "read", path, 0, 0,
                           "cannot read '%s': %s", cpath, why.reason);
    lx->flags |= F_READ_OK; // counted when the facts are published
    lx->bytes = text.len;

    // MDX: mdx.c lists react/jsx-runtime, the import its compiled JSX makes
    // (SPEC §4.4), so nothing is added here. Names and exports only for
    // what publish() keeps them for: the lexer skips their work otherwise.
    st = ds_lex_for(text.ptr, text.len, ds_lang_of_path(path),
                    keeps_names(s) ? DS_LEX_NAMES : DS_LEX_IMPORTS, &w->scratch, &lx->lr);
    if (st == DS_ENOMEM)
        return st;
    if (st != DS_OK)
        // The lexer promises only ENOMEM; anything else still costs one file,
        // never the scan (SPEC §4.8).
        return ds_diag_add(&s->diags, DSCAN_WARNING, "parse", path, 0, 0, "cannot lex '%s': %s",
                           cpath, dscan_status_message((enum dscan_status)st));
    // Directive mistakes (SPEC §4.9): one warning each, with the file once.
    st = ds_lint_report(&s->diags, &w->scratch, s->root, path, text, &lx->lr);
    if (st != DS_OK)
        return st;
    if (lx->lr.use_client)
        lx->flags |= F_USE_CLIENT;
    if (lx->lr.use_server)
        lx->flags |= F_USE_SERVER;
    return positions(s, w, path, cpath, text, lx);
}

/* Publishes the facts of `id` (none when st is not DS_OK) and wakes anyone
 * waiting for them: the specifiers, the record and the counters under one
 * acquisition of `lock`. Returns st, or DS_ENOMEM from the interning. */
static enum ds_status publish(struct dscan *s, uint32_t id, const struct lexed *lx,
                              enum ds_status st)
{
    struct imp *imports = NULL;
    uint32_t n = 0;
    uint8_t flags = lx->flags;
    size_t total = st == DS_OK && lx->has_imports ? lx->lr.n_imports : 0;

    pthread_mutex_lock(&s->lock);
    if (total && !(imports = ds_arena_alloc(&s->arena, total * sizeof *imports)))
        st = DS_ENOMEM;
    for (size_t i = 0; i < total && st == DS_OK; i++) {
        uint32_t sid;
        st = ds_intern(&s->specs, lx->lr.imports[i].specifier, &sid);
        if (st == DS_OK)
            imports[n++] = (struct imp){ds_intern_str(&s->specs, sid), lx->pos[2 * i],
                                        lx->pos[2 * i + 1], (uint8_t)lx->lr.imports[i].kind};
    }
    // The report's names and exports (SPEC §5a), and precise mode's (§4.10),
    // only when asked for.
    if (st == DS_OK && lx->has_imports && keeps_names(s))
        st = ds_report_keep_facts(&s->arena, &s->specs, &lx->lr, &s->files[id].facts);
    if (st != DS_OK) {
        imports = NULL;
        s->files[id].facts = NULL;
        n = 0;
        flags &= F_READ_OK;
    } else if (!lx->has_imports) {
        flags &= F_READ_OK | F_USE_CLIENT | F_USE_SERVER;
    }
    if (flags & F_READ_OK) {
        s->files_read++;
        s->bytes_read += lx->bytes;
    }
    s->files[id].imports = imports;
    s->files[id].bytes = flags & F_READ_OK ? (uint32_t)lx->bytes : 0;
    s->files[id].n_imports = n;
    s->files[id].flags = flags;
    s->files[id].state = FILE_DONE;
    pthread_cond_broadcast(&s->file_done);
    // The modules of this file found while it was read: their visits now.
    uint64_t visits[DSCAN_N_ENVS];
    size_t n_visits = s->files[id].n_waiting;
    for (size_t i = 0; i < n_visits; i++)
        visits[i] = ((uint64_t)ITEM_VISIT << 32) | s->files[id].waiting[i];
    s->files[id].n_waiting = 0;
    // Pool lock under the scan lock: the documented order.
    enum ds_status pushed = ds_pool_push_many(s->pool, LANE_VISIT, visits, n_visits);
    pthread_mutex_unlock(&s->lock);
    return st != DS_OK ? st : pushed;
}

enum ds_status ds_scan_queue_module(struct dscan *s, uint32_t m, uint32_t path_id, struct batch *b)
{
    enum ds_status st = file_slot(s, path_id);

    if (st != DS_OK)
        return st;
    struct file_rec *f = s->files + path_id;
    if (f->state == FILE_DONE) {
        b->items[LANE_VISIT][b->n[LANE_VISIT]++] = ((uint64_t)ITEM_VISIT << 32) | m;
        return DS_OK;
    }
    assert(f->n_waiting < DSCAN_N_ENVS); // one module per environment
    f->waiting[f->n_waiting++] = m;
    if (f->state == FILE_UNSEEN && !f->queued) {
        f->queued = true;
        b->items[LANE_READ][b->n[LANE_READ]++] = ((uint64_t)ITEM_READ << 32) | path_id;
    }
    return DS_OK;
}

enum ds_status ds_scan_file_facts(struct dscan *s, struct ds_pool_worker *w, uint32_t id,
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
    } else {
        *rec = s->files[id]; // read already: one hold of the lock, not two
    }
    pthread_mutex_unlock(&s->lock);
    if (!must_read)
        return DS_OK;

    struct lexed lx;
    st = publish(s, id, &lx, lex_file(s, w, ds_scan_path_of(s, id), &lx));
    if (st != DS_OK)
        return st;
    pthread_mutex_lock(&s->lock);
    *rec = s->files[id];
    pthread_mutex_unlock(&s->lock);
    return DS_OK;
}
