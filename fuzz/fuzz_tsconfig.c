/* libFuzzer target for the tsconfig reader: the input's first line is a
 * specifier, the rest is written as tsconfig.json in a private directory,
 * loaded (extends may point at itself or at nothing) and matched; the
 * first line is also tried as an importer against include/files/exclude
 * and as a glob of either flavour (glob.h). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "diag.h"
#include "glob.h"
#include "tsconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/dscan-fuzz-tsconfig-XXXXXX", path[64];

static void cleanup(void)
{
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ds_alloc alloc;
    struct ds_diags diags;
    struct ds_arena scratch;
    struct ds_tsconfig *tc = NULL;
    struct ds_strlist out;

    if (!path[0] && (!mkdtemp(dir) || snprintf(path, sizeof(path), "%s/tsconfig.json", dir) < 0 ||
                     atexit(cleanup) != 0))
        return 0;
    struct ds_str in = ds_str_make((const char *)data, size);
    size_t nl = ds_str_find(in, '\n');
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data + (nl < size ? nl + 1 : size), 1, nl < size ? size - nl - 1 : 0, f);
    fclose(f);
    ds_alloc_init(&alloc, NULL, 256u << 20);
    if (ds_diags_init(&diags, &alloc) != DS_OK)
        return 0;
    ds_arena_init(&scratch, &alloc, 0);
    if (ds_tsconfig_load(&alloc, ds_str_cstr(path), &diags, &tc) == DS_OK) {
        struct ds_str spec = ds_str_slice(in, 0, nl);
        if (ds_tsconfig_match(tc, spec, &scratch, &out) == DS_OK)
            assert(out.n == 0 || out.items[0].ptr[0] == '/');
        // include/files/exclude against the first line as a file path
        // (under the config's directory when relative), and as a glob.
        char file[256];
        snprintf(file, sizeof(file), "%s/%.*s", dir, (int)(spec.len < 128 ? spec.len : 128),
                 spec.ptr);
        (void)ds_tsconfig_includes(tc, ds_str_cstr(file));
        (void)ds_glob_match(DS_GLOB_TSCONFIG, spec, ds_str_cstr(file));
        (void)ds_glob_match(DS_GLOB_SIDE_EFFECTS, spec, ds_str_cstr(file + strlen(dir) + 1));
        for (size_t i = 0; i < tc->include.n; i++)
            (void)ds_glob_match(DS_GLOB_TSCONFIG, tc->include.items[i], spec);
    }
    ds_tsconfig_free(tc);
    ds_arena_release(&scratch);
    ds_diags_release(&diags);
    assert(atomic_load(&alloc.current) == 0);
    return 0;
}
