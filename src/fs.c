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

#include "fs.h"
#include "path.h"

enum ent_type {
    E_UNKNOWN = 0, /* d_type was DT_UNKNOWN: lstat decides */
    E_FILE,
    E_DIR,
    E_OTHER,
    E_LINK, /* a symlink not yet followed */
    E_LINK_FILE,
    E_LINK_DIR,
    E_LINK_NONE,
    E_LINK_LOOP,
};

struct fs_ent {
    const char *name;
    uint32_t len;
    uint8_t type;
    uint32_t aux; /* E_LINK_DIR: target dir id; E_LINK_FILE: index in link_reals or DS_NO_ID */
};

enum dir_state { D_UNLISTED = 0, D_LISTING, D_LISTED };

struct fs_dir {
    struct ds_str path;  /* real path */
    struct fs_ent *ents; /* in readdir order */
    uint32_t *slots;     /* name index: entry index + 1, 0 empty */
    uint32_t mask;       /* slots - 1 */
    uint32_t n_ents;
    uint32_t listing_epoch; /* bumped by ds_fs_invalidate_dir */
    uint8_t state;
};

/* What a spelled directory path turned out to be. */
struct fs_name {
    uint32_t dir;   /* DS_NO_ID: not a directory */
    uint8_t loop;   /* the path runs through a symlink loop */
    uint8_t real;   /* a real path with a directory record: always valid */
    uint32_t epoch; /* otherwise valid while equal to the fs's (invalidation) */
};

struct ds_fs {
    struct ds_alloc *alloc;
    const struct ds_sys *sys;
    struct ds_arena arena; /* names, listings, real paths */
    struct ds_interner names;
    struct fs_name *name_info; /* by name id */
    size_t name_cap;
    struct fs_dir *dirs;
    size_t n_dirs, dirs_cap;
    unsigned link_depth; /* links being followed, one inside another */
    struct ds_str *link_reals;
    size_t n_link_reals, link_reals_cap;
    struct ds_fs_stats stats;
    pthread_mutex_t *lock; /* the user's, dropped around syscalls; NULL: never */
    uint64_t gen;          /* times `lock` was dropped (fs.h) */
    uint32_t epoch;        /* bumped by ds_fs_invalidate_dir */
    pthread_cond_t listed; /* broadcast when a D_LISTING directory is done */
    unsigned n_waiting;    /* threads waiting on `listed` */
    bool has_cond;
    /* The last directory dir_of answered: a resolution probes one directory
     * for several names in a row, and memcmp is cheaper than rehashing. */
    char last_path[DS_MAX_PATH + 1];
    size_t last_len;
    uint32_t last_dir;
    bool last_loop;
};

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

void ds_fs_set_lock(struct ds_fs *fs, pthread_mutex_t *lock)
{
    fs->lock = lock;
}

/* May this call drop the user's lock now? Not while following a link. */
static bool may_unlock(const struct ds_fs *fs)
{
    return fs->lock && fs->link_depth == 0;
}

/* The only places the user's lock is released (fs.h's rule). */
static void drop_lock(struct ds_fs *fs)
{
    assert(may_unlock(fs));
    pthread_mutex_unlock(fs->lock);
}

static void retake_lock(struct ds_fs *fs)
{
    pthread_mutex_lock(fs->lock);
    fs->gen++;
}

uint64_t ds_fs_generation(const struct ds_fs *fs)
{
    return fs->gen;
}

void ds_fs_unlock(struct ds_fs *fs)
{
    if (fs->lock)
        drop_lock(fs);
}

void ds_fs_relock(struct ds_fs *fs)
{
    if (fs->lock)
        retake_lock(fs);
}

void ds_fs_get_stats(const struct ds_fs *fs, struct ds_fs_stats *out)
{
    *out = fs->stats;
}

/* ---- directories ---------------------------------------------------- */

/* Adds entry `i` of directory `d` to its name index. */
static void index_ent(struct fs_dir *dir, uint32_t i)
{
    struct fs_ent *e = &dir->ents[i];
    uint32_t h = ds_hash_bytes(e->name, e->len);

    for (uint32_t k = h & dir->mask;; k = (k + 1) & dir->mask) {
        if (dir->slots[k] == 0) {
            dir->slots[k] = i + 1;
            return;
        }
    }
}

/* A listing as the backend gives it, collected by the calling thread
 * (possibly without the lock): names packed in one buffer. */
struct raw_listing {
    struct ds_alloc *alloc;
    struct raw_ent {
        uint32_t off, len;
        uint8_t type;
    } * ents;
    size_t n, cap;
    char *names;
    size_t names_len, names_cap;
};

static enum ds_status collect(void *arg, const char *name, size_t len, enum ds_sys_type type)
{
    struct raw_listing *l = arg;
    enum ds_status st;
    uint8_t t;

    if (len > UINT32_MAX / 2 || l->names_len > UINT32_MAX / 2)
        return DS_ELIMIT;
    st = ds_alloc_grow(l->alloc, (void **)&l->ents, &l->cap, l->n + 1, sizeof *l->ents);
    if (st == DS_OK)
        st = ds_alloc_grow(l->alloc, (void **)&l->names, &l->names_cap, l->names_len + len + 1, 1);
    if (st != DS_OK)
        return st;
    switch (type) {
    case DS_SYS_FILE: t = E_FILE; break;
    case DS_SYS_DIR: t = E_DIR; break;
    case DS_SYS_LINK: t = E_LINK; break;
    case DS_SYS_UNKNOWN: t = E_UNKNOWN; break;
    default: t = E_OTHER; break;
    }
    memcpy(l->names + l->names_len, name, len);
    l->names[l->names_len + len] = '\0';
    l->ents[l->n++] = (struct raw_ent){(uint32_t)l->names_len, (uint32_t)len, t};
    l->names_len += len + 1;
    return DS_OK;
}

/* Moves a raw listing into directory d: names and entries into the arena
 * (they live as long as the fs), and a hash index of the names, which a
 * lookup probes once instead of binary-searching a sorted listing (sorting
 * and the search's memcmp calls were ~7 % of a scan's instructions). */
static enum ds_status publish_listing(struct ds_fs *fs, uint32_t d, const struct raw_listing *l)
{
    size_t n = l->n;

    if (n == 0)
        return DS_OK;
    char *names = ds_arena_alloc(&fs->arena, l->names_len);
    struct fs_ent *keep = names ? ds_arena_alloc(&fs->arena, n * sizeof *keep) : NULL;
    uint32_t slots = 4;
    while (slots < 2 * n)
        slots *= 2;
    uint32_t *index = keep ? ds_arena_zalloc(&fs->arena, slots * sizeof *index) : NULL;
    if (!index)
        return DS_ENOMEM;
    memcpy(names, l->names, l->names_len);
    for (size_t i = 0; i < n; i++)
        keep[i] = (struct fs_ent){.name = names + l->ents[i].off,
                                  .len = l->ents[i].len,
                                  .type = l->ents[i].type,
                                  .aux = DS_NO_ID};
    fs->dirs[d].ents = keep;
    fs->dirs[d].slots = index;
    fs->dirs[d].mask = slots - 1;
    fs->dirs[d].n_ents = (uint32_t)n;
    for (uint32_t i = 0; i < n; i++)
        index_ent(&fs->dirs[d], i);
    return DS_OK;
}

/* Lists directory d through the backend. The call runs without the user's
 * lock when may_unlock (bench/floor: the cold resolutions' syscalls under
 * one lock capped 2 threads at 1.2x): the entries go to a buffer owned by
 * this call, and are published under the lock. */
static enum ds_status list_dir(struct ds_fs *fs, uint32_t d)
{
    char path[DS_MAX_PATH + 1];
    struct raw_listing l = {.alloc = fs->alloc};
    enum ds_status st = DS_OK;
    bool unlocked = false;
    uint32_t epoch = fs->dirs[d].listing_epoch;

    if (ds_str_to_cstr(fs->dirs[d].path, path, sizeof path)) {
        fs->stats.syscalls++;
        fs->stats.dirs_listed++;
        if (may_unlock(fs) && fs->dirs[d].state == D_UNLISTED) {
            fs->dirs[d].state = D_LISTING;
            drop_lock(fs);
            unlocked = true;
        }
        // An error opening it (vanished, unreadable): empty, as documented.
        int err = fs->sys->list_dir(fs->sys->ctx, path, collect, &l, &st);
        DS_UNUSED(err);
        if (st == DS_ELIMIT)
            st = DS_OK; // absurd names: what was listed stands
        if (unlocked) {
            retake_lock(fs);
            if (fs->dirs[d].state == D_LISTED) {
                // A thread following a link listed it meanwhile: keep that one.
                ds_alloc_free(fs->alloc, l.ents);
                ds_alloc_free(fs->alloc, l.names);
                return st;
            }
        }
    }
    if (st == DS_OK)
        st = publish_listing(fs, d, &l);
    ds_alloc_free(fs->alloc, l.ents);
    ds_alloc_free(fs->alloc, l.names);
    if (st == DS_OK && fs->dirs[d].listing_epoch == epoch) {
        fs->dirs[d].state = D_LISTED;
    } else if (st == DS_OK) {
        fs->dirs[d].state = D_UNLISTED; // invalidated meanwhile: used once, listed again
    } else if (fs->dirs[d].state == D_LISTING && unlocked) {
        fs->dirs[d].state = D_UNLISTED; // a waiter lists it itself
    }
    if (fs->n_waiting)
        pthread_cond_broadcast(&fs->listed);
    return st;
}

static enum ds_status find_ent(struct ds_fs *fs, uint32_t d, struct ds_str name,
                               struct fs_ent **out)
{
    enum ds_status st;

    *out = NULL;
    // Another thread is listing it without the lock: wait, unless this one
    // follows a link (it must not drop the lock then), and lists it too.
    while (fs->dirs[d].state == D_LISTING && may_unlock(fs)) {
        fs->n_waiting++;
        pthread_cond_wait(&fs->listed, fs->lock);
        fs->n_waiting--;
    }
    if (fs->dirs[d].state != D_LISTED) {
        st = list_dir(fs, d);
        if (st != DS_OK)
            return st;
    }
    struct fs_dir *dir = &fs->dirs[d];
    if (!dir->n_ents)
        return DS_OK;
    uint32_t h = ds_hash_bytes(name.ptr, name.len);
    for (uint32_t k = h & dir->mask; dir->slots[k]; k = (k + 1) & dir->mask) {
        struct fs_ent *e = &dir->ents[dir->slots[k] - 1];
        if (e->len == name.len && memcmp(e->name, name.ptr, name.len) == 0) {
            *out = e;
            return DS_OK;
        }
    }
    return DS_OK;
}

/* The directory record for real path `real`, creating it. */
static enum ds_status dir_for_real(struct ds_fs *fs, struct ds_str real, uint32_t *out)
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
static uint32_t known_name(const struct ds_fs *fs, struct ds_str p)
{
    uint32_t id = ds_intern_find(&fs->names, p);

    if (id == DS_NO_ID || fs->name_info[id].real || fs->name_info[id].epoch == fs->epoch)
        return id;
    return DS_NO_ID;
}

static enum ds_status lookup(struct ds_fs *fs, struct ds_str path, uint32_t *d_out,
                             struct fs_ent **e_out, bool *loop);

/* Does the link target `t` have a ".." after a name ("a/../b")? Then the
 * ".." applies to whatever "a" really is, and only the kernel's walk gets it
 * right. Leading ".." segments are fine: they climb from a real directory. */
static bool inner_dotdot(struct ds_str t)
{
    bool named = false;

    for (size_t i = 0; i < t.len;) {
        size_t j = i;
        while (j < t.len && t.ptr[j] != '/')
            j++;
        size_t n = j - i;
        if (n == 2 && t.ptr[i] == '.' && t.ptr[i + 1] == '.') {
            if (named)
                return true;
        } else if (n && !(n == 1 && t.ptr[i] == '.')) {
            named = true;
        }
        i = j + 1;
    }
    return false;
}

/* The old way, for targets inner_dotdot refuses: stat, then realpath. */
static enum ds_status follow_slow(struct ds_fs *fs, struct fs_ent *e, const char *full)
{
    char real[DS_MAX_PATH + 1];
    enum ds_sys_type t;
    int err;

    fs->stats.syscalls++;
    err = fs->sys->stat(fs->sys->ctx, full, true, &t);
    if (err) {
        e->type = err == ELOOP ? E_LINK_LOOP : E_LINK_NONE;
        return DS_OK;
    }
    if (t == DS_SYS_FILE) {
        e->type = E_LINK_FILE; // its real path is found when someone asks for it
        return DS_OK;
    }
    if (t != DS_SYS_DIR) {
        e->type = E_OTHER;
        return DS_OK;
    }
    fs->stats.syscalls++;
    err = fs->sys->realpath(fs->sys->ctx, full, real, sizeof real);
    if (err) {
        e->type = err == ELOOP ? E_LINK_LOOP : E_LINK_NONE;
        return DS_OK;
    }
    uint32_t target;
    enum ds_status st = dir_for_real(fs, ds_str_cstr(real), &target);
    if (st != DS_OK)
        return st;
    e->type = E_LINK_DIR;
    e->aux = target;
    return DS_OK;
}

/* Lists, with the lock dropped, the plain directories on the way to a
 * link's target, so that follow_link's lookup of it (which keeps the lock:
 * its in-progress mark must not be seen) finds them listed. pnpm links point
 * into .pnpm/<name>@<version>/node_modules/<name>, two directories per
 * package that were otherwise listed under the lock (300 of 1,000 listings,
 * bench/realapp). It follows no link, so it does not recurse. */
static enum ds_status prefetch(struct ds_fs *fs, struct ds_str target)
{
    struct ds_str dir = ds_path_dirname(target);
    size_t end = dir.len;
    uint32_t d = DS_NO_ID;
    struct fs_ent *e;
    enum ds_status st;

    for (;;) { // the longest known prefix, as dir_of starts
        struct ds_str p = end == 0 ? DS_STR("/") : ds_str_slice(dir, 0, end);
        uint32_t id = known_name(fs, p);
        if (id != DS_NO_ID) {
            d = fs->name_info[id].dir;
            break;
        }
        while (end > 0 && dir.ptr[end - 1] != '/')
            end--;
        if (end > 0)
            end--;
    }
    while (end < dir.len && d != DS_NO_ID) {
        char real[DS_MAX_PATH + 1];
        size_t start = end + 1, stop = start;
        while (stop < dir.len && dir.ptr[stop] != '/')
            stop++;
        struct ds_str name = ds_str_slice(dir, start, stop);
        st = find_ent(fs, d, name, &e);
        if (st != DS_OK)
            return st;
        if (!e || e->type != E_DIR || !ds_path_join_name(fs->dirs[d].path, name, real, sizeof real))
            return DS_OK;
        st = dir_for_real(fs, ds_str_cstr(real), &d);
        if (st != DS_OK)
            return st;
        end = stop;
    }
    // The target's own directory: an empty name lists it and matches nothing.
    return d == DS_NO_ID ? DS_OK : find_ent(fs, d, DS_STR(""), &e);
}

/* Remembers `real` as the real path of the link-to-file e. */
static enum ds_status keep_link_real(struct ds_fs *fs, struct fs_ent *e, struct ds_str real)
{
    struct ds_str keep;
    enum ds_status st = ds_alloc_grow(fs->alloc, (void **)&fs->link_reals, &fs->link_reals_cap,
                                      fs->n_link_reals + 1, sizeof *fs->link_reals);

    if (st == DS_OK)
        st = ds_arena_strdup(&fs->arena, real, &keep);
    if (st != DS_OK)
        return st;
    e->type = E_LINK_FILE;
    e->aux = (uint32_t)fs->n_link_reals;
    fs->link_reals[fs->n_link_reals++] = keep;
    return DS_OK;
}

/* Follows the symlink `name` in directory d once, remembering what it is.
 * One readlink, then the target is looked up through the same listings as
 * any path (so a link to a link is followed the same way). glibc's
 * realpath(3) instead readlinks every component of the path, ~11 calls per
 * pnpm link, nearly all failing with EINVAL (strace, bench/realapp: 4,739
 * of 5,207). A link met again while its own target is being looked up is a
 * loop; so is a chain longer than DS_MAX_SYMLINK_HOPS. */
static enum ds_status follow_link(struct ds_fs *fs, uint32_t d, struct fs_ent *e)
{
    char full[DS_MAX_PATH + 1], tgt[DS_MAX_PATH + 1], jb[DS_MAX_PATH + 1];
    struct ds_str target;

    if (!ds_path_join_name(fs->dirs[d].path, ds_str_make(e->name, e->len), full, sizeof full)) {
        e->type = E_LINK_NONE;
        return DS_OK;
    }
    // The entry's own type (when the listing did not say) and its target:
    // at link_depth 0 without the lock, since nothing here reads fs state
    // (pnpm: ~1,000 links on bench/realapp, each an lstat or a readlink).
    uint8_t before = e->type;
    bool unlocked = may_unlock(fs);
    enum ds_sys_type own = DS_SYS_LINK;
    int serr = 0, rerr = 0;
    size_t n = 0;
    unsigned calls = 0;
    if (unlocked)
        drop_lock(fs);
    if (before == E_UNKNOWN) {
        calls++;
        serr = fs->sys->stat(fs->sys->ctx, full, false, &own);
    }
    if (!serr && own == DS_SYS_LINK) {
        calls++;
        rerr = fs->sys->readlink(fs->sys->ctx, full, tgt, sizeof tgt, &n);
    }
    if (unlocked)
        retake_lock(fs);
    fs->stats.syscalls += calls;
    if (e->type != E_UNKNOWN && e->type != E_LINK)
        return DS_OK; // another thread followed it while the lock was dropped
    if (before == E_UNKNOWN) {
        if (serr) {
            e->type = E_LINK_NONE;
            return DS_OK;
        }
        if (own != DS_SYS_LINK) {
            e->type = own == DS_SYS_FILE ? E_FILE : own == DS_SYS_DIR ? E_DIR : E_OTHER;
            return DS_OK;
        }
        e->type = E_LINK;
    }
    if (rerr || n == 0) {
        e->type = E_LINK_NONE;
        return DS_OK;
    }
    struct ds_str t = ds_str_make(tgt, n);
    if (memchr(tgt, '\0', n) || inner_dotdot(t))
        return follow_slow(fs, e, full);
    if (fs->link_depth >= DS_MAX_SYMLINK_HOPS) {
        e->type = E_LINK_LOOP;
        return DS_OK;
    }
    // Relative targets start from the link's directory, which is a real
    // path: a leading ".." there is the physical parent.
    if (!ds_path_join(fs->dirs[d].path, t, jb, sizeof jb, &target)) {
        e->type = E_LINK_NONE;
        return DS_OK;
    }
    if (target.len == 1) { // a link to "/"
        e->type = E_LINK_DIR;
        e->aux = 0;
        return DS_OK;
    }
    if (may_unlock(fs)) {
        enum ds_status pst = prefetch(fs, target);
        if (pst != DS_OK)
            return pst;
        if (e->type != E_LINK)
            return DS_OK; // another thread followed it while the lock was dropped
    }
    uint32_t d2;
    struct fs_ent *e2;
    bool loop = false;
    e->type = E_LINK_LOOP; // in progress: meeting it again is a cycle
    fs->link_depth++;
    uint64_t gen = fs->gen;
    enum ds_status st = lookup(fs, target, &d2, &e2, &loop);
    // The mark must never be seen by another thread: the lock was kept.
    assert(fs->gen == gen);
    DS_UNUSED(gen);
    fs->link_depth--;
    if (st != DS_OK) {
        e->type = E_LINK;
        return st;
    }
    if (!e2) {
        e->type = loop ? E_LINK_LOOP : E_LINK_NONE;
        return DS_OK;
    }
    char real[DS_MAX_PATH + 1];
    switch (e2->type) {
    case E_FILE:
        if (!ds_path_join_name(fs->dirs[d2].path, ds_str_make(e2->name, e2->len), real,
                               sizeof real)) {
            e->type = E_LINK_NONE;
            return DS_OK;
        }
        return keep_link_real(fs, e, ds_str_cstr(real));
    case E_LINK_FILE:
        e->type = E_LINK_FILE;
        e->aux = e2->aux; // DS_NO_ID (found lazily) when followed the slow way
        return DS_OK;
    case E_DIR: {
        uint32_t target_dir;
        if (!ds_path_join_name(fs->dirs[d2].path, ds_str_make(e2->name, e2->len), real,
                               sizeof real)) {
            e->type = E_LINK_NONE;
            return DS_OK;
        }
        st = dir_for_real(fs, ds_str_cstr(real), &target_dir);
        if (st != DS_OK) {
            e->type = E_LINK;
            return st;
        }
        e->type = E_LINK_DIR;
        e->aux = target_dir;
        return DS_OK;
    }
    case E_LINK_DIR:
        e->type = E_LINK_DIR;
        e->aux = e2->aux;
        return DS_OK;
    case E_OTHER: e->type = E_OTHER; return DS_OK;
    case E_LINK_LOOP: e->type = E_LINK_LOOP; return DS_OK;
    default: e->type = E_LINK_NONE; return DS_OK;
    }
}

static enum ds_status resolve_ent(struct ds_fs *fs, uint32_t d, struct fs_ent *e)
{
    if (e->type == E_UNKNOWN || e->type == E_LINK)
        return follow_link(fs, d, e);
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
 * already known, one listing lookup per new component. */
static enum ds_status dir_of(struct ds_fs *fs, struct ds_str path, uint32_t *out, bool *loop)
{
    size_t end = path.len;
    uint32_t d = DS_NO_ID;
    enum ds_status st;

    *loop = false;
    if (path.len == 0 || path.ptr[0] != '/') {
        *out = DS_NO_ID;
        return DS_OK;
    }
    if (path.len == fs->last_len && memcmp(path.ptr, fs->last_path, path.len) == 0) {
        *out = fs->last_dir;
        *loop = fs->last_loop;
        return DS_OK;
    }
    for (;;) {
        struct ds_str p = end == 0 ? DS_STR("/") : ds_str_slice(path, 0, end);
        uint32_t id = known_name(fs, p);
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
        st = find_ent(fs, d, name, &e);
        if (st == DS_OK && e)
            st = resolve_ent(fs, d, e);
        if (st != DS_OK)
            return st;
        if (e && e->type == E_DIR) {
            char real[DS_MAX_PATH + 1];
            if (!ds_path_join_name(fs->dirs[d].path, name, real, sizeof real)) {
                d = DS_NO_ID;
                break;
            }
            st = dir_for_real(fs, ds_str_cstr(real), &next);
            if (st != DS_OK)
                return st;
        } else if (e && e->type == E_LINK_DIR) {
            next = e->aux;
        } else if (e && e->type == E_LINK_LOOP) {
            *loop = true;
        }
        d = next;
        end = stop;
        st = remember(fs, ds_str_slice(path, 0, end), d, *loop);
        if (st != DS_OK)
            return st;
    }
    *out = d;
    if (path.len <= DS_MAX_PATH) {
        memcpy(fs->last_path, path.ptr, path.len);
        fs->last_len = path.len;
        fs->last_dir = d;
        fs->last_loop = *loop;
    }
    return DS_OK;
}

/* Splits a path into its directory's record and its entry. *e is NULL when
 * the parent is not a directory or has no such entry. */
static enum ds_status lookup(struct ds_fs *fs, struct ds_str path, uint32_t *d_out,
                             struct fs_ent **e_out, bool *loop)
{
    uint32_t d;
    enum ds_status st;

    *e_out = NULL;
    *d_out = DS_NO_ID;
    size_t slash = ds_str_rfind(path, '/');
    if (slash == path.len)
        return DS_OK;
    st = dir_of(fs, slash == 0 ? DS_STR("/") : ds_str_slice(path, 0, slash), &d, loop);
    if (st != DS_OK || d == DS_NO_ID)
        return st;
    struct ds_str name = ds_str_slice(path, slash + 1, path.len);
    st = find_ent(fs, d, name, e_out);
    if (st == DS_OK && *e_out)
        st = resolve_ent(fs, d, *e_out);
    *d_out = d;
    return st;
}

enum ds_status ds_fs_invalidate_dir(struct ds_fs *fs, struct ds_str real)
{
    uint32_t id = ds_intern_find(&fs->names, real);

    fs->epoch++;
    fs->last_len = 0;
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
    return dir_for_real(fs, real, &d);
}

enum ds_status ds_fs_type(struct ds_fs *fs, struct ds_str path, enum ds_fs_type *out)
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
    st = lookup(fs, path, &d, &e, &loop);
    if (st != DS_OK)
        return st;
    if (!e) {
        *out = loop ? DS_FS_LOOP : DS_FS_NONE;
        return DS_OK;
    }
    switch (e->type) {
    case E_FILE:
    case E_LINK_FILE: *out = DS_FS_FILE; break;
    case E_DIR:
    case E_LINK_DIR: *out = DS_FS_DIR; break;
    case E_LINK_LOOP: *out = DS_FS_LOOP; break;
    case E_OTHER: *out = DS_FS_OTHER; break;
    default: *out = DS_FS_NONE; break;
    }
    return DS_OK;
}

enum ds_status ds_fs_realpath(struct ds_fs *fs, struct ds_str path, char *buf, size_t cap,
                              struct ds_str *out)
{
    uint32_t d;
    struct fs_ent *e;
    bool loop = false;
    enum ds_status st;
    struct ds_str real;

    if (path.len > DS_MAX_PATH)
        return DS_ELIMIT;
    if (path.len == 1 && path.ptr[0] == '/') {
        real = DS_STR("/");
        goto copy;
    }
    st = lookup(fs, path, &d, &e, &loop);
    if (st != DS_OK)
        return st;
    if (!e)
        return loop ? DS_ELOOP : DS_ENOENT;
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
    st = dir_of(fs, dir, &d, &loop);
    if (st != DS_OK || d == DS_NO_ID)
        return st;
    st = find_ent(fs, d, name, &e);
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
    bool unlocked = may_unlock(fs);
    if (unlocked)
        drop_lock(fs);
    st = fs->sys->read_file(fs->sys->ctx, c, max_bytes, arena, out, &re);
    if (unlocked)
        retake_lock(fs);
    if (st == DS_OK) {
        fs->stats.files_read++;
        fs->stats.bytes_read += out->len;
    } else {
        *why = re.reason;
    }
    return st;
}
