/* Script files and ES-module syntax: the scan's and the resolver's shared
 * idea of which files are sources. The lexer's own language choice by
 * extension is ds_lang_of_path (lex.h). */
#ifndef DS_LANG_H
#define DS_LANG_H

#include "str.h"

/* Does `path` end in one of the script extensions the pre-scan walks and
 * the scan reads (SPEC §4.1, §4.5): .js .jsx .mjs .cjs .ts .tsx .mts .cts
 * .mdx? A file named just ".ts" is a dotfile, not a script. */
bool ds_lang_is_script(struct ds_str path);

/* Vite's hasESMSyntax: an import/export statement or import.meta at the
 * start of a line or after ';' or whitespace. A shape test, not a parse. */
bool ds_lang_has_esm_syntax(struct ds_str text);

#endif
