/* libFuzzer target for the JSON / JSONC reader. The first byte picks the
 * flavor (bit 0: JSONC); the rest is the document. Runs under a heap limit
 * so a blow-up shows as ENOMEM, and walks the tree it gets back. The same
 * text parsed with some root members skipped (ds_json_parse_some) must get
 * the same verdict and the same error. */
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool even_keys(const void *ctx, struct ds_str key)
{
    (void)ctx;
    return key.len % 2 == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ds_alloc alloc;
    struct ds_arena arena;
    struct ds_json *v = NULL;
    struct ds_json_error err = {0};

    if (size == 0)
        return 0;
    ds_alloc_init(&alloc, NULL, 256u << 20);
    ds_arena_init(&arena, &alloc, 0);
    enum ds_json_flavor fl = data[0] & 1 ? DS_JSON_JSONC : DS_JSON_STRICT;
    struct ds_str text = ds_str_make((const char *)data + 1, size - 1);
    enum ds_status st = ds_json_parse(text, fl, &arena, &v, &err);
    if (st == DS_OK && v->type == DS_JSON_OBJECT && v->n)
        (void)ds_json_get(v, v->u.members[0].key); // keys are NUL-terminated copies
    else if (st == DS_EPARSE || st == DS_ELIMIT)
        assert(err.what && err.offset <= text.len && err.line >= 1 && err.col >= 1);
    struct ds_json *some = NULL;
    struct ds_json_error serr = {0};
    enum ds_status sst = ds_json_parse_some(text, fl, even_keys, NULL, &arena, &some, &serr);
    if (st != DS_ENOMEM && sst != DS_ENOMEM) {
        assert(sst == st);
        if (st != DS_OK)
            assert(serr.offset == err.offset && serr.line == err.line && serr.col == err.col &&
                   strcmp(serr.what, err.what) == 0);
        else if (v->type == DS_JSON_OBJECT)
            assert(some->type == DS_JSON_OBJECT && some->n <= v->n);
    }
    ds_arena_release(&arena);
    assert(atomic_load(&alloc.current) == 0);
    return 0;
}
