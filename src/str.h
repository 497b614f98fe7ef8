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

/* Short copies and comparisons, eight bytes at a time and inline. Paths,
 * names and specifiers are 5-200 bytes, and a libc call for each cost more
 * than the work in musl (the npm package's static Linux binaries), whose
 * memcmp goes byte by byte and whose memcpy starts a `rep movs`: ~200,000
 * copies and ~130,000 comparisons per bench/realapp scan. (A fixed-size
 * memcpy is one load or store.) Longer copies go to libc. */
static inline void ds_copy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    uint64_t w;

    if (n > 256) {
        memcpy(d, s, n);
        return;
    }
    if (n >= 8) {
        // Whole words, then the last eight bytes (overlapping the last
        // word). The empty asm keeps the compilers from seeing a copy loop
        // and calling memcpy for it, which is what this avoids.
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&w, s + i, 8);
            __asm__("" : "+r"(w));
            memcpy(d + i, &w, 8);
        }
        memcpy(&w, s + n - 8, 8);
        memcpy(d + n - 8, &w, 8);
    } else if (n >= 4) {
        uint32_t head, tail;
        memcpy(&head, s, 4);
        memcpy(&tail, s + n - 4, 4);
        memcpy(d, &head, 4);
        memcpy(d + n - 4, &tail, 4);
    } else if (n >= 2) {
        uint16_t head, tail;
        memcpy(&head, s, 2);
        memcpy(&tail, s + n - 2, 2);
        memcpy(d, &head, 2);
        memcpy(d + n - 2, &tail, 2);
    } else if (n) {
        *d = *s;
    }
}

/* memcmp's sign for the first differing word, as bytes in memory order. */
static inline int ds_word_order(uint64_t x, uint64_t y)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    x = __builtin_bswap64(x);
    y = __builtin_bswap64(y);
#endif
    return x < y ? -1 : 1;
}

static inline int ds_mem_cmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    uint64_t x, y;
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        memcpy(&x, p + i, 8);
        memcpy(&y, q + i, 8);
        if (x != y)
            return ds_word_order(x, y);
    }
    for (; i < n; i++)
        if (p[i] != q[i])
            return p[i] < q[i] ? -1 : 1;
    return 0;
}

static inline bool ds_mem_eq(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    uint64_t x, y;

    if (n < 8) {
        for (size_t i = 0; i < n; i++)
            if (p[i] != q[i])
                return false;
        return true;
    }
    for (size_t i = 0; i + 8 < n; i += 8) {
        memcpy(&x, p + i, 8);
        memcpy(&y, q + i, 8);
        if (x != y)
            return false;
    }
    memcpy(&x, p + n - 8, 8);
    memcpy(&y, q + n - 8, 8);
    return x == y;
}

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
    return a.len == b.len && ds_mem_eq(a.ptr, b.ptr, a.len);
}

static inline bool ds_str_starts_with(struct ds_str s, struct ds_str prefix)
{
    return s.len >= prefix.len && ds_mem_eq(s.ptr, prefix.ptr, prefix.len);
}

static inline bool ds_str_ends_with(struct ds_str s, struct ds_str suffix)
{
    return s.len >= suffix.len && ds_mem_eq(s.ptr + s.len - suffix.len, suffix.ptr, suffix.len);
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
    int c = ds_mem_cmp(a.ptr, b.ptr, n);
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
    ds_copy(buf, s.ptr, s.len);
    buf[s.len] = '\0';
    return true;
}

#endif
