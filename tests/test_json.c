/* Tests of the JSON / JSONC reader: JSONTestSuite-style accept/reject cases
 * (re-expressed as our own table), JSONC extensions, unescaping, member order
 * and duplicates, error positions, the depth bound and allocation failures. */
#include <stdlib.h>

#include "harness.h"
#include "json.h"

struct fixture {
    struct ds_alloc alloc;
    struct ds_arena arena;
};

static void fx_init(struct fixture *fx)
{
    ds_alloc_init(&fx->alloc, NULL, 0);
    ds_arena_init(&fx->arena, &fx->alloc, 0);
}

static void fx_release(struct fixture *fx)
{
    ds_arena_release(&fx->arena);
    CHECK_EQ_INT(atomic_load(&fx->alloc.current), 0);
}

static enum ds_status parse_len(struct fixture *fx, const char *text, size_t len,
                                enum ds_json_flavor fl, struct ds_json **out,
                                struct ds_json_error *err)
{
    return ds_json_parse(ds_str_make(text, len), fl, &fx->arena, out, err);
}

static enum ds_status parse(struct fixture *fx, const char *text, enum ds_json_flavor fl,
                            struct ds_json **out, struct ds_json_error *err)
{
    return parse_len(fx, text, strlen(text), fl, out, err);
}

struct verdict {
    const char *text;
    bool strict_ok, jsonc_ok;
};

/* y_ / n_ cases after JSONTestSuite, plus JSONC ones. */
static const struct verdict cases[] = {
    {"{}", true, true},
    {"[]", true, true},
    {"  [1, 2.5, -0, 1e10, 1E-2, -1.5e+3]  ", true, true},
    {"\"x\"", true, true},
    {"0", true, true},
    {"-0.0e0", true, true},
    {"null", true, true},
    {"true", true, true},
    {"false", true, true},
    {"[[[[]]]]", true, true},
    {"{\"a\":{\"b\":[{}]}}", true, true},
    {"\xEF\xBB\xBF{}", true, true},
    {"[\"\\u0000\"]", true, true},
    {"[\"\\ud834\\udd1e\"]", true, true},
    {"[\"\\/\\\\\\\"\\b\\f\\n\\r\\t\"]", true, true},
    {"[1e999]", true, true},
    {"{\"a\":1,\"a\":2}", true, true},
    {"\t\r\n[\t\r\n]\t\r\n", true, true},
    {"[\"\xC3\xA9\"]", true, true},
    {"", false, false},
    {"   ", false, false},
    {"[", false, false},
    {"]", false, false},
    {"{", false, false},
    {"[1", false, false},
    {"[1,", false, false},
    {"{\"a\"", false, false},
    {"{\"a\":", false, false},
    {"{\"a\":1", false, false},
    {"[1,]", false, true},
    {"{\"a\":1,}", false, true},
    {"[,]", false, false},
    {"[,1]", false, false},
    {"[1,,2]", false, false},
    {"[1,,]", false, false},
    {"{,}", false, false},
    {"{\"a\" 1}", false, false},
    {"{\"a\":1 \"b\":2}", false, false},
    {"{a:1}", false, false},
    {"{'a':1}", false, false},
    {"['a']", false, false},
    {"[1 2]", false, false},
    {"[01]", false, false},
    {"[-01]", false, false},
    {"[1.]", false, false},
    {"[.5]", false, false},
    {"[+1]", false, false},
    {"[1e]", false, false},
    {"[1e+]", false, false},
    {"[-]", false, false},
    {"[0x10]", false, false},
    {"[Infinity]", false, false},
    {"[NaN]", false, false},
    {"[tru]", false, false},
    {"[nul]", false, false},
    {"[True]", false, false},
    {"[\"a\\x\"]", false, false},
    {"[\"\\u00g0\"]", false, false},
    {"[\"\\u00\"]", false, false},
    {"[\"a\nb\"]", false, false},
    {"[\"a\tb\"]", false, true},
    {"[\"abc", false, false},
    {"[\"\\\"]", false, false},
    {"[] []", false, false},
    {"{} x", false, false},
    {"// c\n{}", false, true},
    {"{} // c", false, true},
    {"/* c */ {\"a\" /* c */ : /* c */ 1 /* c */}", false, true},
    {"[1 /* unterminated ]", false, false},
    {"[1 /", false, false},
    {"[1 / 2]", false, false},
    {"{\"a\":1,// trailing\n}", false, true},
    {"[/**/]", false, true},
    {"[/*/]", false, false},
    {"{\"u\": \"http://x/*y*/\"}", true, true},
    {"[1]/", false, false},
    {"[1]//", false, true},
    {"[1]/**/", false, true},
    {"\xEF\xBB{}", false, false},
    // More of JSONTestSuite's y_ / n_ files, by name.
    {"[-0]", true, true},                               // y_number_minus_zero
    {"[1E-2]", true, true},                             // y_number_real_capital_e_neg_exp
    {"{\"\":0}", true, true},                           // y_object_empty_key
    {"[\"\xE2\x82\xAC\xF0\x9D\x84\x9E\"]", true, true}, // y_string_utf8
    {" [] ", true, true},                               // y_structure_whitespace_array
    {"[\"\"],", false, false},                          // n_array_comma_after_close
    {"[\"x\"]]", false, false},                         // n_array_extra_close
    {"[fals]", false, false},                           // n_incomplete_false
    {"[-2.]", false, false},                            // n_number_-2.
    {"[0.e1]", false, false},                           // n_number_0.e1
    {"[2.e+3]", false, false},                          // n_number_2.e+3
    {"[-012]", false, false},                           // n_number_neg_int_starting_with_zero
    {"[-Infinity]", false, false},                      // n_number_minus_infinity
    {"[1 000.0]", false, false},                        // n_number_1_000
    {"[\xEF\xBC\x91]", false, false},                   // n_number_U+FF11_fullwidth_digit_one
    {"{\"a\":}", false, false},                         // n_object_missing_value
    {"{\"x\"::\"b\"}", false, false},                   // n_object_double_colon
    {"{\"a\":\"b\"}/**/", false, true},                 // n_object_trailing_comment
    {"{\"a\":\"b\"}//", false, true},                   // n_object_trailing_comment_slash_open
    {"{\"a\": true} \"x\"", false, false},              // n_structure_object_with_trailing_garbage
    {"[\"\\a\"]", false, false},                        // n_string_invalid_backslash_esc
    {"[\"\\x00\"]", false, false},                      // n_string_escape_x
    {"[\"\\uD800\\uD800\\x\"]", false, false}, // n_string_incomplete_surrogate_escape_invalid
    {"[1 true]", false, false},                // n_array_1_true_without_comma
    {"[{", false, false},                      // n_structure_open_array_object
    {"\xEF\xBB\xBF", false, false},            // n_structure_UTF8_BOM_no_data
    {"[\"a\",\n4\n,1,", false, false},         // n_array_newlines_unclosed
    {"{\"a\":\"a\" 123}", false, false},       // n_object_missing_comma
    {"[*]", false, false},                     // n_array_star_inside
    {"\"\\u00A\"", false, false},              // n_string_1_surrogate_then_escape_u1
    {"[\"\\\"]", false, false},                // n_string_escaped_backslash_bad
};

TEST(json_accept_reject_table)
{
    for (size_t i = 0; i < DS_ARRAY_LEN(cases); i++) {
        for (int fl = 0; fl < 2; fl++) {
            struct fixture fx;
            struct ds_json *v = NULL;
            struct ds_json_error err = {0};
            bool want = fl ? cases[i].jsonc_ok : cases[i].strict_ok;
            fx_init(&fx);
            enum ds_status st = parse(&fx, cases[i].text, fl, &v, &err);
            if ((st == DS_OK) != want) {
                fprintf(stderr, "case %zu %s: '%s' -> %d (%s at %u:%u)\n", i,
                        fl ? "jsonc" : "strict", cases[i].text, st, err.what ? err.what : "",
                        err.line, err.col);
                harness_failed++;
            }
            if (st != DS_OK)
                CHECK(err.what != NULL);
            fx_release(&fx);
        }
    }
}

TEST(json_nul_inside_is_trailing_content)
{
    struct fixture fx;
    struct ds_json *v;
    struct ds_json_error err = {0};
    fx_init(&fx);
    CHECK_EQ_INT(parse_len(&fx, "[]\0", 3, DS_JSON_STRICT, &v, &err), DS_EPARSE);
    CHECK_EQ_STR(err.what, "trailing content");
    CHECK_EQ_INT(err.offset, 2);
    fx_release(&fx);
}

TEST(json_values_and_member_order)
{
    struct fixture fx;
    struct ds_json *v = NULL;
    struct ds_json_error err = {0};
    fx_init(&fx);
    CHECK_EQ_INT(parse(&fx,
                       "{\"exports\": {\"./b\": 1, \"./a\": [true, false, null, -2.5e1, \"s\"]},"
                       " \"name\": \"x\", \"name\": \"y\", \"e\": {}, \"f\": []}",
                       DS_JSON_STRICT, &v, &err),
                 DS_OK);
    CHECK_EQ_INT(v->type, DS_JSON_OBJECT);
    CHECK_EQ_INT(v->n, 5);
    CHECK(ds_str_eq(v->u.members[0].key, DS_STR("exports")));
    const struct ds_json *ex = ds_json_get(v, DS_STR("exports"));
    CHECK(ex && ex->type == DS_JSON_OBJECT && ex->n == 2);
    CHECK(ds_str_eq(ex->u.members[0].key, DS_STR("./b")));
    CHECK(ds_str_eq(ex->u.members[1].key, DS_STR("./a")));
    CHECK_EQ_INT(ex->u.members[0].value.type, DS_JSON_NUMBER);
    CHECK(ex->u.members[0].value.u.num == 1.0);
    const struct ds_json *a = ds_json_get(ex, DS_STR("./a"));
    CHECK(a && a->type == DS_JSON_ARRAY && a->n == 5);
    CHECK_EQ_INT(a->u.items[0].type, DS_JSON_TRUE);
    CHECK_EQ_INT(a->u.items[1].type, DS_JSON_FALSE);
    CHECK_EQ_INT(a->u.items[2].type, DS_JSON_NULL);
    CHECK(a->u.items[3].u.num == -25.0);
    CHECK_EQ_STR(a->u.items[4].u.str.ptr, "s");
    const struct ds_json *name = ds_json_get(v, DS_STR("name"));
    CHECK(name && name->type == DS_JSON_STRING);
    CHECK_EQ_STR(name->u.str.ptr, "y");
    const struct ds_json *e = ds_json_get(v, DS_STR("e"));
    CHECK(e && e->type == DS_JSON_OBJECT && e->n == 0);
    const struct ds_json *f = ds_json_get(v, DS_STR("f"));
    CHECK(f && f->type == DS_JSON_ARRAY && f->n == 0);
    CHECK(ds_json_get(v, DS_STR("missing")) == NULL);
    CHECK(ds_json_get(NULL, DS_STR("name")) == NULL);
    CHECK(ds_json_get(a, DS_STR("name")) == NULL);
    fx_release(&fx);
}

TEST(json_string_unescaping)
{
    static const struct {
        const char *json, *want;
        size_t want_len;
    } t[] = {
        {"\"plain\"", "plain", 5},
        {"\"a\\nb\\t\\\"\\\\\\/\"", "a\nb\t\"\\/", 7},
        {"\"\\u0041\\u00e9\\u20AC\"", "A\xC3\xA9\xE2\x82\xAC", 6},
        {"\"\\ud834\\udd1e\"", "\xF0\x9D\x84\x9E", 4},
        {"\"\\ud834\"", "\xEF\xBF\xBD", 3},
        {"\"\\udd1e\"", "\xEF\xBF\xBD", 3},
        {"\"\\ud834x\"", "\xEF\xBF\xBDx", 4},
        {"\"\\ud834\\u0041\"",
         "\xEF\xBF\xBD"
         "A",
         4},
        {"\"\\ud834\\ud834\\udd1e\"", "\xEF\xBF\xBD\xF0\x9D\x84\x9E", 7},
        {"\"a\\u0000b\"", "a\0b", 3},
        {"\"\"", "", 0},
    };
    for (size_t i = 0; i < DS_ARRAY_LEN(t); i++) {
        struct fixture fx;
        struct ds_json *v = NULL;
        struct ds_json_error err = {0};
        fx_init(&fx);
        CHECK_EQ_INT(parse(&fx, t[i].json, DS_JSON_STRICT, &v, &err), DS_OK);
        if (v) {
            CHECK_EQ_INT(v->type, DS_JSON_STRING);
            CHECK_EQ_INT(v->u.str.len, t[i].want_len);
            CHECK(memcmp(v->u.str.ptr, t[i].want, t[i].want_len) == 0);
            CHECK_EQ_INT(v->u.str.ptr[v->u.str.len], '\0');
        }
        fx_release(&fx);
    }
}

TEST(json_escaped_keys)
{
    struct fixture fx;
    struct ds_json *v = NULL;
    struct ds_json_error err = {0};
    fx_init(&fx);
    CHECK_EQ_INT(parse(&fx, "{\"\\u0061b\": 7}", DS_JSON_STRICT, &v, &err), DS_OK);
    const struct ds_json *ab = ds_json_get(v, DS_STR("ab"));
    CHECK(ab && ab->u.num == 7.0);
    fx_release(&fx);
}

TEST(json_error_positions)
{
    static const struct {
        const char *json;
        enum ds_json_flavor fl;
        const char *what;
        size_t offset;
        unsigned line, col;
    } t[] = {
        {"{\n  \"a\": 1\n  \"b\": 2\n}", DS_JSON_STRICT, "expected ',' or '}'", 13, 3, 3},
        {"[1 2]", DS_JSON_STRICT, "expected ',' or ']'", 3, 1, 4},
        {"[\"abc", DS_JSON_STRICT, "unterminated string", 1, 1, 2},
        {"[\"a\\qb\"]", DS_JSON_STRICT, "invalid escape", 3, 1, 4},
        {"{\"a\":1}}", DS_JSON_STRICT, "trailing content", 7, 1, 8},
        {"[1,", DS_JSON_STRICT, "unexpected end of input", 3, 1, 4},
        {"", DS_JSON_STRICT, "unexpected end of input", 0, 1, 1},
        {"{\"a\" 1}", DS_JSON_STRICT, "expected ':'", 5, 1, 6},
        {"{1:2}", DS_JSON_STRICT, "expected string key", 1, 1, 2},
        {"[1,]", DS_JSON_STRICT, "expected value", 3, 1, 4},
        {"[01]", DS_JSON_STRICT, "invalid number", 1, 1, 2},
        {"{\"a\":1,}", DS_JSON_STRICT, "expected string key", 7, 1, 8},
        {"// x\n[1 /* y", DS_JSON_JSONC, "unterminated comment", 8, 2, 4},
        {"// x\n{} // y\n,", DS_JSON_JSONC, "trailing content", 13, 3, 1},
    };
    for (size_t i = 0; i < DS_ARRAY_LEN(t); i++) {
        struct fixture fx;
        struct ds_json *v = NULL;
        struct ds_json_error err = {0};
        fx_init(&fx);
        CHECK_EQ_INT(parse(&fx, t[i].json, t[i].fl, &v, &err), DS_EPARSE);
        CHECK_EQ_STR(err.what, t[i].what);
        CHECK_EQ_INT(err.offset, t[i].offset);
        CHECK_EQ_INT(err.line, t[i].line);
        CHECK_EQ_INT(err.col, t[i].col);
        fx_release(&fx);
    }
}

static char *nested(size_t depth, char open, char close)
{
    char *s = malloc(depth * 2 + 1);
    memset(s, open, depth);
    memset(s + depth, close, depth);
    s[depth * 2] = '\0';
    return s;
}

TEST(json_depth_limit)
{
    struct fixture fx;
    struct ds_json *v = NULL;
    struct ds_json_error err = {0};
    char *ok = nested(DS_MAX_JSON_DEPTH, '[', ']');
    char *deep = nested(DS_MAX_JSON_DEPTH + 1, '[', ']');
    char *huge = nested(100000, '[', ']');

    fx_init(&fx);
    CHECK_EQ_INT(parse(&fx, ok, DS_JSON_STRICT, &v, &err), DS_OK);
    CHECK_EQ_INT(parse(&fx, deep, DS_JSON_STRICT, &v, &err), DS_ELIMIT);
    CHECK_EQ_STR(err.what, "nesting too deep");
    CHECK_EQ_INT(err.offset, DS_MAX_JSON_DEPTH);
    CHECK_EQ_INT(parse(&fx, huge, DS_JSON_JSONC, &v, &err), DS_ELIMIT);
    CHECK_EQ_STR(err.what, "nesting too deep");
    // Unclosed: the bound, not the missing closers, is what is reported.
    huge[100000] = '\0';
    CHECK_EQ_INT(parse(&fx, huge, DS_JSON_STRICT, &v, &err), DS_ELIMIT);
    fx_release(&fx);
    free(ok);
    free(deep);
    free(huge);

    char *objs = malloc(100000 * 5 + 1);
    for (size_t i = 0; i < 100000; i++)
        memcpy(objs + i * 5, "{\"a\":", 5);
    objs[100000 * 5] = '\0';
    fx_init(&fx);
    CHECK_EQ_INT(parse(&fx, objs, DS_JSON_STRICT, &v, &err), DS_ELIMIT);
    fx_release(&fx);
    free(objs);
}

TEST(json_large_flat_array)
{
    // Many siblings exercise the pending-value stack's growth; the tree must
    // hold them in order.
    size_t n = 200000;
    char *s = malloc(n * 2 + 2);
    s[0] = '[';
    for (size_t i = 0; i < n; i++) {
        s[1 + i * 2] = (char)('0' + i % 10);
        s[2 + i * 2] = ',';
    }
    s[n * 2] = ']';
    s[n * 2 + 1] = '\0';
    struct fixture fx;
    struct ds_json *v = NULL;
    struct ds_json_error err = {0};
    fx_init(&fx);
    CHECK_EQ_INT(parse(&fx, s, DS_JSON_STRICT, &v, &err), DS_OK);
    CHECK_EQ_INT(v->n, n);
    CHECK(v->u.items[n - 1].u.num == (double)((n - 1) % 10));
    fx_release(&fx);
    free(s);
}

TEST(json_long_number)
{
    char s[300];
    memset(s, '1', 299);
    s[299] = '\0';
    struct fixture fx;
    struct ds_json *v = NULL;
    struct ds_json_error err = {0};
    fx_init(&fx);
    CHECK_EQ_INT(parse(&fx, s, DS_JSON_STRICT, &v, &err), DS_OK);
    CHECK(v->u.num > 1e298);
    fx_release(&fx);
}

/* ---- ds_json_parse_some: members of the root object skipped ----------- */

static bool keep_none(const void *ctx, struct ds_str key)
{
    (void)ctx;
    (void)key;
    return false;
}

static bool keep_all(const void *ctx, struct ds_str key)
{
    (void)ctx;
    (void)key;
    return true;
}

static bool keep_named(const void *ctx, struct ds_str key)
{
    return ds_str_eq(key, ds_str_cstr(ctx));
}

/* Parses `text` whole and with every root member skipped (and kept): the
 * verdict and the error, where and what, must be the same. */
static void check_skip_same(const char *text, size_t len, enum ds_json_flavor fl)
{
    struct fixture fx;
    struct ds_json *v = NULL;
    struct ds_json_error whole = {0}, none = {0}, all = {0};

    fx_init(&fx);
    enum ds_status st = ds_json_parse(ds_str_make(text, len), fl, &fx.arena, &v, &whole);
    enum ds_status st_none =
        ds_json_parse_some(ds_str_make(text, len), fl, keep_none, NULL, &fx.arena, &v, &none);
    enum ds_status st_all =
        ds_json_parse_some(ds_str_make(text, len), fl, keep_all, NULL, &fx.arena, &v, &all);
    if (st_none != st || st_all != st || none.offset != whole.offset ||
        all.offset != whole.offset || none.line != whole.line || none.col != whole.col ||
        (st != DS_OK && (!none.what || strcmp(none.what, whole.what) != 0 || !all.what ||
                         strcmp(all.what, whole.what) != 0))) {
        fprintf(stderr, "skip differs on %s '%s': %d %s at %zu / skipped %d %s at %zu\n",
                fl ? "jsonc" : "strict", text, st, whole.what ? whole.what : "", whole.offset,
                st_none, none.what ? none.what : "", none.offset);
        harness_failed++;
    }
    fx_release(&fx);
}

TEST(json_skip_reports_the_same_errors)
{
    // Every case of the accept/reject table, as the value of a skipped root
    // member (before and after a kept one) and as the whole text.
    for (size_t i = 0; i < DS_ARRAY_LEN(cases); i++) {
        for (int fl = 0; fl < 2; fl++) {
            char buf[512];
            int n = snprintf(buf, sizeof buf, "{\"k\": 1, \"s\": %s, \"t\": [2]}", cases[i].text);
            CHECK(n > 0 && (size_t)n < sizeof buf);
            check_skip_same(buf, (size_t)n, fl);
            n = snprintf(buf, sizeof buf, "{\"s\": {\"in\": [%s]}}", cases[i].text);
            check_skip_same(buf, (size_t)n, fl);
            check_skip_same(cases[i].text, strlen(cases[i].text), fl);
        }
    }
    // The errors a skipped value can hold, each checked by name.
    static const struct {
        const char *json;
        enum ds_json_flavor fl;
        const char *what;
        size_t offset;
    } t[] = {
        {"{\"s\": \"a\\qb\", \"k\": 1}", DS_JSON_STRICT, "invalid escape", 8},
        {"{\"s\": [\"\\u12G4\"]}", DS_JSON_STRICT, "invalid escape", 8},
        {"{\"s\": {\"k\\x\": 1}}", DS_JSON_STRICT, "invalid escape", 9},
        {"{\"s\": \"a\x01\"}", DS_JSON_STRICT, "control character in string", 8},
        {"{\"s\": \"abc}", DS_JSON_STRICT, "unterminated string", 6},
        {"{\"s\": [01]}", DS_JSON_STRICT, "invalid number", 7},
        {"{\"s\": {\"a\": 1e}}", DS_JSON_STRICT, "invalid number", 12},
        {"{\"s\": [tru]}", DS_JSON_STRICT, "expected value", 7},
        {"{\"s\": {\"a\" 1}}", DS_JSON_STRICT, "expected ':'", 11},
        {"{\"s\": {1: 2}}", DS_JSON_STRICT, "expected string key", 7},
        {"{\"s\": [1 2]}", DS_JSON_STRICT, "expected ',' or ']'", 9},
        {"{\"s\": [1,]}", DS_JSON_STRICT, "expected value", 9},
        {"{\"s\": [1, /* x */ 2], \"k\": [1 /* y", DS_JSON_JSONC, "unterminated comment", 30},
        {"{\"s\": [1]", DS_JSON_STRICT, "unexpected end of input", 9},
    };
    for (size_t i = 0; i < DS_ARRAY_LEN(t); i++) {
        struct fixture fx;
        struct ds_json *v = NULL;
        struct ds_json_error err = {0};
        fx_init(&fx);
        CHECK_EQ_INT(ds_json_parse_some(ds_str_cstr(t[i].json), t[i].fl, keep_named, "k", &fx.arena,
                                        &v, &err),
                     DS_EPARSE);
        CHECK_EQ_STR(err.what, t[i].what);
        CHECK_EQ_INT(err.offset, t[i].offset);
        fx_release(&fx);
    }
    // The depth bound holds inside a skipped member.
    char deep[DS_MAX_JSON_DEPTH * 2 + 16];
    size_t n = (size_t)snprintf(deep, sizeof deep, "{\"s\": ");
    memset(deep + n, '[', DS_MAX_JSON_DEPTH);
    n += DS_MAX_JSON_DEPTH;
    memset(deep + n, ']', DS_MAX_JSON_DEPTH - 1);
    n += DS_MAX_JSON_DEPTH - 1;
    deep[n++] = '}';
    struct fixture fx;
    struct ds_json *v = NULL;
    struct ds_json_error err = {0};
    fx_init(&fx);
    CHECK_EQ_INT(ds_json_parse_some(ds_str_make(deep, n), DS_JSON_STRICT, keep_none, NULL,
                                    &fx.arena, &v, &err),
                 DS_ELIMIT);
    CHECK_EQ_STR(err.what, "nesting too deep");
    CHECK_EQ_INT(err.offset, 6 + DS_MAX_JSON_DEPTH - 1);
    fx_release(&fx);
}

TEST(json_skip_keeps_only_wanted_members)
{
    struct fixture fx;
    struct ds_json *v = NULL;
    struct ds_json_error err = {0};
    const char *text = "{\"x\": {\"name\": [1, \"s\\n\", {\"z\": null}]}, \"name\": \"a\","
                       " \"y\": -1.5e3, \"n\\u0061me\": {\"k\": [true]}, \"z\": \"\\u00e9\"}";

    fx_init(&fx);
    CHECK_EQ_INT(ds_json_parse_some(ds_str_cstr(text), DS_JSON_STRICT, keep_named, "name",
                                    &fx.arena, &v, &err),
                 DS_OK);
    CHECK_EQ_INT(v->type, DS_JSON_OBJECT);
    // Both "name" members, the escaped spelling too, in source order; the
    // skipped ones' nested "name" is not a root member.
    CHECK_EQ_INT(v->n, 2);
    CHECK(ds_str_eq(v->u.members[0].key, DS_STR("name")));
    CHECK(ds_str_eq(v->u.members[0].value.u.str, DS_STR("a")));
    CHECK(ds_str_eq(v->u.members[1].key, DS_STR("name")));
    CHECK_EQ_INT(v->u.members[1].value.type, DS_JSON_OBJECT);
    const struct ds_json *k = ds_json_get(ds_json_get(v, DS_STR("name")), DS_STR("k"));
    CHECK(k && k->type == DS_JSON_ARRAY && k->n == 1 && k->u.items[0].type == DS_JSON_TRUE);
    CHECK(ds_json_get(v, DS_STR("x")) == NULL);
    // Keys are NUL-terminated copies, as ds_json_parse makes them.
    CHECK_EQ_STR(v->u.members[0].key.ptr, "name");
    CHECK(v->u.members[0].key.ptr < text || v->u.members[0].key.ptr > text + strlen(text));

    // A root that is not an object is built whole.
    CHECK_EQ_INT(ds_json_parse_some(DS_STR("[{\"a\": 1}]"), DS_JSON_STRICT, keep_none, NULL,
                                    &fx.arena, &v, &err),
                 DS_OK);
    CHECK(v->type == DS_JSON_ARRAY && v->n == 1 && ds_json_get(&v->u.items[0], DS_STR("a")));
    // Nothing kept: an empty object.
    CHECK_EQ_INT(
        ds_json_parse_some(ds_str_cstr(text), DS_JSON_STRICT, keep_none, NULL, &fx.arena, &v, &err),
        DS_OK);
    CHECK(v->type == DS_JSON_OBJECT && v->n == 0);
    fx_release(&fx);
}

TEST(json_skip_builds_less)
{
    // The point of skipping: a refused member's strings are not copied.
    struct fixture a, b;
    struct ds_json *v = NULL;
    struct ds_json_error err = {0};
    char text[4096];
    size_t n = (size_t)snprintf(text, sizeof text, "{\"name\": \"p\", \"scripts\": {");
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s\"script%d\": \"run something %d\"",
                              i ? ", " : "", i, i);
    n += (size_t)snprintf(text + n, sizeof text - n, "}}");
    fx_init(&a);
    fx_init(&b);
    CHECK_EQ_INT(ds_json_parse(ds_str_make(text, n), DS_JSON_STRICT, &a.arena, &v, &err), DS_OK);
    CHECK_EQ_INT(ds_json_parse_some(ds_str_make(text, n), DS_JSON_STRICT, keep_named, "name",
                                    &b.arena, &v, &err),
                 DS_OK);
    CHECK(atomic_load(&b.alloc.peak) < atomic_load(&a.alloc.peak));
    fx_release(&a);
    fx_release(&b);
}

TEST(json_oom_every_allocation)
{
    const char *text = "{\"a\": [1, \"x\\n\", {\"b\": null}], \"c\": \"" /* long string */
                       "0123456789012345678901234567890123456789\", \"d\": [[], {}]}";
    struct harness_failing f = {0};
    struct dscan_allocator user = harness_failing_allocator(&f);

    for (f.fail_at = 1;; f.fail_at++) {
        struct ds_alloc a;
        struct ds_arena arena;
        struct ds_json *v = NULL;
        struct ds_json_error err = {0};
        f.count = 0;
        ds_alloc_init(&a, &user, 0);
        // Tiny blocks so the arena allocates more than once.
        ds_arena_init(&arena, &a, 64);
        enum ds_status st =
            ds_json_parse(ds_str_make(text, strlen(text)), DS_JSON_STRICT, &arena, &v, &err);
        ds_arena_release(&arena);
        CHECK_EQ_INT(atomic_load(&a.current), 0);
        if (f.count < f.fail_at) {
            CHECK_EQ_INT(st, DS_OK);
            break;
        }
        CHECK_EQ_INT(st, DS_ENOMEM);
        if (f.fail_at > 1000)
            break;
    }
}
