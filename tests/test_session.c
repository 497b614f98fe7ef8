/* Tests of the persistent scanner (dscan_session_*, SPEC §5b). The main one
 * is randomized: a generated project is edited step by step (a directive
 * toggled, an import added or dropped, a file added, deleted or renamed, an
 * index.ts that changes what an extensionless import means, a package.json
 * `exports` or tsconfig `paths` rewritten, a symlink loop, an unreadable
 * file), the session is told what changed, and after every step its result
 * must equal a fresh dscan_run of the same tree. Seeds are printed; a
 * failing sequence is shrunk (chunks of steps dropped while it still fails)
 * and printed as C, ready to keep below as a fixed case.
 *
 * DSCAN_SESSION_STEPS (default 600 per seed, two fixed seeds) and
 * DSCAN_SESSION_SEED (a number, or "random") make a long run:
 * DSCAN_SESSION_SEED=random DSCAN_SESSION_STEPS=20000 build/test/tests/test_session */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

/* ---- the project model -------------------------------------------------- */

#define N_NAMES 6
#define N_EXTS  3
/* Universe of source files: src/{a..f}{.ts,.tsx,.js}, src/lib/{...}, plus
 * src/m.ts, src/m/index.ts, src/lib/index.ts, and the entry. */
#define N_GRID  (2 * N_NAMES * N_EXTS)
#define U_M_TS  (N_GRID + 0)
#define U_M_IDX (N_GRID + 1)
#define U_LIBIX (N_GRID + 2)
#define U_ENTRY (N_GRID + 3)
#define U_PKG_B (N_GRID + 4) /* node_modules/pkg/b.js */
#define U_PKG_D (N_GRID + 5)
#define U_PKG_S (N_GRID + 6)
#define N_UNIV  (N_GRID + 7)
#define MAX_IMP 5

static const char *const names[N_NAMES] = {"a", "b", "c", "d", "e", "f"};
static const char *const exts[N_EXTS] = {".ts", ".tsx", ".js"};

struct file {
    bool exists;
    bool unreadable;
    int directive; /* 0 none, 1 client, 2 server, 3 both, 4 misplaced client */
    int n_imp;
    int imp[MAX_IMP]; /* spec index, see spec_of */
    int kind[MAX_IMP];
};

struct model {
    const char *root;
    struct file f[N_UNIV];
    int pkg_variant, ts_variant;
    bool loop; /* src/loop.ts <-> src/loop2.ts symlink loop present */
};

static void rel_of(int u, char *buf, size_t cap)
{
    if (u < N_GRID) {
        int dir = u / (N_NAMES * N_EXTS), r = u % (N_NAMES * N_EXTS);
        snprintf(buf, cap, "%s/%s%s", dir ? "src/lib" : "src", names[r / N_EXTS], exts[r % N_EXTS]);
        return;
    }
    static const char *const extra[] = {"src/m.ts",
                                        "src/m/index.ts",
                                        "src/lib/index.ts",
                                        "src/worker.tsx",
                                        "node_modules/pkg/b.js",
                                        "node_modules/pkg/d.js",
                                        "node_modules/pkg/sub.js"};
    snprintf(buf, cap, "%s", extra[u - N_GRID]);
}

/* The directory (0 src, 1 src/lib, 2 src/m, 3 node_modules/pkg) of u. */
static int dir_of(int u)
{
    if (u < N_GRID)
        return u / (N_NAMES * N_EXTS);
    if (u == U_M_TS || u == U_ENTRY)
        return 0;
    if (u == U_M_IDX)
        return 2;
    if (u == U_LIBIX)
        return 1;
    return 3;
}

#define N_SPECS (2 * N_NAMES * 3 + 8)

/* Specifier number k as written in a file of directory `dir`. Targets: name
 * n in src or src/lib, written extensionless, with ".js", or through the
 * tsconfig alias; then "./m", "./lib", packages and a missing file. */
static void spec_of(int k, int dir, char *buf, size_t cap)
{
    static const char *const up[] = {"./", "../", "../", "./"};
    if (k < 2 * N_NAMES * 3) {
        int tdir = k / (N_NAMES * 3), r = k % (N_NAMES * 3), n = r / 3, style = r % 3;
        if (dir == 3) { // a package file imports app files by alias only
            snprintf(buf, cap, "./%s.js", n % 2 ? "d" : "sub");
            return;
        }
        if (style == 2) {
            snprintf(buf, cap, "@/%s%s", tdir ? "lib/" : "", names[n]);
            return;
        }
        const char *pre = dir == 1   ? (tdir ? "./" : "../")
                          : dir == 2 ? (tdir ? "../lib/" : "../")
                                     : (tdir ? "./lib/" : "./");
        snprintf(buf, cap, "%s%s%s", pre, names[n], style == 1 ? ".js" : "");
        return;
    }
    switch (k - 2 * N_NAMES * 3) {
    case 0: snprintf(buf, cap, "%sm", dir == 0 ? "./" : dir == 3 ? "pkg/sub" : "../"); return;
    case 1: snprintf(buf, cap, "%slib", dir == 1 ? "../" : up[0]); return;
    case 2: snprintf(buf, cap, "pkg"); return;
    case 3: snprintf(buf, cap, "pkg/sub"); return;
    case 4: snprintf(buf, cap, "pkg/nope"); return;
    case 5: snprintf(buf, cap, "./missing"); return;
    case 6: snprintf(buf, cap, "%sloop", dir == 0 ? "./" : "../"); return;
    default: snprintf(buf, cap, "./styles.css"); return;
    }
}

static void render(const struct model *m, int u, char *out, size_t cap)
{
    const struct file *f = &m->f[u];
    static const char *const dirs[] = {"", "'use client';\n", "\"use server\";\n",
                                       "'use server';\n'use client';\n",
                                       "const early = 1;\n'use client';\n"};
    size_t n = (size_t)snprintf(out, cap, "%s", dirs[f->directive]);
    for (int i = 0; i < f->n_imp && n < cap; i++) {
        char spec[128];
        spec_of(f->imp[i], dir_of(u), spec, sizeof spec);
        switch (f->kind[i]) {
        case 0: n += (size_t)snprintf(out + n, cap - n, "import x%d from '%s';\n", i, spec); break;
        case 1: n += (size_t)snprintf(out + n, cap - n, "export * from \"%s\";\n", spec); break;
        case 2:
            n += (size_t)snprintf(out + n, cap - n, "const y%d = import('%s');\n", i, spec);
            break;
        default:
            n += (size_t)snprintf(out + n, cap - n, "import type { T%d } from '%s';\n", i, spec);
        }
    }
    if (n < cap)
        snprintf(out + n, cap - n, "export const v = %d;\n", u);
}

static void path_of(const struct model *m, const char *rel, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%s", m->root, rel);
}

static void write_file(struct model *m, int u)
{
    char rel[256], text[2048];
    rel_of(u, rel, sizeof rel);
    render(m, u, text, sizeof text);
    harness_write(m->root, rel, text);
}

static const char *const pkg_json[] = {
    "{\"name\":\"pkg\",\"exports\":{\".\":{\"browser\":\"./b.js\",\"default\":\"./d.js\"},"
    "\"./sub\":\"./sub.js\"}}",
    "{\"name\":\"pkg\",\"exports\":{\".\":\"./d.js\",\"./sub\":{\"workerd\":\"./b.js\","
    "\"default\":\"./sub.js\"}}}",
    "{\"name\":\"pkg\",\"main\":\"./sub.js\"}",
};
static const char *const ts_json[] = {
    "{\"compilerOptions\":{\"paths\":{\"@/*\":[\"./src/*\"]}}}",
    "{\"compilerOptions\":{\"paths\":{\"@/*\":[\"./src/lib/*\"]}}}",
    "{\"compilerOptions\":{}}",
};

/* ---- steps ---------------------------------------------------------------- */

enum op_kind {
    OP_DIRECTIVE = 0,
    OP_ADD_IMPORT,
    OP_DROP_IMPORT,
    OP_ADD_FILE,
    OP_DELETE,
    OP_RENAME,
    OP_INDEX, /* add or delete src/m/index.ts, src/m.ts, src/lib/index.ts */
    OP_PKG,
    OP_TSCONFIG,
    OP_LOOP,
    OP_UNREADABLE,
    OP_NOTHING,
    N_OPS
};

struct op {
    uint8_t kind;
    uint8_t a, b; /* universe indexes */
    uint32_t rnd; /* the op's own randomness */
};

static const char *const op_names[] = {"directive", "add-import", "drop-import", "add-file",
                                       "delete",    "rename",     "index",       "pkg",
                                       "tsconfig",  "loop",       "unreadable",  "nothing"};

static uint64_t rng_next(uint64_t *s)
{
    // splitmix64
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void random_content(struct file *f, uint32_t rnd)
{
    uint64_t s = rnd;
    f->directive = (int)(rng_next(&s) % 8);
    if (f->directive > 4)
        f->directive = 0;
    f->n_imp = (int)(rng_next(&s) % (MAX_IMP + 1));
    for (int i = 0; i < f->n_imp; i++) {
        f->imp[i] = (int)(rng_next(&s) % N_SPECS);
        f->kind[i] = (int)(rng_next(&s) % 5);
        if (f->kind[i] == 4)
            f->kind[i] = 0;
    }
}

#define MAX_PATHS 8
struct changes {
    char changed[MAX_PATHS][512], removed[MAX_PATHS][512];
    int n_changed, n_removed;
};

static void note(struct model *m, struct changes *c, int u, bool removed)
{
    char rel[256];
    rel_of(u, rel, sizeof rel);
    if (removed)
        path_of(m, rel, c->removed[c->n_removed++], 512);
    else
        path_of(m, rel, c->changed[c->n_changed++], 512);
}

static void note_rel(struct model *m, struct changes *c, const char *rel, bool removed)
{
    if (removed)
        path_of(m, rel, c->removed[c->n_removed++], 512);
    else
        path_of(m, rel, c->changed[c->n_changed++], 512);
}

static void delete_file(struct model *m, int u)
{
    char rel[256], p[512];
    rel_of(u, rel, sizeof rel);
    path_of(m, rel, p, sizeof p);
    chmod(p, 0644);
    unlink(p);
    m->f[u].exists = false;
    m->f[u].unreadable = false;
}

/* Applies op to the tree and says which paths changed. An op whose subject
 * is not there does nothing (so any subsequence of ops is a valid run). */
static void apply(struct model *m, const struct op *op, struct changes *c)
{
    int a = op->a % N_UNIV, b = op->b % N_UNIV;
    struct file *f = &m->f[a];
    char p[512], q[512];

    memset(c, 0, sizeof *c);
    switch (op->kind) {
    case OP_DIRECTIVE:
        if (!f->exists || f->unreadable)
            return;
        f->directive = (int)(op->rnd % 5);
        write_file(m, a);
        note(m, c, a, false);
        return;
    case OP_ADD_IMPORT:
        if (!f->exists || f->unreadable || f->n_imp == MAX_IMP)
            return;
        f->imp[f->n_imp] = (int)(op->rnd % N_SPECS);
        f->kind[f->n_imp++] = (int)((op->rnd >> 8) % 4);
        write_file(m, a);
        note(m, c, a, false);
        return;
    case OP_DROP_IMPORT:
        if (!f->exists || f->unreadable || f->n_imp == 0)
            return;
        for (int i = (int)(op->rnd % (unsigned)f->n_imp); i + 1 < f->n_imp; i++) {
            f->imp[i] = f->imp[i + 1];
            f->kind[i] = f->kind[i + 1];
        }
        f->n_imp--;
        write_file(m, a);
        note(m, c, a, false);
        return;
    case OP_ADD_FILE:
        if (f->exists || a >= U_PKG_B)
            return;
        random_content(f, op->rnd);
        f->exists = true;
        write_file(m, a);
        note(m, c, a, false);
        return;
    case OP_DELETE:
        if (!f->exists || a >= U_PKG_B)
            return;
        delete_file(m, a);
        note(m, c, a, true);
        return;
    case OP_RENAME:
        if (!f->exists || f->unreadable || m->f[b].exists || a >= U_PKG_B || b >= U_PKG_B)
            return;
        m->f[b] = *f;
        delete_file(m, a);
        write_file(m, b);
        note(m, c, a, true);
        note(m, c, b, false);
        return;
    case OP_INDEX: {
        int u = U_M_TS + (int)(op->rnd % 3);
        if (m->f[u].exists) {
            delete_file(m, u);
            note(m, c, u, true);
        } else {
            random_content(&m->f[u], op->rnd >> 4);
            m->f[u].exists = true;
            write_file(m, u);
            note(m, c, u, false);
        }
        return;
    }
    case OP_PKG:
        m->pkg_variant = (int)(op->rnd % 3);
        harness_write(m->root, "node_modules/pkg/package.json", pkg_json[m->pkg_variant]);
        note_rel(m, c, "node_modules/pkg/package.json", false);
        return;
    case OP_TSCONFIG:
        m->ts_variant = (int)(op->rnd % 3);
        harness_write(m->root, "tsconfig.json", ts_json[m->ts_variant]);
        note_rel(m, c, "tsconfig.json", false);
        return;
    case OP_LOOP:
        path_of(m, "src/loop.ts", p, sizeof p);
        path_of(m, "src/loop2.ts", q, sizeof q);
        if (m->loop) {
            unlink(p);
            unlink(q);
            note_rel(m, c, "src/loop.ts", true);
            note_rel(m, c, "src/loop2.ts", true);
        } else {
            if (symlink("loop2.ts", p) != 0 || symlink("loop.ts", q) != 0)
                fprintf(stderr, "symlink failed\n");
            note_rel(m, c, "src/loop.ts", false);
            note_rel(m, c, "src/loop2.ts", false);
        }
        m->loop = !m->loop;
        return;
    case OP_UNREADABLE: {
        char rel[256];
        if (!f->exists || a >= U_PKG_B || geteuid() == 0)
            return; // root reads a mode-000 file anyway
        rel_of(a, rel, sizeof rel);
        path_of(m, rel, p, sizeof p);
        f->unreadable = !f->unreadable;
        chmod(p, f->unreadable ? 0 : 0644);
        note(m, c, a, false);
        return;
    }
    default: return;
    }
}

static void model_init(struct model *m, const char *root, uint64_t seed)
{
    uint64_t s = seed;

    memset(m, 0, sizeof *m);
    m->root = root;
    for (int u = 0; u < N_UNIV; u++) {
        if (u == U_ENTRY || u >= U_PKG_B || rng_next(&s) % 2) {
            m->f[u].exists = true;
            random_content(&m->f[u], (uint32_t)rng_next(&s));
            write_file(m, u);
        }
    }
    harness_write(root, "node_modules/pkg/package.json", pkg_json[0]);
    harness_write(root, "tsconfig.json", ts_json[0]);
    harness_write(root, "src/styles.css", "body{}\n");
}

static void random_op(uint64_t *s, struct op *op)
{
    uint64_t r = rng_next(s);
    static const uint8_t weights[N_OPS] = {6, 5, 4, 4, 3, 3, 3, 2, 2, 1, 1, 1};
    unsigned total = 0, pick;
    for (int i = 0; i < N_OPS; i++)
        total += weights[i];
    pick = (unsigned)(r % total);
    op->kind = 0;
    for (int i = 0; i < N_OPS; i++) {
        if (pick < weights[i]) {
            op->kind = (uint8_t)i;
            break;
        }
        pick -= weights[i];
    }
    r = rng_next(s);
    op->a = (uint8_t)(r % N_UNIV);
    op->b = (uint8_t)((r >> 8) % N_UNIV);
    op->rnd = (uint32_t)(r >> 32);
}

/* ---- comparing with a fresh scan ---------------------------------------- */

static void opts_for(const char *root, struct dscan_options *o)
{
    static const char *const entries[] = {"src/worker.tsx"};
    memset(o, 0, sizeof *o);
    o->root = root;
    o->entries = (struct dscan_strings){entries, 1, true};
    o->threads = 2;
}

/* "" when the session's result equals a fresh scan's; else what differs. */
static void compare(struct dscan_session *ss, enum dscan_status sst, const char *root, char *why,
                    size_t cap)
{
    struct dscan_options o;
    struct dscan *d = NULL;
    struct dscan_error err;
    enum dscan_status st;

    why[0] = '\0';
    opts_for(root, &o);
    st = dscan_run(&o, &d, &err);
    if (st != sst) {
        snprintf(why, cap, "status: session %s, fresh scan %s (%s)", dscan_status_name(sst),
                 dscan_status_name(st), err.message);
        dscan_free(d);
        return;
    }
    if (st != DSCAN_OK)
        return;
    struct dscan_stats a, b;
    dscan_session_get_stats(ss, &a);
    dscan_get_stats(d, &b);
    if (dscan_client_count(d) != dscan_session_client_count(ss))
        snprintf(why, cap, "client count %zu != %zu", dscan_session_client_count(ss),
                 dscan_client_count(d));
    for (size_t i = 0; !why[0] && i < dscan_client_count(d); i++)
        if (strcmp(dscan_client_at(d, i), dscan_session_client_at(ss, i)))
            snprintf(why, cap, "client[%zu] %s != %s", i, dscan_session_client_at(ss, i),
                     dscan_client_at(d, i));
    if (!why[0] && dscan_server_count(d) != dscan_session_server_count(ss))
        snprintf(why, cap, "server count %zu != %zu", dscan_session_server_count(ss),
                 dscan_server_count(d));
    for (size_t i = 0; !why[0] && i < dscan_server_count(d); i++)
        if (strcmp(dscan_server_at(d, i), dscan_session_server_at(ss, i)))
            snprintf(why, cap, "server[%zu] %s != %s", i, dscan_session_server_at(ss, i),
                     dscan_server_at(d, i));
    if (!why[0] && dscan_unresolved_count(d) != dscan_session_unresolved_count(ss))
        snprintf(why, cap, "unresolved count %zu != %zu", dscan_session_unresolved_count(ss),
                 dscan_unresolved_count(d));
    for (size_t i = 0; !why[0] && i < dscan_unresolved_count(d); i++) {
        const struct dscan_unresolved *x = dscan_unresolved_at(d, i),
                                      *y = dscan_session_unresolved_at(ss, i);
        if (strcmp(x->specifier, y->specifier) || strcmp(x->importer, y->importer) ||
            x->env != y->env || strcmp(x->reason, y->reason))
            snprintf(why, cap, "unresolved[%zu] %s %s %d (%s) != %s %s %d (%s)", i, y->specifier,
                     y->importer, y->env, y->reason, x->specifier, x->importer, x->env, x->reason);
    }
    if (!why[0] && a.modules != b.modules)
        snprintf(why, cap, "modules %zu != %zu", a.modules, b.modules);
    dscan_free(d);
}

/* Runs ops[0..n) on a fresh tree; returns the failing step + 1, or 0. */
static size_t run_ops(uint64_t seed, const struct op *ops, size_t n, bool verbose)
{
    struct model m;
    struct dscan_options o;
    struct dscan_session *ss = NULL;
    struct dscan_error err;
    char root[600], why[1024];
    size_t failed_at = 0;

    snprintf(root, sizeof root, "%s/p%llu-%zu", harness_tmpdir(), (unsigned long long)seed, n);
    harness_mkdirs(root);
    model_init(&m, root, seed);
    opts_for(root, &o);
    if (dscan_session_open(&o, &ss, &err) != DSCAN_OK) {
        fprintf(stderr, "open: %s\n", err.message);
        return 1;
    }
    compare(ss, dscan_session_scan(ss, &err), root, why, sizeof why);
    if (why[0]) {
        if (verbose)
            fprintf(stderr, "seed %llu: initial scan: %s\n", (unsigned long long)seed, why);
        failed_at = 1;
    }
    for (size_t i = 0; i < n && !failed_at; i++) {
        struct changes c;
        const char *ch[MAX_PATHS], *rm[MAX_PATHS];
        apply(&m, &ops[i], &c);
        for (int k = 0; k < c.n_changed; k++)
            ch[k] = c.changed[k];
        for (int k = 0; k < c.n_removed; k++)
            rm[k] = c.removed[k];
        enum dscan_status st =
            dscan_session_update(ss, ch, (size_t)c.n_changed, rm, (size_t)c.n_removed, &err);
        compare(ss, st, root, why, sizeof why);
        if (why[0]) {
            if (verbose)
                fprintf(stderr, "seed %llu step %zu (%s a=%d b=%d rnd=%u): %s\n",
                        (unsigned long long)seed, i, op_names[ops[i].kind], ops[i].a, ops[i].b,
                        ops[i].rnd, why);
            failed_at = i + 2;
        }
    }
    dscan_session_close(ss);
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "chmod -R u+rwX '%s' 2>/dev/null; rm -rf '%s'", root, root);
    harness_run(cmd, NULL);
    return failed_at;
}

/* Drops chunks of ops while the run still fails; prints the rest as C. */
static void shrink_and_print(uint64_t seed, struct op *ops, size_t n)
{
    struct op *tmp = malloc(n * sizeof *ops);
    for (size_t chunk = n / 2; chunk >= 1; chunk /= 2) {
        for (size_t start = 0; start < n;) {
            size_t k = 0;
            for (size_t i = 0; i < n; i++)
                if (i < start || i >= start + chunk)
                    tmp[k++] = ops[i];
            if (k < n && run_ops(seed, tmp, k, false)) {
                memcpy(ops, tmp, k * sizeof *ops);
                n = k;
            } else {
                start += chunk;
            }
        }
    }
    fprintf(stderr, "shrunk to %zu steps (seed %llu); as a case:\n", n, (unsigned long long)seed);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "    {%s, %d, %d, %uu},\n",
                (const char *const[]){"OP_DIRECTIVE", "OP_ADD_IMPORT", "OP_DROP_IMPORT",
                                      "OP_ADD_FILE", "OP_DELETE", "OP_RENAME", "OP_INDEX", "OP_PKG",
                                      "OP_TSCONFIG", "OP_LOOP", "OP_UNREADABLE",
                                      "OP_NOTHING"}[ops[i].kind],
                ops[i].a, ops[i].b, ops[i].rnd);
    run_ops(seed, ops, n, true);
    free(tmp);
}

static size_t env_size(const char *name, size_t dflt)
{
    const char *v = getenv(name);
    return v && *v ? (size_t)strtoull(v, NULL, 10) : dflt;
}

TEST(session_equals_fresh_scan_after_random_steps)
{
    size_t steps = env_size("DSCAN_SESSION_STEPS", 600);
    const char *want = getenv("DSCAN_SESSION_SEED");
    uint64_t seeds[2] = {1, 2};
    size_t n_seeds = 2;

    // Fixed seeds by default, so `make check` is repeatable; "random" for
    // fresh ones (.ci/run's long run), a number to replay one.
    if (want && !strcmp(want, "random")) {
        seeds[0] = (uint64_t)time(NULL);
        seeds[1] = seeds[0] * 2654435761u + 1;
    } else if (want && *want) {
        seeds[0] = strtoull(want, NULL, 10);
        n_seeds = 1;
    }
    for (size_t k = 0; k < n_seeds; k++) {
        uint64_t s = seeds[k];
        struct op *ops = malloc(steps * sizeof *ops);
        for (size_t i = 0; i < steps; i++)
            random_op(&s, &ops[i]);
        fprintf(stderr, "session random: seed %llu, %zu steps (DSCAN_SESSION_SEED=%llu)\n",
                (unsigned long long)seeds[k], steps, (unsigned long long)seeds[k]);
        size_t at = run_ops(seeds[k], ops, steps, true);
        if (at) {
            harness_failed++;
            shrink_and_print(seeds[k], ops, at - 1 < steps ? at : steps);
        }
        free(ops);
    }
}

/* Cases the random test found and shrunk, kept. These two came from a
 * session that took every edit of a known file for a content-only edit (no
 * resolver rebuild): an added src/m.ts must change what "./m" means, and a
 * renamed file what its old and new names resolve to. */
struct kept {
    uint64_t seed;
    struct op ops[8];
    size_t n;
};

static const struct kept kept_cases[] = {
    {1796291580, {{OP_INDEX, 7, 1, 836274933u}}, 1},
    {4768140607135192381u, {{OP_RENAME, 16, 22, 3976465150u}}, 1},
    /* From the session itself: an update with nothing changed kept the last
     * good result after a failed update (the entry deleted), where a fresh
     * scan fails. */
    {1796291820, {{OP_DELETE, 39, 7, 2573526010u}, {OP_DROP_IMPORT, 39, 12, 1088147486u}}, 2},
    {4768141244199775021u, {{OP_RENAME, 39, 9, 1396397623u}, {OP_ADD_IMPORT, 10, 11, 2723229u}}, 2},
};

TEST(session_kept_cases)
{
    for (size_t i = 0; i < sizeof kept_cases / sizeof kept_cases[0]; i++) {
        size_t at = run_ops(kept_cases[i].seed, kept_cases[i].ops, kept_cases[i].n, true);
        CHECK_EQ_INT(at, 0);
    }
}

/* ---- fixed behaviour ------------------------------------------------------ */

static struct dscan_session *open_at(const char *root)
{
    struct dscan_options o;
    struct dscan_session *ss = NULL;
    struct dscan_error err;

    opts_for(root, &o);
    CHECK_EQ_INT(dscan_session_open(&o, &ss, &err), DSCAN_OK);
    return ss;
}

static bool has(const struct dscan_session *ss, enum dscan_list l, const char *path)
{
    size_t n =
        l == DSCAN_LIST_CLIENT ? dscan_session_client_count(ss) : dscan_session_server_count(ss);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(l == DSCAN_LIST_CLIENT ? dscan_session_client_at(ss, i)
                                           : dscan_session_server_at(ss, i),
                    path))
            return true;
    return false;
}

static void check_fresh(struct dscan_session *ss, enum dscan_status st, const char *root)
{
    char why[1024];
    compare(ss, st, root, why, sizeof why);
    if (why[0])
        fprintf(stderr, "differs from a fresh scan: %s\n", why);
    CHECK(why[0] == '\0');
}

TEST(session_update_reads_only_the_edited_file_and_reports_a_delta)
{
    const char *root = harness_tmpdir();
    char p[600];
    struct dscan_error err;
    struct dscan_stats st;

    harness_write(root, "src/worker.tsx", "import './a';\nimport './b';\n");
    harness_write(root, "src/a.tsx", "'use client';\nimport './c';\n");
    harness_write(root, "src/b.ts", "export const b = 1;\n");
    harness_write(root, "src/c.ts", "export const c = 1;\n");
    struct dscan_session *ss = open_at(root);
    CHECK_EQ_INT(dscan_session_scan(ss, &err), DSCAN_OK);
    dscan_session_get_stats(ss, &st);
    CHECK_EQ_INT(st.files_read, 4);
    CHECK_EQ_INT(dscan_session_delta_count(ss, DSCAN_LIST_CLIENT, true), 1);

    // b says "use server" now: one file read, b enters the server list.
    harness_write(root, "src/b.ts", "'use server';\nexport const b = 1;\n");
    snprintf(p, sizeof p, "%s/src/b.ts", root);
    const char *ch[] = {p};
    CHECK_EQ_INT(dscan_session_update(ss, ch, 1, NULL, 0, &err), DSCAN_OK);
    dscan_session_get_stats(ss, &st);
    CHECK_EQ_INT(st.files_read, 1);
    CHECK_EQ_INT(dscan_session_delta_count(ss, DSCAN_LIST_SERVER, true), 1);
    CHECK_EQ_STR(dscan_session_delta_at(ss, DSCAN_LIST_SERVER, true, 0), "/src/b.ts");
    CHECK_EQ_INT(dscan_session_delta_count(ss, DSCAN_LIST_CLIENT, true), 0);
    CHECK(has(ss, DSCAN_LIST_SERVER, "/src/b.ts"));

    // Nothing changed: nothing read, empty delta, same lists.
    CHECK_EQ_INT(dscan_session_update(ss, NULL, 0, NULL, 0, &err), DSCAN_OK);
    dscan_session_get_stats(ss, &st);
    CHECK_EQ_INT(st.files_read, 0);
    CHECK_EQ_INT(dscan_session_delta_count(ss, DSCAN_LIST_SERVER, true), 0);
    CHECK_EQ_INT(dscan_session_server_count(ss), 1);

    // A relative path is relative to ROOT; a.tsx loses its directive.
    harness_write(root, "src/a.tsx", "import './c';\n");
    const char *rel[] = {"src/a.tsx"};
    CHECK_EQ_INT(dscan_session_update(ss, rel, 1, NULL, 0, &err), DSCAN_OK);
    CHECK_EQ_INT(dscan_session_delta_count(ss, DSCAN_LIST_CLIENT, false), 1);
    CHECK_EQ_STR(dscan_session_delta_at(ss, DSCAN_LIST_CLIENT, false, 0), "/src/a.tsx");
    check_fresh(ss, DSCAN_OK, root);
    dscan_session_close(ss);
}

TEST(session_survives_faults_between_updates)
{
    const char *root = harness_tmpdir();
    char p[600], q[600];
    struct dscan_error err;
    struct dscan_stats st;
    enum dscan_status s;

    harness_write(root, "src/worker.tsx", "import './a';\nimport './big';\n");
    harness_write(root, "src/a.tsx", "'use client';\nimport './b';\n");
    harness_write(root, "src/b.ts", "'use server';\n");
    struct dscan_session *ss = open_at(root);
    CHECK_EQ_INT(dscan_session_scan(ss, &err), DSCAN_OK);
    check_fresh(ss, DSCAN_OK, root);

    // b.ts deleted but reported as changed (editors do that): no crash, same as fresh.
    snprintf(p, sizeof p, "%s/src/b.ts", root);
    unlink(p);
    const char *ch[] = {p};
    s = dscan_session_update(ss, ch, 1, NULL, 0, &err);
    CHECK_EQ_INT(s, DSCAN_OK);
    check_fresh(ss, s, root);
    CHECK(!has(ss, DSCAN_LIST_SERVER, "/src/b.ts"));

    // b.ts comes back as a directory: cannot be read, nothing resolves to it.
    harness_mkdirs(p);
    s = dscan_session_update(ss, ch, 1, NULL, 0, &err);
    check_fresh(ss, s, root);
    rmdir(p);
    harness_write(root, "src/b.ts", "'use server';\n");
    s = dscan_session_update(ss, ch, 1, NULL, 0, &err);
    check_fresh(ss, s, root);
    CHECK(has(ss, DSCAN_LIST_SERVER, "/src/b.ts"));

    // Unreadable (mode 000; root reads it anyway, and so does the fresh scan).
    chmod(p, 0);
    s = dscan_session_update(ss, ch, 1, NULL, 0, &err);
    check_fresh(ss, s, root);
    chmod(p, 0644);
    s = dscan_session_update(ss, ch, 1, NULL, 0, &err);
    check_fresh(ss, s, root);

    // An edit makes a.tsx a symlink loop.
    snprintf(q, sizeof q, "%s/src/a.tsx", root);
    unlink(q);
    CHECK(symlink("a.tsx", q) == 0);
    const char *ch2[] = {q};
    s = dscan_session_update(ss, ch2, 1, NULL, 0, &err);
    check_fresh(ss, s, root);
    CHECK(!has(ss, DSCAN_LIST_CLIENT, "/src/a.tsx"));
    unlink(q);
    harness_write(root, "src/a.tsx", "'use client';\nimport './b';\n");
    s = dscan_session_update(ss, ch2, 1, NULL, 0, &err);
    check_fresh(ss, s, root);
    CHECK(has(ss, DSCAN_LIST_CLIENT, "/src/a.tsx"));

    // A 10 MiB file added, imported by the entry: read once, its import followed.
    size_t big = 10u << 20;
    char *text = malloc(big + 1);
    memset(text, ' ', big);
    memcpy(text, "'use client';\nimport './c';\n", 28);
    text[big] = '\0';
    harness_write(root, "src/big.ts", text);
    free(text);
    harness_write(root, "src/c.ts", "'use server';\n");
    char b1[600], b2[600];
    snprintf(b1, sizeof b1, "%s/src/big.ts", root);
    snprintf(b2, sizeof b2, "%s/src/c.ts", root);
    const char *ch3[] = {b1, b2};
    s = dscan_session_update(ss, ch3, 2, NULL, 0, &err);
    CHECK_EQ_INT(s, DSCAN_OK);
    check_fresh(ss, s, root);
    dscan_session_get_stats(ss, &st);
    CHECK_EQ_INT(st.files_read, 2);
    CHECK(st.bytes_read > big);
    CHECK(has(ss, DSCAN_LIST_CLIENT, "/src/big.ts"));
    CHECK(has(ss, DSCAN_LIST_SERVER, "/src/c.ts"));

    // The entry removed: the update fails as a fresh scan does, and the
    // session is usable again once it is back.
    harness_write(root, "src/worker.tsx.bak", "");
    snprintf(p, sizeof p, "%s/src/worker.tsx", root);
    unlink(p);
    const char *rm[] = {p};
    s = dscan_session_update(ss, NULL, 0, rm, 1, &err);
    CHECK_EQ_INT(s, DSCAN_ENOENT);
    check_fresh(ss, s, root);
    harness_write(root, "src/worker.tsx", "import './a';\n");
    s = dscan_session_update(ss, rm, 1, NULL, 0, &err);
    CHECK_EQ_INT(s, DSCAN_OK);
    check_fresh(ss, s, root);
    dscan_session_close(ss);
}

TEST(session_follows_imports_resolved_from_outside)
{
    const char *root = harness_tmpdir();
    char target[600];
    struct dscan_error err;
    size_t n_new = 9;

    harness_write(root, "src/worker.tsx", "import 'virtual:thing';\nimport '~plugin/x';\n");
    harness_write(root, "gen/x.ts", "'use client';\nimport './y';\n");
    harness_write(root, "gen/y.ts", "'use server';\n");
    struct dscan_session *ss = open_at(root);
    CHECK_EQ_INT(dscan_session_scan(ss, &err), DSCAN_OK);
    CHECK_EQ_INT(dscan_session_unresolved_count(ss), 1);
    CHECK_EQ_STR(dscan_session_unresolved_at(ss, 0)->specifier, "~plugin/x");

    snprintf(target, sizeof target, "%s/gen/x.ts", root);
    struct dscan_session_resolved it = {"~plugin/x", "/src/worker.tsx", DSCAN_ENV_WORKER, target};
    CHECK_EQ_INT(dscan_session_resolved(ss, &it, 1, &n_new, &err), DSCAN_OK);
    CHECK_EQ_INT(n_new, 1);
    CHECK_EQ_INT(dscan_session_unresolved_count(ss), 0);
    CHECK(has(ss, DSCAN_LIST_CLIENT, "/gen/x.ts"));
    CHECK(has(ss, DSCAN_LIST_SERVER, "/gen/y.ts"));
    // Kept for later updates.
    char y[600];
    snprintf(y, sizeof y, "%s/gen/y.ts", root);
    harness_write(root, "gen/y.ts", "export const y = 1;\n");
    const char *ch[] = {y};
    CHECK_EQ_INT(dscan_session_update(ss, ch, 1, NULL, 0, &err), DSCAN_OK);
    CHECK(has(ss, DSCAN_LIST_CLIENT, "/gen/x.ts"));
    CHECK(!has(ss, DSCAN_LIST_SERVER, "/gen/y.ts"));
    CHECK_EQ_INT(dscan_session_delta_count(ss, DSCAN_LIST_SERVER, false), 1);
    // Given again: nothing new.
    CHECK_EQ_INT(dscan_session_resolved(ss, &it, 1, &n_new, &err), DSCAN_OK);
    CHECK_EQ_INT(n_new, 0);
    dscan_session_close(ss);
}
