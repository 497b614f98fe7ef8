/* Directory walk for the pre-scan. It keeps an explicit stack of directories
 * (strings in a private arena) instead of recursing, so input depth never
 * touches the C stack, and it bounds nesting at DS_PRESCAN_MAX_DEPTH. It does
 * not sort: the scan sorts its results, so the order of readdir never shows.
 * It does not read file contents. */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "lang.h"
#include "prescan.h"

struct pending {
    struct ds_str path;
    unsigned depth;
};

static bool skip_dir(const char *name)
{
    // SPEC §4.1: dot-folders (.git, .wrangler, and "." / "..") and node_modules.
    return name[0] == '.' || strcmp(name, "node_modules") == 0;
}

enum ds_status ds_prescan_walk(struct ds_alloc *alloc, struct ds_str dir, struct ds_diags *diags,
                               ds_prescan_fn fn, void *ctx)
{
    struct ds_arena names;
    struct pending *stack = NULL;
    size_t n = 0, cap = 0;
    enum ds_status st = DS_OK;
    char path[DS_MAX_PATH + 1];
    struct ds_str copy;

    ds_arena_init(&names, alloc, 16 * 1024);
    while (dir.len > 1 && dir.ptr[dir.len - 1] == '/')
        dir.len--;
    st = ds_arena_strdup(&names, dir, &copy);
    if (st != DS_OK)
        goto done;
    st = ds_alloc_grow(alloc, (void **)&stack, &cap, 1, sizeof *stack);
    if (st != DS_OK)
        goto done;
    stack[n++] = (struct pending){copy, 0};

    while (n > 0) {
        struct pending cur = stack[--n];
        DIR *d = opendir(cur.path.ptr);
        struct dirent *ent;

        if (!d) {
            // The root itself may be missing: a project without srcDir simply
            // has no pre-scan roots.
            if (!(cur.depth == 0 && (errno == ENOENT || errno == ENOTDIR)))
                st = ds_diag_add(diags, DSCAN_WARNING, "read", cur.path, 0, 0,
                                 "cannot read directory '%.*s': %s", DS_STR_FMT(cur.path),
                                 strerror(errno));
            if (st != DS_OK)
                goto done;
            continue;
        }
        while ((ent = readdir(d)) != NULL) {
            size_t nlen = strlen(ent->d_name);
            bool is_dir = false, is_file = false;
            struct stat sb;

            if (cur.path.len + 1 + nlen > DS_MAX_PATH) {
                st = ds_diag_add(diags, DSCAN_WARNING, "limit", cur.path, 0, 0,
                                 "skipping '%s' in '%.*s': path too long", ent->d_name,
                                 DS_STR_FMT(cur.path));
                if (st != DS_OK)
                    break;
                continue;
            }
            memcpy(path, cur.path.ptr, cur.path.len);
            path[cur.path.len] = '/';
            memcpy(path + cur.path.len + 1, ent->d_name, nlen + 1);

            // `bad` says why a script-named entry that is no regular file
            // cannot be read: a FIFO, socket or device (reading one could
            // block or never end), a dangling link (a file deleted between
            // listing and reading looks the same), a link loop.
            const char *bad = NULL;
            switch (ent->d_type) {
            case DT_DIR: is_dir = true; break;
            case DT_REG: is_file = true; break;
            case DT_LNK:
                // Follow a link only to see whether it names a file: linked
                // directories are not walked (no cycles to guard against).
                if (stat(path, &sb) != 0)
                    bad = strerror(errno);
                else if (S_ISREG(sb.st_mode))
                    is_file = true;
                else if (!S_ISDIR(sb.st_mode))
                    bad = "not a regular file";
                break;
            case DT_UNKNOWN:
                // Some filesystems (old XFS, some FUSE) leave d_type empty.
                if (lstat(path, &sb) != 0) {
                    bad = strerror(errno);
                } else if (S_ISLNK(sb.st_mode)) {
                    if (stat(path, &sb) != 0)
                        bad = strerror(errno);
                    else if (S_ISREG(sb.st_mode))
                        is_file = true;
                    else if (!S_ISDIR(sb.st_mode))
                        bad = "not a regular file";
                } else {
                    is_dir = S_ISDIR(sb.st_mode);
                    is_file = S_ISREG(sb.st_mode);
                    if (!is_dir && !is_file)
                        bad = "not a regular file";
                }
                break;
            default: bad = "not a regular file"; break;
            }

            struct ds_str p = ds_str_make(path, cur.path.len + 1 + nlen);
            if (is_dir) {
                if (skip_dir(ent->d_name))
                    continue;
                if (cur.depth + 1 > DS_PRESCAN_MAX_DEPTH) {
                    st = ds_diag_add(diags, DSCAN_WARNING, "limit", p, 0, 0,
                                     "not walking '%.*s': more than %d directories deep",
                                     DS_STR_FMT(p), DS_PRESCAN_MAX_DEPTH);
                    if (st != DS_OK)
                        break;
                    continue;
                }
                st = ds_arena_strdup(&names, p, &copy);
                if (st == DS_OK)
                    st = ds_alloc_grow(alloc, (void **)&stack, &cap, n + 1, sizeof *stack);
                if (st != DS_OK)
                    break;
                stack[n++] = (struct pending){copy, cur.depth + 1};
            } else if (is_file && ds_lang_is_script(p)) {
                st = fn(ctx, p);
                if (st != DS_OK)
                    break;
            } else if (bad && ds_lang_is_script(p)) {
                st = ds_diag_add(diags, DSCAN_WARNING, "read", p, 0, 0, "cannot read '%.*s': %s",
                                 DS_STR_FMT(p), bad);
                if (st != DS_OK)
                    break;
            }
        }
        closedir(d);
        if (st != DS_OK)
            goto done;
    }

done:
    ds_alloc_free(alloc, stack);
    ds_arena_release(&names);
    return st;
}
