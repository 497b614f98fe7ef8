/* Directory listings of the fs cache (fs_int.h): a directory is listed
 * once through the backend, and every later question about a name in it is
 * a hash lookup. The backend call runs without the user's lock at
 * link_depth 0 (fs.h's rule). */
#include <pthread.h>

#include "fs_int.h"

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
 * (possibly without the lock): names packed in one buffer. Both buffers
 * start on the caller's stack, room for a usual directory, and move to the
 * heap only for a bigger one: allocating them per listing cost a third of a
 * listing when they grew from nothing, and with musl's allocator (the npm
 * package's static binaries) a pair of mmap/munmap calls each time. */
#define RAW_ENTS_HERE  64
#define RAW_NAMES_HERE 2048

struct raw_ent {
    uint32_t off, len;
    uint8_t type;
};

struct raw_listing {
    struct ds_alloc *alloc;
    struct raw_ent *ents;
    size_t n, cap;
    char *names;
    size_t names_len, names_cap;
    struct raw_ent ents_here[RAW_ENTS_HERE];
    char names_here[RAW_NAMES_HERE];
};

/* Grows one of l's buffers to hold `need` items of `size` bytes; a buffer
 * still on the stack is copied to the heap. */
static enum ds_status grow_raw(struct raw_listing *l, void **buf, size_t *cap, const void *here,
                               size_t need, size_t size)
{
    if (*buf != here)
        return ds_alloc_grow(l->alloc, buf, cap, need, size);
    void *heap = NULL;
    size_t heap_cap = 0;
    enum ds_status st = ds_alloc_grow(l->alloc, &heap, &heap_cap, need, size);
    if (st != DS_OK)
        return st;
    memcpy(heap, *buf, *cap * size);
    *buf = heap;
    *cap = heap_cap;
    return DS_OK;
}

static void free_raw(struct raw_listing *l)
{
    if (l->ents != l->ents_here)
        ds_alloc_free(l->alloc, l->ents);
    if (l->names != l->names_here)
        ds_alloc_free(l->alloc, l->names);
}

static enum ds_status collect(void *arg, const char *name, size_t len, enum ds_sys_type type)
{
    struct raw_listing *l = arg;
    enum ds_status st;
    uint8_t t;

    if (len > UINT32_MAX / 2 || l->names_len > UINT32_MAX / 2)
        return DS_ELIMIT;
    // Grown only when full: this runs once per directory entry.
    if (l->n == l->cap) {
        st = grow_raw(l, (void **)&l->ents, &l->cap, l->ents_here, l->n + 1, sizeof *l->ents);
        if (st != DS_OK)
            return st;
    }
    if (l->names_len + len + 1 > l->names_cap) {
        st = grow_raw(l, (void **)&l->names, &l->names_cap, l->names_here, l->names_len + len + 1,
                      1);
        if (st != DS_OK)
            return st;
    }
    switch (type) {
    case DS_SYS_FILE: t = E_FILE; break;
    case DS_SYS_DIR: t = E_DIR; break;
    case DS_SYS_LINK: t = E_LINK; break;
    case DS_SYS_UNKNOWN: t = E_UNKNOWN; break;
    default: t = E_OTHER; break;
    }
    ds_copy(l->names + l->names_len, name, len);
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
    struct raw_listing l;
    enum ds_status st = DS_OK;
    bool unlocked = false;
    uint32_t epoch = fs->dirs[d].listing_epoch;

    l.alloc = fs->alloc;
    l.ents = l.ents_here;
    l.cap = RAW_ENTS_HERE;
    l.names = l.names_here;
    l.names_cap = RAW_NAMES_HERE;
    l.n = l.names_len = 0;
    if (ds_str_to_cstr(fs->dirs[d].path, path, sizeof path)) {
        fs->stats.syscalls++;
        fs->stats.dirs_listed++;
        if (ds_fs_may_unlock(fs) && fs->dirs[d].state == D_UNLISTED) {
            fs->dirs[d].state = D_LISTING;
            ds_fs_drop_lock(fs);
            unlocked = true;
        }
        // An error opening it (vanished, unreadable): empty, as documented.
        int err = fs->sys->list_dir(fs->sys->ctx, path, collect, &l, &st);
        DS_UNUSED(err);
        if (st == DS_ELIMIT)
            st = DS_OK; // absurd names: what was listed stands
        if (unlocked) {
            ds_fs_retake_lock(fs);
            if (fs->dirs[d].state == D_LISTED) {
                // A thread following a link listed it meanwhile: keep that one.
                free_raw(&l);
                return st;
            }
        }
    }
    if (st == DS_OK)
        st = publish_listing(fs, d, &l);
    free_raw(&l);
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

enum ds_status ds_fs_find_ent(struct ds_fs *fs, enum ds_fs_access how, uint32_t d,
                              struct ds_str name, struct fs_ent **out)
{
    enum ds_status st;

    *out = NULL;
    if (how == DS_FS_PEEK && fs->dirs[d].state != D_LISTED)
        return DS_EFILL;
    // Another thread is listing it without the lock: wait, unless this one
    // follows a link (it must not drop the lock then), and lists it too.
    while (fs->dirs[d].state == D_LISTING && ds_fs_may_unlock(fs))
        ds_fs_wait_listed(fs);
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
        if (e->len == name.len && ds_mem_eq(e->name, name.ptr, name.len)) {
            *out = e;
            return DS_OK;
        }
    }
    return DS_OK;
}
