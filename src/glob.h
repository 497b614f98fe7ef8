/* Glob matching: the one home for the two glob dialects dscan reads, chosen
 * by an explicit flavour. Pure functions of their arguments: no allocation
 * (except ds_glob_tsconfig_entry, into the caller's arena), recursion only
 * over a bounded number of brace groups, thread-safe. Why the dialects are
 * two is written in glob.c. */
#ifndef DS_GLOB_H
#define DS_GLOB_H

#include "arena.h"

enum ds_glob_flavour {
    /* tsconfig `include`/`exclude` (TypeScript; oxc-resolver in Vite 8):
     * pattern and path absolute; '*' and '?' within one segment, a segment
     * that is exactly "**" matches zero or more whole segments (a trailing
     * one matches the directory before it too), "**" inside a segment is
     * '*'. Exact for any length. Nothing else is special: no braces,
     * classes or negation. */
    DS_GLOB_TSCONFIG,
    /* package.json `sideEffects` (webpack, esbuild, Vite): pattern as
     * written, path relative to the package directory; a leading "./" is
     * dropped, a pattern without '/' matches the file name in any
     * directory, `{a,b}` alternatives, '*' and '?' within one segment,
     * "**" anywhere matches any run of bytes and "**" + "/" also matches
     * nothing. A pattern it cannot read (`[`, `]`, `!`, `\`, longer than
     * 512 bytes, braces nested or more than 4 groups) or a path longer than
     * DS_MAX_PATH counts as a match: keeping a file is always sound. */
    DS_GLOB_SIDE_EFFECTS,
};

/* Does `pattern` match `path` in `flavour`? */
bool ds_glob_match(enum ds_glob_flavour flavour, struct ds_str pattern, struct ds_str path);

/* TypeScript's reading of one `include`/`exclude` entry already made
 * absolute: a last segment without '.', '*' or '?' names a directory and
 * means every file below it: *out is the entry with the segments "**" and
 * "*" appended, in `arena` (the caller keeps only supported extensions for
 * a pattern ending in '*'). Else *out is `entry` itself, not copied. Only
 * DS_ENOMEM fails. */
DS_MUST_CHECK enum ds_status ds_glob_tsconfig_entry(struct ds_arena *arena, struct ds_str entry,
                                                    struct ds_str *out);

/* Whether a DS_GLOB_TSCONFIG pattern may tell apart two files of one
 * directory with one extension (the tsconfig set caches answers per
 * directory and extension otherwise): false when its last segment is "*",
 * "**" or "*.ext" with no '.', '*' or '?' in ext; true for anything else,
 * which may be more than needed but never less. */
bool ds_glob_tsconfig_by_name(struct ds_str pattern);

#endif
