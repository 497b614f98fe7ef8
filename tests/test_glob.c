/* Tests of glob.c, both flavours: tsconfig include/exclude (cases from
 * TypeScript's tsconfig reference — `*`, `?`, `**` + `/`, a directory
 * meaning the files below it — and oxc-resolver's suite) and package.json
 * sideEffects (webpack's tree-shaking guide — "*.css", a "./src/" pattern
 * with "**" and "*.js" segments, a pattern without '/' matching the file
 * name anywhere — esbuild's "**", braces, and what the matcher refuses to
 * read). The last test pins the
 * inputs on which the two flavours differ, which is why there are two. */
#include "harness.h"
#include "glob.h"

struct glob_case {
    const char *pat, *path;
    bool want;
};

static void run_cases(enum ds_glob_flavour fl, const struct glob_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bool got = ds_glob_match(fl, ds_str_cstr(c[i].pat), ds_str_cstr(c[i].path));
        if (got != c[i].want)
            fprintf(stderr, "flavour %d: '%s' against '%s': got %d\n", (int)fl, c[i].pat, c[i].path,
                    got);
        CHECK(got == c[i].want);
    }
}

TEST(glob_tsconfig_wildcards)
{
    static const struct glob_case cases[] = {
        // `*`: zero or more characters, not a separator
        {"/r/src/*.ts", "/r/src/a.ts", true},
        {"/r/src/*.ts", "/r/src/.ts", true},
        {"/r/src/*.ts", "/r/src/x/a.ts", false},
        {"/r/src/*", "/r/src/a.tsx", true},
        {"/r/a*b*c.ts", "/r/axxbyyc.ts", true},
        {"/r/a*b*c.ts", "/r/axxbyy.ts", false},
        // `?`: one character, not a separator
        {"/r/src/?.ts", "/r/src/a.ts", true},
        {"/r/src/?.ts", "/r/src/ab.ts", false},
        {"/r/src/?.ts", "/r/src/.ts", false},
        {"/r/a?b.ts", "/r/a/b.ts", false},
        // `**/`: any directory nested to any level, none included
        {"/r/src/**/*", "/r/src/a.ts", true},
        {"/r/src/**/*", "/r/src/x/y/a.ts", true},
        {"/r/src/**/*", "/r/srcx/a.ts", false},
        {"/r/src/**/*", "/r/src", false},
        {"/r/**/*.ts", "/r/a.ts", true},
        {"/r/**/b/*.mts", "/r/a/b/c.mts", true},
        {"/r/**/b/*.mts", "/r/b/c.mts", true},
        {"/r/**/b/*.mts", "/r/a/b/x/c.mts", false},
        {"/r/**/b/**/*.mts", "/r/a/b/b/x/b/c.mts", true},
        {"/r/tests/**/*.spec.ts", "/r/tests/u/a.spec.ts", true},
        {"/r/tests/**/*.spec.ts", "/r/tests/u/a.ts", false},
        // a trailing "**" segment: zero or more segments, the directory too
        {"/r/**", "/r/a/b", true},
        {"/r/**", "/r", true},
        // a literal path (`files`-like, or an include naming a file)
        {"/r/src/x.vue", "/r/src/x.vue", true},
        {"/r/src/x.vue", "/r/src/y.vue", false},
        // nothing else is special
        {"/r/*.{ts,tsx}", "/r/a.ts", false},
        {"/r/*.{ts,tsx}", "/r/a.{ts,tsx}", true},
        {"/r/[ab].ts", "/r/[ab].ts", true},
        {"/r/[ab].ts", "/r/a.ts", false},
    };
    run_cases(DS_GLOB_TSCONFIG, cases, DS_ARRAY_LEN(cases));
}

/* "include": ["src"] means every supported file below src: the entry gets
 * "**" and "*" segments; one whose last segment has '.', '*' or '?' is a
 * file pattern and stays as written. */
TEST(glob_tsconfig_directory_entry)
{
    struct ds_alloc a;
    struct ds_arena ar;
    struct ds_str out;
    static const struct {
        const char *entry, *want;
    } cases[] = {
        {"/r/src", "/r/src/**/*"},
        {"/r/src/", "/r/src/**/*"},
        {"/", "/**/*"},
        {"/r/src/*.ts", "/r/src/*.ts"},
        {"/r/a.b", "/r/a.b"},
        {"/r/x?", "/r/x?"},
        {"/r/**", "/r/**"},
    };

    ds_alloc_init(&a, NULL, 0);
    ds_arena_init(&ar, &a, 256);
    for (size_t i = 0; i < DS_ARRAY_LEN(cases); i++) {
        struct ds_str in = ds_str_cstr(cases[i].entry);
        CHECK_EQ_INT(ds_glob_tsconfig_entry(&ar, in, &out), DS_OK);
        CHECK(ds_str_eq(out, ds_str_cstr(cases[i].want)));
        if (ds_str_eq(in, out))
            CHECK(out.ptr == in.ptr); // not copied
    }
    CHECK_EQ_INT(ds_glob_tsconfig_entry(&ar, DS_STR("/r/src"), &out), DS_OK);
    CHECK(ds_glob_match(DS_GLOB_TSCONFIG, out, DS_STR("/r/src/a.ts")));
    CHECK(ds_glob_match(DS_GLOB_TSCONFIG, out, DS_STR("/r/src/d/e/a.tsx")));
    CHECK(!ds_glob_match(DS_GLOB_TSCONFIG, out, DS_STR("/r/srcx/a.ts")));
    CHECK(!ds_glob_match(DS_GLOB_TSCONFIG, out, DS_STR("/r/lib/a.ts")));
    ds_arena_release(&ar);

    // Out of memory is the only failure, and leaves *out alone.
    ds_alloc_init(&a, NULL, 1);
    ds_arena_init(&ar, &a, 256);
    out = DS_STR("unchanged");
    CHECK_EQ_INT(ds_glob_tsconfig_entry(&ar, DS_STR("/r/src"), &out), DS_ENOMEM);
    CHECK(ds_str_eq(out, DS_STR("unchanged")));
    ds_arena_release(&ar);
}

/* Which patterns the tsconfig set may answer per directory and extension. */
TEST(glob_tsconfig_by_name)
{
    static const struct {
        const char *pat;
        bool want;
    } cases[] = {
        {"/r/src/**/*", false}, {"/r/**", false},  {"/r/*.ts", false},     {"/r/*/x/*.mts", false},
        {"/r/*.d.ts", true},    {"/r/x.ts", true}, {"/r/a*", true},        {"/r/*.t?", true},
        {"/r/*.", true},        {"/r/*.*", true},  {"/r/src/x.vue", true}, {"/r/?", true},
    };
    for (size_t i = 0; i < DS_ARRAY_LEN(cases); i++) {
        bool got = ds_glob_tsconfig_by_name(ds_str_cstr(cases[i].pat));
        if (got != cases[i].want)
            fprintf(stderr, "by name '%s': got %d\n", cases[i].pat, got);
        CHECK(got == cases[i].want);
    }
}

TEST(glob_side_effects_patterns)
{
    static const struct glob_case cases[] = {
        // no '/': the file name in any directory (webpack: "**/" + pattern)
        {"*.css", "a.css", true},
        {"*.css", "src/x/a.css", true},
        {"*.css", "a.css.js", false},
        {"*.css", "a.js", false},
        {"polyfill.js", "lib/deep/polyfill.js", true},
        {"polyfill.js", "lib/polyfill.jsx", false},
        // a leading "./" is dropped; "**/" any directories, none included
        {"./src/**/*.js", "src/a.js", true},
        {"./src/**/*.js", "src/x/y/a.js", true},
        {"./src/**/*.js", "lib/a.js", false},
        {"./src/**/*.js", "src/a.css", false},
        {"src/**/*.js", "src/x/a.js", true},
        // with a '/', the pattern is anchored at the package directory
        {"src/*.js", "src/a.js", true},
        {"src/*.js", "src/x/a.js", false},
        {"src/*.js", "lib/src/a.js", false},
        {"./lib/index.js", "lib/index.js", true},
        {"./lib/index.js", "x/lib/index.js", false},
        // `?`: one character, not '/'
        {"src/?.js", "src/a.js", true},
        {"src/?.js", "src/ab.js", false},
        {"src?a.js", "src/a.js", false},
        // braces: each alternative, several groups, the empty one
        {"*.{css,scss}", "x/a.scss", true},
        {"*.{css,scss}", "a.css", true},
        {"*.{css,scss}", "a.less", false},
        {"src/{a,b}/*.js", "src/b/x.js", true},
        {"src/{a,b}/*.js", "src/c/x.js", false},
        {"{a,b}{c,d}.js", "bd.js", true},
        {"{a,b}{c,d}.js", "ab.js", false},
        {"x{,.min}.js", "x.min.js", true},
        {"x{,.min}.js", "x.js", true},
        // "**" anywhere crosses '/', as esbuild reads it
        {"src/**.js", "src/x/a.js", true},
        {"src/**", "src/x/a.js", true},
        {"src/**", "src", false},
        // what it does not read counts as a match (keeping the file is sound)
        {"[ab].js", "c.js", true},
        {"!x.js", "y.js", true},
        {"src\\a.js", "y.js", true},
        {"{a,{b,c}}.js", "z.js", true},
        {"{a,b.js", "z.js", true},
        {"{a}{b}{c}{d}{e}.js", "z.js", true},
        {"{a}{b}{c}{d}.js", "abcd.js", true},
        {"{a}{b}{c}{d}.js", "z.js", false},
    };
    run_cases(DS_GLOB_SIDE_EFFECTS, cases, DS_ARRAY_LEN(cases));

    // Longer than 512 bytes: a match; 512 is still read.
    char big[600];
    memset(big, 'x', sizeof big);
    CHECK(ds_glob_match(DS_GLOB_SIDE_EFFECTS, ds_str_make(big, 513), DS_STR("a.js")));
    CHECK(!ds_glob_match(DS_GLOB_SIDE_EFFECTS, ds_str_make(big, 512), DS_STR("a.js")));
    CHECK(ds_glob_match(DS_GLOB_SIDE_EFFECTS, ds_str_make(big, 512), ds_str_make(big, 512)));
    // A path longer than DS_MAX_PATH: a match.
    static char huge[DS_MAX_PATH + 2];
    memset(huge, 'a', sizeof huge);
    CHECK(ds_glob_match(DS_GLOB_SIDE_EFFECTS, DS_STR("b"), ds_str_make(huge, sizeof huge)));
    CHECK(!ds_glob_match(DS_GLOB_SIDE_EFFECTS, DS_STR("b"), ds_str_make(huge, DS_MAX_PATH)));
}

/* The same pattern and path, read by each flavour: where TypeScript and the
 * bundlers disagree (glob.c says why the matchers are two). */
TEST(glob_flavours_differ_where_their_tools_do)
{
    static const struct {
        const char *pat, *path;
        bool tsconfig, side_effects;
    } cases[] = {
        {"r/**", "r", true, false},               // a trailing "**" segment
        {"r/a**b", "r/a/x/b", false, true},       // "**" inside a segment
        {"r/*.{js,css}", "r/a.css", false, true}, // braces
        {"a.js", "r/a.js", false, true},          // no '/': any directory
        {"r/[ab].js", "r/c.js", false, true},     // unread syntax
        {"r/**/*.js", "r/x/a.js", true, true},    // and where they agree
        {"r/?.js", "r/ab.js", false, false},
    };
    for (size_t i = 0; i < DS_ARRAY_LEN(cases); i++) {
        struct ds_str p = ds_str_cstr(cases[i].pat), s = ds_str_cstr(cases[i].path);
        CHECK(ds_glob_match(DS_GLOB_TSCONFIG, p, s) == cases[i].tsconfig);
        CHECK(ds_glob_match(DS_GLOB_SIDE_EFFECTS, p, s) == cases[i].side_effects);
    }
}
