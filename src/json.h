/* A small JSON / JSONC reader for package.json, tsconfig.json and dscan.json:
 * parses into a tree in a caller's arena, keeping object members in source
 * order (package `exports` depend on key order). Bounded: nesting depth
 * DS_MAX_JSON_DEPTH, no recursion on input depth. It does not write JSON. */
#ifndef DS_JSON_H
#define DS_JSON_H

#include "arena.h"

enum ds_json_type {
    DS_JSON_NULL = 0,
    DS_JSON_FALSE,
    DS_JSON_TRUE,
    DS_JSON_NUMBER,
    DS_JSON_STRING,
    DS_JSON_ARRAY,
    DS_JSON_OBJECT,
};

struct ds_json_member;

struct ds_json {
    enum ds_json_type type;
    uint32_t n; /* ARRAY: items, OBJECT: members */
    union {
        double num;
        struct ds_str str; /* unescaped, NUL-terminated, in the arena */
        struct ds_json *items;
        struct ds_json_member *members;
    } u;
};

struct ds_json_member {
    struct ds_str key; /* unescaped */
    struct ds_json value;
};

struct ds_json_error {
    size_t offset;
    unsigned line, col; /* 1-based */
    const char *what;   /* static text: "expected ','", "nesting too deep" … */
};

enum ds_json_flavor {
    DS_JSON_STRICT = 0, /* package.json */
    DS_JSON_JSONC,      /* tsconfig.json, dscan.json: comments and trailing commas */
};

/* Parses `text` into *out (allocated in `arena`). DS_EPARSE / DS_ELIMIT fill
 * *err; DS_ENOMEM. Thread-safe. */
DS_MUST_CHECK enum ds_status ds_json_parse(struct ds_str text, enum ds_json_flavor flavor,
                                           struct ds_arena *arena, struct ds_json **out,
                                           struct ds_json_error *err);

/* Says whether the root object's member `key` (unescaped) is wanted. */
typedef bool (*ds_json_keep_fn)(const void *ctx, struct ds_str key);

/* ds_json_parse, except that of the root object only the members `keep`
 * accepts are built (in source order, duplicates included). A refused
 * member's value is read as strictly as any other, so malformed text inside
 * it fails the parse with the same error at the same place; it is only not
 * kept. A root that is not an object is built whole. */
DS_MUST_CHECK enum ds_status ds_json_parse_some(struct ds_str text, enum ds_json_flavor flavor,
                                                ds_json_keep_fn keep, const void *keep_ctx,
                                                struct ds_arena *arena, struct ds_json **out,
                                                struct ds_json_error *err);

/* The value of member `key` of an object, or NULL (also when `obj`
 * is NULL or not an object). With duplicate keys the last one wins, as in
 * JSON.parse. */
const struct ds_json *ds_json_get(const struct ds_json *obj, struct ds_str key);

#endif
