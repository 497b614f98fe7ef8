/* Hostile filesystems (issue 6, SPEC §4.8): each test builds a small project
 * whose src/worker.tsx imports one hostile thing between two ordinary
 * directive files, runs a scan through the public API, and asserts that
 *   - the scan finishes (DSCAN_OK: no crash, no hang, no endless read),
 *   - a warning names the hostile file and says why,
 *   - the rest of the result is intact: src/ok.tsx ("use client") and
 *     src/after.ts ("use server", imported after the hostile one) are found.
 * Big trees (200 MB sparse file, 100,000 files, 1,000-deep and longer than
 * PATH_MAX) are made in the test's temp dir and removed at exit.
 *
 * Tests run as root in CI, where permission bits do not stop reads: the
 * unreadable-file cases then run the scan in a forked child that has dropped
 * to uid/gid 65534 (nobody), so they test the same thing either way. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dscan.h"
#include "harness.h"

/* ---- helpers ------------------------------------------------------------ */

#define OK_FILE    "\"use client\";\nexport const Ok = () => null;\n"
#define AFTER_FILE "\"use server\";\nexport async function act() {}\n"

/* A temp dir on tmpfs when there is one: making 100,000 files or 1,000
 * nested directories takes ~10 s on the CI disk (ext4 on a VM), ~1 s there. */
static const char *fast_tmpdir(void)
{
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    const char *dir;

    if (access("/dev/shm", W_OK | X_OK) == 0)
        setenv("TMPDIR", "/dev/shm", 1);
    dir = harness_tmpdir();
    if (saved)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    free(saved);
    return dir;
}

/* A project in `dir` with src/ok.tsx, src/after.ts and a worker importing
 * `hostile` (import statements, or "" for none) between them. */
static const char *project_in(const char *dir, const char *hostile_imports)
{
    char worker[16384];

    snprintf(worker, sizeof worker,
             "import { Ok } from \"./ok\";\n%s\nimport { act } from \"./after\";\n",
             hostile_imports);
    harness_write(dir, "src/ok.tsx", OK_FILE);
    harness_write(dir, "src/after.ts", AFTER_FILE);
    harness_write(dir, "src/worker.tsx", worker);
    return dir;
}

static const char *project(const char *hostile_imports)
{
    return project_in(harness_tmpdir(), hostile_imports);
}

static char *path_in(const char *dir, const char *rel)
{
    static char buf[4][8192];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", dir, rel);
    return p;
}

static void dump(const struct dscan *s)
{
    for (size_t i = 0; i < dscan_diagnostic_count(s); i++) {
        const struct dscan_diagnostic *d = dscan_diagnostic_at(s, i);
        fprintf(stderr, "  diag %s [%s] %s\n", d->severity == DSCAN_ERROR ? "error" : "warning",
                d->code, d->message);
    }
    for (size_t i = 0; i < dscan_unresolved_count(s); i++) {
        const struct dscan_unresolved *u = dscan_unresolved_at(s, i);
        fprintf(stderr, "  unresolved '%.200s' from %s (%s): %s\n", u->specifier, u->importer,
                dscan_env_name(u->env), u->reason ? u->reason : "");
    }
    for (size_t i = 0; i < dscan_client_count(s); i++)
        fprintf(stderr, "  client %.300s\n", dscan_client_at(s, i));
    for (size_t i = 0; i < dscan_server_count(s); i++)
        fprintf(stderr, "  server %.300s\n", dscan_server_at(s, i));
}

static struct dscan *scan_opts(const char *dir, unsigned threads, const struct dscan_allocator *a)
{
    struct dscan_options o = {.root = dir, .threads = threads, .alloc = a};
    struct dscan *s = NULL;
    struct dscan_error err = {0};
    enum dscan_status st = dscan_run(&o, &s, &err);

    CHECK_EQ_INT(st, DSCAN_OK);
    if (st != DSCAN_OK)
        fprintf(stderr, "  scan of %s failed: %s\n", dir, err.message);
    return s;
}

static struct dscan *scan(const char *dir)
{
    struct dscan *s = scan_opts(dir, 0, NULL);
    if (s && getenv("DSCAN_TEST_VERBOSE"))
        dump(s);
    return s;
}

static bool has_client(const struct dscan *s, const char *p)
{
    for (size_t i = 0; s && i < dscan_client_count(s); i++)
        if (strcmp(dscan_client_at(s, i), p) == 0)
            return true;
    return false;
}

static bool has_server(const struct dscan *s, const char *p)
{
    for (size_t i = 0; s && i < dscan_server_count(s); i++)
        if (strcmp(dscan_server_at(s, i), p) == 0)
            return true;
    return false;
}

/* A warning whose path and message both name `file` (a substring) and whose
 * message contains `reason`. */
static const struct dscan_diagnostic *find_warning(const struct dscan *s, const char *file,
                                                   const char *reason)
{
    for (size_t i = 0; s && i < dscan_diagnostic_count(s); i++) {
        const struct dscan_diagnostic *d = dscan_diagnostic_at(s, i);
        if (d->severity == DSCAN_WARNING && d->path && strstr(d->path, file) &&
            strstr(d->message, file) && strstr(d->message, reason))
            return d;
    }
    return NULL;
}

#define CHECK_WARNING(s, file, reason)                                                             \
    do {                                                                                           \
        if (!find_warning((s), (file), (reason))) {                                                \
            fprintf(stderr, "%s:%d: no warning naming '%s' with '%s'; got:\n", __FILE__, __LINE__, \
                    (file), (reason));                                                             \
            if (s)                                                                                 \
                dump(s);                                                                           \
            harness_failed++;                                                                      \
        }                                                                                          \
    } while (0)

/* The rest of the result: both ordinary directive files are found. */
#define CHECK_INTACT(s)                          \
    do {                                         \
        CHECK(has_client((s), "/src/ok.tsx"));   \
        CHECK(has_server((s), "/src/after.ts")); \
    } while (0)

static void symlink_or_die(const char *target, const char *link)
{
    if (symlink(target, link) != 0) {
        fprintf(stderr, "symlink %s -> %s: %s\n", link, target, strerror(errno));
        exit(2);
    }
}

/* ---- symlink loops ------------------------------------------------------ */

TEST(hostile_symlink_self_link)
{
    const char *dir = project("import \"./self.js\";");
    symlink_or_die("self.js", path_in(dir, "src/self.js"));
    struct dscan *s = scan(dir);
    CHECK_WARNING(s, "self.js", "symbolic links");
    CHECK_INTACT(s);
    dscan_free(s);
}

TEST(hostile_symlink_loop_of_two)
{
    const char *dir = project("import \"./loopa.js\";\nimport \"./loopb\";");
    symlink_or_die("loopb.js", path_in(dir, "src/loopa.js"));
    symlink_or_die("loopa.js", path_in(dir, "src/loopb.js"));
    struct dscan *s = scan(dir);
    CHECK_WARNING(s, "loopa.js", "symbolic links");
    CHECK_WARNING(s, "loopb.js", "symbolic links");
    CHECK_INTACT(s);
    dscan_free(s);
}

TEST(hostile_symlink_directory_loop)
{
    // src/loop -> . : the pre-scan must not walk it forever; an import through
    // it 10 times resolves (the kernel allows 40 hops) to the real src/ok.tsx,
    // and one through it 50 times is too many links.
    char imports[2048];
    size_t at =
        (size_t)snprintf(imports, sizeof imports, "%s",
                         "import \"./loop/loop/loop/loop/loop/loop/loop/loop/loop/loop/ok\";\n"
                         "import \"./");
    for (int i = 0; i < 50; i++)
        at += (size_t)snprintf(imports + at, sizeof imports - at, "loop/");
    snprintf(imports + at, sizeof imports - at, "after\";");
    const char *dir = project(imports);
    symlink_or_die(".", path_in(dir, "src/loop"));
    symlink_or_die("node_modules", path_in(dir, "node_modules")); // a self-link up the tree
    struct dscan *s = scan(dir);
    CHECK_INTACT(s);
    CHECK_EQ_INT(dscan_client_count(s), 1); // one real path, however it is reached
    dscan_free(s);
}

/* ---- files that are not regular files ----------------------------------- */

static void make_fifo(const char *path)
{
    if (mkfifo(path, 0644) != 0) {
        fprintf(stderr, "mkfifo %s: %s\n", path, strerror(errno));
        exit(2);
    }
}

TEST(hostile_fifo_named_js)
{
    // Nobody writes to it: a blocking open or read would hang the scan.
    const char *dir = project("import \"./fifo.js\";\nimport \"./fifo2\";");
    make_fifo(path_in(dir, "src/fifo.js"));
    make_fifo(path_in(dir, "src/fifo2.js"));
    struct dscan *s = scan(dir);
    CHECK_WARNING(s, "fifo.js", "not a regular file");
    CHECK_WARNING(s, "fifo2.js", "not a regular file");
    CHECK_INTACT(s);
    dscan_free(s);
}

TEST(hostile_socket_named_js)
{
    const char *dir = project("import \"./sock.js\";");
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    const char *p = path_in(dir, "src/sock.js");

    if (strlen(p) >= sizeof sa.sun_path) {
        printf("skip hostile_socket_named_js: temp path too long for a socket\n");
        close(fd);
        return;
    }
    memcpy(sa.sun_path, p, strlen(p) + 1);
    CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
    CHECK(listen(fd, 1) == 0); // a listening socket: connecting would succeed
    struct dscan *s = scan(dir);
    CHECK_WARNING(s, "sock.js", "not a regular file");
    CHECK_INTACT(s);
    dscan_free(s);
    close(fd);
}

TEST(hostile_symlink_to_dev_zero)
{
    // /dev/zero never ends and /dev/urandom never ends either: reading either
    // whole would fill memory. A link to a directory is not a file either.
    const char *dir = project("import \"./x.js\";\nimport \"./rand\";\nimport \"./tty.js\";");
    symlink_or_die("/dev/zero", path_in(dir, "src/x.js"));
    symlink_or_die("/dev/urandom", path_in(dir, "src/rand.js"));
    symlink_or_die("/dev/tty", path_in(dir, "src/tty.js"));
    struct dscan *s = scan(dir);
    CHECK_WARNING(s, "src/x.js", "not a regular file");
    CHECK_WARNING(s, "rand.js", "not a regular file");
    CHECK_INTACT(s);
    CHECK(dscan_client_count(s) == 1);
    dscan_free(s);
}

/* ---- unreadable files and directories ------------------------------------ */

/* Runs fn(dir) where permission bits apply: in this process when not root,
 * else in a forked child that drops to nobody (65534) first, since root
 * reads through mode 000. The child reports through its exit status. */
static void unprivileged(void (*fn)(const char *), const char *dir)
{
    if (geteuid() != 0) {
        fn(dir);
        return;
    }
    // nobody must be able to reach the project: mkdtemp made it 0700.
    CHECK(chmod(dir, 0755) == 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0) {
            printf("skip: cannot drop privileges: %s\n", strerror(errno));
            _exit(77);
        }
        if (access(dir, R_OK | X_OK) != 0) {
            printf("skip: nobody cannot reach %s: %s\n", dir, strerror(errno));
            _exit(77);
        }
        harness_failed = 0;
        fn(dir);
        fflush(NULL);
        _exit(harness_failed ? 1 : 0);
    }
    int status = 0;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
        return; // skipped, reason printed by the child
    CHECK_EQ_INT(WEXITSTATUS(status), 0);
}

static void scan_unreadable_file(const char *dir)
{
    struct dscan *s = scan(dir);
    CHECK_WARNING(s, "secret.js", "Permission denied");
    CHECK_INTACT(s);
    dscan_free(s);
}

TEST(hostile_unreadable_file)
{
    const char *dir = project("import \"./secret.js\";");
    harness_write(dir, "src/secret.js", "\"use client\";\n");
    CHECK(chmod(path_in(dir, "src/secret.js"), 0) == 0);
    unprivileged(scan_unreadable_file, dir);
}

static void scan_unreadable_dir(const char *dir)
{
    struct dscan *s = scan(dir);
    CHECK_WARNING(s, "src/private", "Permission denied");
    CHECK_INTACT(s);
    CHECK(!has_client(s, "/src/private/p.tsx"));
    dscan_free(s);
}

TEST(hostile_unreadable_directory)
{
    const char *dir = project("import \"./private/p\";");
    harness_write(dir, "src/private/p.tsx", "\"use client\";\n");
    CHECK(chmod(path_in(dir, "src/private"), 0) == 0);
    unprivileged(scan_unreadable_dir, dir);
}

/* ---- a file that vanishes between listing and reading -------------------- */

TEST(hostile_dangling_symlink)
{
    // Found by the pre-scan's listing, gone when looked at: the same as a file
    // deleted between readdir and open, made deterministic.
    const char *dir = project("import \"./gone.js\";");
    symlink_or_die("nowhere.js", path_in(dir, "src/gone.js"));
    struct dscan *s = scan(dir);
    CHECK_WARNING(s, "gone.js", "No such file");
    CHECK_INTACT(s);
    dscan_free(s);
}

/* Deletes `path` at the allocator's `at`-th call: a deterministic stand-in for
 * another process removing a file while the scan runs. */
struct vanish {
    char path[4096];
    unsigned long count, at;
};

static void *v_malloc(void *ctx, size_t n)
{
    struct vanish *v = ctx;
    if (++v->count == v->at)
        unlink(v->path);
    return malloc(n);
}

static void *v_realloc(void *ctx, void *p, size_t n)
{
    struct vanish *v = ctx;
    if (++v->count == v->at)
        unlink(v->path);
    return realloc(p, n);
}

static void v_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

TEST(hostile_file_vanishes_during_scan)
{
    // One thread, so the allocation sequence is the same every run. The file
    // is removed at the 1st, 2nd, 3rd ... allocation in turn: before the
    // pre-scan lists it, between listing and reading, after reading. Every
    // run must finish with the rest intact, and the file must be found, or
    // named in a warning, or (removed before anything saw it) simply absent.
    const char *dir = project("import \"./vanish\";");
    struct vanish v = {{0}, 0, 0};
    struct dscan_allocator a = {v_malloc, v_realloc, v_free, &v};
    unsigned long found = 0, warned = 0, absent = 0;

    snprintf(v.path, sizeof v.path, "%s/src/vanish.tsx", dir);
    harness_write(dir, "src/vanish.tsx", OK_FILE);
    struct dscan *s = scan_opts(dir, 1, &a);
    unsigned long total = v.count;
    CHECK(has_client(s, "/src/vanish.tsx"));
    dscan_free(s);
    for (v.at = 1; v.at <= total; v.at++) {
        v.count = 0;
        harness_write(dir, "src/vanish.tsx", OK_FILE);
        s = scan_opts(dir, 1, &a);
        CHECK_INTACT(s);
        if (has_client(s, "/src/vanish.tsx"))
            found++;
        else if (find_warning(s, "vanish.tsx", "No such file"))
            warned++;
        else
            absent++;
        if (getenv("DSCAN_TEST_VERBOSE")) {
            fprintf(stderr, "at %lu:\n", v.at);
            dump(s);
        }
        dscan_free(s);
    }
    if (!found || !warned)
        fprintf(stderr, "vanish: %lu allocations, %lu found, %lu warned, %lu absent\n", total,
                found, warned, absent);
    CHECK(found > 0);
    CHECK(warned > 0); // some run removed it between listing and reading
}

/* ---- sizes and depths ----------------------------------------------------- */

TEST(hostile_sparse_200mb_file)
{
    // 200 MB of holes: costs no disk, but reading it would cost 200 MB.
    const char *dir = project("import \"./huge.js\";");
    int fd = open(path_in(dir, "src/huge.js"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "\"use client\";\n", 14) == 14);
    CHECK(ftruncate(fd, 200L << 20) == 0);
    close(fd);
    struct dscan *s = scan(dir);
    CHECK_WARNING(s, "huge.js", "too large");
    CHECK_INTACT(s);
    CHECK(!has_client(s, "/src/huge.js"));
    struct dscan_stats st;
    dscan_get_stats(s, &st);
    CHECK(st.bytes_read < (1u << 20)); // capped before reading, not after
    CHECK(st.peak_heap_bytes < (32u << 20));
    dscan_free(s);
}

TEST(hostile_thousand_deep_directories)
{
    // The pre-scan stops at its depth bound with a warning; an import of the
    // file at the bottom still reaches it (2,000-byte path, under PATH_MAX).
    char rel[2100] = "src/deep", imp[2200];
    size_t len = strlen(rel);
    for (int i = 0; i < 1000; i++) {
        memcpy(rel + len, "/d", 3);
        len += 2;
    }
    snprintf(imp, sizeof imp, "import \"./%s/leaf\";", rel + 4);
    const char *dir = project_in(fast_tmpdir(), imp);
    char leaf[2200];
    snprintf(leaf, sizeof leaf, "%s/leaf.tsx", rel);
    harness_write(dir, leaf, OK_FILE);
    struct dscan *s = scan(dir);
    CHECK_WARNING(s, "src/deep/d/d/d/", "directories deep");
    CHECK_INTACT(s);
    char want[2300];
    snprintf(want, sizeof want, "/%s", leaf);
    CHECK(has_client(s, want));
    dscan_free(s);
}

TEST(hostile_path_longer_than_path_max)
{
    // 25 directories of 200 bytes: 5,000+ bytes, made with mkdirat/openat
    // since no single call could name it. At the bottom, a "use client" file.
    char name[201], imp[8192];
    memset(name, 'a', 200);
    name[200] = '\0';
    size_t at = (size_t)snprintf(imp, sizeof imp, "import \"./long");
    for (int i = 0; i < 25; i++)
        at += (size_t)snprintf(imp + at, sizeof imp - at, "/%s", name);
    snprintf(imp + at, sizeof imp - at, "/x\";");
    const char *dir = project_in(fast_tmpdir(), imp);
    harness_mkdirs(path_in(dir, "src/long"));
    int fd = open(path_in(dir, "src/long"), O_RDONLY | O_DIRECTORY);
    CHECK(fd >= 0);
    for (int i = 0; i < 25 && fd >= 0; i++) {
        CHECK(mkdirat(fd, name, 0755) == 0);
        int next = openat(fd, name, O_RDONLY | O_DIRECTORY);
        close(fd);
        fd = next;
    }
    int f = openat(fd, "x.tsx", O_WRONLY | O_CREAT, 0644);
    CHECK(f >= 0 && write(f, OK_FILE, strlen(OK_FILE)) > 0);
    close(f);
    close(fd);
    struct dscan *s = scan(dir);
    CHECK_WARNING(s, "src/long/aaaa", "path too long");
    CHECK_INTACT(s);
    CHECK_EQ_INT(dscan_client_count(s), 1);
    // The import of it cannot be resolved either, and says so.
    CHECK_WARNING(s, "src/worker.tsx", "cannot resolve './long/aaaa");
    CHECK_WARNING(s, "src/worker.tsx", "limit exceeded");
    dscan_free(s);
}

TEST(hostile_hundred_thousand_files)
{
    const char *dir = project_in(fast_tmpdir(), "import \"./many/f77777.js\";");
    char many[4200];
    snprintf(many, sizeof many, "%s/src/many", dir);
    harness_mkdirs(many);
    int dfd = open(many, O_RDONLY | O_DIRECTORY);
    CHECK(dfd >= 0);
    for (int i = 0; i < 100000 && dfd >= 0; i++) {
        char n[32];
        snprintf(n, sizeof n, "f%05d.js", i);
        int fd = openat(dfd, n, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) {
            CHECK(fd >= 0);
            break;
        }
        if (i == 77777 || i == 4242)
            CHECK(write(fd, OK_FILE, strlen(OK_FILE)) > 0);
        close(fd);
    }
    close(dfd);
    struct dscan *s = scan(dir);
    CHECK_INTACT(s);
    CHECK(has_client(s, "/src/many/f77777.js"));
    CHECK(has_client(s, "/src/many/f04242.js"));
    CHECK_EQ_INT(dscan_client_count(s), 3);
    struct dscan_stats st;
    dscan_get_stats(s, &st);
    CHECK(st.files_read >= 100000);
    CHECK_EQ_INT(st.duplicate_reads, 0);
    dscan_free(s);
}

/* ---- bytes: NUL and non-UTF-8 in sources and names ----------------------- */

static void write_bytes(const char *path, const char *bytes, size_t len)
{
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(bytes, 1, len, f) == len);
    if (f)
        fclose(f);
}

TEST(hostile_nul_and_binary_bytes_in_source)
{
    // A directive, then NULs, invalid UTF-8, a lone surrogate's bytes and a
    // stray quote, then an import: the lexer must neither stop at the first
    // NUL (the reader's padding is NUL too) nor run past the end.
    static const char bin[] = "\"use client\";\n\0\0\xff\xfe\xc0\x80\xed\xa0\x80 '\0\n"
                              "import \"./behind_nul\";\n\0";
    const char *dir = project("import \"./bin\";");
    write_bytes(path_in(dir, "src/bin.tsx"), bin, sizeof bin - 1);
    harness_write(dir, "lib/behind_nul.ts", "\"use server\";\n");
    harness_write(dir, "src/behind_nul.ts", "export * from \"../lib/behind_nul\";\n");
    // A whole file of random-looking bytes with a script's name.
    char noise[4096];
    for (size_t i = 0; i < sizeof noise; i++)
        noise[i] = (char)((i * 2654435761u) >> 13);
    write_bytes(path_in(dir, "src/noise.js"), noise, sizeof noise);
    struct dscan *s = scan(dir);
    CHECK_INTACT(s);
    CHECK(has_client(s, "/src/bin.tsx"));
    CHECK(has_server(s, "/lib/behind_nul.ts"));
    dscan_free(s);
}

TEST(hostile_nul_inside_specifier)
{
    // A raw NUL inside the string: at the C-string boundary "./x.tsx\0junk"
    // must not become "./x.tsx" and resolve to a file it does not name.
    static const char src[] = "import \"../lib/x.tsx\0junk\";\nimport \"./ok\";\n";
    const char *dir = project("import \"./nul_spec\";");
    write_bytes(path_in(dir, "src/nul_spec.ts"), src, sizeof src - 1);
    harness_write(dir, "lib/x.tsx", OK_FILE);
    struct dscan *s = scan(dir);
    CHECK_INTACT(s);
    CHECK(!has_client(s, "/lib/x.tsx"));
    CHECK_EQ_INT(dscan_unresolved_count(s), 1);
    dscan_free(s);
}

TEST(hostile_non_utf8_file_names)
{
    // Linux names are bytes: Latin-1 and broken UTF-8 names are found,
    // imported and listed byte for byte.
    const char *dir = project("import \"./caf\xe9\";\nimport \"./\xff\xfe\x80\";");
    harness_write(dir, "src/caf\xe9.tsx", OK_FILE);
    harness_write(dir, "src/\xff\xfe\x80.ts", AFTER_FILE);
    harness_write(dir, "src/dir\xc3\x28/bad\xe2\x82.tsx", OK_FILE); // pre-scan only
    struct dscan *s = scan(dir);
    CHECK_INTACT(s);
    CHECK(has_client(s, "/src/caf\xe9.tsx"));
    CHECK(has_server(s, "/src/\xff\xfe\x80.ts"));
    CHECK(has_client(s, "/src/dir\xc3\x28/bad\xe2\x82.tsx"));
    CHECK_EQ_INT(dscan_unresolved_count(s), 0);
    dscan_free(s);
}

/* ---- hostile package.json ------------------------------------------------- */

/* node_modules/<name>/ with `pj` as package.json, an index.js with "use
 * client", and an import of it from the worker. */
static const char *package_project(const char *name, const char *pj, size_t pj_len)
{
    char imp[256], rel[256];
    snprintf(imp, sizeof imp, "import \"%s\";", name);
    const char *dir = project(imp);
    snprintf(rel, sizeof rel, "node_modules/%s/index.js", name);
    harness_write(dir, rel, OK_FILE);
    snprintf(rel, sizeof rel, "node_modules/%s/package.json", name);
    write_bytes(path_in(dir, rel), pj, pj_len);
    return dir;
}

TEST(hostile_package_json_50mb)
{
    size_t len = 50u << 20;
    char *pj = malloc(len);
    CHECK(pj != NULL);
    if (!pj)
        return;
    // Valid JSON: {"name":"big","main":"index.js","pad":"aaaa…"}
    const char *head = "{\"name\":\"big\",\"main\":\"index.js\",\"pad\":\"";
    memset(pj, 'a', len);
    memcpy(pj, head, strlen(head));
    memcpy(pj + len - 2, "\"}", 2);
    const char *dir = package_project("big", pj, len);
    free(pj);
    struct dscan *s = scan(dir);
    CHECK_WARNING(s, "node_modules/big/package.json", "too large");
    CHECK_INTACT(s);
    struct dscan_stats st;
    dscan_get_stats(s, &st);
    CHECK(st.peak_heap_bytes < (32u << 20));
    dscan_free(s);
}

TEST(hostile_package_json_nested_100000_deep)
{
    size_t depth = 100000, len = 0;

    // Arrays only, then objects only.
    for (int kind = 0; kind < 2; kind++) {
        size_t cap = depth * 6 + 64;
        char *doc = malloc(cap);
        CHECK(doc != NULL);
        if (!doc)
            return;
        len = (size_t)snprintf(doc, cap, "{\"name\":\"deep\",\"exports\":");
        for (size_t i = 0; i < depth; i++) {
            const char *open = kind ? "{\"a\":" : "[";
            memcpy(doc + len, open, strlen(open));
            len += strlen(open);
        }
        for (size_t i = 0; i < depth; i++)
            doc[len++] = kind ? '}' : ']';
        doc[len++] = '}';
        const char *dir = package_project("deep", doc, len);
        free(doc);
        struct dscan *s = scan(dir);
        CHECK_WARNING(s, "node_modules/deep/package.json", "cannot parse");
        CHECK_INTACT(s);
        dscan_free(s);
    }
}

TEST(hostile_package_json_not_an_object)
{
    static const char *const docs[] = {
        "[]",           "\"index.js\"",
        "42",           "null",
        "true",         "",
        "\xef\xbb\xbf", "{\"main\": 7, \"exports\": 42, \"browser\": [1]}"};
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        const char *dir = package_project("notobj", docs[i], strlen(docs[i]));
        struct dscan *s = scan(dir);
        if (i < 5)
            CHECK_WARNING(s, "node_modules/notobj/package.json", "expected an object");
        else if (i < 7)
            CHECK_WARNING(s, "node_modules/notobj/package.json", "cannot parse");
        if (i < 7) {
            // The package is still there, declaring nothing: index.js it is.
            CHECK(has_client(s, "/node_modules/notobj/index.js"));
        } else {
            // "exports": 42 is an invalid target (Node throws): unresolved,
            // and the reason names the package.json.
            CHECK_EQ_INT(dscan_unresolved_count(s), 1);
            if (s && dscan_unresolved_count(s) == 1)
                CHECK(strstr(dscan_unresolved_at(s, 0)->reason, "notobj/package.json"));
        }
        CHECK_INTACT(s);
        dscan_free(s);
    }
}

/* A browser map that sends a bare id to a package name longer than any
 * path: looked for nowhere (no join fits), the import stays unresolved. */
TEST(hostile_browser_map_to_a_name_longer_than_a_path)
{
    size_t n = 4096 + 100; // DS_MAX_PATH + 100
    char *pj = malloc(n + 64), *client = malloc(128);
    CHECK(pj != NULL && client != NULL);
    if (!pj || !client) {
        free(pj);
        free(client);
        return;
    }
    int k = snprintf(pj, n + 64, "{\"name\":\"app\",\"browser\":{\"x\":\"");
    memset(pj + k, 'a', n);
    memcpy(pj + k + n, "\"}}", 4);
    const char *dir = project("");
    harness_write(dir, "package.json", pj);
    // ok.tsx is a client module: the client environment reads the map.
    snprintf(client, 128, "\"use client\";\nimport \"x\";\nexport const Ok = () => null;\n");
    harness_write(dir, "src/ok.tsx", client);
    free(pj);
    free(client);
    struct dscan *s = scan(dir);
    CHECK(has_client(s, "/src/ok.tsx"));
    CHECK(s && dscan_unresolved_count(s) >= 1);
    bool named = false;
    for (size_t i = 0; s && i < dscan_unresolved_count(s); i++)
        named |= strstr(dscan_unresolved_at(s, i)->reason, "cannot find package 'aaaa") != NULL;
    CHECK(named);
    CHECK_INTACT(s);
    dscan_free(s);
}

/* ---- allocation failure over a project with every kind of input --------- */

/* tests/test_scan.c fails each allocation of a small plain project; this one
 * adds what it lacks, so every loader's failure paths run: dscan.json with
 * an alias, tsconfig paths through extends, conditional exports, a pnpm-style
 * symlinked store, MDX, a malformed package.json and a non-regular file (two
 * diagnostics), an unresolved import, and a file reached in both
 * environments. */
static void write_rich(const char *dir)
{
    harness_write(dir, "dscan.json",
                  "{\"alias\": [{\"find\": \"@\", \"replacement\": \"./src\"}]}");
    harness_write(
        dir, "tsconfig.base.json",
        "{\"compilerOptions\": {\"baseUrl\": \".\", \"paths\": {\"~/*\": [\"src/lib/*\"]}}}");
    harness_write(dir, "tsconfig.json", "// JSONC\n{\"extends\": \"./tsconfig.base.json\",}\n");
    harness_write(dir, "src/worker.tsx",
                  "import '@/a';\nimport '~/util';\nimport 'cond';\nimport 'store';\n"
                  "import './doc.mdx';\nimport 'broken';\nimport './missing';\n"
                  "const x = import('./lazy');\nrequire('./shared');\n");
    harness_write(dir, "src/a.tsx", "'use client';\nimport './shared';\nimport 'cond';\n");
    harness_write(dir, "src/shared.ts", "export * from '~/util';\n");
    harness_write(dir, "src/lib/util.ts", "export const u = 1;\n");
    harness_write(dir, "src/lazy.ts", "'use server';\nexport async function f() {}\n");
    harness_write(dir, "src/doc.mdx",
                  "import { A } from './a'\n\n# Title\n\n```js\nimport 'nope'\n```\n");
    harness_write(dir, "node_modules/cond/package.json",
                  "{\"name\":\"cond\",\"exports\":{\".\":{\"react-server\":\"./rsc.js\","
                  "\"browser\":\"./browser.js\",\"default\":\"./index.js\"}}}");
    harness_write(dir, "node_modules/cond/rsc.js", "'use server';\n");
    harness_write(dir, "node_modules/cond/browser.js", "'use client';\n");
    harness_write(dir, "node_modules/cond/index.js", "export {};\n");
    harness_write(dir, "node_modules/.pnpm/store@1.0.0/node_modules/store/package.json",
                  "{\"name\":\"store\",\"module\":\"./esm.mjs\"}");
    harness_write(dir, "node_modules/.pnpm/store@1.0.0/node_modules/store/esm.mjs",
                  "'use client';\nimport 'cond';\n");
    symlink_or_die(".pnpm/store@1.0.0/node_modules/store", path_in(dir, "node_modules/store"));
    harness_write(dir, "node_modules/broken/package.json", "{\"main\": ");
    harness_write(dir, "node_modules/broken/index.js", "'use client';\n");
    make_fifo(path_in(dir, "src/pipe.js"));
}

static char *describe(const struct dscan *s)
{
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);

    if (!out)
        return NULL;
#define ADD(...) len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, __VA_ARGS__)
    for (size_t i = 0; i < dscan_client_count(s); i++)
        ADD("client %s\n", dscan_client_at(s, i));
    for (size_t i = 0; i < dscan_server_count(s); i++)
        ADD("server %s\n", dscan_server_at(s, i));
    for (size_t i = 0; i < dscan_unresolved_count(s); i++) {
        const struct dscan_unresolved *u = dscan_unresolved_at(s, i);
        ADD("unresolved %s %s %d\n", u->specifier, u->importer, (int)u->env);
    }
    // Diagnostics come in the order the workers met them: sort-free compare
    // by counting, and list them for the reader of a failure.
    ADD("diagnostics %zu\n", dscan_diagnostic_count(s));
#undef ADD
    return out;
}

struct failing {
    unsigned long count, fail_at, failed;
};

static void *fa_malloc(void *ctx, size_t n)
{
    struct failing *f = ctx;
    if (++f->count == f->fail_at) {
        f->failed++;
        return NULL;
    }
    return malloc(n);
}

static void *fa_realloc(void *ctx, void *p, size_t n)
{
    struct failing *f = ctx;
    if (++f->count == f->fail_at) {
        f->failed++;
        return NULL;
    }
    return realloc(p, n);
}

static void fa_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

TEST(hostile_oom_every_allocation_rich_project)
{
    // One thread: the allocation sequence is then the same in every run, so
    // "the k-th allocation" names one call site and every site is reached.
    const char *dir = harness_tmpdir();
    struct failing f = {0, 0, 0};
    struct dscan_allocator a = {fa_malloc, fa_realloc, fa_free, &f};
    unsigned long ok_runs = 0, oom_runs = 0;

    write_rich(dir);
    struct dscan *s = scan_opts(dir, 1, &a);
    char *want = s ? describe(s) : NULL;
    if (s && getenv("DSCAN_TEST_VERBOSE"))
        dump(s);
    CHECK(has_client(s, "/src/a.tsx"));
    CHECK(has_client(s, "/node_modules/.pnpm/store@1.0.0/node_modules/store/esm.mjs"));
    CHECK(has_client(s, "/node_modules/cond/browser.js"));
    CHECK(has_server(s, "/node_modules/cond/rsc.js"));
    CHECK(has_server(s, "/src/lazy.ts"));
    CHECK(find_warning(s, "broken/package.json", "cannot parse"));
    CHECK(find_warning(s, "pipe.js", "not a regular file"));
    dscan_free(s);
    unsigned long total = f.count;
    for (f.fail_at = 1; want && f.fail_at <= total + 1; f.fail_at++) {
        struct dscan_options o = {.root = dir, .threads = 1, .alloc = &a, .keep_edges = true};
        struct dscan_error err = {0};
        f.count = 0;
        s = (struct dscan *)1;
        enum dscan_status st = dscan_run(&o, &s, &err);
        if (st == DSCAN_OK) {
            // The fault was absorbed (or came after the end): the whole,
            // correct result, never a partial one.
            char *got = describe(s);
            CHECK_EQ_STR(got, want);
            if (got && strcmp(got, want) != 0)
                fprintf(stderr, "  at allocation %lu of %lu\n", f.fail_at, total);
            free(got);
            dscan_free(s);
            ok_runs++;
            continue;
        }
        oom_runs++;
        CHECK_EQ_INT(st, DSCAN_ENOMEM);
        CHECK(s == NULL);
        CHECK(strstr(err.message, "out of memory") != NULL);
        if (st != DSCAN_ENOMEM || !strstr(err.message, "out of memory")) {
            fprintf(stderr, "  at allocation %lu of %lu: %s\n", f.fail_at, total, err.message);
            break;
        }
    }
    CHECK(oom_runs > 0);
    CHECK(total > 50);
    free(want);
}

TEST(hostile_memory_limit_every_size_rich_project)
{
    const char *dir = harness_tmpdir();
    struct dscan_stats st;

    write_rich(dir);
    struct dscan *s = scan_opts(dir, 1, NULL);
    if (!s)
        return;
    char *want = describe(s);
    dscan_get_stats(s, &st);
    dscan_free(s);
    size_t peak = st.peak_heap_bytes;
    unsigned long ok_runs = 0, oom_runs = 0;
    // Every limit from 0 to past the peak, in steps of 1/200 of it.
    for (size_t limit = 1; limit <= peak + peak / 100 + 1; limit += peak / 200 + 1) {
        struct dscan_options o = {.root = dir, .threads = 1, .memory_limit = limit};
        struct dscan_error err = {0};
        s = (struct dscan *)1;
        enum dscan_status rc = dscan_run(&o, &s, &err);
        if (rc == DSCAN_OK) {
            char *got = describe(s);
            CHECK_EQ_STR(got, want);
            free(got);
            dscan_free(s);
            ok_runs++;
        } else {
            CHECK_EQ_INT(rc, DSCAN_ENOMEM);
            CHECK(s == NULL);
            CHECK(strstr(err.message, "out of memory") || strstr(err.message, "memory limit"));
            oom_runs++;
        }
    }
    CHECK(ok_runs > 0 && oom_runs > 0);
    free(want);
}

/* ---- more places a FIFO or a deep file can hide ---------------------------- */

TEST(hostile_fifo_as_package_json_and_tsconfig)
{
    // Nothing may open these for reading: each would block forever.
    const char *dir = project("import \"pipe-pkg\";");
    harness_write(dir, "node_modules/pipe-pkg/index.js", OK_FILE);
    make_fifo(path_in(dir, "node_modules/pipe-pkg/package.json"));
    make_fifo(path_in(dir, "tsconfig.json"));
    struct dscan *s = scan(dir);
    CHECK_INTACT(s);
    // A package.json that is no file is no package.json: like Vite, no
    // package to resolve into, and the import says so.
    CHECK_EQ_INT(dscan_unresolved_count(s), 1);
    if (s && dscan_unresolved_count(s) == 1)
        CHECK(strstr(dscan_unresolved_at(s, 0)->reason, "pipe-pkg") != NULL);
    dscan_free(s);
}

TEST(hostile_fifo_as_config_is_an_error_naming_it)
{
    // dscan.json is the one file whose failure stops the scan (SPEC §1):
    // it must fail at once with the file named, not block.
    const char *dir = project("");
    make_fifo(path_in(dir, "dscan.json"));
    struct dscan_options o = {.root = dir};
    struct dscan *s = (struct dscan *)1;
    struct dscan_error err = {0};
    CHECK_EQ_INT(dscan_run(&o, &s, &err), DSCAN_ECONFIG);
    CHECK(s == NULL);
    CHECK(strstr(err.message, "dscan.json': not a regular file") != NULL);
}

TEST(hostile_source_nested_100000_deep)
{
    // 100,000 open braces: the lexer's stack is fixed, so it stops with a
    // warning instead of recursing or growing; imports before it count.
    // (Braces: the lexer does not stack parentheses, which need no bound.)
    size_t depth = 100000;
    char *src = malloc(depth + 64);
    CHECK(src != NULL);
    if (!src)
        return;
    size_t len = (size_t)snprintf(src, 64, "'use client';\nimport './after';\nx = ");
    memset(src + len, '{', depth);
    len += depth;
    const char *dir = project("import \"./nest\";");
    write_bytes(path_in(dir, "src/nest.js"), src, len);
    free(src);
    struct dscan *s = scan(dir);
    CHECK_WARNING(s, "src/nest.js", "nesting too deep");
    CHECK_INTACT(s);
    CHECK(has_client(s, "/src/nest.js"));
    dscan_free(s);
}

/* ---- many bad files at once, many threads --------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every diagnostic and unresolved entry, sorted: the order workers meet
 * them in varies, the set must not. */
static char *report(const struct dscan *s)
{
    size_t n = dscan_diagnostic_count(s), m = dscan_unresolved_count(s), len = 0;
    const char **lines = calloc(n + m + 1, sizeof *lines);
    char *out = malloc(1 << 20);
    char(*bufs)[512] = calloc(m + 1, sizeof *bufs);

    if (!lines || !out || !bufs) {
        free(lines);
        free(bufs);
        return out;
    }
    for (size_t i = 0; i < n; i++)
        lines[i] = dscan_diagnostic_at(s, i)->message;
    for (size_t i = 0; i < m; i++) {
        const struct dscan_unresolved *u = dscan_unresolved_at(s, i);
        snprintf(bufs[i], sizeof bufs[i], "unresolved %s %s %d", u->specifier, u->importer,
                 (int)u->env);
        lines[n + i] = bufs[i];
    }
    qsort(lines, n + m, sizeof *lines, cmp_str);
    out[0] = '\0';
    for (size_t i = 0; i < n + m && len < (1 << 19); i++)
        len += (size_t)snprintf(out + len, (1 << 20) - len, "%s\n", lines[i]);
    for (size_t i = 0; i < dscan_client_count(s) && len < (1 << 19); i++)
        len += (size_t)snprintf(out + len, (1 << 20) - len, "client %s\n", dscan_client_at(s, i));
    free(lines);
    free(bufs);
    return out;
}

TEST(hostile_threads_many_bad_files_same_report)
{
    // 40 each of FIFOs, dangling links, link loops and broken packages,
    // imported from one file and found by the pre-scan, scanned with 1 and
    // with 8 threads (run under TSan by `make tsan`): the same warnings, the
    // same unresolved imports, the same result.
    char imports[40 * 4 * 48] = "", rel[128];
    size_t at = 0;
    for (int i = 0; i < 40; i++)
        at += (size_t)snprintf(imports + at, sizeof imports - at,
                               "import './f%d.js';\nimport './d%d';\nimport 'p%d';\n", i, i, i);
    const char *dir = project(imports);
    for (int i = 0; i < 40; i++) {
        snprintf(rel, sizeof rel, "src/f%d.js", i);
        make_fifo(path_in(dir, rel));
        snprintf(rel, sizeof rel, "src/d%d.js", i);
        symlink_or_die("nowhere", path_in(dir, rel));
        snprintf(rel, sizeof rel, "src/l%d.js", i);
        symlink_or_die(strrchr(rel, '/') + 1, path_in(dir, rel));
        snprintf(rel, sizeof rel, "node_modules/p%d/package.json", i);
        harness_write(dir, rel, i % 2 ? "{\"main\": " : "[1, 2]");
        snprintf(rel, sizeof rel, "node_modules/p%d/index.js", i);
        harness_write(dir, rel, OK_FILE);
    }
    struct dscan *one = scan_opts(dir, 1, NULL), *many = scan_opts(dir, 8, NULL);
    CHECK_INTACT(one);
    CHECK_INTACT(many);
    CHECK(find_warning(many, "src/f39.js", "not a regular file"));
    CHECK(find_warning(many, "src/l7.js", "symbolic links"));
    CHECK(find_warning(many, "node_modules/p3/package.json", "cannot parse"));
    char *a = one ? report(one) : NULL, *b = many ? report(many) : NULL;
    CHECK(a && b);
    if (a && b)
        CHECK_EQ_STR(a, b);
    CHECK_EQ_INT(dscan_diagnostic_count(many), 40 * 4);
    free(a);
    free(b);
    dscan_free(one);
    dscan_free(many);
}

TEST(hostile_links_to_proc_files)
{
    // /proc files are "regular" with a size of 0 but produce bytes (environ)
    // or fail (mem): the reader trusts fstat's size, so each is an empty
    // module, never an endless or failing read that stops the scan.
    if (access("/proc/self/environ", R_OK) != 0) {
        printf("skip hostile_links_to_proc_files: no /proc\n");
        return;
    }
    const char *dir = project("import \"./mem.js\";\nimport \"./env.js\";");
    symlink_or_die("/proc/self/mem", path_in(dir, "src/mem.js"));
    symlink_or_die("/proc/self/environ", path_in(dir, "src/env.js"));
    struct dscan *s = scan(dir);
    CHECK_INTACT(s);
    CHECK_EQ_INT(dscan_unresolved_count(s), 0);
    struct dscan_stats st;
    dscan_get_stats(s, &st);
    CHECK(st.bytes_read < 4096);
    dscan_free(s);
}

TEST(hostile_fifo_as_entry_is_an_error_naming_it)
{
    // An entry must be a file; a FIFO must neither block nor be called missing.
    const char *dir = project("");
    make_fifo(path_in(dir, "src/pipe-entry.tsx"));
    const char *entries[] = {"src/pipe-entry.tsx"};
    struct dscan_options o = {.root = dir, .entries = {entries, 1, true}};
    struct dscan *s = (struct dscan *)1;
    struct dscan_error err = {0};
    CHECK_EQ_INT(dscan_run(&o, &s, &err), DSCAN_ENOENT);
    CHECK(s == NULL);
    CHECK(strstr(err.message, "pipe-entry.tsx': not a regular file") != NULL);
}

TEST(hostile_more_warnings_than_the_cap)
{
    // 10,050 FIFOs: the library keeps the first 10,000 warnings and must
    // say that more were left out, naming the project.
    const char *dir = project_in(fast_tmpdir(), "");
    char rel[64];
    for (int i = 0; i < 10050; i++) {
        snprintf(rel, sizeof rel, "src/p%05d.js", i);
        if (mkfifo(path_in(dir, rel), 0644) != 0) {
            CHECK(0);
            break;
        }
    }
    struct dscan *s = scan_opts(dir, 0, NULL);
    CHECK_INTACT(s);
    CHECK_EQ_INT(dscan_diagnostic_count(s), 10001);
    bool said = false;
    for (size_t i = 0; s && i < dscan_diagnostic_count(s); i++) {
        const struct dscan_diagnostic *d = dscan_diagnostic_at(s, i);
        said |= strstr(d->message, "not listing warnings past the first 10000") &&
                strstr(d->message, dir) && strstr(d->message, ": 50 more");
    }
    CHECK(said);
    dscan_free(s);
}

TEST(hostile_tsconfig_big_deep_or_not_an_object)
{
    // tsconfig.json gets the same treatment as package.json: a warning
    // naming it, and the scan goes on as if it had no paths.
    size_t big = 20u << 20, depth = 100000;
    char *doc = malloc(big);
    CHECK(doc != NULL);
    if (!doc)
        return;
    for (int kind = 0; kind < 3; kind++) {
        size_t len = 0;
        const char *reason = "";
        if (kind == 0) { // 20 MB of JSONC comment: over the JSON size cap
            memcpy(doc, "{\"compilerOptions\": {}} //", 26);
            memset(doc + 26, 'x', big - 26);
            len = big;
            reason = "too large";
        } else if (kind == 1) {
            len = (size_t)snprintf(doc, big, "{\"compilerOptions\": ");
            memset(doc + len, '[', depth);
            len += depth;
            reason = "cannot parse";
        } else {
            len = (size_t)snprintf(doc, big, "[\"compilerOptions\"]");
            reason = "expected an object";
        }
        const char *dir = project("import \"./lib/util\";");
        harness_write(dir, "src/lib/util.ts", "export {};\n");
        write_bytes(path_in(dir, "tsconfig.json"), doc, len);
        struct dscan *s = scan(dir);
        CHECK_WARNING(s, "/tsconfig.json", reason);
        CHECK_INTACT(s);
        CHECK_EQ_INT(dscan_unresolved_count(s), 0);
        dscan_free(s);
    }
    free(doc);
}
