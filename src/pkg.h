/* package.json facts and Node's package maps. A package.json is parsed once
 * and reduced to what resolution needs (name, type, main fields, browser,
 * exports, imports), copied into the resolver's arena; the rest of the file
 * is dropped. `exports` / `imports` matching follows Node's
 * PACKAGE_EXPORTS_RESOLVE, PACKAGE_IMPORTS_RESOLVE, PACKAGE_TARGET_RESOLVE
 * and PATTERN_KEY_COMPARE, including the invalid-target checks. It does not
 * touch the filesystem. */
#ifndef DS_PKG_H
#define DS_PKG_H

#include "json.h"

struct ds_pkg {
    struct ds_json *facts; /* object holding only the kept members, in the resolver's arena */
    const struct ds_json *exports; /* NULL: absent */
    const struct ds_json *imports; /* NULL: absent or not an object */
    const struct ds_json *browser; /* string or object; NULL: absent or another type */
    struct ds_str name;            /* empty when absent */
    bool type_module;
};

/* Parses the text of a package.json (strict JSON) into `arena`, building
 * only the members kept as facts: besides the fields above, the top-level
 * members named in `fields` (main fields, "main"); the rest of the file is
 * checked but not built. DS_EPARSE / DS_ELIMIT fill *err (valid JSON that
 * is not an object: DS_EPARSE, "expected an object"); DS_ENOMEM.
 * Thread-safe for distinct arenas. */
DS_MUST_CHECK enum ds_status ds_pkg_parse(struct ds_str text, const struct ds_str *fields,
                                          size_t n_fields, struct ds_arena *arena,
                                          struct ds_pkg *out, struct ds_json_error *err);

/* A deep copy of `src`'s facts into `keep`: the resolver parses a
 * package.json into its own scratch arena without its lock, and keeps the
 * (small) facts with this under the lock. */
DS_MUST_CHECK enum ds_status ds_pkg_copy(struct ds_arena *keep, const struct ds_pkg *src,
                                         struct ds_pkg *out);

/* A kept top-level string member ("main", "module" …); empty when absent or not a string. */
struct ds_str ds_pkg_string(const struct ds_pkg *pkg, struct ds_str field);

/* The active conditions, in any order: the environment's, plus "import" or
 * "require", "default" and the mode's. Object key order decides the match. */
struct ds_pkg_conds {
    const struct ds_str *items;
    size_t n;
};

enum ds_pkg_match {
    DS_PKG_FOUND = 0,         /* *out is the target */
    DS_PKG_NOT_EXPORTED,      /* no key or condition matched, or the target is null */
    DS_PKG_INVALID_TARGET,    /* e.g. "../x", "./node_modules/x", a number */
    DS_PKG_INVALID_CONFIG,    /* "." keys mixed with condition keys, array-index keys */
    DS_PKG_INVALID_SPECIFIER, /* the "*" match has ".", ".." or node_modules segments; "#", "#/x" */
};

/* Node's PACKAGE_EXPORTS_RESOLVE: `subpath` is "." or "./x". On DS_PKG_FOUND
 * *out is the target ("./dist/x.js", pattern substituted) written into buf
 * (NUL-terminated). No recursion beyond the JSON's own depth bound. */
enum ds_pkg_match ds_pkg_exports_match(const struct ds_json *exports, struct ds_str subpath,
                                       const struct ds_pkg_conds *conds, char *buf, size_t cap,
                                       struct ds_str *out);

/* Node's PACKAGE_IMPORTS_RESOLVE against a package's `imports` object:
 * `specifier` starts with '#'. A target may be a bare specifier ("#dep":
 * "lodash"); then *is_bare is set and the caller resolves it as a package. */
enum ds_pkg_match ds_pkg_imports_match(const struct ds_json *imports, struct ds_str specifier,
                                       const struct ds_pkg_conds *conds, char *buf, size_t cap,
                                       struct ds_str *out, bool *is_bare);

/* Node's PATTERN_KEY_COMPARE: <0 when a is more specific than b. */
int ds_pkg_pattern_key_compare(struct ds_str a, struct ds_str b);

const char *ds_pkg_match_name(enum ds_pkg_match m);

#endif
