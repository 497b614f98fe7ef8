/* Reads /proc/self/status once per call into a stack buffer and picks the
 * VmRSS / VmHWM lines. It does not walk child processes: dscan is one
 * process, unlike the esbuild-based reference (see NOTES.md). */
#include <fcntl.h>
#include <unistd.h>

#include "proc.h"

size_t ds_proc_status_kb(const char *text, size_t len, const char *key)
{
    size_t klen = strlen(key);

    for (size_t i = 0; i + klen <= len;) {
        if ((i == 0 || text[i - 1] == '\n') && memcmp(text + i, key, klen) == 0) {
            size_t v = 0;
            size_t j = i + klen;
            while (j < len && (text[j] == ' ' || text[j] == '\t'))
                j++;
            // 20 digits is past any real value; the cap keeps v from wrapping.
            for (int digits = 0; j < len && text[j] >= '0' && text[j] <= '9' && digits < 19;
                 j++, digits++)
                v = v * 10 + (size_t)(text[j] - '0');
            return v;
        }
        const char *nl = memchr(text + i, '\n', len - i);
        if (!nl)
            break;
        i = (size_t)(nl - text) + 1;
    }
    return 0;
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
