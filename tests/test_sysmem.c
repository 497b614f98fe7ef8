/* The file-system seam (sys.h) on the in-memory backend (sys_mem.h): the
 * backend itself, the fs cache's invalidation and lock generation, the
 * resolver and whole scans on in-memory trees, with failures, vanishing
 * and changing files injected at chosen calls, and threads racing through
 * the same links (run under ThreadSanitizer by `make tsan`). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "fs.h"
#include "resolve.h"
#include "scan.h"
#include "sys_mem.h"

/* files: path, content pairs ending with NULL. "->x" makes a symlink to x,
 * "<dir>" a directory, "<fifo>" a FIFO-like entry. */
static struct ds_sys_mem *mem_tree(struct ds_alloc *a, const char *const *files)
{
    struct ds_sys_mem *m;
    if (ds_sys_mem_new(a, &m) != DS_OK)
        exit(2);
    for (size_t i = 0; files[i]; i += 2) {
        const char *c = files[i + 1];
        enum ds_status st = c[0] == '-' && c[1] == '>' ? ds_sys_mem_link(m, files[i], c + 2)
                            : strcmp(c, "<dir>") == 0  ? ds_sys_mem_dir(m, files[i])
                            : strcmp(c, "<fifo>") == 0 ? ds_sys_mem_other(m, files[i])
                                                       : ds_sys_mem_file(m, files[i], c);
        if (st != DS_OK)
            exit(2);
    }
    return m;
}

/* A pnpm-shaped app: a package reached through two links, with exports. */
static const char *const app[] = {
    "/app/package.json",
    "{\"name\":\"app\"}",
    "/app/src/worker.tsx",
    "import {B} from './b';\nimport x from 'pkg';\nexport default 1;\n",
    "/app/src/b.tsx",
    "'use client';\nimport './c.js';\nexport const B = 1;\n",
    "/app/src/c.ts",
    "export const c = 1;\n",
    "/app/node_modules/pkg",
    "->.pnpm/pkg@1.0.0/node_modules/pkg",
    "/app/node_modules/.pnpm/pkg@1.0.0/node_modules/pkg/package.json",
    "{\"name\":\"pkg\",\"exports\":{\".\":{\"import\":\"./esm/index.js\",\"default\":\"./cjs.js\"}}}",
    "/app/node_modules/.pnpm/pkg@1.0.0/node_modules/pkg/esm/index.js",
    "'use server';\nexport async function act() {}\n",
    "/app/node_modules/.pnpm/pkg@1.0.0/node_modules/pkg/cjs.js",
    "module.exports = 1;\n",
    NULL,
};

TEST(sysmem_backend_follows_links_as_the_kernel)
{
    struct ds_alloc a;
    ds_alloc_init(&a, NULL, 0);
    static const char *const files[] = {
        "/a/f",        "hi",     "/a/l",     "->f",     "/a/up",    "->../b",
        "/b/g",        "x",      "/a/loop1", "->loop2", "/a/loop2", "->loop1",
        "/a/dangling", "->nope", "/a/p",     "<fifo>",  NULL,
    };
    struct ds_sys_mem *m = mem_tree(&a, files);
    const struct ds_sys *sys = ds_sys_mem_sys(m);
    enum ds_sys_type t;
    char buf[DS_MAX_PATH + 1];
    size_t n;

    CHECK_EQ_INT(sys->stat(sys->ctx, "/a/l", true, &t), 0);
    CHECK_EQ_INT(t, DS_SYS_FILE);
    CHECK_EQ_INT(sys->stat(sys->ctx, "/a/l", false, &t), 0);
    CHECK_EQ_INT(t, DS_SYS_LINK);
    CHECK_EQ_INT(sys->stat(sys->ctx, "/a/up/g", true, &t), 0);
    CHECK_EQ_INT(t, DS_SYS_FILE);
    CHECK_EQ_INT(sys->stat(sys->ctx, "/a/loop1", true, &t), ELOOP);
    CHECK_EQ_INT(sys->stat(sys->ctx, "/a/dangling", true, &t), ENOENT);
    CHECK_EQ_INT(sys->stat(sys->ctx, "/a/f/x", true, &t), ENOTDIR);
    CHECK_EQ_INT(sys->stat(sys->ctx, "/a/p", true, &t), 0);
    CHECK_EQ_INT(t, DS_SYS_OTHER);
    CHECK_EQ_INT(sys->realpath(sys->ctx, "/a/up/../a/l", buf, sizeof buf), 0);
    CHECK_EQ_STR(buf, "/a/f");
    CHECK_EQ_INT(sys->readlink(sys->ctx, "/a/up", buf, sizeof buf, &n), 0);
    CHECK_EQ_INT(n, 4);
    CHECK_EQ_INT(sys->readlink(sys->ctx, "/a/f", buf, sizeof buf, &n), EINVAL);
    struct ds_arena ar;
    struct ds_str text;
    struct ds_read_error why;
    ds_arena_init(&ar, &a, 0);
    CHECK_EQ_INT(sys->read_file(sys->ctx, "/a/l", 100, &ar, &text, &why), DS_OK);
    CHECK(ds_str_eq(text, DS_STR("hi")) && text.ptr[2] == '\0');
    CHECK_EQ_INT(sys->read_file(sys->ctx, "/a/l", 1, &ar, &text, &why), DS_ELIMIT);
    CHECK_EQ_INT(sys->read_file(sys->ctx, "/a", 100, &ar, &text, &why), DS_EINVAL);
    CHECK_EQ_STR(why.reason, "is a directory");
    ds_arena_release(&ar);
    ds_sys_mem_free(m);
    CHECK_EQ_INT(atomic_load(&a.current), 0);
}

/* ---- the fs cache ------------------------------------------------------- */

TEST(fs_invalidate_dir_sees_a_new_file)
{
    struct ds_alloc a;
    ds_alloc_init(&a, NULL, 0);
    static const char *const files[] = {"/p/a.ts", "", "/p/d", "->../q", "/q/x.ts", "", NULL};
    struct ds_sys_mem *m = mem_tree(&a, files);
    struct ds_fs *fs;
    enum ds_fs_type t;

    CHECK_EQ_INT(ds_fs_new(&a, ds_sys_mem_sys(m), &fs), DS_OK);
    CHECK_EQ_INT(ds_fs_type(fs, DS_FS_FILL, DS_STR("/p/b.ts"), &t), DS_OK);
    CHECK_EQ_INT(t, DS_FS_NONE);
    CHECK_EQ_INT(ds_fs_type(fs, DS_FS_FILL, DS_STR("/p/d/x.ts"), &t), DS_OK);
    CHECK_EQ_INT(t, DS_FS_FILE);
    unsigned long lists = ds_sys_mem_calls(m, DS_MEM_LIST);
    CHECK(ds_sys_mem_file(m, "/p/b.ts", "") == DS_OK);
    // Cached: one scan sees one filesystem.
    CHECK_EQ_INT(ds_fs_type(fs, DS_FS_FILL, DS_STR("/p/b.ts"), &t), DS_OK);
    CHECK_EQ_INT(t, DS_FS_NONE);
    CHECK_EQ_INT(ds_sys_mem_calls(m, DS_MEM_LIST), lists);
    CHECK_EQ_INT(ds_fs_invalidate_dir(fs, DS_STR("/p")), DS_OK);
    CHECK_EQ_INT(ds_fs_type(fs, DS_FS_FILL, DS_STR("/p/b.ts"), &t), DS_OK);
    CHECK_EQ_INT(t, DS_FS_FILE);
    CHECK_EQ_INT(ds_sys_mem_calls(m, DS_MEM_LIST), lists + 1);
    // The link is re-read too: /p/d now leads elsewhere.
    CHECK(ds_sys_mem_link(m, "/p/d", "../r") == DS_OK);
    CHECK(ds_sys_mem_file(m, "/r/y.ts", "") == DS_OK);
    CHECK_EQ_INT(ds_fs_invalidate_dir(fs, DS_STR("/p")), DS_OK);
    CHECK_EQ_INT(ds_fs_type(fs, DS_FS_FILL, DS_STR("/p/d/y.ts"), &t), DS_OK);
    CHECK_EQ_INT(t, DS_FS_NONE); // "/" is listed without r: its change is reported too
    CHECK_EQ_INT(ds_fs_invalidate_dir(fs, DS_STR("/")), DS_OK);
    CHECK_EQ_INT(ds_fs_type(fs, DS_FS_FILL, DS_STR("/p/d/y.ts"), &t), DS_OK);
    CHECK_EQ_INT(t, DS_FS_FILE);
    CHECK_EQ_INT(ds_fs_type(fs, DS_FS_FILL, DS_STR("/p/d/x.ts"), &t), DS_OK);
    CHECK_EQ_INT(t, DS_FS_NONE);
    ds_fs_free(fs);
    ds_sys_mem_free(m);
    CHECK_EQ_INT(atomic_load(&a.current), 0);
}

/* ds_fs_file_in answers as ds_fs_file_real of the joined path does, for
 * every kind of entry, in a directory met through a link, a missing one and
 * one inside a link loop; and its directory survives a listing between two
 * probes (the generation moves). */
TEST(fs_file_in_answers_as_file_real)
{
    struct ds_alloc a;
    ds_alloc_init(&a, NULL, 0);
    static const char *const files[] = {
        "/p/a.ts",  "",        "/p/l.ts",  "->a.ts",  "/p/dang.ts",  "->nope",
        "/p/loop1", "->loop2", "/p/loop2", "->loop1", "/p/sub/x.ts", "",
        "/p/d",     "->sub",   "/p/f",     "<fifo>",  NULL,
    };
    static const char *const dirs[] = {"/p", "/p/d", "/p/sub", "/p/none", "/p/loop1", "/p/a.ts"};
    static const char *const names[] = {"a.ts", "l.ts", "dang.ts", "loop1", "x.ts",
                                        "sub",  "f",    "zz.ts",   "d"};
    struct ds_sys_mem *m = mem_tree(&a, files);
    struct ds_fs *one, *each;

    CHECK_EQ_INT(ds_fs_new(&a, ds_sys_mem_sys(m), &one), DS_OK);
    CHECK_EQ_INT(ds_fs_new(&a, ds_sys_mem_sys(m), &each), DS_OK);
    // With a lock to release, a listing between two probes moves the
    // generation, and the probe directory is looked up again.
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&lock);
    ds_fs_set_lock(one, &lock, NULL);
    for (size_t i = 0; i < DS_ARRAY_LEN(dirs); i++) {
        struct ds_fs_probe_dir dir = ds_fs_probe_dir(ds_str_cstr(dirs[i]));
        for (size_t k = 0; k < DS_ARRAY_LEN(names); k++) {
            char path[256], b1[DS_MAX_PATH + 1], b2[DS_MAX_PATH + 1];
            struct ds_str o1 = {0}, o2 = {0};
            enum ds_fs_type t1, t2;
            snprintf(path, sizeof path, "%s/%s", dirs[i], names[k]);
            enum ds_status s1 = ds_fs_file_in(one, DS_FS_FILL, &dir, ds_str_cstr(names[k]), &t1, b1,
                                              sizeof b1, &o1);
            enum ds_status s2 =
                ds_fs_file_real(each, DS_FS_FILL, ds_str_cstr(path), &t2, b2, sizeof b2, &o2);
            CHECK_EQ_INT(s1, s2);
            CHECK_EQ_INT(t1, t2);
            if (s1 == DS_OK && t1 == DS_FS_FILE)
                CHECK(ds_str_eq(o1, o2));
        }
    }
    CHECK(ds_fs_generation(one) > 0);
    pthread_mutex_unlock(&lock);
    ds_fs_free(one);
    ds_fs_free(each);
    ds_sys_mem_free(m);
}

TEST(fs_generation_counts_lock_releases)
{
    struct ds_alloc a;
    ds_alloc_init(&a, NULL, 0);
    static const char *const files[] = {"/p/a.ts", "x", "/p/l", "->a.ts", NULL};
    struct ds_sys_mem *m = mem_tree(&a, files);
    struct ds_fs *fs;
    pthread_mutex_t lock;
    enum ds_fs_type t;
    struct ds_arena ar;
    struct ds_str text;
    const char *why;

    pthread_mutex_init(&lock, NULL);
    ds_arena_init(&ar, &a, 0);
    CHECK_EQ_INT(ds_fs_new(&a, ds_sys_mem_sys(m), &fs), DS_OK);
    ds_fs_set_lock(fs, &lock, NULL);
    pthread_mutex_lock(&lock);
    uint64_t g0 = ds_fs_generation(fs);
    CHECK_EQ_INT(ds_fs_type(fs, DS_FS_FILL, DS_STR("/p/l"), &t), DS_OK); // lists /, /p; follows l
    CHECK_EQ_INT(t, DS_FS_FILE);
    uint64_t g1 = ds_fs_generation(fs);
    CHECK(g1 > g0);
    CHECK_EQ_INT(ds_fs_type(fs, DS_FS_FILL, DS_STR("/p/a.ts"), &t), DS_OK); // cached: no release
    CHECK_EQ_INT(ds_fs_generation(fs), g1);
    CHECK_EQ_INT(ds_fs_read(fs, DS_STR("/p/l"), 100, &ar, &text, &why), DS_OK);
    CHECK_EQ_INT(ds_fs_generation(fs), g1 + 1);
    pthread_mutex_unlock(&lock);
    ds_fs_free(fs);
    ds_arena_release(&ar);
    pthread_mutex_destroy(&lock);
    ds_sys_mem_free(m);
}

TEST(fs_peek_answers_only_what_is_known)
{
    struct ds_alloc a;
    ds_alloc_init(&a, NULL, 0);
    static const char *const files[] = {"/p/a.ts", "", "/p/l", "->a.ts", "/p/d/x.ts", "", NULL};
    struct ds_sys_mem *m = mem_tree(&a, files);
    struct ds_fs *fs;
    enum ds_fs_type t;
    char buf[DS_MAX_PATH + 1];
    struct ds_str real;

    CHECK_EQ_INT(ds_fs_new(&a, ds_sys_mem_sys(m), &fs), DS_OK);
    // Nothing listed yet: a peek makes no call and asks for a fill.
    CHECK_EQ_INT(ds_fs_type(fs, DS_FS_PEEK, DS_STR("/p/a.ts"), &t), DS_EFILL);
    CHECK_EQ_INT(ds_sys_mem_calls(m, DS_MEM_ANY), 0);
    CHECK_EQ_INT(ds_fs_type(fs, DS_FS_FILL, DS_STR("/p/a.ts"), &t), DS_OK);
    unsigned long calls = ds_sys_mem_calls(m, DS_MEM_ANY);
    CHECK(calls > 0);
    // /p is listed: its names, present or not, are peeks.
    CHECK_EQ_INT(ds_fs_type(fs, DS_FS_PEEK, DS_STR("/p/a.ts"), &t), DS_OK);
    CHECK_EQ_INT(t, DS_FS_FILE);
    CHECK_EQ_INT(ds_fs_type(fs, DS_FS_PEEK, DS_STR("/p/b.ts"), &t), DS_OK);
    CHECK_EQ_INT(t, DS_FS_NONE);
    // A link not yet followed, a directory not yet listed: fills.
    CHECK_EQ_INT(ds_fs_file_real(fs, DS_FS_PEEK, DS_STR("/p/l"), &t, buf, sizeof buf, &real),
                 DS_EFILL);
    CHECK_EQ_INT(ds_fs_type(fs, DS_FS_PEEK, DS_STR("/p/d/x.ts"), &t), DS_EFILL);
    CHECK_EQ_INT(ds_sys_mem_calls(m, DS_MEM_ANY), calls);
    CHECK_EQ_INT(ds_fs_file_real(fs, DS_FS_FILL, DS_STR("/p/l"), &t, buf, sizeof buf, &real),
                 DS_OK);
    CHECK_EQ_INT(ds_fs_type(fs, DS_FS_FILL, DS_STR("/p/d/x.ts"), &t), DS_OK);
    calls = ds_sys_mem_calls(m, DS_MEM_ANY);
    // Now the same answers as a fill gives, with no call.
    CHECK_EQ_INT(ds_fs_file_real(fs, DS_FS_PEEK, DS_STR("/p/l"), &t, buf, sizeof buf, &real),
                 DS_OK);
    CHECK_EQ_INT(t, DS_FS_FILE);
    CHECK(ds_str_eq(real, DS_STR("/p/a.ts")));
    CHECK_EQ_INT(ds_fs_realpath(fs, DS_FS_PEEK, DS_STR("/p/d"), buf, sizeof buf, &real), DS_OK);
    CHECK(ds_str_eq(real, DS_STR("/p/d")));
    CHECK_EQ_INT(ds_fs_type(fs, DS_FS_PEEK, DS_STR("/p/d/x.ts"), &t), DS_OK);
    CHECK_EQ_INT(t, DS_FS_FILE);
    CHECK_EQ_INT(ds_sys_mem_calls(m, DS_MEM_ANY), calls);
    ds_fs_free(fs);
    ds_sys_mem_free(m);
    CHECK_EQ_INT(atomic_load(&a.current), 0);
}

/* ---- the resolver ------------------------------------------------------- */

struct rfx {
    struct ds_alloc alloc;
    struct ds_sys_mem *m;
    struct ds_config *cfg;
    struct ds_arena arena;
    struct ds_interner paths;
    pthread_mutex_t lock;
    struct ds_diags diags;
    struct ds_resolver *r;
};

static void ropen(struct rfx *f, const char *const *files)
{
    struct dscan_options opts = {.root = "/app"};
    struct dscan_error err = {0};

    memset(f, 0, sizeof *f);
    ds_alloc_init(&f->alloc, NULL, 0);
    f->m = mem_tree(&f->alloc, files);
    if (ds_config_load_sys(&f->alloc, &opts, ds_sys_mem_sys(f->m), &f->cfg, &err) != DS_OK) {
        fprintf(stderr, "config: %s\n", err.message);
        exit(2);
    }
    ds_arena_init(&f->arena, &f->alloc, 0);
    ds_interner_init(&f->paths, &f->arena);
    pthread_mutex_init(&f->lock, NULL);
    CHECK_EQ_INT(ds_diags_init(&f->diags, &f->alloc), DS_OK);
}

static void rstart(struct rfx *f)
{
    CHECK_EQ_INT(ds_resolver_new(&f->alloc, f->cfg, &f->paths, &f->lock, &f->diags, &f->r), DS_OK);
}

static void rclose(struct rfx *f)
{
    ds_resolver_free(f->r);
    ds_diags_release(&f->diags);
    pthread_mutex_destroy(&f->lock);
    ds_interner_release(&f->paths);
    ds_arena_release(&f->arena);
    ds_config_free(f->cfg);
    ds_sys_mem_free(f->m);
    CHECK_EQ_INT(atomic_load(&f->alloc.current), 0);
}

/* The answer as a path, "external", "empty" or "!" + reason. */
static const char *rres(struct rfx *f, const char *importer, const char *spec)
{
    static char out[DS_MAX_PATH + 8];
    struct ds_resolution res;

    if (ds_resolve(f->r, ds_str_cstr(importer), ds_str_cstr(spec), DSCAN_ENV_WORKER,
                   DSCAN_IMPORT_STATIC, &res) != DS_OK)
        return "!status";
    switch (res.kind) {
    case DS_RES_FILE: {
        pthread_mutex_lock(&f->lock);
        struct ds_str p = ds_intern_str(&f->paths, res.path_id);
        pthread_mutex_unlock(&f->lock);
        snprintf(out, sizeof out, "%.*s", DS_STR_FMT(p));
        return out;
    }
    case DS_RES_EMPTY: return "empty";
    case DS_RES_EXTERNAL: return "external";
    case DS_RES_NOT_FOUND: snprintf(out, sizeof out, "!%s", res.reason); return out;
    }
    return "?";
}

static bool has_diag(struct rfx *f, const char *code, const char *text)
{
    bool found = false;
    pthread_mutex_lock(&f->diags.lock);
    for (size_t i = 0; i < f->diags.n; i++)
        if (strcmp(f->diags.items[i].code, code) == 0 && strstr(f->diags.items[i].message, text))
            found = true;
    pthread_mutex_unlock(&f->diags.lock);
    return found;
}

TEST(resolver_on_memory_tree_follows_pnpm_links)
{
    struct rfx f;
    ropen(&f, app);
    rstart(&f);
    CHECK_EQ_STR(rres(&f, "/app/src/worker.tsx", "./b"), "/app/src/b.tsx");
    CHECK_EQ_STR(rres(&f, "/app/src/b.tsx", "./c.js"), "/app/src/c.ts");
    CHECK_EQ_STR(rres(&f, "/app/src/worker.tsx", "pkg"),
                 "/app/node_modules/.pnpm/pkg@1.0.0/node_modules/pkg/esm/index.js");
    CHECK_EQ_STR(rres(&f, "/app/src/worker.tsx", "fs"), "external");
    CHECK_EQ_STR(rres(&f, "/app/src/worker.tsx", "./nope"), "!no such file");
    CHECK_EQ_INT(f.diags.n, 0);
    rclose(&f);
}

TEST(resolver_lists_a_directory_bigger_than_its_first_buffers)
{
    // 300 files with 40-character names (~12 kB of names): fs_list.c's
    // listing outgrows its stack buffers (64 entries, 2 kB of names) and
    // moves to the heap, twice over.
    enum { N = 300 };
    static char names[N][64];
    static const char *files[2 * N + 3];
    size_t k = 0;
    files[k++] = "/app/src/worker.tsx";
    files[k++] = "";
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "/app/src/icon-%04d-with-a-long-enough-name.js", i);
        files[k++] = names[i];
        files[k++] = "";
    }
    files[k] = NULL;
    struct rfx f;
    ropen(&f, files);
    rstart(&f);
    for (int i = 0; i < N; i += 37) {
        char spec[64];
        snprintf(spec, sizeof spec, "./icon-%04d-with-a-long-enough-name", i);
        CHECK_EQ_STR(rres(&f, "/app/src/worker.tsx", spec), names[i]);
    }
    CHECK_EQ_STR(rres(&f, "/app/src/worker.tsx", "./icon-0300-with-a-long-enough-name"),
                 "!no such file");
    rclose(&f);
}

TEST(resolver_package_json_read_failure_is_one_warning)
{
    struct rfx f;
    ropen(&f, app);
    struct ds_sys_mem_fault fault = {.op = DS_MEM_READ,
                                     .prefix = "/app/node_modules/.pnpm/pkg@1.0.0",
                                     .nth = 1,
                                     .action = DS_MEM_FAIL,
                                     .err = EIO};
    CHECK_EQ_INT(ds_sys_mem_inject(f.m, &fault), DS_OK);
    rstart(&f);
    // Without its package.json's facts the package has no exports: Vite's
    // fallback entry index.js does not exist either.
    CHECK(rres(&f, "/app/src/worker.tsx", "pkg")[0] == '!');
    CHECK(has_diag(&f, "read",
                   "cannot read '/app/node_modules/.pnpm/pkg@1.0.0/node_modules/"
                   "pkg/package.json'"));
    size_t n = f.diags.n;
    CHECK(rres(&f, "/app/src/b.tsx", "pkg")[0] == '!'); // cached: not read or reported again
    CHECK_EQ_INT(f.diags.n, n);
    rclose(&f);
}

TEST(resolver_package_json_changed_between_stat_and_read)
{
    struct rfx f;
    ropen(&f, app);
    // The package.json is rewritten right before it is read (after the
    // listing that said it exists): the resolver uses what it read.
    struct ds_sys_mem_fault fault = {
        .op = DS_MEM_READ,
        .prefix = "/app/node_modules/.pnpm/pkg@1.0.0/node_modules/pkg/package.json",
        .nth = 1,
        .action = DS_MEM_WRITE,
        .text = "{\"name\":\"pkg\",\"main\":\"./cjs.js\"}"};
    CHECK_EQ_INT(ds_sys_mem_inject(f.m, &fault), DS_OK);
    rstart(&f);
    CHECK_EQ_STR(rres(&f, "/app/src/worker.tsx", "pkg"),
                 "/app/node_modules/.pnpm/pkg@1.0.0/node_modules/pkg/cjs.js");
    rclose(&f);
}

TEST(resolver_package_json_vanishes_before_read)
{
    struct rfx f;
    ropen(&f, app);
    struct ds_sys_mem_fault fault = {
        .op = DS_MEM_READ,
        .prefix = "/app/node_modules/.pnpm/pkg@1.0.0/node_modules/pkg/package.json",
        .nth = 1,
        .action = DS_MEM_REMOVE};
    CHECK_EQ_INT(ds_sys_mem_inject(f.m, &fault), DS_OK);
    rstart(&f);
    CHECK(rres(&f, "/app/src/worker.tsx", "pkg")[0] == '!');
    CHECK(has_diag(&f, "read", "No such file"));
    rclose(&f);
}

TEST(resolver_listing_fails_as_empty_directory)
{
    struct rfx f;
    ropen(&f, app);
    struct ds_sys_mem_fault fault = {
        .op = DS_MEM_LIST, .prefix = "/app/src", .nth = 1, .action = DS_MEM_FAIL, .err = EACCES};
    CHECK_EQ_INT(ds_sys_mem_inject(f.m, &fault), DS_OK);
    rstart(&f);
    CHECK_EQ_STR(rres(&f, "/app/src/worker.tsx", "./b"), "!no such file");
    rclose(&f);
}

TEST(resolver_invalidate_dir_sees_new_file_and_changed_package_json)
{
    struct rfx f;
    ropen(&f, app);
    rstart(&f);
    const char *pkg_dir = "/app/node_modules/.pnpm/pkg@1.0.0/node_modules/pkg";
    CHECK_EQ_STR(rres(&f, "/app/src/worker.tsx", "./d"), "!no such file");
    CHECK_EQ_STR(rres(&f, "/app/src/worker.tsx", "pkg"),
                 "/app/node_modules/.pnpm/pkg@1.0.0/node_modules/pkg/esm/index.js");
    CHECK(ds_sys_mem_file(f.m, "/app/src/d.ts", "") == DS_OK);
    CHECK(ds_sys_mem_file(f.m, "/app/node_modules/.pnpm/pkg@1.0.0/node_modules/pkg/package.json",
                          "{\"name\":\"pkg\",\"main\":\"./cjs.js\"}") == DS_OK);
    // Cached: unchanged answers until the change is reported.
    CHECK_EQ_STR(rres(&f, "/app/src/worker.tsx", "./d"), "!no such file");
    CHECK_EQ_INT(ds_resolver_invalidate_dir(f.r, DS_STR("/app/src")), DS_OK);
    CHECK_EQ_STR(rres(&f, "/app/src/worker.tsx", "./d"), "/app/src/d.ts");
    CHECK_EQ_STR(rres(&f, "/app/src/worker.tsx", "pkg"),
                 "/app/node_modules/.pnpm/pkg@1.0.0/node_modules/pkg/esm/index.js");
    CHECK_EQ_INT(ds_resolver_invalidate_dir(f.r, ds_str_cstr(pkg_dir)), DS_OK);
    CHECK_EQ_STR(rres(&f, "/app/src/worker.tsx", "pkg"),
                 "/app/node_modules/.pnpm/pkg@1.0.0/node_modules/pkg/cjs.js");
    CHECK_EQ_INT(f.diags.n, 0);
    rclose(&f);
}

/* The nearest package.json is remembered per directory (and the last one
 * asked): one that appears between the importer and its old nearest
 * package takes over once its directory's change is reported. */
TEST(resolver_invalidate_dir_sees_a_new_nearest_package)
{
    static const char *const files[] = {
        "/app/package.json",
        "{\"name\":\"app\",\"imports\":{\"#a\":\"./src/a.ts\"}}",
        "/app/src/a.ts",
        "export const a = 1;\n",
        "/app/src/sub/x.ts",
        "import '#a';\n",
        "/app/src/sub/b.ts",
        "export const b = 1;\n",
        NULL,
    };
    struct rfx f;
    ropen(&f, files);
    rstart(&f);
    CHECK_EQ_STR(rres(&f, "/app/src/sub/x.ts", "#a"), "/app/src/a.ts");
    CHECK(ds_sys_mem_file(f.m, "/app/src/sub/package.json",
                          "{\"name\":\"sub\",\"imports\":{\"#a\":\"./b.ts\",\"#c\":\"./b.ts\"}}") ==
          DS_OK);
    // Another request from the same directory: still the old package.
    CHECK(rres(&f, "/app/src/sub/x.ts", "#c")[0] == '!');
    CHECK_EQ_INT(ds_resolver_invalidate_dir(f.r, DS_STR("/app/src/sub")), DS_OK);
    CHECK_EQ_STR(rres(&f, "/app/src/sub/x.ts", "#a"), "/app/src/sub/b.ts");
    CHECK_EQ_STR(rres(&f, "/app/src/sub/x.ts", "#c"), "/app/src/sub/b.ts");
    rclose(&f);
}

/* The answer as rres gives it, in environment `env`. */
static const char *rres_env(struct rfx *f, const char *importer, const char *spec,
                            enum dscan_env env)
{
    static char out[DS_MAX_PATH + 8];
    struct ds_resolution res;

    if (ds_resolve(f->r, ds_str_cstr(importer), ds_str_cstr(spec), env, DSCAN_IMPORT_STATIC,
                   &res) != DS_OK)
        return "!status";
    if (res.kind != DS_RES_FILE)
        return res.kind == DS_RES_EMPTY ? "empty" : res.kind == DS_RES_EXTERNAL ? "external" : "!";
    pthread_mutex_lock(&f->lock);
    struct ds_str p = ds_intern_str(&f->paths, res.path_id);
    pthread_mutex_unlock(&f->lock);
    snprintf(out, sizeof out, "%.*s", DS_STR_FMT(p));
    return out;
}

/* A bare id the importer's browser map sends to a file is the client's
 * answer only: the worker, asked after, still finds the package. */
TEST(resolver_browser_map_of_a_bare_id_is_the_client_answer_only)
{
    static const char *const files[] = {
        "/app/package.json",
        "{\"name\":\"app\",\"browser\":{\"foo\":\"./shim.js\"}}",
        "/app/shim.js",
        "export default 1;\n",
        "/app/src/x.ts",
        "import 'foo';\n",
        "/app/node_modules/foo/package.json",
        "{\"name\":\"foo\",\"main\":\"./index.js\"}",
        "/app/node_modules/foo/index.js",
        "module.exports = 1;\n",
        NULL,
    };
    struct rfx f;
    ropen(&f, files);
    rstart(&f);
    CHECK_EQ_STR(rres_env(&f, "/app/src/x.ts", "foo", DSCAN_ENV_CLIENT), "/app/shim.js");
    CHECK_EQ_STR(rres_env(&f, "/app/src/x.ts", "foo", DSCAN_ENV_WORKER),
                 "/app/node_modules/foo/index.js");
    rclose(&f);
}

/* tsconfig unset: a tsconfig.json that appears in a directory owns the
 * importers below it once the directory's change is reported. */
TEST(resolver_invalidate_dir_sees_a_new_tsconfig)
{
    struct rfx f;
    ropen(&f, app);
    rstart(&f);
    CHECK(ds_sys_mem_file(f.m, "/app/src/lib/x.ts", "") == DS_OK);
    CHECK(rres(&f, "/app/src/worker.tsx", "@/lib/x")[0] == '!');
    CHECK(ds_sys_mem_file(f.m, "/app/tsconfig.json",
                          "{\"compilerOptions\": {\"paths\": {\"@/*\": [\"./src/*\"]}}}") == DS_OK);
    CHECK(rres(&f, "/app/src/worker.tsx", "@/lib/x")[0] == '!'); // not reported yet
    CHECK_EQ_INT(ds_resolver_invalidate_dir(f.r, DS_STR("/app")), DS_OK);
    CHECK_EQ_STR(rres(&f, "/app/src/worker.tsx", "@/lib/x"), "/app/src/lib/x.ts");
    CHECK_EQ_STR(rres(&f, "/app/src/b.tsx", "@/lib/x"), "/app/src/lib/x.ts");
    rclose(&f);
}

struct inside {
    struct rfx *f;
    const char *answer;
    char got[DS_MAX_PATH + 8];
    bool ran;
};

static void *resolve_b(void *arg)
{
    struct inside *in = arg;
    snprintf(in->got, sizeof in->got, "%s", rres(in->f, "/app/src/b.tsx", "pkg"));
    in->ran = true;
    return NULL;
}

/* Runs a whole second resolution of the same package on another thread,
 * inside the first one's read of its package.json (when the first has
 * released the resolver's lock, fs.h), and waits for it. */
static void other_thread(void *arg)
{
    pthread_t t;
    if (pthread_create(&t, NULL, resolve_b, arg) == 0)
        pthread_join(t, NULL);
}

TEST(resolver_injected_race_second_thread_inside_package_json_read)
{
    struct rfx f;
    struct inside in = {.f = &f};
    ropen(&f, app);
    struct ds_sys_mem_fault fault = {
        .op = DS_MEM_READ,
        .prefix = "/app/node_modules/.pnpm/pkg@1.0.0/node_modules/pkg/package.json",
        .nth = 1,
        .action = DS_MEM_CALL,
        .fn = other_thread,
        .arg = &in};
    CHECK_EQ_INT(ds_sys_mem_inject(f.m, &fault), DS_OK);
    rstart(&f);
    const char *want = "/app/node_modules/.pnpm/pkg@1.0.0/node_modules/pkg/esm/index.js";
    // The first resolution finds the slot filled by the second when it gets
    // its lock back: it keeps that answer (asserting the generation moved),
    // and the package is neither parsed into the cache nor reported twice.
    CHECK_EQ_STR(rres(&f, "/app/src/worker.tsx", "pkg"), want);
    CHECK(in.ran);
    CHECK_EQ_STR(in.got, want);
    CHECK_EQ_INT(f.diags.n, 0);
    struct ds_resolver_stats st;
    ds_resolver_get_stats(f.r, &st);
    CHECK_EQ_INT(st.files_read, 3); // /app/package.json, and pkg's twice (the race)
    rclose(&f);
}

struct racer {
    struct rfx *f;
    int id;
    int bad;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    static const char *const specs[] = {"pkg", "./b", "./c.js", "pkg2/sub", "pkg3"};
    for (int i = 0; i < 200; i++) {
        const char *spec = specs[(i + r->id) % DS_ARRAY_LEN(specs)];
        struct ds_resolution res;
        if (ds_resolve(r->f->r, DS_STR("/app/src/worker.tsx"), ds_str_cstr(spec),
                       (enum dscan_env)((i / 5) % 2), DSCAN_IMPORT_STATIC, &res) != DS_OK)
            r->bad++;
        else if (strcmp(spec, "pkg3") != 0 && res.kind != DS_RES_FILE)
            r->bad++;
        else if (strcmp(spec, "pkg3") == 0 && res.kind != DS_RES_NOT_FOUND)
            r->bad++;
    }
    return NULL;
}

TEST(resolver_threads_race_through_links_on_memory_tree)
{
    // Every resolution is cold at first: threads meet in listings, link
    // follows and package.json parses that run without the resolver's lock.
    static const char *const files[] = {
        "/app/src/worker.tsx",
        "",
        "/app/src/b.tsx",
        "",
        "/app/src/c.ts",
        "",
        "/app/node_modules/pkg",
        "->.pnpm/pkg@1/node_modules/pkg",
        "/app/node_modules/.pnpm/pkg@1/node_modules/pkg/package.json",
        "{\"main\":\"m.js\"}",
        "/app/node_modules/.pnpm/pkg@1/node_modules/pkg/m.js",
        "",
        "/app/node_modules/pkg2",
        "->.pnpm/pkg2@1/node_modules/pkg2",
        "/app/node_modules/.pnpm/pkg2@1/node_modules/pkg2",
        "->../../real2",
        "/app/node_modules/.pnpm/real2/package.json",
        "{\"exports\":{\"./sub\":\"./s.js\"}}",
        "/app/node_modules/.pnpm/real2/s.js",
        "",
        "/app/node_modules/pkg3",
        "->pkg3", // a loop
        NULL,
    };
    for (int round = 0; round < 8; round++) {
        struct rfx f;
        ropen(&f, files);
        rstart(&f);
        pthread_t t[4];
        struct racer rc[4];
        for (int i = 0; i < 4; i++) {
            rc[i] = (struct racer){&f, i, 0};
            CHECK_EQ_INT(pthread_create(&t[i], NULL, race, &rc[i]), 0);
        }
        for (int i = 0; i < 4; i++) {
            pthread_join(t[i], NULL);
            CHECK_EQ_INT(rc[i].bad, 0);
        }
        CHECK_EQ_INT(f.diags.n, 0);
        rclose(&f);
    }
}

struct peeker {
    struct rfx *f;
    int first, bad;
};

static void *peek_some(void *arg)
{
    struct peeker *p = arg;
    for (int i = p->first; i < p->first + 16; i++) {
        char spec[16], want[32];
        struct ds_resolution res;
        snprintf(spec, sizeof spec, "./i%d", i);
        snprintf(want, sizeof want, "/app/src/i%d.ts", i);
        if (ds_resolve(p->f->r, DS_STR("/app/src/w.tsx"), ds_str_cstr(spec), DSCAN_ENV_WORKER,
                       DSCAN_IMPORT_STATIC, &res) != DS_OK ||
            res.kind != DS_RES_FILE) {
            p->bad++;
            continue;
        }
        pthread_mutex_lock(&p->f->lock);
        bool same = ds_str_eq(ds_intern_str(&p->f->paths, res.path_id), ds_str_cstr(want));
        pthread_mutex_unlock(&p->f->lock);
        p->bad += !same;
    }
    return NULL;
}

TEST(resolver_peeks_answer_cold_misses_side_by_side)
{
    // Once /app/src is listed, every other file in it is a cold miss that a
    // peek answers: four threads at once, none under the resolver's lock.
    static const char *files[2 * 65 + 1];
    char names[64][24];
    files[0] = "/app/src/w.tsx";
    files[1] = "";
    for (int i = 0; i < 64; i++) {
        snprintf(names[i], sizeof names[i], "/app/src/i%d.ts", i);
        files[2 + 2 * i] = names[i];
        files[3 + 2 * i] = "";
    }
    files[2 * 65] = NULL;
    struct rfx f;
    ropen(&f, files);
    f.cfg->threads = 4; // with one, every miss is a fill
    rstart(&f);
    CHECK_EQ_STR(rres(&f, "/app/src/w.tsx", "./w"), "/app/src/w.tsx"); // lists /app/src
    struct ds_resolver_stats before, after;
    ds_resolver_get_stats(f.r, &before);
    pthread_t t[4];
    struct peeker pk[4];
    for (int i = 0; i < 4; i++) {
        pk[i] = (struct peeker){&f, 16 * i, 0};
        CHECK_EQ_INT(pthread_create(&t[i], NULL, peek_some, &pk[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CHECK_EQ_INT(pk[i].bad, 0);
    }
    ds_resolver_get_stats(f.r, &after);
    CHECK_EQ_INT(after.resolve_calls - before.resolve_calls, 64);
    CHECK_EQ_INT(after.cache_hits, before.cache_hits);
    CHECK_EQ_INT(after.fills, before.fills); // all 64 were peeks
    CHECK_EQ_INT(after.stat_calls, before.stat_calls);
    // A failure's reason is text a fill writes: a peek hands it over.
    CHECK_EQ_STR(rres(&f, "/app/src/w.tsx", "nope"), "!cannot find package 'nope'");
    ds_resolver_get_stats(f.r, &after);
    CHECK(after.fills > before.fills);
    rclose(&f);
}

/* ---- whole scans -------------------------------------------------------- */

static struct dscan *mem_scan(struct ds_sys_mem *m, unsigned threads, struct dscan_error *err)
{
    struct dscan_options opts = {.root = "/app", .threads = threads, .keep_edges = true};
    struct dscan *s = NULL;
    if (ds_scan_run_sys(&opts, ds_sys_mem_sys(m), &s, err) != DSCAN_OK)
        return NULL;
    return s;
}

TEST(scan_on_memory_tree_threads_1_2_4)
{
    struct ds_alloc a;
    ds_alloc_init(&a, NULL, 0);
    struct ds_sys_mem *m = mem_tree(&a, app);
    struct dscan_error err;
    for (unsigned j = 1; j <= 4; j *= 2) {
        struct dscan *s = mem_scan(m, j, &err);
        CHECK(s != NULL);
        if (!s) {
            fprintf(stderr, "%s\n", err.message);
            continue;
        }
        CHECK_EQ_INT(dscan_client_count(s), 1);
        CHECK_EQ_STR(dscan_client_at(s, 0), "/src/b.tsx");
        CHECK_EQ_INT(dscan_server_count(s), 1);
        CHECK_EQ_STR(dscan_server_at(s, 0),
                     "/node_modules/.pnpm/pkg@1.0.0/node_modules/pkg/esm/index.js");
        struct dscan_stats st;
        dscan_get_stats(s, &st);
        CHECK_EQ_INT(st.duplicate_reads, 0);
        const struct dscan_chain_step *steps;
        size_t n;
        CHECK_EQ_INT(dscan_why(s, "src/c.ts", &steps, &n), DSCAN_OK);
        CHECK_EQ_INT(n, 2); // b.tsx is a root itself (pre-scan): b -> c
        dscan_free(s);
    }
    ds_sys_mem_free(m);
}

TEST(scan_file_vanishes_between_listing_and_read)
{
    struct ds_alloc a;
    ds_alloc_init(&a, NULL, 0);
    struct ds_sys_mem *m = mem_tree(&a, app);
    struct ds_sys_mem_fault fault = {
        .op = DS_MEM_READ, .prefix = "/app/src/b.tsx", .nth = 1, .action = DS_MEM_REMOVE};
    CHECK_EQ_INT(ds_sys_mem_inject(m, &fault), DS_OK);
    struct dscan_error err;
    struct dscan *s = mem_scan(m, 2, &err);
    CHECK(s != NULL);
    if (s) {
        // Found by the resolver, gone when read: a warning, not a crash, and
        // not in the client list.
        CHECK_EQ_INT(dscan_client_count(s), 0);
        CHECK_EQ_INT(dscan_diagnostic_count(s), 1);
        const struct dscan_diagnostic *d = dscan_diagnostic_at(s, 0);
        CHECK(d && strcmp(d->code, "read") == 0 && strstr(d->message, "/app/src/b.tsx"));
        dscan_free(s);
    }
    ds_sys_mem_free(m);
}

TEST(scan_file_changes_before_read_uses_what_was_read)
{
    struct ds_alloc a;
    ds_alloc_init(&a, NULL, 0);
    struct ds_sys_mem *m = mem_tree(&a, app);
    struct ds_sys_mem_fault fault = {.op = DS_MEM_READ,
                                     .prefix = "/app/src/c.ts",
                                     .nth = 1,
                                     .action = DS_MEM_WRITE,
                                     .text = "'use client';\nexport const c = 2;\n"};
    CHECK_EQ_INT(ds_sys_mem_inject(m, &fault), DS_OK);
    struct dscan_error err;
    struct dscan *s = mem_scan(m, 2, &err);
    CHECK(s != NULL);
    if (s) {
        CHECK_EQ_INT(dscan_client_count(s), 2);
        CHECK_EQ_STR(dscan_client_at(s, 1), "/src/c.ts");
        dscan_free(s);
    }
    ds_sys_mem_free(m);
}

TEST(scan_prescan_listing_failure_is_a_warning)
{
    struct ds_alloc a;
    ds_alloc_init(&a, NULL, 0);
    static const char *const files[] = {
        "/app/src/worker.tsx",
        "export default 1;\n",
        "/app/src/lib/x.tsx",
        "'use client';\n",
        "/app/src/fifo.ts",
        "<fifo>",
        NULL,
    };
    struct ds_sys_mem *m = mem_tree(&a, files);
    struct ds_sys_mem_fault fault = {.op = DS_MEM_LIST,
                                     .prefix = "/app/src/lib",
                                     .nth = 1,
                                     .action = DS_MEM_FAIL,
                                     .err = EACCES};
    CHECK_EQ_INT(ds_sys_mem_inject(m, &fault), DS_OK);
    struct dscan_error err;
    struct dscan *s = mem_scan(m, 1, &err);
    CHECK(s != NULL);
    if (s) {
        CHECK_EQ_INT(dscan_client_count(s), 0);
        bool listing = false, fifo = false;
        for (size_t i = 0; i < dscan_diagnostic_count(s); i++) {
            const struct dscan_diagnostic *d = dscan_diagnostic_at(s, i);
            listing |= strstr(d->message, "cannot read directory '/app/src/lib'") != NULL;
            fifo |= strstr(d->message, "fifo.ts': not a regular file") != NULL;
        }
        CHECK(listing);
        CHECK(fifo);
        dscan_free(s);
    }
    // Without the fault the client file is found.
    ds_sys_mem_free(m);
    m = mem_tree(&a, files);
    s = mem_scan(m, 1, &err);
    CHECK(s && dscan_client_count(s) == 1);
    dscan_free(s);
    ds_sys_mem_free(m);
}
