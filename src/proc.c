/* The parser of /proc/<pid>/status lines. ds_proc_mem itself is the
 * backend's (sys_linux.c reads /proc/self/status, sys_posix.c asks
 * getrusage). It does not walk child processes: dscan is one process,
 * unlike the esbuild-based reference (see NOTES.md). */

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
