/* The in-memory backend (sys_mem.h). A flat list of nodes keyed by their
 * real path: a test tree has tens of entries, so linear searches are fine
 * and keep it obviously right. Faults are checked at the start of every
 * call, under the mutex, so "the nth call" is well defined even when
 * several threads call at once. */
#include <errno.h>
#include <pthread.h>

#include "sys_mem.h"

#define MAX_FAULTS 8

struct node {
    char *path; /* real, normal */
    enum ds_sys_type type;
    char *data; /* file text or link target */
    size_t len;
};

struct armed {
    struct ds_sys_mem_fault f;
    unsigned seen;
    bool fired;
};

struct ds_sys_mem {
    struct ds_alloc *alloc;
    struct ds_sys sys;
    pthread_mutex_t lock;
    struct node *nodes;
    size_t n, cap;
    struct armed faults[MAX_FAULTS];
    size_t n_faults;
    unsigned long calls[DS_MEM_READ + 1];
};

static char *dup_bytes(struct ds_alloc *a, const char *s, size_t len)
{
    char *p = ds_alloc_malloc(a, len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

static struct node *find(struct ds_sys_mem *m, const char *path)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->nodes[i].path, path) == 0)
            return &m->nodes[i];
    return NULL;
}

/* Is `path` strictly under directory `dir`? */
static bool under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1)
        return path[0] == '/' && path[1] != '\0';
    return strncmp(path, dir, n) == 0 && path[n] == '/';
}

static void remove_locked(struct ds_sys_mem *m, const char *path)
{
    char keep[DS_MAX_PATH + 1];

    if (strlen(path) > DS_MAX_PATH || strcmp(path, "/") == 0)
        return;
    memcpy(keep, path, strlen(path) + 1); // `path` may be a node's own
    for (size_t i = 0; i < m->n;) {
        if (strcmp(m->nodes[i].path, keep) == 0 || under(m->nodes[i].path, keep)) {
            ds_alloc_free(m->alloc, m->nodes[i].path);
            ds_alloc_free(m->alloc, m->nodes[i].data);
            m->nodes[i] = m->nodes[--m->n];
        } else {
            i++;
        }
    }
}

/* Adds (or replaces) node `path`, creating its parents as directories. */
static enum ds_status put_locked(struct ds_sys_mem *m, const char *path, enum ds_sys_type type,
                                 const char *data, size_t len)
{
    char parent[DS_MAX_PATH + 1];
    size_t plen = strlen(path);
    enum ds_status st;

    if (plen == 0 || path[0] != '/' || plen > DS_MAX_PATH)
        return DS_EINVAL;
    if (plen == 1)
        return DS_OK; // the root is always a directory
    const char *slash = strrchr(path, '/');
    size_t dl = slash == path ? 1 : (size_t)(slash - path);
    memcpy(parent, path, dl);
    parent[dl] = '\0';
    struct node *p = find(m, parent);
    if (!p && dl > 1) {
        st = put_locked(m, parent, DS_SYS_DIR, NULL, 0);
        if (st != DS_OK)
            return st;
    }
    struct node *old = find(m, path);
    if (old && old->type == DS_SYS_DIR && type == DS_SYS_DIR)
        return DS_OK;
    if (old)
        remove_locked(m, path);
    st = ds_alloc_grow(m->alloc, (void **)&m->nodes, &m->cap, m->n + 1, sizeof *m->nodes);
    if (st != DS_OK)
        return st;
    struct node nd = {dup_bytes(m->alloc, path, plen), type, NULL, len};
    if (!nd.path)
        return DS_ENOMEM;
    if (data && !(nd.data = dup_bytes(m->alloc, data, len))) {
        ds_alloc_free(m->alloc, nd.path);
        return DS_ENOMEM;
    }
    m->nodes[m->n++] = nd;
    return DS_OK;
}

/* Walks `path` as the kernel does; *real gets the real path of what it
 * names (of the link itself when !follow_last). 0 or an errno. */
static int walk(struct ds_sys_mem *m, const char *path, bool follow_last, char *real, size_t cap,
                struct node **out)
{
    char todo[2 * DS_MAX_PATH + 2], cur[DS_MAX_PATH + 1] = "/";
    size_t pos = 0, clen = 1;
    unsigned hops = 0;

    *out = NULL;
    if (strlen(path) > DS_MAX_PATH)
        return ENAMETOOLONG;
    memcpy(todo, path, strlen(path) + 1);
    for (;;) {
        while (todo[pos] == '/')
            pos++;
        if (!todo[pos])
            break;
        size_t end = pos;
        while (todo[end] && todo[end] != '/')
            end++;
        size_t nlen = end - pos, after = end;
        while (todo[after] == '/')
            after++;
        bool last = !todo[after];
        if (nlen == 1 && todo[pos] == '.') {
            pos = end;
            continue;
        }
        if (nlen == 2 && todo[pos] == '.' && todo[pos + 1] == '.') {
            while (clen > 1 && cur[clen - 1] != '/')
                clen--;
            if (clen > 1)
                clen--;
            cur[clen] = '\0';
            pos = end;
            continue;
        }
        char cand[DS_MAX_PATH + 1];
        size_t base = clen == 1 ? 0 : clen;
        if (base + 1 + nlen > DS_MAX_PATH)
            return ENAMETOOLONG;
        memcpy(cand, cur, base);
        cand[base] = '/';
        memcpy(cand + base + 1, todo + pos, nlen);
        cand[base + 1 + nlen] = '\0';
        struct node *nd = find(m, cand);
        if (!nd)
            return ENOENT;
        if (nd->type == DS_SYS_LINK && (!last || follow_last)) {
            if (++hops > DS_MAX_SYMLINK_HOPS)
                return ELOOP;
            char next[2 * DS_MAX_PATH + 2];
            size_t rest = strlen(todo + end);
            if (nd->len + rest + 1 > sizeof next)
                return ENAMETOOLONG;
            memcpy(next, nd->data, nd->len);
            memcpy(next + nd->len, todo + end, rest + 1);
            memcpy(todo, next, nd->len + rest + 1);
            pos = 0;
            if (nd->len && nd->data[0] == '/') {
                clen = 1;
                cur[1] = '\0';
            }
            continue;
        }
        if (!last && nd->type != DS_SYS_DIR)
            return ENOTDIR;
        clen = base + 1 + nlen;
        memcpy(cur, cand, clen + 1);
        pos = end;
    }
    if (clen >= cap)
        return ENAMETOOLONG;
    memcpy(real, cur, clen + 1);
    *out = clen == 1 ? NULL : find(m, cur);
    return 0;
}

/* Counts the call and fires a fault that is due. 0, or the errno of a
 * DS_MEM_FAIL. Called with the lock held. */
static int enter(struct ds_sys_mem *m, enum ds_sys_mem_op op, const char *path)
{
    m->calls[DS_MEM_ANY]++;
    m->calls[op]++;
    for (size_t i = 0; i < m->n_faults; i++) {
        struct armed *a = &m->faults[i];
        if (a->fired || (a->f.op != DS_MEM_ANY && a->f.op != op) ||
            (a->f.prefix && strncmp(path, a->f.prefix, strlen(a->f.prefix)) != 0))
            continue;
        if (++a->seen != a->f.nth)
            continue;
        a->fired = true;
        const char *target = a->f.target ? a->f.target : path;
        switch (a->f.action) {
        case DS_MEM_FAIL: return a->f.err ? a->f.err : EIO;
        case DS_MEM_REMOVE: remove_locked(m, target); break;
        case DS_MEM_CALL:
            // Fired already, so a call made by fn does not fire it again.
            pthread_mutex_unlock(&m->lock);
            a->f.fn(a->f.arg);
            pthread_mutex_lock(&m->lock);
            break;
        case DS_MEM_WRITE: {
            enum ds_status st = put_locked(m, target, DS_SYS_FILE, a->f.text ? a->f.text : "",
                                           a->f.text ? strlen(a->f.text) : 0);
            if (st != DS_OK)
                return ENOMEM;
            break;
        }
        }
    }
    return 0;
}

static enum ds_sys_type type_of(const struct node *nd)
{
    return nd ? nd->type : DS_SYS_DIR; // NULL: the root
}

struct listed {
    char *name;
    size_t len;
    enum ds_sys_type type;
};

static int mem_list(void *ctx, const char *path, ds_sys_entry_fn fn, void *arg, enum ds_status *st)
{
    struct ds_sys_mem *m = ctx;
    char real[DS_MAX_PATH + 1];
    struct node *nd;
    struct listed *l = NULL;
    size_t n = 0, cap = 0;

    *st = DS_OK;
    pthread_mutex_lock(&m->lock);
    int err = enter(m, DS_MEM_LIST, path);
    if (!err)
        err = walk(m, path, true, real, sizeof real, &nd);
    if (!err && type_of(nd) != DS_SYS_DIR)
        err = ENOTDIR;
    for (size_t i = 0; !err && *st == DS_OK && i < m->n; i++) {
        const char *p = m->nodes[i].path;
        if (!under(p, real) || strchr(p + strlen(real) + (strlen(real) > 1), '/'))
            continue; // not a direct child
        const char *name = strrchr(p, '/') + 1;
        *st = ds_alloc_grow(m->alloc, (void **)&l, &cap, n + 1, sizeof *l);
        if (*st == DS_OK && !(l[n].name = dup_bytes(m->alloc, name, strlen(name))))
            *st = DS_ENOMEM;
        if (*st == DS_OK) {
            l[n].len = strlen(name);
            l[n].type = m->nodes[i].type;
            n++;
        }
    }
    pthread_mutex_unlock(&m->lock);
    // The callback runs without the lock: it may call back into the backend.
    for (size_t i = 0; i < n && *st == DS_OK; i++)
        *st = fn(arg, l[i].name, l[i].len, l[i].type);
    for (size_t i = 0; i < n; i++)
        ds_alloc_free(m->alloc, l[i].name);
    ds_alloc_free(m->alloc, l);
    return err;
}

static int mem_stat(void *ctx, const char *path, bool follow, enum ds_sys_type *type)
{
    struct ds_sys_mem *m = ctx;
    char real[DS_MAX_PATH + 1];
    struct node *nd;

    *type = DS_SYS_NONE;
    pthread_mutex_lock(&m->lock);
    int err = enter(m, DS_MEM_STAT, path);
    if (!err)
        err = walk(m, path, follow, real, sizeof real, &nd);
    if (!err)
        *type = type_of(nd);
    pthread_mutex_unlock(&m->lock);
    return err;
}

static int mem_readlink(void *ctx, const char *path, char *buf, size_t cap, size_t *len)
{
    struct ds_sys_mem *m = ctx;
    char real[DS_MAX_PATH + 1];
    struct node *nd;

    *len = 0;
    pthread_mutex_lock(&m->lock);
    int err = enter(m, DS_MEM_READLINK, path);
    if (!err)
        err = walk(m, path, false, real, sizeof real, &nd);
    if (!err && type_of(nd) != DS_SYS_LINK)
        err = EINVAL;
    if (!err && nd->len >= cap)
        err = ENAMETOOLONG;
    if (!err) {
        memcpy(buf, nd->data, nd->len);
        *len = nd->len;
    }
    pthread_mutex_unlock(&m->lock);
    return err;
}

static int mem_realpath(void *ctx, const char *path, char *buf, size_t cap)
{
    struct ds_sys_mem *m = ctx;
    struct node *nd;

    pthread_mutex_lock(&m->lock);
    int err = enter(m, DS_MEM_REALPATH, path);
    if (!err)
        err = walk(m, path, true, buf, cap, &nd);
    pthread_mutex_unlock(&m->lock);
    return err;
}

static enum ds_status mem_read(void *ctx, const char *path, size_t max_bytes,
                               struct ds_arena *arena, struct ds_str *out,
                               struct ds_read_error *why)
{
    struct ds_sys_mem *m = ctx;
    char real[DS_MAX_PATH + 1];
    struct node *nd = NULL;
    enum ds_status st = DS_OK;

    *why = (struct ds_read_error){0};
    pthread_mutex_lock(&m->lock);
    int err = enter(m, DS_MEM_READ, path);
    if (!err)
        err = walk(m, path, true, real, sizeof real, &nd);
    if (err) {
        why->sys_errno = err;
        why->reason = strerror(err);
        st = err == ENOENT || err == ENOTDIR ? DS_ENOENT : DS_EIO;
    } else if (type_of(nd) != DS_SYS_FILE) {
        why->reason = type_of(nd) == DS_SYS_DIR ? "is a directory" : "not a regular file";
        st = DS_EINVAL;
    } else if (nd->len > max_bytes) {
        why->reason = "file too large";
        st = DS_ELIMIT;
    } else {
        char *p = ds_arena_alloc(arena, nd->len + DS_READ_PAD);
        if (!p) {
            why->reason = "out of memory";
            st = DS_ENOMEM;
        } else {
            memcpy(p, nd->data, nd->len);
            memset(p + nd->len, 0, DS_READ_PAD);
            *out = ds_str_make(p, nd->len);
        }
    }
    pthread_mutex_unlock(&m->lock);
    return st;
}

enum ds_status ds_sys_mem_new(struct ds_alloc *alloc, struct ds_sys_mem **out)
{
    struct ds_sys_mem *m = ds_alloc_calloc(alloc, 1, sizeof *m);

    if (!m)
        return DS_ENOMEM;
    if (pthread_mutex_init(&m->lock, NULL) != 0) {
        ds_alloc_free(alloc, m);
        return DS_ENOMEM;
    }
    m->alloc = alloc;
    m->sys = (struct ds_sys){.ctx = m,
                             .name = "mem",
                             .list_dir = mem_list,
                             .stat = mem_stat,
                             .readlink = mem_readlink,
                             .realpath = mem_realpath,
                             .read_file = mem_read};
    *out = m;
    return DS_OK;
}

void ds_sys_mem_free(struct ds_sys_mem *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        ds_alloc_free(m->alloc, m->nodes[i].path);
        ds_alloc_free(m->alloc, m->nodes[i].data);
    }
    ds_alloc_free(m->alloc, m->nodes);
    pthread_mutex_destroy(&m->lock);
    ds_alloc_free(m->alloc, m);
}

const struct ds_sys *ds_sys_mem_sys(struct ds_sys_mem *m)
{
    return &m->sys;
}

static enum ds_status put(struct ds_sys_mem *m, const char *path, enum ds_sys_type type,
                          const char *data)
{
    pthread_mutex_lock(&m->lock);
    enum ds_status st = put_locked(m, path, type, data, data ? strlen(data) : 0);
    pthread_mutex_unlock(&m->lock);
    return st;
}

enum ds_status ds_sys_mem_dir(struct ds_sys_mem *m, const char *path)
{
    return put(m, path, DS_SYS_DIR, NULL);
}

enum ds_status ds_sys_mem_file(struct ds_sys_mem *m, const char *path, const char *text)
{
    return put(m, path, DS_SYS_FILE, text ? text : "");
}

enum ds_status ds_sys_mem_link(struct ds_sys_mem *m, const char *path, const char *target)
{
    return put(m, path, DS_SYS_LINK, target);
}

enum ds_status ds_sys_mem_other(struct ds_sys_mem *m, const char *path)
{
    return put(m, path, DS_SYS_OTHER, NULL);
}

void ds_sys_mem_remove(struct ds_sys_mem *m, const char *path)
{
    pthread_mutex_lock(&m->lock);
    remove_locked(m, path);
    pthread_mutex_unlock(&m->lock);
}

enum ds_status ds_sys_mem_inject(struct ds_sys_mem *m, const struct ds_sys_mem_fault *fault)
{
    pthread_mutex_lock(&m->lock);
    enum ds_status st = DS_ELIMIT;
    if (m->n_faults < MAX_FAULTS) {
        m->faults[m->n_faults++] = (struct armed){.f = *fault};
        st = DS_OK;
    }
    pthread_mutex_unlock(&m->lock);
    return st;
}

unsigned long ds_sys_mem_calls(struct ds_sys_mem *m, enum ds_sys_mem_op op)
{
    pthread_mutex_lock(&m->lock);
    unsigned long n = m->calls[op];
    pthread_mutex_unlock(&m->lock);
    return n;
}
