/* The file-system seam: every file-system call of the scan, the resolver,
 * the config and tsconfig loaders goes through one `struct ds_sys`, so the
 * backend is a choice, not a rewrite:
 *
 *   sys_linux.c   Linux (open + getdents64, /proc/self/status): the default
 *   sys_posix.c   portable POSIX (opendir/readdir/fstatat, getrusage): the
 *                 default with `make PORTABLE=1`, and on macOS
 *   sys_mem.c     an in-memory tree for tests, which can fail, remove or
 *                 rewrite a file at a chosen call (sys_mem.h)
 *
 * The default backend is picked at build time (ds_sys_default); a caller
 * may pass another to ds_scan_run_sys / ds_resolver_new (tests do).
 *
 * Contract of every operation: `path` is an absolute NUL-terminated path;
 * the result is 0 or an errno value (ENOENT, ENOTDIR, ELOOP, EACCES,
 * ENAMETOOLONG, EIO …), never -1. Backends keep no state a caller can see
 * between calls except through the file system itself: they are
 * thread-safe and may be called without any of the scan's locks held (the
 * fs cache calls them with its user's lock released, fs.h). Caching,
 * invalidation and symlink following are the fs cache's job (fs.c), not the
 * backend's. */
#ifndef DS_SYS_H
#define DS_SYS_H

#include "arena.h"
#include "readfile.h"

enum ds_sys_type {
    DS_SYS_NONE = 0, /* no such entry */
    DS_SYS_FILE,     /* regular file */
    DS_SYS_DIR,
    DS_SYS_LINK,    /* a symlink (only without following) */
    DS_SYS_OTHER,   /* FIFO, socket, device */
    DS_SYS_UNKNOWN, /* list_dir only: the listing did not say; stat it */
};

/* One directory entry; `name` (len bytes, NUL-terminated) is valid during
 * the call only. A status other than DS_OK stops the listing. */
typedef enum ds_status (*ds_sys_entry_fn)(void *arg, const char *name, size_t len,
                                          enum ds_sys_type type);

struct ds_sys {
    void *ctx;
    const char *name; /* "linux", "posix", "mem": for messages and tests */
    /* Calls fn once per entry of directory `path` except "." and "..", in
     * the backend's order. Returns 0, or the errno of opening it (entries
     * listed before a later read error stand, as an end). When fn stops the
     * listing, its status is stored in *st (else *st is DS_OK). */
    int (*list_dir)(void *ctx, const char *path, ds_sys_entry_fn fn, void *arg, enum ds_status *st);
    /* The type of `path`, following a final symlink when `follow`. */
    int (*stat)(void *ctx, const char *path, bool follow, enum ds_sys_type *type);
    /* The target of symlink `path`: *len bytes in buf (not NUL-terminated);
     * ENAMETOOLONG when it does not fit in cap. */
    int (*readlink)(void *ctx, const char *path, char *buf, size_t cap, size_t *len);
    /* realpath(3) into buf (NUL-terminated); ENAMETOOLONG when it does not fit. */
    int (*realpath)(void *ctx, const char *path, char *buf, size_t cap);
    /* ds_read_file's contract (readfile.h): regular files only, capped, padded. */
    enum ds_status (*read_file)(void *ctx, const char *path, size_t max_bytes,
                                struct ds_arena *arena, struct ds_str *out,
                                struct ds_read_error *why);
};

/* The backend this build uses for real file systems (static; never freed). */
const struct ds_sys *ds_sys_default(void);

/* Reads the file `name` of directory `dir` (absolute) through `sys`, as
 * read_file does; out->ptr is NULL when it is absent, cannot be read or its
 * path is too long. The report and precise mode read a package.json so,
 * for the fields the resolver's cache does not keep. Only DS_ENOMEM fails. */
DS_MUST_CHECK enum ds_status ds_sys_read_in(const struct ds_sys *sys, struct ds_str dir,
                                            struct ds_str name, size_t max_bytes,
                                            struct ds_arena *arena, struct ds_str *out);

#endif
