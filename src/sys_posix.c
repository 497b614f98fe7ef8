/* The portable backend (sys.h), for macOS and any POSIX system, and built
 * on Linux by `make PORTABLE=1` so the whole suite runs on it: opendir /
 * readdir, with fstatat where the entry's type is not given; peak memory
 * from getrusage (the current resident set has no portable call: 0). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "proc.h"
#include "sys_unix.h"

static enum ds_sys_type entry_type(DIR *d, const struct dirent *e)
{
#ifdef DT_UNKNOWN
    switch (e->d_type) {
    case DT_REG: return DS_SYS_FILE;
    case DT_DIR: return DS_SYS_DIR;
    case DT_LNK: return DS_SYS_LINK;
    case DT_UNKNOWN: break;
    default: return DS_SYS_OTHER;
    }
#endif
    struct stat sb;
    if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
        return DS_SYS_UNKNOWN; // vanished since readdir: the caller's stat says so
    return ds_sys_unix_type((unsigned)sb.st_mode);
}

static int list_dir(void *ctx, const char *path, ds_sys_entry_fn fn, void *arg, enum ds_status *st)
{
    DIR *d = opendir(path);
    const struct dirent *e;

    DS_UNUSED(ctx);
    *st = DS_OK;
    if (!d)
        return errno ? errno : EIO;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if ((len == 1 && e->d_name[0] == '.') ||
            (len == 2 && e->d_name[0] == '.' && e->d_name[1] == '.'))
            continue;
        *st = fn(arg, e->d_name, len, entry_type(d, e));
        if (*st != DS_OK)
            break;
    }
    closedir(d);
    return 0;
}

static const struct ds_sys posix_sys = {
    .ctx = NULL,
    .name = "posix",
    .list_dir = list_dir,
    .stat = ds_sys_unix_stat,
    .readlink = ds_sys_unix_readlink,
    .realpath = ds_sys_unix_realpath,
    .read_file = ds_sys_unix_read_file,
};

const struct ds_sys *ds_sys_default(void)
{
    return &posix_sys;
}

void ds_proc_mem(struct ds_proc_mem *out)
{
    struct rusage ru;

    out->rss_kb = out->peak_kb = 0;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return;
#ifdef __APPLE__
    out->peak_kb = (size_t)ru.ru_maxrss / 1024; // bytes on macOS
#else
    out->peak_kb = (size_t)ru.ru_maxrss; // kB on Linux and the BSDs
#endif
}
