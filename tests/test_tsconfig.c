/* Tests of the tsconfig reader: baseUrl and paths rules, extends (relative,
 * array, packages, cycles, bounds), diagnostics for malformed files, and
 * TypeScript's paths matching order. Cases follow the TypeScript handbook's
 * module-resolution pages and the tsconfig-paths / oxc-resolver suites,
 * re-expressed as fixtures in temporary directories. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "diag.h"
#include "tsconfig.h"

struct fx {
    struct ds_alloc alloc;
    struct ds_diags diags;
    struct ds_arena scratch;
    struct ds_tsconfig *tc;
    char root[PATH_MAX];
};

static const char *setup(struct fx *f)
{
    const char *dir = harness_tmpdir();
    if (!realpath(dir, f->root))
        snprintf(f->root, sizeof(f->root), "%s", dir);
    ds_alloc_init(&f->alloc, NULL, 0);
    CHECK_EQ_INT(ds_diags_init(&f->diags, &f->alloc), DS_OK);
    ds_arena_init(&f->scratch, &f->alloc, 0);
    f->tc = NULL;
    return f->root;
}

static char *under(struct fx *f, const char *rel)
{
    static char buf[8][PATH_MAX + 64];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof(buf[k]), "%s/%s", f->root, rel);
    return buf[k];
}

static enum ds_status load(struct fx *f, const char *rel)
{
    ds_tsconfig_free(f->tc);
    f->tc = NULL;
    const char *p = under(f, rel);
    return ds_tsconfig_load(&f->alloc, ds_str_cstr(p), &f->diags, &f->tc);
}

static void teardown(struct fx *f)
{
    ds_tsconfig_free(f->tc);
    ds_arena_release(&f->scratch);
    ds_diags_release(&f->diags);
    CHECK_EQ_INT(atomic_load(&f->alloc.current), 0);
}

/* The candidates for `spec` joined with '|', root-relative ("@R/…"). */
static const char *match(struct fx *f, const char *spec)
{
    static char out[4096];
    struct ds_strlist l;
    size_t n = 0;
    size_t rl = strlen(f->root);

    out[0] = '\0';
    if (ds_tsconfig_match(f->tc, ds_str_cstr(spec), &f->scratch, &l) != DS_OK)
        return "ENOMEM";
    for (size_t i = 0; i < l.n; i++) {
        struct ds_str s = l.items[i];
        const char *pre = "";
        if (s.len >= rl && memcmp(s.ptr, f->root, rl) == 0) {
            s = ds_str_slice(s, rl, s.len);
            pre = "@R";
        }
        n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s%.*s", i ? "|" : "", pre,
                              DS_STR_FMT(s));
    }
    return out;
}

static const char *diag_msgs(struct fx *f)
{
    static char out[4096];
    size_t n = 0;
    size_t rl = strlen(f->root);

    out[0] = '\0';
    for (size_t i = 0; i < f->diags.n; i++) {
        const char *m = f->diags.items[i].message;
        n += (size_t)snprintf(out + n, sizeof(out) - n, "%s", i ? "\n" : "");
        // Replace every occurrence of the root with "@R" for stable text.
        while (*m && n < sizeof(out) - 4) {
            if (strncmp(m, f->root, rl) == 0) {
                n += (size_t)snprintf(out + n, sizeof(out) - n, "@R");
                m += rl;
            } else {
                out[n++] = *m++;
                out[n] = '\0';
            }
        }
    }
    return out;
}

TEST(tsconfig_missing_file_is_empty)
{
    struct fx f;
    setup(&f);
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK(f.tc != NULL);
    CHECK_EQ_INT(f.tc->path.len, 0);
    CHECK_EQ_INT(f.tc->base_url.len, 0);
    CHECK_EQ_INT(f.tc->n_paths, 0);
    CHECK_EQ_INT(f.diags.n, 0);
    CHECK_EQ_STR(match(&f, "x"), "");
    teardown(&f);
}

TEST(tsconfig_base_url_and_paths)
{
    struct fx f;
    const char *d = setup(&f);
    harness_write(d, "tsconfig.json",
                  "{\n  // comments and trailing commas, as tsc allows\n"
                  "  \"compilerOptions\": {\n    \"baseUrl\": \".\",\n"
                  "    \"paths\": {\"@/*\": [\"src/*\", \"gen/*\"], \"~\": [\"lib/index.ts\"],},\n"
                  "  },\n}\n");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK_EQ_INT(f.diags.n, 0);
    CHECK_EQ_STR(f.tc->path.ptr, under(&f, "tsconfig.json"));
    CHECK_EQ_STR(f.tc->base_url.ptr, f.root);
    CHECK_EQ_STR(match(&f, "@/a/b"), "@R/src/a/b|@R/gen/a/b|@R/@/a/b");
    CHECK_EQ_STR(match(&f, "~"), "@R/lib/index.ts|@R/~");
    CHECK_EQ_STR(match(&f, "~/x"), "@R/~/x");
    CHECK_EQ_STR(match(&f, "react"), "@R/react");
    // Relative specifiers never use paths or baseUrl; rooted ones skip baseUrl.
    CHECK_EQ_STR(match(&f, "./x"), "");
    CHECK_EQ_STR(match(&f, "../x"), "");
    CHECK_EQ_STR(match(&f, "."), "");
    CHECK_EQ_STR(match(&f, "/abs/x"), "");
    CHECK_EQ_STR(match(&f, "@/../up"), "@R/up|@R/up|@R/up");
    teardown(&f);
}

TEST(tsconfig_paths_without_base_url)
{
    struct fx f;
    const char *d = setup(&f);
    harness_write(d, "app/tsconfig.json",
                  "{\"compilerOptions\": {\"paths\": {\"#lib/*\": [\"../lib/*\"]}}}");
    CHECK_EQ_INT(load(&f, "app/tsconfig.json"), DS_OK);
    CHECK_EQ_INT(f.tc->base_url.len, 0);
    CHECK_EQ_STR(match(&f, "#lib/x.js"), "@R/lib/x.js");
    CHECK_EQ_STR(match(&f, "react"), "");
    teardown(&f);
}

TEST(tsconfig_base_url_relative_to_declaring_file)
{
    struct fx f;
    const char *d = setup(&f);
    harness_write(d, "tsconfig.json", "{\"compilerOptions\": {\"baseUrl\": \"./src\"}}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK_EQ_STR(match(&f, "components/Button"), "@R/src/components/Button");
    teardown(&f);
}

TEST(tsconfig_pattern_precedence)
{
    struct fx f;
    const char *d = setup(&f);
    harness_write(d, "tsconfig.json",
                  "{\"compilerOptions\": {\"paths\": {"
                  "\"*\": [\"gen/*\"], \"foo/*\": [\"a/*\"], \"foo/bar/*\": [\"b/*\"],"
                  " \"foo/exact\": [\"e.ts\"], \"icons/*.svg\": [\"assets/*.svg\"],"
                  " \"lit\": [\"lit.ts\"], \"star\": [\"s/*\"], \"fo*\": [\"short/*\"]}}}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    // tsc's choice first, then vite-tsconfig-paths' fallbacks by prefix length.
    CHECK_EQ_STR(match(&f, "foo/bar/x"), "@R/b/x|@R/a/bar/x|@R/short/o/bar/x|@R/gen/foo/bar/x");
    CHECK_EQ_STR(match(&f, "foo/y"), "@R/a/y|@R/short/o/y|@R/gen/foo/y");
    CHECK_EQ_STR(match(&f, "foo/exact"), "@R/e.ts|@R/a/exact|@R/short/o/exact|@R/gen/foo/exact");
    CHECK_EQ_STR(match(&f, "fox"), "@R/short/x|@R/gen/fox");
    CHECK_EQ_STR(match(&f, "z"), "@R/gen/z");
    CHECK_EQ_STR(match(&f, "icons/home.svg"), "@R/assets/home.svg|@R/gen/icons/home.svg");
    CHECK_EQ_STR(match(&f, "icons/home.png"), "@R/gen/icons/home.png");
    CHECK_EQ_STR(match(&f, "lit"), "@R/lit.ts|@R/gen/lit");
    // An exact key substitutes nothing: its '*' stays literal.
    CHECK_EQ_STR(match(&f, "star"), "@R/s/*|@R/gen/star");
    teardown(&f);
}

TEST(tsconfig_match_edges)
{
    struct fx f;
    const char *d = setup(&f);
    harness_write(d, "tsconfig.json",
                  "{\"compilerOptions\": {\"paths\": {\"a/*\": [\"one/*\"], \"a/*x\": [\"two/*\"],"
                  " \"a/*\": [\"dup/*\"], \"p/*\": [\"p/*\"]}}}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    // Equal prefixes: the first written is tsc's choice, the rest follow in
    // written order (a duplicate key is kept, as JSON.parse keeps the last).
    CHECK_EQ_STR(match(&f, "a/bx"), "@R/one/bx|@R/two/b|@R/dup/bx");
    // tsc substitutes an empty match literally; Vite's "(.+)" does not match.
    CHECK_EQ_STR(match(&f, "p/"), "@R/p/*");
    CHECK_EQ_STR(match(&f, "/abs"), "");
    teardown(&f);
}

TEST(tsconfig_applies_to_importers)
{
    struct fx f;
    const char *d = setup(&f);
    harness_write(d, "tsconfig.json", "{\"compilerOptions\": {\"baseUrl\": \".\"}}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK(!f.tc->allow_js);
    CHECK(ds_tsconfig_applies_to(f.tc, DS_STR("/p/src/a.tsx")));
    CHECK(ds_tsconfig_applies_to(f.tc, DS_STR("/p/src/a.mts")));
    CHECK(!ds_tsconfig_applies_to(f.tc, DS_STR("/p/src/a.js")));
    CHECK(!ds_tsconfig_applies_to(f.tc, DS_STR("/p/node_modules/x/a.ts")));
    harness_write(d, "base.json", "{\"compilerOptions\": {\"allowJs\": true}}");
    harness_write(d, "tsconfig.json", "{\"extends\": \"./base.json\"}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK(f.tc->allow_js);
    CHECK(ds_tsconfig_applies_to(f.tc, DS_STR("/p/src/a.jsx")));
    CHECK(ds_tsconfig_applies_to(f.tc, DS_STR("/p/src/page.mdx")));
    CHECK(!ds_tsconfig_applies_to(f.tc, DS_STR("/p/src/a.css")));
    harness_write(d, "tsconfig.json",
                  "{\"extends\": \"./base.json\", \"compilerOptions\": {\"allowJs\": false}}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK(!f.tc->allow_js);
    harness_write(d, "jsconfig.json", "{}");
    CHECK_EQ_INT(load(&f, "jsconfig.json"), DS_OK);
    CHECK(f.tc->allow_js);
    teardown(&f);
}

TEST(tsconfig_extends_relative_and_rules)
{
    struct fx f;
    const char *d = setup(&f);
    // The base declares paths without baseUrl; the child sets baseUrl, so the
    // inherited substitutions resolve against the child's baseUrl (TS 4.1+).
    harness_write(d, "configs/base.json",
                  "{\"compilerOptions\": {\"paths\": {\"@/*\": [\"src/*\"]}}}");
    harness_write(d, "app/tsconfig.json",
                  "{\"extends\": \"../configs/base\", \"compilerOptions\": {\"baseUrl\": \".\"}}");
    CHECK_EQ_INT(load(&f, "app/tsconfig.json"), DS_OK);
    CHECK_EQ_STR(diag_msgs(&f), "");
    CHECK_EQ_STR(match(&f, "@/x"), "@R/app/src/x|@R/app/@/x");
    CHECK_EQ_INT(f.tc->files_read, 2);

    // Without a baseUrl anywhere, they resolve against the base's directory.
    harness_write(d, "app/tsconfig.json", "{\"extends\": \"../configs/base.json\"}");
    CHECK_EQ_INT(load(&f, "app/tsconfig.json"), DS_OK);
    CHECK_EQ_STR(match(&f, "@/x"), "@R/configs/src/x");

    // A baseUrl in the base is relative to the base.
    harness_write(
        d, "configs/base.json",
        "{\"compilerOptions\": {\"baseUrl\": \"..\", \"paths\": {\"@/*\": [\"src/*\"]}}}");
    CHECK_EQ_INT(load(&f, "app/tsconfig.json"), DS_OK);
    CHECK_EQ_STR(match(&f, "@/x"), "@R/src/x|@R/@/x");

    // A child's paths replace the parent's entirely.
    harness_write(d, "app/tsconfig.json",
                  "{\"extends\": \"../configs/base.json\","
                  " \"compilerOptions\": {\"paths\": {\"~/*\": [\"lib/*\"]}}}");
    CHECK_EQ_INT(load(&f, "app/tsconfig.json"), DS_OK);
    CHECK_EQ_STR(match(&f, "@/x"), "@R/@/x");
    CHECK_EQ_STR(match(&f, "~/x"), "@R/lib/x|@R/~/x");
    CHECK_EQ_INT(f.diags.n, 0);
    teardown(&f);
}

TEST(tsconfig_extends_array_later_wins)
{
    struct fx f;
    const char *d = setup(&f);
    harness_write(d, "a.json",
                  "{\"compilerOptions\": {\"baseUrl\": \"a\", \"paths\": {\"x\": [\"ax\"]}}}");
    harness_write(d, "b.json",
                  "{\"extends\": \"./c.json\", \"compilerOptions\": {\"baseUrl\": \"b\"}}");
    harness_write(d, "c.json", "{\"compilerOptions\": {\"paths\": {\"x\": [\"cx\"]}}}");
    harness_write(d, "tsconfig.json", "{\"extends\": [\"./a.json\", \"./b.json\"]}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK_EQ_STR(diag_msgs(&f), "");
    // Order: a, c, b, tsconfig: baseUrl from b, paths from c (after a).
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "b"));
    CHECK_EQ_STR(match(&f, "x"), "@R/b/cx|@R/b/x");
    CHECK_EQ_STR(match(&f, "y"), "@R/b/y");
    teardown(&f);
}

TEST(tsconfig_extends_packages)
{
    struct fx f;
    const char *d = setup(&f);
    harness_write(d, "node_modules/@tsconfig/node18/tsconfig.json",
                  "{\"compilerOptions\": {\"baseUrl\": \"./n18\"}}");
    harness_write(d, "node_modules/@tsconfig/node18/package.json",
                  "{\"name\": \"@tsconfig/node18\"}");
    harness_write(d, "app/tsconfig.json", "{\"extends\": \"@tsconfig/node18/tsconfig.json\"}");
    CHECK_EQ_INT(load(&f, "app/tsconfig.json"), DS_OK);
    CHECK_EQ_STR(diag_msgs(&f), "");
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "node_modules/@tsconfig/node18/n18"));

    // The bare package name: its tsconfig.json.
    harness_write(d, "app/tsconfig.json", "{\"extends\": \"@tsconfig/node18\"}");
    CHECK_EQ_INT(load(&f, "app/tsconfig.json"), DS_OK);
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "node_modules/@tsconfig/node18/n18"));

    // A subpath without ".json".
    harness_write(d, "node_modules/cfg/strict.json", "{\"compilerOptions\": {\"baseUrl\": \"s\"}}");
    harness_write(d, "app/tsconfig.json", "{\"extends\": \"cfg/strict\"}");
    CHECK_EQ_INT(load(&f, "app/tsconfig.json"), DS_OK);
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "node_modules/cfg/s"));

    // A subpath naming a directory: its tsconfig.json.
    harness_write(d, "node_modules/cfg/web/tsconfig.json",
                  "{\"compilerOptions\": {\"baseUrl\": \"w\"}}");
    harness_write(d, "app/tsconfig.json", "{\"extends\": \"cfg/web\"}");
    CHECK_EQ_INT(load(&f, "app/tsconfig.json"), DS_OK);
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "node_modules/cfg/web/w"));

    // The package.json "tsconfig" field.
    harness_write(d, "node_modules/fieldpkg/package.json", "{\"tsconfig\": \"./conf/base.json\"}");
    harness_write(d, "node_modules/fieldpkg/conf/base.json",
                  "{\"compilerOptions\": {\"baseUrl\": \".\"}}");
    harness_write(d, "app/tsconfig.json", "{\"extends\": \"fieldpkg\"}");
    CHECK_EQ_INT(load(&f, "app/tsconfig.json"), DS_OK);
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "node_modules/fieldpkg/conf"));

    // "exports", with conditions and subpaths.
    harness_write(d, "node_modules/expkg/package.json",
                  "{\"exports\": {\".\": {\"types\": \"./x.d.ts\", \"require\": \"./r.json\"},"
                  " \"./strict\": \"./conf/strict.json\"}}");
    harness_write(d, "node_modules/expkg/r.json", "{\"compilerOptions\": {\"baseUrl\": \"r\"}}");
    harness_write(d, "node_modules/expkg/conf/strict.json",
                  "{\"compilerOptions\": {\"baseUrl\": \"st\"}}");
    harness_write(d, "app/tsconfig.json", "{\"extends\": \"expkg\"}");
    CHECK_EQ_INT(load(&f, "app/tsconfig.json"), DS_OK);
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "node_modules/expkg/r"));
    harness_write(d, "app/tsconfig.json", "{\"extends\": \"expkg/strict\"}");
    CHECK_EQ_INT(load(&f, "app/tsconfig.json"), DS_OK);
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "node_modules/expkg/conf/st"));
    CHECK_EQ_STR(diag_msgs(&f), "");

    // The nearest node_modules wins.
    harness_write(d, "app/node_modules/cfg/strict.json",
                  "{\"compilerOptions\": {\"baseUrl\": \"near\"}}");
    harness_write(d, "app/tsconfig.json", "{\"extends\": \"cfg/strict.json\"}");
    CHECK_EQ_INT(load(&f, "app/tsconfig.json"), DS_OK);
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "app/node_modules/cfg/near"));
    teardown(&f);
}

/* Cases from get-tsconfig's suite, which checks each against tsc. */
TEST(tsconfig_extends_package_lookup_order)
{
    struct fx f;
    const char *d = setup(&f);

    // A file node_modules/dep.json wins over the package directory.
    harness_write(d, "node_modules/dep.json", "{\"compilerOptions\": {\"baseUrl\": \"file\"}}");
    harness_write(d, "node_modules/dep/tsconfig.json",
                  "{\"compilerOptions\": {\"baseUrl\": \"dir\"}}");
    harness_write(d, "tsconfig.json", "{\"extends\": \"dep\"}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "node_modules/file"));

    // "lib" prefers lib.json over lib/tsconfig.json.
    harness_write(d, "node_modules/cp/lib/tsconfig.json",
                  "{\"compilerOptions\": {\"baseUrl\": \"libdir\"}}");
    harness_write(d, "node_modules/cp/lib.json",
                  "{\"compilerOptions\": {\"baseUrl\": \"libjson\"}}");
    harness_write(d, "tsconfig.json", "{\"extends\": \"cp/lib\"}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "node_modules/cp/libjson"));

    // A directory named tsconfig.json holds the tsconfig.json.
    harness_write(d, "node_modules/cp/tsconfig.json/tsconfig.json",
                  "{\"compilerOptions\": {\"baseUrl\": \"nested\"}}");
    harness_write(d, "tsconfig.json", "{\"extends\": \"cp/tsconfig.json\"}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "node_modules/cp/tsconfig.json/nested"));

    // A subdirectory's own package.json "tsconfig" field.
    harness_write(d, "node_modules/cp/sub/package.json",
                  "{\"exports\": {\"./*\": null}, \"tsconfig\": \"./some.json\"}");
    harness_write(d, "node_modules/cp/sub/some.json",
                  "{\"compilerOptions\": {\"baseUrl\": \"s\"}}");
    harness_write(d, "node_modules/cp/sub/tsconfig.json",
                  "{\"compilerOptions\": {\"baseUrl\": \"ignored\"}}");
    harness_write(d, "tsconfig.json", "{\"extends\": \"cp/sub\"}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "node_modules/cp/sub/s"));

    // `exports` as a plain string names the package's config.
    harness_write(d, "node_modules/ex/package.json", "{\"exports\": \"./some.json\"}");
    harness_write(d, "node_modules/ex/some.json", "{\"compilerOptions\": {\"baseUrl\": \"e\"}}");
    harness_write(d, "node_modules/ex/tsconfig.json",
                  "{\"compilerOptions\": {\"baseUrl\": \"ignored\"}}");
    harness_write(d, "tsconfig.json", "{\"extends\": \"ex\"}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "node_modules/ex/e"));
    CHECK_EQ_STR(diag_msgs(&f), "");

    // An invalid package.json is ignored without a word, as tsc does.
    harness_write(d, "node_modules/bad/package.json", "invalid json");
    harness_write(d, "node_modules/bad/tsconfig.json",
                  "{\"compilerOptions\": {\"baseUrl\": \"b\"}}");
    harness_write(d, "tsconfig.json", "{\"extends\": \"bad\"}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "node_modules/bad/b"));
    CHECK_EQ_STR(diag_msgs(&f), "");

    // Extensionless and ".ts" files are not configs.
    harness_write(d, "node_modules/dep2/tsconfig", "{}");
    harness_write(d, "node_modules/dep2/tsconfig.ts", "{}");
    harness_write(d, "tsconfig.json", "{\"extends\": [\"dep2/tsconfig\", \"dep2/tsconfig.ts\"]}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK_EQ_STR(diag_msgs(&f),
                 "cannot extend 'dep2/tsconfig' from '@R/tsconfig.json': no such file\n"
                 "cannot extend 'dep2/tsconfig.ts' from '@R/tsconfig.json': no such file");
    teardown(&f);
}

TEST(tsconfig_extends_through_symlink)
{
    struct fx f;
    const char *d = setup(&f);
    // pnpm: node_modules/x is a link into the store; the base's baseUrl is
    // relative to its real location.
    harness_write(d, "node_modules/.pnpm/x@1/node_modules/x/tsconfig.json",
                  "{\"compilerOptions\": {\"baseUrl\": \".\"}}");
    CHECK_EQ_INT(symlink(".pnpm/x@1/node_modules/x", under(&f, "node_modules/x")), 0);
    harness_write(d, "tsconfig.json", "{\"extends\": \"x\"}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "node_modules/.pnpm/x@1/node_modules/x"));
    teardown(&f);
}

TEST(tsconfig_config_dir_template)
{
    struct fx f;
    const char *d = setup(&f);
    harness_write(d, "shared/base.json",
                  "{\"compilerOptions\": {\"paths\": {\"@/*\": [\"${configDir}/src/*\"]}}}");
    harness_write(d, "app/tsconfig.json", "{\"extends\": \"../shared/base.json\"}");
    CHECK_EQ_INT(load(&f, "app/tsconfig.json"), DS_OK);
    CHECK_EQ_STR(match(&f, "@/x"), "@R/app/src/x");
    teardown(&f);
}

TEST(tsconfig_malformed_and_bad_values)
{
    struct fx f;
    const char *d = setup(&f);
    harness_write(d, "tsconfig.json",
                  "{\n  \"compilerOptions\": {\n    \"baseUrl\": \".\"\n    \"paths\": {}\n}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK_EQ_STR(diag_msgs(&f), "cannot parse '@R/tsconfig.json': expected ',' or '}' at 4:5");
    CHECK_EQ_INT(f.diags.items[0].line, 4);
    CHECK_EQ_INT(f.diags.items[0].col, 5);
    CHECK_EQ_STR(f.diags.items[0].code, "tsconfig");
    CHECK_EQ_STR(f.diags.items[0].path, under(&f, "tsconfig.json"));
    CHECK_EQ_INT(f.tc->n_paths, 0);
    CHECK_EQ_INT(f.tc->base_url.len, 0);
    teardown(&f);

    setup(&f);
    d = f.root;
    harness_write(d, "tsconfig.json",
                  "{\"compilerOptions\": {\"baseUrl\": 1, \"paths\": {\"a/*/b/*\": [\"x\"],"
                  " \"ok/*\": [\"o/*\", 3, \"t/*/*\"], \"bad\": \"x\"}}}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK_EQ_STR(diag_msgs(&f),
                 "invalid tsconfig '@R/tsconfig.json': \"baseUrl\" must be a string\n"
                 "invalid tsconfig '@R/tsconfig.json': pattern 'a/*/b/*' can have at most one '*'\n"
                 "invalid tsconfig '@R/tsconfig.json': substitution for pattern 'ok/*' must be a "
                 "string with at most one '*'\n"
                 "invalid tsconfig '@R/tsconfig.json': substitution for pattern 'ok/*' must be a "
                 "string with at most one '*'\n"
                 "invalid tsconfig '@R/tsconfig.json': substitutions for pattern 'bad' must be an "
                 "array");
    CHECK_EQ_STR(match(&f, "ok/1"), "@R/o/1");
    teardown(&f);

    setup(&f);
    d = f.root;
    harness_write(d, "tsconfig.json", "[1]");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK_EQ_STR(diag_msgs(&f), "invalid tsconfig '@R/tsconfig.json': expected an object");
    harness_write(d, "tsconfig.json", "{\"extends\": 3, \"compilerOptions\": []}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    teardown(&f);
}

TEST(tsconfig_extends_missing_cycle_and_limit)
{
    struct fx f;
    const char *d = setup(&f);
    harness_write(
        d, "tsconfig.json",
        "{\"extends\": [\"./nope\", \"no-such-pkg\"], \"compilerOptions\": {\"baseUrl\": \".\"}}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK_EQ_STR(diag_msgs(&f),
                 "cannot extend './nope' from '@R/tsconfig.json': no such file\n"
                 "cannot extend 'no-such-pkg' from '@R/tsconfig.json': no such file");
    CHECK_EQ_STR(f.tc->base_url.ptr, f.root);
    teardown(&f);

    setup(&f);
    d = f.root;
    harness_write(d, "a.json",
                  "{\"extends\": \"./b.json\", \"compilerOptions\": {\"baseUrl\": \"a\"}}");
    harness_write(d, "b.json",
                  "{\"extends\": \"./a.json\", \"compilerOptions\": {\"baseUrl\": \"b\"}}");
    CHECK_EQ_INT(load(&f, "a.json"), DS_OK);
    CHECK_EQ_STR(diag_msgs(&f), "cannot extend '@R/a.json' from '@R/b.json': circular extends");
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "a"));
    teardown(&f);

    // A chain of 40 files: the first DS_MAX_EXTENDS load, then one diagnostic.
    setup(&f);
    d = f.root;
    for (int i = 0; i < 40; i++) {
        char name[32], text[128];
        snprintf(name, sizeof(name), "c%d.json", i);
        snprintf(text, sizeof(text),
                 "{\"extends\": \"./c%d.json\", \"compilerOptions\": {\"baseUrl\": \"b%d\"}}",
                 i + 1, i);
        harness_write(d, name, text);
    }
    CHECK_EQ_INT(load(&f, "c0.json"), DS_OK);
    CHECK_EQ_INT(f.diags.n, 1);
    CHECK(strstr(diag_msgs(&f), "more than 32 files extended") != NULL);
    CHECK_EQ_STR(f.tc->base_url.ptr, under(&f, "b0"));
    CHECK_EQ_INT(f.tc->files_read, DS_MAX_EXTENDS);
    teardown(&f);
}

TEST(tsconfig_diamond_is_not_a_cycle)
{
    // Bases shared by several parents are legal (not cycles).
    struct fx f;
    const char *d = setup(&f);
    harness_write(d, "base.json", "{\"compilerOptions\": {\"paths\": {\"b\": [\"b.ts\"]}}}");
    harness_write(d, "l.json", "{\"extends\": \"./base.json\"}");
    harness_write(d, "r.json", "{\"extends\": \"./base.json\"}");
    harness_write(d, "tsconfig.json", "{\"extends\": [\"./l.json\", \"./r.json\"]}");
    CHECK_EQ_INT(load(&f, "tsconfig.json"), DS_OK);
    CHECK_EQ_STR(diag_msgs(&f), "");
    CHECK_EQ_STR(match(&f, "b"), "@R/b.ts");
    teardown(&f);
}

TEST(tsconfig_oom_every_allocation)
{
    const char *d = harness_tmpdir();
    char path[PATH_MAX + 32];
    harness_write(d, "base.json", "{\"compilerOptions\": {\"paths\": {\"@/*\": [\"src/*\"]}}}");
    harness_write(
        d, "tsconfig.json",
        "{\"extends\": [\"./base.json\", \"./missing\"], \"compilerOptions\": {\"baseUrl\": \".\"}}");
    snprintf(path, sizeof(path), "%s/tsconfig.json", d);
    struct harness_failing fl = {0};
    struct dscan_allocator user = harness_failing_allocator(&fl);

    for (fl.fail_at = 1; fl.fail_at < 2000; fl.fail_at++) {
        struct ds_alloc a;
        struct ds_diags diags;
        struct ds_tsconfig *tc = NULL;
        ds_alloc_init(&a, &user, 0);
        fl.count = 0;
        CHECK_EQ_INT(ds_diags_init(&diags, &a), DS_OK);
        enum ds_status st = ds_tsconfig_load(&a, ds_str_cstr(path), &diags, &tc);
        bool finished = fl.count < fl.fail_at;
        if (st == DS_OK) {
            struct ds_arena scratch;
            struct ds_strlist l;
            ds_arena_init(&scratch, &a, 0);
            enum ds_status ms = ds_tsconfig_match(tc, DS_STR("@/x"), &scratch, &l);
            if (ms == DS_OK)
                CHECK_EQ_INT(l.n, 2);
            else
                CHECK_EQ_INT(ms, DS_ENOMEM);
            ds_arena_release(&scratch);
            finished = fl.count < fl.fail_at;
        } else {
            CHECK_EQ_INT(st, DS_ENOMEM);
        }
        ds_tsconfig_free(tc);
        ds_diags_release(&diags);
        CHECK_EQ_INT(atomic_load(&a.current), 0);
        if (finished)
            break;
    }
}

/* Which files a config's own lists cover (oxc-resolver
 * is_file_included_in_tsconfig): files, include (default: all below it),
 * exclude, the extension gate and allowJs, and inherited lists relative to
 * the file that declared them. */
TEST(tsconfig_includes)
{
    struct fx f;
    const char *d = setup(&f);
    harness_write(d, "a/tsconfig.json", "{\"include\": [\"src\"], \"exclude\": [\"src/old\"]}");
    CHECK_EQ_INT(load(&f, "a/tsconfig.json"), DS_OK);
    CHECK(ds_tsconfig_includes(f.tc, ds_str_cstr(under(&f, "a/src/x.ts"))));
    CHECK(ds_tsconfig_includes(f.tc, ds_str_cstr(under(&f, "a/src/d/x.tsx"))));
    CHECK(!ds_tsconfig_includes(f.tc, ds_str_cstr(under(&f, "a/src/old/x.ts"))));
    CHECK(!ds_tsconfig_includes(f.tc, ds_str_cstr(under(&f, "a/src/x.js")))); // no allowJs
    CHECK(!ds_tsconfig_includes(f.tc, ds_str_cstr(under(&f, "a/scripts/x.ts"))));
    CHECK(!ds_tsconfig_includes(f.tc, ds_str_cstr(under(&f, "a/src/x.mdx"))));

    harness_write(d, "b/tsconfig.json", "{\"compilerOptions\": {\"allowJs\": true}}");
    CHECK_EQ_INT(load(&f, "b/tsconfig.json"), DS_OK);
    CHECK(ds_tsconfig_includes(f.tc, ds_str_cstr(under(&f, "b/x.js"))));
    CHECK(ds_tsconfig_includes(f.tc, ds_str_cstr(under(&f, "b/deep/x.mts"))));
    CHECK(!ds_tsconfig_includes(f.tc, ds_str_cstr(under(&f, "other/x.ts"))));
    CHECK(!ds_tsconfig_includes(f.tc, ds_str_cstr(under(&f, "b/README"))));

    harness_write(d, "c/tsconfig.json",
                  "{\"files\": [\"./main.ts\"], \"references\": [{\"path\": \"../a\"}]}");
    CHECK_EQ_INT(load(&f, "c/tsconfig.json"), DS_OK);
    CHECK(ds_tsconfig_includes(f.tc, ds_str_cstr(under(&f, "c/main.ts"))));
    CHECK(!ds_tsconfig_includes(f.tc, ds_str_cstr(under(&f, "c/other.ts"))));
    CHECK_EQ_INT(f.tc->references.n, 1);
    CHECK_EQ_STR(f.tc->references.items[0].ptr, under(&f, "a/tsconfig.json"));

    // Lists inherited through extends are relative to the base.
    harness_write(d, "base/tsconfig.base.json", "{\"include\": [\"lib/*.ts\"]}");
    harness_write(d, "e/tsconfig.json", "{\"extends\": \"../base/tsconfig.base.json\"}");
    CHECK_EQ_INT(load(&f, "e/tsconfig.json"), DS_OK);
    CHECK(ds_tsconfig_includes(f.tc, ds_str_cstr(under(&f, "base/lib/x.ts"))));
    CHECK(!ds_tsconfig_includes(f.tc, ds_str_cstr(under(&f, "e/lib/x.ts"))));
    teardown(&f);
}
