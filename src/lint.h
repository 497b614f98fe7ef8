/* Directive lint (SPEC §4.9): from what the lexer saw of one file — its
 * directive prologue and the top-level string statements after other code —
 * the directive mistakes worth a warning. Classification only: no I/O, no
 * allocation; the caller turns findings into diagnostics. */
#ifndef DS_LINT_H
#define DS_LINT_H

#include "diag.h"
#include "lex.h"

enum ds_lint_code {
    DS_LINT_MISPLACED,   /* "misplaced-directive": a directive after other code */
    DS_LINT_CONFLICTING, /* "conflicting-directives": both in one prologue */
    DS_LINT_TYPO,        /* "directive-typo": a prologue string close to a directive */
};

struct ds_lint_finding {
    enum ds_lint_code code;
    uint32_t offset;    /* of the string's opening quote */
    struct ds_str text; /* the string as written (a slice of the lexer's result) */
    const char *meant;  /* "use client" or "use server" */
};

#define DS_LINT_MAX 8 /* findings per file; more would say nothing new */

/* The findings of one lexed file, in source order, at most DS_LINT_MAX;
 * returns how many were written to out. Near misses that are not mistakes
 * ("use strict", "use asm", other frameworks' directives, strings far from
 * both directives) give none. */
size_t ds_lint_directives(const struct ds_lex_result *r, struct ds_lint_finding *out);

/* "misplaced-directive" … */
const char *ds_lint_code_name(enum ds_lint_code code);

/* The message of a finding, without the file (the diagnostic carries it),
 * written to buf (NUL-terminated, cut to size). */
void ds_lint_message(const struct ds_lint_finding *f, char *buf, size_t size);

/* Adds one warning per finding of the file at `path` (its text `text`,
 * lexed into r) to diags: code as above, the path as the result lists
 * write it (relative to root, SPEC §3), line and column of the string.
 * `scratch` holds temporaries. DS_ENOMEM only. Thread-safe as diags is. */
DS_MUST_CHECK enum ds_status ds_lint_report(struct ds_diags *diags, struct ds_arena *scratch,
                                            struct ds_str root, struct ds_str path,
                                            struct ds_str text, const struct ds_lex_result *r);

#endif
