/* Fixture tests of the resolver, one per bullet of issue 3. Each test writes
 * its tree into a fresh temporary directory (node_modules cannot be committed
 * and symlinks are made at run time); the cases re-express those of
 * enhanced-resolve's and oxc-resolver's test suites (extensions, main field,
 * browser field, exports/imports fixtures, symlinks, scoped packages,
 * self-reference, '#' in paths) and of Node's docs as our own trees. Answers
 * are written relative to the fixture root: "src/a.ts", "external",
 * "empty", or "!" + the reason. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "resolve.h"

struct fx {
    struct ds_alloc alloc;
    struct ds_config *cfg;
    struct ds_arena arena;
    struct ds_interner paths;
    pthread_mutex_t lock;
    struct ds_diags diags;
    struct ds_resolver *r;
    const char *root;
    struct ds_resolution last;
};

/* files: path, content pairs ending with NULL. Content "->x" makes a symlink to x. */
static const char *tree(const char *const *files)
{
    const char *root = harness_tmpdir();
    for (size_t i = 0; files[i]; i += 2) {
        const char *c = files[i + 1];
        if (c[0] == '-' && c[1] == '>') {
            char path[PATH_MAX];
            harness_write(root, files[i], "");
            snprintf(path, sizeof path, "%s/%s", root, files[i]);
            unlink(path);
            if (symlink(c + 2, path) != 0) {
                perror("symlink");
                exit(2);
            }
        } else {
            harness_write(root, files[i], c);
        }
    }
    return root;
}

static void open_opts(struct fx *f, const char *root, struct dscan_options *opts)
{
    memset(f, 0, sizeof *f);
    f->root = root;
    ds_alloc_init(&f->alloc, NULL, 0);
    opts->root = root;
    struct dscan_error err = {0};
    if (ds_config_load(&f->alloc, opts, &f->cfg, &err) != DS_OK) {
        fprintf(stderr, "config: %s\n", err.message);
        exit(2);
    }
    ds_arena_init(&f->arena, &f->alloc, 0);
    ds_interner_init(&f->paths, &f->arena);
    pthread_mutex_init(&f->lock, NULL);
    CHECK_EQ_INT(ds_diags_init(&f->diags, &f->alloc), DS_OK);
    CHECK_EQ_INT(ds_resolver_new(&f->alloc, f->cfg, &f->paths, &f->lock, &f->diags, &f->r), DS_OK);
}

static void open_fx(struct fx *f, const char *root)
{
    struct dscan_options opts = {0};
    open_opts(f, root, &opts);
}

static void close_fx(struct fx *f)
{
    ds_resolver_free(f->r);
    ds_diags_release(&f->diags);
    pthread_mutex_destroy(&f->lock);
    ds_interner_release(&f->paths);
    ds_arena_release(&f->arena);
    ds_config_free(f->cfg);
    CHECK_EQ_INT(atomic_load(&f->alloc.current), 0);
}

static const char *res_kind(struct fx *f, const char *importer, const char *spec,
                            enum dscan_env env, enum dscan_import_kind kind)
{
    static char out[4][PATH_MAX + 64];
    static int k;
    char imp[PATH_MAX];

    k = (k + 1) % 4;
    snprintf(imp, sizeof imp, "%s/%s", f->root, importer);
    enum ds_status st = ds_resolve(f->r, ds_str_cstr(imp), ds_str_cstr(spec), env, kind, &f->last);
    if (st != DS_OK) {
        snprintf(out[k], sizeof out[k], "!status %d", st);
        return out[k];
    }
    switch (f->last.kind) {
    case DS_RES_FILE: {
        struct ds_str p = ds_intern_str(&f->paths, f->last.path_id);
        size_t rl = strlen(f->root);
        if (p.len > rl && !memcmp(p.ptr, f->root, rl))
            snprintf(out[k], sizeof out[k], "%.*s", (int)(p.len - rl - 1), p.ptr + rl + 1);
        else
            snprintf(out[k], sizeof out[k], "%.*s", DS_STR_FMT(p));
        break;
    }
    case DS_RES_EMPTY: return "empty";
    case DS_RES_EXTERNAL: return "external";
    default: snprintf(out[k], sizeof out[k], "!%s", f->last.reason); break;
    }
    return out[k];
}

static const char *res(struct fx *f, const char *importer, const char *spec, enum dscan_env env)
{
    return res_kind(f, importer, spec, env, DSCAN_IMPORT_STATIC);
}

#define W                           DSCAN_ENV_WORKER
#define C                           DSCAN_ENV_CLIENT
#define IS(f, imp, spec, env, want) CHECK_EQ_STR(res(f, imp, spec, env), want)
#define FAILS(f, imp, spec, env)    CHECK(res(f, imp, spec, env)[0] == '!')

TEST(resolve_relative_extensions_and_index)
{
    static const char *const files[] = {"src/a.mjs",
                                        "",
                                        "src/a.js",
                                        "",
                                        "src/b.ts",
                                        "",
                                        "src/c.tsx",
                                        "",
                                        "src/d.json",
                                        "{}",
                                        "src/dir/index.ts",
                                        "",
                                        "src/x.css",
                                        "",
                                        "src/lib/package.json",
                                        "{\"main\": \"./main.js\"}",
                                        "src/lib/main.js",
                                        "",
                                        "src/lib2/package.json",
                                        "{\"main\": \"out/entry\"}",
                                        "src/lib2/out/entry.jsx",
                                        "",
                                        "src/e.ts",
                                        "",
                                        "src/e/index.ts",
                                        "",
                                        "src/lib3/package.json",
                                        "{\"main\": \"./gone.js\"}",
                                        "src/lib3/index.tsx",
                                        "",
                                        NULL};
    struct fx f;
    open_fx(&f, tree(files));
    // Extension order of SPEC §2: .mjs before .js.
    IS(&f, "src/i.ts", "./a", W, "src/a.mjs");
    IS(&f, "src/i.ts", "./a.js", W, "src/a.js");
    IS(&f, "src/i.ts", "./b", W, "src/b.ts");
    IS(&f, "src/i.ts", "./c", W, "src/c.tsx");
    IS(&f, "src/i.ts", "./d", W, "src/d.json");
    IS(&f, "src/i.ts", "./dir", W, "src/dir/index.ts");
    IS(&f, "src/i.ts", "./dir/", W, "src/dir/index.ts");
    IS(&f, "src/i.ts", "./x.css", W, "src/x.css");
    IS(&f, "src/dir/index.ts", "..", W, "!no such file");
    IS(&f, "src/dir/index.ts", "../b", W, "src/b.ts");
    IS(&f, "src/i.ts", "/src/b", W, "src/b.ts"); // root-relative, as Vite
    // A directory with package.json: its main (Vite's resolvePackageEntry).
    IS(&f, "src/i.ts", "./lib", W, "src/lib/main.js");
    IS(&f, "src/i.ts", "./lib2", W, "src/lib2/out/entry.jsx");
    // A directory whose package.json entry is missing falls back to index.
    IS(&f, "src/i.ts", "./lib3", W, "src/lib3/index.tsx");
    // A file beats a directory of the same stem.
    IS(&f, "src/i.ts", "./e", W, "src/e.ts");
    FAILS(&f, "src/i.ts", "./missing", W);
    FAILS(&f, "src/i.ts", "./missing.css", W);
    char abs[PATH_MAX];
    snprintf(abs, sizeof abs, "%s/src/b", f.root);
    IS(&f, "src/i.ts", abs, W, "src/b.ts");
    close_fx(&f);
}

TEST(resolve_js_to_ts_fallback)
{
    static const char *const files[] = {"src/a.ts",
                                        "",
                                        "src/b.tsx",
                                        "",
                                        "src/c.mts",
                                        "",
                                        "src/d.cts",
                                        "",
                                        "src/e.tsx",
                                        "",
                                        "src/real.js",
                                        "",
                                        "src/real.ts",
                                        "",
                                        "node_modules/p/package.json",
                                        "{\"exports\": \"./src/index.js\"}",
                                        "node_modules/p/src/index.ts",
                                        "",
                                        NULL};
    struct fx f;
    open_fx(&f, tree(files));
    IS(&f, "src/i.ts", "./a.js", W, "src/a.ts");
    IS(&f, "src/i.ts", "./b.js", W, "src/b.tsx");
    IS(&f, "src/i.ts", "./c.mjs", W, "src/c.mts");
    IS(&f, "src/i.ts", "./d.cjs", W, "src/d.cts");
    IS(&f, "src/i.ts", "./e.jsx", W, "src/e.tsx");
    // The .js file itself wins when it exists.
    IS(&f, "src/i.ts", "./real.js", W, "src/real.js");
    // Vite applies it for any importer, also inside packages.
    IS(&f, "src/i.js", "./a.js", W, "src/a.ts");
    IS(&f, "src/i.ts", "p", W, "node_modules/p/src/index.ts");
    close_fx(&f);
}

TEST(resolve_bare_node_modules_up_the_tree)
{
    static const char *const files[] = {"node_modules/a/package.json",
                                        "{\"main\": \"root.js\"}",
                                        "node_modules/a/root.js",
                                        "",
                                        "node_modules/a/sub/file.js",
                                        "",
                                        "packages/x/node_modules/a/package.json",
                                        "{\"main\": \"near.js\"}",
                                        "packages/x/node_modules/a/near.js",
                                        "",
                                        "node_modules/@scope/pkg/package.json",
                                        "{\"main\": \"./lib/index.js\"}",
                                        "node_modules/@scope/pkg/lib/index.js",
                                        "",
                                        "node_modules/@scope/pkg/lib/deep.js",
                                        "",
                                        "node_modules/nopj/index.js",
                                        "",
                                        "node_modules/noentry/package.json",
                                        "{}",
                                        "node_modules/noentry/index.js",
                                        "",
                                        "node_modules/socket.io-client/package.json",
                                        "{\"main\": \"./build/index.js\"}",
                                        "node_modules/socket.io-client/build/index.js",
                                        "",
                                        NULL};
    struct fx f;
    open_fx(&f, tree(files));
    IS(&f, "src/i.ts", "a", W, "node_modules/a/root.js");
    IS(&f, "packages/x/src/deep/i.ts", "a", W, "packages/x/node_modules/a/near.js");
    IS(&f, "src/i.ts", "a/sub/file", W, "node_modules/a/sub/file.js");
    IS(&f, "src/i.ts", "a/sub/file.js", W, "node_modules/a/sub/file.js");
    IS(&f, "src/i.ts", "@scope/pkg", W, "node_modules/@scope/pkg/lib/index.js");
    IS(&f, "src/i.ts", "@scope/pkg/lib/deep", W, "node_modules/@scope/pkg/lib/deep.js");
    IS(&f, "src/i.ts", "noentry", W, "node_modules/noentry/index.js");
    // A package named like a file is a package (SPEC §4.5).
    IS(&f, "src/i.ts", "socket.io-client", W, "node_modules/socket.io-client/build/index.js");
    // Vite: a node_modules folder without package.json is not a package.
    IS(&f, "src/i.ts", "nopj", W, "!cannot find package 'nopj'");
    IS(&f, "src/i.ts", "@scope", W, "!invalid package name");
    FAILS(&f, "src/i.ts", "a/missing", W);
    FAILS(&f, "src/i.ts", "zzz", W);
    close_fx(&f);
}

TEST(resolve_self_reference)
{
    static const char *const files[] = {
        "package.json",
        "{\"name\": \"app\", \"exports\": {\".\": \"./src/main.ts\", \"./u\": "
        "\"./src/util.ts\"}}",
        "src/main.ts",
        "",
        "src/util.ts",
        "",
        "node_modules/lib/package.json",
        "{\"name\": \"lib\", \"main\": \"m.js\"}",
        "node_modules/lib/m.js",
        "",
        "node_modules/lib/x.js",
        "",
        NULL};
    struct fx f;
    open_fx(&f, tree(files));
    IS(&f, "src/deep/i.ts", "app", W, "src/main.ts");
    IS(&f, "src/deep/i.ts", "app/u", W, "src/util.ts");
    FAILS(&f, "src/deep/i.ts", "app/nope", W);
    // Without exports there is no self-reference (Node), so "lib" from inside
    // lib is looked up in node_modules as usual and finds itself there.
    IS(&f, "node_modules/lib/x.js", "lib", W, "node_modules/lib/m.js");
    close_fx(&f);
}

TEST(resolve_exports_conditions_by_env_kind_mode)
{
    static const char *const files[] = {
        "node_modules/p/package.json",
        "{\"name\": \"p\", \"exports\": {\".\": {\"workerd\": {\"import\": \"./w.mjs\", "
        "\"require\": \"./w.cjs\"}, \"browser\": \"./b.js\", \"development\": \"./dev.js\", "
        "\"default\": \"./d.js\"}, \"./feature/*\": {\"react-server\": \"./rs/*.js\", \"default\": "
        "\"./f/*.js\"}, \"./internal/*\": null, \"./bad\": \"../outside.js\", \"./package.json\": "
        "\"./package.json\"}, \"main\": \"./main.js\"}",
        "node_modules/p/w.mjs",
        "",
        "node_modules/p/w.cjs",
        "",
        "node_modules/p/b.js",
        "",
        "node_modules/p/dev.js",
        "",
        "node_modules/p/d.js",
        "",
        "node_modules/p/main.js",
        "",
        "node_modules/p/rs/x.js",
        "",
        "node_modules/p/f/x.js",
        "",
        "node_modules/p/internal/y.js",
        "",
        "node_modules/p/f/nofile.txt",
        "",
        NULL};
    const char *root = tree(files);
    struct fx f;
    open_fx(&f, root);
    IS(&f, "src/i.ts", "p", W, "node_modules/p/w.mjs");
    CHECK_EQ_STR(res_kind(&f, "src/i.ts", "p", W, DSCAN_IMPORT_REQUIRE), "node_modules/p/w.cjs");
    CHECK_EQ_STR(res_kind(&f, "src/i.ts", "p", W, DSCAN_IMPORT_DYNAMIC), "node_modules/p/w.mjs");
    IS(&f, "src/i.ts", "p", C, "node_modules/p/b.js");
    IS(&f, "src/i.ts", "p/feature/x", W, "node_modules/p/rs/x.js");
    IS(&f, "src/i.ts", "p/feature/x", C, "node_modules/p/f/x.js");
    IS(&f, "src/i.ts", "p/package.json", W, "node_modules/p/package.json");
    // Not exported, even though the file exists.
    FAILS(&f, "src/i.ts", "p/internal/y", W);
    FAILS(&f, "src/i.ts", "p/main.js", W);
    FAILS(&f, "src/i.ts", "p/bad", W);
    close_fx(&f);

    // development mode, and conditions replaced per request.
    struct dscan_options opts = {.mode = DSCAN_MODE_DEVELOPMENT};
    static const char *const none[] = {"node", "development|production"};
    opts.env[C].conditions = (struct dscan_strings){none, 2, true};
    open_opts(&f, root, &opts);
    IS(&f, "src/i.ts", "p", C, "node_modules/p/dev.js");
    struct ds_str only_browser = DS_STR("browser");
    struct ds_strlist cl = {&only_browser, 1};
    char imp[PATH_MAX];
    snprintf(imp, sizeof imp, "%s/src/i.ts", root);
    CHECK_EQ_INT(
        ds_resolve_with(f.r, ds_str_cstr(imp), DS_STR("p"), W, DSCAN_IMPORT_STATIC, &cl, &f.last),
        DS_OK);
    CHECK_EQ_INT(f.last.kind, DS_RES_FILE);
    CHECK(ds_str_ends_with(ds_intern_str(&f.paths, f.last.path_id), DS_STR("/p/b.js")));
    close_fx(&f);
}

/* SPEC §2: no alias by default ("alias": []). A project whose tsconfig maps
 * "@/…" somewhere other than ./src resolves by its tsconfig; without one,
 * "@/x" is a package name like any other. */
TEST(resolve_no_default_alias_tsconfig_decides_at)
{
    static const char *const files[] = {
        "tsconfig.json",
        "{\"compilerOptions\": {\"paths\": {\"@/*\": [\"./app/*\"]}}}",
        "src/x.ts",
        "",
        "app/x.ts",
        "",
        "src/i.ts",
        "",
        "app/i.ts",
        "",
        NULL};
    const char *root = tree(files);
    struct fx f;
    open_fx(&f, root);
    CHECK_EQ_INT(f.cfg->n_alias, 0);
    IS(&f, "src/i.ts", "@/x", W, "app/x.ts");
    IS(&f, "app/i.ts", "@/x", C, "app/x.ts");
    close_fx(&f);

    static const char *const bare[] = {"src/x.ts", "", "src/i.ts", "", NULL};
    open_fx(&f, tree(bare));
    FAILS(&f, "src/i.ts", "@/x", W);
    close_fx(&f);
}

/* SPEC §2, tsconfig unset: each importer's own tsconfig, as Vite 8's
 * resolve.tsconfigPaths finds it (tests/real/test_tsconfig_vite8.sh checks
 * the same rules against Vite 8): the nearest tsconfig.json that owns the
 * file, a solution-style config's reference that includes it, walking up
 * past a config that does not own it; none under node_modules. A
 * configured `tsconfig` is that one file for every importer. */
TEST(resolve_tsconfig_per_importer_as_vite8)
{
    static const char *const files[] = {
        "tsconfig.json", "{\"compilerOptions\": {\"paths\": {\"@/*\": [\"./top/*\"]}}}", "top/x.ts",
        "", "pkg/a/tsconfig.json",
        "{\"include\": [\"src\"], \"compilerOptions\": {\"paths\": {\"@/*\": [\"./src/*\"]}}}",
        "pkg/a/src/i.ts", "", "pkg/a/src/x.ts", "", "pkg/a/src/j.js", "", "pkg/a/tools/i.ts", "",
        "app/tsconfig.json",
        "{\"files\": [], \"references\": [{\"path\": \"./tsconfig.app.json\"}, {\"path\": \"./tsconfig.node.json\"}]}",
        "app/tsconfig.app.json",
        "{\"include\": [\"src\"], \"compilerOptions\": {\"paths\": {\"@/*\": [\"./src/*\"]}}}",
        "app/tsconfig.node.json",
        "{\"include\": [\"vite.config.ts\"], \"compilerOptions\": {\"paths\": {\"@/*\": [\"./cfg/*\"]}}}",
        "app/src/i.ts", "", "app/src/x.ts", "", "app/vite.config.ts", "", "app/cfg/x.ts", "",
        "app/other/i.ts", "", "node_modules/dep/i.ts", "",
        // Decided by file name: two files of one directory, two owners.
        "pkg/f/tsconfig.json",
        "{\"files\": [\"src/main.ts\"], \"compilerOptions\": {\"paths\": {\"@/*\": "
        "[\"./src/*\"]}}}",
        "pkg/f/src/main.ts", "", "pkg/f/src/other.ts", "", "pkg/f/src/x.ts", "", NULL};
    const char *root = tree(files);
    struct fx f;
    open_fx(&f, root);
    IS(&f, "pkg/f/src/main.ts", "@/x", W, "pkg/f/src/x.ts");
    IS(&f, "pkg/f/src/other.ts", "@/x", W, "top/x.ts");
    IS(&f, "pkg/f/src/main.ts", "@/x", C, "pkg/f/src/x.ts");
    IS(&f, "pkg/a/src/i.ts", "@/x", W, "pkg/a/src/x.ts");
    IS(&f, "pkg/a/tools/i.ts", "@/x", W, "top/x.ts"); // outside a's include: the root's
    FAILS(&f, "pkg/a/src/j.js", "@/x", W);            // no allowJs anywhere: no owner
    IS(&f, "app/src/i.ts", "@/x", C, "app/src/x.ts"); // the reference that includes it
    IS(&f, "app/vite.config.ts", "@/x", W, "app/cfg/x.ts");
    IS(&f, "app/other/i.ts", "@/x", W, "top/x.ts"); // no reference owns it
    IS(&f, "x.ts", "@/x", W, "top/x.ts");
    FAILS(&f, "node_modules/dep/i.ts", "@/x", W);
    close_fx(&f);

    // A configured tsconfig: that file for every importer.
    struct dscan_options opts = {.tsconfig = "pkg/a/tsconfig.json"};
    open_opts(&f, root, &opts);
    IS(&f, "app/src/i.ts", "@/x", W, "pkg/a/src/x.ts");
    IS(&f, "pkg/a/tools/i.ts", "@/x", W, "pkg/a/src/x.ts");
    close_fx(&f);
}

/* Vite 6+ (resolve.ts, DEV_PROD_CONDITION), checked against Vite 7 and 8
 * by tests/real/test_tsconfig_vite8.sh: the mode's condition applies only
 * through a "development|production" entry of the environment's list; the
 * default worker list holds one, the default client list ("browser",
 * "module", as RedwoodSDK sets it) does not, so the client resolves a
 * package's non-development build in `vite dev` too (emotion, radix). */
TEST(resolve_mode_condition_only_through_its_entry)
{
    static const char *const files[] = {
        "node_modules/m/package.json",
        "{\"name\": \"m\", \"exports\": {\"development\": \"./dev.js\", "
        "\"production\": \"./prod.js\", \"default\": \"./d.js\"}}",
        "node_modules/m/dev.js",
        "",
        "node_modules/m/prod.js",
        "",
        "node_modules/m/d.js",
        "",
        NULL};
    const char *root = tree(files);
    struct fx f;
    char imp[PATH_MAX];
    snprintf(imp, sizeof imp, "%s/src/i.ts", root);
    struct ds_str given[2] = {DS_STR("browser"), DS_STR("development|production")};

    for (int dev = 0; dev < 2; dev++) {
        struct dscan_options opts = {.mode = dev ? DSCAN_MODE_DEVELOPMENT : DSCAN_MODE_PRODUCTION};
        open_opts(&f, root, &opts);
        IS(&f, "src/i.ts", "m", W, dev ? "node_modules/m/dev.js" : "node_modules/m/prod.js");
        IS(&f, "src/i.ts", "m", C, "node_modules/m/d.js");
        // A list given per request is taken as given: with the entry, the mode's.
        for (size_t n = 1; n <= 2; n++) {
            struct ds_strlist cl = {given, n};
            CHECK_EQ_INT(ds_resolve_with(f.r, ds_str_cstr(imp), DS_STR("m"), C, DSCAN_IMPORT_STATIC,
                                         &cl, &f.last),
                         DS_OK);
            CHECK_EQ_INT(f.last.kind, DS_RES_FILE);
            const char *want = n == 1 ? "/m/d.js" : dev ? "/m/dev.js" : "/m/prod.js";
            CHECK(ds_str_ends_with(ds_intern_str(&f.paths, f.last.path_id), ds_str_cstr(want)));
        }
        close_fx(&f);
    }
    // A configured client list with the entry gets the mode's condition.
    static const char *const with[] = {"browser", "module", "development|production"};
    struct dscan_options opts = {.mode = DSCAN_MODE_DEVELOPMENT};
    opts.env[C].conditions = (struct dscan_strings){with, 3, true};
    open_opts(&f, root, &opts);
    IS(&f, "src/i.ts", "m", C, "node_modules/m/dev.js");
    close_fx(&f);
}

TEST(resolve_main_fields_and_browser_field)
{
    static const char *const files[] = {
        // module before main in both environments; browser first on the client.
        "node_modules/m/package.json",
        "{\"main\": \"./c.js\", \"module\": \"./m.js\", \"browser\": \"./b.js\"}",
        "node_modules/m/c.js", "", "node_modules/m/m.js", "", "node_modules/m/b.js",
        "export const b = 1;", "node_modules/jn/package.json",
        "{\"main\": \"./c.js\", \"jsnext:main\": \"./jn.js\"}", "node_modules/jn/c.js", "",
        "node_modules/jn/jn.js", "",
        // The object form remaps files and packages; false is an empty module.
        "node_modules/bo/package.json",
        "{\"main\": \"./lib/node.js\", \"browser\": {\"./lib/node.js\": \"./lib/browser.js\", "
        "\"./lib/fs-impl.js\": false, \"./lib/alt\": \"./lib/alt-browser.js\", \"ws\": "
        "\"isomorphic-ws\", \"tls\": false, \"module-d\": false, \"./lib/dir/index.js\": \"./lib/dir-browser.js\"}}",
        "node_modules/bo/lib/node.js", "", "node_modules/bo/lib/browser.js", "",
        "node_modules/bo/lib/fs-impl.js", "", "node_modules/bo/lib/alt.js", "",
        "node_modules/bo/lib/alt-browser.js", "", "node_modules/bo/lib/dir/index.js", "",
        "node_modules/bo/lib/dir-browser.js", "", "node_modules/bo/lib/inner.js", "",
        "node_modules/ws/package.json", "{\"main\": \"index.js\"}", "node_modules/ws/index.js", "",
        "node_modules/isomorphic-ws/package.json", "{\"main\": \"browser.js\"}",
        "node_modules/isomorphic-ws/browser.js", "", "node_modules/bdot/package.json",
        "{\"main\": \"c.js\", \"browser\": {\".\": \"./b.js\"}}", "node_modules/bdot/c.js", "",
        "node_modules/bdot/b.js", "", NULL};
    struct fx f;
    open_fx(&f, tree(files));
    IS(&f, "src/i.ts", "m", W, "node_modules/m/m.js");
    IS(&f, "src/i.ts", "m", C, "node_modules/m/b.js");
    IS(&f, "src/i.ts", "jn", W, "node_modules/jn/jn.js");
    IS(&f, "src/i.ts", "bo", W, "node_modules/bo/lib/node.js");
    IS(&f, "src/i.ts", "bo", C, "node_modules/bo/lib/browser.js");
    IS(&f, "src/i.ts", "bo/lib/fs-impl", C, "empty");
    IS(&f, "src/i.ts", "bo/lib/fs-impl.js", C, "empty");
    IS(&f, "src/i.ts", "bo/lib/fs-impl", W, "node_modules/bo/lib/fs-impl.js");
    // Relative imports inside the package are remapped too.
    IS(&f, "node_modules/bo/lib/inner.js", "./node", C, "node_modules/bo/lib/browser.js");
    IS(&f, "node_modules/bo/lib/inner.js", "./fs-impl.js", C, "empty");
    IS(&f, "node_modules/bo/lib/inner.js", "./alt", C, "node_modules/bo/lib/alt-browser.js");
    IS(&f, "node_modules/bo/lib/inner.js", "./dir", C, "node_modules/bo/lib/dir-browser.js");
    IS(&f, "node_modules/bo/lib/inner.js", "./alt", W, "node_modules/bo/lib/alt.js");
    // A bare id remapped to another package; a builtin mapped to false stays external.
    IS(&f, "node_modules/bo/lib/inner.js", "ws", C, "node_modules/isomorphic-ws/browser.js");
    IS(&f, "node_modules/bo/lib/inner.js", "ws", W, "node_modules/ws/index.js");
    // Vite maps the bare id before asking whether it is a builtin.
    IS(&f, "node_modules/bo/lib/inner.js", "tls", C, "empty");
    IS(&f, "node_modules/bo/lib/inner.js", "tls", W, "external");
    IS(&f, "node_modules/bo/lib/inner.js", "module-d", C, "empty");
    FAILS(&f, "node_modules/bo/lib/inner.js", "module-d", W);
    IS(&f, "src/i.ts", "bdot", C, "node_modules/bdot/b.js");
    IS(&f, "src/i.ts", "bdot", W, "node_modules/bdot/c.js");
    close_fx(&f);
}

TEST(resolve_imports_field)
{
    static const char *const files[] = {
        "package.json",
        "{\"name\": \"app\", \"imports\": {\"#utils/*\": \"./src/utils/*.ts\", \"#dep\": \"dep\", "
        "\"#cond\": {\"browser\": \"./src/b.ts\", \"default\": \"./src/d.ts\"}, \"#bad\": "
        "\"../x.js\"}}",
        "src/utils/a.ts",
        "",
        "src/b.ts",
        "",
        "src/d.ts",
        "",
        "node_modules/dep/package.json",
        "{\"main\": \"i.js\"}",
        "node_modules/dep/i.js",
        "",
        NULL};
    struct fx f;
    open_fx(&f, tree(files));
    IS(&f, "src/x/i.ts", "#utils/a", W, "src/utils/a.ts");
    IS(&f, "src/x/i.ts", "#dep", W, "node_modules/dep/i.js");
    IS(&f, "src/x/i.ts", "#cond", W, "src/b.ts"); // the worker's conditions include browser
    IS(&f, "src/x/i.ts", "#cond", C, "src/b.ts");
    FAILS(&f, "src/x/i.ts", "#missing", W);
    FAILS(&f, "src/x/i.ts", "#bad", W);
    FAILS(&f, "src/x/i.ts", "#", W);
    close_fx(&f);
}

TEST(resolve_alias_and_tsconfig_paths)
{
    static const char *const files[] = {
        "dscan.json",
        "{\"alias\": [{\"find\": \"@\", \"replacement\": \"./src\"}, {\"find\": "
        "\"old-pkg\", \"replacement\": \"new-pkg\"}, {\"find\": \"exact-pkg$\", "
        "\"replacement\": \"new-pkg/sub.js\"}]}",
        "tsconfig.json",
        "{\n // JSONC\n \"extends\": \"./tsconfig.base.json\",\n}",
        "tsconfig.base.json",
        "{\"compilerOptions\": {\"baseUrl\": \".\", \"paths\": {\"~/*\": [\"./src/*\"], "
        "\"@lib\": [\"./libs/lib/index.ts\"], \"multi/*\": [\"./a/*\", \"./b/*\"]}}}",
        "src/comp/Button.tsx",
        "",
        "libs/lib/index.ts",
        "",
        "b/only-b.ts",
        "",
        "top.ts",
        "",
        "node_modules/new-pkg/package.json",
        "{\"main\": \"n.js\"}",
        "node_modules/new-pkg/n.js",
        "",
        "node_modules/new-pkg/sub.js",
        "",
        NULL};
    struct fx f;
    open_fx(&f, tree(files));
    IS(&f, "src/i.ts", "@/comp/Button", W, "src/comp/Button.tsx");
    IS(&f, "src/i.ts", "old-pkg", W, "node_modules/new-pkg/n.js");
    IS(&f, "src/i.ts", "old-pkg/sub", W, "node_modules/new-pkg/sub.js");
    // "find$": that specifier only, not its subpaths.
    IS(&f, "src/i.ts", "exact-pkg", W, "node_modules/new-pkg/sub.js");
    FAILS(&f, "src/i.ts", "exact-pkg/sub", W);
    IS(&f, "src/i.ts", "~/comp/Button", W, "src/comp/Button.tsx");
    IS(&f, "src/i.ts", "@lib", W, "libs/lib/index.ts");
    IS(&f, "src/i.ts", "multi/only-b", W, "b/only-b.ts");
    IS(&f, "src/i.ts", "top", W, "top.ts"); // baseUrl
    // vite-tsconfig-paths: not for files under node_modules.
    FAILS(&f, "node_modules/new-pkg/n.js", "~/comp/Button", W);
    close_fx(&f);
}

TEST(resolve_tsconfig_extends_package_through_symlink)
{
    static const char *const files[] = {
        "tsconfig.json",
        "{\"extends\": \"@cfg/base/tsconfig.json\"}",
        "node_modules/.pnpm/@cfg+base@1/node_modules/@cfg/base/tsconfig.json",
        "{\"compilerOptions\": {\"paths\": {\"#app/*\": [\"${configDir}/src/*\"], \"$lib/*\": "
        "[\"./lib/*\"]}}}",
        "node_modules/.pnpm/@cfg+base@1/node_modules/@cfg/base/lib/x.ts",
        "",
        "node_modules/@cfg/base",
        "->../.pnpm/@cfg+base@1/node_modules/@cfg/base",
        "src/a.tsx",
        "",
        NULL};
    struct fx f;
    open_fx(&f, tree(files));
    // Paths of an extended config are relative to the file that declares them.
    IS(&f, "src/i.ts", "$lib/x", W,
       "node_modules/.pnpm/@cfg+base@1/node_modules/@cfg/base/lib/x.ts");
    IS(&f, "src/i.ts", "#app/a", W, "src/a.tsx");
    close_fx(&f);
}

TEST(resolve_queries_hashes_and_externals)
{
    static const char *const files[] = {"src/a.ts",
                                        "",
                                        "src/dir/index.ts",
                                        "",
                                        "node_modules/es5-ext/package.json",
                                        "{\"main\": \"index.js\"}",
                                        "node_modules/es5-ext/index.js",
                                        "",
                                        "node_modules/es5-ext/#/array/x.js",
                                        "",
                                        "src/logo.svg",
                                        "",
                                        NULL};
    struct fx f;
    open_fx(&f, tree(files));
    IS(&f, "src/i.ts", "./a?v=123", W, "src/a.ts");
    IS(&f, "src/i.ts", "./a#frag", W, "src/a.ts");
    IS(&f, "src/i.ts", "./dir/?v=1", W, "src/dir/index.ts");
    IS(&f, "src/i.ts", "./a.js?x#y", W, "src/a.ts");
    IS(&f, "src/i.ts", "es5-ext/#/array/x", W, "node_modules/es5-ext/#/array/x.js");
    IS(&f, "src/i.ts", "es5-ext/#/array/x.js", W, "node_modules/es5-ext/#/array/x.js");
    IS(&f, "src/i.ts", "./logo.svg", W, "src/logo.svg");
    IS(&f, "src/i.ts", "./logo.svg?url", W, "external");
    IS(&f, "src/i.ts", "./w.ts?worker&inline", W, "external");
    IS(&f, "src/i.ts", "./a.ts?raw", W, "external");
    IS(&f, "src/i.ts", "./a.ts?sharedworker", W, "external");
    IS(&f, "src/i.ts", "./a.ts?inline", W, "external");
    IS(&f, "src/i.ts", "./a.ts?urls", W, "src/a.ts");
    IS(&f, "src/i.ts", "node:fs", W, "external");
    IS(&f, "src/i.ts", "fs", C, "external");
    IS(&f, "src/i.ts", "fs/promises", W, "external");
    IS(&f, "src/i.ts", "virtual:my-module", W, "external");
    IS(&f, "src/i.ts", "https://esm.sh/react", W, "external");
    IS(&f, "src/i.ts", "//cdn.x/y.js", W, "external");
    IS(&f, "src/i.ts", "data:text/javascript,1", W, "external");
    IS(&f, "src/i.ts", "cloudflare:workers", W, "external"); // SPEC §2 default external
    FAILS(&f, "src/i.ts", "", W);
    close_fx(&f);
}

TEST(resolve_pnpm_symlinks_one_identity)
{
    static const char *const files[] = {
        "node_modules/.pnpm/react@19.0.0/node_modules/react/package.json",
        "{\"name\": \"react\", \"exports\": {\".\": \"./index.js\", \"./jsx-runtime\": "
        "\"./jsx-runtime.js\"}}",
        "node_modules/.pnpm/react@19.0.0/node_modules/react/index.js",
        "",
        "node_modules/.pnpm/react@19.0.0/node_modules/react/jsx-runtime.js",
        "",
        "node_modules/.pnpm/ui@1.0.0/node_modules/ui/package.json",
        "{\"name\": \"ui\", \"module\": \"./dist/index.js\"}",
        "node_modules/.pnpm/ui@1.0.0/node_modules/ui/dist/index.js",
        "",
        "node_modules/.pnpm/ui@1.0.0/node_modules/react",
        "->../../react@19.0.0/node_modules/react",
        "node_modules/react",
        "->.pnpm/react@19.0.0/node_modules/react",
        "node_modules/ui",
        "->.pnpm/ui@1.0.0/node_modules/ui",
        "src/linked.ts",
        "->real.ts",
        "src/real.ts",
        "",
        "src/loop-a",
        "->loop-b",
        "src/loop-b",
        "->loop-a",
        "src/dangling.ts",
        "->nowhere.ts",
        NULL};
    struct fx f;
    open_fx(&f, tree(files));
    const char *want = "node_modules/.pnpm/react@19.0.0/node_modules/react/index.js";
    IS(&f, "src/i.ts", "react", W, want);
    uint32_t id1 = f.last.path_id;
    IS(&f, "src/i.ts", "ui", W, "node_modules/.pnpm/ui@1.0.0/node_modules/ui/dist/index.js");
    // From inside ui (its real path), react is its own symlinked dependency.
    IS(&f, "node_modules/.pnpm/ui@1.0.0/node_modules/ui/dist/index.js", "react", W, want);
    CHECK_EQ_INT(f.last.path_id, id1);
    IS(&f, "src/i.ts", "./linked", W, "src/real.ts");
    uint32_t real_id;
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/node_modules/react/./index.js", f.root);
    CHECK_EQ_INT(ds_resolver_realpath(f.r, ds_str_cstr(p), &real_id), DS_OK);
    CHECK_EQ_INT(real_id, id1);
    snprintf(p, sizeof p, "%s/node_modules/ui/../react/index.js", f.root);
    CHECK_EQ_INT(ds_resolver_realpath(f.r, ds_str_cstr(p), &real_id), DS_OK);
    CHECK_EQ_INT(real_id, id1);
    // A symlink loop is an error for that specifier, not a hang.
    IS(&f, "src/i.ts", "./loop-a", W, "!symlink loop");
    CHECK(f.last.symlink_loop);
    IS(&f, "src/i.ts", "./loop-a/x", W, "!symlink loop");
    snprintf(p, sizeof p, "%s/src/loop-a", f.root);
    CHECK_EQ_INT(ds_resolver_realpath(f.r, ds_str_cstr(p), &real_id), DS_ELOOP);
    FAILS(&f, "src/i.ts", "./dangling", W);
    snprintf(p, sizeof p, "%s/src/nope.ts", f.root);
    CHECK_EQ_INT(ds_resolver_realpath(f.r, ds_str_cstr(p), &real_id), DS_ENOENT);
    close_fx(&f);
}

TEST(resolve_symlink_chains)
{
    static const char *const files[] = {"src/real.ts",
                                        "",
                                        "src/c1.ts",
                                        "->c2.ts",
                                        "src/c2.ts",
                                        "->sub/../real.ts",
                                        "src/sub/keep",
                                        "",
                                        "vendor/x-real/package.json",
                                        "{\"main\": \"lib/i.js\"}",
                                        "vendor/shared/i.js",
                                        "",
                                        "vendor/x-real/lib",
                                        "->../shared",
                                        "vendor/x-link",
                                        "->x-real",
                                        "node_modules/x",
                                        "->../vendor/x-link",
                                        "src/self",
                                        "->.",
                                        NULL};
    struct fx f;
    const char *root = tree(files);
    char link[PATH_MAX], target[PATH_MAX];

    // An absolute target.
    snprintf(link, sizeof link, "%s/src/abs.ts", root);
    snprintf(target, sizeof target, "%s/src/real.ts", root);
    CHECK_EQ_INT(symlink(target, link), 0);
    open_fx(&f, root);
    IS(&f, "src/i.ts", "./abs", W, "src/real.ts");
    IS(&f, "src/i.ts", "./c1", W, "src/real.ts"); // a chain of two links
    // Link to a link to a directory; inside it, a link with "..", relative to
    // the real directory it lives in.
    IS(&f, "src/i.ts", "x", W, "vendor/shared/i.js");
    IS(&f, "src/i.ts", "./self/self/real", W, "src/real.ts"); // "self -> ." is no loop
    close_fx(&f);
}

TEST(resolve_letter_case)
{
    static const char *const files[] = {"src/components/Button.tsx", "", "src/Util.ts", "", NULL};
    struct fx f;
    open_fx(&f, tree(files));
    const char *r = res(&f, "src/i.ts", "./components/button", W);
    CHECK(r[0] == '!' && strstr(r, "case") && strstr(r, "Button.tsx"));
    CHECK(f.last.case_mismatch);
    r = res(&f, "src/i.ts", "./util.ts", W);
    CHECK(r[0] == '!' && strstr(r, "Util.ts"));
    CHECK(f.last.case_mismatch);
    IS(&f, "src/i.ts", "./components/Button", W, "src/components/Button.tsx");
    CHECK(!f.last.case_mismatch);
    r = res(&f, "src/i.ts", "./Components/Button", W);
    CHECK(r[0] == '!' && strstr(r, "case") && strstr(r, "/src/components'"));
    CHECK(f.last.case_mismatch);
    r = res(&f, "src/i.ts", "./nothing", W);
    CHECK(!f.last.case_mismatch);
    close_fx(&f);
}

TEST(resolve_malformed_package_json)
{
    static const char *const files[] = {"node_modules/bad/package.json",
                                        "{\n  \"main\": \"./x.js\",\n  oops\n}",
                                        "node_modules/bad/index.js",
                                        "",
                                        "node_modules/bad/x.js",
                                        "",
                                        NULL};
    struct fx f;
    open_fx(&f, tree(files));
    // Resolution goes on as if the fields were absent: index.js.
    IS(&f, "src/i.ts", "bad", W, "node_modules/bad/index.js");
    IS(&f, "src/i.ts", "bad", C, "node_modules/bad/index.js");
    CHECK_EQ_INT(f.diags.n, 1); // reported once, however often the package is used
    if (f.diags.n) {
        CHECK(strstr(f.diags.items[0].path, "node_modules/bad/package.json") != NULL);
        CHECK_EQ_INT(f.diags.items[0].line, 3);
        CHECK(strstr(f.diags.items[0].message, "cannot parse") != NULL);
    }
    close_fx(&f);
}

TEST(resolve_malformed_tsconfig)
{
    static const char *const files[] = {
        "tsconfig.json",
        "{\n  // comments are fine in JSONC\n  \"compilerOptions\": {\n    \"paths\": "
        "{\"~/*\": [\"./src/*\"]}\n  }\n  \"oops\": 1\n}",
        "src/a.ts", "", NULL};
    struct fx f;
    open_fx(&f, tree(files));
    // Resolution goes on as if the file said nothing (no paths).
    IS(&f, "src/i.ts", "./a", W, "src/a.ts");
    FAILS(&f, "src/i.ts", "~/a", W);
    CHECK(f.diags.n >= 1);
    if (f.diags.n) {
        CHECK(strstr(f.diags.items[0].path, "tsconfig.json") != NULL);
        CHECK(f.diags.items[0].line >= 5);
    }
    close_fx(&f);
}

TEST(resolve_cache_and_stats)
{
    static const char *const files[] = {"src/a.ts",
                                        "",
                                        "node_modules/p/package.json",
                                        "{\"main\": \"i.js\"}",
                                        "node_modules/p/i.js",
                                        "",
                                        NULL};
    struct fx f;
    struct ds_resolver_stats s1, s2;
    open_fx(&f, tree(files));
    IS(&f, "src/i.ts", "./a", W, "src/a.ts");
    IS(&f, "src/i.ts", "p", W, "node_modules/p/i.js");
    ds_resolver_get_stats(f.r, &s1);
    CHECK(s1.stat_calls > 0);
    CHECK_EQ_INT(s1.files_read, 1); // one package.json
    IS(&f, "src/other.ts", "./a", W, "src/a.ts");
    IS(&f, "src/i.ts", "p", W, "node_modules/p/i.js");
    ds_resolver_get_stats(f.r, &s2);
    CHECK_EQ_INT(s2.resolve_calls, 4);
    CHECK_EQ_INT(s2.cache_hits, 2);
    // A warm resolution makes no syscall.
    CHECK_EQ_INT(s2.stat_calls, s1.stat_calls);
    close_fx(&f);
}

/* Where Vite and Node (and so oxc-resolver / enhanced-resolve) disagree, we
 * follow Vite (SPEC §4.6). Each case names the rule that decides it; the
 * differential test (tests/real/test_resolve_oxc.sh) lists these kinds. */
TEST(resolve_vite_rules_that_differ_from_node)
{
    static const char *const files[] = {
        "node_modules/nano/package.json",
        "{\"main\": \"index.cjs\", \"module\": \"index.js\", \"exports\": {\".\": {\"browser\": "
        "\"./index.browser.js\", \"default\": \"./index.js\"}}}",
        "node_modules/nano/index.js",
        "",
        "node_modules/nano/index.cjs",
        "",
        "node_modules/nano/index.browser.js",
        "",
        "node_modules/nano/bin/cli.cjs",
        "",
        "node_modules/noext/package.json",
        "{\"exports\": {\".\": \"./dist/index\"}}",
        "node_modules/noext/dist/index.mjs",
        "",
        "node_modules/events/package.json",
        "{\"main\": \"events.js\"}",
        "node_modules/events/events.js",
        "",
        "node_modules/bm/package.json",
        "{\"main\": \"./m.js\", \"browser\": {\"./m.js\": false}}",
        "node_modules/bm/m.js",
        "",
        "node_modules/umd/package.json",
        "{\"main\": \"u.js\", \"module\": \"m.mjs\", \"browser\": \"u.js\"}",
        "node_modules/umd/u.js",
        "(function (g) { g.x = 1; })(this);",
        "node_modules/umd/m.mjs",
        "export default 1;",
        "node_modules/esmb/package.json",
        "{\"main\": \"c.js\", \"module\": \"m.js\", \"browser\": \"b.js\"}",
        "node_modules/esmb/b.js",
        "const a = 1;\nexport { a };\n",
        "node_modules/esmb/m.js",
        "",
        "node_modules/esmb/c.js",
        "",
        "node_modules/er/package.json",
        "{\"main\": \"lib/x.js\", \"browser\": {\"process\": \"./lib/process-browser.js\"}}",
        "node_modules/er/lib/x.js",
        "",
        "node_modules/er/lib/process-browser.js",
        "",
        NULL};
    struct fx f;
    open_fx(&f, tree(files));
    // Vite tryCleanFsResolve -> resolvePackageEntry: a relative import of a
    // package directory uses its exports (Node: main/index only).
    IS(&f, "node_modules/nano/bin/cli.cjs", "..", W, "node_modules/nano/index.browser.js");
    // Vite tryFsResolve probes extensions on an exports target (Node: exact file).
    IS(&f, "src/i.ts", "noext", W, "node_modules/noext/dist/index.mjs");
    // SPEC §4.5: a Node builtin name is never resolved, even when installed.
    IS(&f, "src/i.ts", "events", C, "external");
    IS(&f, "src/i.ts", "events/", C, "node_modules/events/events.js");
    // Vite resolvePackageEntry: `mapWithBrowserField(entry) || entry` keeps an
    // entry mapped to false (webpack's aliasFields would ignore it).
    IS(&f, "src/i.ts", "bm", C, "node_modules/bm/m.js");
    IS(&f, "src/i.ts", "bm/m.js", C, "empty");
    // Vite tryResolveBrowserEntry: browser and module both set and different:
    // a browser entry without ESM syntax gives way to module.
    IS(&f, "src/i.ts", "umd", C, "node_modules/umd/m.mjs");
    IS(&f, "src/i.ts", "umd", W, "node_modules/umd/m.mjs");
    CHECK_EQ_STR(res_kind(&f, "src/i.ts", "umd", C, DSCAN_IMPORT_REQUIRE), "node_modules/umd/u.js");
    IS(&f, "src/i.ts", "esmb", C, "node_modules/esmb/b.js");
    // The importer's browser field remaps a builtin before it is external.
    IS(&f, "node_modules/er/lib/x.js", "process", C, "node_modules/er/lib/process-browser.js");
    IS(&f, "node_modules/er/lib/x.js", "process", W, "external");
    close_fx(&f);
}

/* Copies tests/fixtures/NAME to a temporary directory, renames each
 * "_node_modules" to "node_modules" and makes the links of links.txt. */
static const char *fixture_copy(const char *name)
{
    const char *dir = harness_tmpdir();
    char cmd[8192], path[PATH_MAX], line[2048];

    snprintf(cmd, sizeof cmd,
             "cp -R tests/fixtures/%s/. '%s/' && find '%s' -depth -type d -name _node_modules "
             "-execdir mv _node_modules node_modules ';'",
             name, dir, dir);
    if (harness_run(cmd, NULL) != 0) {
        fprintf(stderr, "cannot copy fixture %s\n", name);
        exit(2);
    }
    snprintf(path, sizeof path, "%s/links.txt", dir);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t'), *nl = strchr(line, '\n');
        if (line[0] == '#' || !tab)
            continue;
        if (nl)
            *nl = '\0';
        *tab = '\0';
        snprintf(path, sizeof path, "%s/%s", dir, line);
        char parent[PATH_MAX];
        snprintf(parent, sizeof parent, "%s", path);
        *strrchr(parent, '/') = '\0';
        harness_mkdirs(parent);
        if (symlink(tab + 1, path) != 0) {
            perror(path);
            exit(2);
        }
    }
    if (f)
        fclose(f);
    return dir;
}

/* Runs every line of the fixture's expect.txt (format in the file). */
static void run_expect(const char *name)
{
    char path[PATH_MAX], line[4096];
    struct fx f;
    const char *root = fixture_copy(name);
    int n = 0;

    open_fx(&f, root);
    snprintf(path, sizeof path, "%s/expect.txt", root);
    FILE *in = fopen(path, "r");
    CHECK(in != NULL);
    while (in && fgets(line, sizeof line, in)) {
        char imp[1024], spec[1024], env[32], kind[32], want[1024];
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (sscanf(line, "%1023s %1023s %31s %31s %1023s", imp, spec, env, kind, want) != 5) {
            fprintf(stderr, "%s: bad line: %s", path, line);
            harness_failed++;
            continue;
        }
        enum dscan_env e = strcmp(env, "client") ? DSCAN_ENV_WORKER : DSCAN_ENV_CLIENT;
        enum dscan_import_kind k =
            strcmp(kind, "require") ? DSCAN_IMPORT_STATIC : DSCAN_IMPORT_REQUIRE;
        const char *got = res_kind(&f, imp, spec, e, k);
        bool ok = want[0] == '!' ? got[0] == '!' && strstr(got, want + 1) : !strcmp(got, want);
        if (!ok) {
            fprintf(stderr, "%s: %s %s %s %s: want %s, got %s\n", name, imp, spec, env, kind, want,
                    got);
            harness_failed++;
        }
        n++;
    }
    if (in)
        fclose(in);
    CHECK(n >= 40);
    // The malformed package.json was reported once, with its position.
    CHECK_EQ_INT(f.diags.n, 1);
    if (f.diags.n)
        CHECK_EQ_INT(f.diags.items[0].line, 4);
    close_fx(&f);
}

TEST(resolve_fixture_app_expect)
{
    run_expect("resolve-app");
}

struct thread_arg {
    struct fx *f;
    int errors;
};

static void *worker(void *p)
{
    struct thread_arg *a = p;
    static const char *const specs[] = {"./a", "p", "p/deep", "./b", "./missing", "node:fs"};
    char imp[PATH_MAX];
    for (int i = 0; i < 300; i++) {
        struct ds_resolution out;
        snprintf(imp, sizeof imp, "%s/src/d%d/i.ts", a->f->root, i % 7);
        const char *spec = specs[i % DS_ARRAY_LEN(specs)];
        char s[64];
        snprintf(s, sizeof s, "%s%s", i % 7 ? "." : "", spec[0] == '.' ? spec : "");
        if (spec[0] == '.')
            spec = s; // "../a" from the subdirectory
        if (ds_resolve(a->f->r, ds_str_cstr(imp), ds_str_cstr(spec), i & 1, DSCAN_IMPORT_STATIC,
                       &out) != DS_OK)
            a->errors++;
    }
    return NULL;
}

TEST(resolve_threads_share_one_resolver)
{
    static const char *const files[] = {"src/a.ts",
                                        "",
                                        "src/b.ts",
                                        "",
                                        "node_modules/p/package.json",
                                        "{\"main\": \"i.js\"}",
                                        "node_modules/p/i.js",
                                        "",
                                        "node_modules/p/deep.js",
                                        "",
                                        NULL};
    struct fx f;
    pthread_t t[4];
    struct thread_arg a[4];
    open_fx(&f, tree(files));
    for (int i = 0; i < 4; i++) {
        a[i] = (struct thread_arg){&f, 0};
        pthread_create(&t[i], NULL, worker, &a[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CHECK_EQ_INT(a[i].errors, 0);
    }
    IS(&f, "src/d1/i.ts", "../a", W, "src/a.ts");
    IS(&f, "src/d1/i.ts", "p/deep", C, "node_modules/p/deep.js");
    close_fx(&f);
}

/* Cold resolutions race: the fs drops the resolver's lock around listings
 * and package.json reads, so threads started together meet directories being
 * listed, packages being read and links being followed by another. Every
 * thread must get the same answers, a malformed package.json must be
 * reported once, and a symlink loop must stay a loop. */
#define RACE_THREADS 6
static const char *const race_specs[] = {"p", "p/x/y", "q", "bad", "loop", "./A", "./a", "r/z"};

struct race_arg {
    struct fx *f;
    pthread_barrier_t *go;
    struct ds_resolution out[DS_ARRAY_LEN(race_specs)];
    int errors;
};

static void *race_worker(void *p)
{
    struct race_arg *a = p;
    char imp[PATH_MAX];

    snprintf(imp, sizeof imp, "%s/src/i.ts", a->f->root);
    pthread_barrier_wait(a->go);
    for (size_t i = 0; i < DS_ARRAY_LEN(race_specs); i++)
        if (ds_resolve(a->f->r, ds_str_cstr(imp), ds_str_cstr(race_specs[i]), DSCAN_ENV_WORKER,
                       DSCAN_IMPORT_STATIC, &a->out[i]) != DS_OK)
            a->errors++;
    return NULL;
}

TEST(resolve_threads_cold_race)
{
    static const char *const files[] = {
        "src/i.ts",
        "",
        "src/a.ts",
        "",
        "node_modules/.pnpm/p@1/node_modules/p/package.json",
        "{\"exports\": {\".\": \"./i.js\", \"./x/*\": \"./x/*.js\"}}",
        "node_modules/.pnpm/p@1/node_modules/p/i.js",
        "",
        "node_modules/.pnpm/p@1/node_modules/p/x/y.js",
        "",
        "node_modules/.pnpm/p@1/node_modules/q",
        "->../../q@2/node_modules/q",
        "node_modules/.pnpm/q@2/node_modules/q/package.json",
        "{\"main\": \"m.js\"}",
        "node_modules/.pnpm/q@2/node_modules/q/m.js",
        "",
        "node_modules/p",
        "->.pnpm/p@1/node_modules/p",
        "node_modules/q",
        "->.pnpm/p@1/node_modules/q",
        "node_modules/bad/package.json",
        "{oops",
        "node_modules/bad/index.js",
        "",
        "node_modules/loop",
        "->loop2",
        "node_modules/loop2",
        "->loop",
        "node_modules/r",
        "->.pnpm/r@1/node_modules/r",
        "node_modules/.pnpm/r@1/node_modules/r/package.json",
        "{}",
        "node_modules/.pnpm/r@1/node_modules/r/z.js",
        "",
        NULL};
    for (int round = 0; round < 20; round++) {
        struct fx f;
        pthread_t t[RACE_THREADS];
        pthread_barrier_t go;
        struct race_arg a[RACE_THREADS];
        open_fx(&f, tree(files));
        pthread_barrier_init(&go, NULL, RACE_THREADS);
        for (int i = 0; i < RACE_THREADS; i++) {
            a[i] = (struct race_arg){.f = &f, .go = &go};
            pthread_create(&t[i], NULL, race_worker, &a[i]);
        }
        for (int i = 0; i < RACE_THREADS; i++)
            pthread_join(t[i], NULL);
        pthread_barrier_destroy(&go);
        for (int i = 0; i < RACE_THREADS; i++) {
            CHECK_EQ_INT(a[i].errors, 0);
            for (size_t k = 0; k < DS_ARRAY_LEN(race_specs); k++) {
                CHECK_EQ_INT(a[i].out[k].kind, a[0].out[k].kind);
                CHECK_EQ_INT(a[i].out[k].path_id, a[0].out[k].path_id);
                CHECK_EQ_INT(a[i].out[k].symlink_loop, a[0].out[k].symlink_loop);
            }
        }
        CHECK_EQ_INT(f.diags.n, 1); // the malformed package.json, once
        IS(&f, "src/i.ts", "p/x/y", W, "node_modules/.pnpm/p@1/node_modules/p/x/y.js");
        IS(&f, "src/i.ts", "q", W, "node_modules/.pnpm/q@2/node_modules/q/m.js");
        IS(&f, "src/i.ts", "r/z", W, "node_modules/.pnpm/r@1/node_modules/r/z.js");
        IS(&f, "src/i.ts", "bad", W, "node_modules/bad/index.js");
        CHECK_EQ_INT(a[0].out[4].kind, DS_RES_NOT_FOUND);
        close_fx(&f);
    }
}

/* Fails the Nth allocation: every run must end in DS_ENOMEM or the right
 * answer, and leak nothing (the fixture checks the allocator is back at 0). */
TEST(resolve_public_api_oom)
{
    static const char *const files[] = {
        "src/a.ts",
        "",
        "tsconfig.json",
        "{\"compilerOptions\": {\"paths\": {\"~/*\": [\"./src/*\"]}}}",
        "node_modules/.pnpm/p@1/node_modules/p/package.json",
        "{\"exports\": {\".\": {\"import\": \"./i.mjs\"}, \"./x/*\": \"./x/*.js\"}, "
        "\"browser\": {\"./x.js\": false}}",
        "node_modules/.pnpm/p@1/node_modules/p/i.mjs",
        "",
        "node_modules/.pnpm/p@1/node_modules/p/x/y.js",
        "",
        "node_modules/p",
        "->.pnpm/p@1/node_modules/p",
        "node_modules/b/package.json",
        "{\"main\": \"c.js\", \"module\": \"m.js\", \"browser\": \"u.js\"}",
        "node_modules/b/u.js",
        "var x = 1;",
        "node_modules/b/m.js",
        "",
        "node_modules/bad/package.json",
        "{oops",
        "node_modules/bad/index.js",
        "",
        NULL};
    static const struct {
        const char *spec;
        enum dscan_env env;
        const char *want_suffix; /* NULL: not found is the right answer */
    } reqs[] = {
        {"p", DSCAN_ENV_CLIENT, "/p/i.mjs"},    {"p/x/y", DSCAN_ENV_WORKER, "/p/x/y.js"},
        {"./a", DSCAN_ENV_WORKER, "/src/a.ts"}, {"~/a", DSCAN_ENV_WORKER, "/src/a.ts"},
        {"b", DSCAN_ENV_CLIENT, "/b/m.js"},     {"bad", DSCAN_ENV_WORKER, "/bad/index.js"},
        {"./A", DSCAN_ENV_WORKER, NULL},        {"node:fs", DSCAN_ENV_WORKER, ""},
    };
    const char *root = tree(files);
    struct harness_failing fa = {0};
    struct dscan_allocator al = harness_failing_allocator(&fa);
    struct dscan_options opts = {.root = root, .alloc = &al};
    char imp[PATH_MAX];
    snprintf(imp, sizeof imp, "%s/src/i.ts", root);

    for (fa.fail_at = 1; fa.fail_at < 20000; fa.fail_at++) {
        struct dscan_resolver *r = NULL;
        struct dscan_error err = {0};
        fa.count = 0;
        enum dscan_status st = dscan_resolver_new(&opts, &r, &err);
        if (st != DSCAN_OK) {
            CHECK(st == DSCAN_ENOMEM);
            continue;
        }
        bool oom = false, right = true;
        for (size_t i = 0; i < DS_ARRAY_LEN(reqs) && !oom; i++) {
            struct dscan_resolve_request req = {
                reqs[i].spec, imp, reqs[i].env, DSCAN_IMPORT_STATIC, {0}};
            struct dscan_resolved out;
            st = dscan_resolve(r, &req, &out, &err);
            if (st == DSCAN_ENOMEM) {
                oom = true;
            } else if (!reqs[i].want_suffix) {
                right = right && st == DSCAN_ENOTFOUND;
            } else if (!reqs[i].want_suffix[0]) {
                right = right && st == DSCAN_OK && out.kind == DSCAN_RESOLVED_EXTERNAL;
            } else {
                size_t n = strlen(reqs[i].want_suffix);
                right = right && st == DSCAN_OK && out.kind == DSCAN_RESOLVED_FILE &&
                        strlen(out.path) >= n &&
                        !strcmp(out.path + strlen(out.path) - n, reqs[i].want_suffix);
            }
        }
        bool done = fa.count < fa.fail_at;
        dscan_resolver_free(r);
        if (done) {
            CHECK(!oom);
            CHECK(right);
            break;
        }
        // A fault that did not surface as ENOMEM may only have cost a
        // diagnostic (the malformed package.json's); the answers stay right.
        CHECK(oom || right);
    }
    CHECK(fa.fail_at < 20000);
}
