/* Lexical path operations: no filesystem access, no allocation (except
 * ds_path_resolve_in, which copies into an arena). Every absolute path the
 * scan, the resolver, the fs layer and the config compare is produced by
 * ds_path_join, so there is one normal form: absolute, no "." / ".." / empty
 * segment, no trailing '/' (the root is "/"). Node's path.resolve and
 * path.relative are the reference (tests/test_core.c has their vectors). */
#ifndef DS_PATH_H
#define DS_PATH_H

#include "arena.h"

/* Writes the normal form of `base` + "/" + `rel` (or of `rel` alone when it
 * starts with '/') into buf, resolving "." and ".." lexically as Node's
 * path.resolve(base, rel) does (".." above the root stays at the root).
 * `base` should be absolute; a relative one is taken from "/". false when
 * the result, or a segment on the way that a later ".." removes, does not
 * fit in `cap` bytes with its NUL. */
bool ds_path_join(struct ds_str base, struct ds_str rel, char *buf, size_t cap, struct ds_str *out);

/* ds_path_join for a caller that knows whether `base` is in normal form
 * (base_is_normal must be ds_path_is_normal(base)): the check, a walk of
 * base, is not made again for each of its joins. */
bool ds_path_join_at(struct ds_str base, bool base_is_normal, struct ds_str rel, char *buf,
                     size_t cap, struct ds_str *out);

/* ds_path_join into `arena` (NUL-terminated). DS_ELIMIT when the result is
 * longer than DS_MAX_PATH, DS_ENOMEM. */
DS_MUST_CHECK enum ds_status ds_path_resolve_in(struct ds_arena *arena, struct ds_str base,
                                                struct ds_str rel, struct ds_str *out);

/* The directory part of a normalised absolute path ("/a/b" -> "/a",
 * "/a" -> "/", "/" -> "/"). Points into `path`. */
struct ds_str ds_path_dirname(struct ds_str path);

/* Node's path.relative(from, to) for two normalised absolute paths: "" when
 * they are equal, else the "../" steps up from `from` to the common ancestor
 * followed by the rest of `to`, no trailing '/'. false when it does not fit. */
bool ds_path_relative(struct ds_str from, struct ds_str to, char *buf, size_t cap,
                      struct ds_str *out);

/* "." or "..", or starts with "./" or "../": relative to the importer (or
 * to the config's root), as opposed to absolute or bare. */
bool ds_path_is_relative(struct ds_str s);

/* Is `p` already in normal form? Inline: every join asks it first, and
 * real paths almost always are (a copy instead of a segment walk). */
static inline bool ds_path_is_normal(struct ds_str p)
{
    if (p.len == 0 || p.ptr[0] != '/')
        return false;
    if (p.len == 1)
        return true;
    if (p.ptr[p.len - 1] == '/')
        return false;
    for (const char *s = p.ptr, *end = p.ptr + p.len; s && s < end;) {
        // s points at a '/': look at the segment after it.
        const char *a = s + 1;
        if (a == end || *a == '/')
            return false;
        if (*a == '.' &&
            (a + 1 == end || a[1] == '/' || (a[1] == '.' && (a + 2 == end || a[2] == '/'))))
            return false;
        s = memchr(a, '/', (size_t)(end - a));
    }
    return true;
}

/* dir + "/" + name as a C string in buf (dir "/" gives "/name"); false when
 * it does not fit. Neither is normalised: `dir` is, `name` is one entry. */
bool ds_path_join_name(struct ds_str dir, struct ds_str name, char *buf, size_t cap);

#endif
