/* The fs cache's parts, shared by its files (not an interface; fs.h is):
 *   fs.c        lifecycle, spelled paths -> directories, the public calls
 *   fs_list.c   listing a directory once and looking names up in it
 *   fs_link.c   following a symlink once and remembering where it leads
 * The lock rule is fs.h's. */
#ifndef DS_FS_INT_H
#define DS_FS_INT_H

#include <assert.h>
#include <pthread.h>

#include "fs.h"

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

#define N_LAST_DIRS 4

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
    pthread_mutex_t *lock;  /* the user's, dropped around syscalls; NULL: never */
    pthread_rwlock_t *gate; /* the user's peek gate, held to write with `lock`; NULL: none */
    uint64_t gen;           /* times `lock` was dropped (fs.h) */
    uint32_t epoch;         /* bumped by ds_fs_invalidate_dir */
    pthread_cond_t listed;  /* broadcast when a D_LISTING directory is done */
    unsigned n_waiting;     /* threads waiting on `listed` */
    bool has_cond;
    /* The last directories dir_of answered (a fill's), replaced in turn: a
     * resolution probes one directory for several names in a row, and
     * between them its parent (is the directory there?) or a node_modules
     * on the way up; memcmp is cheaper than rehashing the path. */
    struct fs_last_dir {
        char path[DS_MAX_PATH + 1];
        size_t len; /* 0: empty */
        uint32_t dir;
        bool loop;
    } last[N_LAST_DIRS];
    unsigned last_next; /* the slot replaced next */
};

/* May this call drop the user's lock now? Not while following a link. */
static inline bool ds_fs_may_unlock(const struct ds_fs *fs)
{
    return fs->lock && fs->link_depth == 0;
}

/* The only places the user's lock is released (fs.h's rule), with the
 * gate: peeks run meanwhile. */
static inline void ds_fs_drop_lock(struct ds_fs *fs)
{
    assert(ds_fs_may_unlock(fs));
    if (fs->gate)
        pthread_rwlock_unlock(fs->gate);
    pthread_mutex_unlock(fs->lock);
}

static inline void ds_fs_retake_lock(struct ds_fs *fs)
{
    pthread_mutex_lock(fs->lock);
    if (fs->gate)
        ds_rwlock_wrlock(fs->gate);
    fs->gen++;
}

/* Waits on `listed`, which releases the lock as a drop does. */
static inline void ds_fs_wait_listed(struct ds_fs *fs)
{
    assert(ds_fs_may_unlock(fs));
    if (fs->gate)
        pthread_rwlock_unlock(fs->gate);
    fs->n_waiting++;
    pthread_cond_wait(&fs->listed, fs->lock);
    fs->n_waiting--;
    if (fs->gate)
        ds_rwlock_wrlock(fs->gate);
    fs->gen++;
}

/* fs_list.c: entry `name` of directory d, listing d first if needed
 * (*out NULL when absent). May release the lock (fs.h); with DS_FS_PEEK,
 * DS_EFILL when d is not listed. */
DS_MUST_CHECK enum ds_status ds_fs_find_ent(struct ds_fs *fs, enum ds_fs_access how, uint32_t d,
                                            struct ds_str name, struct fs_ent **out);

/* fs.c */
/* The directory record for real path `real`, creating it. */
DS_MUST_CHECK enum ds_status ds_fs_dir_for_real(struct ds_fs *fs, struct ds_str real,
                                                uint32_t *out);
/* Is what the fs remembers of spelled path `p` still valid? Its name id, or DS_NO_ID. */
uint32_t ds_fs_known_name(const struct ds_fs *fs, struct ds_str p);
/* Splits a path into its directory's record and its entry (followed when
 * a link). *e is NULL when the parent is not a directory or has no such entry. */
DS_MUST_CHECK enum ds_status ds_fs_lookup(struct ds_fs *fs, enum ds_fs_access how,
                                          struct ds_str path, uint32_t *d_out,
                                          struct fs_ent **e_out, bool *loop);

/* fs_link.c: follows the symlink (or DT_UNKNOWN entry) e of directory d once. */
DS_MUST_CHECK enum ds_status ds_fs_follow_link(struct ds_fs *fs, uint32_t d, struct fs_ent *e);

#endif
