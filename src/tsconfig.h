/* tsconfig.json reading for module resolution: follows `extends` (string or
 * array, relative paths and packages under node_modules), and keeps only what
 * resolution needs — the effective `compilerOptions.baseUrl`, `paths` and
 * `allowJs` — plus a matcher that turns a specifier into candidate paths.
 * It also keeps `include`/`files`/`exclude` and `references`, which
 * ds_tsconfig_set uses to pick the config of each importer as Vite 8 does
 * when none is configured; every other option is ignored. */
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
    bool allow_js; /* compilerOptions.allowJs (last set through extends); jsconfig.json: true */
    /* `include` and `exclude` as absolute glob patterns, `files` as absolute
     * paths, each from the last file of the chain that set it; has_*: set. */
    struct ds_strlist include, files, exclude;
    bool has_include, has_files, has_exclude;
    struct ds_strlist references; /* the file's own `references`, absolute config paths */
    /* Matching as TypeScript and Vite 8 (oxc-resolver): the chosen pattern's
     * substitutions, then baseUrl, without vite-tsconfig-paths' step 2. */
    bool tsc_paths;
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

/* The two rules below are defined in tsconfig_set.c, beside their use. */

/* Whether vite-tsconfig-paths would apply this tsconfig to `importer` (an
 * absolute path): TypeScript importers (.ts .tsx .mts .cts), plus
 * .js .jsx .mjs .cjs .mdx .svelte .vue .astro when allowJs, never a file
 * under node_modules (its default exclude). Custom include/exclude globs are
 * not evaluated. Thread-safe. */
bool ds_tsconfig_applies_to(const struct ds_tsconfig *tc, struct ds_str importer);

/* Whether the config's own file list holds `path` (absolute), as
 * TypeScript's program would (oxc-resolver is_file_included_in_tsconfig):
 * a `files` entry; else a file with a TypeScript extension (.ts .tsx .mts
 * .cts; .js .jsx .mjs .cjs too with allowJs) matched by an `include`
 * pattern (none: any file below the config's directory, unless `files`
 * is set) and by no `exclude` pattern. A pattern naming an extension
 * matches other files too (an explicit "src/x.vue"). Thread-safe. */
bool ds_tsconfig_includes(const struct ds_tsconfig *tc, struct ds_str path);

/* The tsconfig files of a scan when none is configured: for each importer,
 * the one Vite 8's `resolve.tsconfigPaths` uses (ds_tsconfig_set_find).
 * Each tsconfig.json is loaded once, at first need; lookups are cached per
 * directory. Thread-safe (its own lock; never held across another lock). */
struct ds_tsconfig_set;

DS_MUST_CHECK enum ds_status ds_tsconfig_set_new(struct ds_alloc *alloc, const struct ds_sys *sys,
                                                 struct ds_diags *diags,
                                                 struct ds_tsconfig_set **out);
void ds_tsconfig_set_free(struct ds_tsconfig_set *set); /* NULL is a no-op */

/* The config whose `paths`/`baseUrl` apply to `importer` (absolute, real),
 * as oxc-resolver's auto discovery in Vite 8 finds it: none for a file
 * under node_modules; else, from the importer's directory up to "/", the
 * first tsconfig.json that owns the file — through one of its `references`
 * whose config includes it (ds_tsconfig_includes; that config is the
 * answer), or by including it itself (a config with references and an
 * empty `files` and `include` owns nothing itself). *out is NULL when no
 * config owns it or the owner has neither paths nor baseUrl; *id is a
 * small number naming *out within the set (0 for NULL, at most
 * DS_TSCONFIG_SET_MAX). Answers are kept per directory and extension
 * unless a config asked decides by file name (`files`, an include or
 * exclude pattern naming more than an extension). Only DS_ENOMEM. */
DS_MUST_CHECK enum ds_status ds_tsconfig_set_find(struct ds_tsconfig_set *set,
                                                  struct ds_str importer,
                                                  const struct ds_tsconfig **out, uint32_t *id);

/* At most this many tsconfig files are loaded (ids fit 16 bits). */
#define DS_TSCONFIG_SET_MAX 65000

/* The entries of directory `dir` changed: whether it holds a tsconfig.json
 * is looked up again, and every importer's answer is computed again (ids
 * already given keep naming the same configs). A config already loaded is
 * not re-read. Thread-safe. */
void ds_tsconfig_set_forget_dir(struct ds_tsconfig_set *set, struct ds_str dir);

/* Files read and bytes, for stats. Thread-safe. */
void ds_tsconfig_set_counts(struct ds_tsconfig_set *set, size_t *files, uint64_t *bytes);

/* ds_tsconfig_load through backend `sys` (NULL: ds_sys_default()). */
DS_MUST_CHECK enum ds_status ds_tsconfig_load_sys(struct ds_alloc *alloc, const struct ds_sys *sys,
                                                  struct ds_str path, struct ds_diags *diags,
                                                  struct ds_tsconfig **out);

#endif
