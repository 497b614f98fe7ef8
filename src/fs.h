/* The resolver's view of the filesystem: one listing per directory (so
 * probing `./x` with seven extensions costs no syscall after the first, and a
 * letter-case mismatch is found without one), real paths cached per
 * directory (a symlink is followed once, however many files sit under it),
 * and counters for stats. Every system call goes through a `struct ds_sys`
 * backend (sys.h), so tests run it on an in-memory tree (sys_mem.h).
 *
 * THE LOCK RULE. The fs is not thread-safe: its user holds one lock, given
 * by ds_fs_set_lock, around every call (peeks aside: THE PEEK RULE below).
 * These calls may RELEASE that lock
 * while they wait on the backend, and re-take it before they return:
 *   ds_fs_type, ds_fs_realpath, ds_fs_file_real, ds_fs_file_in,
 *     ds_fs_find_case — when
 *     they list a directory not yet listed, or follow a symlink met for the
 *     first time (its lstat and readlink);
 *   ds_fs_read — always, around the read.
 * ds_fs_add_real_dir, ds_fs_get_stats and ds_fs_generation never release
 * it. The user may release it itself for work that touches none of the
 * shared state (the resolver parses a package.json so) only through
 * ds_fs_unlock / ds_fs_relock, so one counter counts every release. So after any of the first four,
 * the caller must re-check whatever it read of its own shared state before the call (another thread
 * may have filled a slot meanwhile): ds_fs_generation() counts the releases, and callers assert in
 * debug builds that state they see changed only when the generation did (resolve_pkg.c). Inside the
 * fs the lock is never released while a symlink is being followed (link_depth > 0), asserted the
 * same way, so its in-progress marks are never seen by another thread.
 *
 * THE PEEK RULE. A user with a second, reader-writer lock (ds_fs_set_lock's
 * `gate`) lets lookups run side by side: calls made with DS_FS_PEEK answer
 * only from what the fs already holds, with no system call and no write, so
 * any number of threads may make them at once while holding `gate` to read.
 * Where an answer needs a fill (a directory not yet listed, a symlink not
 * yet followed, a directory record not yet made) they fail with DS_EFILL
 * and the user asks again with DS_FS_FILL under its own lock. Every other
 * call is a fill: its caller holds the lock and `gate` to write, and the fs
 * releases both together wherever the lock rule releases the lock, so peeks
 * run while a fill waits on the kernel.
 *
 * INVALIDATION. One scan sees one filesystem, and a scan never invalidates.
 * A longer-lived user (a persistent scanner) calls ds_fs_invalidate_dir(dir)
 * when a watcher reports a change in `dir`: the directory is listed again on
 * its next use, and the memo of spelled paths (which directory a path
 * through symlinks names) and every followed symlink are dropped for all
 * paths, since a change in one directory can change where a link elsewhere
 * leads. A change is reported for the directory whose entries changed (a
 * new /r is a change of "/"). Old listings stay in
 * the arena until the fs is freed (memory grows with churn, not with
 * lookups); a user that churns a lot frees the fs and starts a new one. The
 * resolver's result and package caches sit above this: the resolver's
 * user calls ds_resolver_invalidate_dir (resolve.h), which calls this and
 * drops those too. */
#ifndef DS_FS_H
#define DS_FS_H

#include <pthread.h>

#include "arena.h"
#include "intern.h"
#include "path.h"
#include "sys.h"

enum ds_fs_type {
    DS_FS_NONE = 0, /* does not exist, or a dangling symlink */
    DS_FS_FILE,     /* a regular file, or a symlink to one */
    DS_FS_DIR,      /* a directory, or a symlink to one */
    DS_FS_OTHER,    /* FIFO, socket, device: never resolved to */
    DS_FS_LOOP,     /* a symlink loop, or more than DS_MAX_SYMLINK_HOPS hops */
};

struct ds_fs_stats {
    size_t syscalls; /* opendir, lstat, stat, realpath, open */
    size_t dirs_listed;
    size_t files_read;
    uint64_t bytes_read;
};

struct ds_fs;

/* How a lookup may use the fs (THE PEEK RULE). */
enum ds_fs_access {
    DS_FS_FILL = 0, /* list, follow and remember as needed, under the user's lock */
    DS_FS_PEEK,     /* only what is known; DS_EFILL otherwise */
};

/* `sys` (not owned; NULL: ds_sys_default()) makes every system call. */
DS_MUST_CHECK enum ds_status ds_fs_new(struct ds_alloc *alloc, const struct ds_sys *sys,
                                       struct ds_fs **out);
void ds_fs_free(struct ds_fs *fs); /* NULL is a no-op */

/* `lock` (held by the caller around every call from now on; NULL: none) is
 * released as THE LOCK RULE above says; `gate` (NULL: none) is held to
 * write with it and released with it (THE PEEK RULE). Entries and paths
 * returned stay valid. */
void ds_fs_set_lock(struct ds_fs *fs, pthread_mutex_t *lock, pthread_rwlock_t *gate);

/* How many times the fs released the user's lock so far (call with the
 * lock held). Unchanged across a call: no other thread ran fs code. */
uint64_t ds_fs_generation(const struct ds_fs *fs);

/* Releases and re-takes the user's lock (never inside an fs call). */
void ds_fs_unlock(struct ds_fs *fs);
void ds_fs_relock(struct ds_fs *fs);

/* Forgets what the fs knows of directory `real` (a real path) and of every
 * spelled path: see INVALIDATION above. Only DS_ENOMEM fails. */
DS_MUST_CHECK enum ds_status ds_fs_invalidate_dir(struct ds_fs *fs, struct ds_str real);

/* `path` below is always absolute and normalised: no "." or ".." segment, no
 * "//", no trailing '/' (the root is "/"). Paths longer than DS_MAX_PATH are
 * DS_FS_NONE. Only DS_ENOMEM fails. */

/* Records that `real` (absolute, normalised) is a directory and its own
 * real path, so paths under it are looked up from it without listing its
 * ancestors: the scan's root is such a path, and listing "/" and "/tmp" to
 * walk down to it costs a getdents of every entry of /tmp (thousands on a
 * shared CI machine). Only DS_ENOMEM fails. */
DS_MUST_CHECK enum ds_status ds_fs_add_real_dir(struct ds_fs *fs, struct ds_str real);

/* The type of `path`, following symlinks. */
DS_MUST_CHECK enum ds_status ds_fs_type(struct ds_fs *fs, enum ds_fs_access how, struct ds_str path,
                                        enum ds_fs_type *out);

/* The real path of an existing file or directory `path`, written into buf
 * (NUL-terminated; *out points into buf). DS_ENOENT when it does not exist,
 * DS_ELOOP on a symlink loop, DS_ELIMIT when it does not fit. */
DS_MUST_CHECK enum ds_status ds_fs_realpath(struct ds_fs *fs, enum ds_fs_access how,
                                            struct ds_str path, char *buf, size_t cap,
                                            struct ds_str *out);

/* ds_fs_type, and when `path` is a file its real path too (as
 * ds_fs_realpath, with its errors), from one lookup. */
DS_MUST_CHECK enum ds_status ds_fs_file_real(struct ds_fs *fs, enum ds_fs_access how,
                                             struct ds_str path, enum ds_fs_type *type, char *buf,
                                             size_t cap, struct ds_str *out);

/* A directory, spelled as a path, whose entries are probed one name after
 * another (a file's extensions): ds_fs_file_in looks the directory up once,
 * and again only when the lock was released since (the generation moved).
 * `path` must outlive the probes. */
struct ds_fs_probe_dir {
    struct ds_str path;
    bool known;
    bool loop;
    uint32_t d;
    uint64_t gen;
};

static inline struct ds_fs_probe_dir ds_fs_probe_dir(struct ds_str path)
{
    return (struct ds_fs_probe_dir){.path = path};
}

/* ds_fs_file_real of dir->path + "/" + `name` (one entry: no '/'), with
 * the same answers and errors. */
DS_MUST_CHECK enum ds_status ds_fs_file_in(struct ds_fs *fs, enum ds_fs_access how,
                                           struct ds_fs_probe_dir *dir, struct ds_str name,
                                           enum ds_fs_type *type, char *buf, size_t cap,
                                           struct ds_str *out);

/* When directory `dir` holds no entry named `name` but one that differs only
 * in letter case, *out is that entry's name (lives as long as the fs);
 * otherwise out->len is 0. */
DS_MUST_CHECK enum ds_status ds_fs_find_case(struct ds_fs *fs, struct ds_str dir,
                                             struct ds_str name, struct ds_str *out);

/* Reads the regular file `path` whole into `arena` (padded as ds_read_file
 * pads), counting it. Errors as ds_read_file. With a lock set, `arena` must
 * be owned by the calling thread: it is written without the lock. */
DS_MUST_CHECK enum ds_status ds_fs_read(struct ds_fs *fs, struct ds_str path, size_t max_bytes,
                                        struct ds_arena *arena, struct ds_str *out,
                                        const char **why);

void ds_fs_get_stats(const struct ds_fs *fs, struct ds_fs_stats *out);

#endif
