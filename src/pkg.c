/* package.json facts and Node's exports / imports matching (see pkg.h). The
 * matching follows the algorithm text of Node's ESM resolution docs and, where
 * the text and Node's implementation differ, the implementation: a null
 * inside an array fallback goes on to the next item, and a pattern key needs
 * a match of at least one character. Legacy folder mappings ("./dir/") are
 * honoured, as Vite's resolve.exports does. Known differences from Vite's
 * resolve.exports, where issue 3 asks for Node's rules: a matching condition
 * whose value matches nothing falls through to the next key (resolve.exports
 * fails there); invalid targets ("../x", "./node_modules/x") are rejected and
 * skipped in arrays (resolve.exports takes the first string); the most
 * specific pattern is chosen by PATTERN_KEY_COMPARE (resolve.exports takes
 * the longest key). The differential test against Vite meets none of these
 * in a real app's packages. Recursion here is on the JSON tree,
 * whose depth the reader bounds (DS_MAX_JSON_DEPTH). It does not read files
 * or probe for the target's existence (Node does not either). */
#include "pkg.h"

/* Copies a parsed value into `keep`; depth is bounded by the parser. */
static enum ds_status copy_json(struct ds_arena *keep, const struct ds_json *src,
                                struct ds_json *dst)
{
    enum ds_status st;

    *dst = *src;
    switch (src->type) {
    case DS_JSON_STRING: return ds_arena_strdup(keep, src->u.str, &dst->u.str);
    case DS_JSON_ARRAY:
        dst->u.items = src->n ? ds_arena_alloc(keep, src->n * sizeof *dst->u.items) : NULL;
        if (src->n && !dst->u.items)
            return DS_ENOMEM;
        for (uint32_t i = 0; i < src->n; i++) {
            st = copy_json(keep, &src->u.items[i], &dst->u.items[i]);
            if (st != DS_OK)
                return st;
        }
        return DS_OK;
    case DS_JSON_OBJECT:
        dst->u.members = src->n ? ds_arena_alloc(keep, src->n * sizeof *dst->u.members) : NULL;
        if (src->n && !dst->u.members)
            return DS_ENOMEM;
        for (uint32_t i = 0; i < src->n; i++) {
            st = ds_arena_strdup(keep, src->u.members[i].key, &dst->u.members[i].key);
            if (st == DS_OK)
                st = copy_json(keep, &src->u.members[i].value, &dst->u.members[i].value);
            if (st != DS_OK)
                return st;
        }
        return DS_OK;
    default: return DS_OK;
    }
}

struct wanted_fields {
    const struct ds_str *items;
    size_t n;
};

/* The JSON reader's `keep` test: only these members of a package.json are built. */
static bool wanted(const void *ctx, struct ds_str key)
{
    const struct wanted_fields *fields = ctx;
    static const struct ds_str always[] = {
        DS_STR("name"),    DS_STR("type"),    DS_STR("main"),
        DS_STR("exports"), DS_STR("imports"), DS_STR("browser"),
    };
    for (size_t i = 0; i < DS_ARRAY_LEN(always); i++)
        if (ds_str_eq(key, always[i]))
            return true;
    for (size_t i = 0; i < fields->n; i++)
        if (ds_str_eq(key, fields->items[i]))
            return true;
    return false;
}

/* The named facts of a package, found in its kept members. */
static void derive(struct ds_pkg *pkg)
{
    const struct ds_json *v = ds_json_get(pkg->facts, DS_STR("exports"));
    // `"exports": null` means no exports at all (Node: "not null or undefined").
    pkg->exports = v && v->type != DS_JSON_NULL ? v : NULL;
    v = ds_json_get(pkg->facts, DS_STR("imports"));
    pkg->imports = v && v->type == DS_JSON_OBJECT ? v : NULL;
    v = ds_json_get(pkg->facts, DS_STR("browser"));
    pkg->browser = v && (v->type == DS_JSON_STRING || v->type == DS_JSON_OBJECT) ? v : NULL;
    v = ds_json_get(pkg->facts, DS_STR("name"));
    if (v && v->type == DS_JSON_STRING)
        pkg->name = v->u.str;
    v = ds_json_get(pkg->facts, DS_STR("type"));
    pkg->type_module = v && v->type == DS_JSON_STRING && ds_str_eq(v->u.str, DS_STR("module"));
}

enum ds_status ds_pkg_copy(struct ds_arena *keep, const struct ds_pkg *src, struct ds_pkg *out)
{
    struct ds_pkg pkg = {0};

    pkg.facts = ds_arena_alloc(keep, sizeof *pkg.facts);
    if (!pkg.facts)
        return DS_ENOMEM;
    enum ds_status st = copy_json(keep, src->facts, pkg.facts);
    if (st != DS_OK)
        return st;
    derive(&pkg);
    *out = pkg;
    return DS_OK;
}

enum ds_status ds_pkg_parse(struct ds_str text, const struct ds_str *fields, size_t n_fields,
                            struct ds_arena *arena, struct ds_pkg *out, struct ds_json_error *err)
{
    struct ds_json *root;
    struct ds_pkg pkg = {0};
    const struct wanted_fields want = {fields, n_fields};
    enum ds_status st = ds_json_parse_some(text, DS_JSON_STRICT, wanted, &want, arena, &root, err);

    if (st != DS_OK)
        return st;
    if (root->type != DS_JSON_OBJECT) {
        // `[]`, `"x"` or `42` is valid JSON but no package.json: Node refuses
        // it (ERR_INVALID_PACKAGE_CONFIG), so say so; the caller then treats
        // the package as declaring nothing (hostile_package_json_not_an_object).
        size_t at = ds_str_starts_with(text, DS_STR("\xef\xbb\xbf")) ? 3 : 0;
        unsigned line = 1, col = 1;
        for (; at < text.len && (text.ptr[at] == ' ' || text.ptr[at] == '\t' ||
                                 text.ptr[at] == '\n' || text.ptr[at] == '\r');
             at++) {
            col = text.ptr[at] == '\n' ? 1 : col + 1;
            line += text.ptr[at] == '\n';
        }
        *err = (struct ds_json_error){at, line, col, "expected an object"};
        return DS_EPARSE;
    }
    // The reader built only the wanted members: the root is the facts.
    pkg.facts = root;
    derive(&pkg);
    *out = pkg;
    return DS_OK;
}

struct ds_str ds_pkg_string(const struct ds_pkg *pkg, struct ds_str field)
{
    const struct ds_json *v = ds_json_get(pkg->facts, field);
    return v && v->type == DS_JSON_STRING ? v->u.str : ds_str_make(NULL, 0);
}

const char *ds_pkg_match_name(enum ds_pkg_match m)
{
    switch (m) {
    case DS_PKG_FOUND: return "found";
    case DS_PKG_NOT_EXPORTED: return "not exported";
    case DS_PKG_INVALID_TARGET: return "invalid package target";
    case DS_PKG_INVALID_CONFIG: return "invalid package configuration";
    case DS_PKG_INVALID_SPECIFIER: return "invalid module specifier";
    }
    return "?";
}

int ds_pkg_pattern_key_compare(struct ds_str a, struct ds_str b)
{
    size_t ia = ds_str_find(a, '*'), ib = ds_str_find(b, '*');
    size_t base_a = ia == a.len ? a.len : ia + 1;
    size_t base_b = ib == b.len ? b.len : ib + 1;

    if (base_a > base_b)
        return -1;
    if (base_b > base_a)
        return 1;
    if (ia == a.len)
        return 1;
    if (ib == b.len)
        return -1;
    if (a.len > b.len)
        return -1;
    if (b.len > a.len)
        return 1;
    return 0;
}

/* ---- matching --------------------------------------------------------- */

/* Internal outcomes: Node distinguishes undefined (try the next condition)
 * from null (stop: not exported). */
enum tres { T_FOUND, T_UNDEF, T_NULL, T_INVALID_TARGET, T_INVALID_CONFIG, T_INVALID_SPEC };

struct target_ctx {
    const struct ds_pkg_conds *conds;
    bool is_imports;
    bool folder; /* matched a legacy "./dir/" key: the target gets the rest appended */
    char *buf;
    size_t cap;
    struct ds_str out;
    bool is_bare;
};

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* Is this segment ".", ".." or "node_modules", case-insensitively and with
 * percent-encoded letters decoded (Node's invalid-segment check)? */
static bool bad_segment(struct ds_str seg)
{
    char dec[16];
    size_t n = 0;

    for (size_t i = 0; i < seg.len; i++) {
        char c = seg.ptr[i];
        if (c == '%' && i + 2 < seg.len) {
            int h = ds_hex_digit(seg.ptr[i + 1]), l = ds_hex_digit(seg.ptr[i + 2]);
            if (h >= 0 && l >= 0) {
                c = (char)(h * 16 + l);
                i += 2;
            }
        }
        if (n == sizeof dec)
            return false;
        dec[n++] = lower(c);
    }
    struct ds_str d = ds_str_make(dec, n);
    return ds_str_eq(d, DS_STR(".")) || ds_str_eq(d, DS_STR("..")) ||
           ds_str_eq(d, DS_STR("node_modules"));
}

static bool has_bad_segment(struct ds_str s)
{
    size_t start = 0;
    for (size_t i = 0; i <= s.len; i++) {
        if (i == s.len || s.ptr[i] == '/' || s.ptr[i] == '\\') {
            if (bad_segment(ds_str_slice(s, start, i)))
                return true;
            start = i + 1;
        }
    }
    return false;
}

/* Does the string look like a URL ("scheme:")? Such import targets are not bare. */
static bool is_url(struct ds_str s)
{
    if (!s.len || !((s.ptr[0] | 32) >= 'a' && (s.ptr[0] | 32) <= 'z'))
        return false;
    for (size_t i = 1; i < s.len; i++) {
        char c = s.ptr[i];
        if (c == ':')
            return true;
        if (!((c | 32) >= 'a' && (c | 32) <= 'z') && !(c >= '0' && c <= '9') && c != '+' &&
            c != '-' && c != '.')
            return false;
    }
    return false;
}

/* target with every '*' replaced by `match` (or as is when match is NULL);
 * for a folder mapping, target + match. */
static enum tres substitute(struct target_ctx *t, struct ds_str target, const struct ds_str *match)
{
    size_t n = 0;

    if (t->folder && match) {
        if (!target.len || target.ptr[target.len - 1] != '/')
            return T_INVALID_TARGET;
        if (target.len + match->len >= t->cap)
            return T_INVALID_TARGET;
        memcpy(t->buf, target.ptr, target.len);
        memcpy(t->buf + target.len, match->ptr, match->len);
        n = target.len + match->len;
        t->buf[n] = '\0';
        t->out = ds_str_make(t->buf, n);
        return T_FOUND;
    }
    for (size_t i = 0; i < target.len; i++) {
        if (match && target.ptr[i] == '*') {
            if (n + match->len >= t->cap)
                return T_INVALID_TARGET;
            memcpy(t->buf + n, match->ptr, match->len);
            n += match->len;
        } else {
            if (n + 1 >= t->cap)
                return T_INVALID_TARGET;
            t->buf[n++] = target.ptr[i];
        }
    }
    t->buf[n] = '\0';
    t->out = ds_str_make(t->buf, n);
    return T_FOUND;
}

static bool is_array_index(struct ds_str key)
{
    if (!key.len)
        return false;
    for (size_t i = 0; i < key.len; i++)
        if (key.ptr[i] < '0' || key.ptr[i] > '9')
            return false;
    return true;
}

static bool cond_active(const struct ds_pkg_conds *c, struct ds_str key)
{
    if (ds_str_eq(key, DS_STR("default")))
        return true;
    for (size_t i = 0; i < c->n; i++)
        if (ds_str_eq(c->items[i], key))
            return true;
    return false;
}

/* PACKAGE_TARGET_RESOLVE. */
static enum tres target_resolve(struct target_ctx *t, const struct ds_json *target,
                                const struct ds_str *match)
{
    switch (target->type) {
    case DS_JSON_STRING: {
        struct ds_str s = target->u.str;
        if (!ds_str_starts_with(s, DS_STR("./"))) {
            // Only `imports` may point at another package ("#dep": "dep/x").
            if (t->is_imports && !ds_str_starts_with(s, DS_STR("../")) &&
                !ds_str_starts_with(s, DS_STR("/")) && !is_url(s)) {
                enum tres r = substitute(t, s, match);
                t->is_bare = true;
                return r;
            }
            return T_INVALID_TARGET;
        }
        if (has_bad_segment(ds_str_slice(s, 2, s.len)))
            return T_INVALID_TARGET;
        if (match && has_bad_segment(*match))
            return T_INVALID_SPEC;
        t->is_bare = false;
        return substitute(t, s, match);
    }
    case DS_JSON_OBJECT:
        for (uint32_t i = 0; i < target->n; i++)
            if (is_array_index(target->u.members[i].key))
                return T_INVALID_CONFIG;
        for (uint32_t i = 0; i < target->n; i++) {
            const struct ds_json_member *m = &target->u.members[i];
            if (!cond_active(t->conds, m->key))
                continue;
            enum tres r = target_resolve(t, &m->value, match);
            if (r == T_UNDEF)
                continue;
            return r;
        }
        return T_UNDEF;
    case DS_JSON_ARRAY: {
        if (target->n == 0)
            return T_NULL;
        enum tres last = T_UNDEF;
        for (uint32_t i = 0; i < target->n; i++) {
            enum tres r = target_resolve(t, &target->u.items[i], match);
            if (r == T_INVALID_TARGET || r == T_NULL) {
                last = r;
                continue;
            }
            if (r == T_UNDEF)
                continue;
            return r;
        }
        return last;
    }
    case DS_JSON_NULL: return T_NULL;
    default: return T_INVALID_TARGET;
    }
}

static enum ds_pkg_match finish(enum tres r)
{
    switch (r) {
    case T_FOUND: return DS_PKG_FOUND;
    case T_INVALID_TARGET: return DS_PKG_INVALID_TARGET;
    case T_INVALID_CONFIG: return DS_PKG_INVALID_CONFIG;
    case T_INVALID_SPEC: return DS_PKG_INVALID_SPECIFIER;
    default: return DS_PKG_NOT_EXPORTED;
    }
}

/* PACKAGE_IMPORTS_EXPORTS_RESOLVE: an exact key, else the most specific
 * single-'*' pattern key (PATTERN_KEY_COMPARE) that matches. */
static enum tres map_resolve(struct target_ctx *t, struct ds_str key, const struct ds_json *obj)
{
    const struct ds_json *exact = NULL;
    bool trailing_slash = key.len && key.ptr[key.len - 1] == '/';

    if (ds_str_find(key, '*') == key.len && !trailing_slash) {
        for (uint32_t i = 0; i < obj->n; i++)
            if (ds_str_eq(obj->u.members[i].key, key))
                exact = &obj->u.members[i].value; // the last duplicate wins, as in JSON.parse
        if (exact)
            return target_resolve(t, exact, NULL);
    }
    const struct ds_json_member *best = NULL;
    struct ds_str best_match = {0};
    bool best_folder = false;
    for (uint32_t i = 0; i < obj->n; i++) {
        struct ds_str k = obj->u.members[i].key;
        size_t star = ds_str_find(k, '*');
        // Legacy folder mappings ("./dir/": "./lib/"): gone from Node since
        // v17, still honoured by Vite (resolve.exports), so kept here.
        if (star == k.len && k.len && k.ptr[k.len - 1] == '/' && key.len > k.len &&
            ds_str_starts_with(key, k)) {
            if (best && ds_pkg_pattern_key_compare(best->key, k) != 1)
                continue;
            best = &obj->u.members[i];
            best_match = ds_str_slice(key, k.len, key.len);
            best_folder = true;
            continue;
        }
        if (star == k.len || ds_str_rfind(k, '*') != star)
            continue;
        struct ds_str base = ds_str_slice(k, 0, star), trailer = ds_str_slice(k, star + 1, k.len);
        if (!ds_str_starts_with(key, base) || key.len < k.len || !ds_str_ends_with(key, trailer))
            continue;
        if (best && ds_pkg_pattern_key_compare(best->key, k) != 1)
            continue;
        best = &obj->u.members[i];
        best_match = ds_str_slice(key, star, key.len - trailer.len);
        best_folder = false;
    }
    if (!best)
        return T_NULL;
    t->folder = best_folder;
    return target_resolve(t, &best->value, &best_match);
}

enum ds_pkg_match ds_pkg_exports_match(const struct ds_json *exports, struct ds_str subpath,
                                       const struct ds_pkg_conds *conds, char *buf, size_t cap,
                                       struct ds_str *out)
{
    struct target_ctx t = {.conds = conds, .buf = buf, .cap = cap};
    bool dot_keys = false, other_keys = false;
    enum tres r = T_UNDEF;

    if (!exports || cap < 2)
        return DS_PKG_NOT_EXPORTED;
    if (exports->type == DS_JSON_OBJECT) {
        for (uint32_t i = 0; i < exports->n; i++) {
            struct ds_str k = exports->u.members[i].key;
            if (k.len && k.ptr[0] == '.')
                dot_keys = true;
            else
                other_keys = true;
        }
        if (dot_keys && other_keys)
            return DS_PKG_INVALID_CONFIG;
    }
    if (ds_str_eq(subpath, DS_STR("."))) {
        const struct ds_json *main = exports;
        if (dot_keys)
            main = ds_json_get(exports, DS_STR("."));
        if (main)
            r = target_resolve(&t, main, NULL);
    } else if (dot_keys) {
        r = map_resolve(&t, subpath, exports);
    }
    if (r == T_FOUND)
        *out = t.out;
    return finish(r);
}

enum ds_pkg_match ds_pkg_imports_match(const struct ds_json *imports, struct ds_str specifier,
                                       const struct ds_pkg_conds *conds, char *buf, size_t cap,
                                       struct ds_str *out, bool *is_bare)
{
    struct target_ctx t = {.conds = conds, .is_imports = true, .buf = buf, .cap = cap};

    if (ds_str_eq(specifier, DS_STR("#")) || ds_str_starts_with(specifier, DS_STR("#/")) ||
        (specifier.len && specifier.ptr[specifier.len - 1] == '/'))
        return DS_PKG_INVALID_SPECIFIER;
    if (!imports || imports->type != DS_JSON_OBJECT || cap < 2)
        return DS_PKG_NOT_EXPORTED;
    enum tres r = map_resolve(&t, specifier, imports);
    if (r == T_FOUND) {
        *out = t.out;
        *is_bare = t.is_bare;
    }
    return finish(r);
}
