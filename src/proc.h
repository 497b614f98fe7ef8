/* The process's memory as the kernel sees it: current and peak resident
 * set. The scan puts the peak in its stats and the ticker reports both.
 * Defined by the build's backend: Linux reads /proc/self/status (VmRSS,
 * VmHWM); the portable one has only the peak (getrusage), rss_kb is 0. */
#ifndef DS_PROC_H
#define DS_PROC_H

#include "common.h"

struct ds_proc_mem {
    size_t rss_kb;  /* VmRSS */
    size_t peak_kb; /* VmHWM */
};

/* Fills *out; zeros for what the system does not tell. Thread-safe, allocates
 * nothing (reads into a stack buffer). */
void ds_proc_mem(struct ds_proc_mem *out);

/* The value of `key` (e.g. "VmRSS:") in a /proc/<pid>/status text, in kB;
 * 0 when absent. Split out so tests can feed it text. */
size_t ds_proc_status_kb(const char *text, size_t len, const char *key);

#endif
