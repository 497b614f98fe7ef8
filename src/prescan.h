/* The pre-scan walk (SPEC §4.1): every file under a directory whose name ends
 * in a script extension, skipping dot-folders and node_modules. It only lists
 * candidates; reading them and deciding which carry a directive is the
 * scan's job, so each file is still read once. */
#ifndef DS_PRESCAN_H
#define DS_PRESCAN_H

#include "diag.h"
#include "sys.h"

#define DS_PRESCAN_MAX_DEPTH 64 /* directory nesting below srcDir */

/* Called once per candidate with its absolute path (as walked, not a real
 * path); the bytes live until the callback returns. A status other than DS_OK
 * stops the walk and is returned. */
typedef enum ds_status (*ds_prescan_fn)(void *ctx, struct ds_str path);

/* Walks `dir` (absolute) iteratively. A missing `dir` is no error (no roots).
 * Unreadable directories, over-deep nesting and over-long paths become
 * diagnostics in `diags` and are skipped. Symlinks to files count; symlinks
 * to directories are not followed, so a link cycle cannot make the walk
 * explode. A script-named entry that is no regular file (FIFO, socket,
 * device, dangling link, link loop) becomes a "read" warning, not a root.
 * Only DS_ENOMEM or the callback's status fail it. `sys` lists and stats
 * (NULL: ds_sys_default()). Thread-safe
 * (nothing shared); allocates through `alloc` and frees it all. */
DS_MUST_CHECK enum ds_status ds_prescan_walk(struct ds_alloc *alloc, const struct ds_sys *sys,
                                             struct ds_str dir, struct ds_diags *diags,
                                             ds_prescan_fn fn, void *ctx);

#endif
