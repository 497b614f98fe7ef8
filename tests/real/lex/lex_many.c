/* Lexes every file named on stdin (one path a line) with ds_lex and prints
 * one JSON line per file: {"file":…,"imports":[[specifier,kind],…],
 * "directives":[…],"names":[[[imported,local],…] per import],
 * "exports":[[name,local],…],"barrel":b,"esm":b,"unsure":b,"problems":N}. Used by
 * tests/real/test_lex_oxc.sh; built against build/libdscan.a by that script.
 * With --imports-only it lexes each file again as a plain scan does
 * (DS_LEX_IMPORTS) instead, prints the files where the two disagree
 * (tests/lex_same.h) and a count, and fails if any does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lex_same.h"
#include "lex.h"

static void json_str(const char *s, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

int main(int argc, char **argv)
{
    char path[8192];
    struct ds_alloc alloc;
    struct ds_arena arena;
    bool check = argc > 1 && strcmp(argv[1], "--imports-only") == 0;
    size_t n = 0, bad = 0;

    ds_alloc_init(&alloc, NULL, 0);
    ds_arena_init(&arena, &alloc, 0);
    while (fgets(path, sizeof path, stdin)) {
        path[strcspn(path, "\n")] = 0;
        struct ds_str src;
        struct ds_read_error why;
        struct ds_lex_result r;
        if (ds_read_file(path, DS_MAX_FILE_BYTES, &arena, &src, &why) != DS_OK ||
            ds_lex(src.ptr, src.len, ds_lang_of_path(ds_str_cstr(path)), &arena, &r) != DS_OK) {
            printf("{\"file\":");
            json_str(path, strlen(path));
            printf(",\"error\":true}\n");
            bad += check;
            ds_arena_reset(&arena);
            continue;
        }
        if (check) {
            struct ds_lex_result imp;
            enum ds_lang lang = ds_lang_of_path(ds_str_cstr(path));
            const char *diff = ds_lex_for(src.ptr, src.len, lang, DS_LEX_IMPORTS, &arena, &imp)
                                   ? "ds_lex_for failed"
                                   : lex_same_imports(&r, &imp);
            if (diff) {
                printf("%s: %s\n", path, diff);
                bad++;
            }
            n++;
            ds_arena_reset(&arena);
            continue;
        }
        printf("{\"file\":");
        json_str(path, strlen(path));
        printf(",\"imports\":[");
        for (size_t i = 0; i < r.n_imports; i++) {
            printf(i ? ",[" : "[");
            json_str(r.imports[i].specifier.ptr, r.imports[i].specifier.len);
            printf(",\"%s\"]", dscan_import_kind_name(r.imports[i].kind));
        }
        printf("],\"directives\":[");
        for (size_t i = 0; i < r.n_directives; i++) {
            if (i)
                putchar(',');
            json_str(r.directives[i].ptr, r.directives[i].len);
        }
        // Names per import (parallel to imports), local exports, flags.
        printf("],\"names\":[");
        for (size_t i = 0; i < r.n_imports; i++) {
            printf(i ? ",[" : "[");
            for (uint32_t k = 0; k < r.imports[i].n_names; k++) {
                const struct ds_lex_name *nm = &r.names[r.imports[i].first_name + k];
                printf(k ? ",[" : "[");
                json_str(nm->imported.ptr, nm->imported.len);
                putchar(',');
                json_str(nm->local.ptr, nm->local.len);
                putchar(']');
            }
            putchar(']');
        }
        printf("],\"exports\":[");
        for (size_t i = 0; i < r.n_exports; i++) {
            printf(i ? ",[" : "[");
            json_str(r.exports[i].name.ptr, r.exports[i].name.len);
            putchar(',');
            json_str(r.exports[i].local.ptr, r.exports[i].local.len);
            putchar(']');
        }
        printf("],\"barrel\":%s,\"esm\":%s,\"unsure\":%s", r.barrel ? "true" : "false",
               r.module_syntax ? "true" : "false", r.exports_unsure ? "true" : "false");
        printf(",\"problems\":%zu}\n", r.n_problems);
        ds_arena_reset(&arena);
    }
    ds_arena_release(&arena);
    if (check)
        printf("imports only vs names: %zu files, %zu differ\n", n, bad);
    return bad ? 1 : 0;
}
