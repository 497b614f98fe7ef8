/* Internal helpers of the scan that tests reach directly. The scan itself is
 * the public dscan_run (include/dscan.h). */
#ifndef DS_SCAN_H
#define DS_SCAN_H

#include "arena.h"

/* Writes `path` (absolute) as RedwoodSDK's normalizeModulePath does for the
 * result lists (SPEC §3): "/" + the path relative to `root` when inside it,
 * else `path` unchanged. `root` has no trailing '/' (except "/" itself). The
 * result is NUL-terminated in `arena`; NULL when out of memory. */
const char *ds_scan_normalize(struct ds_arena *arena, struct ds_str root, struct ds_str path);


#endif
