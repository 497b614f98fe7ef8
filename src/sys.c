/* What the users of the file-system seam (sys.h) share, whatever the
 * backend. */
#include "path.h"
#include "sys.h"

enum ds_status ds_sys_read_in(const struct ds_sys *sys, struct ds_str dir, struct ds_str name,
                              size_t max_bytes, struct ds_arena *arena, struct ds_str *out)
{
    char path[DS_MAX_PATH + 1];
    struct ds_read_error why;

    *out = (struct ds_str){0};
    if (!ds_path_join_name(dir, name, path, sizeof path))
        return DS_OK;
    enum ds_status st = sys->read_file(sys->ctx, path, max_bytes, arena, out, &why);
    if (st != DS_OK)
        *out = (struct ds_str){0};
    return st == DS_ENOMEM ? st : DS_OK;
}
