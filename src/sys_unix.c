/* POSIX calls shared by the Linux and the portable backends (sys.h). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys_unix.h"

enum ds_sys_type ds_sys_unix_type(unsigned mode)
{
    return S_ISREG(mode)   ? DS_SYS_FILE
           : S_ISDIR(mode) ? DS_SYS_DIR
           : S_ISLNK(mode) ? DS_SYS_LINK
                           : DS_SYS_OTHER;
}

int ds_sys_unix_stat(void *ctx, const char *path, bool follow, enum ds_sys_type *type)
{
    struct stat sb;

    DS_UNUSED(ctx);
    *type = DS_SYS_NONE;
    if ((follow ? stat(path, &sb) : lstat(path, &sb)) != 0)
        return errno ? errno : EIO;
    *type = ds_sys_unix_type((unsigned)sb.st_mode);
    return 0;
}

int ds_sys_unix_readlink(void *ctx, const char *path, char *buf, size_t cap, size_t *len)
{
    DS_UNUSED(ctx);
    *len = 0;
    ssize_t n = readlink(path, buf, cap);
    if (n < 0)
        return errno ? errno : EIO;
    if ((size_t)n >= cap)
        return ENAMETOOLONG;
    *len = (size_t)n;
    return 0;
}

int ds_sys_unix_realpath(void *ctx, const char *path, char *buf, size_t cap)
{
    char real[PATH_MAX];

    DS_UNUSED(ctx);
    if (!realpath(path, real))
        return errno ? errno : EIO;
    size_t n = strlen(real);
    if (n >= cap)
        return ENAMETOOLONG;
    memcpy(buf, real, n + 1);
    return 0;
}

enum ds_status ds_sys_unix_read_file(void *ctx, const char *path, size_t max_bytes,
                                     struct ds_arena *arena, struct ds_str *out,
                                     struct ds_read_error *why)
{
    DS_UNUSED(ctx);
    return ds_read_file(path, max_bytes, arena, out, why);
}
