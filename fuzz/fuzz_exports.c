/* libFuzzer target for exports / imports matching: the first line is the
 * subpath ("./x", ".", "#x"), the rest a package.json `exports` or `imports`
 * value. Checks the target stays in its buffer and is a "./" path. */
#include "pkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct ds_str c[] = {DS_STR("import"), DS_STR("browser"), DS_STR("node")};
    const struct ds_pkg_conds conds = {c, 3};
    struct ds_alloc alloc;
    struct ds_arena arena;
    struct ds_json *v;
    struct ds_json_error err;
    struct ds_str in = ds_str_make((const char *)data, size), out;
    size_t nl = ds_str_find(in, '\n');
    char buf[64];
    bool bare = false;

    ds_alloc_init(&alloc, NULL, 256u << 20);
    ds_arena_init(&arena, &alloc, 0);
    struct ds_str sub = ds_str_slice(in, 0, nl);
    if (nl < size &&
        ds_json_parse(ds_str_slice(in, nl + 1, size), DS_JSON_STRICT, &arena, &v, &err) == DS_OK) {
        if (ds_pkg_exports_match(v, sub, &conds, buf, sizeof buf, &out) == DS_PKG_FOUND)
            assert(out.len < sizeof buf && ds_str_starts_with(out, DS_STR("./")));
        if (ds_pkg_imports_match(v, sub, &conds, buf, sizeof buf, &out, &bare) == DS_PKG_FOUND)
            assert(out.len < sizeof buf && (bare || ds_str_starts_with(out, DS_STR("./"))));
    }
    ds_arena_release(&arena);
    return 0;
}
