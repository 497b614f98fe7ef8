/* The operations every Unix backend shares (sys_unix.c); the backends
 * differ only in how a directory is listed and how memory is measured. */
#ifndef DS_SYS_UNIX_H
#define DS_SYS_UNIX_H

#include "sys.h"

int ds_sys_unix_stat(void *ctx, const char *path, bool follow, enum ds_sys_type *type);
int ds_sys_unix_readlink(void *ctx, const char *path, char *buf, size_t cap, size_t *len);
int ds_sys_unix_realpath(void *ctx, const char *path, char *buf, size_t cap);
enum ds_status ds_sys_unix_read_file(void *ctx, const char *path, size_t max_bytes,
                                     struct ds_arena *arena, struct ds_str *out,
                                     struct ds_read_error *why);
enum ds_sys_type ds_sys_unix_type(unsigned mode);

#endif
