/* Internal helpers of the scan that tests reach directly. The scan itself is
 * the public dscan_run (include/dscan.h). */
#ifndef DS_SCAN_H
#define DS_SCAN_H

#include "arena.h"
#include "sys.h"

/* Writes `path` (absolute) as RedwoodSDK's normalizeModulePath does for the
 * result lists (SPEC §3): "/" + the path relative to `root` when inside it,
 * else `path` unchanged. `root` has no trailing '/' (except "/" itself). The
 * result is NUL-terminated in `arena`; NULL when out of memory. */
const char *ds_scan_normalize(struct ds_arena *arena, struct ds_str root, struct ds_str path);

/* dscan_run on file-system backend `sys` (NULL: ds_sys_default()), which
 * must outlive the result: tests run whole scans on an in-memory tree. */
enum dscan_status ds_scan_run_sys(const struct dscan_options *opts, const struct ds_sys *sys,
                                  struct dscan **out, struct dscan_error *err);

#endif
