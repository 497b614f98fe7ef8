/* What DS_LEX_IMPORTS must keep of a full lex (src/lex.h): the directives,
 * imports (specifier bytes, kind, offset), problems, strays and the flags,
 * equal to DS_LEX_NAMES's on the same input; and no names, exports or
 * barrel flag. Shared by tests/test_lex.c (every case and corpus file) and
 * fuzz/fuzz_lex.c (every fuzz input), so both check the same promise. */
#ifndef DS_TEST_LEX_SAME_H
#define DS_TEST_LEX_SAME_H

#include "lex.h"

/* NULL when `imp` (DS_LEX_IMPORTS) agrees with `all` (DS_LEX_NAMES) on the
 * same input, else what differs first. */
static inline const char *lex_same_imports(const struct ds_lex_result *all,
                                           const struct ds_lex_result *imp)
{
    if (all->n_directives != imp->n_directives)
        return "n_directives";
    for (size_t i = 0; i < all->n_directives; i++)
        if (!ds_str_eq(all->directives[i], imp->directives[i]) ||
            all->directive_offsets[i] != imp->directive_offsets[i])
            return "directives";
    if (all->n_imports != imp->n_imports)
        return "n_imports";
    for (size_t i = 0; i < all->n_imports; i++)
        if (!ds_str_eq(all->imports[i].specifier, imp->imports[i].specifier) ||
            all->imports[i].kind != imp->imports[i].kind ||
            all->imports[i].offset != imp->imports[i].offset)
            return "imports";
    if (all->n_problems != imp->n_problems)
        return "n_problems";
    for (size_t i = 0; i < all->n_problems; i++)
        if (all->problems[i].offset != imp->problems[i].offset ||
            strcmp(all->problems[i].what, imp->problems[i].what) != 0)
            return "problems";
    if (all->n_strays != imp->n_strays)
        return "n_strays";
    for (size_t i = 0; i < all->n_strays; i++)
        if (!ds_str_eq(all->strays[i].text, imp->strays[i].text) ||
            all->strays[i].offset != imp->strays[i].offset)
            return "strays";
    if (all->use_client != imp->use_client || all->use_server != imp->use_server)
        return "use_client/use_server";
    if (all->module_syntax != imp->module_syntax)
        return "module_syntax";
    // What DS_LEX_IMPORTS leaves out must be empty, not stale.
    if (imp->n_names || imp->n_exports || imp->barrel || imp->exports_unsure)
        return "names, exports or barrel without DS_LEX_NAMES";
    for (size_t i = 0; i < imp->n_imports; i++)
        if (imp->imports[i].n_names)
            return "imports[].n_names without DS_LEX_NAMES";
    return NULL;
}

#endif
