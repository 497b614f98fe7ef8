/* Definitions every library file needs: the status codes (one X-macro table
 * shared with the public header), attributes, and small helpers. */
#ifndef DS_COMMON_H
#define DS_COMMON_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dscan.h"

enum ds_status {
#define DS_STATUS_ENUM(name, msg) DS_##name = DSCAN_##name,
    DSCAN_STATUS_MAP(DS_STATUS_ENUM)
#undef DS_STATUS_ENUM
    /* Internal, never returned by the library: an answer read without
     * filling a cache needed a fill (fs.h, THE PEEK RULE). */
    DS_EFILL = 0x100,
};

#define DS_MUST_CHECK   __attribute__((warn_unused_result))
#define DS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define DS_UNUSED(x)    ((void)(x))
#define DS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* No interned path or table entry has this id. */
#define DS_NO_ID UINT32_MAX

/* Bounds on input-driven quantities (STYLE: every one has a bound). */
#define DS_MAX_FILE_BYTES   (64u << 20) /* source files larger than this are not lexed */
#define DS_MAX_JSON_BYTES   (16u << 20) /* package.json / tsconfig.json */
#define DS_MAX_JSON_DEPTH   256
#define DS_MAX_PATH         4096
#define DS_MAX_SYMLINK_HOPS 40 /* Linux's own limit */
#define DS_MAX_EXTENDS      32 /* tsconfig extends chain */

/* One fixed, unseeded hash so runs are reproducible. Eight bytes per step
 * (a multiply and a rotate), then murmur3's 64-bit finaliser so the low bits
 * the tables mask with depend on every input byte. It replaced byte-wise
 * FNV-1a: interned paths here are 60-200 bytes (pnpm store), and hashing
 * them was ~10 % of a scan's instructions (callgrind, bench/realapp). */
static inline uint32_t ds_hash_bytes(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 0x9e3779b97f4a7c15u ^ len, w = 0;
    size_t n = len;

    for (; n > 8; n -= 8, p += 8) {
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h = (h << 31) | (h >> 33);
    }
    // The last 1-8 bytes: as the 8 that end the input when it has them
    // (overlapping the step before; a fixed-size copy is one load, where a
    // copy of n bytes was a call), else byte by byte.
    if (len >= 8)
        memcpy(&w, p + n - 8, 8);
    else
        for (size_t i = 0; i < n; i++)
            w |= (uint64_t)p[i] << (8 * i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    return (uint32_t)h;
}

static inline uint32_t ds_hash_mix(uint32_t h, uint32_t v)
{
    h ^= v + 0x9e3779b9u + (h << 6) + (h >> 2);
    return h;
}

#include <pthread.h>

/* The scan's mutexes. Critical sections are short (a table lookup, a
 * counter); on a loaded 2-core machine a waiter that goes to sleep on the
 * futex loses its time slice, so glibc's adaptive kind spins briefly first. */
static inline int ds_mutex_init(pthread_mutex_t *m)
{
    pthread_mutexattr_t attr;
    int rc = pthread_mutexattr_init(&attr);

    if (rc != 0)
        return rc;
#if defined(PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP) && !defined(DS_PORTABLE)
    // glibc only (not musl, not macOS): elsewhere the default kind.
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
#endif
    rc = pthread_mutex_init(m, &attr);
    pthread_mutexattr_destroy(&attr);
    return rc;
}

/* The resolver's peek gate (resolve.c): a fill waiting to write goes
 * before new peeks (glibc's default lets a stream of readers starve it). */
static inline int ds_rwlock_init(pthread_rwlock_t *l)
{
    pthread_rwlockattr_t attr;
    int rc = pthread_rwlockattr_init(&attr);

    if (rc != 0)
        return rc;
#if defined(PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP) && !defined(DS_PORTABLE)
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
    rc = pthread_rwlock_init(l, &attr);
    pthread_rwlockattr_destroy(&attr);
    return rc;
}

/* Takes `l` to write; peeks hold it for microseconds, and on a 2-core VM
 * sleeping behind one costs more than waiting it out. */
static inline void ds_rwlock_wrlock(pthread_rwlock_t *l)
{
    for (int i = 0; i < 2000; i++) {
        if (pthread_rwlock_trywrlock(l) == 0)
            return;
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#elif defined(__aarch64__)
        __asm__ volatile("yield");
#endif
    }
    pthread_rwlock_wrlock(l);
}

#include "banned.h"

#endif
