/* Byte slices. Inside the library a string is a view of bytes owned by
 * someone else (a file buffer, an arena), never NUL-terminated by contract;
 * C strings appear only at the OS boundary. */
#ifndef DS_STR_H
#define DS_STR_H

#include "common.h"

struct ds_str {
    const char *ptr;
    size_t len;
};

#define DS_STR(lit)   ((struct ds_str){(lit), sizeof(lit) - 1})
#define DS_STR_FMT(s) (int)(s).len, (s).ptr /* printf("%.*s", DS_STR_FMT(s)) */

static inline struct ds_str ds_str_make(const char *ptr, size_t len)
{
    return (struct ds_str){ptr, len};
}

static inline struct ds_str ds_str_cstr(const char *s)
{
    return (struct ds_str){s, s ? strlen(s) : 0};
}

static inline bool ds_str_eq(struct ds_str a, struct ds_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline bool ds_str_starts_with(struct ds_str s, struct ds_str prefix)
{
    return s.len >= prefix.len && (prefix.len == 0 || memcmp(s.ptr, prefix.ptr, prefix.len) == 0);
}

static inline bool ds_str_ends_with(struct ds_str s, struct ds_str suffix)
{
    return s.len >= suffix.len &&
           (suffix.len == 0 || memcmp(s.ptr + s.len - suffix.len, suffix.ptr, suffix.len) == 0);
}

static inline struct ds_str ds_str_slice(struct ds_str s, size_t from, size_t to)
{
    return (struct ds_str){s.ptr + from, to - from};
}

/* Index of the first `c`, or s.len. */
static inline size_t ds_str_find(struct ds_str s, char c)
{
    const char *p = s.len ? memchr(s.ptr, c, s.len) : NULL;
    return p ? (size_t)(p - s.ptr) : s.len;
}

/* Index of the last `c`, or s.len. */
static inline size_t ds_str_rfind(struct ds_str s, char c)
{
    for (size_t i = s.len; i > 0; i--)
        if (s.ptr[i - 1] == c)
            return i - 1;
    return s.len;
}

static inline int ds_str_cmp(struct ds_str a, struct ds_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c)
        return c;
    return (a.len > b.len) - (a.len < b.len);
}

static inline uint32_t ds_str_hash(struct ds_str s)
{
    return ds_hash_bytes(s.ptr, s.len);
}

/* Value of a hexadecimal digit, or -1 (JSON \u escapes, %XX in package paths). */
static inline int ds_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Copies s into buf as a C string; false when it does not fit. */
static inline bool ds_str_to_cstr(struct ds_str s, char *buf, size_t size)
{
    if (s.len >= size || memchr(s.ptr, '\0', s.len))
        return false;
    if (s.len)
        memcpy(buf, s.ptr, s.len);
    buf[s.len] = '\0';
    return true;
}

#endif
