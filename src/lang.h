/* Script files and ES-module syntax: the scan's, the resolver's and the
 * lexer's shared idea of which files are sources, in which language. */
#ifndef DS_LANG_H
#define DS_LANG_H

#include "str.h"

enum ds_lang {
    DS_LANG_JS = 0, /* .js .mjs .cjs: JSX is accepted too, as Vite does for .js */
    DS_LANG_JSX,
    DS_LANG_TS, /* .ts .mts .cts: `<T>x` is a type assertion, not JSX */
    DS_LANG_TSX,
    DS_LANG_MDX,
};

/* The language the lexer reads `path` in, by its extension; DS_LANG_JS for
 * anything unknown. */
enum ds_lang ds_lang_of_path(struct ds_str path);

/* Does `path` end in one of the script extensions the pre-scan walks and
 * the scan reads (SPEC §4.1, §4.5): .js .jsx .mjs .cjs .ts .tsx .mts .cts
 * .mdx? A file named just ".ts" is a dotfile, not a script. */
bool ds_lang_is_script(struct ds_str path);

/* Vite's hasESMSyntax: an import/export statement or import.meta at the
 * start of a line or after ';' or whitespace. A shape test, not a parse. */
bool ds_lang_has_esm_syntax(struct ds_str text);

#endif
