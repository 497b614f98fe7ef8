/* JSON (RFC 8259) and JSONC reader: one pass over the text, building a tree
 * in the caller's arena with object members in source order.
 *
 * A caller that wants only some members of the root object (pkg.c: a
 * package.json's resolution fields) passes a `keep` test: the value of a
 * refused member is then *skipped*: read by the same code, with the same
 * checks and errors, but neither unescaped, converted nor stored (a
 * package.json's scripts, dependencies and keywords cost a tree for nothing).
 *
 * Nesting is handled with an explicit frame stack bounded by
 * DS_MAX_JSON_DEPTH, never by recursion, so hostile input cannot exhaust the C
 * stack. Children of open containers wait on a growable value stack (through
 * the arena's counting allocator) and are copied into the arena exactly once,
 * when their container closes: time and memory stay linear in the input.
 *
 * JSONC is what TypeScript's tsconfig reader accepts in practice: `//` and
 * block comments, and a trailing comma before `]` or `}`. It deliberately does
 * not accept the rest of JSON5 (single quotes, unquoted keys, hex numbers).
 * It does not write JSON. */
#include <stdlib.h>

#include "json.h"

struct frame {
    uint8_t is_object;
    size_t base;       /* first pending value of this container */
    size_t key_base;   /* first pending key (objects) */
    struct ds_str key; /* key of the member whose value is being parsed */
};

struct parser {
    const char *start, *p, *end;
    enum ds_json_flavor flavor;
    struct ds_arena *arena;
    struct ds_alloc *alloc;

    struct ds_json *vals; /* pending children of every open container */
    size_t n_vals, cap_vals;
    struct ds_str *keys; /* pending keys, parallel to the object values */
    size_t n_keys, cap_keys;

    struct frame *frames; /* open containers, at most DS_MAX_JSON_DEPTH */
    size_t depth, cap_frames;

    ds_json_keep_fn keep; /* which members of the root object are built; NULL: all */
    const void *keep_ctx;
    bool skipping; /* inside the value of a refused root member */

    struct ds_json_error *err;
};

static enum ds_status fail_at(struct parser *ps, const char *at, enum ds_status st,
                              const char *what)
{
    unsigned line = 1, col = 1;

    // Line and column are counted only on failure, keeping the happy path a
    // single pass.
    for (const char *q = ps->start; q < at; q++) {
        if (*q == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    if (ps->err) {
        ps->err->offset = (size_t)(at - ps->start);
        ps->err->line = line;
        ps->err->col = col;
        ps->err->what = what;
    }
    return st;
}

static enum ds_status skip_ws(struct parser *ps)
{
    const char *p = ps->p, *end = ps->end;

    while (p < end) {
        char c = *p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            p++;
            continue;
        }
        if (c != '/' || ps->flavor != DS_JSON_JSONC || p + 1 >= end)
            break;
        if (p[1] == '/') {
            p += 2;
            while (p < end && *p != '\n')
                p++;
        } else if (p[1] == '*') {
            const char *open = p;
            p += 2;
            for (;;) {
                if (p + 1 >= end)
                    return fail_at(ps, open, DS_EPARSE, "unterminated comment");
                if (p[0] == '*' && p[1] == '/')
                    break;
                p++;
            }
            p += 2;
        } else {
            break;
        }
    }
    ps->p = p;
    return DS_OK;
}

static bool read_hex4(const char *p, const char *end, unsigned *out)
{
    unsigned v = 0;

    if (end - p < 4)
        return false;
    for (int i = 0; i < 4; i++) {
        int h = ds_hex_digit(p[i]);
        if (h < 0)
            return false;
        v = v << 4 | (unsigned)h;
    }
    *out = v;
    return true;
}

static char *put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | cp >> 6);
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | cp >> 12);
        *o++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | cp >> 18);
        *o++ = (char)(0x80 | (cp >> 12 & 0x3F));
        *o++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

/* Checks the escapes of a string's raw text `raw` (between its quotes) as
 * parse_string's unescaping would, failing at the same escape, without
 * writing anything. */
static enum ds_status check_escapes(struct parser *ps, struct ds_str raw)
{
    const char *close = raw.ptr + raw.len;
    unsigned cp;

    for (const char *p = raw.ptr; p < close; p++) {
        if (*p != '\\')
            continue;
        const char *esc = p++;
        switch (*p) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't': break;
        case 'u':
            // A surrogate pair is two escapes, each valid on its own.
            if (!read_hex4(p + 1, close, &cp))
                return fail_at(ps, esc, DS_EPARSE, "invalid escape");
            p += 4;
            break;
        default: return fail_at(ps, esc, DS_EPARSE, "invalid escape");
        }
    }
    return DS_OK;
}

/* Parses the string at ps->p (on its opening quote) into *out: unescaped
 * into the arena, or, when `build` is false, checked only and *out left
 * as its raw text in the input (what parse_key's `keep` test reads). */
static enum ds_status parse_string(struct parser *ps, bool build, bool *escaped_out,
                                   struct ds_str *out)
{
    const char *open = ps->p, *p = ps->p + 1, *end = ps->end;
    bool escaped = false;

    // First find the closing quote: it bounds the unescaped length (every
    // escape is at least as long as the UTF-8 it yields).
    for (;;) {
        if (p >= end)
            return fail_at(ps, open, DS_EPARSE, "unterminated string");
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            break;
        if (c == '\\') {
            escaped = true;
            p += 2;
            continue;
        }
        // RFC 8259 forbids raw control characters; TypeScript's scanner
        // tolerates all but line breaks in tsconfig strings.
        if (c < 0x20 && (ps->flavor == DS_JSON_STRICT || c == '\n' || c == '\r'))
            return fail_at(ps, p, DS_EPARSE, "control character in string");
        p++;
    }
    const char *close = p;
    struct ds_str raw = ds_str_make(open + 1, (size_t)(close - open - 1));

    if (escaped_out)
        *escaped_out = escaped;
    if (!build) {
        enum ds_status st = escaped ? check_escapes(ps, raw) : DS_OK;
        if (st != DS_OK)
            return st;
        *out = raw;
        ps->p = close + 1;
        return DS_OK;
    }
    if (!escaped) {
        if (ds_arena_strdup(ps->arena, raw, out) != DS_OK)
            return DS_ENOMEM;
        ps->p = close + 1;
        return DS_OK;
    }

    char *buf = ds_arena_alloc(ps->arena, raw.len + 1);
    if (!buf)
        return DS_ENOMEM;
    char *o = buf;
    for (p = raw.ptr; p < close;) {
        if (*p != '\\') {
            *o++ = *p++;
            continue;
        }
        const char *esc = p;
        p++;
        switch (*p) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            unsigned cp, lo;
            if (!read_hex4(p + 1, close, &cp))
                return fail_at(ps, esc, DS_EPARSE, "invalid escape");
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                // A high surrogate pairs with an immediately following low
                // one; alone it becomes U+FFFD, as TextDecoder would make it.
                if (close - p >= 7 && p[1] == '\\' && p[2] == 'u' && read_hex4(p + 3, close, &lo) &&
                    lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                } else {
                    cp = 0xFFFD;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                cp = 0xFFFD;
            }
            o = put_utf8(o, cp);
            break;
        }
        default: return fail_at(ps, esc, DS_EPARSE, "invalid escape");
        }
        p++;
    }
    *o = '\0';
    *out = ds_str_make(buf, (size_t)(o - buf));
    ps->p = close + 1;
    return DS_OK;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Parses the number at ps->p into *out; when `build` is false, checks it only. */
static enum ds_status parse_number(struct parser *ps, bool build, double *out)
{
    const char *s = ps->p, *p = s, *end = ps->end;

    // RFC 8259 grammar first: strtod alone would accept "0x1", "inf", "1.".
    if (p < end && *p == '-')
        p++;
    if (p >= end || !is_digit(*p))
        return fail_at(ps, s, DS_EPARSE, "invalid number");
    if (*p == '0') {
        p++;
        if (p < end && is_digit(*p))
            return fail_at(ps, s, DS_EPARSE, "invalid number");
    } else {
        while (p < end && is_digit(*p))
            p++;
    }
    if (p < end && *p == '.') {
        p++;
        if (p >= end || !is_digit(*p))
            return fail_at(ps, s, DS_EPARSE, "invalid number");
        while (p < end && is_digit(*p))
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || !is_digit(*p))
            return fail_at(ps, s, DS_EPARSE, "invalid number");
        while (p < end && is_digit(*p))
            p++;
    }

    ps->p = p;
    if (!build)
        return DS_OK;
    // strtod needs a terminator the input does not have: a bounded copy,
    // on the stack for every number a real package.json holds.
    size_t len = (size_t)(p - s);
    char small[64];
    char *copy = small;
    if (len >= sizeof(small)) {
        copy = ds_arena_alloc(ps->arena, len + 1);
        if (!copy)
            return DS_ENOMEM;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    *out = strtod(copy, NULL);
    return DS_OK;
}

static bool match_word(struct parser *ps, struct ds_str word)
{
    if ((size_t)(ps->end - ps->p) < word.len || memcmp(ps->p, word.ptr, word.len) != 0)
        return false;
    ps->p += word.len;
    return true;
}

static enum ds_status parse_scalar(struct parser *ps, struct ds_json *v)
{
    memset(v, 0, sizeof(*v));
    switch (*ps->p) {
    case '"': v->type = DS_JSON_STRING; return parse_string(ps, !ps->skipping, NULL, &v->u.str);
    case 't':
        v->type = DS_JSON_TRUE;
        return match_word(ps, DS_STR("true")) ? DS_OK
                                              : fail_at(ps, ps->p, DS_EPARSE, "expected value");
    case 'f':
        v->type = DS_JSON_FALSE;
        return match_word(ps, DS_STR("false")) ? DS_OK
                                               : fail_at(ps, ps->p, DS_EPARSE, "expected value");
    case 'n':
        v->type = DS_JSON_NULL;
        return match_word(ps, DS_STR("null")) ? DS_OK
                                              : fail_at(ps, ps->p, DS_EPARSE, "expected value");
    default:
        if (*ps->p == '-' || is_digit(*ps->p)) {
            v->type = DS_JSON_NUMBER;
            return parse_number(ps, !ps->skipping, &v->u.num);
        }
        return fail_at(ps, ps->p, DS_EPARSE, "expected value");
    }
}

/* At a key position inside an object: reads `"key" :` into the frame. */
static enum ds_status parse_key(struct parser *ps, struct frame *f)
{
    enum ds_status st;

    if (ps->p >= ps->end)
        return fail_at(ps, ps->p, DS_EPARSE, "unexpected end of input");
    if (*ps->p != '"')
        return fail_at(ps, ps->p, DS_EPARSE, "expected string key");
    // A key of the root object is read raw first, for `keep` to decide
    // whether the member is built: a refused one's key is not even copied.
    const char *open = ps->p;
    bool root_member = ps->keep && ps->depth == 1, escaped = false;
    st = parse_string(ps, !ps->skipping && !root_member, &escaped, &f->key);
    if (st == DS_OK && root_member && escaped) {
        ps->p = open; // `keep` is asked about the unescaped key
        st = parse_string(ps, true, NULL, &f->key);
    }
    if (st != DS_OK)
        return st;
    if (root_member) {
        ps->skipping = !ps->keep(ps->keep_ctx, f->key);
        if (!ps->skipping && !escaped && ds_arena_strdup(ps->arena, f->key, &f->key) != DS_OK)
            return DS_ENOMEM;
    }
    st = skip_ws(ps);
    if (st != DS_OK)
        return st;
    if (ps->p >= ps->end)
        return fail_at(ps, ps->p, DS_EPARSE, "unexpected end of input");
    if (*ps->p != ':')
        return fail_at(ps, ps->p, DS_EPARSE, "expected ':'");
    ps->p++;
    return DS_OK;
}

static enum ds_status push_value(struct parser *ps, const struct ds_json *v, struct frame *f)
{
    // Nothing of a refused root member is kept (so its containers close
    // empty, allocating nothing); it ends when its value meets the root.
    if (ps->skipping) {
        ps->skipping = ps->depth > 1;
        return DS_OK;
    }
    if (ds_alloc_grow(ps->alloc, (void **)&ps->vals, &ps->cap_vals, ps->n_vals + 1,
                      sizeof(*ps->vals)) != DS_OK)
        return DS_ENOMEM;
    ps->vals[ps->n_vals++] = *v;
    if (f->is_object) {
        if (ds_alloc_grow(ps->alloc, (void **)&ps->keys, &ps->cap_keys, ps->n_keys + 1,
                          sizeof(*ps->keys)) != DS_OK)
            return DS_ENOMEM;
        ps->keys[ps->n_keys++] = f->key;
    }
    return DS_OK;
}

/* Pops the top frame, moving its pending children into the arena as *v. */
static enum ds_status close_frame(struct parser *ps, struct ds_json *v)
{
    struct frame *f = &ps->frames[--ps->depth];
    size_t n = ps->n_vals - f->base;

    memset(v, 0, sizeof(*v));
    if (n > UINT32_MAX)
        return fail_at(ps, ps->p, DS_ELIMIT, "too many items");
    v->n = (uint32_t)n;
    if (f->is_object) {
        v->type = DS_JSON_OBJECT;
        if (n) {
            struct ds_json_member *m = ds_arena_alloc(ps->arena, n * sizeof(*m));
            if (!m)
                return DS_ENOMEM;
            for (size_t i = 0; i < n; i++) {
                m[i].key = ps->keys[f->key_base + i];
                m[i].value = ps->vals[f->base + i];
            }
            v->u.members = m;
        }
        ps->n_keys = f->key_base;
    } else {
        v->type = DS_JSON_ARRAY;
        if (n) {
            struct ds_json *items = ds_arena_alloc(ps->arena, n * sizeof(*items));
            if (!items)
                return DS_ENOMEM;
            memcpy(items, ps->vals + f->base, n * sizeof(*items));
            v->u.items = items;
        }
    }
    ps->n_vals = f->base;
    return DS_OK;
}

static enum ds_status run(struct parser *ps, struct ds_json *root)
{
    enum ds_status st;
    struct ds_json v;

    for (;;) {
        // Expecting a value.
        st = skip_ws(ps);
        if (st != DS_OK)
            return st;
        if (ps->p >= ps->end)
            return fail_at(ps, ps->p, DS_EPARSE, "unexpected end of input");

        char c = *ps->p;
        if (c == '{' || c == '[') {
            if (ps->depth == DS_MAX_JSON_DEPTH)
                return fail_at(ps, ps->p, DS_ELIMIT, "nesting too deep");
            if (ps->depth == ps->cap_frames &&
                ds_alloc_grow(ps->alloc, (void **)&ps->frames, &ps->cap_frames, ps->depth + 1,
                              sizeof *ps->frames) != DS_OK)
                return DS_ENOMEM;
            struct frame *f = &ps->frames[ps->depth++];
            f->is_object = c == '{';
            f->base = ps->n_vals;
            f->key_base = ps->n_keys;
            f->key = ds_str_make(NULL, 0);
            ps->p++;
            st = skip_ws(ps);
            if (st != DS_OK)
                return st;
            char closer = f->is_object ? '}' : ']';
            if (ps->p < ps->end && *ps->p == closer) {
                ps->p++;
                st = close_frame(ps, &v);
                if (st != DS_OK)
                    return st;
            } else {
                if (f->is_object) {
                    st = parse_key(ps, f);
                    if (st != DS_OK)
                        return st;
                }
                continue;
            }
        } else {
            st = parse_scalar(ps, &v);
            if (st != DS_OK)
                return st;
        }

        // A value is complete: attach it, then close as many containers as
        // the input closes, until one wants another value.
        for (;;) {
            if (ps->depth == 0) {
                st = skip_ws(ps);
                if (st != DS_OK)
                    return st;
                if (ps->p != ps->end)
                    return fail_at(ps, ps->p, DS_EPARSE, "trailing content");
                *root = v;
                return DS_OK;
            }
            struct frame *f = &ps->frames[ps->depth - 1];
            char closer = f->is_object ? '}' : ']';
            st = push_value(ps, &v, f);
            if (st != DS_OK)
                return st;
            st = skip_ws(ps);
            if (st != DS_OK)
                return st;
            if (ps->p >= ps->end)
                return fail_at(ps, ps->p, DS_EPARSE, "unexpected end of input");
            if (*ps->p == closer) {
                ps->p++;
                st = close_frame(ps, &v);
                if (st != DS_OK)
                    return st;
                continue;
            }
            if (*ps->p != ',')
                return fail_at(ps, ps->p, DS_EPARSE,
                               f->is_object ? "expected ',' or '}'" : "expected ',' or ']'");
            ps->p++;
            st = skip_ws(ps);
            if (st != DS_OK)
                return st;
            // tsconfig.json files in the wild end lists with a comma, and
            // TypeScript reads them.
            if (ps->flavor == DS_JSON_JSONC && ps->p < ps->end && *ps->p == closer) {
                ps->p++;
                st = close_frame(ps, &v);
                if (st != DS_OK)
                    return st;
                continue;
            }
            if (f->is_object) {
                st = parse_key(ps, f);
                if (st != DS_OK)
                    return st;
            }
            break;
        }
    }
}

enum ds_status ds_json_parse(struct ds_str text, enum ds_json_flavor flavor, struct ds_arena *arena,
                             struct ds_json **out, struct ds_json_error *err)
{
    return ds_json_parse_some(text, flavor, NULL, NULL, arena, out, err);
}

enum ds_status ds_json_parse_some(struct ds_str text, enum ds_json_flavor flavor,
                                  ds_json_keep_fn keep, const void *keep_ctx,
                                  struct ds_arena *arena, struct ds_json **out,
                                  struct ds_json_error *err)
{
    struct ds_json *root;
    enum ds_status st;
    struct parser parser =
                      {
                          .start = text.ptr,
                          .p = text.ptr,
                          .end = text.ptr + text.len,
                          .flavor = flavor,
                          .arena = arena,
                          .alloc = arena->alloc,
                          .err = err,
                          .keep = keep,
                          .keep_ctx = keep_ctx,
                      },
                  *ps = &parser;

    // The frame stack is kept off the C stack of worker threads and grows
    // with the nesting: allocated whole (10 kB) for every package.json, it
    // was a pair of mmap/munmap calls each time under musl's allocator (the
    // npm package's static binaries). A frame is written whole when pushed.
    // Editors on Windows write a BOM; Node's package.json reader strips it.
    if (text.len >= 3 && memcmp(text.ptr, "\xEF\xBB\xBF", 3) == 0)
        ps->p += 3;

    root = ds_arena_alloc(arena, sizeof(*root));
    if (!root) {
        st = DS_ENOMEM;
        goto fail;
    }
    st = run(ps, root);
    if (st != DS_OK)
        goto fail;
    *out = root;
fail:
    ds_alloc_free(ps->alloc, ps->vals);
    ds_alloc_free(ps->alloc, ps->keys);
    ds_alloc_free(ps->alloc, ps->frames);
    return st;
}

const struct ds_json *ds_json_get(const struct ds_json *obj, struct ds_str key)
{
    if (!obj || obj->type != DS_JSON_OBJECT)
        return NULL;
    for (uint32_t i = obj->n; i > 0; i--)
        if (ds_str_eq(obj->u.members[i - 1].key, key))
            return &obj->u.members[i - 1].value;
    return NULL;
}
