/* The resolver's view of the filesystem: one listing per directory (so
 * probing `./x` with seven extensions costs no syscall after the first, and a
 * letter-case mismatch is found without one), real paths cached per
 * directory (a symlink is followed once, however many files sit under it),
 * and counters for stats. Not thread-safe: the resolver holds its lock
 * around every call, and the fs drops it around its syscalls (fs.c says
 * when), so a call may let other threads' calls run in between. Nothing is
 * ever invalidated: one scan sees one filesystem. */
#ifndef DS_FS_H
#define DS_FS_H

#include <pthread.h>

#include "arena.h"
#include "intern.h"
#include "path.h"

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

DS_MUST_CHECK enum ds_status ds_fs_new(struct ds_alloc *alloc, struct ds_fs **out);
void ds_fs_free(struct ds_fs *fs); /* NULL is a no-op */

/* `lock` (held by the caller around every call from now on; NULL: none) is
 * released around directory listings and ds_fs_read's read, and re-taken
 * before the call returns. Entries and paths returned stay valid. */
void ds_fs_set_lock(struct ds_fs *fs, pthread_mutex_t *lock);

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
DS_MUST_CHECK enum ds_status ds_fs_type(struct ds_fs *fs, struct ds_str path, enum ds_fs_type *out);

/* The real path of an existing file or directory `path`, written into buf
 * (NUL-terminated; *out points into buf). DS_ENOENT when it does not exist,
 * DS_ELOOP on a symlink loop, DS_ELIMIT when it does not fit. */
DS_MUST_CHECK enum ds_status ds_fs_realpath(struct ds_fs *fs, struct ds_str path, char *buf,
                                            size_t cap, struct ds_str *out);

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
