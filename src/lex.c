/* The module lexer (SPEC §4.3, §4.4). One forward pass over the bytes, in
 * the spirit of es-module-lexer: no allocation per token, results as slices
 * into the source, a zero sentinel after the input instead of bounds checks,
 * and regex-versus-division decided by looking back at the previous token.
 * Unlike es-module-lexer, all state is in `struct lexer` and the bracket
 * stack is fixed and checked, so no input can overflow it.
 *
 * The loop does not visit every token. next_stop() classifies 16 bytes at
 * a time (SSE2) and stops only where something can change: quotes and
 * backquotes, '/', '{', '}', '<', NUL, and words that start like
 * import/export/require (declare in TypeScript). Identifiers, numbers,
 * operators, parentheses and whitespace in between are skipped; when a
 * decision needs the previous token (`/` regex or division, `<` JSX or
 * comparison, `{` block or object), lookback() reads it backwards, and
 * tokens the loop did handle (literals, braces, JSX, statements it read
 * through) answer from a record. Measured: 4.4x es-module-lexer's
 * throughput on the same .js files, with names (bench/lex/README.md).
 *
 * What needs more than a token stream, and how it is done here:
 * - `/` after `)` `]` `}` an identifier or a literal divides, elsewhere it
 *   starts a regex; the `)` of if/while/for/with (found by counting back to
 *   its `(`) and the `}` of a block are the exceptions.
 * - Template literals nest through `${`: the stack holds a marker, and its
 *   `}` resumes the template.
 * - JSX (in .js .jsx .tsx and MDX): `<` where an expression may start opens
 *   an element; tags, text and closing tags are scanned by lex_jsx, whose
 *   `{…}` holes push markers like `${`. In .tsx, `<T,>`, `<T extends …>`
 *   and `<T = …>` are type parameters, as TypeScript decides. An element
 *   still open at the end of input was a misreading: lexing goes back to
 *   its `<` and reads it as an operator (at most DS_LEX_MAX_REWINDS times).
 * - Imports are recognised at the keywords `import`, `export`, `require`
 *   (never after `.` or `?.`) by a bounded look-ahead over the clause.
 */
#include "lex.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define DS_LEX_MAX_DEPTH    512 /* nesting of { ${ and JSX elements (parentheses are not stacked) */
#define DS_LEX_MAX_PROBLEMS 16  /* the first ones are kept, later ones dropped */
#define DS_LEX_MAX_REWINDS  8   /* JSX guesses undone per file: bounds the work */

/* Previous significant token. Everything before T_IDENT lets a regex (or a
 * JSX element) follow; T_IDENT and after end an expression, so `/` divides. */
enum tok {
    T_START,
    T_PUNCT,
    T_COLON,
    T_ARROW,
    T_KW_EXPR,   /* return in … : an expression follows */
    T_KW_TYPEOF, /* typeof: an expression follows; in TS `typeof import()` is a type */
    T_KW_BLOCK,  /* else do try finally: a block or statement follows */
    T_KW_CTRL,   /* if while for with: a parenthesised head follows */
    T_KW_JUMP,   /* break continue: an optional label follows */
    T_CTRL_RPAREN,
    T_RBRACE_BLOCK,
    T_DOT,     /* `.` or `?.`: a property name follows */
    T_SEMI,    /* `;` and the end of an import/export statement */
    T_IDENT,   /* first token that ends an expression */
    T_LITERAL, /* number, string, regex, template */
    T_RPAREN,
    T_RBRACKET,
    T_RBRACE_EXPR,
    T_JSX,
};

/* What an open bracket on the stack is. */
enum open {
    O_BLOCK,     /* statement block: a regex may follow its `}` */
    O_OBJECT,    /* object literal or other expression braces */
    O_TEMPLATE,  /* `${`: its `}` resumes the template */
    O_JSX_ATTR,  /* `{` in a tag: its `}` resumes the tag */
    O_JSX_CHILD, /* `{` among children: its `}` resumes the children */
    O_JSX_ELEM,  /* an element whose children are being scanned */
    O_JSX_VALUE, /* an element as an attribute's value (`a=<b/>`): its end resumes the tag */
};

/* Identifier starts: letters, _ $ \ (escapes), '#' (private names) and
 * every non-ASCII byte (UTF-8 identifiers). */
static const uint8_t ident_first[256] = {
    ['a' ... 'z'] = 1, ['A' ... 'Z'] = 1, ['_'] = 1,           ['$'] = 1,
    ['#'] = 1,         ['\\'] = 1,        [0x80 ... 0xFF] = 1,
};

/* Identifier continuation: letters, digits, _ $ \ and every non-ASCII byte
 * (UTF-8 identifiers; we never need to tell a Unicode letter from a space). */
static const uint8_t ident_cont[256] = {
    ['a' ... 'z'] = 1, ['A' ... 'Z'] = 1, ['0' ... '9'] = 1,   ['_'] = 1,
    ['$'] = 1,         ['\\'] = 1,        [0x80 ... 0xFF] = 1,
};

#ifndef __SSE2__
/* Stops of the string scanner: both quotes, backslash, line ends, NUL. */
static const uint8_t string_stop[256] = {
    [0] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1, ['\''] = 1, ['\\'] = 1,
};
#endif

static const uint8_t template_stop[256] = {[0] = 1, ['`'] = 1, ['\\'] = 1, ['$'] = 1};

static const uint8_t jsx_text_stop[256] = {[0] = 1, ['{'] = 1, ['<'] = 1};

struct lexer {
    const uint8_t *src, *end; /* end[0 .. DS_LEX_PAD) is readable and zero */
    enum ds_lang lang;
    bool jsx;  /* `<` in expression position opens JSX */
    bool ts;   /* TypeScript: type-only imports, `x!`, `typeof import()` */
    bool stop; /* nesting bound hit: lexing ends here */
    bool enomem;
    /* DS_LEX_NAMES: names, exports and the barrel flag are wanted. Without
     * it every step whose only product is one of those is skipped; what
     * decides the imports runs either way (tests/test_lex.c, fuzz_lex
     * compare the two). */
    bool want_names;
    /* The last token the loop looked at closely, and where it ends. What
     * lies between last_end and the current position is "boring" code
     * (identifiers, numbers, operators, whitespace), read backwards only
     * when a decision needs it (see lookback). */
    enum tok last;
    const uint8_t *last_end;
    /* The last comment, and where a backward scan continues before it. */
    const uint8_t *cmt_end, *cmt_resume;
    bool consumed;       /* on_import/on_export read the whole statement */
    bool quiet;          /* a look-ahead is reading: no problems reported */
    size_t paren_budget; /* bytes paren_open may still scan back */
    size_t targ_budget;  /* bytes type_args_end may still look ahead */
    /* The last 8 string, template and regex literals the loop read, so
     * that paren_open can step over them: `if (a === ")") /re/`. */
    const uint8_t *str_start[8], *str_end[8];
    unsigned str_next;
    struct ds_str *type_names; /* see add_type_name */
    size_t n_type_names;
    struct ds_arena *scratch;
    struct ds_lex_result *out;
    size_t cap_imports, cap_directives, cap_offsets, cap_names, cap_exports;
    /* Pure-barrel bookkeeping: up to `clean_to` the top level held only
     * import/export declarations (and what may separate them). */
    const uint8_t *clean_to;
    bool not_barrel, barrel_seen;
    /* The outermost open JSX element, to lex again without JSX if the input
     * ends inside it. */
    const uint8_t *cp_pos, *no_jsx_at;
    uint32_t cp_depth;
    size_t cp_imports, cp_problems, cp_names, cp_exports, cp_strays;
    unsigned rewinds;
    /* next_stop's last block: the stops among win[0 .. 16) as bits. */
    const uint8_t *win;
    unsigned win_bits;
    uint32_t depth;
    uint8_t open[DS_LEX_MAX_DEPTH]; /* enum open; fixed: lexing never allocates */
};

/* ---- results ------------------------------------------------------------ */

static void *grow(struct lexer *lx, void *items, size_t n, size_t *cap, size_t elem)
{
    // Arena arrays cannot be resized in place: double into a fresh block. The
    // old blocks stay until the scratch reset, at most as much again.
    if (n < *cap)
        return items;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = ds_arena_alloc(lx->scratch, ncap * elem);
    if (!p) {
        lx->enomem = true;
        return NULL;
    }
    if (n)
        memcpy(p, items, n * elem);
    *cap = ncap;
    return p;
}

static void problem(struct lexer *lx, const uint8_t *at, const char *what)
{
    struct ds_lex_result *out = lx->out;

    if (lx->quiet)
        return; // the main loop reads the same bytes again and reports it
    if (!out->problems) {
        out->problems = ds_arena_alloc(lx->scratch, DS_LEX_MAX_PROBLEMS * sizeof *out->problems);
        if (!out->problems) {
            lx->enomem = true;
            return;
        }
    }
    if (out->n_problems == DS_LEX_MAX_PROBLEMS)
        return; // the first ones say enough; a binary file would give thousands
    // A string read once by the import parser and again by the main loop
    // would be reported twice (`import "a` with no closing quote).
    if (out->n_problems && out->problems[out->n_problems - 1].what == what &&
        out->problems[out->n_problems - 1].offset == (uint32_t)(at - lx->src))
        return;
    out->problems[out->n_problems].offset = (uint32_t)(at - lx->src);
    out->problems[out->n_problems].what = what;
    out->n_problems++;
}

static void add_directive(struct lexer *lx, const uint8_t *s, const uint8_t *e)
{
    struct ds_lex_result *out = lx->out;
    struct ds_str *d = grow(lx, out->directives, out->n_directives, &lx->cap_directives, sizeof *d);
    if (!d)
        return;
    out->directives = d;
    uint32_t *o = grow(lx, out->directive_offsets, out->n_directives, &lx->cap_offsets, sizeof *o);
    if (!o)
        return;
    out->directive_offsets = o;
    o[out->n_directives] = (uint32_t)(s - 1 - lx->src);
    struct ds_str str = ds_str_make((const char *)s, (size_t)(e - s));
    d[out->n_directives++] = str;
    // Directives compare by their raw text: "use\x20client" is not one.
    if (ds_str_eq(str, DS_STR("use client")))
        out->use_client = true;
    else if (ds_str_eq(str, DS_STR("use server")))
        out->use_server = true;
}

static unsigned hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return 16;
}

/* Reads up to `max` hex digits at *pp (all of them when exact). */
static bool read_hex(const uint8_t **pp, const uint8_t *end, unsigned n, uint32_t *cp)
{
    const uint8_t *p = *pp;
    uint32_t v = 0;

    for (unsigned i = 0; i < n; i++) {
        if (p >= end || hexval(*p) > 15)
            return false;
        v = v << 4 | hexval(*p++);
    }
    *pp = p;
    *cp = v;
    return true;
}

static size_t put_utf8(uint8_t *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (uint8_t)(0xC0 | cp >> 6);
        o[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (uint8_t)(0xE0 | cp >> 12);
        o[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (uint8_t)(0xF0 | cp >> 18);
    o[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes the escapes of a string body [s, e) into scratch: specifiers like
 * './\x61.js' name './a.js'. Unknown escapes stand for the character itself. */
static struct ds_str decode(struct lexer *lx, const uint8_t *s, const uint8_t *e)
{
    // Every escape is at least as long as the UTF-8 it produces.
    uint8_t *buf = ds_arena_alloc(lx->scratch, (size_t)(e - s) + 1);
    size_t n = 0;

    if (!buf) {
        lx->enomem = true;
        return ds_str_make((const char *)s, 0);
    }
    while (s < e) {
        if (*s != '\\' || s + 1 >= e) {
            buf[n++] = *s++;
            continue;
        }
        s++;
        uint8_t c = *s++;
        uint32_t cp;
        switch (c) {
        case 'n': buf[n++] = '\n'; break;
        case 't': buf[n++] = '\t'; break;
        case 'r': buf[n++] = '\r'; break;
        case 'b': buf[n++] = '\b'; break;
        case 'f': buf[n++] = '\f'; break;
        case 'v': buf[n++] = '\v'; break;
        case '0': buf[n++] = '\0'; break;
        case '\r':
            if (s < e && *s == '\n')
                s++;
            break; // line continuation
        case '\n': break;
        case 'x':
            if (read_hex(&s, e, 2, &cp))
                n += put_utf8(buf + n, cp);
            else
                buf[n++] = 'x';
            break;
        case 'u':
            if (s < e && *s == '{') {
                const uint8_t *q = s + 1;
                cp = 0;
                while (q < e && hexval(*q) < 16 && cp <= 0x10FFFF)
                    cp = cp << 4 | hexval(*q++);
                if (q < e && *q == '}' && q > s + 1 && cp <= 0x10FFFF) {
                    n += put_utf8(buf + n, cp);
                    s = q + 1;
                } else {
                    buf[n++] = 'u';
                }
            } else if (read_hex(&s, e, 4, &cp)) {
                uint32_t lo;
                const uint8_t *q = s;
                // A surrogate pair written as two escapes is one code point.
                if (cp >= 0xD800 && cp < 0xDC00 && q + 1 < e && q[0] == '\\' && q[1] == 'u' &&
                    (q += 2, read_hex(&q, e, 4, &lo)) && lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    s = q;
                }
                n += put_utf8(buf + n, cp);
            } else {
                buf[n++] = 'u';
            }
            break;
        default: buf[n++] = c; break;
        }
    }
    buf[n] = 0;
    return ds_str_make((const char *)buf, n);
}

/* Records an import whose specifier is the string body [s, e) opening at q;
 * its names are those added since out->names[names0]. */
static void add_import(struct lexer *lx, const uint8_t *q, const uint8_t *s, const uint8_t *e,
                       bool escaped, enum dscan_import_kind kind, size_t names0)
{
    struct ds_lex_result *out = lx->out;
    struct ds_lex_import *im = grow(lx, out->imports, out->n_imports, &lx->cap_imports, sizeof *im);
    if (!im)
        return;
    out->imports = im;
    im += out->n_imports++;
    im->specifier = escaped ? decode(lx, s, e) : ds_str_make((const char *)s, (size_t)(e - s));
    im->kind = kind;
    im->offset = (uint32_t)(q - lx->src);
    im->first_name = (uint32_t)names0;
    im->n_names = (uint32_t)(out->n_names - names0);
}

#define DS_LEX_MAX_TYPE_NAMES 256

/* A binding a TypeScript `import type` or `import {type X}` creates: an
 * `export {X}` of it exports no value. The first DS_LEX_MAX_TYPE_NAMES are
 * kept (past them a type may be listed as an export: a superset). */
static void add_type_name(struct lexer *lx, struct ds_str name)
{
    if (!lx->want_names || lx->n_type_names == DS_LEX_MAX_TYPE_NAMES)
        return;
    if (!lx->type_names && !(lx->type_names = ds_arena_alloc(
                                 lx->scratch, DS_LEX_MAX_TYPE_NAMES * sizeof(struct ds_str)))) {
        lx->enomem = true;
        return;
    }
    lx->type_names[lx->n_type_names++] = name;
}

static bool is_type_name(const struct lexer *lx, struct ds_str name)
{
    for (size_t i = 0; i < lx->n_type_names; i++)
        if (ds_str_eq(lx->type_names[i], name))
            return true;
    return false;
}

/* A name: an identifier's bytes, or a string's body (decoded if escaped). */
struct word {
    const uint8_t *s, *e;
    bool str, esc;
};

static struct ds_str word_str(struct lexer *lx, const struct word *w)
{
    if (!w)
        return ds_str_make("", 0);
    if (w->str && w->esc)
        return decode(lx, w->s, w->e);
    return ds_str_make((const char *)w->s, (size_t)(w->e - w->s));
}

static void add_name(struct lexer *lx, struct ds_str imported, struct ds_str local)
{
    struct ds_lex_result *out = lx->out;
    if (!lx->want_names)
        return;
    struct ds_lex_name *n = grow(lx, out->names, out->n_names, &lx->cap_names, sizeof *n);
    if (!n)
        return;
    out->names = n;
    n[out->n_names++] = (struct ds_lex_name){imported, local};
}

static void add_export(struct lexer *lx, struct ds_str name, struct ds_str local)
{
    struct ds_lex_result *out = lx->out;
    // TypeScript overloads declare one export several times, in a row.
    if (out->n_exports && ds_str_eq(out->exports[out->n_exports - 1].name, name))
        return;
    struct ds_lex_export *x = grow(lx, out->exports, out->n_exports, &lx->cap_exports, sizeof *x);
    if (!x)
        return;
    out->exports = x;
    x[out->n_exports++] = (struct ds_lex_export){name, local};
}

static struct ds_str slice(const uint8_t *s, const uint8_t *e)
{
    return ds_str_make((const char *)s, (size_t)(e - s));
}

/* ---- scanning primitives -------------------------------------------------- */

static bool push(struct lexer *lx, enum open o)
{
    // Deeper nesting is legal JS but no module needs it; refusing it keeps the
    // lexer's memory fixed and leaves fuzzers nothing to overflow.
    if (lx->depth == DS_LEX_MAX_DEPTH) {
        lx->stop = true;
        return false;
    }
    lx->open[lx->depth++] = (uint8_t)o;
    return true;
}

static enum open top(const struct lexer *lx)
{
    return lx->depth ? (enum open)lx->open[lx->depth - 1] : O_BLOCK;
}

/* ---- white space and line ends ------------------------------------------------
 * ECMAScript's WhiteSpace is TAB VT FF SP, U+00A0, U+FEFF and the Zs
 * category (U+1680, U+2000..U+200A, U+202F, U+205F, U+3000); its
 * LineTerminators are LF, CR, U+2028 and U+2029. The non-ASCII ones are
 * rare, so the fast paths look for bytes >= 0x80 and ask these helpers. */

/* Length of the non-ASCII WhiteSpace or LineTerminator whose UTF-8 starts
 * at p (p[0] >= 0x80; p[1], p[2] readable), 0 if there is none there; sets
 * *lt for U+2028 and U+2029. */
static unsigned uspace(const uint8_t *p, bool *lt)
{
    switch (p[0]) {
    case 0xC2: return p[1] == 0xA0 ? 2 : 0;                 // U+00A0
    case 0xE1: return p[1] == 0x9A && p[2] == 0x80 ? 3 : 0; // U+1680
    case 0xE3: return p[1] == 0x80 && p[2] == 0x80 ? 3 : 0; // U+3000
    case 0xEF: return p[1] == 0xBB && p[2] == 0xBF ? 3 : 0; // U+FEFF
    case 0xE2:
        if (p[1] == 0x81)
            return p[2] == 0x9F ? 3 : 0; // U+205F
        if (p[1] != 0x80)
            return 0;
        if (p[2] == 0xA8 || p[2] == 0xA9) { // U+2028 U+2029
            *lt = true;
            return 3;
        }
        return (p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xAF ? 3 : 0; // U+2000..U+200A U+202F
    default: return 0;
    }
}

/* The same, for the sequence that ends just before p (never below lo). */
static unsigned uspace_before(const uint8_t *lo, const uint8_t *p, bool *lt)
{
    if (p - lo >= 2 && p[-2] == 0xC2 && p[-1] == 0xA0)
        return 2;
    if (p - lo >= 3 && p[-3] >= 0xE1 && uspace(p - 3, lt) == 3)
        return 3;
    return 0;
}

static bool is_lt_at(const uint8_t *p)
{
    return *p == '\n' || *p == '\r' || (p[0] == 0xE2 && p[1] == 0x80 && (p[2] | 1) == 0xA9);
}

/* The first LineTerminator in [p, end), or end. */
static const uint8_t *line_end(const uint8_t *p, const uint8_t *end)
{
#ifdef __SSE2__
    // 16 bytes at a time to the first LF, CR or 0xE2 (maybe U+2028/2029);
    // the padding after end is zeros, so a load past it finds nothing.
    while (p < end) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                                _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))),
                                   _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE2)));
        unsigned m = (unsigned)_mm_movemask_epi8(hit);
        while (m) {
            const uint8_t *q = p + __builtin_ctz(m);
            if (q >= end)
                return end;
            if (is_lt_at(q))
                return q;
            m &= m - 1;
        }
        p += 16;
    }
    return end;
#else
    for (; p < end; p++)
        if (is_lt_at(p))
            return p;
    return end;
#endif
}

/* Does [s, e) hold a LineTerminator? */
static bool has_line_end(const uint8_t *s, const uint8_t *e)
{
    return line_end(s, e) < e;
}

static bool is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* From p back over white space and line ends, never below lo. */
static const uint8_t *back_space(const uint8_t *lo, const uint8_t *p)
{
    unsigned k;
    bool lt;

    while (p > lo) {
        if (is_space(p[-1]))
            p--;
        else if (p[-1] >= 0x80 && (k = uspace_before(lo, p, &lt)) != 0)
            p -= k;
        else
            break;
    }
    return p;
}

/* The same, with the ASCII loop inline: look-backs run it at every stop. */
static inline const uint8_t *back_blank(const uint8_t *lo, const uint8_t *p)
{
    while (p > lo && is_space(p[-1]))
        p--;
    return p > lo && p[-1] >= 0x80 ? back_space(lo, p) : p;
}

/* After a line or block comment opening at p: the first byte past it (a
 * line comment ends before its LineTerminator). */
static const uint8_t *skip_comment(struct lexer *lx, const uint8_t *p)
{
    const uint8_t *end = lx->end;

    if (p[1] == '/')
        return line_end(p + 2, end);
#ifdef __SSE2__
    // The first `*/`, 16 positions at a time: a memchr for '*' stopped at
    // every line of a JSDoc block. The second load reads p + 1 .. p + 16,
    // within the padding while p < end, whose zeros match neither byte.
    for (p += 2; p < end; p += 16) {
        __m128i star =
            _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), _mm_set1_epi8('*'));
        __m128i slash = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 1)),
                                       _mm_set1_epi8('/'));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(star, slash));
        if (m)
            return p + __builtin_ctz(m) + 2;
    }
#else
    for (p += 2; p < end; p++) {
        const uint8_t *star = memchr(p, '*', (size_t)(end - p));
        if (!star)
            break;
        if (star[1] == '/')
            return star + 2;
        p = star;
    }
#endif
    problem(lx, end, "unterminated comment");
    return end;
}

/* Skips whitespace and comments; *nl tells whether a line ended on the way. */
static const uint8_t *skip_ws(struct lexer *lx, const uint8_t *p, bool *nl)
{
    unsigned k;
    bool lt = false;

    for (;;) {
        uint8_t c = *p;
        if (c == ' ' || c == '\t') {
            p++;
        } else if (c == '\n' || c == '\r') {
            *nl = true;
            p++;
        } else if (c == '/' && (p[1] == '/' || p[1] == '*')) {
            const uint8_t *s = p;
            p = skip_comment(lx, p);
            if (!*nl && has_line_end(s, p))
                *nl = true;
        } else if (c == '\v' || c == '\f') {
            p++;
        } else if (c >= 0x80 && (k = uspace(p, &lt)) != 0) { // NBSP, a stray BOM …
            *nl = *nl || lt;
            p += k;
        } else {
            return p;
        }
    }
}

/* Bytes skip_ws may step over or into: blanks, line ends, '/' (comments)
 * and the first bytes of the non-ASCII spaces. */
static const uint8_t ws_start[256] = {
    [' '] = 1,  ['\t'] = 1, ['\n'] = 1, ['\r'] = 1,          ['\v'] = 1,
    ['\f'] = 1, ['/'] = 1,  [0xC2] = 1, [0xE1 ... 0xE3] = 1, [0xEF] = 1,
};

/* skip_ws without the line-end flag. Inline, with the common cases first:
 * the import and export readers call it between every two tokens, and
 * most often a token or one space follows. */
static inline const uint8_t *skip_ws1(struct lexer *lx, const uint8_t *p)
{
    bool nl = false;

    if (*p == ' ')
        p++;
    if (!ws_start[*p])
        return p;
    return skip_ws(lx, p, &nl);
}

/* p is at an opening quote. Returns the byte after the closing quote, or
 * NULL (with a problem) when the line or the input ends first; *esc says
 * whether the body has a backslash. Inline: strings are a quarter of the
 * main loop's stops, and most end within the first 16 bytes, so the call
 * cost as much as the scan (callgrind, bench/realapp). */
static inline const uint8_t *scan_string(struct lexer *lx, const uint8_t *p, bool *esc)
{
    const uint8_t *start = p;
    const uint8_t q = *p++;
    const uint8_t *end = lx->end;

    *esc = false;
    for (;;) {
#ifdef __SSE2__
        // 16 bytes at a time to the first quote, backslash, line end or NUL
        // (the same set as string_stop); p + 16 stays within the padding.
        for (;;) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
            __m128i hit =
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                          _mm_cmpeq_epi8(v, _mm_set1_epi8('\''))),
                             _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')),
                                                       _mm_cmpeq_epi8(v, _mm_setzero_si128())),
                                          _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                                       _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')))));
            unsigned m = (unsigned)_mm_movemask_epi8(hit);
            if (m) {
                p += __builtin_ctz(m);
                break;
            }
            p += 16;
        }
#else
        while (!string_stop[*p])
            p++;
#endif
        uint8_t c = *p;
        if (c == q)
            return p + 1;
        if (c == '\\') {
            *esc = true;
            if (p + 1 >= end)
                break;
            p += (p[1] == '\r' && p[2] == '\n') ? 3 : 2;
            continue;
        }
        if (c == '"' || c == '\'' || (c == 0 && p < end)) {
            p++;
            continue;
        }
        break; // line end or input end
    }
    problem(lx, start, "unterminated string");
    return NULL;
}

/* p is just after '`' or after the `}` closing a `${`. Scans to the closing
 * '`' (the template ends) or to `${` (pushes O_TEMPLATE). Sets *plain when
 * the template closed without any `${` since p. */
static const uint8_t *scan_template(struct lexer *lx, const uint8_t *p, bool *plain, bool *esc)
{
    const uint8_t *end = lx->end;

    *plain = true;
    *esc = false;
    for (;;) {
        while (!template_stop[*p])
            p++;
        uint8_t c = *p;
        if (c == '`') {
            lx->last = T_LITERAL;
            return p + 1;
        }
        if (c == '\\') {
            *esc = true;
            if (p + 1 >= end)
                break;
            p += 2;
            continue;
        }
        if (c == '$') {
            if (p[1] == '{') {
                *plain = false;
                if (!push(lx, O_TEMPLATE))
                    return end; // lx->stop: lexing ends
                lx->last = T_PUNCT;
                return p + 2;
            }
            p++;
            continue;
        }
        if (p < end) { // NUL inside the template
            p++;
            continue;
        }
        break;
    }
    problem(lx, end, "unterminated template literal");
    return end;
}

/* p is at the '/' opening a regex; returns past its flags. */
static const uint8_t *scan_regex(struct lexer *lx, const uint8_t *p)
{
    // The bytes that end or change a regex's body: a table loop steps over
    // the rest (0xE2 may start U+2028/U+2029, NUL may be the end).
    static const uint8_t regex_stop[256] = {
        [0] = 1, ['\n'] = 1, ['\r'] = 1, ['\\'] = 1, ['['] = 1, [']'] = 1, ['/'] = 1, [0xE2] = 1,
    };
    const uint8_t *start = p;
    bool cls = false;

    for (p++;; p++) {
        while (!regex_stop[*p])
            p++;
        uint8_t c = *p;
        if (c == '\\') {
            if (is_lt_at(p + 1) || p + 1 >= lx->end)
                break;
            p++;
        } else if (c == '[') {
            cls = true;
        } else if (c == ']') {
            cls = false;
        } else if (c == '/' && !cls) {
            p++;
            while (ident_cont[*p])
                p++;
            lx->last = T_LITERAL;
            return p;
        } else if (c == '\n' || c == '\r' || (c == 0 && p >= lx->end) ||
                   (c == 0xE2 && is_lt_at(p))) {
            break;
        }
    }
    // Most often a division we took for a regex: resume at the line end, so
    // one wrong guess costs at most the rest of a line.
    problem(lx, start, "unterminated regular expression");
    lx->last = T_LITERAL;
    return p;
}

/* ---- keywords ------------------------------------------------------------- */

/* First letters of the keywords keyword() knows. */
static const uint8_t kw_first[256] = {
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['i'] = 1,
    ['n'] = 1, ['r'] = 1, ['t'] = 1, ['v'] = 1, ['w'] = 1, ['y'] = 1,
};

enum kw {
    KW_NONE,
    KW_EXPR,
    KW_BLOCK,
    KW_CTRL,
    KW_JUMP,
    KW_TYPEOF,
    KW_IMPORT,
    KW_EXPORT,
    KW_REQUIRE,
    KW_DECLARE,
};

#define IS(lit) (n == sizeof(lit) - 1 && memcmp(s, lit, sizeof(lit) - 1) == 0)

static enum kw keyword(const uint8_t *s, size_t n)
{
    if (n < 2 || n > 10)
        return KW_NONE;
    switch (s[0]) {
    case 'a': return IS("await") ? KW_EXPR : KW_NONE;
    case 'b': return IS("break") ? KW_JUMP : KW_NONE;
    case 'c':
        if (IS("case"))
            return KW_EXPR;
        return IS("continue") ? KW_JUMP : KW_NONE;
    case 'd':
        if (IS("do"))
            return KW_BLOCK;
        if (IS("declare"))
            return KW_DECLARE;
        return IS("delete") || IS("default") ? KW_EXPR : KW_NONE;
    case 'e':
        if (IS("else"))
            return KW_BLOCK;
        if (IS("export"))
            return KW_EXPORT;
        return IS("extends") ? KW_EXPR : KW_NONE;
    case 'f':
        if (IS("for"))
            return KW_CTRL;
        return IS("finally") ? KW_BLOCK : KW_NONE;
    case 'i':
        if (IS("if"))
            return KW_CTRL;
        if (IS("in") || IS("instanceof"))
            return KW_EXPR;
        return IS("import") ? KW_IMPORT : KW_NONE;
    case 'n': return IS("new") ? KW_EXPR : KW_NONE;
    case 'r':
        if (IS("return"))
            return KW_EXPR;
        return IS("require") ? KW_REQUIRE : KW_NONE;
    case 't':
        if (IS("typeof"))
            return KW_TYPEOF;
        if (IS("throw"))
            return KW_EXPR;
        return IS("try") ? KW_BLOCK : KW_NONE;
    case 'v': return IS("void") ? KW_EXPR : KW_NONE;
    case 'w':
        if (IS("while") || IS("with"))
            return KW_CTRL;
        return KW_NONE;
    case 'y': return IS("yield") ? KW_EXPR : KW_NONE;
    default: return KW_NONE;
    }
}

static bool ident_start(uint8_t c)
{
    return ident_first[c];
}

/* Reads an identifier at p (p must be at an ident start); returns its end.
 * Identifiers are most of the bytes of a module, and a byte loop pays a
 * mispredicted exit per identifier; classifying 16 bytes at once and taking
 * the first non-identifier byte from a bit mask does not. Reading 16 bytes
 * from p is within the contract: p < end, and DS_LEX_PAD (16) zeros follow. */
static inline const uint8_t *ident_end(const uint8_t *p)
{
#ifdef __SSE2__
    unsigned first = 1u; // the first byte is the identifier's start (maybe '#')
    for (;;) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20)); // A-Z -> a-z
        // (x - lo) as signed < (hi - lo + 1) - 128 ... done with two compares.
        __m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                                      _mm_cmplt_epi8(lower, _mm_set1_epi8('z' + 1)));
        __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
        __m128i other = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')),
                                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('$'))),
                                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
        __m128i high = _mm_cmplt_epi8(v, _mm_setzero_si128()); // bytes >= 0x80
        __m128i id = _mm_or_si128(_mm_or_si128(alpha, digit), _mm_or_si128(other, high));
        unsigned mask = (unsigned)_mm_movemask_epi8(id);
        unsigned stop = ~(mask | first) & 0xFFFFu;
        // Non-ASCII bytes before the stop: U+00A0 and the other spaces are
        // not part of a word (rare: looked at one by one).
        unsigned hm = (unsigned)_mm_movemask_epi8(high) & (stop ? (stop & -stop) - 1 : 0xFFFFu);
        for (hm &= ~first; hm; hm &= hm - 1) {
            bool lt;
            if (uspace(p + __builtin_ctz(hm), &lt))
                return p + __builtin_ctz(hm);
        }
        if (stop)
            return p + __builtin_ctz(stop);
        p += 16;
        first = 0;
    }
#else
    bool lt;
    p++;
    while (ident_cont[*p] && !(*p >= 0x80 && uspace(p, &lt)))
        p++;
    return p;
#endif
}

/* ASCII identifier bytes: letters, digits, _ $. */
static const uint8_t ident_ascii[256] = {
    ['a' ... 'z'] = 1, ['A' ... 'Z'] = 1, ['0' ... '9'] = 1, ['_'] = 1, ['$'] = 1,
};

static bool word_is(const uint8_t *s, const uint8_t *e, const char *w)
{
    size_t n = strlen(w);
    return (size_t)(e - s) == n && memcmp(s, w, n) == 0;
}

/* Is the word at p the keyword w (at most DS_LEX_PAD bytes)? The same as
 * word_is(p, ident_end(p), w) for p at an identifier start, without
 * finding the word's end when its first bytes already differ. */
static inline bool word_at(const uint8_t *p, const char *w)
{
    size_t n = strlen(w);
    bool lt;
    return memcmp(p, w, n) == 0 && (!ident_cont[p[n]] || (p[n] >= 0x80 && uspace(p + n, &lt)));
}

/* ---- imports ------------------------------------------------------------- */

/* A string literal (or, when `tmpl`, a substitution-free template) at p:
 * its body [*s, *e) and the byte after it. NULL when there is none. */
static const uint8_t *literal_at(struct lexer *lx, const uint8_t *p, bool tmpl, const uint8_t **s,
                                 const uint8_t **e, bool *esc)
{
    const uint8_t *q;

    if (*p == '"' || *p == '\'') {
        q = scan_string(lx, p, esc);
        if (!q)
            return NULL;
    } else if (tmpl && *p == '`') {
        // Only a template with no `$`{ at all; scan it here rather than
        // through scan_template, which would push on `${`.
        q = p + 1;
        *esc = false;
        for (;;) {
            while (!template_stop[*q])
                q++;
            if (*q == '\\' && q + 1 < lx->end) {
                *esc = true;
                q += 2;
            } else if (*q == '$' && q[1] != '{') {
                q++;
            } else if (*q == 0 && q < lx->end) {
                q++;
            } else {
                break;
            }
        }
        if (*q != '`')
            return NULL;
        q++;
    } else {
        return NULL;
    }
    *s = p + 1;
    *e = q - 1;
    return q;
}

/* `( "x" )` at p for import() and require(): records the call and returns
 * true. The caller goes on lexing from the keyword, so nothing is skipped. */
static void call_with_literal(struct lexer *lx, const uint8_t *p, enum dscan_import_kind kind)
{
    const uint8_t *s, *e, *q;
    bool esc;

    p = skip_ws1(lx, p + 1);
    q = literal_at(lx, p, true, &s, &e, &esc);
    if (!q)
        return;
    q = skip_ws1(lx, q);
    // `import("x", {with: …})` takes options; require() takes one argument.
    if (*q == ')' || (*q == ',' && kind == DSCAN_IMPORT_DYNAMIC))
        add_import(lx, p, s, e, esc, kind, lx->out->n_names);
}

/* Scans `{ a, type B, "c" as d }` at p (at '{'); returns past '}' or NULL.
 * Counts named bindings and the type-only ones, and adds each other one to
 * out->names as (name, alias) when `names` is set and names are wanted. */
static const uint8_t *scan_braces(struct lexer *lx, const uint8_t *p, unsigned *named,
                                  unsigned *typed, bool names)
{
    // In `import type {…}` (names false in TypeScript) every binding is a type.
    bool all_types = !names && lx->ts;
    const uint8_t *q;

    p = skip_ws1(lx, p + 1);
    for (unsigned guard = 0; guard < 100000; guard++) {
        if (*p == '}')
            return p + 1;
        if (*p == ',') {
            p = skip_ws1(lx, p + 1);
            continue;
        }
        // One specifier: [type] name [as alias]
        struct word words[4];
        unsigned nw = 0;
        while (nw < 4) {
            struct word *w = &words[nw];
            if (*p == '"' || *p == '\'') {
                q = literal_at(lx, p, false, &w->s, &w->e, &w->esc);
                if (!q)
                    return NULL;
                w->str = true; // a string name is never `type` or `as`
                nw++;
                p = skip_ws1(lx, q);
            } else if (ident_start(*p)) {
                // Names in braces are short: a byte loop over ASCII ends
                // most of them before ident_end's 16-byte classes would.
                for (q = p + 1; ident_ascii[*q];)
                    q++;
                if (*q >= 0x80 || *q == '\\')
                    q = ident_end(p);
                *w = (struct word){p, q, false, false};
                nw++;
                p = skip_ws1(lx, q);
            } else {
                break;
            }
        }
        if (nw == 0 || (*p != ',' && *p != '}'))
            return NULL;
        (*named)++;
        if (!lx->ts && !lx->want_names)
            continue; // JavaScript, imports only: nothing else to learn
        // TypeScript's grammar: `type` is a modifier when a name follows it,
        // except in `type as X` (the binding `type`, renamed) — but
        // `type as as X` and `type as` name the binding `as`, type-only.
        bool first_type = !words[0].str && word_is(words[0].s, words[0].e, "type");
        bool second_as = nw > 1 && !words[1].str && word_is(words[1].s, words[1].e, "as");
        bool third_as = nw > 2 && !words[2].str && word_is(words[2].s, words[2].e, "as");
        bool typed_one = first_type && nw > 1 && (!second_as || nw == 2 || third_as);
        if (typed_one)
            (*typed)++;
        if (!lx->want_names)
            continue; // imports only: the counts are all the caller needs
        if (typed_one)
            add_type_name(lx, word_str(lx, &words[nw - 1]));
        else if (all_types)
            add_type_name(lx, word_str(lx, &words[nw == 3 ? 2 : 0]));
        else if (names) // `a` or `a as b`
            add_name(lx, word_str(lx, &words[0]), word_str(lx, &words[nw == 3 ? 2 : 0]));
    }
    return NULL;
}

/* After `from` (p at the start of the word): the specifier literal. */
static const uint8_t *from_literal(struct lexer *lx, const uint8_t *p, const uint8_t **q,
                                   const uint8_t **s, const uint8_t **e, bool *esc)
{
    if (!word_at(p, "from"))
        return NULL;
    *q = skip_ws1(lx, p + 4);
    return literal_at(lx, *q, false, s, e, esc);
}

/* Defined with the look-backs below. */
static enum tok lookback(struct lexer *lx, const uint8_t *p);

/* At `import` (p past the keyword). Returns where lexing goes on. */
static const uint8_t *on_import(struct lexer *lx, const uint8_t *kw, const uint8_t *p)
{
    struct ds_lex_result *out = lx->out;
    size_t names0 = out->n_names;
    const uint8_t *s, *e, *q, *lit;
    bool esc;
    unsigned named = 0, typed = 0;
    bool binding = false;   // a default or namespace binding
    bool type_only = false; // `import type …`: erased
    bool phase = false;     // `import source x`, `import defer * as ns`

    p = skip_ws1(lx, p);
    if (*p == '(') {
        // `typeof import("x")` and `: import("x").T` are TypeScript types.
        // Only this case needs the token before `import`: looked back here.
        if (lx->ts) {
            enum tok t = lookback(lx, kw);
            if (t == T_KW_TYPEOF || (t == T_COLON && top(lx) != O_OBJECT))
                return kw + 6;
        }
        call_with_literal(lx, p, DSCAN_IMPORT_DYNAMIC);
        return kw + 6;
    }
    if (*p == '.')
        return kw + 6; // import.meta
    lit = literal_at(lx, p, false, &s, &e, &esc);
    if (lit) {
        add_import(lx, p, s, e, esc, DSCAN_IMPORT_STATIC, names0);
        lx->consumed = true;
        return lit;
    }
    if (ident_start(*p)) {
        const uint8_t *w = ident_end(p);
        const uint8_t *n = skip_ws1(lx, w);
        if (word_is(p, w, "type") && *n != ',' && *n != '=' &&
            !(ident_start(*n) && from_literal(lx, n, &q, &s, &e, &esc))) {
            // `import type X from`, `import type {…}`, `import type * as`
            // are erased; only `import type from "x"` binds a value `type`.
            // `import type T = require("x")` is erased too: step past
            // its `require` so the main loop does not take it.
            q = ident_start(*n) ? skip_ws1(lx, ident_end(n)) : n;
            if (*q == '=') {
                q = skip_ws1(lx, q + 1);
                if (word_at(q, "require"))
                    return ident_end(q);
                return kw + 6;
            }
            type_only = true;
            p = n;
        } else if (*n == '=') {
            // TypeScript `import x = require("x")`; `import x = A.B` is an alias.
            q = skip_ws1(lx, n + 1);
            if (word_at(q, "require")) {
                q = skip_ws1(lx, ident_end(q));
                if (*q == '(')
                    call_with_literal(lx, q, DSCAN_IMPORT_REQUIRE);
                return q; // past `require`, so it is not seen twice
            }
            return kw + 6;
        } else if ((word_is(p, w, "source") || word_is(p, w, "defer")) &&
                   (*n == '*' || (ident_start(*n) && !word_at(n, "from")))) {
            phase = true; // a phase before the binding (import-phase proposals)
            p = n;
        }
    }
    lit = NULL;
    if (ident_start(*p)) {
        const uint8_t *w = ident_end(p);
        if (!word_is(p, w, "from") || !(lit = from_literal(lx, p, &q, &s, &e, &esc))) {
            // A source-phase binding is the module's source, not its default.
            if (!type_only)
                add_name(lx, phase ? DS_STR("*") : DS_STR("default"), slice(p, w));
            else
                add_type_name(lx, slice(p, w));
            binding = true;
            p = skip_ws1(lx, w);
            if (*p == ',')
                p = skip_ws1(lx, p + 1);
        }
    }
    if (!lit) {
        if (*p == '*') {
            // * as ns
            p = skip_ws1(lx, p + 1);
            if (!word_at(p, "as"))
                goto fail;
            p = skip_ws1(lx, ident_end(p));
            if (!ident_start(*p))
                goto fail;
            q = ident_end(p);
            if (!type_only)
                add_name(lx, DS_STR("*"), slice(p, q));
            else
                add_type_name(lx, slice(p, q));
            p = skip_ws1(lx, q);
            binding = true;
        } else if (*p == '{') {
            p = scan_braces(lx, p, &named, &typed, !type_only);
            if (!p)
                goto fail;
            p = skip_ws1(lx, p);
        }
        lit = from_literal(lx, p, &q, &s, &e, &esc);
        if (!lit)
            goto fail;
    }
    lx->consumed = true;
    // esbuild (and tsc without verbatimModuleSyntax) drop an import whose
    // named bindings are all `type` and that binds nothing else.
    if (type_only || (lx->ts && !binding && named > 0 && typed == named))
        out->n_names = names0;
    else
        add_import(lx, q, s, e, esc, DSCAN_IMPORT_STATIC, names0);
    return lit;
fail:
    out->n_names = names0;
    return kw + 6;
}

/* ---- local exports ---------------------------------------------------------- */

/* Words after which an expression starts (so `/` is a regex), although
 * they look like identifiers. */
static bool expr_keyword(const uint8_t *s, const uint8_t *e)
{
    size_t n = (size_t)(e - s);
    if (!kw_first[*s] || n < 2 || n > 10)
        return word_is(s, e, "of");
    enum kw k = keyword(s, n);
    return k == KW_EXPR || k == KW_TYPEOF || k == KW_BLOCK || word_is(s, e, "of");
}

/* After a line end at p (whitespace skipped), in a position where the
 * previous token ended an expression: does a new statement start here
 * (automatic semicolon insertion), or does the expression go on? */
static bool new_statement(const uint8_t *p)
{
    if ((p[0] == '+' || p[0] == '-') && p[1] == p[0])
        return true; // `++x` on a new line is a statement of its own
    if (strchr("([.,?+-*/%=<>&|^`!", *p) && *p)
        return *p == '!' && p[1] != '=';
    if (ident_start(*p)) {
        const uint8_t *e = ident_end(p);
        return !(word_is(p, e, "in") || word_is(p, e, "instanceof") || word_is(p, e, "as") ||
                 word_is(p, e, "satisfies"));
    }
    return true;
}

/* p is just past '`' or past the `}` closing a `${`: returns past the
 * closing '`' (*open false) or past the next `${` (*open true); NULL at the
 * end of input. */
static const uint8_t *template_part(const struct lexer *lx, const uint8_t *p, bool *open)
{
    for (;;) {
        while (!template_stop[*p])
            p++;
        if (*p == '`') {
            *open = false;
            return p + 1;
        }
        if (*p == '$' && p[1] == '{') {
            *open = true;
            return p + 2;
        }
        if (p >= lx->end)
            return NULL;
        p += *p == '\\' ? 2 : 1;
    }
}

/* TypeScript type arguments of a call, `f<A, B<C>>(` or f<T>`…`: p is at
 * '<' after an identifier; returns past the matching '>' when what follows
 * it is '(' or '`', else NULL (then `<` compares). Looks at most 256 bytes
 * ahead, within a budget per file, so lexing stays linear. */
static const uint8_t *type_args_end(struct lexer *lx, const uint8_t *p)
{
    static const uint8_t type_byte[256] = {
        ['a' ... 'z'] = 1, ['A' ... 'Z'] = 1, ['0' ... '9'] = 1, ['_'] = 1,  ['$'] = 1,
        [' '] = 1,         ['\t'] = 1,        ['\n'] = 1,        ['\r'] = 1, [','] = 1,
        ['.'] = 1,         ['['] = 1,         [']'] = 1,         ['|'] = 1,  ['&'] = 1,
        ['{'] = 1,         ['}'] = 1,         [':'] = 1,         [';'] = 1,  ['?'] = 1,
        ['('] = 1,         [')'] = 1,         ['\''] = 1,        ['"'] = 1,  [0x80 ... 0xFF] = 1,
    };
    const uint8_t *lim = p + 256 < lx->end ? p + 256 : lx->end;
    unsigned depth = 0;

    if (lx->targ_budget < 256)
        return NULL;
    lx->targ_budget -= 256;
    for (; p < lim; p++) {
        if (*p == '<') {
            depth++;
        } else if (*p == '>' && p[-1] != '=') {
            if (--depth == 0) {
                bool nl = false;
                const uint8_t *n = skip_ws(lx, p + 1, &nl);
                // f<T>(x), f<T>`x`, and an arrow's return type `): R<T> =>`
                return *n == '(' || *n == '`' || (n[0] == '=' && n[1] == '>') ? p + 1 : NULL;
            }
        } else if (*p == '=' && p[1] == '>') {
            p++; // a function type's arrow
        } else if (!type_byte[*p]) {
            return NULL;
        }
    }
    return NULL;
}

/* Defined with the main loop's JSX below. */
static bool jsx_starts(struct lexer *lx, const uint8_t *p);
static bool jsx_after_eq(const struct lexer *lx, const uint8_t *p);
static const uint8_t *jsx_name(struct lexer *lx, const uint8_t *p);
static const uint8_t *skip_type_args(struct lexer *lx, const uint8_t *p);

/* JSX inside skip_expr's side read. The element's state lives on skip_expr's
 * bracket stack: 'A' in a tag (attributes), 'E' among its children. From p
 * (in the state the stack's top says), reads on until a `{` hole opens
 * (pushed as '{'; JavaScript goes on) or the outermost element ends
 * (*done). NULL when the input ends or the stack is full. */
static const uint8_t *jsx_skip(struct lexer *lx, const uint8_t *p, uint8_t *stack, unsigned *depth,
                               unsigned cap, bool *done)
{
    *done = false;
    for (;;) {
        if (p >= lx->end || *depth == 0)
            return NULL;
        if (stack[*depth - 1] == 'A') { // in a tag
            p = skip_ws1(lx, p);
            if (*p == '/' && p[1] == '>') {
                p += 2;
                --*depth;
            } else if (*p == '>') {
                stack[*depth - 1] = 'E';
                p++;
                continue;
            } else if (*p == '{') {
                if (*depth == cap)
                    return NULL;
                stack[(*depth)++] = '{';
                return p + 1;
            } else if (*p == '"' || *p == '\'') {
                const uint8_t *q = memchr(p + 1, *p, (size_t)(lx->end - (p + 1)));
                if (!q)
                    return NULL;
                p = q + 1;
                continue;
            } else if (*p == '<' && jsx_after_eq(lx, p)) { // a=<b/>
                if (*depth == cap)
                    return NULL;
                stack[(*depth)++] = 'A';
                p = jsx_name(lx, p + 1);
                continue;
            } else {
                p++;
                continue;
            }
        } else { // among children
            while (!jsx_text_stop[*p])
                p++;
            if (*p == '{') {
                if (*depth == cap)
                    return NULL;
                stack[(*depth)++] = '{';
                return p + 1;
            }
            if (*p != '<')
                return NULL; // the input ended
            const uint8_t *q = skip_ws1(lx, p + 1);
            if (*q == '/') { // </name>: this element ends
                const uint8_t *gt = memchr(q, '>', (size_t)(lx->end - q));
                if (!gt)
                    return NULL;
                p = gt + 1;
                --*depth;
            } else {
                if (*depth == cap)
                    return NULL;
                stack[(*depth)++] = 'A';
                p = jsx_name(lx, q);
                continue;
            }
        }
        // An element ended: its parent's state goes on, or JavaScript does.
        if (*depth == 0 || (stack[*depth - 1] != 'A' && stack[*depth - 1] != 'E')) {
            *done = true;
            return p;
        }
    }
}

/* Bytes skip_expr passes over in one run: word bytes, digits, blanks and
 * the operators that open or close nothing (not `=`: in a type it ends). */
static const uint8_t expr_boring[256] = {
    ['a' ... 'z'] = 1, ['A' ... 'Z'] = 1, ['0' ... '9'] = 1, ['_'] = 1, ['$'] = 1, ['\\'] = 1,
    ['#'] = 1,         [' '] = 1,         ['\t'] = 1,        ['.'] = 1, [':'] = 1, ['?'] = 1,
    ['!'] = 1,         ['+'] = 1,         ['-'] = 1,         ['*'] = 1, ['%'] = 1, ['&'] = 1,
    ['|'] = 1,         ['^'] = 1,         ['~'] = 1,         ['@'] = 1,
};

/* Does the run of boring bytes [r0, q) (q[-1] not blank) end with a token
 * that ends an expression: a word that is no operator keyword, a number,
 * `x++`? */
static bool run_ends_expr(const uint8_t *r0, const uint8_t *q)
{
    uint8_t c = q[-1];
    if (ident_cont[c]) {
        const uint8_t *s = q;
        while (s > r0 && ident_cont[s[-1]])
            s--;
        return (*s >= '0' && *s <= '9') || !expr_keyword(s, q);
    }
    return (c == '+' || c == '-') && q - 1 > r0 && q[-2] == c;
}

/* TypeScript: is the `<` at p the type arguments of a type after `as` or
 * `satisfies` (`x as Map<K, V>`)? Looks back over the type's name. */
static bool after_as(const uint8_t *lo, const uint8_t *p)
{
    const uint8_t *q = p, *e;
    while (q > lo && (q[-1] == ' ' || q[-1] == '\t'))
        q--;
    while (q > lo && (ident_cont[q[-1]] || q[-1] == '.'))
        q--;
    while (q > lo && is_space(q[-1]))
        q--;
    for (e = q; q > lo && ident_cont[q[-1]];)
        q--;
    return (e - q == 2 && q[0] == 'a' && q[1] == 's') ||
           (e - q == 9 && memcmp(q, "satisfies", 9) == 0);
}

/* Skips an expression (an initializer, a default value in a pattern) or,
 * with `type`, a TypeScript type annotation, from p to the first `,` `;`
 * `)` `]` `}` (and, in a type, `=`) outside its own brackets, or to where a
 * new statement starts after a line end. NULL when it meets what needs the
 * whole lexer (JSX) or the input ends inside a bracket. A side read: the
 * main loop lexes the same bytes again, so nothing is recorded here. */
static const uint8_t *skip_expr(struct lexer *lx, const uint8_t *p, bool type)
{
    uint8_t stack[64]; // ( [ { ` < and JSX's A E
    unsigned depth = 0;
    bool ended = false; // the previous token ends an expression
    bool esc, open;
    const uint8_t *q, *const start = p;

    for (;;) {
        // Identifiers, numbers, spaces and most operators change nothing
        // but `ended`, which the run's last token decides: one table loop.
        const uint8_t *r0 = p;
        while (expr_boring[*p])
            p++;
        if (p > r0) {
            for (q = p; q > r0 && (q[-1] == ' ' || q[-1] == '\t');)
                q--;
            if (q > r0)
                ended = run_ends_expr(r0, q);
        }
        bool nl = false;
        if (*p == '\n' || *p == '\r' || *p == '/' || *p >= 0x80 || *p == '\v' || *p == '\f')
            p = skip_ws(lx, p, &nl);
        uint8_t c = *p;
        if (c == 0 && p >= lx->end)
            return depth ? NULL : p;
        if (depth == 0) {
            if (nl && ended && new_statement(p))
                return p;
            if (c == ',' || c == ';' || c == ')' || c == ']' || c == '}' ||
                (type && c == '=' && p[1] != '>'))
                return p;
        }
        switch (c) {
        case '(':
        case '[':
        case '{':
            if (depth == sizeof stack)
                return NULL;
            stack[depth++] = c;
            p++;
            ended = false;
            break;
        case ')':
        case ']':
        case '}':
            p++;
            ended = true;
            if (stack[--depth] == '`') { // `}` of a `${`: the template goes on
                if (!(p = template_part(lx, p, &open)))
                    return NULL;
                if (open)
                    depth++, ended = false;
            } else if (depth && (stack[depth - 1] == 'A' || stack[depth - 1] == 'E')) {
                bool done; // the `}` of a JSX hole: the element goes on
                if (!(p = jsx_skip(lx, p, stack, &depth, sizeof stack, &done)))
                    return NULL;
                ended = done;
            }
            break;
        case '"':
        case '\'':
            if (!(p = scan_string(lx, p, &esc)))
                return NULL;
            ended = true;
            break;
        case '`':
            if (!(p = template_part(lx, p + 1, &open)))
                return NULL;
            ended = !open;
            if (open) {
                if (depth == sizeof stack)
                    return NULL;
                stack[depth++] = '`';
            }
            break;
        case '/':
            if (ended) { // division
                p++;
                ended = false;
                break;
            }
            {
                const uint8_t *r = scan_regex(lx, p), *f = r;
                while (f > p + 1 && ident_cont[f[-1]])
                    f--; // back over the flags
                if (f <= p + 1 || f[-1] != '/')
                    return NULL; // an unterminated regex: lost
                p = r;
            }
            ended = true;
            break;
        case '<':
            if (p[1] == '<' || p[1] == '=') { // `<<`, `<=`, `<<=`: operators
                p += p[1] == '<' && p[2] == '=' ? 3 : 2;
                ended = false;
                break;
            }
            if (!type && lx->jsx && !ended && jsx_starts(lx, p)) { // an element
                bool done;
                if (depth == sizeof stack)
                    return NULL;
                stack[depth++] = 'A';
                if (!(p = jsx_skip(lx, jsx_name(lx, p + 1), stack, &depth, sizeof stack, &done)))
                    return NULL;
                ended = done;
                break;
            }
            bool in_list = depth && stack[depth - 1] == '<'; // type parameters
            if (!type && lx->ts && ended && !in_list && (q = type_args_end(lx, p)) != NULL) {
                p = q; // `f<A, B>(x)`: its commas separate no declarators
                break;
            }
            // In a type, and in TypeScript where an expression starts
            // (`<T, U>(x: T) => x`, `<T>x`), `<` opens a list.
            if (type || (lx->ts && (!ended || in_list || after_as(start, p)))) {
                if (depth == sizeof stack)
                    return NULL;
                stack[depth++] = '<';
            }
            p++;
            ended = false;
            break;
        case '>':
            if (depth && stack[depth - 1] == '<' && p[-1] != '=') {
                depth--;
                ended = true;
            } else {
                ended = false;
            }
            p++;
            break;
        default:
            if (expr_boring[c])
                break;       // after a line end or a comment: the next run
            if (c >= 0x80) { // not a space: a word's byte
                p = ident_end(p);
                ended = true;
                break;
            }
            p++; // `=` and what else is left
            ended = false;
            break;
        }
    }
}

/* A binding pattern at p (`{a, b: c = 1, ...d}` or `[e, , f]`, nested):
 * adds each bound name as an export; returns past it, or NULL. Iterative,
 * with a fixed stack: input nesting never recurses. */
static const uint8_t *read_pattern(struct lexer *lx, const uint8_t *p)
{
    uint8_t stack[32];
    unsigned depth = 0;
    bool esc;

    stack[depth++] = *p++;
    for (;;) {
        p = skip_ws1(lx, p);
        uint8_t kind = stack[depth - 1];
        if (*p == (kind == '{' ? '}' : ']')) {
            p++;
            if (--depth == 0)
                return p;
            goto after; // the nested pattern was an element's target
        }
        if (kind == '[' && *p == ',') { // a hole
            p++;
            continue;
        }
        bool rest = p[0] == '.' && p[1] == '.' && p[2] == '.';
        if (rest)
            p = skip_ws1(lx, p + 3);
        if (kind == '{' && !rest) {
            const uint8_t *k = p;
            if (ident_start(*p)) {
                p = skip_ws1(lx, ident_end(k));
                if (*p != ':') { // shorthand: the key is the binding
                    add_export(lx, slice(k, ident_end(k)), slice(k, ident_end(k)));
                    goto after;
                }
            } else if (*p == '"' || *p == '\'') {
                if (!(p = scan_string(lx, p, &esc)))
                    return NULL;
                p = skip_ws1(lx, p);
            } else if (*p >= '0' && *p <= '9') {
                while (ident_cont[*p] || *p == '.')
                    p++;
                p = skip_ws1(lx, p);
            } else if (*p == '[') { // computed key
                if (!(p = skip_expr(lx, p + 1, false)) || *p != ']')
                    return NULL;
                p = skip_ws1(lx, p + 1);
            } else {
                return NULL;
            }
            if (*p != ':')
                return NULL;
            p = skip_ws1(lx, p + 1);
        }
        if (*p == '{' || *p == '[') {
            if (depth == sizeof stack)
                return NULL;
            stack[depth++] = *p++;
            continue;
        }
        if (!ident_start(*p))
            return NULL;
        add_export(lx, slice(p, ident_end(p)), slice(p, ident_end(p)));
        p = ident_end(p);
    after:
        p = skip_ws1(lx, p);
        if (*p == '=' && p[1] != '=') {
            if (!(p = skip_expr(lx, p + 1, false)))
                return NULL;
        }
        if (*p == ',')
            p++;
        else if (*p != '}' && *p != ']')
            return NULL;
    }
}

/* `export const|let|var` declarators from p: adds each bound name. A
 * declarator the reader loses track of drops its names and marks the
 * export list unsure. */
static void export_declarators(struct lexer *lx, const uint8_t *p)
{
    struct ds_lex_result *out = lx->out;

    for (;;) {
        size_t n0 = out->n_exports;
        bool nl = false;
        p = skip_ws1(lx, p);
        if (*p == '{' || *p == '[') {
            p = read_pattern(lx, p);
        } else if (ident_start(*p)) {
            add_export(lx, slice(p, ident_end(p)), slice(p, ident_end(p)));
            p = ident_end(p);
        } else {
            p = NULL;
        }
        if (p) {
            p = skip_ws(lx, p, &nl);
            if (lx->ts && *p == '!') // definite assignment: `let x!: T`
                p = skip_ws(lx, p + 1, &nl);
            if (lx->ts && *p == ':') {
                p = skip_expr(lx, p + 1, true);
                nl = false;
            }
        }
        if (p && *p == '=' && p[1] != '=') {
            p = skip_expr(lx, p + 1, false);
            if (!p) { // lost in the initializer: this name stands, later ones are unknown
                out->exports_unsure = true;
                return;
            }
            nl = true; // skip_expr stops only where the declarator may end
        }
        if (p && *p == ',') {
            p++;
            continue;
        }
        // The declaration ends here, or the names were misread
        // (`export const x = f<A, B>(y)` in TypeScript: `B>` is no binding).
        if (p && (*p == ';' || *p == '}' || (*p == 0 && p >= lx->end) || nl))
            return;
        out->n_exports = n0;
        out->exports_unsure = true;
        return;
    }
}

/* `export default …` with p past `default`. The local binding is the
 * declared function or class, or a lone identifier (`export default x;`). */
static void export_default(struct lexer *lx, const uint8_t *p)
{
    struct ds_str local = ds_str_make("", 0);

    p = skip_ws1(lx, p);
    if (ident_start(*p)) {
        const uint8_t *w = ident_end(p);
        if (lx->ts && word_is(p, w, "interface"))
            return; // a type
        if (word_is(p, w, "async") || (lx->ts && word_is(p, w, "abstract")))
            w = ident_end(p = skip_ws1(lx, w));
        if (word_is(p, w, "function") || word_is(p, w, "class")) {
            const uint8_t *n = skip_ws1(lx, w);
            if (*n == '*')
                n = skip_ws1(lx, n + 1);
            const uint8_t *ne = ident_start(*n) ? ident_end(n) : n;
            if (ne > n && !word_is(n, ne, "extends") && !word_is(n, ne, "implements"))
                local = slice(n, ne);
        } else if (!expr_keyword(p, w)) {
            bool nl = false;
            const uint8_t *n = skip_ws(lx, w, &nl);
            if (*n == ';' || *n == '}' || (*n == 0 && n >= lx->end) || (nl && new_statement(n)))
                local = slice(p, w);
        }
    }
    add_export(lx, DS_STR("default"), local);
}

/* A top-level `export` that is not `export {…}` or `export *`: p is at the
 * word after it. Adds the names it declares. */
static void local_export(struct lexer *lx, const uint8_t *p)
{
    if (*p == ':')
        return;      // a key or a label named `export`, in a script
    if (*p == '=') { // TypeScript `export = x`: a CommonJS export
        lx->out->exports_unsure = true;
        return;
    }
    if (!ident_start(*p)) {
        lx->out->exports_unsure = true; // `export @dec class` and the like
        return;
    }
    const uint8_t *w = ident_end(p);
    if (word_is(p, w, "default")) {
        export_default(lx, w);
        return;
    }
    if (lx->ts && (word_is(p, w, "declare") || word_is(p, w, "type") ||
                   word_is(p, w, "interface") || word_is(p, w, "as")))
        return; // types only (`export as namespace` too)
    if (word_is(p, w, "async") || (lx->ts && word_is(p, w, "abstract")))
        w = ident_end(p = skip_ws1(lx, w));
    if (word_is(p, w, "const") || word_is(p, w, "let") || word_is(p, w, "var")) {
        const uint8_t *n = skip_ws1(lx, w);
        if (!(lx->ts && word_at(n, "enum"))) {
            export_declarators(lx, w);
            return;
        }
        w = ident_end(p = n); // `export const enum E`
    }
    bool named = word_is(p, w, "function") || word_is(p, w, "class") ||
                 (lx->ts && (word_is(p, w, "enum") || word_is(p, w, "namespace") ||
                             word_is(p, w, "module") || word_is(p, w, "import")));
    if (!named) {
        lx->out->exports_unsure = true;
        return;
    }
    const uint8_t *n = skip_ws1(lx, w);
    if (*n == '*') // function*
        n = skip_ws1(lx, n + 1);
    if (!ident_start(*n)) {
        lx->out->exports_unsure = true;
        return;
    }
    add_export(lx, slice(n, ident_end(n)), slice(n, ident_end(n)));
}

/* At `export` (p past the keyword). */
static const uint8_t *on_export(struct lexer *lx, const uint8_t *kw, const uint8_t *p)
{
    struct ds_lex_result *out = lx->out;
    size_t names0 = out->n_names;
    const uint8_t *s, *e, *q, *lit, *braces_end = NULL;
    bool esc, type_only = false;
    unsigned named = 0, typed = 0;

    p = skip_ws1(lx, p);
    if (lx->ts && word_at(p, "type")) {
        q = skip_ws1(lx, ident_end(p));
        if (*q == '{' || *q == '*') { // `export type {…}`, `export type * from`
            type_only = true;
            p = q;
        }
    }
    if (*p == '*') {
        // export * from "x" | export * as ns from "x" | export * as "n" from
        struct word ns = {0};
        p = skip_ws1(lx, p + 1);
        if (word_at(p, "as")) {
            p = skip_ws1(lx, ident_end(p));
            if (*p == '"' || *p == '\'') {
                if (!(q = literal_at(lx, p, false, &ns.s, &ns.e, &ns.esc)))
                    return kw + 6;
                ns.str = true;
                p = skip_ws1(lx, q);
            } else if (ident_start(*p)) {
                ns = (struct word){p, ident_end(p), false, false};
                p = skip_ws1(lx, ns.e);
            }
        }
        if (lx->want_names)
            add_name(lx, DS_STR("*"), ns.s ? word_str(lx, &ns) : ds_str_make("", 0));
    } else if (*p == '{') {
        p = scan_braces(lx, p, &named, &typed, !type_only);
        if (!p)
            return kw + 6;
        braces_end = p;
        p = skip_ws1(lx, p);
    } else {
        // Only exports come of this side read (the look-ahead budget its
        // type arguments spend is no one else's): skipped without names.
        if (lx->depth == 0 && lx->want_names) {
            lx->quiet = true; // a side read: the main loop lexes it next
            local_export(lx, p);
            lx->quiet = false;
        }
        // `export const …`, not a key (`{export: 1}`) or a label.
        if (ident_start(*p) || (lx->ts && *p == '='))
            out->module_syntax = true;
        return kw + 6; // export type …, export const …, export default …
    }
    lit = from_literal(lx, p, &q, &s, &e, &esc);
    if (!lit && braces_end) {
        // `export { a, b as c }` of local names: (name, alias) become
        // exports named by the alias.
        if (lx->depth == 0 && lx->want_names)
            for (size_t i = names0; i < out->n_names; i++)
                if (!is_type_name(lx, out->names[i].imported))
                    add_export(lx, out->names[i].local, out->names[i].imported);
        out->n_names = names0;
        lx->consumed = true;
        return braces_end;
    }
    if (!lit) {
        out->n_names = names0;
        return kw + 6;
    }
    if (type_only || (lx->ts && named > 0 && typed == named))
        out->n_names = names0;
    else
        add_import(lx, q, s, e, esc, DSCAN_IMPORT_REEXPORT, names0);
    lx->consumed = true;
    return lit;
}

/* p is at '{': returns past its matching '}', skipping strings, templates
 * and comments; the body is not lexed (it is all types). */
static const uint8_t *skip_braces(struct lexer *lx, const uint8_t *p)
{
    const uint8_t *end = lx->end;
    size_t depth = 0;
    bool esc;

    while (p < end) {
        switch (*p) {
        case '{':
            depth++;
            p++;
            break;
        case '}':
            p++;
            if (--depth == 0)
                return p;
            break;
        case '"':
        case '\'':
            p = scan_string(lx, p, &esc);
            if (!p)
                return end;
            break;
        case '`': {
            const uint8_t *q = memchr(p + 1, '`', (size_t)(end - (p + 1)));
            p = q ? q + 1 : end;
            break;
        }
        case '/':
            if (p[1] == '/' || p[1] == '*') {
                p = skip_comment(lx, p);
                break;
            }
            p++;
            break;
        default: p++; break;
        }
    }
    return end;
}

/* TypeScript `declare module "x" { … }`, `declare global { … }`,
 * `declare namespace N { … }`: ambient declarations, whose `import` and
 * `export … from` are types. p is past `declare`. */
static const uint8_t *on_declare(struct lexer *lx, const uint8_t *p)
{
    const uint8_t *q = skip_ws1(lx, p);
    bool esc;

    if (!ident_start(*q))
        return p;
    const uint8_t *w = ident_end(q);
    if (!word_is(q, w, "module") && !word_is(q, w, "namespace") && !word_is(q, w, "global"))
        return p;
    q = skip_ws1(lx, w);
    if (*q == '"' || *q == '\'') {
        if (!(q = scan_string(lx, q, &esc)))
            return p;
        q = skip_ws1(lx, q);
    } else {
        while (ident_start(*q) || *q == '.')
            q = *q == '.' ? q + 1 : ident_end(q);
        q = skip_ws1(lx, q);
    }
    if (*q != '{')
        return p;
    lx->consumed = true;
    return skip_braces(lx, q);
}

/* ---- JSX ------------------------------------------------------------------ */

enum jsx_state { J_NAME, J_TAG, J_CHILDREN };

/* Is `<` at p the start of JSX (it is in expression position)? */
static bool jsx_starts(struct lexer *lx, const uint8_t *p)
{
    const uint8_t *q = p + 1;

    if (*q == '>')
        return true; // fragment
    if (!ident_start(*q) || *q == '\\')
        return false;
    if (lx->lang != DS_LANG_TSX)
        return true;
    // In .tsx `<T,>(x) => x` and `<T extends U>(x) => x` are type parameters
    // of an arrow function (TypeScript's own rule); `<T>(x)` is JSX.
    const uint8_t *w = ident_end(q);
    if (word_is(q, w, "const")) {
        const uint8_t *r = skip_ws1(lx, w);
        if (ident_start(*r))
            w = ident_end(q = r);
    }
    const uint8_t *r = skip_ws1(lx, w);
    // `<T = {}>(…)` (a default, as in call signatures) cannot be JSX either:
    // an attribute needs a name before its `=`, and `<div =` is not one.
    if (*r == ',' || (*r == '=' && r[1] != '>'))
        return false;
    if (word_at(r, "extends") && r > w)
        return false;
    return true;
}

/* After the '<' of a tag in a side read: past its name (and type
 * arguments); a fragment's '>' is left for the tag state to take. */
static const uint8_t *jsx_name(struct lexer *lx, const uint8_t *p)
{
    while (ident_cont[*p] || *p == '.' || *p == ':' || *p == '-' || *p == '#')
        p++;
    if (lx->ts && *skip_ws1(lx, p) == '<')
        p = skip_type_args(lx, skip_ws1(lx, p));
    return p;
}

/* Is the `<` at p, inside a tag, an attribute's value (`=` before it)? */
static bool jsx_after_eq(const struct lexer *lx, const uint8_t *p)
{
    const uint8_t *q = back_blank(lx->src, p);
    return q > lx->src && q[-1] == '=';
}

/* TypeScript type arguments of a JSX tag, `<Foo<Bar, Baz<Q>>`: p is at the
 * inner '<'; returns past its matching '>' (strings skipped, `=>` not a
 * closer), or the end of the input. */
static const uint8_t *skip_type_args(struct lexer *lx, const uint8_t *p)
{
    size_t depth = 0;
    bool esc;

    while (p < lx->end) {
        if (*p == '<') {
            depth++;
        } else if (*p == '>' && p[-1] != '=') {
            if (--depth == 0)
                return p + 1;
        } else if (*p == '"' || *p == '\'') {
            const uint8_t *q = scan_string(lx, p, &esc);
            if (!q)
                return lx->end;
            p = q;
            continue;
        }
        p++;
    }
    return lx->end;
}

/* Scans JSX from p in `state` until it ends (last = T_JSX) or a `{…}` hole
 * opens (a marker is pushed and lexing goes back to JavaScript). */
static const uint8_t *lex_jsx(struct lexer *lx, const uint8_t *p, enum jsx_state state)
{
    const uint8_t *end = lx->end;

    for (;;) {
        switch (state) {
        case J_NAME:
            // <a.b:c-d  — p is just after '<'
            if (*p == '>') {
                if (!push(lx, O_JSX_ELEM))
                    return end;
                p++;
                state = J_CHILDREN;
                break;
            }
            while (ident_cont[*p] || *p == '.' || *p == ':' || *p == '-' || *p == '#')
                p++;
            if (lx->ts && *skip_ws1(lx, p) == '<') // <Foo<Bar> …>: type arguments
                p = skip_type_args(lx, skip_ws1(lx, p));
            state = J_TAG;
            break;
        case J_TAG:
            p = skip_ws1(lx, p);
            switch (*p) {
            case '>':
                if (!push(lx, O_JSX_ELEM))
                    return end;
                p++;
                state = J_CHILDREN;
                break;
            case '/':
                if (p[1] != '>') {
                    p++;
                    break;
                }
                p += 2;
                if (top(lx) == O_JSX_VALUE && lx->depth) { // `a=<b/>`: back to the tag
                    lx->depth--;
                    break;
                }
                if (top(lx) != O_JSX_ELEM || lx->depth == 0) {
                    lx->last = T_JSX;
                    return p;
                }
                state = J_CHILDREN; // a self-closed child
                break;
            case '<':
                // After `=`, an element is the attribute's value; its end
                // comes back to this tag.
                if (jsx_after_eq(lx, p)) {
                    if (!push(lx, O_JSX_VALUE))
                        return end;
                    p++;
                    state = J_NAME;
                    break;
                }
                p++;
                break;
            case '{':
                if (!push(lx, O_JSX_ATTR))
                    return end;
                lx->last = T_PUNCT;
                return p + 1;
            case '"':
            case '\'': {
                // JSX attribute strings have no escapes: "\" is a whole string.
                const uint8_t *q = memchr(p + 1, *p, (size_t)(end - (p + 1)));
                if (!q) {
                    problem(lx, p, "unterminated string");
                    return end;
                }
                p = q + 1;
                break;
            }
            case 0:
                if (p >= end) {
                    problem(lx, p, "unterminated JSX tag");
                    return end;
                }
                p++;
                break;
            default: p++; break;
            }
            break;
        case J_CHILDREN:
            while (!jsx_text_stop[*p])
                p++;
            if (*p == '{') {
                if (!push(lx, O_JSX_CHILD))
                    return end;
                lx->last = T_PUNCT;
                return p + 1;
            }
            if (*p == '<') {
                const uint8_t *q = skip_ws1(lx, p + 1);
                if (*q != '/') {
                    p = q;
                    state = J_NAME;
                    break;
                }
                // </name>: the element ends.
                const uint8_t *gt = memchr(q, '>', (size_t)(end - q));
                if (!gt) {
                    problem(lx, p, "unterminated JSX closing tag");
                    return end;
                }
                p = gt + 1;
                if (top(lx) == O_JSX_ELEM && lx->depth)
                    lx->depth--;
                if (top(lx) == O_JSX_VALUE && lx->depth) { // `a=<b>…</b>`: back to the tag
                    lx->depth--;
                    state = J_TAG;
                    break;
                }
                if (top(lx) != O_JSX_ELEM || lx->depth == 0) {
                    lx->last = T_JSX;
                    return p;
                }
                break;
            }
            if (p >= end) {
                problem(lx, p, "unterminated JSX element");
                return end;
            }
            p++; // NUL in text
            break;
        }
    }
}

/* ---- looking back ----------------------------------------------------------- */

/* From p back over whitespace and comments, never below the last recorded
 * token's end: the position just after the previous token. Inline: every
 * look-back starts with it, and most often it steps over one space. */
static inline const uint8_t *back_ws(const struct lexer *lx, const uint8_t *p)
{
    const uint8_t *lo = lx->last_end;

    for (;;) {
        while (p > lo && is_space(p[-1]))
            p--;
        if (p > lo && p[-1] >= 0x80) // U+00A0 and the like: rare
            p = back_space(lo, p);
        if (p == lx->cmt_end && p > lo)
            p = lx->cmt_resume; // already past whitespace and older comments
        else
            return p;
    }
}

/* The identifier or number ending at q (q[-1] is an identifier byte). */
static const uint8_t *word_start(const struct lexer *lx, const uint8_t *q)
{
    const uint8_t *lo = lx->last_end > lx->src ? lx->last_end : lx->src;
    bool lt;

    while (q > lo && (ident_cont[q[-1]] || q[-1] == '#')) {
        if (q[-1] >= 0x80 && uspace_before(lo, q, &lt))
            break; // U+00A0 and the like end a word
        q--;
    }
    return q;
}

/* q is at a quote or '/': if it closes one of the last literals the loop
 * read, the position of its opening quote (or slash), else q. */
static const uint8_t *string_before(const struct lexer *lx, const uint8_t *q)
{
    for (unsigned i = 0; i < DS_ARRAY_LEN(lx->str_end); i++)
        if (lx->str_end[i] == q + 1)
            return lx->str_start[i];
    return q;
}

/* The '(' matching the ')' at q, found by counting backwards (NULL past
 * 4 KiB or the start). Parentheses are not tracked going forwards, and
 * this runs only for a `/` or `<` right after a `)`. Parentheses inside the
 * last few string, template and regex literals are stepped over (the loop
 * remembers where they were): `if (a === ")") /re/` is a regex. One inside a
 * comment in the condition can still fool the count. */
static const uint8_t *paren_open(struct lexer *lx, const uint8_t *q)
{
    const uint8_t *stop = q - lx->src > 4096 ? q - 4096 : lx->src;
    unsigned depth = 0;

    // `((((…)/)/)/…` would make every `/` count back 4 KiB: a budget per
    // file (a few times its size) keeps lexing linear on any input.
    if ((size_t)(q - stop) > lx->paren_budget)
        return NULL;
    static const uint8_t paren_byte[256] = {
        ['('] = 1, [')'] = 1, ['"'] = 1, ['\''] = 1, ['`'] = 1, ['/'] = 1};
    const uint8_t *from = q;
    for (; q >= stop; q--) {
        if (!paren_byte[*q])
            continue;
        if (*q == ')') {
            depth++;
        } else if (*q == '(') {
            if (--depth == 0)
                break;
        } else if ((q = string_before(lx, q)) < stop) {
            break;
        }
    }
    lx->paren_budget -= (size_t)(from - q) + 1; // what was read
    return q >= stop && *q == '(' && depth == 0 ? q : NULL;
}

/* Is the word before `at` (skipping whitespace) if/while/for/with, not a
 * property name? Decides whether the `)` of the parenthesis opening at `at`
 * may be followed by a regex: `if (x) /re/.test(y)`. */
static bool control_paren(const struct lexer *lx, const uint8_t *at)
{
    if (!at)
        return false;
    const uint8_t *q = back_blank(lx->src, at);
    if (q == lx->src || !ident_cont[q[-1]])
        return false;
    const uint8_t *s = q;
    while (s > lx->src && ident_cont[s[-1]])
        s--;
    size_t n = (size_t)(q - s);
    if (n < 2 || n > 5 || keyword(s, n) != KW_CTRL)
        return false;
    s = back_blank(lx->src, s);
    return !(s > lx->src && s[-1] == '.');
}

/* lookback's answer for the identifier, keyword or number that ends at q
 * (q[-1] is an identifier byte). Out of line, so that the rest of lookback,
 * a few compares, can be inlined where it is asked. */
__attribute__((noinline)) static enum tok word_before(struct lexer *lx, const uint8_t *q)
{
    const uint8_t *s = word_start(lx, q);
    size_t n = (size_t)(q - s);
    if (*s >= '0' && *s <= '9')
        return T_LITERAL;
    if (*s == '#')
        return T_IDENT;
    const uint8_t *b = back_ws(lx, s);
    bool prop = b > lx->src && b > lx->last_end && b[-1] == '.' &&
                !(b - 1 > lx->src && b[-2] == '.' && b - 2 > lx->src && b[-3] == '.');
    if (prop)
        return T_IDENT;
    enum kw k = kw_first[*s] && n >= 2 && n <= 10 ? keyword(s, n) : KW_NONE;
    switch (k) {
    case KW_NONE:
    case KW_IMPORT:
    case KW_REQUIRE:
    case KW_DECLARE:
        // A label after break/continue: `break x \n /re/`.
        if (b > lx->src && b > lx->last_end && ident_cont[b[-1]]) {
            const uint8_t *s2 = word_start(lx, b);
            size_t n2 = (size_t)(b - s2);
            if (n2 >= 5 && n2 <= 8 && keyword(s2, n2) == KW_JUMP)
                return T_KW_EXPR;
        }
        return T_IDENT;
    case KW_EXPR:
    case KW_JUMP:
    case KW_EXPORT: return T_KW_EXPR;
    case KW_TYPEOF: return T_KW_TYPEOF;
    case KW_BLOCK: return T_KW_BLOCK;
    case KW_CTRL: return T_KW_CTRL;
    }
    return T_IDENT;
}

/* The kind of the token that ends just before p (whitespace and comments
 * between are skipped). Tokens the loop recorded (brackets, literals, JSX,
 * statements it read through) answer from the record; anything else is a
 * "boring" token read backwards: an identifier, keyword, number or
 * operator. This is es-module-lexer's look-back, done only where a decision
 * needs it (`/`, `<`, `{`, and import/export/require). Without `ctrl`, a
 * `)` is T_RPAREN even after if/while/for/with (T_CTRL_RPAREN needs a count
 * back to its `(`, within the per-file paren_budget). Always inline: at a
 * `{` (half the loop's stops are braces) the call cost as much as the
 * answer (callgrind, bench/realapp). */
__attribute__((always_inline)) static inline enum tok lookback_for(struct lexer *lx,
                                                                   const uint8_t *p, bool ctrl)
{
    const uint8_t *q = back_ws(lx, p);

    if (q == lx->last_end)
        return lx->last;
    if (q <= lx->src)
        return T_START;
    uint8_t c = q[-1];
    if (ident_cont[c])
        return word_before(lx, q);
    switch (c) {
    case ')':
        if (!ctrl)
            return T_RPAREN;
        return control_paren(lx, paren_open(lx, q - 1)) ? T_CTRL_RPAREN : T_RPAREN;
    case ']': return T_RBRACKET;
    case ';': return T_SEMI;
    case ':': return T_COLON;
    case '.':
        if (q - 1 > lx->src && q[-2] == '.')
            return T_PUNCT; // spread `...`
        return T_DOT;
    case '>': return q - 1 > lx->src && q[-2] == '=' ? T_ARROW : T_PUNCT;
    case '+':
    case '-':
        // x++ / y divides (`++` then `/` never starts a regex in valid code).
        return q - 1 > lx->src && q[-2] == c ? T_RPAREN : T_PUNCT;
    case '!':
        // TypeScript's non-null `x!` ends an expression: `a! / b`.
        if (lx->ts && q - 1 > lx->src && q - 1 > lx->last_end &&
            (ident_cont[q[-2]] || q[-2] == ')' || q[-2] == ']'))
            return T_RPAREN;
        if (lx->ts && q - 1 == lx->last_end && lx->last >= T_IDENT)
            return T_RPAREN;
        return T_PUNCT;
    default: return T_PUNCT;
    }
}

static enum tok lookback(struct lexer *lx, const uint8_t *p)
{
    return lookback_for(lx, p, true);
}

static bool regex_ok(struct lexer *lx, const uint8_t *p)
{
    return lookback(lx, p) < T_IDENT;
}

/* After JSX hands back to JavaScript: once the outermost element is
 * closed, no rewind to it is needed any more. */
static void jsx_settled(struct lexer *lx)
{
    if (lx->cp_pos && lx->depth <= lx->cp_depth)
        lx->cp_pos = NULL;
}

/* ---- the main loop ---------------------------------------------------------- */

/* Identifier bytes, and '#' (so `#import` is one word). */
static const uint8_t word_byte[256] = {
    ['a' ... 'z'] = 1, ['A' ... 'Z'] = 1, ['0' ... '9'] = 1, ['_'] = 1,
    ['$'] = 1,         ['\\'] = 1,        ['#'] = 1,         [0x80 ... 0xFF] = 1,
};

#ifdef __SSE2__
/* Of the candidates `cand` (bits from q), those that start a word: not
 * after a word byte (`simple`, `reimport`), unless that byte ends U+00A0 or
 * another non-ASCII space. The byte before counts only past the last
 * recorded token: after a BOM (bytes >= 0x80) or a literal, `import` still
 * starts a word. Out of line and one candidate at a time: few blocks hold
 * one, and then one or two. */
__attribute__((noinline)) static unsigned word_starts(const struct lexer *lx, const uint8_t *q,
                                                      unsigned cand)
{
    unsigned out = cand;
    for (; cand; cand &= cand - 1) {
        const uint8_t *c = q + __builtin_ctz(cand);
        bool lt;
        if (c > lx->last_end && word_byte[c[-1]] &&
            !(c[-1] >= 0x80 && uspace_before(lx->src, c, &lt)))
            out &= ~(cand & -cand);
    }
    return out;
}

/* The stops among the 16 bytes at q, as bits: { } " ' ` / < NUL, and the
 * starts of imp(ort) exp(ort) req(uire) dec(lare) (dec only in
 * TypeScript). Reads q[0 .. 18): the caller keeps q + 1 < end. */
static inline unsigned block_stops(const struct lexer *lx, const uint8_t *q)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
    // { } " ' ` / < NUL. Parentheses and square brackets are not stops:
    // nothing inside them changes how a template or JSX hole closes, and
    // `)` / `]` before a `/` are found by looking back.
    // '\'' (0x27) and '/' (0x2F) differ in bit 3 alone: one compare of
    // v | 0x08 finds both.
    __m128i punct =
        _mm_or_si128(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('{')),
                                               _mm_cmpeq_epi8(v, _mm_set1_epi8('}'))),
                                  _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                               _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(0x08)),
                                                              _mm_set1_epi8('/')))),
                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('`')),
                                  _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('<')),
                                               _mm_cmpeq_epi8(v, _mm_setzero_si128()))));
    // imp exp req dec: three letters, or words like minified code's e, r, i
    // or `return` would all stop the scan. imp/exp share their third
    // letter and req/dec their second, which saves two compares.
    // '"' never starts a word: in JavaScript no `de…` word needs a stop.
    __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(q + 1));
    __m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)(q + 2));
    __m128i dmask = lx->ts ? _mm_set1_epi8('d') : _mm_set1_epi8('"');
    __m128i im_ex = _mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('i')),
                                               _mm_cmpeq_epi8(v1, _mm_set1_epi8('m'))),
                                 _mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('e')),
                                               _mm_cmpeq_epi8(v1, _mm_set1_epi8('x'))));
    __m128i rq_dc = _mm_or_si128(
        _mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('r')),
                      _mm_cmpeq_epi8(v2, _mm_set1_epi8('q'))),
        _mm_and_si128(_mm_cmpeq_epi8(v, dmask), _mm_cmpeq_epi8(v2, _mm_set1_epi8('c'))));
    __m128i cand = _mm_or_si128(_mm_and_si128(im_ex, _mm_cmpeq_epi8(v2, _mm_set1_epi8('p'))),
                                _mm_and_si128(rq_dc, _mm_cmpeq_epi8(v1, _mm_set1_epi8('e'))));
    unsigned candm = (unsigned)_mm_movemask_epi8(cand);
    unsigned stops = (unsigned)_mm_movemask_epi8(punct);
    return candm ? stops | word_starts(lx, q, candm) : stops;
}
#endif

/* The next byte at or after p the loop must look at: a quote or backquote,
 * '/', a bracket, '<', NUL, or the first letter of a word that may be
 * import/export/require (and declare, in TypeScript). Everything else —
 * most of a module — is skipped 16 bytes at a time; `last` for it is
 * worked out backwards only when needed.
 *
 * The stops of the block where the last call stopped are kept. Two calls
 * in three (on bench/realapp's files) start inside it, a few bytes on
 * (after a brace, a short string, a division): its bits give the next stop,
 * or say there is none before its end, without classifying those bytes
 * again. The word classes of a block are worked out only when it holds a
 * candidate, which most blocks do not. */
static inline const uint8_t *next_stop(struct lexer *lx, const uint8_t *p)
{
#ifdef __SSE2__
    // The loop never resumes before the last recorded token's end; the kept
    // bits and word_starts' rule are exact only then.
    assert(p >= lx->last_end);
    size_t off = (size_t)(p - lx->win);
    if (off - 1 < 15) { // p in (win, win + 16)
        // The kept bits dropped a candidate after a word byte, as the
        // last_end of their time said. Since then a token may have been
        // recorded ending at p: word_starts' rule then takes it.
        if (word_byte[p[-1]] && p <= lx->last_end &&
            ((p[0] == 'i' && p[1] == 'm' && p[2] == 'p') ||
             (p[0] == 'e' && p[1] == 'x' && p[2] == 'p') ||
             (p[0] == 'r' && p[1] == 'e' && p[2] == 'q') ||
             (lx->ts && p[0] == 'd' && p[1] == 'e' && p[2] == 'c')))
            return p;
        unsigned m = lx->win_bits >> off;
        if (m)
            return p + __builtin_ctz(m);
        p = lx->win + 16;
    }
    for (;;) {
        // The last byte or two go to the caller as they are: the loads of a
        // block reach 18 bytes on, within the padding only while p + 1 < end.
        if (p + 1 >= lx->end)
            return p;
        unsigned m = block_stops(lx, p);
        if (m) {
            lx->win = p;
            lx->win_bits = m;
            return p + __builtin_ctz(m);
        }
        p += 16;
    }
#else
    bool lt;
    for (;; p++) {
        uint8_t c = *p;
        switch (c) {
        case 0:
        case '{':
        case '}':
        case '"':
        case '\'':
        case '`':
        case '/':
        case '<': return p;
        case 'i':
        case 'e':
        case 'r':
        case 'd':
            if ((c != 'd' || lx->ts) &&
                !(p > lx->last_end && word_byte[p[-1]] &&
                  !(p[-1] >= 0x80 && uspace_before(lx->src, p, &lt))) &&
                p[1] == (c == 'i'   ? 'm'
                         : c == 'e' ? 'x'
                                    : 'e') &&
                p[2] == (c == 'i' || c == 'e' ? 'p'
                         : c == 'r'           ? 'q'
                                              : 'c'))
                return p;
            break;
        default: break;
        }
    }
#endif
}

/* Records `t`, ending at p, as the last token. */
static inline void record(struct lexer *lx, enum tok t, const uint8_t *p)
{
    lx->last = t;
    lx->last_end = p;
}

/* The input ended (p at the NUL after it) or a NUL byte inside it. NULL
 * when lexing is over. */
static const uint8_t *at_nul(struct lexer *lx, const uint8_t *p)
{
    if (p < lx->end) {
        p++;
        record(lx, T_PUNCT, p);
        return p;
    }
    if (!lx->cp_pos || lx->stop)
        return NULL;
    // The input ended inside the outermost JSX element: that `<` was most
    // likely a comparison or a type (`type F = <T>(x: T) => T` in .tsx).
    // Lex again from it, as an operator.
    p = lx->cp_pos + 1;
    lx->no_jsx_at = lx->cp_pos;
    lx->cp_pos = NULL;
    lx->rewinds++;
    lx->depth = lx->cp_depth;
    lx->out->n_imports = lx->cp_imports;
    lx->out->n_problems = lx->cp_problems;
    lx->out->n_names = lx->cp_names;
    lx->out->n_exports = lx->cp_exports;
    lx->out->n_strays = lx->cp_strays;
    lx->not_barrel = true; // a `<` in code: no barrel
    memset(lx->str_end, 0, sizeof lx->str_end);
    lx->cmt_end = NULL;
    record(lx, T_PUNCT, p);
    return p;
}

#define DS_LEX_MAX_STRAYS 16

/* A string literal [p, q) at the top level, 8..12 bytes long: if it is a
 * statement of its own, keep it for the directive lint (SPEC §4.9). */
static void stray_string(struct lexer *lx, const uint8_t *p, const uint8_t *q)
{
    struct ds_lex_result *out = lx->out;

    if (out->n_strays == DS_LEX_MAX_STRAYS)
        return;
    enum tok t = lookback(lx, p);
    bool starts = t == T_START || t == T_SEMI || t == T_RBRACE_BLOCK;
    if (!starts && t >= T_IDENT) { // after an expression, a line end starts one
        const uint8_t *b = back_ws(lx, p);
        starts = has_line_end(b, p);
    }
    if (!starts)
        return;
    bool nl = false;
    lx->quiet = true;
    const uint8_t *n = skip_ws(lx, q, &nl);
    lx->quiet = false;
    if (!(*n == ';' || *n == '}' || (*n == 0 && n >= lx->end) || (nl && new_statement(n))))
        return;
    if (!out->strays &&
        !(out->strays = ds_arena_alloc(lx->scratch, DS_LEX_MAX_STRAYS * sizeof *out->strays))) {
        lx->enomem = true;
        return;
    }
    out->strays[out->n_strays++] =
        (struct ds_lex_stray){slice(p + 1, q - 1), (uint32_t)(p - lx->src)};
}

static void remember_string(struct lexer *lx, const uint8_t *s, const uint8_t *e)
{
    unsigned i = lx->str_next++ % DS_ARRAY_LEN(lx->str_end);
    lx->str_start[i] = s;
    lx->str_end[i] = e;
}

static const uint8_t *at_string(struct lexer *lx, const uint8_t *p)
{
    bool esc;
    const uint8_t *q = scan_string(lx, p, &esc);

    if (!q) { // unterminated: resume at the line end
        p++;
        while (!(*p == '\n' || *p == '\r' || (*p == 0 && p >= lx->end)))
            p++;
    } else {
        if (lx->depth == 0 && q - p >= 10 && q - p <= 14)
            stray_string(lx, p, q);
        remember_string(lx, p, q);
        p = q;
    }
    record(lx, T_LITERAL, p);
    return p;
}

/* A comment, a regex or a division. */
static const uint8_t *at_slash(struct lexer *lx, const uint8_t *p)
{
    if (p[1] == '/' || p[1] == '*') {
        // Comments leave `last` alone; remember where a backward scan
        // resumes before this one.
        const uint8_t *resume = back_ws(lx, p);
        p = skip_comment(lx, p);
        lx->cmt_end = p;
        lx->cmt_resume = resume;
        return p;
    }
    if (regex_ok(lx, p)) {
        const uint8_t *s = p, *f;
        p = scan_regex(lx, p);
        lx->last_end = p;
        for (f = p; f > s + 1 && ident_cont[f[-1]]; f--)
            ; // back over the flags: paren_open meets the closing '/'
        if (f > s + 1 && f[-1] == '/')
            remember_string(lx, s, f);
    } else {
        p++;
        record(lx, T_PUNCT, p);
    }
    return p;
}

static const uint8_t *at_open_brace(struct lexer *lx, const uint8_t *p)
{
    // A block after a statement end, `)`, `=>`, else/try/…, a plain
    // identifier (class X {, interface X {); an object literal after
    // operators, `(`, `,`, `return` …
    enum open o;
    // `if (x) {` and `f(x) {` both open a block: no need to count back to
    // the `(` (lookback's most expensive case) to tell them apart.
    switch (lookback_for(lx, p, false)) {
    case T_START:
    case T_SEMI:
    case T_RPAREN:
    case T_CTRL_RPAREN:
    case T_ARROW:
    case T_KW_BLOCK:
    case T_RBRACE_BLOCK:
    case T_RBRACE_EXPR:
    case T_IDENT:
    case T_LITERAL:
    case T_JSX:
    case T_RBRACKET: o = O_BLOCK; break;
    case T_COLON: // {a: {b: 1}} vs `case 1: {` and `label: {`
        o = top(lx) == O_OBJECT ? O_OBJECT : O_BLOCK;
        break;
    default: o = O_OBJECT; break;
    }
    if (!push(lx, o))
        return NULL;
    p++;
    // Inside a block a statement starts; inside an object, a key.
    record(lx, o == O_BLOCK ? T_SEMI : T_PUNCT, p);
    return p;
}

static const uint8_t *at_close_brace(struct lexer *lx, const uint8_t *p)
{
    enum open o = top(lx);
    bool esc, plain;

    p++;
    if (lx->depth == 0 || o == O_JSX_ELEM || o == O_JSX_VALUE) {
        // A stray closer must not hide the imports that follow it.
        problem(lx, p - 1, "unbalanced bracket");
        record(lx, T_PUNCT, p);
        return p;
    }
    lx->depth--;
    switch (o) {
    case O_BLOCK: record(lx, T_RBRACE_BLOCK, p); break;
    case O_OBJECT: record(lx, T_RBRACE_EXPR, p); break;
    case O_TEMPLATE:
        p = scan_template(lx, p, &plain, &esc);
        lx->last_end = p;
        break;
    case O_JSX_ATTR:
    case O_JSX_CHILD:
        p = lex_jsx(lx, p, o == O_JSX_ATTR ? J_TAG : J_CHILDREN);
        lx->last_end = p;
        jsx_settled(lx);
        break;
    case O_JSX_ELEM:
    case O_JSX_VALUE: break;
    }
    return p;
}

/* `<`: a shift or comparison, JSX, or an HTML-like comment. */
static const uint8_t *at_angle(struct lexer *lx, const uint8_t *p)
{
    if (p[1] == '<' || p[1] == '=') {
        // `<<`, `<<=`, `<=` are one token: the second `<` of a shift must
        // not be taken for the start of JSX.
        p += p[1] == '<' && p[2] == '=' ? 3 : 2;
        record(lx, T_PUNCT, p);
        return p;
    }
    if (lx->jsx && p != lx->no_jsx_at && regex_ok(lx, p) && jsx_starts(lx, p)) {
        if (!lx->cp_pos && lx->rewinds < DS_LEX_MAX_REWINDS) {
            lx->cp_pos = p;
            lx->cp_depth = lx->depth;
            lx->cp_imports = lx->out->n_imports;
            lx->cp_problems = lx->out->n_problems;
            lx->cp_names = lx->out->n_names;
            lx->cp_exports = lx->out->n_exports;
            lx->cp_strays = lx->out->n_strays;
        }
        p = lex_jsx(lx, p + 1, J_NAME);
        lx->last_end = p;
        jsx_settled(lx);
        return p;
    }
    if (p[1] == '!' && p[2] == '-' && p[3] == '-') {
        // <!-- is an HTML-like line comment in scripts (Annex B).
        const uint8_t *resume = back_ws(lx, p);
        p = line_end(p, lx->end);
        lx->cmt_end = p;
        lx->cmt_resume = resume;
        return p;
    }
    p++;
    record(lx, T_PUNCT, p);
    return p;
}

/* What may separate two declarations of a pure barrel: whitespace,
 * comments, `;`, and the import attributes (`with {…}`) of the first. */
static const uint8_t *clean_until(struct lexer *lx, const uint8_t *p)
{
    lx->quiet = true;
    for (;;) {
        p = skip_ws1(lx, p);
        if (*p == ';') {
            p++;
            continue;
        }
        if (ident_start(*p)) {
            const uint8_t *w = ident_end(p);
            const uint8_t *q = skip_ws1(lx, w);
            if ((word_is(p, w, "with") || word_is(p, w, "assert")) && *q == '{') {
                p = skip_braces(lx, q);
                continue;
            }
        }
        break;
    }
    lx->quiet = false;
    return p;
}

/* A top-level import or export declaration [s, q) was read whole. */
static void barrel_step(struct lexer *lx, const uint8_t *s, const uint8_t *q)
{
    if (lx->not_barrel)
        return;
    if (clean_until(lx, lx->clean_to) != s) {
        lx->not_barrel = true; // other code came first: never a barrel
        return;
    }
    lx->clean_to = q;
    lx->barrel_seen = true;
}

/* A word starting with i, e, r (or d): maybe a keyword we act on. */
static const uint8_t *at_word(struct lexer *lx, const uint8_t *p)
{
    const uint8_t *s = p;
    // next_stop stops at imp exp req dec: the first byte says which keyword
    // the word may be. Another word is stepped over whole.
    enum kw k;
    switch (*s) {
    case 'i': k = word_at(s, "import") ? KW_IMPORT : KW_NONE; break;
    case 'e': k = word_at(s, "export") ? KW_EXPORT : KW_NONE; break;
    case 'r': k = word_at(s, "require") ? KW_REQUIRE : KW_NONE; break;
    case 'd': k = word_at(s, "declare") ? KW_DECLARE : KW_NONE; break;
    default: k = KW_NONE; break;
    }
    if (k == KW_NONE)
        return ident_end(s);
    p = s + (k == KW_IMPORT || k == KW_EXPORT ? 6 : 7);
    // Never after `.` or `?.`: obj.import(), a.require("x").
    const uint8_t *b = back_ws(lx, s);
    if (b > lx->src && b > lx->last_end && b[-1] == '.' && !(b - 1 > lx->src && b[-2] == '.'))
        return p;
    if (k == KW_REQUIRE) {
        const uint8_t *q = skip_ws1(lx, p);
        if (*q == '(')
            call_with_literal(lx, q, DSCAN_IMPORT_REQUIRE);
        return p;
    }
    if (k == KW_DECLARE && !lx->ts)
        return p;
    // A side read in on_export (skip_expr's regexes) may set `last`.
    enum tok saved = lx->last;
    const uint8_t *saved_end = lx->last_end;
    lx->consumed = false;
    const uint8_t *q = k == KW_IMPORT   ? on_import(lx, s, p)
                       : k == KW_EXPORT ? on_export(lx, s, p)
                                        : on_declare(lx, p);
    if (!lx->consumed) {
        lx->last = saved;
        lx->last_end = saved_end;
        return q;
    }
    // The statement was read through its end (or an ambient declaration
    // skipped): a new statement follows.
    record(lx, k == KW_DECLARE ? T_RBRACE_BLOCK : T_SEMI, q);
    if (k != KW_DECLARE) {
        lx->out->module_syntax = true;
        if (lx->depth == 0 && lx->want_names)
            barrel_step(lx, s, q);
    }
    return q;
}

/* The main loop: from one stop to the next until the input ends. */
/* What next_stop stopped at, as a dense index: the loop's switch becomes
 * one indexed jump instead of a tree of compares. Anything else is a word
 * (or the input's last byte). */
enum stop { S_WORD, S_NUL, S_STRING, S_TEMPLATE, S_SLASH, S_OPEN, S_CLOSE, S_ANGLE };
static const uint8_t stop_of[256] = {
    [0] = S_NUL,     ['"'] = S_STRING, ['\''] = S_STRING, ['`'] = S_TEMPLATE,
    ['/'] = S_SLASH, ['{'] = S_OPEN,   ['}'] = S_CLOSE,   ['<'] = S_ANGLE,
};

static void lex_js(struct lexer *lx, const uint8_t *p)
{
    bool plain, esc;

    while (p) {
        p = next_stop(lx, p);
        switch ((enum stop)stop_of[*p]) {
        case S_NUL: p = at_nul(lx, p); break;
        case S_STRING: p = at_string(lx, p); break;
        case S_TEMPLATE: {
            const uint8_t *s = p;
            p = scan_template(lx, p + 1, &plain, &esc);
            lx->last_end = p; // scan_template set last: a literal, or `${`
            if (plain && lx->last == T_LITERAL)
                remember_string(lx, s, p);
            break;
        }
        case S_SLASH: p = at_slash(lx, p); break;
        case S_OPEN: p = at_open_brace(lx, p); break;
        case S_CLOSE: p = at_close_brace(lx, p); break;
        case S_ANGLE: p = at_angle(lx, p); break;
        case S_WORD: p = at_word(lx, p); break;
        }
    }
}

/* ---- the directive prologue --------------------------------------------- */

/* Reads the prologue (SPEC §4.3): string-literal statements after a BOM, a
 * `#!` line, whitespace and comments. Returns where the code after it starts. */
static const uint8_t *prologue(struct lexer *lx, const uint8_t *p)
{
    const uint8_t *end = lx->end;

    if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        p += 3;
    if (p[0] == '#' && p[1] == '!')
        p = line_end(p, end);
    for (;;) {
        p = skip_ws1(lx, p);
        if (*p != '"' && *p != '\'')
            return p;
        bool esc, nl = false;
        const uint8_t *q = scan_string(lx, p, &esc);
        if (!q)
            return p;
        const uint8_t *n = skip_ws(lx, q, &nl);
        bool ends;
        if (*n == ';' || *n == '}' || n >= end) {
            ends = true;
        } else if (nl) {
            // A line break ends the statement unless the next line could
            // continue the expression ("use client"\n+ x is one expression).
            ends = !strchr("([.,?+-*/%=<>&|^`", *n) || (n[0] == '+' && n[1] == '+') ||
                   (n[0] == '-' && n[1] == '-');
        } else {
            ends = false;
        }
        if (!ends)
            return p;
        add_directive(lx, p + 1, q - 1);
        p = *n == ';' ? n + 1 : n;
    }
}

/* ---- entry points --------------------------------------------------------- */

enum ds_status ds_lex(const char *src, size_t len, enum ds_lang lang, struct ds_arena *scratch,
                      struct ds_lex_result *out)
{
    return ds_lex_for(src, len, lang, DS_LEX_NAMES, scratch, out);
}

enum ds_status ds_lex_for(const char *src, size_t len, enum ds_lang lang, enum ds_lex_want want,
                          struct ds_arena *scratch, struct ds_lex_result *out)
{
    memset(out, 0, sizeof *out);
    if (lang == DS_LANG_MDX)
        return ds_lex_mdx(src, len, want, scratch, out);
    if (len > UINT32_MAX - DS_LEX_PAD)
        return DS_ELIMIT; // offsets are 32-bit; DS_MAX_FILE_BYTES is far below

    struct lexer *lx = ds_arena_alloc(scratch, sizeof *lx);
    if (!lx)
        return DS_ENOMEM;
    memset(lx, 0, offsetof(struct lexer, open));
    lx->src = (const uint8_t *)src;
    lx->end = lx->src + len;
    lx->lang = lang;
    lx->win = lx->end; // no block kept yet: p - win is never 1 .. 15
    lx->jsx = lang != DS_LANG_TS;
    lx->ts = lang == DS_LANG_TS || lang == DS_LANG_TSX;
    lx->want_names = want == DS_LEX_NAMES;
    lx->scratch = scratch;
    lx->out = out;
    lx->last = T_START;

    const uint8_t *p = prologue(lx, lx->src);
    lx->last = T_START;
    lx->last_end = p;
    lx->paren_budget = 4 * len + 65536;
    lx->targ_budget = len + 65536;
    lx->clean_to = p;
    lex_js(lx, p);
    if (lx->want_names && !lx->not_barrel && lx->barrel_seen) {
        const uint8_t *q = clean_until(lx, lx->clean_to);
        out->barrel = *q == 0 && q >= lx->end;
    }
    if (lx->stop)
        problem(lx, lx->end, "nesting too deep: the rest of the file was not lexed");
    if (lx->enomem)
        return DS_ENOMEM;
    return DS_OK;
}
