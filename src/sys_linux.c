/* The Linux backend (sys.h): a directory is listed with open + getdents64
 * (opendir adds an fstat per directory, and one getdents call returns
 * hundreds of entries with their types), memory is read from
 * /proc/self/status. getdents64 is called through syscall(2) with the
 * record declared here, so glibc and musl (which dropped the LFS64 names)
 * build it alike. The only file that uses Linux-only interfaces. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc.h"
#include "sys_unix.h"

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static enum ds_sys_type type_of(unsigned char t)
{
    switch (t) {
    case DT_REG: return DS_SYS_FILE;
    case DT_DIR: return DS_SYS_DIR;
    case DT_LNK: return DS_SYS_LINK;
    case DT_UNKNOWN: return DS_SYS_UNKNOWN;
    default: return DS_SYS_OTHER;
    }
}

static int list_dir(void *ctx, const char *path, ds_sys_entry_fn fn, void *arg, enum ds_status *st)
{
    _Alignas(struct linux_dirent64) char buf[32 * 1024];
    int fd = openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK);

    DS_UNUSED(ctx);
    *st = DS_OK;
    if (fd < 0)
        return errno ? errno : EIO;
    for (;;) {
        long got = syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (got <= 0)
            break; // the end, or an error: what was listed so far stands
        for (long off = 0; off < got;) {
            const struct linux_dirent64 *e = (const struct linux_dirent64 *)(buf + off);
            off += e->d_reclen;
            size_t len = strlen(e->d_name);
            if ((len == 1 && e->d_name[0] == '.') ||
                (len == 2 && e->d_name[0] == '.' && e->d_name[1] == '.'))
                continue;
            *st = fn(arg, e->d_name, len, type_of(e->d_type));
            if (*st != DS_OK) {
                close(fd);
                return 0;
            }
        }
    }
    close(fd);
    return 0;
}

static const struct ds_sys linux_sys = {
    .ctx = NULL,
    .name = "linux",
    .list_dir = list_dir,
    .stat = ds_sys_unix_stat,
    .readlink = ds_sys_unix_readlink,
    .realpath = ds_sys_unix_realpath,
    .read_file = ds_sys_unix_read_file,
};

const struct ds_sys *ds_sys_default(void)
{
    return &linux_sys;
}

void ds_proc_mem(struct ds_proc_mem *out)
{
    char buf[4096];
    size_t len = 0;
    int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

    out->rss_kb = out->peak_kb = 0;
    if (fd < 0)
        return;
    // The status file is ~1.5 kB; one buffer holds it, a short read is fine.
    while (len < sizeof buf) {
        ssize_t n = read(fd, buf + len, sizeof buf - len);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    out->rss_kb = ds_proc_status_kb(buf, len, "VmRSS:");
    out->peak_kb = ds_proc_status_kb(buf, len, "VmHWM:");
}
