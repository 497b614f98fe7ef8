/* Filesystem caches for the resolver. A directory is listed once (through
 * the backend's list_dir, with entry types), and every later question about
 * a name in it — does `x.ts` exist, is `node_modules` a directory, is
 * `Button.tsx` spelled with another case — is a hash lookup in memory. Real
 * paths are built from the parent directory's real path plus the name, so
 * a realpath runs only at an actual symlink, once per link (NOTES:
 * realpath through two links costs three file reads). Directories that
 * cannot be listed (EACCES) are treated as empty. Every system call goes
 * through the `struct ds_sys` given to ds_fs_new (sys.h).
 *
 * Locking: fs.h states the rule. In short, the fs is not thread-safe; its
 * user holds one lock (ds_fs_set_lock) around every call, and the fs drops
 * it only around backend calls (a listing, a read, the lstat/readlink of a
 * symlink) and only at link_depth 0, so the in-progress marks of
 * follow_link are never seen by another thread. Each drop bumps `gen`.
 * A listing in progress is D_LISTING: another thread waits on `listed`
 * (with the same lock) instead of listing again, unless it is itself
 * following a link, when it lists the directory under the lock and the
 * first lister discards its own. Lock order: only the user's lock. */
#include <errno.h>
#include <pthread.h>

#include "fs_int.h"

enum ds_status ds_fs_new(struct ds_alloc *alloc, const struct ds_sys *sys, struct ds_fs **out)
{
    struct ds_fs *fs = ds_alloc_calloc(alloc, 1, sizeof *fs);
    uint32_t id;

    if (!fs)
        return DS_ENOMEM;
    fs->alloc = alloc;
    fs->sys = sys ? sys : ds_sys_default();
    ds_arena_init(&fs->arena, alloc, 64 * 1024);
    ds_interner_init(&fs->names, &fs->arena);
    if (pthread_cond_init(&fs->listed, NULL) != 0)
        goto fail;
    fs->has_cond = true;
    // The root is a directory and its own real path: every walk starts here.
    if (ds_intern(&fs->names, DS_STR("/"), &id) != DS_OK ||
        ds_alloc_grow(alloc, (void **)&fs->name_info, &fs->name_cap, 1, sizeof *fs->name_info) !=
            DS_OK ||
        ds_alloc_grow(alloc, (void **)&fs->dirs, &fs->dirs_cap, 1, sizeof *fs->dirs) != DS_OK)
        goto fail;
    fs->dirs[0] = (struct fs_dir){.path = ds_intern_str(&fs->names, id)};
    fs->n_dirs = 1;
    fs->name_info[id] = (struct fs_name){.dir = 0, .real = 1};
    *out = fs;
    return DS_OK;
fail:
    ds_fs_free(fs);
    return DS_ENOMEM;
}

void ds_fs_free(struct ds_fs *fs)
{
    if (!fs)
        return;
    if (fs->has_cond)
        pthread_cond_destroy(&fs->listed);
    ds_interner_release(&fs->names);
    ds_alloc_free(fs->alloc, fs->name_info);
    ds_alloc_free(fs->alloc, fs->dirs);
    ds_alloc_free(fs->alloc, fs->link_reals);
    ds_arena_release(&fs->arena);
    ds_alloc_free(fs->alloc, fs);
}

void ds_fs_set_lock(struct ds_fs *fs, pthread_mutex_t *lock, pthread_rwlock_t *gate)
{
    fs->lock = lock;
    fs->gate = lock ? gate : NULL;
}

uint64_t ds_fs_generation(const struct ds_fs *fs)
{
    return fs->gen;
}

void ds_fs_unlock(struct ds_fs *fs)
{
    if (fs->lock)
        ds_fs_drop_lock(fs);
}

void ds_fs_relock(struct ds_fs *fs)
{
    if (fs->lock)
        ds_fs_retake_lock(fs);
}

void ds_fs_get_stats(const struct ds_fs *fs, struct ds_fs_stats *out)
{
    *out = fs->stats;
}

/* The directory record for real path `real`, creating it. */
enum ds_status ds_fs_dir_for_real(struct ds_fs *fs, struct ds_str real, uint32_t *out)
{
    uint32_t id;
    size_t before = fs->names.n;
    enum ds_status st = ds_intern(&fs->names, real, &id);

    if (st != DS_OK)
        return st;
    if (fs->names.n == before && fs->name_info[id].dir != DS_NO_ID) {
        *out = fs->name_info[id].dir;
        return DS_OK;
    }
    st = ds_alloc_grow(fs->alloc, (void **)&fs->name_info, &fs->name_cap, fs->names.n,
                       sizeof *fs->name_info);
    if (st == DS_OK)
        st = ds_alloc_grow(fs->alloc, (void **)&fs->dirs, &fs->dirs_cap, fs->n_dirs + 1,
                           sizeof *fs->dirs);
    if (st != DS_OK)
        return st;
    uint32_t d = (uint32_t)fs->n_dirs++;
    fs->dirs[d] = (struct fs_dir){.path = ds_intern_str(&fs->names, id)};
    fs->name_info[id] = (struct fs_name){.dir = d, .real = 1};
    *out = d;
    return DS_OK;
}

/* Is what the fs remembers of spelled path `p` still valid? DS_NO_ID if not. */
uint32_t ds_fs_known_name(const struct ds_fs *fs, struct ds_str p)
{
    uint32_t id = ds_intern_find(&fs->names, p);

    if (id == DS_NO_ID || fs->name_info[id].real || fs->name_info[id].epoch == fs->epoch)
        return id;
    return DS_NO_ID;
}

/* Entry `name` of directory d (NULL when absent) with its kind known: an
 * entry the listing did not type is stat'ed, a symlink followed. */
static inline enum ds_status find_known(struct ds_fs *fs, enum ds_fs_access how, uint32_t d,
                                        struct ds_str name, struct fs_ent **e)
{
    enum ds_status st = ds_fs_find_ent(fs, how, d, name, e);

    if (st != DS_OK || !*e || ((*e)->type != E_UNKNOWN && (*e)->type != E_LINK))
        return st;
    return how == DS_FS_PEEK ? DS_EFILL : ds_fs_follow_link(fs, d, *e);
}

/* The record of directory `real`, as ds_fs_dir_for_real, but only one that
 * exists (THE PEEK RULE). */
static enum ds_status dir_record(struct ds_fs *fs, enum ds_fs_access how, struct ds_str real,
                                 uint32_t *out)
{
    if (how == DS_FS_FILL)
        return ds_fs_dir_for_real(fs, real, out);
    uint32_t id = ds_intern_find(&fs->names, real);
    if (id == DS_NO_ID || fs->name_info[id].dir == DS_NO_ID)
        return DS_EFILL;
    *out = fs->name_info[id].dir;
    return DS_OK;
}

/* Records that spelled directory path `p` is directory d (or none). */
static enum ds_status remember(struct ds_fs *fs, struct ds_str p, uint32_t d, bool loop)
{
    uint32_t id;
    size_t before = fs->names.n;
    enum ds_status st = ds_intern(&fs->names, p, &id);

    if (st != DS_OK)
        return st;
    if (fs->names.n == before) {
        // Known already; a stale memo (invalidation) is replaced, a real
        // directory's record is kept.
        if (!fs->name_info[id].real && fs->name_info[id].epoch != fs->epoch)
            fs->name_info[id] = (struct fs_name){.dir = d, .loop = loop, .epoch = fs->epoch};
        return DS_OK;
    }
    st = ds_alloc_grow(fs->alloc, (void **)&fs->name_info, &fs->name_cap, fs->names.n,
                       sizeof *fs->name_info);
    if (st != DS_OK)
        return st;
    fs->name_info[id] = (struct fs_name){.dir = d, .loop = loop, .epoch = fs->epoch};
    return DS_OK;
}

/* The directory that spelled path `path` names: walks from the longest prefix
 * already known, one listing lookup per new component. A peek remembers
 * nothing it learns on the way. */
static enum ds_status dir_of(struct ds_fs *fs, enum ds_fs_access how, struct ds_str path,
                             uint32_t *out, bool *loop)
{
    size_t end = path.len;
    uint32_t d = DS_NO_ID;
    enum ds_status st;

    *loop = false;
    if (path.len == 0 || path.ptr[0] != '/') {
        *out = DS_NO_ID;
        return DS_OK;
    }
    for (unsigned i = 0; i < N_LAST_DIRS; i++) {
        const struct fs_last_dir *m = &fs->last[i];
        if (path.len == m->len && ds_mem_eq(path.ptr, m->path, path.len)) {
            *out = m->dir;
            *loop = m->loop;
            return DS_OK;
        }
    }
    for (;;) {
        struct ds_str p = end == 0 ? DS_STR("/") : ds_str_slice(path, 0, end);
        uint32_t id = ds_fs_known_name(fs, p);
        if (id != DS_NO_ID) {
            d = fs->name_info[id].dir;
            *loop = fs->name_info[id].loop;
            break;
        }
        while (end > 0 && path.ptr[end - 1] != '/')
            end--;
        if (end > 0)
            end--; // drop the '/' too
    }
    while (end < path.len && d != DS_NO_ID) {
        size_t start = end + 1, stop = start;
        while (stop < path.len && path.ptr[stop] != '/')
            stop++;
        struct ds_str name = ds_str_slice(path, start, stop);
        struct fs_ent *e;
        uint32_t next = DS_NO_ID;
        st = find_known(fs, how, d, name, &e);
        if (st != DS_OK)
            return st;
        if (e && e->type == E_DIR) {
            char real[DS_MAX_PATH + 1];
            if (!ds_path_join_name(fs->dirs[d].path, name, real, sizeof real)) {
                d = DS_NO_ID;
                break;
            }
            st = dir_record(fs, how, ds_str_cstr(real), &next);
            if (st != DS_OK)
                return st;
        } else if (e && e->type == E_LINK_DIR) {
            next = e->aux;
        } else if (e && e->type == E_LINK_LOOP) {
            *loop = true;
        }
        d = next;
        end = stop;
        st = how == DS_FS_FILL ? remember(fs, ds_str_slice(path, 0, end), d, *loop) : DS_OK;
        if (st != DS_OK)
            return st;
    }
    *out = d;
    if (how == DS_FS_FILL && path.len <= DS_MAX_PATH) {
        struct fs_last_dir *m = &fs->last[fs->last_next];
        fs->last_next = (fs->last_next + 1) % N_LAST_DIRS;
        ds_copy(m->path, path.ptr, path.len);
        m->len = path.len;
        m->dir = d;
        m->loop = *loop;
    }
    return DS_OK;
}

/* Splits a path into its directory's record and its entry. *e is NULL when
 * the parent is not a directory or has no such entry. */
enum ds_status ds_fs_lookup(struct ds_fs *fs, enum ds_fs_access how, struct ds_str path,
                            uint32_t *d_out, struct fs_ent **e_out, bool *loop)
{
    uint32_t d;
    enum ds_status st;

    *e_out = NULL;
    *d_out = DS_NO_ID;
    size_t slash = ds_str_rfind(path, '/');
    if (slash == path.len)
        return DS_OK;
    st = dir_of(fs, how, slash == 0 ? DS_STR("/") : ds_str_slice(path, 0, slash), &d, loop);
    if (st != DS_OK || d == DS_NO_ID)
        return st;
    st = find_known(fs, how, d, ds_str_slice(path, slash + 1, path.len), e_out);
    *d_out = d;
    return st;
}

enum ds_status ds_fs_invalidate_dir(struct ds_fs *fs, struct ds_str real)
{
    uint32_t id = ds_intern_find(&fs->names, real);

    fs->epoch++;
    for (unsigned i = 0; i < N_LAST_DIRS; i++)
        fs->last[i].len = 0;
    // Where a link leads may have changed with `real`: every followed link
    // is followed again when next met (a pass over all listings; a watcher's
    // events are rare next to lookups).
    for (size_t d = 0; d < fs->n_dirs; d++)
        for (uint32_t i = 0; i < fs->dirs[d].n_ents; i++) {
            struct fs_ent *e = &fs->dirs[d].ents[i];
            if (e->type >= E_LINK_FILE) {
                e->type = E_LINK;
                e->aux = DS_NO_ID;
            }
        }
    if (id == DS_NO_ID || !fs->name_info[id].real)
        return DS_OK; // never listed: nothing to forget but the memos
    struct fs_dir *dir = &fs->dirs[fs->name_info[id].dir];
    dir->listing_epoch++; // a listing in progress is not taken as current
    if (dir->state == D_LISTED)
        *dir = (struct fs_dir){.path = dir->path, .listing_epoch = dir->listing_epoch};
    return DS_OK;
}

enum ds_status ds_fs_add_real_dir(struct ds_fs *fs, struct ds_str real)
{
    uint32_t d;

    if (real.len < 2 || real.len > DS_MAX_PATH || real.ptr[0] != '/')
        return DS_OK;
    return ds_fs_dir_for_real(fs, real, &d);
}

static enum ds_fs_type entry_type(const struct fs_ent *e, bool loop)
{
    if (!e)
        return loop ? DS_FS_LOOP : DS_FS_NONE;
    switch (e->type) {
    case E_FILE:
    case E_LINK_FILE: return DS_FS_FILE;
    case E_DIR:
    case E_LINK_DIR: return DS_FS_DIR;
    case E_LINK_LOOP: return DS_FS_LOOP;
    case E_OTHER: return DS_FS_OTHER;
    default: return DS_FS_NONE;
    }
}

/* The real path of entry e of directory d (found by ds_fs_lookup). */
static enum ds_status entry_real(struct ds_fs *fs, enum ds_fs_access how, uint32_t d,
                                 struct fs_ent *e, char *buf, size_t cap, struct ds_str *out)
{
    enum ds_status st;
    struct ds_str real;

    switch (e->type) {
    case E_FILE:
    case E_DIR:
    case E_OTHER:
        if (!ds_path_join_name(fs->dirs[d].path, ds_str_make(e->name, e->len), buf, cap))
            return DS_ELIMIT;
        *out = ds_str_cstr(buf);
        return DS_OK;
    case E_LINK_DIR: real = fs->dirs[e->aux].path; goto copy;
    case E_LINK_FILE:
        if (e->aux == DS_NO_ID) {
            if (how == DS_FS_PEEK)
                return DS_EFILL;
            char full[DS_MAX_PATH + 1], r[DS_MAX_PATH + 1];
            struct ds_str keep;
            if (!ds_path_join_name(fs->dirs[d].path, ds_str_make(e->name, e->len), full,
                                   sizeof full))
                return DS_ELIMIT;
            fs->stats.syscalls++;
            int err = fs->sys->realpath(fs->sys->ctx, full, r, sizeof r);
            if (err)
                return err == ELOOP ? DS_ELOOP : err == ENAMETOOLONG ? DS_ELIMIT : DS_ENOENT;
            st = ds_alloc_grow(fs->alloc, (void **)&fs->link_reals, &fs->link_reals_cap,
                               fs->n_link_reals + 1, sizeof *fs->link_reals);
            if (st == DS_OK)
                st = ds_arena_strdup(&fs->arena, ds_str_cstr(r), &keep);
            if (st != DS_OK)
                return st;
            e->aux = (uint32_t)fs->n_link_reals;
            fs->link_reals[fs->n_link_reals++] = keep;
        }
        real = fs->link_reals[e->aux];
        goto copy;
    case E_LINK_LOOP: return DS_ELOOP;
    default: return DS_ENOENT;
    }
copy:
    if (!ds_str_to_cstr(real, buf, cap))
        return DS_ELIMIT;
    *out = ds_str_make(buf, real.len);
    return DS_OK;
}

/* The type of entry e of directory d (e NULL: absent, or a loop on the
 * way) and, when it is a file, its real path: ds_fs_file_real's answer. */
static inline enum ds_status file_answer(struct ds_fs *fs, enum ds_fs_access how, uint32_t d,
                                         struct fs_ent *e, bool loop, enum ds_fs_type *type,
                                         char *buf, size_t cap, struct ds_str *out)
{
    *type = entry_type(e, loop);
    return *type == DS_FS_FILE ? entry_real(fs, how, d, e, buf, cap, out) : DS_OK;
}

enum ds_status ds_fs_type(struct ds_fs *fs, enum ds_fs_access how, struct ds_str path,
                          enum ds_fs_type *out)
{
    uint32_t d;
    struct fs_ent *e;
    bool loop = false;
    enum ds_status st;

    if (path.len == 1 && path.ptr[0] == '/') {
        *out = DS_FS_DIR;
        return DS_OK;
    }
    if (path.len > DS_MAX_PATH) {
        *out = DS_FS_NONE;
        return DS_OK;
    }
    st = ds_fs_lookup(fs, how, path, &d, &e, &loop);
    if (st == DS_OK)
        *out = entry_type(e, loop);
    return st;
}

enum ds_status ds_fs_file_in(struct ds_fs *fs, enum ds_fs_access how, struct ds_fs_probe_dir *dir,
                             struct ds_str name, enum ds_fs_type *type, char *buf, size_t cap,
                             struct ds_str *out)
{
    struct fs_ent *e = NULL;
    enum ds_status st;

    *type = DS_FS_NONE;
    // What ds_fs_lookup does for dir->path + "/" + name, its dir_of once:
    // a dir_of again would give the same answer unless the lock was
    // released (a listing, a link followed), which moves the generation.
    if (!dir->known || dir->gen != fs->gen) {
        st = dir_of(fs, how, dir->path, &dir->d, &dir->loop);
        if (st != DS_OK)
            return st;
        dir->known = true;
        dir->gen = fs->gen;
    }
    if (dir->d != DS_NO_ID) {
        st = find_known(fs, how, dir->d, name, &e);
        if (st != DS_OK)
            return st;
    }
    return file_answer(fs, how, dir->d, e, dir->loop, type, buf, cap, out);
}

enum ds_status ds_fs_file_real(struct ds_fs *fs, enum ds_fs_access how, struct ds_str path,
                               enum ds_fs_type *type, char *buf, size_t cap, struct ds_str *out)
{
    uint32_t d;
    struct fs_ent *e;
    bool loop = false;
    enum ds_status st;

    *type = DS_FS_NONE;
    if (path.len > DS_MAX_PATH || (path.len == 1 && path.ptr[0] == '/'))
        return ds_fs_type(fs, how, path, type);
    st = ds_fs_lookup(fs, how, path, &d, &e, &loop);
    if (st != DS_OK)
        return st;
    return file_answer(fs, how, d, e, loop, type, buf, cap, out);
}

enum ds_status ds_fs_realpath(struct ds_fs *fs, enum ds_fs_access how, struct ds_str path,
                              char *buf, size_t cap, struct ds_str *out)
{
    uint32_t d;
    struct fs_ent *e;
    bool loop = false;
    enum ds_status st;

    if (path.len > DS_MAX_PATH)
        return DS_ELIMIT;
    if (path.len == 1 && path.ptr[0] == '/') {
        if (!ds_str_to_cstr(DS_STR("/"), buf, cap))
            return DS_ELIMIT;
        *out = ds_str_make(buf, 1);
        return DS_OK;
    }
    st = ds_fs_lookup(fs, how, path, &d, &e, &loop);
    if (st != DS_OK)
        return st;
    if (!e)
        return loop ? DS_ELOOP : DS_ENOENT;
    return entry_real(fs, how, d, e, buf, cap, out);
}

static bool same_fold(struct ds_str a, struct ds_str b)
{
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++) {
        unsigned char x = (unsigned char)a.ptr[i], y = (unsigned char)b.ptr[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return false;
    }
    return true;
}

enum ds_status ds_fs_find_case(struct ds_fs *fs, struct ds_str dir, struct ds_str name,
                               struct ds_str *out)
{
    uint32_t d;
    bool loop;
    struct fs_ent *e;
    enum ds_status st;

    *out = ds_str_make(NULL, 0);
    st = dir_of(fs, DS_FS_FILL, dir, &d, &loop);
    if (st != DS_OK || d == DS_NO_ID)
        return st;
    st = ds_fs_find_ent(fs, DS_FS_FILL, d, name, &e);
    if (st != DS_OK || e)
        return st;
    // Only on a failed resolution, so a linear pass over one listing is fine.
    // Listings are in readdir order: of several spellings, name the
    // byte-wise smallest, so the message does not depend on the disk.
    for (uint32_t i = 0; i < fs->dirs[d].n_ents; i++) {
        struct fs_ent *c = &fs->dirs[d].ents[i];
        struct ds_str cn = ds_str_make(c->name, c->len);
        if (same_fold(cn, name) && (!out->len || ds_str_cmp(cn, *out) < 0))
            *out = cn;
    }
    return DS_OK;
}

enum ds_status ds_fs_read(struct ds_fs *fs, struct ds_str path, size_t max_bytes,
                          struct ds_arena *arena, struct ds_str *out, const char **why)
{
    char c[DS_MAX_PATH + 1];
    struct ds_read_error re = {0};
    enum ds_status st;

    *why = NULL;
    if (!ds_str_to_cstr(path, c, sizeof c)) {
        *why = "path too long";
        return DS_ELIMIT;
    }
    fs->stats.syscalls++;
    // The read needs no fs state: without the lock, into the caller's arena.
    bool unlocked = ds_fs_may_unlock(fs);
    if (unlocked)
        ds_fs_drop_lock(fs);
    st = fs->sys->read_file(fs->sys->ctx, c, max_bytes, arena, out, &re);
    if (unlocked)
        ds_fs_retake_lock(fs);
    if (st == DS_OK) {
        fs->stats.files_read++;
        fs->stats.bytes_read += out->len;
    } else {
        *why = re.reason;
    }
    return st;
}
