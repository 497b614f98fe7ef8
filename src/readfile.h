/* Reading one file whole, safely: regular files only (a FIFO, socket or
 * device named x.js must not block or stream forever), size-capped, and
 * padded with DS_READ_PAD zero bytes so lexers can peek past the end
 * without bounds checks. Counting reads is the caller's job (fs.c). */
#ifndef DS_READFILE_H
#define DS_READFILE_H

#include "arena.h"

#define DS_READ_PAD 16 /* zero bytes guaranteed after the last byte read */

struct ds_read_error {
    int sys_errno;      /* errno of the failing call, 0 otherwise */
    const char *reason; /* set on every failure; static text: "file too large" … */
};

/* Reads `path` (a C string) into `arena`: *out points at the bytes, with
 * out->ptr[out->len .. out->len + DS_READ_PAD) zero. Files over `max_bytes`
 * give DS_ELIMIT; others DS_ENOENT, DS_EIO, DS_EINVAL (not a regular file) or
 * DS_ENOMEM. Every failure fills *why, so callers print why->reason as it is.
 * Thread-safe; allocates only from `arena`. */
DS_MUST_CHECK enum ds_status ds_read_file(const char *path, size_t max_bytes,
                                          struct ds_arena *arena, struct ds_str *out,
                                          struct ds_read_error *why);

#endif
