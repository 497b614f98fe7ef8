/* The module lexer: one pass over a JS/TS/JSX/MDX file that returns its
 * directive prologue and its import specifiers, as slices, without
 * allocating per token. It does not resolve, read files, or decide client
 * versus server (that is the scan's job). */
#ifndef DS_LEX_H
#define DS_LEX_H

#include "arena.h"
#include "readfile.h"

#define DS_LEX_PAD DS_READ_PAD /* zero bytes the caller guarantees after the input */

enum ds_lang {
    DS_LANG_JS = 0, /* .js .mjs .cjs: JSX is accepted too, as Vite does for .js */
    DS_LANG_JSX,
    DS_LANG_TS, /* .ts .mts .cts: `<T>x` is a type assertion, not JSX */
    DS_LANG_TSX,
    DS_LANG_MDX,
};

/* Language by extension; DS_LANG_JS for anything unknown. */
enum ds_lang ds_lang_of_path(struct ds_str path);

struct ds_lex_import {
    struct ds_str specifier; /* into the source, or into `scratch` when it had escapes */
    enum dscan_import_kind kind;
    uint32_t offset; /* byte offset of the specifier's opening quote */
};

struct ds_lex_problem {
    uint32_t offset;
    const char *what; /* static text: "unterminated string", "nesting too deep" … */
};

struct ds_lex_result {
    struct ds_str *directives; /* the directive prologue, in order, quotes removed */
    size_t n_directives;
    struct ds_lex_import *imports; /* source order; type-only imports left out */
    size_t n_imports;
    struct ds_lex_problem *problems; /* non-fatal: lexing went on after each */
    size_t n_problems;
    bool use_client; /* the prologue says "use client" */
    bool use_server; /* the prologue says "use server" */
};

/* Lexes src[0 .. len); src[len .. len + DS_LEX_PAD) must be readable and
 * zero. Result arrays live in `scratch` (reset it after use). Only DS_ENOMEM
 * fails (and DS_ELIMIT past 4 GiB, far above DS_MAX_FILE_BYTES); malformed
 * input gives problems and a best-effort result. Linear time on any input;
 * reads nothing past src + len + DS_LEX_PAD. Thread-safe (no shared state). */
DS_MUST_CHECK enum ds_status ds_lex(const char *src, size_t len, enum ds_lang lang,
                                    struct ds_arena *scratch, struct ds_lex_result *out);

/* The MDX part of ds_lex (src/mdx.c): the ESM blocks (top-level lines
 * starting with `import`/`export`, up to a blank line, outside code fences)
 * lexed as JavaScript, after MDX's implicit "react/jsx-runtime". Same
 * contract as ds_lex. */
DS_MUST_CHECK enum ds_status ds_lex_mdx(const char *src, size_t len, struct ds_arena *scratch,
                                        struct ds_lex_result *out);

#endif
