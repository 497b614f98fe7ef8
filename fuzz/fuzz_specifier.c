/* libFuzzer target for specifier handling: resolves the input as a
 * specifier (worker, then client) from a file in the current directory, with
 * one resolver kept across inputs as the scan keeps it, and checks a found
 * path is absolute. Exercises alias-free parsing, queries, '#', package-name
 * splitting, path joining and the caches. The resolver is rebuilt every
 * 4,096 inputs: its caches grow with every distinct specifier (by design,
 * for one scan), which over millions of inputs would pass the RSS limit. */
#include <unistd.h>

#include "resolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct ds_alloc alloc;
    static struct ds_config *cfg;
    static struct ds_arena arena;
    static struct ds_interner paths;
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static struct ds_diags diags;
    static struct ds_resolver *r;
    static char importer[4200];
    static unsigned n;
    struct ds_resolution out;

    if (r && ++n % 4096 == 0) {
        ds_resolver_free(r);
        ds_diags_release(&diags);
        ds_config_free(cfg);
        ds_interner_release(&paths);
        ds_arena_release(&arena);
        r = NULL;
    }
    if (!r) {
        struct dscan_options opts = {.root = "."};
        ds_alloc_init(&alloc, NULL, 0);
        ds_arena_init(&arena, &alloc, 0);
        ds_interner_init(&paths, &arena);
        if (ds_config_load(&alloc, &opts, &cfg, NULL) != DS_OK || ds_diags_init(&diags, &alloc) ||
            ds_resolver_new(&alloc, cfg, &paths, &lock, &diags, &r) || !getcwd(importer, 4000))
            return 0;
        memcpy(importer + strlen(importer), "/src/x.ts", 10);
    }
    for (int env = 0; env < DSCAN_N_ENVS; env++)
        if (ds_resolve(r, ds_str_cstr(importer), ds_str_make((const char *)data, size), env,
                       DSCAN_IMPORT_STATIC, &out) == DS_OK &&
            out.kind == DS_RES_FILE)
            assert(ds_intern_str(&paths, out.path_id).ptr[0] == '/');
    return 0;
}
