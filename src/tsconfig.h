/* tsconfig.json reading for module resolution: follows `extends` (string or
 * array, relative paths and packages under node_modules), and keeps only what
 * resolution needs — the effective `compilerOptions.baseUrl`, `paths` and
 * `allowJs` — plus a matcher that turns a specifier into candidate paths.
 * It ignores `references` (a solution-style tsconfig.json whose paths live in
 * a referenced tsconfig.app.json gets none), `include`/`files`/`exclude` and
 * every other option: one tsconfig serves every importer. */
#ifndef DS_TSCONFIG_H
#define DS_TSCONFIG_H

#include "config.h"

/* One `paths` entry: "prefix*suffix" (has_star) or an exact key, with its
 * substitutions already made absolute (each may still hold one '*'). */
struct ds_tsconfig_path {
    struct ds_str prefix, suffix; /* without has_star, prefix is the whole key */
    bool has_star;
    struct ds_strlist subs;
};

/* The effective config, immutable once loaded: safe to match from many
 * threads at once. Everything lives in `arena`. */
struct ds_tsconfig {
    struct ds_arena arena;
    struct ds_str path;     /* real path of the file loaded, or empty when it did not exist */
    struct ds_str base_url; /* absolute, no trailing '/'; empty when not set */
    struct ds_tsconfig_path *paths;
    size_t n_paths;
    bool allow_js;     /* compilerOptions.allowJs (last set through extends); jsconfig.json: true */
    size_t files_read; /* tsconfig and package.json files read while loading */
    uint64_t bytes_read;
};

/* Loads `path` (absolute) and its `extends` chain. A missing file gives an
 * empty config (no baseUrl, no paths) without a diagnostic. A malformed file,
 * an unresolvable or cyclic `extends`, a chain longer than DS_MAX_EXTENDS or
 * a bad `paths` value adds a diagnostic (code "tsconfig", naming the file and
 * line:col where known) to `diags` and the load goes on as if that part were
 * absent. Only DS_ENOMEM fails. Free with ds_tsconfig_free. */
DS_MUST_CHECK enum ds_status ds_tsconfig_load(struct ds_alloc *alloc, struct ds_str path,
                                              struct ds_diags *diags, struct ds_tsconfig **out);
void ds_tsconfig_free(struct ds_tsconfig *tc); /* NULL is a no-op */

/* The candidate absolute paths for `specifier`, in order:
 * 1. TypeScript's choice: the key equal to the specifier, else the pattern
 *    with the longest prefix (first written among equals), its
 *    substitutions with '*' replaced by the matched text;
 * 2. then, as vite-tsconfig-paths (which builds the app) goes on where tsc
 *    stops, the substitutions of every other matching pattern, longest
 *    prefix first, whose '*' matches at least one character;
 * 3. then baseUrl/specifier, when baseUrl is set and the specifier is not
 *    rooted ("/x").
 * Relative specifiers ("./", "../", ".", "..") give nothing. Probe each
 * candidate like a relative import (as written when it has an extension,
 * then extensions and index files) and take the first that exists;
 * vite-tsconfig-paths ignores a baseUrl hit ending in ".json" when the
 * specifier does not. Strings and the list are allocated in `arena` (the
 * caller's scratch). Thread-safe (the config is read-only); only DS_ENOMEM. */
DS_MUST_CHECK enum ds_status ds_tsconfig_match(const struct ds_tsconfig *tc,
                                               struct ds_str specifier, struct ds_arena *arena,
                                               struct ds_strlist *out);

/* Whether vite-tsconfig-paths would apply this tsconfig to `importer` (an
 * absolute path): TypeScript importers (.ts .tsx .mts .cts), plus
 * .js .jsx .mjs .cjs .mdx .svelte .vue .astro when allowJs, never a file
 * under node_modules (its default exclude). Custom include/exclude globs are
 * not evaluated. Thread-safe. */
bool ds_tsconfig_applies_to(const struct ds_tsconfig *tc, struct ds_str importer);

/* ds_tsconfig_load through backend `sys` (NULL: ds_sys_default()). */
DS_MUST_CHECK enum ds_status ds_tsconfig_load_sys(struct ds_alloc *alloc, const struct ds_sys *sys,
                                                  struct ds_str path, struct ds_diags *diags,
                                                  struct ds_tsconfig **out);

#endif
