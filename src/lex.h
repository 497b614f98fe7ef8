/* The module lexer: one pass over a JS/TS/JSX/MDX file that returns its
 * directive prologue and its import specifiers, as slices, without
 * allocating per token. It does not resolve, read files, or decide client
 * versus server (that is the scan's job). */
#ifndef DS_LEX_H
#define DS_LEX_H

#include "arena.h"
#include "lang.h"
#include "readfile.h"

#define DS_LEX_PAD DS_READ_PAD /* zero bytes the caller guarantees after the input */

struct ds_lex_import {
    struct ds_str specifier; /* into the source, or into `scratch` when it had escapes */
    enum dscan_import_kind kind;
    uint32_t offset; /* byte offset of the specifier's opening quote */
    /* Its names: result.names[first_name .. first_name + n_names). None for
     * a side-effect import (`import "x"`); `import()` and `require()` have
     * none either and use every name. */
    uint32_t first_name, n_names;
};

/* One name an import or re-export takes from its module (SPEC §4.10).
 * `imported` is "default", "*" (a namespace: `import * as ns`, `export *`,
 * `export * as ns`) or the name as written (a string name without its
 * quotes); `local` is the binding an import creates, or the name a
 * re-export exports ("" for a plain `export * from`). Type-only names are
 * left out. */
struct ds_lex_name {
    struct ds_str imported;
    struct ds_str local;
};

/* A name the module exports from its own scope: `export const a`,
 * `export function f`, `export default …` ("default"), `export {a as b}`
 * without `from` (name "b", local "a"). `local` is the binding exported, ""
 * for `export default <expression>`. Type-only exports are left out. */
struct ds_lex_export {
    struct ds_str name;
    struct ds_str local;
};

/* A top-level string-literal statement after other code, whose text is
 * 8..12 bytes long: the candidates for a misplaced or misspelt directive
 * (SPEC §4.9), which src/lint.c classifies. */
struct ds_lex_stray {
    struct ds_str text; /* raw, quotes removed */
    uint32_t offset;    /* of its opening quote */
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
    uint32_t *directive_offsets; /* of each directive's opening quote */
    struct ds_lex_name *names;   /* of the imports, see ds_lex_import */
    size_t n_names;
    struct ds_lex_export *exports; /* local exports, source order */
    size_t n_exports;
    struct ds_lex_stray *strays; /* string statements after code (at most 16) */
    size_t n_strays;
    bool use_client;     /* the prologue says "use client" */
    bool use_server;     /* the prologue says "use server" */
    bool module_syntax;  /* an import or export declaration was seen */
    bool exports_unsure; /* an export list the lexer could not read whole
                            (`export =`, a declaration it lost track of):
                            `exports` may miss names */
    bool barrel;         /* a pure barrel: only import and export declarations
                            (and directives), at least one of them (SPEC §4.10) */
};

/* What a lex computes. The directives, imports (specifiers, kinds,
 * offsets), problems, strays and module_syntax are the same either way;
 * names, exports, exports_unsure and barrel only with DS_LEX_NAMES. A plain
 * scan needs none of them (precise mode, SPEC §4.10, the report, §5a, and
 * `dscan lex` do): without them it runs 7 % fewer instructions on a real
 * app (callgrind), mostly the side read of `export const` initializers. */
enum ds_lex_want {
    DS_LEX_IMPORTS, /* no names: imports[i].n_names is 0, the name arrays empty */
    DS_LEX_NAMES,
};

/* Lexes src[0 .. len); src[len .. len + DS_LEX_PAD) must be readable and
 * zero. Result arrays live in `scratch` (reset it after use). Only DS_ENOMEM
 * fails (and DS_ELIMIT past 4 GiB, far above DS_MAX_FILE_BYTES); malformed
 * input gives problems and a best-effort result. Linear time on any input;
 * reads nothing past src + len + DS_LEX_PAD. Thread-safe (no shared state). */
DS_MUST_CHECK enum ds_status ds_lex_for(const char *src, size_t len, enum ds_lang lang,
                                        enum ds_lex_want want, struct ds_arena *scratch,
                                        struct ds_lex_result *out);

/* ds_lex_for with DS_LEX_NAMES: everything. */
DS_MUST_CHECK enum ds_status ds_lex(const char *src, size_t len, enum ds_lang lang,
                                    struct ds_arena *scratch, struct ds_lex_result *out);

/* The MDX part of ds_lex_for (src/mdx.c): the ESM blocks (top-level lines
 * starting with `import`/`export`, up to a blank line, outside code fences)
 * lexed as JavaScript, after MDX's implicit "react/jsx-runtime". Same
 * contract as ds_lex_for. */
DS_MUST_CHECK enum ds_status ds_lex_mdx(const char *src, size_t len, enum ds_lex_want want,
                                        struct ds_arena *scratch, struct ds_lex_result *out);

#endif
