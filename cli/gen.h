/* `dscan gen`: the pieces shared by its files.
 *
 *   gen.c          options, OUTDIR safety, the summary
 *   gen_out.c      a growable text buffer and the writer that puts files,
 *                  directories and symlinks under OUTDIR (and only there)
 *   gen_project.c  the project's shape: packages, app files, detours, big files,
 *                  written by gen_names.c, gen_pkgs.c, gen_icons.c, gen_big.c
 *                  and gen_app.c (their shared state: gen_project.h)
 *
 * Plain libc only: the generator needs nothing from the library. */
#ifndef DSCAN_GEN_H
#define DSCAN_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GEN_PATH_MAX 4096

struct gen_opts {
    unsigned long icons;      /* icon files behind the barrel */
    unsigned long files;      /* application source files under src/ besides the entries */
    unsigned long directives; /* of those, files with a directive */
    unsigned long entries;    /* extra entries src/entry-N.tsx */
    unsigned long detours;    /* imports reaching a file through another path string */
    unsigned long big_n;      /* big files ... */
    unsigned long big_mb;     /* ... of this many MiB each */
    uint64_t seed;
    bool pnpm;
    bool force;
    bool quiet;
};

/* Text being built for one file. Appends never fail: on out of memory the
 * buffer remembers it and gen_out_file reports it. */
struct gbuf {
    char *p;
    size_t len, cap;
    bool oom;
};

void gb_put(struct gbuf *b, const char *s);
void gb_putn(struct gbuf *b, const char *s, size_t n);
void gb_printf(struct gbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gb_free(struct gbuf *b);

/* Writes under one directory, named by an open descriptor: every path given
 * is relative to it, made of components the generator chose (no "..", no
 * absolute paths), and files are created with O_EXCL|O_NOFOLLOW, so nothing
 * is ever written outside OUTDIR or through a symlink. */
struct gen_out {
    int root_fd;
    char last_dir[GEN_PATH_MAX]; /* directories known to exist: this one and its parents */
    struct gbuf buf;             /* the next file's text */
    unsigned long n_files, n_links, n_dirs;
    uint64_t n_bytes;
    char err[2 * GEN_PATH_MAX + 256]; /* set when a call returns -1 */
};

/* Makes the parent directories of `rel` as needed. */
int gen_out_dirs(struct gen_out *o, const char *rel);
/* Writes o->buf to the new file `rel` and empties o->buf. */
int gen_out_file(struct gen_out *o, const char *rel);
/* Creates the symlink `rel` whose text is `target`. */
int gen_out_symlink(struct gen_out *o, const char *target, const char *rel);
/* Streams a file: open, any number of writes, close. Returns -1 on error. */
int gen_out_open(struct gen_out *o, const char *rel);
int gen_out_write(struct gen_out *o, int fd, const char *p, size_t n);
int gen_out_close(struct gen_out *o, int fd);

/* Removes `name` in the directory `dfd` and everything below it, never
 * following a symlink (a symlink is removed, not its target). */
int gen_remove_tree(int dfd, const char *name);

/* The names gen writes at the top of OUTDIR, NULL-terminated: --force
 * removes these and nothing else. */
extern const char *const gen_top_names[];

/* What the generator planted, as SPEC §3 writes paths ("/src/..."). */
struct gen_list {
    char **v;
    size_t n, cap;
};

struct gen_result {
    struct gen_list client, server;
    struct gen_list only_worker, only_client; /* found only through that environment */
    struct gen_list entries;                  /* relative to OUTDIR */
    unsigned long src_files, pkg_files;
};

/* Writes the whole project into o. Returns 0, or -1 with o->err set. */
int gen_project(struct gen_out *o, const struct gen_opts *opts, struct gen_result *res);
void gen_result_free(struct gen_result *res);

/* The command line that reproduces opts, with OUTDIR written as `dir`. */
void gen_command_line(struct gbuf *b, const struct gen_opts *opts, const char *dir);

#endif
