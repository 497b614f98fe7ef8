/* MDX files (SPEC §4.4): only their ESM blocks import anything. MDX 2+
 * takes a top-level line starting with `import` or `export` as the start of
 * an ESM block that runs to the next blank line; the same words inside a
 * fenced code block, an indented line or a paragraph are text. The compiled
 * module also imports the JSX runtime, so that comes first. */
#include "lex.h"

/* Length of the line starting at p (without its line end). */
static size_t line_len(const char *p, const char *end)
{
    if (p >= end)
        return 0;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    return (size_t)((nl ? nl : end) - p);
}

static bool blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return false;
    return true;
}

/* ``` or ~~~ (three or more) after at most three spaces: its char and length. */
static size_t fence(const char *p, size_t n, char *ch)
{
    size_t i = 0, k = 0;

    while (i < n && i < 3 && p[i] == ' ')
        i++;
    if (i >= n || (p[i] != '`' && p[i] != '~'))
        return 0;
    *ch = p[i];
    while (i + k < n && p[i + k] == *ch)
        k++;
    return k >= 3 ? k : 0;
}

static bool esm_start(const char *p, size_t n)
{
    struct ds_str line = ds_str_make(p, n);
    struct ds_str kw;

    if (ds_str_starts_with(line, DS_STR("import")))
        kw = DS_STR("import");
    else if (ds_str_starts_with(line, DS_STR("export")))
        kw = DS_STR("export");
    else
        return false;
    if (n == kw.len)
        return false;
    char c = p[kw.len];
    return c == ' ' || c == '\t' || c == '{' || c == '*' || c == '"' || c == '\'';
}

/* Appends n items of `elem` bytes to the array *items of *len items and
 * capacity *cap (doubling into a fresh arena block when full). */
static enum ds_status append(struct ds_arena *scratch, void *items, size_t *len, size_t *cap,
                             const void *more, size_t n, size_t elem)
{
    void **arr = items;
    if (!n)
        return DS_OK;
    if (*len + n > *cap) {
        size_t ncap = (*len + n) * 2;
        void *p = ds_arena_alloc(scratch, ncap * elem);
        if (!p)
            return DS_ENOMEM;
        if (*len) // memcpy from NULL is undefined even for 0 bytes
            memcpy(p, *arr, *len * elem);
        *arr = p;
        *cap = ncap;
    }
    memcpy((char *)*arr + *len * elem, more, n * elem);
    *len += n;
    return DS_OK;
}

/* Capacities of the arrays of the result being built. */
struct caps {
    size_t imports, problems, names, exports;
};

/* Lexes [s, e) as JavaScript (from a padded copy: ds_lex wants zeros after
 * its input) and appends its imports, names, exports and problems to *out. */
static enum ds_status lex_block(const char *src, const char *s, const char *e,
                                enum ds_lex_want want, struct ds_arena *scratch,
                                struct ds_lex_result *out, struct caps *caps)
{
    size_t n = (size_t)(e - s);
    char *copy = ds_arena_alloc(scratch, n + DS_LEX_PAD);
    struct ds_lex_result r;
    enum ds_status st;

    if (!copy)
        return DS_ENOMEM;
    memcpy(copy, s, n);
    memset(copy + n, 0, DS_LEX_PAD);
    st = ds_lex_for(copy, n, DS_LANG_JSX, want, scratch, &r);
    if (st != DS_OK)
        return st;
    uint32_t base = (uint32_t)(s - src);
    for (size_t i = 0; i < r.n_imports; i++) {
        r.imports[i].offset += base;
        r.imports[i].first_name += (uint32_t)out->n_names;
    }
    for (size_t i = 0; i < r.n_problems; i++)
        r.problems[i].offset += base;
    // Each block keeps its first problems; the file keeps at most 64.
    if (r.n_problems > 64 - out->n_problems)
        r.n_problems = 64 - out->n_problems;
    out->module_syntax |= r.module_syntax;
    out->exports_unsure |= r.exports_unsure;
    if ((st = append(scratch, &out->imports, &out->n_imports, &caps->imports, r.imports,
                     r.n_imports, sizeof *r.imports)) != DS_OK ||
        (st = append(scratch, &out->names, &out->n_names, &caps->names, r.names, r.n_names,
                     sizeof *r.names)) != DS_OK ||
        (st = append(scratch, &out->exports, &out->n_exports, &caps->exports, r.exports,
                     r.n_exports, sizeof *r.exports)) != DS_OK)
        return st;
    return append(scratch, &out->problems, &out->n_problems, &caps->problems, r.problems,
                  r.n_problems, sizeof *r.problems);
}

enum ds_status ds_lex_mdx(const char *src, size_t len, enum ds_lex_want want,
                          struct ds_arena *scratch, struct ds_lex_result *out)
{
    const char *p = src, *end = src + len;
    struct caps caps = {8, 0, 0, 0};
    char fence_ch = 0;
    size_t fence_len = 0; // 0: not inside a fenced code block
    enum ds_status st;

    memset(out, 0, sizeof *out);
    if (len > UINT32_MAX - DS_LEX_PAD)
        return DS_ELIMIT;
    out->imports = ds_arena_alloc(scratch, caps.imports * sizeof *out->imports);
    if (!out->imports)
        return DS_ENOMEM;
    // @mdx-js/mdx compiles every file to a module importing its runtime.
    out->imports[0].specifier = DS_STR("react/jsx-runtime");
    out->imports[0].kind = DSCAN_IMPORT_STATIC;
    out->imports[0].offset = 0;
    out->n_imports = 1;
    // What the compiled module takes from it.
    const struct ds_lex_name runtime[] = {{DS_STR("jsx"), DS_STR("jsx")},
                                          {DS_STR("jsxs"), DS_STR("jsxs")},
                                          {DS_STR("Fragment"), DS_STR("Fragment")}};
    if (want == DS_LEX_NAMES) {
        st = append(scratch, &out->names, &out->n_names, &caps.names, runtime,
                    DS_ARRAY_LEN(runtime), sizeof runtime[0]);
        if (st != DS_OK)
            return st;
    }
    out->imports[0].first_name = 0;
    out->imports[0].n_names = (uint32_t)out->n_names;

    // YAML frontmatter (remark-frontmatter) is not markdown: skip it whole.
    if (len >= 4 && memcmp(p, "---", 3) == 0 && (p[3] == '\n' || p[3] == '\r')) {
        const char *q = p + line_len(p, end);
        while (q < end) {
            q++; // past '\n'
            size_t n = line_len(q, end);
            if (n >= 3 && memcmp(q, "---", 3) == 0 && blank(q + 3, n - 3)) {
                p = q + n;
                break;
            }
            q += n;
        }
    }
    bool after_blank = true; // ESM starts a block: it cannot interrupt a paragraph
    while (p < end) {
        size_t n = line_len(p, end);
        bool was_blank = after_blank;
        char ch;
        size_t k;

        after_blank = blank(p, n);

        if (fence_len) {
            // A closing fence: the same char, at least as long, nothing after.
            k = fence(p, n, &ch);
            if (k >= fence_len && ch == fence_ch) {
                const char *run = memchr(p, ch, n);
                if (run && blank(run + k, n - (size_t)(run + k - p)))
                    fence_len = 0;
            }
        } else if ((k = fence(p, n, &ch)) != 0) {
            fence_len = k;
            fence_ch = ch;
            after_blank = false;
        } else if (was_blank && esm_start(p, n)) {
            const char *s = p;
            // The block runs to the first blank line.
            while (p < end && !blank(p, n)) {
                p += n;
                if (p < end)
                    p++;
                n = line_len(p, end);
            }
            st = lex_block(src, s, p, want, scratch, out, &caps);
            if (st != DS_OK)
                return st;
            after_blank = true;
            continue;
        }
        p += n;
        if (p < end)
            p++;
    }
    return DS_OK;
}
