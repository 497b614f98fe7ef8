/* Error and diagnostic plumbing. It formats and stores; it never prints:
 * the command line decides what reaches a terminal. */
#include <stdarg.h>
#include <stdio.h>

#include "diag.h"

const char *dscan_status_name(enum dscan_status status)
{
    switch (status) {
#define NAME(name, msg) \
    case DSCAN_##name: return #name;
        DSCAN_STATUS_MAP(NAME)
#undef NAME
    }
    return "UNKNOWN";
}

const char *dscan_status_message(enum dscan_status status)
{
    switch (status) {
#define MSG(name, msg) \
    case DSCAN_##name: return msg;
        DSCAN_STATUS_MAP(MSG)
#undef MSG
    }
    return "unknown status";
}

/* Where a cut at `i` of `s` would not split a UTF-8 sequence: back to the
 * start of the character `i` is in. */
static size_t char_start(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
        i--;
    return i;
}

/* Shortens `m` (NUL-terminated, `len` bytes) in place to fit `cap` bytes
 * with its NUL. Messages put paths in quotes and the reason after them, and
 * a path can be 4,096 bytes: so the longest quoted part loses its middle
 * (the start and the file name stay), as often as needed; only a message
 * with no long quoted part is cut at the end. */
static void fit_message(char *m, size_t len, size_t cap)
{
    static const char dots[] = "...";
    const size_t keep_head = 24, min_inner = keep_head + 3 + 24;

    while (len >= cap) {
        size_t best = 0, best_len = 0;
        for (size_t i = 0; i < len; i++) {
            if (m[i] != '\'')
                continue;
            const char *close = memchr(m + i + 1, '\'', len - i - 1);
            if (!close)
                break;
            size_t inner = (size_t)(close - (m + i + 1));
            if (inner > best_len) {
                best = i + 1;
                best_len = inner;
            }
            i = (size_t)(close - m);
        }
        if (best_len <= min_inner)
            break;
        size_t excess = len - (cap - 1);
        size_t new_inner = best_len > excess + min_inner ? best_len - excess : min_inner;
        size_t head = char_start(m + best, keep_head);
        size_t cut_to = best_len - (new_inner - head - 3);
        size_t tail_from = char_start(m + best, cut_to);
        if (tail_from <= head + 3)
            tail_from = cut_to; // not UTF-8 anyway
        // m[best, best+head) + "..." + m[best+tail_from, ...)
        memcpy(m + best + head, dots, 3);
        memmove(m + best + head + 3, m + best + tail_from, len - (best + tail_from) + 1);
        len = len - (tail_from - head - 3);
    }
    if (len >= cap) {
        size_t cut = char_start(m, cap - 4);
        memcpy(m + cut, dots, 4);
    }
}

enum ds_status ds_error_set(struct dscan_error *err, enum ds_status status, int sys_errno,
                            const char *fmt, ...)
{
    // Room for three paths of DS_MAX_PATH and the words around them.
    char buf[3 * DS_MAX_PATH + 1024];
    va_list ap;

    if (!err)
        return status;
    err->status = (enum dscan_status)status;
    err->sys_errno = sys_errno;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
    buf[len] = '\0';
    fit_message(buf, len, sizeof err->message);
    memcpy(err->message, buf, strlen(buf) + 1);
    return status;
}

enum ds_status ds_diags_init(struct ds_diags *d, struct ds_alloc *alloc)
{
    if (ds_mutex_init(&d->lock) != 0)
        return DS_ENOMEM;
    ds_arena_init(&d->arena, alloc, 16 * 1024);
    d->items = NULL;
    d->n = d->cap = 0;
    d->max = 10000;
    d->dropped = 0;
    return DS_OK;
}

void ds_diags_release(struct ds_diags *d)
{
    ds_alloc_free(d->arena.alloc, d->items);
    ds_arena_release(&d->arena);
    pthread_mutex_destroy(&d->lock);
    d->items = NULL;
    d->n = d->cap = 0;
}

enum ds_status ds_diag_add(struct ds_diags *d, enum dscan_severity severity, const char *code,
                           struct ds_str path, unsigned line, unsigned col, const char *fmt, ...)
{
    // Room for two paths of DS_MAX_PATH and the reason: a message about a
    // 4,000-byte path must still end with why (hostile_path_longer_than_path_max).
    char msg[2 * DS_MAX_PATH + 512];
    va_list ap;
    enum ds_status st = DS_OK;
    struct ds_str path_copy, msg_copy;

    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof msg)
        n = sizeof msg - 1;

    pthread_mutex_lock(&d->lock);
    if (d->n >= d->max) {
        d->dropped++;
        goto out;
    }
    st = ds_alloc_grow(d->arena.alloc, (void **)&d->items, &d->cap, d->n + 1, sizeof *d->items);
    if (st == DS_OK)
        st = ds_arena_strdup(&d->arena, path, &path_copy);
    if (st == DS_OK)
        st = ds_arena_strdup(&d->arena, ds_str_make(msg, (size_t)n), &msg_copy);
    if (st != DS_OK)
        goto out;
    d->items[d->n++] = (struct dscan_diagnostic){
        .severity = severity,
        .code = code,
        .path = path_copy.ptr,
        .line = line,
        .col = col,
        .message = msg_copy.ptr,
    };
out:
    pthread_mutex_unlock(&d->lock);
    return st;
}
