/* Tests of package.json facts and Node's exports / imports matching. The
 * cases re-express the examples of Node's "Modules: Packages" and ESM
 * resolution docs (subpath exports, conditions, nested conditions, patterns,
 * pattern specificity, null targets, array fallbacks, invalid targets) and
 * the shapes enhanced-resolve's and oxc-resolver's exports-field tests cover,
 * as our own table. */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "pkg.h"

struct fx {
    struct ds_alloc alloc;
    struct ds_arena arena;
};

static void fx_init(struct fx *f)
{
    ds_alloc_init(&f->alloc, NULL, 0);
    ds_arena_init(&f->arena, &f->alloc, 0);
}

static void fx_release(struct fx *f)
{
    ds_arena_release(&f->arena);
    CHECK_EQ_INT(atomic_load(&f->alloc.current), 0);
}

/* "a,b" -> conditions (static storage, enough for a test). */
static struct ds_pkg_conds conds_of(const char *csv)
{
    static struct ds_str items[16];
    static char buf[256];
    size_t n = 0;

    snprintf(buf, sizeof buf, "%s", csv);
    for (char *p = buf; *p && n < 16;) {
        char *c = strchr(p, ',');
        if (c)
            *c = '\0';
        items[n++] = ds_str_cstr(p);
        if (!c)
            break;
        p = c + 1;
    }
    return (struct ds_pkg_conds){items, n};
}

/* The target, or "!" + the failure's name. */
static const char *match(const char *json, const char *subpath, const char *csv, bool imports)
{
    static char out[512];
    struct fx f;
    struct ds_json *tree;
    struct ds_json_error err;
    char buf[256];
    struct ds_str target;
    bool bare = false;

    fx_init(&f);
    if (ds_json_parse(ds_str_cstr(json), DS_JSON_STRICT, &f.arena, &tree, &err) != DS_OK) {
        fx_release(&f);
        return "!bad test json";
    }
    struct ds_pkg_conds c = conds_of(csv);
    enum ds_pkg_match m =
        imports
            ? ds_pkg_imports_match(tree, ds_str_cstr(subpath), &c, buf, sizeof buf, &target, &bare)
            : ds_pkg_exports_match(tree, ds_str_cstr(subpath), &c, buf, sizeof buf, &target);
    if (m == DS_PKG_FOUND)
        snprintf(out, sizeof out, "%s%.*s", bare ? "bare:" : "", DS_STR_FMT(target));
    else
        snprintf(out, sizeof out, "!%s", ds_pkg_match_name(m));
    fx_release(&f);
    return out;
}

#define EXPORTS(json, sub, conds, want) CHECK_EQ_STR(match(json, sub, conds, false), want)
#define IMPORTS(json, sub, conds, want) CHECK_EQ_STR(match(json, sub, conds, true), want)

TEST(exports_string_sugar)
{
    EXPORTS("\"./index.js\"", ".", "import", "./index.js");
    EXPORTS("\"./index.js\"", "./index.js", "import", "!not exported");
    EXPORTS("[\"./a.js\"]", ".", "import", "./a.js");
    EXPORTS("{\"import\": \"./m.mjs\"}", ".", "import", "./m.mjs");
}

TEST(exports_subpaths)
{
    const char *j = "{\".\": \"./main.js\", \"./sub\": \"./lib/sub.js\", \"./package.json\": "
                    "\"./package.json\"}";
    EXPORTS(j, ".", "import", "./main.js");
    EXPORTS(j, "./sub", "import", "./lib/sub.js");
    EXPORTS(j, "./package.json", "import", "./package.json");
    EXPORTS(j, "./sub.js", "import", "!not exported");
    EXPORTS(j, "./lib/sub.js", "import", "!not exported");
    // Legacy folder mappings ("./x/"): gone from Node, kept by Vite's resolve.exports.
    EXPORTS("{\"./dir/\": \"./lib/\"}", "./dir/a.js", "import", "./lib/a.js");
    EXPORTS("{\"./dir/\": \"./lib.js\"}", "./dir/a.js", "import", "!invalid package target");
    EXPORTS("{\"./a\": \"./x.js\"}", "./a/", "import", "!not exported");
    // No "." key: the package has no main export.
    EXPORTS("{\"./a\": \"./a.js\"}", ".", "import", "!not exported");
}

TEST(exports_condition_order)
{
    const char *j = "{\"import\": \"./m.mjs\", \"require\": \"./c.cjs\", \"default\": \"./d.js\"}";
    EXPORTS(j, ".", "import", "./m.mjs");
    EXPORTS(j, ".", "require", "./c.cjs");
    EXPORTS(j, ".", "browser", "./d.js");
    // Key order decides, not the order of the active conditions.
    EXPORTS("{\"default\": \"./d.js\", \"import\": \"./m.js\"}", ".", "import", "./d.js");
    EXPORTS("{\"browser\": \"./b.js\", \"worker\": \"./w.js\"}", ".", "worker,browser", "./b.js");
    EXPORTS("{\"worker\": \"./w.js\", \"browser\": \"./b.js\"}", ".", "browser,worker", "./w.js");
    EXPORTS("{\"node\": \"./n.js\"}", ".", "browser", "!not exported");
}

TEST(exports_nested_conditions)
{
    const char *j = "{\".\": {\"node\": {\"import\": \"./ni.mjs\", \"require\": \"./nr.cjs\"}, "
                    "\"default\": \"./d.js\"}}";
    EXPORTS(j, ".", "node,import", "./ni.mjs");
    EXPORTS(j, ".", "node,require", "./nr.cjs");
    EXPORTS(j, ".", "browser,import", "./d.js");
    // A matching outer condition whose inner object matches nothing is
    // undefined, so the next key is tried (Node: "continue the loop").
    EXPORTS("{\"node\": {\"require\": \"./r.js\"}, \"default\": \"./d.js\"}", ".", "node,import",
            "./d.js");
    EXPORTS("{\"react-server\": {\"workerd\": \"./rsw.js\", \"default\": \"./rs.js\"}, "
            "\"default\": \"./d.js\"}",
            ".", "workerd,react-server,import", "./rsw.js");
}

TEST(exports_null_targets)
{
    // null stops the search: it is not undefined (Node returns null).
    EXPORTS("{\"import\": null, \"default\": \"./d.js\"}", ".", "import", "!not exported");
    const char *j = "{\"./features/*.js\": \"./src/features/*.js\", "
                    "\"./features/private-internal/*\": null}";
    EXPORTS(j, "./features/x.js", "import", "./src/features/x.js");
    EXPORTS(j, "./features/private-internal/m.js", "import", "!not exported");
    EXPORTS("{\".\": null}", ".", "import", "!not exported");
}

TEST(exports_patterns)
{
    EXPORTS("{\"./*\": \"./dist/*.js\"}", "./a", "import", "./dist/a.js");
    // "*" matches across "/" (it is a string replacement, not a glob).
    EXPORTS("{\"./*.js\": \"./dist/*.js\"}", "./a/b.js", "import", "./dist/a/b.js");
    // Every "*" of the target is replaced.
    EXPORTS("{\"./*\": \"./dist/*/*.js\"}", "./x", "import", "./dist/x/x.js");
    // A pattern needs a non-empty match.
    EXPORTS("{\"./icons/*\": \"./i/*.js\"}", "./icons/", "import", "!not exported");
    EXPORTS("{\"./a/*.js\": \"./x/*.js\"}", "./a/.js", "import", "!not exported");
    // Keys with two stars are not patterns.
    EXPORTS("{\"./*/*\": \"./x/*\"}", "./a/b", "import", "!not exported");
    // Conditions inside a pattern's target.
    EXPORTS("{\"./*\": {\"import\": \"./esm/*.mjs\", \"require\": \"./cjs/*.cjs\"}}", "./a",
            "require", "./cjs/a.cjs");
    // An exact key wins over a pattern.
    EXPORTS("{\"./*\": \"./p/*.js\", \"./a\": \"./exact.js\"}", "./a", "import", "./exact.js");
}

TEST(exports_pattern_specificity)
{
    const char *j = "{\"./*\": \"./1/*\", \"./a/*\": \"./2/*\", \"./a/b/*\": \"./3/*\", "
                    "\"./a/*.js\": \"./4/*.js\"}";
    EXPORTS(j, "./x", "import", "./1/x");
    EXPORTS(j, "./a/x", "import", "./2/x");
    EXPORTS(j, "./a/b/x", "import", "./3/x");
    // Same base length ("./a/"): the longer key is more specific.
    EXPORTS(j, "./a/x.js", "import", "./4/x.js");
    // Key order does not matter for patterns.
    EXPORTS("{\"./a/b/*\": \"./3/*\", \"./*\": \"./1/*\"}", "./a/b/c", "import", "./3/c");
    CHECK(ds_pkg_pattern_key_compare(DS_STR("./a/*"), DS_STR("./*")) < 0);
    CHECK(ds_pkg_pattern_key_compare(DS_STR("./*"), DS_STR("./a/*")) > 0);
    CHECK(ds_pkg_pattern_key_compare(DS_STR("./a/*.js"), DS_STR("./a/*")) < 0);
    CHECK(ds_pkg_pattern_key_compare(DS_STR("./a/*"), DS_STR("./a/*")) == 0);
    CHECK(ds_pkg_pattern_key_compare(DS_STR("./a"), DS_STR("./a*")) > 0);
    CHECK(ds_pkg_pattern_key_compare(DS_STR("./abc"), DS_STR("./a*")) < 0);
}

TEST(exports_array_fallbacks)
{
    // Invalid targets are skipped; the first valid one wins (existence is not checked).
    EXPORTS("{\".\": [\"../outside.js\", \"./good.js\"]}", ".", "import", "./good.js");
    EXPORTS("[{\"worker\": \"./w.js\"}, \"./d.js\"]", ".", "import", "./d.js");
    EXPORTS("[{\"worker\": \"./w.js\"}, \"./d.js\"]", ".", "worker", "./w.js");
    // Node's implementation goes past a null item.
    EXPORTS("[null, \"./a.js\"]", ".", "import", "./a.js");
    EXPORTS("[]", ".", "import", "!not exported");
    EXPORTS("[\"../a.js\"]", ".", "import", "!invalid package target");
    EXPORTS("[\"./a.js\", \"./b.js\"]", ".", "import", "./a.js");
}

/* Cases from enhanced-resolve's exportsField tests (as oxc-resolver carries
 * them), re-expressed; expectations follow Node where webpack differs. */
TEST(exports_enhanced_resolve_samples)
{
    const char *s1 =
        "{\"./foo/\": {\"import\": [\"./dist/\", \"./src/\"], \"webpack\": \"./wp/\"}, "
        "\".\": \"./main.js\"}";
    EXPORTS(s1, "./foo/test/file.js", "import,webpack", "./dist/test/file.js");
    const char *s1w = "{\"./foo/*\": {\"import\": [\"./dist/*\", \"./src/*\"], \"webpack\": "
                      "\"./wp/*\"}, \".\": \"./main.js\"}";
    EXPORTS(s1w, "./foo/test/file.js", "import,webpack", "./dist/test/file.js");
    EXPORTS(s1w, "./foo/test/file.js", "webpack", "./wp/test/file.js");
    EXPORTS("{\"./timezones/*\": \"./data/timezones/*\"}", "./timezones/pdt.mjs", "",
            "./data/timezones/pdt.mjs");
    EXPORTS("{\"./*\": \"./data/timezones/*.mjs\"}", "./timezones/pdt", "",
            "./data/timezones/timezones/pdt.mjs");
    EXPORTS("{\"./lib/*\": {\"browser\": [\"./browser/*\"]}, \"./dist/index.js\": {\"node\": "
            "\"./index.js\"}}",
            "./dist/index.js", "browser", "!not exported");
    EXPORTS("{\"./lib/*\": {\"browser\": [\"./browser/*\"]}, \"./dist/index.js\": {\"node\": "
            "\"./index.js\", \"default\": \"./browser/index.js\"}}",
            "./dist/index.js", "browser", "./browser/index.js");
    EXPORTS("{\"./dist/a\": \"./dist/index.js\"}", "./dist/aaa", "", "!not exported");
    EXPORTS("{\"./dist/a/a/*\": \"./dist/index.js\"}", "./dist/a/a", "", "!not exported");
    EXPORTS("{\".\": \"./index.js\"}", "./timezones/pdt.mjs", "", "!not exported");
    EXPORTS("{\"./index.js\": \"./main.js\"}", "./index.js", "", "./main.js");
    // '#' and non-ASCII keys are plain bytes here.
    const char *s10 = "{\"./#foo\": \"./ok.js\", \"./bar#foo\": \"./ok.js\", \"./#zipp*\": "
                      "\"./zzz*\", \"./ð\": \"./party.js\"}";
    EXPORTS(s10, "./#foo", "", "./ok.js");
    EXPORTS(s10, "./bar#foo", "", "./ok.js");
    EXPORTS(s10, "./#zippi", "", "./zzzi");
    EXPORTS(s10, "./ð", "", "./party.js");
    EXPORTS(s10, "./module#foo", "", "!not exported");
    // Conditions in key order, "default" anywhere.
    EXPORTS("{\".\": {\"default\": \"./d.js\", \"webpack\": \"./wp.js\"}}", ".", "webpack",
            "./d.js");
    EXPORTS("{\".\": [{\"browser\": \"./b.js\"}, {\"require\": \"./r.js\"}, \"./d.js\"]}", ".",
            "require", "./r.js");
}

TEST(exports_invalid_targets)
{
    EXPORTS("\"../x.js\"", ".", "import", "!invalid package target");
    EXPORTS("\"x.js\"", ".", "import", "!invalid package target");
    EXPORTS("\"/abs/x.js\"", ".", "import", "!invalid package target");
    EXPORTS("\"./node_modules/x/index.js\"", ".", "import", "!invalid package target");
    EXPORTS("\"./a/../../x.js\"", ".", "import", "!invalid package target");
    EXPORTS("\"./a/./x.js\"", ".", "import", "!invalid package target");
    EXPORTS("\"./%2e%2e/x.js\"", ".", "import", "!invalid package target");
    EXPORTS("\"./NODE_MODULES/x.js\"", ".", "import", "!invalid package target");
    EXPORTS("\"./a\\\\..\\\\x.js\"", ".", "import", "!invalid package target");
    EXPORTS("\"https://x.com/a.js\"", ".", "import", "!invalid package target");
    EXPORTS("42", ".", "import", "!invalid package target");
    EXPORTS("true", ".", "import", "!invalid package target");
    // A bare target is only allowed in imports.
    EXPORTS("{\"./a\": \"lodash\"}", "./a", "import", "!invalid package target");
    // "" segments are only deprecated in Node, not errors.
    EXPORTS("\"./a//b.js\"", ".", "import", "./a//b.js");
    // The "*" match must not climb out either.
    const char *j = "{\"./features/*\": \"./src/features/*.js\"}";
    EXPORTS(j, "./features/../secret", "import", "!invalid module specifier");
    EXPORTS(j, "./features/node_modules/x", "import", "!invalid module specifier");
    EXPORTS(j, "./features/a/b", "import", "./src/features/a/b.js");
}

TEST(exports_invalid_config)
{
    EXPORTS("{\".\": \"./a.js\", \"import\": \"./b.js\"}", ".", "import",
            "!invalid package configuration");
    EXPORTS("{\"./a\": \"./a.js\", \"default\": \"./b.js\"}", "./a", "import",
            "!invalid package configuration");
    EXPORTS("{\"0\": \"./a.js\"}", ".", "import", "!invalid package configuration");
    EXPORTS("{\".\": {\"12\": \"./a.js\", \"default\": \"./b.js\"}}", ".", "import",
            "!invalid package configuration");
    EXPORTS("{}", ".", "import", "!not exported");
}

TEST(imports_field)
{
    const char *j = "{\"#dep\": \"dep-pkg\", \"#dep/*\": \"dep-pkg/lib/*.js\", "
                    "\"#int/*\": \"./src/int/*.js\", \"#cond\": {\"node\": \"./n.js\", "
                    "\"default\": \"./d.js\"}, \"#bad\": \"../x.js\", \"#abs\": \"/x.js\", "
                    "\"#url\": \"https://a.b/c.js\"}";
    IMPORTS(j, "#dep", "import", "bare:dep-pkg");
    IMPORTS(j, "#dep/x", "import", "bare:dep-pkg/lib/x.js");
    IMPORTS(j, "#int/a/b", "import", "./src/int/a/b.js");
    IMPORTS(j, "#cond", "node,import", "./n.js");
    IMPORTS(j, "#cond", "browser,import", "./d.js");
    IMPORTS(j, "#missing", "import", "!not exported");
    IMPORTS(j, "#bad", "import", "!invalid package target");
    IMPORTS(j, "#abs", "import", "!invalid package target");
    IMPORTS(j, "#url", "import", "!invalid package target");
    IMPORTS(j, "#", "import", "!invalid module specifier");
    IMPORTS(j, "#/x", "import", "!invalid module specifier");
    IMPORTS(j, "#int/", "import", "!invalid module specifier");
}

TEST(pkg_parse_keeps_facts)
{
    struct fx f;
    struct ds_arena keep;
    struct ds_pkg pkg;
    struct ds_json_error err;
    const struct ds_str fields[] = {DS_STR("module"), DS_STR("jsnext:main")};
    const char *text = "{\"name\": \"@s/p\", \"version\": \"1.0.0\", \"type\": \"module\", "
                       "\"main\": \"./c.js\", \"module\": \"./m.js\", \"scripts\": {\"a\": \"b\"},"
                       " \"browser\": {\"./c.js\": false}, \"exports\": null, "
                       "\"imports\": {\"#a\": \"./a.js\"}}";

    fx_init(&f);
    ds_arena_init(&keep, &f.alloc, 0);
    CHECK_EQ_INT(ds_pkg_parse(ds_str_cstr(text), fields, 2, &f.arena, &pkg, &err), DS_OK);
    CHECK(ds_str_eq(pkg.name, DS_STR("@s/p")));
    CHECK(pkg.type_module);
    CHECK(pkg.exports == NULL); // "exports": null is no exports
    CHECK(pkg.imports != NULL);
    CHECK(pkg.browser && pkg.browser->type == DS_JSON_OBJECT);
    CHECK(ds_str_eq(ds_pkg_string(&pkg, DS_STR("module")), DS_STR("./m.js")));
    CHECK(ds_str_eq(ds_pkg_string(&pkg, DS_STR("main")), DS_STR("./c.js")));
    CHECK_EQ_INT(ds_pkg_string(&pkg, DS_STR("jsnext:main")).len, 0);
    CHECK(ds_json_get(pkg.facts, DS_STR("scripts")) == NULL); // dropped
    CHECK(ds_json_get(pkg.facts, DS_STR("version")) == NULL);
    // A copy of the facts survives the arena they were parsed into.
    struct ds_pkg kept;
    CHECK_EQ_INT(ds_pkg_copy(&keep, &pkg, &kept), DS_OK);
    ds_arena_release(&f.arena);
    CHECK(ds_str_eq(ds_pkg_string(&kept, DS_STR("module")), DS_STR("./m.js")));
    CHECK(ds_str_eq(kept.name, DS_STR("@s/p")));
    CHECK(kept.imports != NULL && kept.browser != NULL && kept.type_module);
    CHECK_EQ_INT(kept.facts->n, 7); // all but "version" and "scripts"
    ds_arena_release(&keep);
    fx_release(&f);

    fx_init(&f);
    ds_arena_init(&keep, &f.alloc, 0);
    CHECK_EQ_INT(ds_pkg_parse(DS_STR("{\"name\": \"x\",}"), NULL, 0, &f.arena, &pkg, &err),
                 DS_EPARSE);
    CHECK_EQ_INT(err.line, 1);
    ds_arena_release(&keep);
    fx_release(&f);
}
