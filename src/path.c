/* Lexical paths (path.h). One segment walker serves every join: the
 * resolver's probes, symlink targets, config and tsconfig paths. */
#include "path.h"

bool ds_path_join(struct ds_str base, struct ds_str rel, char *buf, size_t cap, struct ds_str *out)
{
    // Real paths almost always are normal already, and then the join copies
    // them whole instead of walking them segment by segment (which was 6 %
    // of a scan's instructions).
    bool normal = !(rel.len && rel.ptr[0] == '/') && base.len < cap && ds_path_is_normal(base);
    return ds_path_join_at(base, normal, rel, buf, cap, out);
}

bool ds_path_join_at(struct ds_str base, bool base_is_normal, struct ds_str rel, char *buf,
                     size_t cap, struct ds_str *out)
{
    size_t n = 0;
    bool copied = false;

    if (cap < 2)
        return false;
    if (!(rel.len && rel.ptr[0] == '/') && base.len < cap && base_is_normal) {
        ds_copy(buf, base.ptr, base.len);
        n = base.len;
        copied = true;
    } else {
        buf[n++] = '/';
    }
    // Two passes over the same segment walker: base (unless rel is absolute
    // or base was copied whole), then rel.
    for (int pass = 0; pass < 2; pass++) {
        struct ds_str s = pass == 0 ? base : rel;
        if (pass == 0 && (copied || (rel.len && rel.ptr[0] == '/')))
            continue;
        size_t i = 0;
        while (i < s.len) {
            while (i < s.len && s.ptr[i] == '/')
                i++;
            size_t start = i;
            i = start + ds_str_find(ds_str_slice(s, start, s.len), '/');
            size_t seg = i - start;
            if (seg == 0 || (seg == 1 && s.ptr[start] == '.'))
                continue;
            if (seg == 2 && s.ptr[start] == '.' && s.ptr[start + 1] == '.') {
                // ".." above the root stays at the root, as path.resolve does.
                while (n > 1 && buf[n - 1] != '/')
                    n--;
                if (n > 1)
                    n--;
                continue;
            }
            if (n > 1)
                buf[n++] = '/';
            if (n + seg + 1 > cap)
                return false;
            ds_copy(buf + n, s.ptr + start, seg);
            n += seg;
        }
    }
    buf[n] = '\0';
    *out = ds_str_make(buf, n);
    return true;
}

enum ds_status ds_path_resolve_in(struct ds_arena *arena, struct ds_str base, struct ds_str rel,
                                  struct ds_str *out)
{
    char buf[DS_MAX_PATH + 1];
    struct ds_str p;

    if (!ds_path_join(base, rel, buf, sizeof buf, &p))
        return DS_ELIMIT;
    return ds_arena_strdup(arena, p, out);
}

struct ds_str ds_path_dirname(struct ds_str path)
{
    size_t i = ds_str_rfind(path, '/');
    if (i == path.len || i == 0)
        return DS_STR("/");
    return ds_str_slice(path, 0, i);
}

bool ds_path_relative(struct ds_str from, struct ds_str to, char *buf, size_t cap,
                      struct ds_str *out)
{
    size_t common = 0, n = 0;

    if (cap < 1)
        return false;
    // The longest common prefix that ends at a segment boundary of both.
    size_t lim = from.len < to.len ? from.len : to.len;
    for (size_t i = 0; i <= lim; i++) {
        bool fend = i == from.len || from.ptr[i] == '/';
        bool tend = i == to.len || to.ptr[i] == '/';
        if (fend && tend)
            common = i;
        if (i == lim || from.ptr[i] != to.ptr[i])
            break;
    }
    // One ".." per segment of `from` past the common prefix.
    for (size_t i = common; i < from.len; i++) {
        if (from.ptr[i] == '/' || (i > common && from.ptr[i - 1] != '/'))
            continue; // not the first byte of a segment
        if (n + 3 + 1 > cap)
            return false;
        if (n)
            buf[n++] = '/';
        buf[n++] = '.';
        buf[n++] = '.';
    }
    struct ds_str rest = ds_str_slice(to, common, to.len);
    while (rest.len && rest.ptr[0] == '/')
        rest = ds_str_slice(rest, 1, rest.len);
    if (rest.len) {
        if (n + 1 + rest.len + 1 > cap)
            return false;
        if (n)
            buf[n++] = '/';
        memcpy(buf + n, rest.ptr, rest.len);
        n += rest.len;
    }
    buf[n] = '\0';
    *out = ds_str_make(buf, n);
    return true;
}

bool ds_path_is_relative(struct ds_str s)
{
    return ds_str_eq(s, DS_STR(".")) || ds_str_eq(s, DS_STR("..")) ||
           ds_str_starts_with(s, DS_STR("./")) || ds_str_starts_with(s, DS_STR("../"));
}

bool ds_path_join_name(struct ds_str dir, struct ds_str name, char *buf, size_t cap)
{
    size_t n = dir.len == 1 ? 0 : dir.len;
    if (n + 1 + name.len + 1 > cap)
        return false;
    ds_copy(buf, dir.ptr, n);
    buf[n] = '/';
    ds_copy(buf + n + 1, name.ptr, name.len);
    buf[n + 1 + name.len] = '\0';
    return true;
}
