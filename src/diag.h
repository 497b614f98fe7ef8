/* The two error channels. A status with a struct dscan_error says a call
 * could not do its job; a diagnostic says one file was bad and the work went
 * on (SPEC §4.8). Messages follow git's rules: lowercase, no final period,
 * the failure first, the subject quoted, the reason after a colon. */
#ifndef DS_DIAG_H
#define DS_DIAG_H

#include <pthread.h>

#include "arena.h"

/* Fills *err (when not NULL) and returns `status`. */
enum ds_status ds_error_set(struct dscan_error *err, enum ds_status status, int sys_errno,
                            const char *fmt, ...) DS_PRINTF(4, 5);

/* A list of diagnostics that many threads may add to. Strings are copied
 * into the list's own arena. */
struct ds_diags {
    pthread_mutex_t lock;
    struct ds_arena arena;
    struct dscan_diagnostic *items;
    size_t n, cap;
    size_t max; /* past this many, further ones are counted in `dropped` only */
    size_t dropped;
};

DS_MUST_CHECK enum ds_status ds_diags_init(struct ds_diags *d, struct ds_alloc *alloc);
void ds_diags_release(struct ds_diags *d);

/* Adds one diagnostic. Thread-safe. Only DS_ENOMEM can fail it. */
DS_MUST_CHECK enum ds_status ds_diag_add(struct ds_diags *d, enum dscan_severity severity,
                                         const char *code, struct ds_str path, unsigned line,
                                         unsigned col, const char *fmt, ...) DS_PRINTF(7, 8);

#endif
