/* Glob matching (glob.h): tsconfig `include`/`exclude` and package.json
 * `sideEffects`, each as the tool that reads it in the build does.
 *
 * Why two matchers and not one with flags. The dialects agree on '*' and
 * '?' (one segment) and on a whole "**" segment, and differ where a flag
 * would not be a branch but another loop:
 * - TypeScript (and oxc-resolver, which Vite 8 runs) read "**" only as a
 *   whole segment matching zero or more segments, so a trailing "**"
 *   segment also matches the directory before it, and "a**b" is "a*b".
 *   esbuild turns any "**" into ".*": in sideEffects "a**b" crosses '/',
 *   and a trailing "**" needs at least the '/' before it.
 * - sideEffects has `{a,b}` (webpack's glob-to-regexp, Vite's picomatch),
 *   a file-name rule for patterns without '/', and may give up: a pattern
 *   it cannot read counts as a match, because keeping a file is sound.
 *   A tsconfig answer must be exact, for a path of any length, since it
 *   decides which config resolves an importer.
 * So tsconfig globs are matched segment by segment with one backtrack point
 * (no buffer, no length limit), and sideEffects globs byte by byte with a
 * row of booleans (len(pattern) x len(path), which lets "**" stop inside a
 * segment) over each brace expansion. tests/test_glob.c pins both,
 * including the cases where they differ.
 *
 * Not here: which files a tsconfig owns (tsconfig_set.c: `files`, the
 * extension gate, allowJs) and where a package's sideEffects come from
 * (precise.c). */
#include <string.h>

#include "glob.h"

/* ---- tsconfig include/exclude ---------------------------------------------- */

/* One segment against one pattern segment: '*' any run, '?' one byte.
 * The classic iterative matcher (one backtrack point suffices for '*'). */
static bool seg_match(struct ds_str p, struct ds_str s)
{
    size_t pi = 0, si = 0, star = SIZE_MAX, mark = 0;
    while (si < s.len) {
        if (pi < p.len && (p.ptr[pi] == '?' || p.ptr[pi] == s.ptr[si])) {
            pi++;
            si++;
        } else if (pi < p.len && p.ptr[pi] == '*') {
            star = pi++;
            mark = si;
        } else if (star != SIZE_MAX) {
            pi = star + 1;
            si = ++mark;
        } else {
            return false;
        }
    }
    while (pi < p.len && p.ptr[pi] == '*')
        pi++;
    return pi == p.len;
}

/* The next '/'-separated segment of `s` from *at (skipping the separator). */
static bool next_seg(struct ds_str s, size_t *at, struct ds_str *seg)
{
    if (*at >= s.len)
        return false;
    if (s.ptr[*at] == '/')
        (*at)++;
    size_t end = *at + ds_str_find(ds_str_slice(s, *at, s.len), '/');
    *seg = ds_str_slice(s, *at, end);
    *at = end;
    return true;
}

static bool tsconfig_match(struct ds_str pattern, struct ds_str path)
{
    // The same algorithm one level up: segments are the units and a "**"
    // segment the star; a mismatch after it retries one segment further.
    size_t pi = 0, si = 0, star_p = SIZE_MAX, mark_s = 0;
    struct ds_str ps, ss;

    for (;;) {
        size_t pj = pi, sj = si;
        bool has_p = next_seg(pattern, &pj, &ps), has_s = next_seg(path, &sj, &ss);
        if (!has_s) {
            // Only "**" segments may be left.
            while (has_p && ds_str_eq(ps, DS_STR("**"))) {
                pi = pj;
                has_p = next_seg(pattern, &pj, &ps);
            }
            return !has_p;
        }
        if (has_p && ds_str_eq(ps, DS_STR("**"))) {
            star_p = pi = pj;
            mark_s = si;
            continue;
        }
        if (has_p && seg_match(ps, ss)) {
            pi = pj;
            si = sj;
            continue;
        }
        if (star_p == SIZE_MAX)
            return false;
        size_t mj = mark_s;
        if (!next_seg(path, &mj, &ss))
            return false;
        mark_s = si = mj;
        pi = star_p;
    }
}

enum ds_status ds_glob_tsconfig_entry(struct ds_arena *arena, struct ds_str entry,
                                      struct ds_str *out)
{
    struct ds_str last = ds_str_slice(entry, ds_str_rfind(entry, '/') + 1, entry.len);

    if (ds_str_find(last, '.') != last.len || ds_str_find(last, '*') != last.len ||
        ds_str_find(last, '?') != last.len) {
        *out = entry;
        return DS_OK;
    }
    char *g = ds_arena_printf(arena, "%.*s%s", DS_STR_FMT(entry),
                              ds_str_ends_with(entry, DS_STR("/")) ? "**/*" : "/**/*");
    if (!g)
        return DS_ENOMEM;
    *out = ds_str_cstr(g);
    return DS_OK;
}

bool ds_glob_tsconfig_by_name(struct ds_str pattern)
{
    struct ds_str last = ds_str_slice(pattern, ds_str_rfind(pattern, '/') + 1, pattern.len);

    if (ds_str_eq(last, DS_STR("*")) || ds_str_eq(last, DS_STR("**")))
        return false;
    // "*.ts": decided by the extension alone.
    struct ds_str ext = ds_str_slice(last, last.len >= 2 ? 2 : last.len, last.len);
    return !(ds_str_starts_with(last, DS_STR("*.")) && ext.len &&
             ds_str_find(ext, '.') == ext.len && ds_str_find(ext, '*') == ext.len &&
             ds_str_find(ext, '?') == ext.len);
}

/* ---- package.json sideEffects ---------------------------------------------- */

#define MAX_GLOB        512 /* longer sideEffects patterns count as a match */
#define MAX_BRACE_DEPTH 4   /* brace groups expanded per pattern; more: a match */

/* Does glob `p` match `s` (both relative to the package directory)? `*` and
 * `?` stay inside one path segment, `**` crosses them, `**` + `/` also
 * matches no directory at all. One row of booleans per pattern byte, so
 * time is len(p) x len(s) whatever the pattern. */
static bool row_match(struct ds_str p, struct ds_str s, bool *row, bool *next)
{
    for (size_t j = 0; j <= s.len; j++)
        row[j] = j == 0;
    for (size_t i = 0; i < p.len;) {
        char c = p.ptr[i];
        bool star2 = c == '*' && i + 1 < p.len && p.ptr[i + 1] == '*';
        bool dirs = star2 && i + 2 < p.len && p.ptr[i + 2] == '/';
        bool any = false;
        for (size_t j = 0; j <= s.len; j++) {
            bool v;
            if (dirs) // "**/": nothing, or anything that ends with '/'
                v = row[j] || (j > 0 && s.ptr[j - 1] == '/' && any);
            else if (star2)
                v = row[j] || (j > 0 && next[j - 1]);
            else if (c == '*')
                v = row[j] || (j > 0 && next[j - 1] && s.ptr[j - 1] != '/');
            else if (c == '?')
                v = j > 0 && row[j - 1] && s.ptr[j - 1] != '/';
            else
                v = j > 0 && row[j - 1] && s.ptr[j - 1] == c;
            any = any || row[j];
            next[j] = v;
        }
        memcpy(row, next, (s.len + 1) * sizeof *row);
        i += dirs ? 3 : star2 ? 2 : 1;
    }
    return row[s.len];
}

/* row_match over each expansion of g's brace groups (`*.{css,scss}`),
 * one group per level; nested or unclosed braces count as a match. */
static bool match_braces(struct ds_str g, struct ds_str rel, bool *row, bool *next, int depth)
{
    char buf[MAX_GLOB + 4];
    size_t open = ds_str_find(g, '{'), close;

    if (open == g.len)
        return row_match(g, rel, row, next);
    if (depth == MAX_BRACE_DEPTH)
        return true;
    for (close = open + 1; close < g.len && g.ptr[close] != '}' && g.ptr[close] != '{'; close++)
        ;
    if (close == g.len || g.ptr[close] == '{')
        return true;
    for (size_t a = open + 1;;) {
        size_t b = a;
        while (b < close && g.ptr[b] != ',')
            b++;
        size_t n = open + (b - a) + (g.len - close - 1); // never longer than g
        memcpy(buf, g.ptr, open);
        memcpy(buf + open, g.ptr + a, b - a);
        memcpy(buf + open + (b - a), g.ptr + close + 1, g.len - close - 1);
        if (match_braces(ds_str_make(buf, n), rel, row, next, depth + 1))
            return true;
        if (b == close)
            return false;
        a = b + 1;
    }
}

/* One sideEffects pattern against a package-relative path, as webpack and
 * esbuild take it: a leading "./" dropped, one without '/' matches the file
 * name in any directory, `{a,b}` alternatives. */
static bool side_effects_match(struct ds_str g, struct ds_str rel)
{
    bool row[DS_MAX_PATH + 1], next[DS_MAX_PATH + 1];
    char buf[MAX_GLOB + 4];

    if (rel.len > DS_MAX_PATH)
        return true;
    if (ds_str_starts_with(g, DS_STR("./")))
        g = ds_str_slice(g, 2, g.len);
    if (g.len > MAX_GLOB)
        return true;
    for (size_t k = 0; k < g.len; k++)
        if (g.ptr[k] && strchr("[]!\\", g.ptr[k]))
            return true;
    if (ds_str_find(g, '/') == g.len) {
        memcpy(buf, "**/", 3);
        memcpy(buf + 3, g.ptr, g.len);
        g = ds_str_make(buf, g.len + 3);
    }
    return match_braces(g, rel, row, next, 0);
}

bool ds_glob_match(enum ds_glob_flavour flavour, struct ds_str pattern, struct ds_str path)
{
    return flavour == DS_GLOB_SIDE_EFFECTS ? side_effects_match(pattern, path)
                                           : tsconfig_match(pattern, path);
}
