/* `dscan gen`'s writer: a growable text buffer, and files, directories and
 * symlinks created relative to OUTDIR's descriptor and nowhere else. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gen.h"

const char *const gen_top_names[] = {
    "src",        "node_modules", "package.json",   "tsconfig.json",
    "dscan.json", "README.md",    "dscan-gen.json", NULL,
};

static bool gb_reserve(struct gbuf *b, size_t more)
{
    if (b->oom)
        return false;
    if (b->len + more + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void gb_putn(struct gbuf *b, const char *s, size_t n)
{
    if (!gb_reserve(b, n))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void gb_put(struct gbuf *b, const char *s)
{
    gb_putn(b, s, strlen(s));
}

void gb_printf(struct gbuf *b, const char *fmt, ...)
{
    va_list ap;
    char small[512];

    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        gb_putn(b, small, (size_t)n);
        return;
    }
    if (!gb_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void gb_free(struct gbuf *b)
{
    free(b->p);
    *b = (struct gbuf){0};
}

static int fail(struct gen_out *o, const char *what, const char *rel)
{
    snprintf(o->err, sizeof o->err, "cannot %s '%s': %s", what, rel, strerror(errno));
    return -1;
}

int gen_out_dirs(struct gen_out *o, const char *rel)
{
    const char *slash = strrchr(rel, '/');
    if (!slash)
        return 0;
    size_t dlen = (size_t)(slash - rel);
    if (dlen >= GEN_PATH_MAX) {
        errno = ENAMETOOLONG;
        return fail(o, "create directory for", rel);
    }
    if (strlen(o->last_dir) == dlen && memcmp(o->last_dir, rel, dlen) == 0)
        return 0;

    // Components shared with the last directory made exist already: files
    // come grouped by directory, so most calls make nothing.
    size_t common = 0;
    for (size_t i = 0;; i++) {
        char a = i < dlen ? rel[i] : '\0', c = o->last_dir[i];
        if ((a == '/' || a == '\0') && (c == '/' || c == '\0'))
            common = i;
        if (a != c || a == '\0')
            break;
    }
    char dir[GEN_PATH_MAX];
    memcpy(dir, rel, dlen);
    dir[dlen] = '\0';
    for (size_t i = common ? common + 1 : 0; i <= dlen; i++) {
        if (i < dlen && dir[i] != '/')
            continue;
        dir[i] = '\0';
        if (mkdirat(o->root_fd, dir, 0755) == 0)
            o->n_dirs++;
        else if (errno != EEXIST)
            return fail(o, "create directory", dir);
        if (i < dlen)
            dir[i] = '/';
    }
    memcpy(o->last_dir, rel, dlen);
    o->last_dir[dlen] = '\0';
    return 0;
}

int gen_out_open(struct gen_out *o, const char *rel)
{
    if (gen_out_dirs(o, rel) != 0)
        return -1;
    int fd = openat(o->root_fd, rel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return fail(o, "create", rel);
    o->n_files++;
    return fd;
}

int gen_out_write(struct gen_out *o, int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            snprintf(o->err, sizeof o->err, "cannot write: %s", strerror(errno));
            return -1;
        }
        p += w;
        n -= (size_t)w;
        o->n_bytes += (uint64_t)w;
    }
    return 0;
}

int gen_out_close(struct gen_out *o, int fd)
{
    if (close(fd) != 0) {
        snprintf(o->err, sizeof o->err, "cannot close: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int gen_out_file(struct gen_out *o, const char *rel)
{
    if (o->buf.oom) {
        snprintf(o->err, sizeof o->err, "out of memory writing '%s'", rel);
        return -1;
    }
    int fd = gen_out_open(o, rel);
    if (fd < 0)
        return -1;
    int rc = gen_out_write(o, fd, o->buf.p ? o->buf.p : "", o->buf.len);
    if (gen_out_close(o, fd) != 0 || rc != 0) {
        size_t l = strlen(o->err);
        snprintf(o->err + l, sizeof o->err - l, " ('%s')", rel);
        return -1;
    }
    o->buf.len = 0;
    return 0;
}

int gen_out_symlink(struct gen_out *o, const char *target, const char *rel)
{
    if (gen_out_dirs(o, rel) != 0)
        return -1;
    if (symlinkat(target, o->root_fd, rel) != 0)
        return fail(o, "create symlink", rel);
    o->n_links++;
    return 0;
}

int gen_remove_tree(int dfd, const char *name)
{
    struct stat st;

    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlinkat(dfd, name, 0);

    int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    // Removing entries while reading the directory may make readdir skip
    // some; read it again until a pass removes nothing.
    int rc = 0;
    for (bool removed = true; removed && rc == 0;) {
        struct dirent *e;
        removed = false;
        rewinddir(d);
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            if (gen_remove_tree(fd, e->d_name) != 0) {
                rc = -1;
                break;
            }
            removed = true;
        }
    }
    closedir(d);
    if (rc != 0)
        return -1;
    return unlinkat(dfd, name, AT_REMOVEDIR);
}
