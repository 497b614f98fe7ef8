/* What a specifier is, by its spelling alone (no filesystem, no config
 * beyond the `external` list): relative, absolute, bare (a package name),
 * a Node builtin, a runtime or URL id that is never resolved, and where its
 * query/hash postfix starts. The scan and the resolver ask these same
 * functions, so a rule (say, which query makes an import unscanned, SPEC
 * §4.5) lives in one place. */
#ifndef DS_SPECIFIER_H
#define DS_SPECIFIER_H

#include "config.h"

/* "." / ".." / "./x" / "../x" (path.h's rule, named here for readers). */
bool ds_spec_is_relative(struct ds_str s);

/* Vite's bareImportRE: a package name starts with a word character or '@'
 * and the specifier holds no "://" (nor a Windows drive letter). */
bool ds_spec_is_bare(struct ds_str s);

/* One of Node 22's builtin modules that may be imported without "node:". */
bool ds_spec_is_builtin(struct ds_str s);

/* Index of the first '?' or '#': where Vite's postfix starts (s.len if none). */
size_t ds_spec_postfix_at(struct ds_str s);

/* Does the query name a url, raw, worker, sharedworker or inline parameter
 * ("./a.svg?url", "./w.js?worker&inline")? SPEC §4.5: such an import is
 * an asset or a separate bundle, never scanned. */
bool ds_spec_skip_query(struct ds_str s);

/* Never resolved (SPEC §4.5): node:, bun:, deno:, npm:, virtual:, "\0" ids,
 * http:, https:, //, data: URLs, a package in `external` (or a subpath of
 * it), or a skip query. Builtins are decided separately (the client's
 * browser field may remap one). */
bool ds_spec_is_external(const struct ds_strlist *external, struct ds_str s);

/* Splits "pkg/sub" or "@scope/pkg/sub" into the package name and the rest
 * ("" or "/sub"); false when it is no valid package name. */
bool ds_spec_split_package(struct ds_str spec, struct ds_str *name, struct ds_str *rest);

#endif
