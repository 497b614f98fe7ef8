/* An in-memory file system behind the seam (sys.h), for tests: a tree of
 * directories, files and symlinks built by calls, and faults injected at a
 * chosen call — the n-th call whose path starts with a prefix (or any
 * path) fails with an errno, or first removes or rewrites a file, so a
 * test can make a file vanish or change between a listing and a read, or
 * a package.json appear between two resolutions, deterministically.
 *
 * Paths are absolute and normal ("/app/src/a.ts"). Parents are created as
 * needed. Symlinks are followed as the kernel does (relative targets from
 * the link's directory, at most DS_MAX_SYMLINK_HOPS hops, then ELOOP).
 * Thread-safe (one mutex); the entry callback of list_dir runs without it,
 * so a callback may call back into the backend. */
#ifndef DS_SYS_MEM_H
#define DS_SYS_MEM_H

#include "sys.h"

struct ds_sys_mem;

enum ds_sys_mem_op {
    DS_MEM_ANY = 0,
    DS_MEM_LIST,
    DS_MEM_STAT,
    DS_MEM_READLINK,
    DS_MEM_REALPATH,
    DS_MEM_READ,
};

enum ds_sys_mem_action {
    DS_MEM_FAIL,   /* the call fails with `err` (EIO, EACCES …) */
    DS_MEM_REMOVE, /* `target` (and what is under it) is removed, then the call runs */
    DS_MEM_WRITE,  /* `target` becomes a file holding `text`, then the call runs */
    DS_MEM_CALL,   /* fn(arg) runs (without the backend's lock), then the call runs:
                    * a test starts and joins another thread there, to put its
                    * work exactly inside this call */
};

struct ds_sys_mem_fault {
    enum ds_sys_mem_op op; /* which calls count (DS_MEM_ANY: all) */
    const char *prefix;    /* ...whose path starts with it (NULL: any) */
    unsigned nth;          /* fires on the nth counted call (1-based) */
    enum ds_sys_mem_action action;
    int err;               /* DS_MEM_FAIL */
    const char *target;    /* DS_MEM_REMOVE / DS_MEM_WRITE (NULL: the call's path) */
    const char *text;      /* DS_MEM_WRITE */
    void (*fn)(void *arg); /* DS_MEM_CALL */
    void *arg;
};

DS_MUST_CHECK enum ds_status ds_sys_mem_new(struct ds_alloc *alloc, struct ds_sys_mem **out);
void ds_sys_mem_free(struct ds_sys_mem *m);
/* The backend to hand to ds_config_load_sys / ds_fs_new (lives as long as m). */
const struct ds_sys *ds_sys_mem_sys(struct ds_sys_mem *m);

DS_MUST_CHECK enum ds_status ds_sys_mem_dir(struct ds_sys_mem *m, const char *path);
DS_MUST_CHECK enum ds_status ds_sys_mem_file(struct ds_sys_mem *m, const char *path,
                                             const char *text);
DS_MUST_CHECK enum ds_status ds_sys_mem_link(struct ds_sys_mem *m, const char *path,
                                             const char *target);
/* A FIFO-like entry: exists, is neither file, directory nor link. */
DS_MUST_CHECK enum ds_status ds_sys_mem_other(struct ds_sys_mem *m, const char *path);
/* Removes `path` and everything under it (no-op when absent). */
void ds_sys_mem_remove(struct ds_sys_mem *m, const char *path);

/* Arms one more fault (up to 8 at once); each fires once. The strings are
 * not copied: they must outlive the backend. */
DS_MUST_CHECK enum ds_status ds_sys_mem_inject(struct ds_sys_mem *m,
                                               const struct ds_sys_mem_fault *fault);
/* How many calls of kind `op` (DS_MEM_ANY: all) were made so far. */
unsigned long ds_sys_mem_calls(struct ds_sys_mem *m, enum ds_sys_mem_op op);

#endif
