/* Error and diagnostic plumbing. It formats and stores; it never prints:
 * the command line decides what reaches a terminal. */
#include <stdarg.h>
#include <stdio.h>

#include "diag.h"

const char *dscan_status_name(enum dscan_status status)
{
    switch (status) {
#define NAME(name, msg)                                                                            \
    case DSCAN_##name: return #name;
        DSCAN_STATUS_MAP(NAME)
#undef NAME
    }
    return "UNKNOWN";
}

const char *dscan_status_message(enum dscan_status status)
{
    switch (status) {
#define MSG(name, msg)                                                                             \
    case DSCAN_##name: return msg;
        DSCAN_STATUS_MAP(MSG)
#undef MSG
    }
    return "unknown status";
}

enum ds_status ds_error_set(struct dscan_error *err, enum ds_status status, int sys_errno,
                            const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return status;
    err->status = (enum dscan_status)status;
    err->sys_errno = sys_errno;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
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
