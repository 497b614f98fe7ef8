/* Tests of path.c against Node's path.posix.resolve and path.relative (the
 * vectors below were printed by Node 20's `path.posix`, absolute bases only:
 * ds_path_join never consults the working directory), of the line index
 * and of specifier.c. */
#include "harness.h"
#include "lines.h"
#include "path.h"
#include "specifier.h"

static const struct {
    const char *base, *rel, *want;
} resolve_vectors[] = {
    {"/a/b", "c", "/a/b/c"},
    {"/a/b", "./c", "/a/b/c"},
    {"/a/b", "../c", "/a/c"},
    {"/a/b", "../../c", "/c"},
    {"/a/b", "../../../c", "/c"},
    {"/", "..", "/"},
    {"/", ".", "/"},
    {"/", "", "/"},
    {"/a", "/b/../c", "/c"},
    {"/a/b/", "c/", "/a/b/c"},
    {"/a//b", "c//d", "/a/b/c/d"},
    {"/a/b", ".../x", "/a/b/.../x"},
    {"/a/b", "..x/y", "/a/b/..x/y"},
    {"/a/b", "x/./y/../z", "/a/b/x/z"},
    {"/a/./b/../c", "d", "/a/c/d"},
    {"/a", "#x/y?q", "/a/#x/y?q"},
    {"/node_modules/a", "./b.js?v=1", "/node_modules/a/b.js?v=1"},
    {"/a/b", "/", "/"},
    {"/a/b", "//x", "/x"},
    {"/x", "a/b/c/../../..", "/x"},
    {"/x", "a/b/c/../../../..", "/"},
    {"/.a/..b", ".c", "/.a/..b/.c"},
};
static const struct {
    const char *from, *to, *want;
} relative_vectors[] = {
    {"/a/b", "/a/c", "../c"},
    {"/a", "/a/b", "b"},
    {"/a/b", "/a", ".."},
    {"/", "/a", "a"},
    {"/a", "/", ".."},
    {"/ab", "/a", "../a"},
    {"/a", "/ab", "../ab"},
    {"/a/b/c", "/a/x/y", "../../x/y"},
    {"/a/b", "/a/b", ""},
    {"/", "/", ""},
    {"/a/b/c", "/d", "../../../d"},
    {"/data/orandea/test/aaa", "/data/orandea/impl/bbb", "../../impl/bbb"},
    {"/foo/bar/baz-quux", "/foo/bar/baz", "../baz"},
    {"/foo/bar/baz", "/foo/bar/baz-quux", "../baz-quux"},
    {"/baz-quux", "/baz", "../baz"},
    {"/page1/page2/foo", "/", "../../.."},
};

TEST(path_join_matches_node_path_resolve)
{
    for (size_t i = 0; i < DS_ARRAY_LEN(resolve_vectors); i++) {
        char buf[DS_MAX_PATH + 1];
        struct ds_str out;
        CHECK(ds_path_join(ds_str_cstr(resolve_vectors[i].base),
                           ds_str_cstr(resolve_vectors[i].rel), buf, sizeof buf, &out));
        CHECK_EQ_STR(buf, resolve_vectors[i].want);
        CHECK_EQ_INT(out.len, strlen(resolve_vectors[i].want));
        // The same join with the base's form told rather than checked; a
        // normal base said to be not normal is walked, to the same result.
        struct ds_str base = ds_str_cstr(resolve_vectors[i].base);
        for (int told = 0; told < 2; told++) {
            bool normal = told ? ds_path_is_normal(base) : false;
            CHECK(ds_path_join_at(base, normal, ds_str_cstr(resolve_vectors[i].rel), buf,
                                  sizeof buf, &out));
            CHECK_EQ_STR(buf, resolve_vectors[i].want);
        }
    }
}

TEST(path_relative_matches_node_path_relative)
{
    for (size_t i = 0; i < DS_ARRAY_LEN(relative_vectors); i++) {
        char buf[DS_MAX_PATH + 1];
        struct ds_str out;
        CHECK(ds_path_relative(ds_str_cstr(relative_vectors[i].from),
                               ds_str_cstr(relative_vectors[i].to), buf, sizeof buf, &out));
        CHECK_EQ_STR(buf, relative_vectors[i].want);
    }
}

TEST(path_join_refuses_what_does_not_fit)
{
    char buf[8];
    struct ds_str out;
    CHECK(ds_path_join(DS_STR("/abc"), DS_STR("de"), buf, sizeof buf, &out));
    CHECK_EQ_STR(buf, "/abc/de");
    CHECK(!ds_path_join(DS_STR("/abc"), DS_STR("def"), buf, sizeof buf, &out));
    // Segments are written before a later ".." removes them: each must fit.
    CHECK(!ds_path_join(DS_STR("/a"), DS_STR("bbbbbbbbbbbbbbbb/.."), buf, sizeof buf, &out));
    CHECK(!ds_path_relative(DS_STR("/a/b/c/d"), DS_STR("/x"), buf, sizeof buf, &out));
}

TEST(path_resolve_in_copies_and_limits)
{
    struct ds_alloc a;
    struct ds_arena ar;
    struct ds_str out;
    char big[DS_MAX_PATH + 8];

    ds_alloc_init(&a, NULL, 0);
    ds_arena_init(&ar, &a, 1024);
    CHECK_EQ_INT(ds_path_resolve_in(&ar, DS_STR("/r"), DS_STR("./src/../lib/"), &out), DS_OK);
    CHECK_EQ_STR(out.ptr, "/r/lib");
    memset(big, 'x', sizeof big);
    CHECK_EQ_INT(ds_path_resolve_in(&ar, DS_STR("/r"), ds_str_make(big, sizeof big), &out),
                 DS_ELIMIT);
    ds_arena_release(&ar);
}

TEST(path_dirname_normal_and_relative)
{
    CHECK(ds_str_eq(ds_path_dirname(DS_STR("/a/b")), DS_STR("/a")));
    CHECK(ds_str_eq(ds_path_dirname(DS_STR("/a")), DS_STR("/")));
    CHECK(ds_str_eq(ds_path_dirname(DS_STR("/")), DS_STR("/")));
    CHECK(ds_path_is_normal(DS_STR("/a/b")));
    CHECK(ds_path_is_normal(DS_STR("/")));
    CHECK(!ds_path_is_normal(DS_STR("/a/")));
    CHECK(!ds_path_is_normal(DS_STR("/a/./b")));
    CHECK(!ds_path_is_normal(DS_STR("/a/../b")));
    CHECK(!ds_path_is_normal(DS_STR("/a//b")));
    CHECK(ds_path_is_normal(DS_STR("/a/...")));
    CHECK(!ds_path_is_normal(DS_STR("a/b")));
    CHECK(ds_path_is_relative(DS_STR(".")));
    CHECK(ds_path_is_relative(DS_STR("../x")));
    CHECK(!ds_path_is_relative(DS_STR(".x")));
    CHECK(!ds_path_is_relative(DS_STR("/x")));
}

TEST(line_cursor_counts_any_order)
{
    const char *t = "ab\ncd\n\nef";
    struct ds_line_cursor c;
    unsigned line, col;

    ds_line_cursor_init(&c, t, strlen(t));
    ds_line_cursor_at(&c, 4, &line, &col);
    CHECK_EQ_INT(line, 2);
    CHECK_EQ_INT(col, 2);
    ds_line_cursor_at(&c, 7, &line, &col);
    CHECK_EQ_INT(line, 4);
    CHECK_EQ_INT(col, 1);
    ds_line_cursor_at(&c, 0, &line, &col); // backwards: restarts
    CHECK_EQ_INT(line, 1);
    CHECK_EQ_INT(col, 1);
    ds_line_cursor_at(&c, 100, &line, &col); // past the end: the end
    CHECK_EQ_INT(line, 4);
    CHECK_EQ_INT(col, 3);
}

TEST(specifier_classes)
{
    CHECK(ds_spec_is_bare(DS_STR("react")));
    CHECK(ds_spec_is_bare(DS_STR("@scope/x")));
    CHECK(!ds_spec_is_bare(DS_STR("./x")));
    CHECK(!ds_spec_is_bare(DS_STR("c:/x")));
    CHECK(!ds_spec_is_bare(DS_STR("a://x")));
    CHECK(ds_spec_is_builtin(DS_STR("fs/promises")));
    CHECK(!ds_spec_is_builtin(DS_STR("fs/x")));
    // Node 22's module.builtinModules without the node:-only ones: each is
    // found by the binary search, and a longer spelling is not.
    static const char node22[] =
        "_http_agent _http_client _http_common _http_incoming _http_outgoing _http_server "
        "_stream_duplex _stream_passthrough _stream_readable _stream_transform _stream_wrap "
        "_stream_writable _tls_common _tls_wrap assert assert/strict async_hooks buffer "
        "child_process cluster console constants crypto dgram diagnostics_channel dns "
        "dns/promises domain events fs fs/promises http http2 https inspector "
        "inspector/promises module net os path path/posix path/win32 perf_hooks process "
        "punycode querystring readline readline/promises repl stream stream/consumers "
        "stream/promises stream/web string_decoder sys timers timers/promises tls trace_events "
        "tty url util util/types v8 vm wasi worker_threads zlib";
    size_t n_builtins = 0;
    for (const char *p = node22; *p; n_builtins++) {
        size_t n = strcspn(p, " ");
        char more[64];
        snprintf(more, sizeof more, "%.*sx", (int)n, p);
        CHECK(ds_spec_is_builtin(ds_str_make(p, n)));
        CHECK(!ds_spec_is_builtin(ds_str_cstr(more)));
        p += n + (p[n] == ' ');
    }
    CHECK_EQ_INT(n_builtins, 68);
    static const char *const not_builtin[] = {"_", "a", "assert/", "strea", "zli", "zz", "http3"};
    for (size_t i = 0; i < DS_ARRAY_LEN(not_builtin); i++)
        CHECK(!ds_spec_is_builtin(ds_str_cstr(not_builtin[i])));
    CHECK(!ds_spec_is_builtin(DS_STR("test"))); // node:test only
    CHECK(!ds_spec_is_builtin(DS_STR("react")));
    CHECK_EQ_INT(ds_spec_postfix_at(DS_STR("a#b?c")), 1);
    CHECK_EQ_INT(ds_spec_postfix_at(DS_STR("a?b#c")), 1);
    CHECK_EQ_INT(ds_spec_postfix_at(DS_STR("abc")), 3);
    struct ds_str ext_items[] = {DS_STR("cloudflare:workers"), DS_STR("pkg")};
    struct ds_strlist ext = {ext_items, 2};
    CHECK(ds_spec_is_external(&ext, DS_STR("pkg/sub")));
    CHECK(!ds_spec_is_external(&ext, DS_STR("pkg2")));
    CHECK(ds_spec_is_external(&ext, DS_STR("node:fs")));
    static const char *const external[] = {"node:fs",   "bun:sqlite", "deno:x",
                                           "npm:react", "virtual:a",  "http://x/y.js",
                                           "https://x", "//cdn/x.js", "data:text/javascript,1"};
    static const char *const not_external[] = {
        "nodes:fs", "node",        "virtual", "xnode:fs", "./node:fs", "@/node:x", "deno/x",
        "https",    "virtual/x:y", "react",   "c:/x",     "/x",        "data"};
    for (size_t i = 0; i < DS_ARRAY_LEN(external); i++)
        CHECK(ds_spec_is_external(NULL, ds_str_cstr(external[i])));
    for (size_t i = 0; i < DS_ARRAY_LEN(not_external); i++)
        CHECK(!ds_spec_is_external(NULL, ds_str_cstr(not_external[i])));
    CHECK(ds_spec_is_external(NULL, DS_STR("\0x")));
    CHECK(ds_spec_is_external(NULL, DS_STR("./w.js?worker")));
    CHECK(!ds_spec_is_external(NULL, DS_STR("./w.js?v=1#worker")));
    struct ds_str name, rest;
    CHECK(ds_spec_split_package(DS_STR("@s/p/x/y"), &name, &rest));
    CHECK(ds_str_eq(name, DS_STR("@s/p")) && ds_str_eq(rest, DS_STR("/x/y")));
    CHECK(!ds_spec_split_package(DS_STR("@s"), &name, &rest));
}
