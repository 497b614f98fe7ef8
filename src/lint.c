/* Directive lint (SPEC §4.9). The lexer hands over the prologue's strings
 * and the short top-level string statements after code, with offsets; this
 * file decides which are mistakes. A string is "directive-like" when it
 * equals "use client" or "use server" up to case and the separator (`-`,
 * `_`, or several spaces for one), or is within edit distance 2 of one of
 * them. Real directives of other tools stay quiet: "use strict" and "use
 * asm" are 4 and 5 edits away, and the list below is never flagged. */
#include <stdio.h>

#include "lines.h"
#include "lint.h"
#include "scan.h"

#define LIT(s)             \
    {                      \
        (s), sizeof(s) - 1 \
    }

static const struct ds_str directives[] = {LIT("use client"), LIT("use server")};

/* Directives of the language and of other tools: never a typo. */
static const struct ds_str known[] = {
    LIT("use strict"),  LIT("use asm"),  LIT("use cache"),    LIT("use memo"),
    LIT("use no memo"), LIT("use step"), LIT("use workflow"),
};

/* Levenshtein distance of a and b, or 3 when it is more than 2 (or either
 * is longer than 32 bytes: no directive-like string is). */
static unsigned distance(struct ds_str a, struct ds_str b)
{
    unsigned row[33];

    if (a.len > 32 || b.len > 32 || (a.len > b.len ? a.len - b.len : b.len - a.len) > 2)
        return 3;
    for (size_t j = 0; j <= b.len; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= a.len; i++) {
        unsigned diag = row[0], best;
        row[0] = (unsigned)i;
        best = row[0];
        for (size_t j = 1; j <= b.len; j++) {
            unsigned up = row[j];
            unsigned cost = a.ptr[i - 1] == b.ptr[j - 1] ? 0 : 1;
            unsigned v = diag + cost;
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best > 2)
            return 3; // every path is already too long
    }
    return row[b.len] > 2 ? 3 : row[b.len];
}

/* s lowercased, with each run of `-`, `_` and spaces as one space, into
 * buf (at most 32 bytes); false when longer. */
static bool fold(struct ds_str s, char *buf, struct ds_str *out)
{
    size_t n = 0;
    bool sep = false;

    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (c == '-' || c == '_' || c == ' ') {
            sep = true;
            continue;
        }
        if (sep && n) {
            if (n == 32)
                return false;
            buf[n++] = ' ';
        }
        sep = false;
        if (n == 32)
            return false;
        buf[n++] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    *out = ds_str_make(buf, n);
    return true;
}

/* The directive s was likely meant to be, or NULL. Exact directives give
 * NULL (they are not typos). */
static const char *meant(struct ds_str s)
{
    char buf[32];
    struct ds_str f;

    for (size_t i = 0; i < DS_ARRAY_LEN(directives); i++)
        if (ds_str_eq(s, directives[i]))
            return NULL;
    for (size_t i = 0; i < DS_ARRAY_LEN(known); i++)
        if (ds_str_eq(s, known[i]))
            return NULL;
    if (!fold(s, buf, &f))
        return NULL;
    for (size_t i = 0; i < DS_ARRAY_LEN(known); i++)
        if (ds_str_eq(f, known[i]))
            return NULL; // "Use Strict" is no misspelt "use server"
    for (size_t i = 0; i < DS_ARRAY_LEN(directives); i++)
        if (ds_str_eq(f, directives[i]) || distance(s, directives[i]) <= 2 ||
            distance(f, directives[i]) <= 2)
            return directives[i].ptr;
    return NULL;
}

static const char *exact(struct ds_str s)
{
    for (size_t i = 0; i < DS_ARRAY_LEN(directives); i++)
        if (ds_str_eq(s, directives[i]))
            return directives[i].ptr;
    return NULL;
}

size_t ds_lint_directives(const struct ds_lex_result *r, struct ds_lint_finding *out)
{
    size_t n = 0;
    size_t first_client = SIZE_MAX, first_server = SIZE_MAX;

    for (size_t i = 0; i < r->n_directives && n < DS_LINT_MAX; i++) {
        struct ds_str d = r->directives[i];
        uint32_t off = r->directive_offsets ? r->directive_offsets[i] : 0;
        const char *m;
        if (ds_str_eq(d, directives[0]) && first_client == SIZE_MAX)
            first_client = i;
        else if (ds_str_eq(d, directives[1]) && first_server == SIZE_MAX)
            first_server = i;
        else if ((m = meant(d)) != NULL)
            out[n++] = (struct ds_lint_finding){DS_LINT_TYPO, off, d, m};
    }
    if (first_client != SIZE_MAX && first_server != SIZE_MAX && n < DS_LINT_MAX) {
        // At the second of the two: that is where the prologue contradicts itself.
        size_t at = first_client > first_server ? first_client : first_server;
        out[n++] = (struct ds_lint_finding){DS_LINT_CONFLICTING,
                                            r->directive_offsets ? r->directive_offsets[at] : 0,
                                            r->directives[at], "use client"};
    }
    for (size_t i = 0; i < r->n_strays && n < DS_LINT_MAX; i++) {
        struct ds_str t = r->strays[i].text;
        const char *m = exact(t);
        if (!m)
            m = meant(t);
        if (m)
            out[n++] = (struct ds_lint_finding){DS_LINT_MISPLACED, r->strays[i].offset, t, m};
    }
    // Source order: the prologue's come first already, except a conflict
    // noted after typos that follow it; sort the few by offset.
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && out[j].offset < out[j - 1].offset; j--) {
            struct ds_lint_finding t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return n;
}

const char *ds_lint_code_name(enum ds_lint_code code)
{
    switch (code) {
    case DS_LINT_MISPLACED: return "misplaced-directive";
    case DS_LINT_CONFLICTING: return "conflicting-directives";
    case DS_LINT_TYPO: return "directive-typo";
    }
    return "directive";
}

void ds_lint_message(const struct ds_lint_finding *f, char *buf, size_t size)
{
    int len = (int)(f->text.len > 40 ? 40 : f->text.len);

    switch (f->code) {
    case DS_LINT_MISPLACED:
        if (ds_str_eq(f->text, ds_str_cstr(f->meant)))
            snprintf(buf, size, "'%s' after other code has no effect: a directive must come first",
                     f->meant);
        else
            snprintf(buf, size,
                     "'%.*s' after other code has no effect: a directive must come first, "
                     "spelt '%s'",
                     len, f->text.ptr, f->meant);
        break;
    case DS_LINT_CONFLICTING:
        snprintf(buf, size, "'use client' and 'use server' in one prologue: 'use client' wins");
        break;
    case DS_LINT_TYPO:
        snprintf(buf, size, "'%.*s' is not a directive: did you mean '%s'?", len, f->text.ptr,
                 f->meant);
        break;
    }
}

enum ds_status ds_lint_report(struct ds_diags *diags, struct ds_arena *scratch, struct ds_str root,
                              struct ds_str path, struct ds_str text, const struct ds_lex_result *r)
{
    struct ds_lint_finding found[DS_LINT_MAX];
    size_t n = ds_lint_directives(r, found);
    struct ds_line_cursor cur;
    char msg[160];

    if (!n)
        return DS_OK;
    const char *shown = ds_scan_normalize(scratch, root, path);
    if (!shown)
        return DS_ENOMEM;
    ds_line_cursor_init(&cur, text.ptr, text.len);
    for (size_t i = 0; i < n; i++) {
        unsigned line, col;
        ds_line_cursor_at(&cur, found[i].offset, &line, &col);
        ds_lint_message(&found[i], msg, sizeof msg);
        enum ds_status st = ds_diag_add(diags, DSCAN_WARNING, ds_lint_code_name(found[i].code),
                                        ds_str_cstr(shown), line, col, "%s", msg);
        if (st != DS_OK)
            return st;
    }
    return DS_OK;
}
