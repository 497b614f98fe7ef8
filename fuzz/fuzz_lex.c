/* libFuzzer target: ds_lex on any bytes, in every language. The input is
 * copied into an exact-size buffer plus DS_LEX_PAD zeros, so ASan sees any
 * read past the contract. The first byte picks the language. Each input is
 * lexed again with DS_LEX_IMPORTS (a plain scan's mode), which must find
 * the same directives, imports, problems and strays (tests/lex_same.h). */
#include <stdio.h>
#include <stdlib.h>

#include "../tests/lex_same.h"
#include "lex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A slice of the result lies in readable memory: read its last byte. */
static void touch(struct ds_str s)
{
    if (s.len)
        (void)*(volatile const char *)(s.ptr + s.len - 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ds_alloc alloc;
    struct ds_arena scratch;
    struct ds_lex_result r;

    if (size == 0 || size > (1u << 20))
        return 0;
    enum ds_lang lang = (enum ds_lang)(data[0] % 5);
    char *src = malloc(size - 1 + DS_LEX_PAD);
    if (!src)
        return 0;
    memcpy(src, data + 1, size - 1);
    memset(src + size - 1, 0, DS_LEX_PAD);
    ds_alloc_init(&alloc, NULL, 64u << 20);
    ds_arena_init(&scratch, &alloc, 0);
    if (ds_lex(src, size - 1, lang, &scratch, &r) == DS_OK) {
        // Every specifier lies in readable memory: touch it.
        for (size_t i = 0; i < r.n_imports; i++) {
            if (r.imports[i].specifier.len)
                (void)*(volatile const char *)(r.imports[i].specifier.ptr +
                                               r.imports[i].specifier.len - 1);
            // Its names (issue 15) lie within the names array.
            if (r.imports[i].first_name + (size_t)r.imports[i].n_names > r.n_names)
                abort();
        }
        for (size_t i = 0; i < r.n_names; i++) {
            touch(r.names[i].imported);
            touch(r.names[i].local);
        }
        for (size_t i = 0; i < r.n_exports; i++) {
            touch(r.exports[i].name);
            touch(r.exports[i].local);
        }
        for (size_t i = 0; i < r.n_strays; i++) {
            touch(r.strays[i].text);
            if (r.strays[i].offset >= size - 1)
                abort();
        }
        for (size_t i = 0; i < r.n_directives; i++)
            if (r.directive_offsets[i] >= size - 1)
                abort();
        struct ds_arena scratch2;
        struct ds_lex_result imp;
        ds_arena_init(&scratch2, &alloc, 0);
        if (ds_lex_for(src, size - 1, lang, DS_LEX_IMPORTS, &scratch2, &imp) == DS_OK) {
            const char *diff = lex_same_imports(&r, &imp);
            if (diff) {
                fprintf(stderr, "DS_LEX_IMPORTS differs from DS_LEX_NAMES: %s\n", diff);
                abort();
            }
        }
        ds_arena_release(&scratch2);
    }
    ds_arena_release(&scratch);
    free(src);
    return 0;
}
