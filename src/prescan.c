/* Directory walk for the pre-scan. It keeps an explicit stack of directories
 * (strings in a private arena) instead of recursing, so input depth never
 * touches the C stack, and it bounds nesting at DS_PRESCAN_MAX_DEPTH. It does
 * not sort: the scan sorts its results, so the order of readdir never shows.
 * It does not read file contents. */
#include <errno.h>

#include "lang.h"
#include "prescan.h"

struct pending {
    struct ds_str path;
    unsigned depth;
};

static bool skip_dir(const char *name)
{
    // SPEC §4.1: dot-folders (.git, .wrangler, and "." / "..") and node_modules.
    return name[0] == '.' || strcmp(name, "node_modules") == 0;
}

/* One walk: the stack of directories still to list, and the one being listed. */
struct walk {
    struct ds_alloc *alloc;
    const struct ds_sys *sys;
    struct ds_diags *diags;
    ds_prescan_fn fn;
    void *ctx;
    struct ds_arena names;
    struct pending *stack;
    size_t n, cap;
    struct pending cur;
    char path[DS_MAX_PATH + 1];
};

/* What a symlink names, followed: a file, a directory (not walked: no
 * cycles to guard against), or why it cannot be read. */
static const char *follow(struct walk *w, bool *is_file)
{
    enum ds_sys_type t;
    int err = w->sys->stat(w->sys->ctx, w->path, true, &t);

    if (err)
        return strerror(err);
    if (t == DS_SYS_FILE)
        *is_file = true;
    else if (t != DS_SYS_DIR)
        return "not a regular file";
    return NULL;
}

static enum ds_status on_entry(void *arg, const char *name, size_t nlen, enum ds_sys_type type)
{
    struct walk *w = arg;
    struct ds_str dir = w->cur.path, copy;
    bool is_dir = false, is_file = false;
    enum ds_status st;

    if (dir.len + 1 + nlen > DS_MAX_PATH)
        return ds_diag_add(w->diags, DSCAN_WARNING, "limit", dir, 0, 0,
                           "skipping '%s' in '%.*s': path too long", name, DS_STR_FMT(dir));
    memcpy(w->path, dir.ptr, dir.len);
    w->path[dir.len] = '/';
    memcpy(w->path + dir.len + 1, name, nlen + 1);

    // `bad` says why a script-named entry that is no regular file cannot be
    // read: a FIFO, socket or device (reading one could block or never end),
    // a dangling link (a file deleted between listing and reading looks the
    // same), a link loop.
    const char *bad = NULL;
    if (type == DS_SYS_UNKNOWN) {
        // Some filesystems (old XFS, some FUSE) leave the entry's type empty.
        int err = w->sys->stat(w->sys->ctx, w->path, false, &type);
        if (err)
            bad = strerror(err);
    }
    if (!bad) {
        switch (type) {
        case DS_SYS_DIR: is_dir = true; break;
        case DS_SYS_FILE: is_file = true; break;
        case DS_SYS_LINK: bad = follow(w, &is_file); break;
        default: bad = "not a regular file"; break;
        }
    }

    struct ds_str p = ds_str_make(w->path, dir.len + 1 + nlen);
    if (is_dir) {
        if (skip_dir(name))
            return DS_OK;
        if (w->cur.depth + 1 > DS_PRESCAN_MAX_DEPTH)
            return ds_diag_add(w->diags, DSCAN_WARNING, "limit", p, 0, 0,
                               "not walking '%.*s': more than %d directories deep", DS_STR_FMT(p),
                               DS_PRESCAN_MAX_DEPTH);
        st = ds_arena_strdup(&w->names, p, &copy);
        if (st == DS_OK)
            st = ds_alloc_grow(w->alloc, (void **)&w->stack, &w->cap, w->n + 1, sizeof *w->stack);
        if (st == DS_OK)
            w->stack[w->n++] = (struct pending){copy, w->cur.depth + 1};
        return st;
    }
    if (is_file && ds_lang_is_script(p))
        return w->fn(w->ctx, p);
    if (bad && ds_lang_is_script(p))
        return ds_diag_add(w->diags, DSCAN_WARNING, "read", p, 0, 0, "cannot read '%.*s': %s",
                           DS_STR_FMT(p), bad);
    return DS_OK;
}

enum ds_status ds_prescan_walk(struct ds_alloc *alloc, const struct ds_sys *sys, struct ds_str dir,
                               struct ds_diags *diags, ds_prescan_fn fn, void *ctx)
{
    struct walk w = {
        .alloc = alloc, .sys = sys ? sys : ds_sys_default(), .diags = diags, .fn = fn, .ctx = ctx};
    enum ds_status st = DS_OK;
    struct ds_str copy;

    ds_arena_init(&w.names, alloc, 16 * 1024);
    while (dir.len > 1 && dir.ptr[dir.len - 1] == '/')
        dir.len--;
    st = ds_arena_strdup(&w.names, dir, &copy);
    if (st == DS_OK)
        st = ds_alloc_grow(alloc, (void **)&w.stack, &w.cap, 1, sizeof *w.stack);
    if (st == DS_OK)
        w.stack[w.n++] = (struct pending){copy, 0};

    while (st == DS_OK && w.n > 0) {
        w.cur = w.stack[--w.n];
        int err = w.sys->list_dir(w.sys->ctx, w.cur.path.ptr, on_entry, &w, &st);
        // The root itself may be missing: a project without srcDir simply
        // has no pre-scan roots.
        if (err && !(w.cur.depth == 0 && (err == ENOENT || err == ENOTDIR)))
            st = ds_diag_add(diags, DSCAN_WARNING, "read", w.cur.path, 0, 0,
                             "cannot read directory '%.*s': %s", DS_STR_FMT(w.cur.path),
                             strerror(err));
    }
    ds_alloc_free(alloc, w.stack);
    ds_arena_release(&w.names);
    return st;
}
