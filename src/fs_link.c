/* Symlinks in the fs cache (fs_int.h): one readlink per link, its target
 * looked up through the same listings as any path, so realpath(3)'s
 * per-component readlinks are never paid; a link met again while its own
 * target is being looked up is a loop. */
#include <errno.h>
#include <pthread.h>

#include "fs_int.h"

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
    enum ds_status st = ds_fs_dir_for_real(fs, ds_str_cstr(real), &target);
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
        uint32_t id = ds_fs_known_name(fs, p);
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
        st = ds_fs_find_ent(fs, DS_FS_FILL, d, name, &e);
        if (st != DS_OK)
            return st;
        if (!e || e->type != E_DIR || !ds_path_join_name(fs->dirs[d].path, name, real, sizeof real))
            return DS_OK;
        st = ds_fs_dir_for_real(fs, ds_str_cstr(real), &d);
        if (st != DS_OK)
            return st;
        end = stop;
    }
    // The target's own directory: an empty name lists it and matches nothing.
    return d == DS_NO_ID ? DS_OK : ds_fs_find_ent(fs, DS_FS_FILL, d, DS_STR(""), &e);
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
enum ds_status ds_fs_follow_link(struct ds_fs *fs, uint32_t d, struct fs_ent *e)
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
    bool unlocked = ds_fs_may_unlock(fs);
    enum ds_sys_type own = DS_SYS_LINK;
    int serr = 0, rerr = 0;
    size_t n = 0;
    unsigned calls = 0;
    if (unlocked)
        ds_fs_drop_lock(fs);
    if (before == E_UNKNOWN) {
        calls++;
        serr = fs->sys->stat(fs->sys->ctx, full, false, &own);
    }
    if (!serr && own == DS_SYS_LINK) {
        calls++;
        rerr = fs->sys->readlink(fs->sys->ctx, full, tgt, sizeof tgt, &n);
    }
    if (unlocked)
        ds_fs_retake_lock(fs);
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
    if (ds_fs_may_unlock(fs)) {
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
    enum ds_status st = ds_fs_lookup(fs, DS_FS_FILL, target, &d2, &e2, &loop);
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
        st = ds_fs_dir_for_real(fs, ds_str_cstr(real), &target_dir);
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
